"""The notebook 2 exercise checks accept right answers, reject typical wrong ones, and never raise."""
import numpy as np
import pytest

import annlib as A
from annlib import checks
from student_fakes import stub, explodes, garbage, returns_none


@pytest.fixture(autouse=True)
def quiet(capsys):
    yield
    capsys.readouterr()


# -- relu and its derivative -------------------------------------------------------------------------
@pytest.mark.parametrize("right", [lambda x: np.maximum(x, 0), lambda x: np.where(x > 0, x, 0.0),
                                   lambda x: x * (x > 0), A.ReLU().f])
def test_relu_accepts_right_answers(right):
    assert checks.check_relu(right).passed


@pytest.mark.parametrize("wrong", [
    lambda x: x,                                     # returns x for negatives
    lambda x: np.abs(x),
    lambda x: np.maximum(x, 0).ravel(),              # loses the shape of a batch
    lambda x: np.array(max(0.0, float(np.max(x)))),  # Python max: one number, not element-wise
    lambda x: np.maximum(x, 0.01 * x),               # that is LeakyReLU
])
def test_relu_rejects_typical_mistakes(wrong):
    assert checks.check_relu(wrong).status == checks.WRONG


@pytest.mark.parametrize("right", [lambda x: (x > 0).astype(float), lambda x: np.where(x > 0, 1.0, 0.0),
                                   A.ReLU().df])
def test_relu_derivative_accepts_right_answers(right):
    assert checks.check_relu_derivative(right).passed


@pytest.mark.parametrize("wrong", [
    lambda x: 2.0 * (x > 0),                         # off by a factor
    lambda x: (x >= 0).astype(float),                # 1 at x = 0 (the notebook asks for 0, as PyTorch)
    lambda x: np.maximum(x, 0),                      # the function, not its derivative
    lambda x: np.ones_like(x),
])
def test_relu_derivative_rejects_typical_mistakes(wrong):
    result = checks.check_relu_derivative(wrong)
    assert result.status == checks.WRONG
    assert "expected" in result.message


def test_relu_derivative_names_the_input_where_it_differs():
    result = checks.check_relu_derivative(lambda x: (x >= 0).astype(float))
    assert "x = 0" in result.message and "got:      1" in result.message


# -- stable sigmoid ----------------------------------------------------------------------------------
def sigmoid_stable(x):
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))


def sigmoid_tanh(x):                                 # another stable form: σ(x) = (1 + tanh(x/2)) / 2
    return 0.5 * (1 + np.tanh(0.5 * x))


def sigmoid_naive(x):
    return 1 / (1 + np.exp(-x))


def sigmoid_where_both_branches(x):                  # np.where evaluates both sides: still overflows
    return np.where(x >= 0, 1 / (1 + np.exp(-x)), np.exp(x) / (1 + np.exp(x)))


def sigmoid_clipped_too_tight(x):                    # clipping hides the overflow but changes values
    return 1 / (1 + np.exp(-np.clip(x, -5, 5)))


def sigmoid_sign_error(x):
    return 1 / (1 + np.exp(np.clip(x, -500, 500)))


@pytest.mark.parametrize("right", [sigmoid_stable, sigmoid_tanh, A.Sigmoid().f,
                                   lambda x: 1 / (1 + np.exp(-np.clip(x, -500, 500)))])
def test_sigmoid_accepts_stable_forms(right):
    result = checks.check_sigmoid(right)
    assert result.passed, result.message


def test_sigmoid_rejects_the_naive_form_that_overflows_at_minus_1000():
    with np.errstate(over="ignore"):
        assert sigmoid_naive(np.array(-1000.0)) == 0.0       # the value is even right; the overflow is not
    result = checks.check_sigmoid(sigmoid_naive)
    assert result.status == checks.WRONG
    assert "overflow" in result.message and "-1000" in result.message


@pytest.mark.parametrize("wrong", [sigmoid_where_both_branches, sigmoid_clipped_too_tight, sigmoid_sign_error,
                                   np.tanh])
def test_sigmoid_rejects_typical_mistakes(wrong):
    assert checks.check_sigmoid(wrong).status == checks.WRONG


