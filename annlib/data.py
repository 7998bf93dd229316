"""Data for the lessons: 2-D toy sets (as in TensorFlow Playground), a 1-D regression curve, and the
real bundled sets from scikit-learn (handwritten digits, iris), plus splitting and scaling.

Every toy set returns ``X`` of shape (n, 2) with points in about [-1, 1]², and ``y``: integer class
labels (n,) for classification, or real targets (n, 1) for regression. ``noise`` is the standard
deviation of Gaussian noise added to the points (0 = clean). ``seed`` is an int or a Generator.
"""
import numpy as np

from .layers import as_rng
from .validation import ShapeError, check_positive


def _noisy(X, noise, rng):
    check_positive(noise, "noise", allow_zero=True)
    return X + noise * rng.standard_normal(X.shape) if noise else X


def _start(n, seed):
    """Check the number of samples n and return the random generator for ``seed``."""
    if not (isinstance(n, (int, np.integer)) and n >= 2):
        raise ValueError(f"n (the number of samples) must be an integer >= 2, got {n!r}.")
    return as_rng(seed)


def make_circle(n=200, noise=0.0, seed=None):
    """Class 1: a disc of radius 0.5 around the origin; class 0: a ring from 0.7 to 1.0 around it."""
    rng = _start(n, seed)
    y = np.arange(n) % 2
    r = np.where(y == 1, rng.uniform(0, 0.5, n), rng.uniform(0.7, 1.0, n))
    angle = rng.uniform(0, 2 * np.pi, n)
    X = np.column_stack([r * np.cos(angle), r * np.sin(angle)])
    return _noisy(X, noise, rng), y


def make_xor(n=200, noise=0.0, seed=None):
    """Four quadrants: class 1 where x₁ and x₂ have the same sign (the XOR of their signs is 0)."""
    rng = _start(n, seed)
    X = rng.uniform(-1, 1, (n, 2))
    X += np.sign(X) * 0.05                        # a small gap along the axes
    y = (X[:, 0] * X[:, 1] > 0).astype(np.intp)
    return _noisy(X, noise, rng), y


def make_gaussian(n=200, noise=0.0, seed=None):
    """Two Gaussian blobs: class 1 around (0.5, 0.5), class 0 around (-0.5, -0.5)."""
    rng = _start(n, seed)
    y = np.arange(n) % 2
    centres = np.where(y[:, None] == 1, 0.5, -0.5)
    X = centres + 0.2 * rng.standard_normal((n, 2))
    return _noisy(X, noise, rng), y


def make_spiral(n=200, noise=0.0, seed=None, n_classes=2):
    """``n_classes`` interleaved spiral arms (class k is arm k); hard for a linear model."""
    rng = _start(n, seed)
    y = np.arange(n) % n_classes
    t = rng.uniform(0, 1, n)
    r = 0.05 + 0.95 * t
    angle = 1.75 * 2 * np.pi * t + 2 * np.pi * y / n_classes
    X = np.column_stack([r * np.cos(angle), r * np.sin(angle)])
    return _noisy(X, noise, rng), y


def make_moons(n=200, noise=0.0, seed=None):
    """Two interleaving half circles (as scikit-learn's make_moons), centred and scaled into [-1, 1]²."""
    rng = _start(n, seed)
    y = np.arange(n) % 2
    t = rng.uniform(0, np.pi, n)
    X = np.where(y[:, None] == 0,
                 np.column_stack([np.cos(t), np.sin(t)]),
                 np.column_stack([1 - np.cos(t), 0.5 - np.sin(t)]))
    X = (X - [0.5, 0.25]) / 1.5
    return _noisy(X, noise, rng), y


def make_plane(n=200, noise=0.0, seed=None):
    """Regression: target y = (x₁ + x₂) / 2, a tilted plane; ``noise`` is added to the target."""
    rng = _start(n, seed)
    X = rng.uniform(-1, 1, (n, 2))
    y = (X.sum(axis=1) / 2)[:, None]
    return X, _noisy(y, noise, rng)


