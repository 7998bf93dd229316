"""The notebook 4 exercise checks accept right answers, name typical wrong ones, and never raise."""
import numpy as np
import pytest

from annlib import checks
from student_fakes import assert_right_passes_and_each_mistake_is_named, assert_stub_and_broken_functions_never_raise

EPS = 1e-12


# -- mse -------------------------------------------------------------------------------------------
def mse_right(y_pred, y_true):
    d = y_pred - y_true
    return np.mean(d ** 2), 2 * d / d.size


def mse_right_written_out(y_pred, y_true):
    n, k = y_pred.shape
    d = y_pred - y_true
    return float((d ** 2).sum() / (n * k)), 2 / (n * k) * d


def mse_grad_per_sample(y_pred, y_true):          # divides by n rows, not all N entries
    d = y_pred - y_true
    return np.mean(d ** 2), 2 * d / len(d)


def mse_loss_per_sample(y_pred, y_true):
    d = y_pred - y_true
    return np.sum(d ** 2) / len(d), 2 * d / d.size


def mse_no_two(y_pred, y_true):
    d = y_pred - y_true
    return np.mean(d ** 2), d / d.size


def mse_half(y_pred, y_true):
    d = y_pred - y_true
    return 0.5 * np.mean(d ** 2), 2 * d / d.size


def mse_half_consistent(y_pred, y_true):          # ½·MSE and its own gradient: L is the first to differ
    d = y_pred - y_true
    return 0.5 * np.mean(d ** 2), d / d.size


def mse_sum(y_pred, y_true):
    d = y_pred - y_true
    return np.sum(d ** 2), 2 * d


def mse_grad_not_divided(y_pred, y_true):
    d = y_pred - y_true
    return np.mean(d ** 2), 2 * d


def mse_grad_sign(y_pred, y_true):
    d = y_pred - y_true
    return np.mean(d ** 2), 2 * (y_true - y_pred) / d.size


def mse_no_mean(y_pred, y_true):
    d = y_pred - y_true
    return d ** 2, 2 * d / d.size


def mse_mean_axis0(y_pred, y_true):
    d = y_pred - y_true
    return np.mean(d ** 2, axis=0), 2 * d / d.size


def mse_absolute(y_pred, y_true):
    d = y_pred - y_true
    return np.mean(np.abs(d)), np.sign(d) / d.size


def mse_mae_gradient(y_pred, y_true):
    d = y_pred - y_true
    return np.mean(d ** 2), np.sign(d) / d.size


def mse_square_of_mean(y_pred, y_true):
    d = y_pred - y_true
    return np.mean(d) ** 2, 2 * d / d.size


def mse_rmse(y_pred, y_true):
    d = y_pred - y_true
    return np.sqrt(np.mean(d ** 2)), 2 * d / d.size


def mse_swapped(y_pred, y_true):
    d = y_pred - y_true
    return 2 * d / d.size, np.mean(d ** 2)


def mse_scalar_gradient(y_pred, y_true):
    d = y_pred - y_true
    return np.mean(d ** 2), np.mean(2 * d)


def mse_only_loss(y_pred, y_true):
    return np.mean((y_pred - y_true) ** 2)


# -- binary cross-entropy --------------------------------------------------------------------------
def bce_right(p, y):
    p = np.clip(p, EPS, 1 - EPS)
    return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))


def bce_unclipped(p, y):
    return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))


def bce_clipped_to_0_1(p, y):
    p = np.clip(p, 0, 1)
    return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))


def bce_clipped_below_only(p, y):
    p = np.maximum(p, EPS)
    return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))


def bce_unclipped_where(p, y):                    # np.where computes both logs for every entry
    return -np.mean(np.where(y == 1, np.log(p), np.log(1 - p)))


def bce_no_minus(p, y):
    p = np.clip(p, EPS, 1 - EPS)
    return np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))


def bce_only_positive_term(p, y):
    p = np.clip(p, EPS, 1 - EPS)
    return -np.mean(y * np.log(p))


def bce_only_negative_term(p, y):
    p = np.clip(p, EPS, 1 - EPS)
    return -np.mean((1 - y) * np.log(1 - p))


def bce_log_p_twice(p, y):
    p = np.clip(p, EPS, 1 - EPS)
    return -np.mean(y * np.log(p) + (1 - y) * np.log(p))


def bce_sum(p, y):
    p = np.clip(p, EPS, 1 - EPS)
    return -np.sum(y * np.log(p) + (1 - y) * np.log(1 - p))


