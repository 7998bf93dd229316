"""Checks of notebook 4 (losses): MSE with its gradient, binary cross-entropy with clipped
probabilities, and a stable softmax cross-entropy on logits.

Each check lists the typical wrong answers of its exercise (``Mistake``s, see ``_check.py``) and names the
one the student's result shows. A few mistakes can only be told apart by *which input* made the student's
code fail (an unclipped ln fails on p exactly 0 or 1, a batch-wide maximum on rows of very different
scales): ``_FailsOn`` is a Mistake that is shown by an error raised on such an input only.
"""
import numpy as np

from ._check import Mistake, run_check, same


class _FailsOn(Mistake):
    """A mistake shown by the student's code raising ``error`` (text matching ``match``) on an input for
    which ``when(*args)`` is true. ``_watch`` wraps the student's function so that the input is known."""

    def __init__(self, says, error, when, match=None, seen=None):
        super().__init__(says, error=error, match=match)
        self.when, self.seen = when, seen

    def raised(self, e):
        args = self.seen.get("args") if self.seen is not None else None
        if not super().raised(e) or args is None:
            return False
        try:
            return bool(self.when(*args))
        except Exception:
            return False


def _watch(student):
    """(the student's function, remembering each call's arguments; the dict they are kept in)."""
    seen = {}

    def watched(*args):
        seen["args"] = args
        return student(*args)

    watched.__name__ = getattr(student, "__name__", "your function")
    return watched, seen


# -- Exercise 1: mse -------------------------------------------------------------------------------
def _mse_reference(y_pred, y_true):
    from ..losses import MSELoss
    loss = MSELoss()
    return loss.forward(y_pred, y_true), loss.backward()


def _d(y_pred, y_true):
    return y_pred - y_true


_MSE_MISTAKES = [
    # L
    Mistake("this is the sum over the batch; the loss is the mean: divide the sum of squared errors by N = "
            "y_pred.size (or use np.mean), so that L does not grow with the batch size.",
            result=lambda p, t: np.sum(_d(p, t) ** 2), output="L"),
    Mistake("the mean is taken over the rows only (divided by n = len(y_pred)): the mean runs over all N = n·k "
            "entries, samples × outputs, so divide by y_pred.size (np.mean does that).",
            result=lambda p, t: np.sum(_d(p, t) ** 2) / len(p), output="L"),
    Mistake("L has an extra ½: that is another convention (½·MSE, whose gradient is d/N); this notebook's MSE "
            "is mean(d²) without ½, and its gradient 2d/N.",
            result=lambda p, t: np.mean(_d(p, t) ** 2) / 2, output="L"),
    Mistake("L must be one number: these are the squared errors of every entry, without the mean; "
            "L = mean((y_pred − y_true)²).", result=lambda p, t: _d(p, t) ** 2, output="L"),
    Mistake("L must be one number: this is the mean over axis 0, one loss per output column; take the mean over "
            "all entries (np.mean without axis).", result=lambda p, t: np.mean(_d(p, t) ** 2, axis=0), output="L"),
    Mistake("L must be one number: this is the mean over axis 1, one loss per sample; take the mean over all "
            "entries (np.mean without axis).", result=lambda p, t: np.mean(_d(p, t) ** 2, axis=1), output="L"),
    Mistake("this is the absolute error (MAE, mean |d|); MSE squares the errors: mean((y_pred − y_true)²).",
            result=lambda p, t: np.mean(np.abs(_d(p, t))), output="L"),
    Mistake("this squares the mean error, (mean d)²; MSE is the mean of the squared errors, mean(d²).",
            result=lambda p, t: np.mean(_d(p, t)) ** 2, output="L"),
    Mistake("this is the root of the MSE (RMSE); the loss here is the MSE itself, without np.sqrt.",
            result=lambda p, t: np.sqrt(np.mean(_d(p, t) ** 2)), output="L"),
    Mistake("the two results are swapped: return (L, dL_dy_pred), the loss first.",
            result=lambda p, t: 2 * _d(p, t) / _d(p, t).size, output="L"),
    # dL/dy_pred
    Mistake("the gradient is missing the factor 2: the derivative of d² is 2d, so dL/dy_pred = 2 (y_pred − "
            "y_true) / N (d/N is the gradient of ½·MSE, not of this L).",
            result=lambda p, t: _d(p, t) / _d(p, t).size, output="dL/dy_pred"),
    Mistake("the gradient's sign is flipped: this is 2 (y_true − y_pred) / N. With d = y_pred − y_true, "
            "dL/dy_pred = +2d / N: a prediction that is too high gets a positive gradient, so a step against "
            "the gradient lowers it.",
            result=lambda p, t: -2 * _d(p, t) / _d(p, t).size, output="dL/dy_pred"),
    Mistake("the gradient is not divided by the count N: 2d is the gradient of the sum; the loss is the mean, "
            "so dL/dy_pred = 2d / N with N = y_pred.size.",
            result=lambda p, t: 2 * _d(p, t), output="dL/dy_pred"),
    Mistake("the gradient is divided by the number of rows n = len(y_pred); L is the mean over all N = n·k "
            "entries, so divide by N = y_pred.size.",
            result=lambda p, t: 2 * _d(p, t) / len(p), output="dL/dy_pred"),
    Mistake("the gradient is missing the factor 2 and divides by the rows only: dL/dy_pred = 2d / N with "
            "N = y_pred.size.", result=lambda p, t: _d(p, t) / len(p), output="dL/dy_pred"),
    Mistake("this is MAE's gradient sign(d)/N; the gradient of the MSE is 2d/N: it grows with the error.",
            result=lambda p, t: np.sign(_d(p, t)) / _d(p, t).size, output="dL/dy_pred"),
    Mistake("the gradient has one entry per prediction, the same shape as y_pred (each entry's own 2 d_i / N); "
            "this is one number.", test=lambda got, want, args: np.ndim(got) == 0, output="dL/dy_pred"),
]


