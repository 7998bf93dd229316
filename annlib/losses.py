"""Step 4 of 7: loss functions, one number that says how wrong the network's output is.

Every loss has the same two calls, like a layer:

    L = loss.forward(y_pred, y_true)   # the mean loss over the batch, a Python float
    dL = loss.backward()               # dL/dy_pred, same shape as y_pred, ready for net.backward

Regression: ``MSELoss``, ``MAELoss``, ``HuberLoss``. Binary classification: ``BCELoss`` (on
probabilities) or ``BCEWithLogitsLoss`` (on raw scores). Multi-class: ``CategoricalCrossEntropy`` (on
probabilities) or ``SoftmaxCrossEntropy`` (on logits, with the short gradient p - y; PyTorch calls it
``CrossEntropyLoss``). Class targets may be integer labels (n,) or one-hot (n, C).

Mind the names: the string ``"cross_entropy"`` is ``CategoricalCrossEntropy`` (for a network ending in
softmax, as ``mlp(..., output="softmax")`` builds), while the class ``CrossEntropyLoss`` is PyTorch's,
``SoftmaxCrossEntropy`` (for a network that outputs logits). Both give the same gradient at the logits,
p - y: ``fit`` uses it for a Softmax output with cross-entropy (see ``training.backward_from_logits``).
"""
import difflib
import warnings

import numpy as np

from .activations import _sigmoid
from .validation import ShapeError, class_labels


def _clip_eps(dtype):
    """Smallest probability we take a log of: 1e-12 in float64, 1e-7 in float32 (where 1 - 1e-12 == 1)."""
    return 1e-7 if np.dtype(dtype) == np.float32 else 1e-12


class Loss:
    """Base class: ``forward(y_pred, y_true)`` returns the mean loss and keeps what ``backward()`` needs."""

    name = "loss"

    def __getattr__(self, name):
        """Only reached for an attribute that is not there: backward reads what forward kept."""
        if name in ("diff", "p", "y", "z", "onehot"):
            raise RuntimeError(f"{type(self).__name__}: backward was called before forward. Call "
                               "loss.forward(y_pred, y_true) first: backward needs what forward saw.")
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def forward(self, y_pred, y_true):
        raise NotImplementedError

    def backward(self):
        raise NotImplementedError

    def __call__(self, y_pred, y_true):
        return self.forward(y_pred, y_true)

    def __repr__(self):
        return f"{type(self).__name__}()"


def _regression_target(y_pred, y_true, who):
    """Targets as an array shaped like y_pred; (n,) is accepted for a single output."""
    y_pred = np.asarray(y_pred)
    y_true = np.asarray(y_true, dtype=y_pred.dtype)
    if y_true.shape != y_pred.shape:
        if y_pred.ndim == 2 and y_pred.shape[1] == 1 and y_true.shape == (y_pred.shape[0],):
            y_true = y_true.reshape(-1, 1)
        else:
            raise ShapeError(f"{who}: y_pred has shape {y_pred.shape} but y_true has shape {y_true.shape}; "
                             "they must match (one target per output).")
    return y_pred, y_true


class MSELoss(Loss):
    """Mean squared error: L = mean((ŷ - y)²) over all entries. dL/dŷ = 2(ŷ - y) / N."""

    name = "mse"

    def forward(self, y_pred, y_true):
        y_pred, y_true = _regression_target(y_pred, y_true, "MSELoss")
        self.diff = y_pred - y_true
        return float(np.mean(self.diff ** 2))

    def backward(self):
        return self.diff * (2 / self.diff.size)


class MAELoss(Loss):
    """Mean absolute error: L = mean(|ŷ - y|). dL/dŷ = sign(ŷ - y) / N. Robust to outliers."""

    name = "mae"

    def forward(self, y_pred, y_true):
        y_pred, y_true = _regression_target(y_pred, y_true, "MAELoss")
        self.diff = y_pred - y_true
        return float(np.mean(np.abs(self.diff)))

    def backward(self):
        return np.sign(self.diff) / self.diff.size


L1Loss = MAELoss


