"""The notebook 5 exercise checks accept right answers, name each typical wrong one in the lesson's words,
and never raise."""
import numpy as np
import pytest

from annlib import checks
from student_fakes import assert_right_passes_and_each_mistake_is_named, assert_stub_and_broken_functions_never_raise


# -- dense_backward ---------------------------------------------------------------------------------
def dense_right(X, W, dZ):
    return X.T @ dZ, dZ.sum(axis=0), dZ @ W.T


def dense_right_with_dot(X, W, dZ):
    return np.dot(X.T, dZ), np.sum(dZ, axis=0), np.dot(dZ, W.T)


def dense_db_mean(X, W, dZ):
    return X.T @ dZ, dZ.mean(axis=0), dZ @ W.T


def dense_dW_transposed(X, W, dZ):
    return dZ.T @ X, dZ.sum(axis=0), dZ @ W.T


def dense_dW_X_first(X, W, dZ):
    return X @ dZ, dZ.sum(axis=0), dZ @ W.T          # a shape error unless n == n_in


def dense_dX_no_transpose(X, W, dZ):
    return X.T @ dZ, dZ.sum(axis=0), dZ @ W          # fails (shapes) unless W is square, and is wrong then


def dense_dX_W_first(X, W, dZ):
    return X.T @ dZ, dZ.sum(axis=0), W.T @ dZ


def dense_dX_transposed(X, W, dZ):
    return X.T @ dZ, dZ.sum(axis=0), (dZ @ W.T).T


def dense_db_not_summed(X, W, dZ):
    return X.T @ dZ, dZ, dZ @ W.T


def dense_db_axis_1(X, W, dZ):
    return X.T @ dZ, dZ.sum(axis=1), dZ @ W.T


def dense_db_total(X, W, dZ):
    return X.T @ dZ, dZ.sum(), dZ @ W.T


def dense_db_keepdims(X, W, dZ):
    return X.T @ dZ, dZ.sum(axis=0, keepdims=True), dZ @ W.T


def dense_dW_averaged(X, W, dZ):
    return X.T @ dZ / len(X), dZ.sum(axis=0), dZ @ W.T


def dense_dW_elementwise(X, W, dZ):
    return X * dZ, dZ.sum(axis=0), dZ @ W.T


def dense_other_order(X, W, dZ):
    return dZ @ W.T, X.T @ dZ, dZ.sum(axis=0)         # (dX, dW, db)


def dense_db_first(X, W, dZ):
    return dZ.sum(axis=0), X.T @ dZ, dZ @ W.T         # (db, dW, dX)


def dense_sign_flipped(X, W, dZ):
    return -(X.T @ dZ), -dZ.sum(axis=0), -(dZ @ W.T)


def dense_two_values(X, W, dZ):
    return X.T @ dZ, dZ.sum(axis=0)


