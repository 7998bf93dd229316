"""Checks at the public boundary, so bad input fails early with a message that names the fix.

Everything here raises ``ValueError`` subclasses (or ``TypeError`` for wrong types), never returns NaN.
"""
import math

import numpy as np


class ShapeError(ValueError):
    """An array has the wrong shape for the layer, loss or function it was given to."""


class DivergenceError(FloatingPointError):
    """Training produced a non-finite loss (inf or NaN). ``.history`` holds what was recorded so far."""

    def __init__(self, message, history=None):
        super().__init__(message)
        self.history = history


def as_batch(X, name="X", dtype=None):
    """Return ``X`` as a finite 2-D float array ``(n_samples, n_features)``, or raise a clear error."""
    X = np.asarray(X)
    if X.dtype == object or not (np.issubdtype(X.dtype, np.number) or X.dtype == bool):
        raise TypeError(f"{name} must be a numeric array, got dtype {X.dtype}.")
    if X.ndim != 2:
        hint = (f" For one sample use {name}.reshape(1, -1); for a 1-D feature use {name}.reshape(-1, 1)."
                if X.ndim == 1 else "")
        raise ShapeError(f"{name} must be 2-D (n_samples, n_features), got shape {X.shape}.{hint}")
    if dtype is None:
        dtype = X.dtype if np.issubdtype(X.dtype, np.floating) else np.float64
    X = np.asarray(X, dtype=dtype)
    check_finite(X, name)
    return X


def check_layer_input(layer, x):
    """A layer's input as a 2-D array in the layer's dtype, with as many columns as W has rows."""
    x = np.asarray(x)
    if x.ndim != 2 or x.shape[1] != layer.n_in:
        pytorch = (" If W came from PyTorch: nn.Linear.weight is (n_out, n_in), the transpose of annlib's W, so use "
                   "layer.W = linear.weight.detach().numpy().T." if x.ndim == 2 and x.shape[1] == layer.n_out else "")
        raise ShapeError(f"{layer.name}: expects input of shape (batch, {layer.n_in}) since W has shape "
                         f"{layer.W.shape}, got {x.shape}. Check that this layer's n_in equals the "
                         f"previous layer's n_out (or the number of input features).{pytorch}")
    return x.astype(layer.dtype, copy=False)     # compute in the layer's dtype (float32 stays float32)


def check_backward(layer, grad, cached, n_out=None):
    """The gradient a layer's backward receives: forward must have run (``cached`` is what it kept), and
    grad has the shape of the layer's output: (batch, n_out), or the shape of ``cached`` if n_out is None."""
    if cached is None:
        raise RuntimeError(f"{layer.name}: backward was called before forward. Call forward(x) first: "
                           "backward needs what the forward pass saw.")
    grad = np.asarray(grad)
    expected = cached.shape if n_out is None else (cached.shape[0], n_out)
    if grad.shape != expected:
        raise ShapeError(f"{layer.name}: backward expects a gradient of shape {expected} (the shape of its "
                         f"output), got {grad.shape}.")
    return grad.astype(cached.dtype, copy=False)


def check_finite(a, name):
    """Refuse NaN and inf, naming how many there are and where the first one is."""
    finite = np.isfinite(a)
    if not finite.all():
        bad = np.argwhere(~finite)
        where = tuple(int(i) for i in bad[0])
        raise ValueError(f"{name} contains {len(bad)} non-finite value(s) (NaN or inf); the first is "
                         f"{name}[{', '.join(map(str, where))}] = {a[where]}. Clean or drop these rows first.")


def check_positive(value, name, allow_zero=False):
    """A hyperparameter that must be > 0 (or >= 0)."""
    number = isinstance(value, (int, float, np.number)) and not isinstance(value, bool) and math.isfinite(value)
    if not (number and (value >= 0 if allow_zero else value > 0)):
        bound = ">= 0" if allow_zero else "> 0"
        raise ValueError(f"{name} must be a finite number {bound}, got {value!r}.")
    return float(value)


def check_fraction(value, name, low_open=False):
    """A hyperparameter in [0, 1) (or (0, 1) with low_open), such as momentum or Adam's betas."""
    number = isinstance(value, (int, float, np.number)) and not isinstance(value, bool)
    if not (number and ((0 < value < 1) if low_open else (0 <= value < 1))):
        interval = "(0, 1)" if low_open else "[0, 1)"
        raise ValueError(f"{name} must be in {interval}, got {value!r}.")
    return float(value)


def class_labels(y, n_classes, name="y"):
    """Integer class labels of shape (n,), each in [0, n_classes)."""
    y = np.asarray(y)
    if y.ndim == 2 and y.shape[1] == 1:
        y = y[:, 0]
    if y.ndim != 1:
        raise ShapeError(f"{name} must be integer labels of shape (n,) or one-hot of shape (n, {n_classes}), "
                         f"got shape {y.shape}.")
    if not np.issubdtype(y.dtype, np.integer):
        numeric = np.issubdtype(y.dtype, np.number) or y.dtype == bool
        whole = numeric and np.all(np.isfinite(y)) and np.all(y == np.round(y))
        if not whole:
            bad = y[~(np.isfinite(y) & (y == np.round(y)))] if numeric else y
            raise TypeError(f"{name} must hold integer class labels 0, 1, 2, ..., but holds "
                            f"{', '.join(map(str, np.unique(bad)[:5]))}. For classes, give integer labels (or one-hot "
                            f"rows); for real-valued targets, use a regression loss such as 'mse'.")
        y = y.astype(np.intp)
    if y.size and (y.min() < 0 or y.max() >= n_classes):
        bad = np.unique(y[(y < 0) | (y >= n_classes)])
        raise ValueError(f"{name} has labels outside 0..{n_classes - 1}: {bad[:10].tolist()}. "
                         f"The output layer has {n_classes} units, one per class.")
    return y