class HuberLoss(Loss):
    """Quadratic for small errors, linear for large ones (|d| > delta): MSE's smoothness, MAE's robustness.

        L = mean(½d²)              where |d| ≤ δ
            mean(δ(|d| - ½δ))      where |d| > δ        dL/dŷ = clip(d, -δ, δ) / N
    """

    name = "huber"

    def __init__(self, delta=1.0):
        if not delta > 0:
            raise ValueError(f"HuberLoss: delta must be > 0, got {delta!r}.")
        self.delta = float(delta)

    def forward(self, y_pred, y_true):
        y_pred, y_true = _regression_target(y_pred, y_true, "HuberLoss")
        self.diff = d = y_pred - y_true
        a = np.abs(d)
        return float(np.mean(np.where(a <= self.delta, 0.5 * d * d, self.delta * (a - 0.5 * self.delta))))

    def backward(self):
        return np.clip(self.diff, -self.delta, self.delta) / self.diff.size

    def __repr__(self):
        return f"HuberLoss(delta={self.delta:g})"


def _check_probabilities(p, who, rows_sum_to_one=False):
    """Refuse raw scores where a loss expects probabilities, with the two ways to fix it."""
    tol = 1e-3 if p.dtype == np.float32 else 1e-6
    finite = p[np.isfinite(p)]          # NaN or inf: the loss becomes NaN and fit stops with its own message
    outside = finite.size and (finite.min() < -tol or finite.max() > 1 + tol)
    sums = p.sum(axis=1) if rows_sum_to_one and p.ndim == 2 else np.ones(1)
    if outside or (np.isfinite(sums).all() and np.abs(sums - 1).max() > tol * p.shape[-1]):
        what = (f"values from {finite.min():.3g} to {finite.max():.3g}" if outside else
                f"rows that sum to {sums.min():.3g} ... {sums.max():.3g}")
        output, logits_loss = ("softmax", "softmax_cross_entropy") if rows_sum_to_one else ("sigmoid", "bce_logits")
        raise ValueError(f"{who} expects probabilities ({'rows in [0, 1] that sum to 1' if rows_sum_to_one else 'in [0, 1]'}), "
                         f"got {what}: raw scores (logits)? Give the network output='{output}', or use "
                         f"loss='{logits_loss}', which takes logits.")


def _binary_target(y_pred, y_true, who):
    y_pred, y_true = _regression_target(y_pred, y_true, who)
    if y_true.size and (y_true.min() < 0 or y_true.max() > 1):
        raise ValueError(f"{who}: targets must be in [0, 1] (class 1 = 1, class 0 = 0), "
                         f"got values from {y_true.min()} to {y_true.max()}.")
    return y_pred, y_true


class BCELoss(Loss):
    """Binary cross-entropy on probabilities p = P(class 1):
    L = -mean(y·ln p + (1-y)·ln(1-p)). p is clipped to [ε, 1-ε] so ln never sees 0."""

    name = "bce"

    def forward(self, y_pred, y_true):
        p, y = _binary_target(y_pred, y_true, "BCELoss")
        _check_probabilities(p, "BCELoss")
        eps = _clip_eps(p.dtype)
        self.p, self.y = np.clip(p, eps, 1 - eps), y
        return float(-np.mean(y * np.log(self.p) + (1 - y) * np.log1p(-self.p)))

    def backward(self):
        p, y = self.p, self.y
        return (p - y) / (p * (1 - p)) / p.size


class BCEWithLogitsLoss(Loss):
    """Binary cross-entropy on a raw score z (p = sigmoid(z)), in the stable form
    L = mean(max(z, 0) - z·y + ln(1 + e^(-|z|))), with gradient (sigmoid(z) - y) / N."""

    name = "bce_logits"

    def forward(self, y_pred, y_true):
        z, y = _binary_target(y_pred, y_true, "BCEWithLogitsLoss")
        self.z, self.y = z, y
        return float(np.mean(np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z)))))

    def backward(self):
        return (_sigmoid(self.z) - self.y) / self.z.size


def _one_hot_target(y_pred, y_true, who):
    """The targets as one-hot rows (n, C) like y_pred: from integer labels (n,), or one-hot rows as they are."""
    if y_pred.ndim != 2:
        raise ShapeError(f"{who}: y_pred must be (n_samples, n_classes), got shape {y_pred.shape}.")
    y_true = np.asarray(y_true)
    if y_true.ndim == 2 and y_true.shape[1] > 1:
        if y_true.shape != y_pred.shape:
            raise ShapeError(f"{who}: one-hot targets have shape {y_true.shape} but y_pred has shape "
                             f"{y_pred.shape}; they must match.")
        return y_true.astype(y_pred.dtype, copy=False)
    labels = class_labels(y_true, y_pred.shape[1], "y_true")
    if labels.shape[0] != y_pred.shape[0]:
        raise ShapeError(f"{who}: {y_pred.shape[0]} predictions but {labels.shape[0]} labels.")
    return np.eye(y_pred.shape[1], dtype=y_pred.dtype)[labels]