# -- sigmoid_backward -------------------------------------------------------------------------------
def stable_sigmoid(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def sigmoid_right(z, grad):
    s = stable_sigmoid(z)
    return grad * s * (1 - s)


def sigmoid_right_with_annlib(z, grad):
    import annlib as A
    s = A.Sigmoid().f(z)
    return grad * s * (1 - s)


def sigmoid_naive(z, grad):                       # overflows in exp for z = -1000
    s = 1 / (1 + np.exp(-z))
    return grad * s * (1 - s)


def sigmoid_naive_other_form(z, grad):            # e^z / (1 + e^z): overflows for z = +1000
    s = np.exp(z) / (1 + np.exp(z))
    return grad * s * (1 - s)


def sigmoid_forgot_one_minus(z, grad):
    return grad * stable_sigmoid(z)


def sigmoid_forgot_grad(z, grad):
    s = stable_sigmoid(z)
    return s * (1 - s)


def sigmoid_z_one_minus_z(z, grad):
    return grad * z * (1 - z)


def sigmoid_only_one_minus_s(z, grad):
    return grad * (1 - stable_sigmoid(z))


def sigmoid_tanh_derivative(z, grad):
    return grad * (1 - np.tanh(z) ** 2)


def sigmoid_one_minus_s_squared(z, grad):
    return grad * (1 - stable_sigmoid(z) ** 2)


def sigmoid_matrix_product(z, grad):
    s = stable_sigmoid(z)
    return grad @ (s * (1 - s)).T if np.ndim(z) == 2 else grad * s * (1 - s)


def sigmoid_at_everywhere(z, grad):               # @ on 0-d arrays: a matmul error
    s = stable_sigmoid(z)
    return grad @ (s * (1 - s))


def sigmoid_np_dot(z, grad):                      # np.dot of two vectors: one number
    s = stable_sigmoid(z)
    return np.dot(grad, s * (1 - s))


def sigmoid_sign_flipped(z, grad):
    s = stable_sigmoid(z)
    return -grad * s * (1 - s)


# -- fixed_backward (find the bug) --------------------------------------------------------------------
def fixed_right(layer, grad):
    dz = grad * (1 - layer.a ** 2)
    layer.dW = layer.x.T @ dz
    layer.db = dz.sum(axis=0)
    return dz @ layer.W.T


def fixed_in_place(layer, grad):                  # writing into the existing arrays is right too
    dz = grad * (1 - layer.a ** 2)
    layer.dW[...] = layer.x.T @ dz
    layer.db[...] = dz.sum(axis=0)
    return dz @ layer.W.T


def fixed_recomputed(layer, grad):                # recomputing tanh'(z) from the cached input is right too
    dz = grad * (1 - np.tanh(layer.x @ layer.W + layer.b) ** 2)
    layer.dW = layer.x.T @ dz
    layer.db = dz.sum(axis=0)
    return dz @ layer.W.T


def the_buggy_one(layer, grad):                   # the notebook's bug: dX skips tanh's derivative
    dz = grad * (1 - layer.a ** 2)
    layer.dW = layer.x.T @ dz
    layer.db = dz.sum(axis=0)
    return grad @ layer.W.T


def _with_derivative(derivative):
    def backward(layer, grad):
        dz = grad * derivative(layer)
        layer.dW = layer.x.T @ dz
        layer.db = dz.sum(axis=0)
        return dz @ layer.W.T
    return backward


no_derivative = _with_derivative(lambda layer: 1.0)
derivative_one_minus_x2 = _with_derivative(lambda layer: 1 - layer.x ** 2)
derivative_tanh_twice = _with_derivative(lambda layer: 1 - np.tanh(layer.a) ** 2)
derivative_one_minus_a_squared = _with_derivative(lambda layer: (1 - layer.a) ** 2)
wrong_tanh_derivative = _with_derivative(lambda layer: 1 - layer.a)
derivative_of_sigmoid = _with_derivative(lambda layer: layer.a * (1 - layer.a))
derivative_of_z = _with_derivative(lambda layer: 1 - (layer.x @ layer.W + layer.b) ** 2)


def forgot_to_store_dW(layer, grad):
    dz = grad * (1 - layer.a ** 2)
    dW = layer.x.T @ dz                           # a local variable: lost when the function returns
    layer.db = dz.sum(axis=0)
    return dz @ layer.W.T


def forgot_to_store_db(layer, grad):
    dz = grad * (1 - layer.a ** 2)
    layer.dW = layer.x.T @ dz
    return dz @ layer.W.T


def returns_nothing(layer, grad):
    dz = grad * (1 - layer.a ** 2)
    layer.dW = layer.x.T @ dz
    layer.db = dz.sum(axis=0)


def returns_all_three(layer, grad):
    dz = grad * (1 - layer.a ** 2)
    return layer.x.T @ dz, dz.sum(axis=0), dz @ layer.W.T


def dX_without_transpose(layer, grad):
    dz = grad * (1 - layer.a ** 2)
    layer.dW = layer.x.T @ dz
    layer.db = dz.sum(axis=0)
    return dz @ layer.W


def dX_transposed(layer, grad):
    dz = grad * (1 - layer.a ** 2)
    layer.dW = layer.x.T @ dz
    layer.db = dz.sum(axis=0)
    return layer.W @ dz.T


def fixed_db_mean(layer, grad):
    dz = grad * (1 - layer.a ** 2)
    layer.dW = layer.x.T @ dz
    layer.db = dz.mean(axis=0)
    return dz @ layer.W.T


def fixed_db_not_summed(layer, grad):
    dz = grad * (1 - layer.a ** 2)
    layer.dW = layer.x.T @ dz
    layer.db = dz
    return dz @ layer.W.T


def fixed_dW_transposed(layer, grad):
    dz = grad * (1 - layer.a ** 2)
    layer.dW = dz.T @ layer.x
    layer.db = dz.sum(axis=0)
    return dz @ layer.W.T


CASES = [
    (checks.check_dense_backward, [dense_right, dense_right_with_dot], [
        (dense_db_mean, "db: db should be the sum of the gradient over the batch, not its mean"),
        (dense_dW_transposed, "dW: dW = dZ.T @ X is dWᵀ, shape (n_out, n_in)"),
        (dense_dW_X_first, "dW: dW = X @ dZ: X must be transposed"),
        (dense_dX_no_transpose, "dX: dX = dZ @ W is missing .T"),
        (dense_dX_W_first, "dX = W.T @ dZ has the factors in the wrong order"),
        (dense_dX_transposed, "dX is transposed"),
        (dense_db_not_summed, "db is dZ itself, shape (n, n_out), not summed"),
        (dense_db_axis_1, "db is summed over axis 1"),
        (dense_db_total, "db is one number"),
        (dense_db_keepdims, "drop keepdims=True"),
        (dense_dW_averaged, "dW is divided by n"),
        (dense_dW_elementwise, "multiplies element by element"),
        (dense_other_order, "dW: this is dX, not dW: the three gradients are right but in another order"),
        (dense_db_first, "dW: this is db, not dW"),
        (dense_sign_flipped, "the sign is flipped"),
        (dense_two_values, "return 3 values, (dW, db, dX)"),
    ]),
    (checks.check_sigmoid_backward, [sigmoid_right, sigmoid_right_with_annlib], [
        (sigmoid_naive, "np.exp overflowed for z = ±1000"),
        (sigmoid_naive_other_form, "stable sigmoid"),
        (sigmoid_forgot_one_minus, "this is grad · σ(z), the sigmoid itself"),
        (sigmoid_forgot_grad, "grad is missing"),
        (sigmoid_z_one_minus_z, "the derivative is s(1−s) with s = σ(z), not z(1−z)"),
        (sigmoid_only_one_minus_s, "the factor s is missing"),
        (sigmoid_tanh_derivative, "the derivative of tanh"),
        (sigmoid_one_minus_s_squared, "the tanh rule written with s = σ(z)"),
        (sigmoid_matrix_product, "element-wise product"),
        (sigmoid_at_everywhere, "`@` and np.dot are matrix products"),
        (sigmoid_np_dot, "`@` and np.dot are matrix products"),
        (sigmoid_sign_flipped, "the sign is flipped"),
    ]),
    (checks.check_fixed_backward, [fixed_right, fixed_in_place, fixed_recomputed], [
        (the_buggy_one, "dX: dX is still the bug of buggy_backward"),
        (no_derivative, "tanh's local derivative is missing"),
        (derivative_one_minus_x2, "1 − x² uses the layer's input x"),
        (derivative_tanh_twice, "applies tanh twice"),
        (derivative_one_minus_a_squared, "not (1 − a)²"),
        (wrong_tanh_derivative, "the square is missing in 1 − a"),
        (derivative_of_sigmoid, "a(1 − a) is the sigmoid's derivative"),
        (derivative_of_z, "1 − z² uses the pre-activation"),
        (forgot_to_store_dW, "layer.dW: layer.dW is still all zeros"),
        (forgot_to_store_db, "layer.db: layer.db is still all zeros"),
        (returns_nothing, "did you forget `return`?"),
        (returns_all_three, "returns only ∂L/∂x"),
        (dX_without_transpose, "dX = dz @ layer.W is missing .T"),
        (dX_transposed, "dX is transposed"),
        (fixed_db_mean, "db should be the sum of the gradient over the batch, not its mean"),
        (fixed_db_not_summed, "layer.db is dz itself"),
        (fixed_dW_transposed, "layer.dW = dz.T @ x is transposed"),
    ]),
]


@pytest.mark.parametrize("check, rights, wrongs", CASES, ids=lambda v: getattr(v, "__name__", ""))
def test_accepts_right_and_names_each_mistake(check, rights, wrongs, capsys):
    results = assert_right_passes_and_each_mistake_is_named(check, rights, wrongs)
    for result in results:                          # outputs by name, not by position
        assert "value 1 of 3" not in result.message and "value 3 of 3" not in result.message


@pytest.mark.parametrize("check", [c[0] for c in CASES], ids=lambda c: c.__name__)
def test_stub_and_broken_functions_never_raise(check, capsys):
    assert_stub_and_broken_functions_never_raise(check, capsys)


def test_dense_backward_accepts_the_right_answer_and_runs_gradcheck(capsys):
    result = checks.check_dense_backward(dense_right)
    assert result.status == checks.CORRECT
    out = capsys.readouterr().out
    assert "gradient check PASSED" in out and "your dense.W" in out


def test_fixed_backward_runs_gradcheck_on_a_correct_answer(capsys):
    assert checks.check_fixed_backward(fixed_right).status == checks.CORRECT
    out = capsys.readouterr().out
    assert "gradient check PASSED" in out and "tanh_dense.W" in out


def test_the_numbers_stay_as_evidence_under_the_diagnosis(capsys):
    message = checks.check_dense_backward(dense_db_mean).message
    diagnosis, evidence = message.split("\n", 1)
    assert "db:" in diagnosis and "not its mean" in diagnosis
    assert "db: expected" in evidence and "got" in evidence and "largest difference" in evidence


def test_a_shape_error_outside_the_known_mistakes_is_translated(capsys):
    def dense_dX_odd(X, W, dZ):                   # works on the square case, fails on the next one
        return X.T @ dZ, dZ.sum(axis=0), (dZ @ W.T) if W.shape[0] == W.shape[1] else X @ dZ
    message = checks.check_dense_backward(dense_dX_odd).message
    assert "as many columns in A as rows in B" in message and "X has shape (4, 3)" in message


def test_fixed_backward_names_dX_only_for_the_buggy_version():
    message = checks.check_fixed_backward(the_buggy_one).message   # W and b good, input X wrong: as the hint says
    assert "dX:" in message and "layer.dW:" not in message and "layer.db:" not in message


def test_the_buggy_layer_fails_gradcheck_only_on_its_input_gradient():
    import annlib as A
    layer = checks.TanhDense(3, 2, backward=the_buggy_one)
    report = A.gradcheck(layer, np.random.default_rng(0).standard_normal((4, 3)))
    errors = report.errors()
    assert not report.passed
    assert errors["tanh_dense.W"] < 1e-7 and errors["tanh_dense.b"] < 1e-7 and errors["input X"] > 1e-2
    assert A.gradcheck(checks.TanhDense(3, 2, backward=fixed_right), np.ones((2, 3)) * 0.3).passed