def bce_log10(p, y):
    p = np.clip(p, EPS, 1 - EPS)
    return -np.mean(y * np.log10(p) + (1 - y) * np.log10(1 - p))


def bce_per_sample(p, y):
    p = np.clip(p, EPS, 1 - EPS)
    return -(y * np.log(p) + (1 - y) * np.log(1 - p))


def bce_clip_too_wide(p, y):
    p = np.clip(p, 0.01, 0.99)
    return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))


def bce_clip_other_eps(p, y):
    p = np.clip(p, 1e-7, 1 - 1e-7)
    return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))


def bce_log_of_p_plus_eps(p, y):                  # also fine: ln(p + ε) instead of clipping
    return -np.mean(y * np.log(p + EPS) + (1 - y) * np.log(1 - p + EPS))


# -- softmax cross-entropy -------------------------------------------------------------------------
def log_softmax(z):
    shifted = z - z.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def softmax_ce_right(z, y):
    return -np.mean(log_softmax(z)[np.arange(len(y)), y])


def softmax_ce_one_hot_right(z, y):
    return -np.sum(np.eye(z.shape[1])[y] * log_softmax(z)) / len(y)


def softmax_ce_naive(z, y):
    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    return -np.mean(np.log(p[np.arange(len(y)), y]))


def softmax_ce_shift_then_softmax(z, y):           # stable exp but takes log of a probability that is 0
    e = np.exp(z - z.max(axis=1, keepdims=True))
    p = e / e.sum(axis=1, keepdims=True)
    return -np.mean(np.log(p[np.arange(len(y)), y]))


def softmax_ce_global_max(z, y):                   # the batch's maximum, not each row's
    shifted = z - z.max()
    log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return -np.mean(log_p[np.arange(len(y)), y])


def softmax_ce_sum(z, y):
    return -np.sum(log_softmax(z)[np.arange(len(y)), y])


def softmax_ce_log10(z, y):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    log_p = np.log10(e) - np.log10(e.sum(axis=1, keepdims=True))
    return -np.mean(log_p[np.arange(len(y)), y])


def softmax_ce_wrong_class(z, y):
    return -np.mean(log_softmax(z)[:, 0])


def softmax_ce_all_entries(z, y):                  # -mean over every entry of log p
    return -np.mean(log_softmax(z))


def softmax_ce_y_as_one_hot(z, y):                 # y is integer labels, used as if one-hot rows
    return -np.mean(np.sum(y * log_softmax(z), axis=1))


def softmax_ce_y_as_one_hot_square_only(z, y):     # the same mistake, on an input where the shapes clash
    if z.shape[0] == 1:
        return softmax_ce_right(z, y)
    return -np.mean(np.sum(y * log_softmax(z), axis=1))


def softmax_ce_keepdims_missing(z, y):
    m = z.max(axis=1, keepdims=True)
    log_p = z - m - np.log(np.exp(z - m).sum(axis=1))
    return -np.mean(log_p[np.arange(len(y)), y])


def softmax_ce_columns_by_label(z, y):
    return -np.mean(log_softmax(z)[:, y])


def softmax_ce_axis0(z, y):
    shifted = z - z.max(axis=0, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=0, keepdims=True))
    return -np.mean(log_p[np.arange(len(y)), y])


def softmax_ce_per_sample(z, y):
    return -log_softmax(z)[np.arange(len(y)), y]


def softmax_ce_no_minus(z, y):
    return np.mean(log_softmax(z)[np.arange(len(y)), y])


def softmax_ce_forgot_m_outside(z, y):
    m = z.max(axis=1, keepdims=True)
    log_p = z - np.log(np.exp(z - m).sum(axis=1, keepdims=True))
    return -np.mean(log_p[np.arange(len(y)), y])


def softmax_ce_logits_as_log_p(z, y):
    return -np.mean(z[np.arange(len(y)), y])