def check_mse(mse):
    """Exercise: mse(y_pred, y_true) -> (L, dL/dy_pred) with L = mean((y_pred - y_true)²) over all entries
    and dL/dy_pred = 2 (y_pred - y_true) / N, N = y_pred.size; y_pred and y_true have the same shape."""
    rng = np.random.default_rng(5)
    cases = [
        ("y_pred = [[1], [2], [3]], y_true = [[1], [0], [4]]",
         (np.array([[1.0], [2.0], [3.0]]), np.array([[1.0], [0.0], [4.0]]))),
        ("a perfect prediction (L = 0, gradient 0)", (np.array([[0.5], [-0.5]]), np.array([[0.5], [-0.5]]))),
        ("a batch with 2 outputs, shape (4, 2) (divide by all 8 entries)",
         (rng.standard_normal((4, 2)), rng.standard_normal((4, 2)))),
        ("one sample, shape (1, 1)", (np.array([[3.0]]), np.array([[-1.0]]))),
    ]
    return run_check("mse", mse, cases, _mse_reference, mistakes=_MSE_MISTAKES, outputs=("L", "dL/dy_pred"))


# -- Exercise 2: binary cross-entropy --------------------------------------------------------------
_EPS = 1e-12


def _bce(p, y, eps=_EPS, log=np.log, reduce=np.mean):
    p = np.clip(p, eps, 1 - eps)
    return -reduce(y * log(p) + (1 - y) * log(1 - p))


def _bce_reference(p, y):
    return float(_bce(p, y))


def _has_0_or_1(p, y):
    p = np.asarray(p)
    return bool(np.any((p == 0) | (p == 1)))


_WIDE_EPS = (0.1, 0.05, 0.02, 0.01, 5e-3, 2e-3)
_OTHER_EPS = (1e-3, 1e-4, 1e-5, 1e-6, 1e-7, 1e-8, 1e-9, 1e-10, 1e-15, np.finfo(float).eps, 1e-16)


def _clipped_with(eps_values):
    def shown(got, want, args):
        return any(same(got, _bce(*args, eps=e), rtol=1e-6, atol=1e-10) for e in eps_values)
    return shown