# -- softmax for a batch -----------------------------------------------------------------------------
def softmax_right(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def softmax_naive(z):
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def softmax_global_max(z):                           # stable for one row, underflows rows far below the max
    e = np.exp(z - z.max())
    return e / e.sum(axis=1, keepdims=True)


def softmax_whole_batch(z):                          # normalises over the whole array, not per row
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum()


def softmax_columns(z):                              # axis 0: per class instead of per sample
    e = np.exp(z - z.max(axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


def softmax_no_keepdims(z):                          # (n, C) / (n,) broadcasts wrongly or fails
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1)


@pytest.mark.parametrize("right", [softmax_right, lambda z: A.softmax(z), A.Softmax().f])
def test_softmax_accepts_right_answers(right):
    assert checks.check_softmax(right).passed


@pytest.mark.parametrize("wrong", [softmax_naive, softmax_global_max, softmax_whole_batch, softmax_columns,
                                   softmax_no_keepdims, lambda z: z / z.sum(axis=1, keepdims=True)])
def test_softmax_rejects_typical_mistakes(wrong):
    assert checks.check_softmax(wrong).status == checks.WRONG


def test_softmax_names_the_overflow():
    result = checks.check_softmax(softmax_naive)
    assert "large logits" in result.message and "stable" in result.message


# -- bring your own: derivative against the numerical slope -----------------------------------------
def softsign(z):
    return z / (1 + np.abs(z))


def softsign_derivative(z):
    return 1 / (1 + np.abs(z)) ** 2


@pytest.mark.parametrize("f, df", [(softsign, softsign_derivative), (np.sin, np.cos), (A.GELU().f, A.GELU().df),
                                   (A.ELU().f, A.ELU().df), (A.Tanh().f, A.Tanh().df), (A.ReLU().f, A.ReLU().df)])
def test_derivative_accepts_right_pairs(f, df):
    assert checks.check_derivative(f, df).passed


@pytest.mark.parametrize("f, df", [
    (softsign, lambda z: 2 * softsign_derivative(z)),                     # off by a factor
    (np.sin, lambda z: -np.cos(z)),                                       # sign error
    (softsign, softsign),                                                 # f instead of f'
    (A.ELU().f, lambda z: np.where(z > 0, 1.0, np.exp(z) - 1)),           # wrong only for z < 0
    (A.Sigmoid().f, lambda z: A.Sigmoid().f(z) * (1 - A.Sigmoid().f(z)) + (z > 0) * 0.01),  # wrong only for z > 0
])
def test_derivative_rejects_wrong_pairs(f, df):
    assert checks.check_derivative(f, df).status == checks.WRONG


def test_derivative_stub_and_broken_f():
    assert checks.check_derivative(stub, softsign_derivative).status == checks.NOT_IMPLEMENTED
    assert checks.check_derivative(softsign, stub).status == checks.NOT_IMPLEMENTED
    assert checks.check_derivative(explodes, softsign_derivative).status == checks.WRONG
    assert checks.check_derivative(lambda z: z.sum(), softsign_derivative).status == checks.WRONG
    assert checks.check_derivative(softsign, garbage).status == checks.WRONG


# -- all nb2 checks: stubs, crashes, garbage ---------------------------------------------------------
NB2_CHECKS = [checks.check_relu, checks.check_relu_derivative, checks.check_sigmoid, checks.check_softmax]


@pytest.mark.parametrize("check", NB2_CHECKS)
def test_stub_is_reported_as_not_implemented(check):
    result = check(stub)
    assert result.status == checks.NOT_IMPLEMENTED
    assert "not yet implemented" in result.message


@pytest.mark.parametrize("check", NB2_CHECKS)
@pytest.mark.parametrize("bad", [explodes, garbage, returns_none, lambda x: x * np.nan, lambda x: x[None]])
def test_never_raises_on_broken_functions(check, bad):
    result = check(bad)
    assert result.status == checks.WRONG
    assert result.message.startswith("❌")


def test_relu_derivative_explains_the_convention_at_zero(capsys):
    result = checks.check_relu_derivative(lambda x: (x >= 0).astype(float))
    assert "relu'(0) = 0" in capsys.readouterr().out and "relu'(0) = 0" in result.message
    checks.check_relu_derivative(lambda x: 2.0 * (x > 0))                 # wrong elsewhere too: no note
    assert "relu'(0) = 0" not in capsys.readouterr().out
