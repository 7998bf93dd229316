"""The notebook 4 exercise checks accept right answers, reject typical wrong ones, and never raise."""
import numpy as np
import pytest

from annlib import checks
from student_fakes import stub, explodes, garbage


# -- mse -------------------------------------------------------------------------------------------
def mse_right(y_pred, y_true):
    d = y_pred - y_true
    return np.mean(d ** 2), 2 * d / d.size


def mse_grad_per_sample(y_pred, y_true):          # divides by n rows, not all N entries
    d = y_pred - y_true
    return np.mean(d ** 2), 2 * d / len(d)


def mse_no_two(y_pred, y_true):
    d = y_pred - y_true
    return np.mean(d ** 2), d / d.size


def mse_sum(y_pred, y_true):
    d = y_pred - y_true
    return np.sum(d ** 2), 2 * d


def mse_grad_sign(y_pred, y_true):
    d = y_pred - y_true
    return np.mean(d ** 2), -2 * d / d.size


def mse_only_loss(y_pred, y_true):
    return np.mean((y_pred - y_true) ** 2)


# -- binary cross-entropy --------------------------------------------------------------------------
def bce_right(p, y):
    p = np.clip(p, 1e-12, 1 - 1e-12)
    return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))


def bce_unclipped(p, y):
    return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))


def bce_no_minus(p, y):
    p = np.clip(p, 1e-12, 1 - 1e-12)
    return np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))


def bce_only_positive_term(p, y):
    p = np.clip(p, 1e-12, 1 - 1e-12)
    return -np.mean(y * np.log(p))


def bce_sum(p, y):
    p = np.clip(p, 1e-12, 1 - 1e-12)
    return -np.sum(y * np.log(p) + (1 - y) * np.log(1 - p))


def bce_log10(p, y):
    p = np.clip(p, 1e-12, 1 - 1e-12)
    return -np.mean(y * np.log10(p) + (1 - y) * np.log10(1 - p))


# -- softmax cross-entropy -------------------------------------------------------------------------
def softmax_ce_right(z, y):
    shifted = z - z.max(axis=1, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return -np.mean(log_p[np.arange(len(y)), y])


def softmax_ce_naive(z, y):
    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    return -np.mean(np.log(p[np.arange(len(y)), y]))


def softmax_ce_shift_then_softmax(z, y):           # stable exp but takes log of a probability that is 0
    e = np.exp(z - z.max(axis=1, keepdims=True))
    p = e / e.sum(axis=1, keepdims=True)
    return -np.mean(np.log(p[np.arange(len(y)), y]))


def softmax_ce_sum(z, y):
    shifted = z - z.max(axis=1, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return -np.sum(log_p[np.arange(len(y)), y])


def softmax_ce_wrong_class(z, y):
    shifted = z - z.max(axis=1, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return -np.mean(log_p[:, 0])


def softmax_ce_all_entries(z, y):                  # -mean over every entry of log p
    shifted = z - z.max(axis=1, keepdims=True)
    return -np.mean(shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True)))


CASES = [
    (checks.check_mse, [mse_right], [mse_grad_per_sample, mse_no_two, mse_sum, mse_grad_sign, mse_only_loss]),
    (checks.check_binary_cross_entropy, [bce_right],
     [bce_unclipped, bce_no_minus, bce_only_positive_term, bce_sum, bce_log10]),
    (checks.check_softmax_cross_entropy, [softmax_ce_right],
     [softmax_ce_naive, softmax_ce_shift_then_softmax, softmax_ce_sum, softmax_ce_wrong_class, softmax_ce_all_entries]),
]


@pytest.mark.parametrize("check, rights, wrongs", CASES, ids=lambda v: getattr(v, "__name__", ""))
def test_accepts_right_and_rejects_wrong(check, rights, wrongs, capsys):
    for f in rights:
        result = check(f)
        assert result.status == checks.CORRECT, (f.__name__, result.message)
    for f in wrongs:
        result = check(f)
        assert result.status == checks.WRONG, (f.__name__, result.message)


@pytest.mark.parametrize("check", [c[0] for c in CASES], ids=lambda c: c.__name__)
def test_stub_and_broken_functions_never_raise(check, capsys):
    assert check(stub).status == checks.NOT_IMPLEMENTED
    assert check(explodes).status == checks.WRONG
    assert check(garbage).status == checks.WRONG
    assert check(lambda *a: None).status == checks.WRONG


def test_messages_name_the_problem(capsys):
    assert "overflow" in checks.check_softmax_cross_entropy(softmax_ce_naive).message
    msg = checks.check_binary_cross_entropy(bce_unclipped).message
    assert "confident and wrong" in msg or "confident and right" in msg
    assert "expected 2 values" in checks.check_mse(mse_only_loss).message


def test_bce_accepts_clip_written_differently(capsys):
    def bce_where(p, y):
        p = np.minimum(np.maximum(p, 1e-12), 1 - 1e-12)
        return -np.mean(np.where(y == 1, np.log(p), np.log1p(-p)))
    assert checks.check_binary_cross_entropy(bce_where).status == checks.CORRECT