def _bce_mistakes(seen):
    return [
        _FailsOn("p is not clipped: for p exactly 0 or 1, ln 0 = −∞ and 0 · (−∞) = NaN, even in the term that y "
                 "or (1 − y) multiplies by 0 (\"confident and right\"). Clip first, p = np.clip(p, 1e-12, 1 - 1e-12) "
                 "(both ends: ln p needs p > 0, ln(1 − p) needs p < 1).",
                 error=FloatingPointError, match="divide by zero|invalid value", when=_has_0_or_1, seen=seen),
        Mistake("the (1 − y) ln(1 − p) term is missing: without it a sample with label 0 costs nothing, whatever p "
                "is. L = −mean(y ln p + (1 − y) ln(1 − p)).",
                result=lambda p, y: -np.mean(y * np.log(np.clip(p, _EPS, 1 - _EPS)))),
        Mistake("the y ln p term is missing: without it a sample with label 1 costs nothing. "
                "L = −mean(y ln p + (1 − y) ln(1 − p)).",
                result=lambda p, y: -np.mean((1 - y) * np.log(1 - np.clip(p, _EPS, 1 - _EPS)))),
        Mistake("the second term uses ln p again: for label 0 the probability of the true class is 1 − p, so the "
                "term is (1 − y) ln(1 − p).",
                result=lambda p, y: -np.mean(np.log(np.clip(p, _EPS, 1 - _EPS)))),
        Mistake("this uses log10; cross-entropy uses the natural logarithm ln = np.log (log10 gives ln / 2.303).",
                result=lambda p, y: _bce(p, y, log=np.log10)),
        Mistake("this uses log2; cross-entropy here uses the natural logarithm ln = np.log.",
                result=lambda p, y: _bce(p, y, log=np.log2)),
        Mistake("this is the sum over the batch; the loss is the mean (np.mean), so that it does not grow with the "
                "batch size.", result=lambda p, y: _bce(p, y, reduce=np.sum)),
        Mistake("the loss is negative: the minus sign in front is missing. ln of a probability is ≤ 0, so "
                "L = −mean(y ln p + (1 − y) ln(1 − p)) ≥ 0.", result=lambda p, y: -_bce(p, y)),
        Mistake("L must be one number: these are the per-sample losses; take their mean.",
                result=lambda p, y: _bce(p, y, reduce=lambda v: v)),
        Mistake("L must be one number: for a column (n, 1) the mean over axis 0 keeps shape (1,); take the mean "
                "over all entries (np.mean without axis).",
                result=lambda p, y: _bce(p, y, reduce=lambda v: np.mean(v, axis=0))),
        Mistake("the clipping range is too wide: clipping p into [ε, 1 − ε] with an ε like 0.01 changes ordinary "
                "probabilities (0.999 becomes 0.99). Clip only what ln cannot take: ε = 1e-12.",
                test=_clipped_with(_WIDE_EPS)),
        Mistake("p is clipped with another ε than the exercise's 1e-12: for p = 0 or 1 the loss is −ln ε, so ε "
                "decides the number. Use np.clip(p, 1e-12, 1 - 1e-12).", test=_clipped_with(_OTHER_EPS)),
        Mistake("the loss is NaN or ±inf: p is not clipped on both sides (ln p needs p ≥ ε, ln(1 − p) needs "
                "p ≤ 1 − ε); np.clip(p, 1e-12, 1 - 1e-12) does both.",
                test=lambda got, want, args: not np.isfinite(got).all()),
    ]


