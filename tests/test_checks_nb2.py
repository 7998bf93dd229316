"""The notebook 2 exercise checks accept right answers, reject typical wrong ones, and never raise."""
import numpy as np
import pytest

import annlib as A
from annlib import checks
from student_fakes import (assert_right_passes_and_each_mistake_is_named, assert_stub_and_broken_functions_never_raise,
                           explodes, garbage, returns_none, stub)


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
    assert "z = 0" in result.message and "got:      1" in result.message


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


def softmax_global_max(z):                           # right (any shift cancels); underflows rows ~745 below the max
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


@pytest.mark.parametrize("right", [softmax_right, lambda z: A.softmax(z), A.Softmax().f, softmax_global_max])
def test_softmax_accepts_right_answers(right):
    assert checks.check_softmax(right).passed


def test_softmax_with_the_batch_maximum_passes_with_a_note_on_where_it_fails(capsys):
    result = checks.check_softmax(softmax_global_max)
    assert result.passed and "note:" in result.message and "each row's" in result.message
    assert "note:" in capsys.readouterr().out
    assert "note:" not in checks.check_softmax(softmax_right).message


@pytest.mark.parametrize("wrong", [softmax_naive, softmax_whole_batch, softmax_columns,
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


# -- each typical mistake is named -------------------------------------------------------------------
def relu_in_place(x):
    x[x < 0] = 0                                     # right values, but the caller's array is changed
    return x


def relu_python_max(x):
    return max(0, x)


def relu_np_max(x):
    return np.max(x, 0)                              # the maximum along axis 0, not max(0, x)


def relu_mask(x):
    return x > 0


def relu_int(x):
    return np.maximum(x, 0).astype(int)


def relu_flat(x):
    return np.maximum(x, 0).ravel()


def relu_small_slope(x):
    return np.where(x > 0, x, 0.2 * x)


def relu_derivative_in_place(x):
    x[x > 0] = 1
    x[x <= 0] = 0
    return x


def relu_derivative_if(x):
    if x > 0:
        return 1.0
    return 0.0


def sigmoid_exp_form(x):                             # overflows at x = +1000
    return np.exp(x) / (1 + np.exp(x))


def sigmoid_branches_swapped(x):
    u = np.exp(-np.abs(x))
    return np.where(x >= 0, u / (1 + u), 1 / (1 + u))


def sigmoid_negative_branch_wrong(x):
    u = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + u), 1 / (1 + u))


def sigmoid_if(x):
    if x >= 0:
        return 1 / (1 + np.exp(-x))
    return np.exp(x) / (1 + np.exp(x))


def sigmoid_math(x):
    import math
    return 1 / (1 + math.exp(-x))


def sigmoid_in_place(x):
    x *= -1
    return 1 / (1 + np.exp(np.clip(x, -500, 500)))


def softmax_in_place(z):
    z -= z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def softmax_sigmoid(z):
    return A.Sigmoid().f(z)


def softmax_unnormalised(z):
    return np.exp(z - z.max(axis=1, keepdims=True))


def softmax_no_exp(z):
    return z / z.sum(axis=1, keepdims=True)


def softmax_max_without_keepdims(z):
    e = np.exp(z - z.max(axis=1))
    return e / e.sum(axis=1, keepdims=True)