class CategoricalCrossEntropy(Loss):
    """Cross-entropy on probabilities (a softmax output): L = -mean(ln p[true class]) = -Σ y·ln p / n.
    dL/dp = -y / p / n. Through a softmax this gradient is fragile; see ``SoftmaxCrossEntropy``."""

    name = "cross_entropy"

    def forward(self, y_pred, y_true):
        p = np.asarray(y_pred)
        self.onehot = _one_hot_target(p, y_true, "CategoricalCrossEntropy")      # y, (n, C)
        _check_probabilities(p, "CategoricalCrossEntropy", rows_sum_to_one=True)
        self.p = np.clip(p, _clip_eps(p.dtype), 1)                              # never ln 0
        return float(-np.sum(self.onehot * np.log(self.p)) / len(p))

    def backward(self):
        return -self.onehot / self.p / len(self.p)


class SoftmaxCrossEntropy(Loss):
    """Softmax and cross-entropy fused, on logits z (n, C). PyTorch: ``CrossEntropyLoss``.

        ln p_k = z_k - logsumexp(z)          (stable: computed with z - max(z))
        L = -mean(ln p[true class])          dL/dz = (p - y) / n
    """

    name = "softmax_cross_entropy"

    def forward(self, y_pred, y_true):
        z = np.asarray(y_pred)
        self.onehot = _one_hot_target(z, y_true, "SoftmaxCrossEntropy")          # y, (n, C)
        if z.shape[1] > 1 and z.min() >= 0 and np.allclose(z.sum(axis=1), 1):
            warnings.warn("SoftmaxCrossEntropy takes logits, but every row of y_pred is in [0, 1] and sums to 1: "
                          "probabilities? Then softmax is applied twice. Use loss='cross_entropy' for probabilities.",
                          stacklevel=2)
        shifted = z - z.max(axis=1, keepdims=True)          # every exponent ≤ 0: e^z cannot overflow
        log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))   # ln p = z - logsumexp(z)
        self.p = np.exp(log_p)                              # the softmax probabilities
        return float(-(self.onehot * log_p).sum() / len(z))

    def backward(self):
        return (self.p - self.onehot) / len(self.p)


CrossEntropyLoss = SoftmaxCrossEntropy

LOSSES = {
    "mse": MSELoss, "mae": MAELoss, "l1": MAELoss, "huber": HuberLoss, "bce": BCELoss,
    "binary_cross_entropy": BCELoss, "bce_logits": BCEWithLogitsLoss, "cross_entropy": CategoricalCrossEntropy,
    "categorical_cross_entropy": CategoricalCrossEntropy, "softmax_cross_entropy": SoftmaxCrossEntropy,
}


def get_loss(loss, **kwargs):
    """A loss from its name (``"mse"``, ``"cross_entropy"``, ...) or a ``Loss`` object (returned as is)."""
    if isinstance(loss, Loss):
        return loss
    if isinstance(loss, type) and issubclass(loss, Loss):
        raise TypeError(f"loss={loss.__name__} is the class; pass an object, with parentheses: "
                        f"loss={loss.__name__}(), or a name such as loss='mse'.")
    if isinstance(loss, str) and loss.lower() in LOSSES:
        return LOSSES[loss.lower()](**kwargs)
    close = difflib.get_close_matches(str(loss).lower(), LOSSES, n=1)
    hint = f" Did you mean {close[0]!r}?" if close else ""
    raise ValueError(f"Unknown loss {loss!r}.{hint} Valid names: {', '.join(LOSSES)}.")


__all__ = ["Loss", "MSELoss", "MAELoss", "L1Loss", "HuberLoss", "BCELoss", "BCEWithLogitsLoss",
           "CategoricalCrossEntropy", "SoftmaxCrossEntropy", "CrossEntropyLoss", "LOSSES", "get_loss"]