def check_binary_cross_entropy(binary_cross_entropy):
    """Exercise: binary_cross_entropy(p, y) -> -mean(y ln p + (1 - y) ln(1 - p)) with p clipped to
    [eps, 1 - eps], eps = 1e-12, so that ln never sees 0. p, y of shape (n,) or (n, 1)."""
    student, seen = _watch(binary_cross_entropy)
    cases = [
        ("p = [0.9, 0.2], y = [1, 0]", (np.array([0.9, 0.2]), np.array([1.0, 0.0]))),
        ("p = 0.5 everywhere (L = ln 2)", (np.full(4, 0.5), np.array([1.0, 0.0, 1.0, 0.0]))),
        ("a column (3, 1)", (np.array([[0.7], [0.1], [0.99]]), np.array([[1.0], [1.0], [0.0]]))),
        ("probabilities close to (but not exactly) 0 and 1",
         (np.array([0.999, 0.001, 0.97, 0.03]), np.array([1.0, 0.0, 0.0, 1.0]))),
        ("confident and right: p = [1, 0], y = [1, 0] (p exactly 0 and 1: clip p, ln 0 = −∞)",
         (np.array([1.0, 0.0]), np.array([1.0, 0.0]))),
        ("confident and wrong: p = [0, 1], y = [1, 0] (L = −ln 1e-12 ≈ 27.6)",
         (np.array([0.0, 1.0]), np.array([1.0, 0.0]))),
    ]
    return run_check("binary_cross_entropy", student, cases, _bce_reference, rtol=1e-5,
                     mistakes=_bce_mistakes(seen))


# -- Exercise 3: softmax cross-entropy -------------------------------------------------------------
def _softmax_ce_reference(z, y):
    from ..losses import SoftmaxCrossEntropy
    return SoftmaxCrossEntropy().forward(z, y)


def _log_softmax(z, axis=1):
    m = z.max(axis=axis, keepdims=True)
    return z - m - np.log(np.exp(z - m).sum(axis=axis, keepdims=True))


def _true(log_p, y):
    return log_p[np.arange(len(y)), y]


def _one_hot_misuse(got, want, args):
    """y (integer labels) multiplied into log p as if it were one-hot rows."""
    z, y = args
    log_p = _log_softmax(z)
    candidates = []
    for yy in (y, y[:, None]):
        try:
            prod = yy * log_p
        except ValueError:
            continue
        candidates += [-np.mean(np.sum(prod, axis=1)), -np.sum(prod) / len(y), -np.mean(prod), -np.sum(prod)]
    return any(same(got, c) for c in candidates)


def _wrong_indexing(got, want, args):
    z, y = args
    log_p = _log_softmax(z)
    return any(same(got, c) for c in (-np.mean(log_p[:, y]), -np.mean(log_p[y])))


def _same_column(got, want, args):
    z, y = args
    log_p = _log_softmax(z)
    return any(same(got, -np.mean(log_p[:, c])) for c in range(z.shape[1]))


def _softmax_axis0(got, want, args):
    z, y = args
    m1 = z.max(axis=1, keepdims=True)
    candidates = [_true(_log_softmax(z, axis=0), y),
                  _true(z - m1 - np.log(np.exp(z - m1).sum(axis=0, keepdims=True)), y)]
    return any(same(got, -np.mean(c)) for c in candidates)


def _ranges_apart(z, y):
    """Rows whose maxima are far apart: a batch-wide maximum underflows the lower row."""
    row_max = np.max(z, axis=1)
    return bool(row_max.max() - row_max.min() > 700)


def _huge(z, y):
    return bool(np.abs(z).max() > 700)