def make_multi_gaussian(n=200, noise=0.0, seed=None):
    """Regression: target = a sum of four Gaussian bumps (two up, two down) over the plane."""
    rng = _start(n, seed)
    X = rng.uniform(-1, 1, (n, 2))
    centres = np.array([[-0.5, -0.5], [0.5, 0.5], [-0.5, 0.5], [0.5, -0.5]])
    signs = np.array([1.0, 1.0, -1.0, -1.0])
    d2 = ((X[:, None, :] - centres[None]) ** 2).sum(axis=2)
    y = (signs * np.exp(-d2 / (2 * 0.2 ** 2))).sum(axis=1)[:, None]
    return X, _noisy(y, noise, rng)


def make_regression_1d(n=100, noise=0.1, seed=None):
    """A 1-D curve to fit: x in [-1, 1] (n, 1), y = sin(πx) + noise (n, 1), sorted by x."""
    rng = _start(n, seed)
    x = np.sort(rng.uniform(-1, 1, n))[:, None]
    return x, _noisy(np.sin(np.pi * x), noise, rng)


CLASSIFICATION_SETS = {"circle": make_circle, "xor": make_xor, "gaussian": make_gaussian,
                       "spiral": make_spiral, "moons": make_moons}
REGRESSION_SETS = {"plane": make_plane, "multi_gaussian": make_multi_gaussian}
DATASETS = {**CLASSIFICATION_SETS, **REGRESSION_SETS}


def make_dataset(name, n=200, noise=0.0, seed=None):
    """A toy set by name: one of ``DATASETS``."""
    if name not in DATASETS:
        raise ValueError(f"Unknown dataset {name!r}. Valid names: {', '.join(DATASETS)}.")
    return DATASETS[name](n=n, noise=noise, seed=seed)


# ----------------------------------------------------------------------------------------------
# Real data bundled with scikit-learn (no download). scikit-learn is imported only when called.
# ----------------------------------------------------------------------------------------------
def load_digits():
    """8×8 handwritten digits: X (1797, 64) with pixel values scaled to [0, 1], y (1797,) in 0..9."""
    from sklearn.datasets import load_digits as sk_load_digits
    d = sk_load_digits()
    return d.data / 16.0, d.target.astype(np.intp)


def load_iris():
    """Iris flowers: X (150, 4) measurements in cm, y (150,) species 0..2."""
    from sklearn.datasets import load_iris as sk_load_iris
    d = sk_load_iris()
    return d.data.astype(np.float64), d.target.astype(np.intp)


# ----------------------------------------------------------------------------------------------
# Splitting and scaling
# ----------------------------------------------------------------------------------------------
def train_test_split(X, y, test_size=0.2, seed=None):
    """Shuffle, then split into (X_train, X_test, y_train, y_test). ``test_size``: a fraction in (0, 1)."""
    X, y = np.asarray(X), np.asarray(y)
    if len(X) != len(y):
        raise ShapeError(f"train_test_split: X has {len(X)} samples but y has {len(y)}.")
    if not 0 < test_size < 1:
        raise ValueError(f"test_size is the fraction of samples held out and must be in (0, 1), got {test_size!r}.")
    order = as_rng(seed).permutation(len(X))
    n_test = max(1, int(round(test_size * len(X))))
    test, train = order[:n_test], order[n_test:]
    return X[train], X[test], y[train], y[test]


def standardize(X_train, *others):
    """Scale every feature to mean 0 and standard deviation 1, using the statistics of ``X_train`` only
    (so no information leaks from the test set). Returns the scaled ``X_train`` and each of ``others``."""
    X_train = np.asarray(X_train)
    mean = X_train.mean(axis=0)
    std = X_train.std(axis=0)
    std = np.where(std > 0, std, 1.0)            # a constant feature stays 0 instead of NaN
    scaled = tuple((np.asarray(X) - mean) / std for X in (X_train, *others))
    return scaled if others else scaled[0]


def one_hot(y, n_classes=None):
    """Integer labels (n,) -> one-hot rows (n, n_classes): a 1 in the column of the class."""
    y = np.asarray(y)
    if y.ndim != 1 or not np.issubdtype(y.dtype, np.integer):
        raise ValueError(f"one_hot needs integer labels of shape (n,), got dtype {y.dtype}, shape {y.shape}.")
    n_classes = n_classes or int(y.max()) + 1
    if y.size and (y.min() < 0 or y.max() >= n_classes):
        raise ValueError(f"one_hot: labels must be in 0..{n_classes - 1}, got {y.min()}..{y.max()}.")
    return np.eye(n_classes)[y]
