"""Datasets, splitting, scaling, one-hot encoding."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import annlib
from annlib import DATASETS, make_dataset

CLASSIFICATION = ["circle", "xor", "gaussian", "spiral", "moons"]
REGRESSION = ["plane", "multi_gaussian"]


def test_dataset_registry():
    assert set(DATASETS) == set(CLASSIFICATION + REGRESSION)
    with pytest.raises(ValueError, match="Unknown dataset 'spirals'") as e:
        make_dataset("spirals")
    for name in DATASETS:
        assert name in str(e.value)


@pytest.mark.parametrize("name", CLASSIFICATION)
@pytest.mark.parametrize("n", [2, 7, 200])
def test_classification_sets_shapes_and_balance(name, n):
    X, y = make_dataset(name, n=n, seed=0)
    assert X.shape == (n, 2) and X.dtype == np.float64
    assert y.shape == (n,) and np.issubdtype(y.dtype, np.integer)
    assert set(np.unique(y)) <= {0, 1}
    if name != "xor":                              # xor labels follow the random points' quadrants
        counts = np.bincount(y, minlength=2)
        assert abs(counts[0] - counts[1]) <= 1, f"{name}: {counts}"
    else:
        X, y = make_dataset(name, n=2000, seed=0)
        assert abs(y.mean() - 0.5) < 0.05
    assert np.all(np.abs(X) <= 1.5)


@pytest.mark.parametrize("name", REGRESSION)
def test_regression_sets_shapes(name):
    X, y = make_dataset(name, n=50, seed=0)
    assert X.shape == (50, 2) and y.shape == (50, 1) and y.dtype == np.float64
    assert np.all(np.abs(X) <= 1)


@pytest.mark.parametrize("name", sorted(DATASETS))
def test_seeds_are_reproducible(name):
    a, b, c = (make_dataset(name, n=100, noise=0.1, seed=s) for s in (3, 3, 4))
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])
    assert not np.array_equal(a[0], c[0])
    gen = np.random.default_rng(5)
    assert not np.array_equal(make_dataset(name, seed=gen)[0], make_dataset(name, seed=gen)[0]), \
        "a Generator continues its stream"


@pytest.mark.parametrize("name", sorted(DATASETS))
@pytest.mark.parametrize("noise", [0.05, 0.3])
def test_noise_has_the_requested_standard_deviation(name, noise):
    X0, y0 = make_dataset(name, n=4000, noise=0.0, seed=1)
    X1, y1 = make_dataset(name, n=4000, noise=noise, seed=1)
    if name in REGRESSION:                      # noise on the target, the inputs unchanged
        np.testing.assert_array_equal(X1, X0)
        noisy, clean = y1, y0
    else:                                       # noise on the points, the labels unchanged
        np.testing.assert_array_equal(y1, y0)
        noisy, clean = X1, X0
    assert np.std(noisy - clean) == pytest.approx(noise, rel=0.05)


def test_toy_set_geometry():
    X, y = annlib.make_circle(500, seed=0)
    r = np.linalg.norm(X, axis=1)
    assert np.all(r[y == 1] <= 0.5) and np.all((r[y == 0] >= 0.7) & (r[y == 0] <= 1.0))
    X, y = annlib.make_xor(500, seed=0)
    np.testing.assert_array_equal(y, (np.sign(X[:, 0]) == np.sign(X[:, 1])).astype(int))
    assert np.all(np.abs(X) >= 0.05)
    X, y = annlib.make_gaussian(2000, seed=0)
    np.testing.assert_allclose(X[y == 1].mean(axis=0), [0.5, 0.5], atol=0.03)
    np.testing.assert_allclose(X[y == 0].mean(axis=0), [-0.5, -0.5], atol=0.03)
    X, y = annlib.make_spiral(300, seed=0, n_classes=3)
    assert set(np.unique(y)) == {0, 1, 2} and np.all(np.bincount(y) == 100)
    X, y = annlib.make_plane(100, seed=0)
    np.testing.assert_allclose(y[:, 0], X.sum(axis=1) / 2)
    x, y = annlib.make_regression_1d(100, noise=0.0, seed=0)
    assert x.shape == y.shape == (100, 1) and np.all(np.diff(x[:, 0]) >= 0)
    np.testing.assert_allclose(y, np.sin(np.pi * x))


def test_bad_dataset_arguments():
    for bad in (1, 0, 2.5):
        with pytest.raises(ValueError, match="n \\(the number of samples\\) must be an integer >= 2"):
            annlib.make_circle(bad)
    with pytest.raises(ValueError, match="noise must be a finite number >= 0"):
        annlib.make_moons(10, noise=-0.1)


def test_bundled_real_data():
    X, y = annlib.load_digits()
    assert X.shape == (1797, 64) and y.shape == (1797,)
    assert X.min() == 0 and X.max() == 1 and set(np.unique(y)) == set(range(10))
    X, y = annlib.load_iris()
    assert X.shape == (150, 4) and X.dtype == np.float64 and np.all(np.bincount(y) == 50)


# ----------------------------------------------------------------------------------------------
# Splitting, scaling, one-hot
# ----------------------------------------------------------------------------------------------
@given(n=st.integers(2, 300), test_size=st.floats(0.05, 0.95), seed=st.integers(0, 2**32 - 1))
def test_train_test_split(n, test_size, seed):
    X = np.arange(n * 2).reshape(n, 2)
    y = np.arange(n)
    X_train, X_test, y_train, y_test = annlib.train_test_split(X, y, test_size=test_size, seed=seed)
    assert len(X_test) == max(1, round(test_size * n)) and len(X_train) + len(X_test) == n
    np.testing.assert_array_equal(X_train[:, 0] // 2, y_train)               # rows stay with their labels
    np.testing.assert_array_equal(X_test[:, 0] // 2, y_test)
    assert sorted(np.concatenate([y_train, y_test])) == list(range(n))       # disjoint, nothing lost
    again = annlib.train_test_split(X, y, test_size=test_size, seed=seed)
    np.testing.assert_array_equal(again[3], y_test)


def test_train_test_split_shuffles_and_checks():
    y = np.arange(100)
    _, _, y_train, _ = annlib.train_test_split(y[:, None], y, seed=0)
    assert not np.array_equal(y_train, np.sort(y_train))
    with pytest.raises(annlib.ShapeError, match="X has 10 samples but y has 9"):
        annlib.train_test_split(np.zeros((10, 2)), np.zeros(9))
    for bad in (0, 1, 1.5):
        with pytest.raises(ValueError, match=r"test_size.*\(0, 1\)"):
            annlib.train_test_split(np.zeros((10, 2)), np.zeros(10), test_size=bad)


def test_standardize_uses_training_statistics_only():
    rng = np.random.default_rng(0)
    X_train = rng.normal([3.0, -2.0, 5.0], [2.0, 0.5, 0.0], (500, 3))          # the third feature is constant
    X_test = rng.normal([10.0, 0.0, 5.0], [1.0, 1.0, 0.0], (100, 3))
    train, test = annlib.standardize(X_train, X_test)
    np.testing.assert_allclose(train[:, :2].mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(train[:, :2].std(axis=0), 1)
    mean, std = X_train.mean(axis=0), X_train.std(axis=0)
    np.testing.assert_allclose(test[:, :2], (X_test[:, :2] - mean[:2]) / std[:2])
    assert abs(test[:, 0].mean()) > 1, "the test set is not standardized with its own statistics"
    assert np.all(train[:, 2] == 0) and np.all(np.isfinite(test))            # constant: 0, not NaN
    np.testing.assert_allclose(annlib.standardize(X_train), train)            # alone: one array back


def test_one_hot():
    np.testing.assert_array_equal(annlib.one_hot(np.array([0, 2, 1])), [[1, 0, 0], [0, 0, 1], [0, 1, 0]])
    assert annlib.one_hot(np.array([1, 1]), n_classes=4).shape == (2, 4)
    y = np.random.default_rng(0).integers(0, 5, 50)
    np.testing.assert_array_equal(annlib.one_hot(y).argmax(axis=1), y)
    with pytest.raises(ValueError, match="integer labels of shape"):
        annlib.one_hot(np.array([0.5, 1.0]))
    with pytest.raises(ValueError, match=r"labels must be in 0\.\.1, got 0\.\.3"):
        annlib.one_hot(np.array([0, 3]), n_classes=2)
