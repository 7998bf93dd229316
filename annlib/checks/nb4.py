"""Checks of notebook 4 (losses): MSE with its gradient, binary cross-entropy with clipped
probabilities, and a stable softmax cross-entropy on logits.
"""
import numpy as np

from ._check import run_check


def _mse_reference(y_pred, y_true):
    from ..losses import MSELoss
    loss = MSELoss()
    return loss.forward(y_pred, y_true), loss.backward()


def check_mse(mse):
    """Exercise: mse(y_pred, y_true) -> (L, dL/dy_pred) with L = mean((y_pred - y_true)²) over all entries
    and dL/dy_pred = 2 (y_pred - y_true) / N, N = y_pred.size; y_pred and y_true have the same shape."""
    rng = np.random.default_rng(5)
    cases = [
        ("y_pred = [[1], [2], [3]], y_true = [[1], [1], [1]]", (np.array([[1.0], [2.0], [3.0]]), np.ones((3, 1)))),
        ("a perfect prediction (L = 0, gradient 0)", (np.array([[0.5], [-0.5]]), np.array([[0.5], [-0.5]]))),
        ("a batch with 2 outputs, shape (4, 2) (divide by all 8 entries)",
         (rng.standard_normal((4, 2)), rng.standard_normal((4, 2)))),
        ("one sample, shape (1, 1)", (np.array([[3.0]]), np.array([[-1.0]]))),
    ]
    return run_check("mse", mse, cases, _mse_reference)


def _bce_reference(p, y, eps=1e-12):
    p = np.clip(p, eps, 1 - eps)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


def check_binary_cross_entropy(binary_cross_entropy):
    """Exercise: binary_cross_entropy(p, y) -> -mean(y ln p + (1 - y) ln(1 - p)) with p clipped to
    [eps, 1 - eps], eps = 1e-12, so that ln never sees 0. p, y of shape (n,) or (n, 1)."""
    cases = [
        ("p = [0.9, 0.2], y = [1, 0]", (np.array([0.9, 0.2]), np.array([1.0, 0.0]))),
        ("p = 0.5 everywhere (L = ln 2)", (np.full(4, 0.5), np.array([1.0, 0.0, 1.0, 0.0]))),
        ("a column (3, 1)", (np.array([[0.7], [0.1], [0.99]]), np.array([[1.0], [1.0], [0.0]]))),
        ("confident and right: p = [1, 0], y = [1, 0]", (np.array([1.0, 0.0]), np.array([1.0, 0.0]))),
        ("confident and wrong: p = [0, 1], y = [1, 0] (clip p, or ln 0 = -inf)",
         (np.array([0.0, 1.0]), np.array([1.0, 0.0]))),
    ]
    return run_check("binary_cross_entropy", binary_cross_entropy, cases, _bce_reference, rtol=1e-5)


def _softmax_ce_reference(z, y):
    from ..losses import SoftmaxCrossEntropy
    return SoftmaxCrossEntropy().forward(z, y)


def check_softmax_cross_entropy(softmax_cross_entropy):
    """Exercise: softmax_cross_entropy(z, y) -> mean over the batch of -ln softmax(z)[true class], z logits
    (n, C), y integer labels (n,); stable for logits like ±1000 (log-sum-exp)."""
    rng = np.random.default_rng(6)
    cases = [
        ("z = [[2, 1, 0]], y = [0]", (np.array([[2.0, 1.0, 0.0]]), np.array([0]))),
        ("equal logits (L = ln C)", (np.zeros((3, 4)), np.array([0, 1, 3]))),
        ("a batch of 5 with 3 classes", (rng.standard_normal((5, 3)), np.array([0, 2, 1, 1, 0]))),
        ("huge logits z = [[1000, 0, -1000], [0, 1000, 0]]", (np.array([[1000.0, 0.0, -1000.0], [0.0, 1000.0, 0.0]]),
                                                              np.array([0, 0]))),
    ]
    return run_check("softmax_cross_entropy", softmax_cross_entropy, cases, _softmax_ce_reference)
