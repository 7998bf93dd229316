"""End to end: small networks trained by annlib learn real and toy problems (seeded, so deterministic)."""
import numpy as np
import pytest

import annlib


def test_digits_mlp_reaches_97_percent():
    X, y = annlib.load_digits()
    X_train, X_test, y_train, y_test = annlib.train_test_split(X, y, test_size=0.2, seed=0)
    net = annlib.mlp([64, 256, 10], "relu", output="softmax", dropout=0.3, seed=0)
    annlib.fit(net, X_train, y_train, loss="cross_entropy", optimizer=annlib.Adam(0.003), epochs=30, batch_size=32,
               schedule=annlib.CosineLR(0.003, total=30), seed=0, progress=False)
    acc = annlib.accuracy(y_test, net.predict(X_test))
    assert acc >= 0.97, f"test accuracy {acc:.3f}"
    C = annlib.confusion_matrix(y_test, net.predict(X_test), n_classes=10)
    assert C.sum() == len(y_test) and np.trace(C) / C.sum() == pytest.approx(acc)


@pytest.mark.parametrize("seed", [0, 1])
def test_xor_is_learned(seed):
    X, y = annlib.make_xor(400, seed=seed)
    X_test, y_test = annlib.make_xor(1000, seed=seed + 100)
    net = annlib.mlp([2, 16, 16, 1], "tanh", output="sigmoid", seed=seed)
    annlib.fit(net, X, y, loss="bce", optimizer=annlib.Adam(0.02), epochs=100, batch_size=32, seed=seed,
               progress=False)
    assert annlib.accuracy(y_test, net.predict(X_test)) >= 0.99


@pytest.mark.parametrize("seed", [0, 1])
def test_circle_is_learned(seed):
    X, y = annlib.make_circle(400, seed=seed)
    X_test, y_test = annlib.make_circle(1000, seed=seed + 100)
    net = annlib.mlp([2, 16, 2], "tanh", output="softmax", seed=seed)
    annlib.fit(net, X, y, loss="cross_entropy", optimizer=annlib.Adam(0.02), epochs=100, batch_size=32, seed=seed,
               progress=False)
    assert annlib.accuracy(y_test, net.predict(X_test)) >= 0.99


def test_a_linear_model_cannot_learn_xor():
    """The reason for hidden layers: without one, XOR stays near chance."""
    X, y = annlib.make_xor(400, seed=0)
    net = annlib.mlp([2, 1], output="sigmoid", seed=0)
    annlib.fit(net, X, y, loss="bce", optimizer=annlib.Adam(0.02), epochs=50, seed=0, progress=False)
    assert annlib.accuracy(y, net.predict(X)) < 0.75


def test_regression_curve_is_fitted():
    X, y = annlib.make_regression_1d(200, noise=0.0, seed=0)
    net = annlib.mlp([1, 32, 32, 1], "tanh", seed=0)
    h = annlib.fit(net, X, y, loss="mse", optimizer=annlib.Adam(0.01), epochs=150, batch_size=32, seed=0,
                   progress=False)
    assert h.loss[-1] < 0.01 < h.loss[0]
    assert np.max(np.abs(net.predict(X) - y)) < 0.25