def softmax_row_min(z):                              # any shift cancels, but e^(max - min) overflows
    e = np.exp(z - z.min(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def softmax_rows_in_a_loop(z):                       # slow but right
    out = np.empty_like(z)
    for i, row in enumerate(z):
        e = np.exp(row - max(row))
        out[i] = e / e.sum()
    return out


MISTAKES = [
    (checks.check_relu, [lambda x: np.maximum(x, 0), lambda x: np.clip(x, 0, None), lambda x: (x + np.abs(x)) / 2], [
        (relu_in_place, "changed the array it was given"),
        (relu_python_max, "use np.maximum(z, 0)"),
        (relu_np_max, "np.max(z, 0)"),
        (relu_mask, "that is ReLU's derivative"),
        (np.abs, "this is |z|"),
        (lambda x: x, "negative inputs come out unchanged"),
        (np.negative, "wrong result"),                               # no known mistake: numbers only
        (lambda x: np.minimum(x, 0), "np.minimum(z, 0) keeps the negative part"),
        (lambda x: np.maximum(x, 0.01 * x), "this is LeakyReLU"),
        (relu_small_slope, "negative inputs do not give 0"),
        (relu_int, "rounded to whole numbers"),
        (relu_flat, "not shaped like z"),
        (lambda x: np.array(max(0.0, float(np.max(x)))), "one number came back"),
    ]),
    (checks.check_relu_derivative, [lambda x: (x > 0).astype(float), lambda x: np.where(x > 0, 1, 0),
                                    lambda x: np.heaviside(x, 0.0)], [
        (relu_derivative_in_place, "changed the array it was given"),
        (lambda x: x > 0, "True/False"),
        (lambda x: np.maximum(x, 0), "this is relu(z) itself"),
        (lambda x: (x >= 0).astype(float), "relu'(0) = 0"),
        (lambda x: np.heaviside(x, 0.5), "your slope is 0.5"),
        (lambda x: A.Sigmoid().df(x), "the sigmoid's derivative"),
        (np.ones_like, "1 everywhere"),
        (np.sign, "np.sign(z) is −1"),
        (lambda x: (x < 0).astype(float), "the other way round"),
        (relu_derivative_if, "work element by element"),
    ]),
    (checks.check_sigmoid, [sigmoid_stable, sigmoid_tanh], [
        (sigmoid_naive, "overflows for large negative z"),
        (sigmoid_exp_form, "overflows for large positive z"),
        (sigmoid_where_both_branches, "computes both A and B"),
        (sigmoid_sign_error, "σ(−z)"),
        (sigmoid_branches_swapped, "branches of np.where are swapped"),
        (sigmoid_negative_branch_wrong, "for z < 0 you get σ(|z|)"),
        (np.tanh, "this is tanh(z)"),
        (sigmoid_clipped_too_tight, "clipping hides the overflow but changes the values"),
        (sigmoid_if, "pick per element with np.where"),
        (sigmoid_math, "np.exp"),
        (sigmoid_in_place, "changed the array it was given"),
    ]),
    (checks.check_softmax, [softmax_right, softmax_global_max, softmax_rows_in_a_loop], [
        (softmax_columns, "over axis 1"),
        (softmax_columns, "each row should sum to 1"),
        (softmax_whole_batch, "your whole batch sums to 1"),
        (softmax_naive, "subtract each row's maximum"),
        (softmax_no_keepdims, "keepdims=True"),
        (softmax_max_without_keepdims, "keepdims=True"),
        (softmax_sigmoid, "this is the sigmoid"),
        (softmax_unnormalised, "does not sum to 1"),
        (np.exp, "divide e^z by the sum of its row"),
        (softmax_no_exp, "the exponential is missing"),
        (softmax_in_place, "changed the array it was given"),
        (softmax_row_min, "wide spread"),
    ]),
]


@pytest.mark.parametrize("check, rights, wrongs", MISTAKES, ids=lambda v: getattr(v, "__name__", ""))
def test_accepts_right_and_names_each_mistake(check, rights, wrongs):
    assert_right_passes_and_each_mistake_is_named(check, rights, wrongs)


def test_the_in_place_relu_is_shown_with_the_caller_s_array_before_and_after():
    result = checks.check_relu(relu_in_place)
    assert "before the call" in result.message and "after the call" in result.message
    assert "np.maximum(z, 0)" in result.message


def test_the_naive_softmax_names_the_overflow_and_the_very_negative_underflow():
    def shifts_only_positive_rows(z):                # no overflow, but 0/0 for very negative rows
        e = np.exp(z - np.maximum(z.max(axis=1, keepdims=True), 0))
        return e / e.sum(axis=1, keepdims=True)
    result = checks.check_softmax(shifts_only_positive_rows)
    assert "divided 0 by 0" in result.message and "very negative logits" in result.message


# -- bring your own: every change of the student's is said in words ------------------------------------
@pytest.mark.parametrize("f, df, phrase", [
    (softsign, lambda z: 2 * softsign_derivative(z), "constant multiple of the slope of f measured numerically"),
    (np.sin, lambda z: -np.cos(z), "wrong sign"),
    (softsign, softsign, "returns f itself"),
    (lambda z: z ** 2, lambda z: z ** 3, "(f(z + h) − f(z − h)) / 2h"),
    (softsign, lambda z: softsign_derivative(z)[:-1], "one slope per point"),
    (softsign, lambda z: softsign_derivative(z) * np.nan, "NaN or inf"),
    (softsign, lambda z: z > 0, "True/False"),
    (softsign, explodes, "KeyError"),
    (softsign, returns_none, "forget `return`"),
    (lambda z: z[:-1], softsign_derivative, "the shapes must match"),
    (np.log, softsign_derivative, "NaN or inf at 40 of 80 points"),
    (lambda z: z * np.nan, softsign_derivative, "NaN or inf at 80 of 80 points"),
    (lambda z: 1 / 0, softsign_derivative, "ZeroDivisionError"),
    (returns_none, softsign_derivative, "forget `return`"),
    (garbage, softsign_derivative, "array of numbers"),
    (lambda z: z > 0, softsign_derivative, "True/False"),
    (relu_in_place, A.ReLU().df, "changed the array it was given"),
    (A.ReLU().f, relu_derivative_in_place, "changed the array it was given"),
])
def test_derivative_says_what_is_wrong_and_never_raises(f, df, phrase):
    result = checks.check_derivative(f, df, name="mine")
    assert result.status == checks.WRONG and result.message.startswith("❌ mine"), result.message
    assert phrase in result.message, result.message
