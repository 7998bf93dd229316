"""The notebook 5 exercise checks accept right answers, reject typical wrong ones, and never raise."""
import numpy as np
import pytest

from annlib import checks
from student_fakes import stub, explodes, garbage


# -- dense_backward ---------------------------------------------------------------------------------
def dense_right(X, W, dZ):
    return X.T @ dZ, dZ.sum(axis=0), dZ @ W.T


def dense_db_mean(X, W, dZ):
    return X.T @ dZ, dZ.mean(axis=0), dZ @ W.T


def dense_dW_transposed(X, W, dZ):
    return dZ.T @ X, dZ.sum(axis=0), dZ @ W.T


def dense_dX_no_transpose(X, W, dZ):
    return X.T @ dZ, dZ.sum(axis=0), dZ @ W         # fails (shapes) unless W is square, and is wrong then


def dense_db_not_summed(X, W, dZ):
    return X.T @ dZ, dZ, dZ @ W.T


def dense_dW_averaged(X, W, dZ):
    return X.T @ dZ / len(X), dZ.sum(axis=0), dZ @ W.T


def dense_two_values(X, W, dZ):
    return X.T @ dZ, dZ.sum(axis=0)


def test_dense_backward_accepts_the_right_answer_and_runs_gradcheck(capsys):
    result = checks.check_dense_backward(dense_right)
    assert result.status == checks.CORRECT
    out = capsys.readouterr().out
    assert "gradient check PASSED" in out and "your dense.W" in out


@pytest.mark.parametrize("wrong", [dense_db_mean, dense_dW_transposed, dense_dX_no_transpose, dense_db_not_summed,
                                   dense_dW_averaged, dense_two_values, explodes, garbage])
def test_dense_backward_rejects_typical_mistakes(wrong):
    assert checks.check_dense_backward(wrong).status == checks.WRONG


def test_dense_backward_reports_where_it_differs():
    message = checks.check_dense_backward(dense_db_mean).message
    assert "value 2 of 3" in message and "expected" in message and "got" in message


def test_dense_backward_stub_is_not_implemented():
    assert checks.check_dense_backward(stub).status == checks.NOT_IMPLEMENTED


# -- sigmoid_backward -------------------------------------------------------------------------------
def stable_sigmoid(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def sigmoid_right(z, grad):
    s = stable_sigmoid(z)
    return grad * s * (1 - s)


def sigmoid_naive(z, grad):                       # overflows in exp for z = -1000
    s = 1 / (1 + np.exp(-z))
    return grad * s * (1 - s)


def sigmoid_forgot_one_minus(z, grad):
    return grad * stable_sigmoid(z)


def sigmoid_forgot_grad(z, grad):
    s = stable_sigmoid(z)
    return s * (1 - s)


def sigmoid_tanh_derivative(z, grad):
    return grad * (1 - np.tanh(z) ** 2)


def sigmoid_matrix_product(z, grad):
    s = stable_sigmoid(z)
    return grad @ (s * (1 - s)).T if np.ndim(z) == 2 else grad * s * (1 - s)


def test_sigmoid_backward_accepts_the_right_answer():
    assert checks.check_sigmoid_backward(sigmoid_right).status == checks.CORRECT


@pytest.mark.parametrize("wrong", [sigmoid_naive, sigmoid_forgot_one_minus, sigmoid_forgot_grad,
                                   sigmoid_tanh_derivative, sigmoid_matrix_product, explodes, garbage])
def test_sigmoid_backward_rejects_typical_mistakes(wrong):
    assert checks.check_sigmoid_backward(wrong).status == checks.WRONG


def test_sigmoid_backward_names_the_overflow():
    assert "stable" in checks.check_sigmoid_backward(sigmoid_naive).message


def test_sigmoid_backward_stub_is_not_implemented():
    assert checks.check_sigmoid_backward(stub).status == checks.NOT_IMPLEMENTED


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


def the_buggy_one(layer, grad):                   # the notebook's bug: dX skips tanh's derivative
    dz = grad * (1 - layer.a ** 2)
    layer.dW = layer.x.T @ dz
    layer.db = dz.sum(axis=0)
    return grad @ layer.W.T


def forgot_to_store_dW(layer, grad):
    dz = grad * (1 - layer.a ** 2)
    layer.db = dz.sum(axis=0)
    return dz @ layer.W.T


def returns_nothing(layer, grad):
    dz = grad * (1 - layer.a ** 2)
    layer.dW = layer.x.T @ dz
    layer.db = dz.sum(axis=0)


def wrong_tanh_derivative(layer, grad):
    dz = grad * (1 - layer.a)
    layer.dW = layer.x.T @ dz
    layer.db = dz.sum(axis=0)
    return dz @ layer.W.T


@pytest.mark.parametrize("right", [fixed_right, fixed_in_place])
def test_fixed_backward_accepts_right_answers(right):
    assert checks.check_fixed_backward(right).status == checks.CORRECT


@pytest.mark.parametrize("wrong", [the_buggy_one, forgot_to_store_dW, returns_nothing, wrong_tanh_derivative,
                                   explodes, garbage])
def test_fixed_backward_rejects_typical_mistakes(wrong):
    assert checks.check_fixed_backward(wrong).status == checks.WRONG


def test_fixed_backward_points_at_dX_for_the_buggy_version():
    assert "value 3 of 3" in checks.check_fixed_backward(the_buggy_one).message


def test_fixed_backward_stub_is_not_implemented():
    assert checks.check_fixed_backward(stub).status == checks.NOT_IMPLEMENTED


def test_the_buggy_layer_fails_gradcheck_only_on_its_input_gradient():
    import annlib as A
    layer = checks.TanhDense(3, 2, backward=the_buggy_one)
    report = A.gradcheck(layer, np.random.default_rng(0).standard_normal((4, 3)))
    errors = report.errors()
    assert not report.passed
    assert errors["tanh_dense.W"] < 1e-7 and errors["tanh_dense.b"] < 1e-7 and errors["input X"] > 1e-2
    assert A.gradcheck(checks.TanhDense(3, 2, backward=fixed_right), np.ones((2, 3)) * 0.3).passed