def _softmax_ce_mistakes(seen):
    return [
        _FailsOn("np.exp overflowed on logits near 1000: the maximum is not subtracted. Subtract each row's "
                 "maximum before exp (log-sum-exp): ln p = z − m − ln Σ e^(z − m).",
                 error=FloatingPointError, match="overflow", when=_huge, seen=seen),
        _FailsOn("the maximum subtracted is the whole batch's, z.max(): every exponent of a row far below it "
                 "underflows to 0 and ln 0 = −∞. Subtract each row's own maximum, z.max(axis=1, keepdims=True).",
                 error=FloatingPointError, match="divide by zero|invalid value", when=_ranges_apart, seen=seen),
        _FailsOn("ln of a probability that rounded to 0: softmax first and then np.log fails for logits ±1000 "
                 "(e^−1000 is 0 in floating point). Compute ln p directly, log_p = z − m − ln Σ e^(z − m) "
                 "(log-sum-exp), without forming p.",
                 error=FloatingPointError, match="divide by zero|invalid value", when=_huge, seen=seen),
        _FailsOn("an array of shape (n,) meets one of shape (n, C) and they do not line up. Either y is used as "
                 "one-hot rows: y holds integer labels, shape (n,), so pick each row's true class with "
                 "log_p[np.arange(len(y)), y]; or a sum over axis 1 lost its axis: keep it with keepdims=True.",
                 error=ValueError, match="broadcast", when=lambda z, y: np.ndim(y) == 1, seen=seen),
        Mistake("y holds integer labels, not one-hot rows: multiplying y into log_p weighs whole rows or columns by "
                "the label numbers and picks the wrong entries. Pick each row's true class with "
                "log_p[np.arange(len(y)), y].", test=_one_hot_misuse),
        Mistake("the mean runs over every entry of log_p, all classes; the loss uses only each sample's true "
                "class, log_p[np.arange(len(y)), y].", result=lambda z, y: -np.mean(_log_softmax(z))),
        Mistake("the wrong entries are picked: log_p[:, y] or log_p[y] takes whole columns or rows, not one entry "
                "per sample; log_p[np.arange(len(y)), y] takes sample i's class y[i].", test=_wrong_indexing),
        Mistake("the same class is picked for every sample; each sample i has its own label y[i]: "
                "log_p[np.arange(len(y)), y].", test=_same_column),
        Mistake("the softmax (its log-sum-exp) runs over axis 0, the samples; each sample's probabilities are its "
                "own row: max and sum over axis=1 with keepdims=True.", test=_softmax_axis0),
        Mistake("this uses log10; cross-entropy uses the natural logarithm ln = np.log (log10 gives ln / 2.303).",
                result=lambda z, y: -np.mean(_true(_log_softmax(z), y)) / np.log(10)),
        Mistake("this is the sum over the batch; the loss is the mean over the n samples.",
                result=lambda z, y: -np.sum(_true(_log_softmax(z), y))),
        Mistake("L must be one number: these are the n per-sample losses, shape (n,); return their mean.",
                result=lambda z, y: -_true(_log_softmax(z), y)),
        Mistake("the loss is negative: the minus sign is missing. ln p ≤ 0, so L = −mean(ln p_true) ≥ 0.",
                result=lambda z, y: np.mean(_true(_log_softmax(z), y))),
        Mistake("the softmax is missing: the logits z are not log-probabilities. ln p = z − ln Σ e^z "
                "(stable: z − m − ln Σ e^(z − m)).", result=lambda z, y: -np.mean(_true(z, y))),
        Mistake("m is subtracted inside the exp but not outside: ln p = z − m − ln Σ e^(z − m); without the − m "
                "every ln p is off by the row maximum.",
                result=lambda z, y: -np.mean(_true(_log_softmax(z), y) + z.max(axis=1))),
    ]


def check_softmax_cross_entropy(softmax_cross_entropy):
    """Exercise: softmax_cross_entropy(z, y) -> mean over the batch of -ln softmax(z)[true class], z logits
    (n, C), y integer labels (n,); stable for logits like ±1000 (log-sum-exp)."""
    rng = np.random.default_rng(6)
    student, seen = _watch(softmax_cross_entropy)
    cases = [
        ("z = [[2, 1, 0]], y = [1]", (np.array([[2.0, 1.0, 0.0]]), np.array([1]))),
        ("equal logits (L = ln C)", (np.zeros((3, 4)), np.array([0, 1, 3]))),
        ("a batch of 3 samples with 3 classes", (np.array([[1.0, 2.0, 0.5], [0.0, -1.0, 3.0], [2.0, 2.0, -2.0]]),
                                                 np.array([2, 0, 1]))),
        ("a batch of 5 with 3 classes", (rng.standard_normal((5, 3)), np.array([0, 2, 1, 1, 0]))),
        ("huge logits z = [[1000, 0, -1000], [0, 1000, 0]]", (np.array([[1000.0, 0.0, -1000.0], [0.0, 1000.0, 0.0]]),
                                                              np.array([0, 0]))),
        ("rows on very different scales z = [[1000, 0, 0], [-1000, -1000, -999]]",
         (np.array([[1000.0, 0.0, 0.0], [-1000.0, -1000.0, -999.0]]), np.array([0, 2]))),
    ]
    return run_check("softmax_cross_entropy", student, cases, _softmax_ce_reference,
                     mistakes=_softmax_ce_mistakes(seen))