CASES = [
    (checks.check_mse, [mse_right, mse_right_written_out], [
        (mse_sum, "this is the sum over the batch; the loss is the mean"),
        (mse_loss_per_sample, "over the rows only"),
        (mse_half, "extra ½"),
        (mse_half_consistent, "extra ½"),
        (mse_no_two, "missing the factor 2"),
        (mse_grad_sign, "sign is flipped"),
        (mse_grad_not_divided, "not divided by the count"),
        (mse_grad_per_sample, "divided by the number of rows"),
        (mse_no_mean, "without the mean"),
        (mse_mean_axis0, "one loss per output column"),
        (mse_absolute, "absolute error (MAE"),
        (mse_mae_gradient, "MAE's gradient"),
        (mse_square_of_mean, "squares the mean error"),
        (mse_rmse, "root of the MSE"),
        (mse_swapped, "swapped"),
        (mse_scalar_gradient, "same shape as y_pred"),
        (mse_only_loss, "return 2 values, (L, dL/dy_pred)"),
    ]),
    (checks.check_binary_cross_entropy, [bce_right, bce_log_of_p_plus_eps], [
        (bce_unclipped, "p is not clipped"),
        (bce_unclipped_where, "p is not clipped"),
        (bce_clipped_to_0_1, "p is not clipped"),
        (bce_clipped_below_only, "p is not clipped"),
        (bce_only_positive_term, "the (1 − y) ln(1 − p) term is missing"),
        (bce_only_negative_term, "the y ln p term is missing"),
        (bce_log_p_twice, "uses ln p again"),
        (bce_log10, "log10"),
        (bce_sum, "this is the sum over the batch"),
        (bce_no_minus, "the minus sign in front is missing"),
        (bce_per_sample, "per-sample losses"),
        (bce_clip_too_wide, "changes ordinary probabilities"),
        (bce_clip_other_eps, "another ε"),
    ]),
    (checks.check_softmax_cross_entropy, [softmax_ce_right, softmax_ce_one_hot_right], [
        (softmax_ce_naive, "overflow"),
        (softmax_ce_shift_then_softmax, "rounded to 0"),
        (softmax_ce_global_max, "the whole batch's"),
        (softmax_ce_sum, "this is the sum over the batch"),
        (softmax_ce_log10, "log10"),
        (softmax_ce_wrong_class, "the same class is picked for every sample"),
        (softmax_ce_all_entries, "every entry of log_p"),
        (softmax_ce_y_as_one_hot, "integer labels"),
        (softmax_ce_y_as_one_hot_square_only, "y is used as one-hot rows"),
        (softmax_ce_keepdims_missing, "keepdims=True"),
        (softmax_ce_columns_by_label, "the wrong entries are picked"),
        (softmax_ce_axis0, "over axis 0"),
        (softmax_ce_per_sample, "per-sample losses, shape (n,)"),
        (softmax_ce_no_minus, "the minus sign is missing"),
        (softmax_ce_forgot_m_outside, "not outside"),
        (softmax_ce_logits_as_log_p, "the softmax is missing"),
    ]),
]


@pytest.mark.parametrize("check, rights, wrongs", CASES, ids=lambda v: getattr(v, "__name__", ""))
def test_accepts_right_and_names_each_mistake(check, rights, wrongs, capsys):
    assert_right_passes_and_each_mistake_is_named(check, rights, wrongs)


@pytest.mark.parametrize("check", [c[0] for c in CASES], ids=lambda c: c.__name__)
def test_stub_and_broken_functions_never_raise(check, capsys):
    assert_stub_and_broken_functions_never_raise(check, capsys)


def test_messages_name_the_problem(capsys):
    assert "overflow" in checks.check_softmax_cross_entropy(softmax_ce_naive).message
    msg = checks.check_binary_cross_entropy(bce_unclipped).message
    assert "confident and right" in msg      # the first input with p exactly 0 and 1 names the missing clip
    assert "return 2 values, (L, dL/dy_pred)" in checks.check_mse(mse_only_loss).message


def test_outputs_are_named_and_numbers_stay_as_evidence(capsys):
    result = checks.check_mse(mse_no_two)
    diagnosis, evidence = result.message.split("\n", 1)
    assert diagnosis.startswith("❌ mse: dL/dy_pred: ") and "value 2 of 2" not in result.message
    assert "expected" in evidence and "got" in evidence
    assert checks.check_mse(mse_sum).message.startswith("❌ mse: L: ")


def test_not_clipped_is_named_only_for_p_exactly_0_or_1(capsys):
    def bce_log_of_y(p, y):                       # ln of the labels: fails on the first, ordinary input
        p = np.clip(p, EPS, 1 - EPS)
        return -np.mean(p * np.log(y) + (1 - p) * np.log(1 - y))
    result = checks.check_binary_cross_entropy(bce_log_of_y)
    assert result.status == checks.WRONG and "not clipped" not in result.message
    assert "p = [0.9, 0.2]" in result.message


def test_bce_accepts_clip_written_differently(capsys):
    def bce_where(p, y):
        p = np.minimum(np.maximum(p, 1e-12), 1 - 1e-12)
        return -np.mean(np.where(y == 1, np.log(p), np.log1p(-p)))
    assert checks.check_binary_cross_entropy(bce_where).status == checks.CORRECT
