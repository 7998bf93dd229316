"""Step 3: the network. Whole-network gradients, parameters, summary, predictions, dtypes and errors."""
import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import annlib
from student_fakes import flat
from annlib import Dense, Sequential, gradcheck, mlp
from annlib_strategies import SEEDS, assert_gradcheck_passed, float_arrays, values

SMOOTH = ["tanh", "sigmoid", "gelu", "softplus", "silu", "identity"]
HEADS = {   # output activation, loss, number of outputs (None: any)
    "softmax + cross_entropy": ("softmax", annlib.CategoricalCrossEntropy, None),
    "logits + softmax_cross_entropy": (None, annlib.SoftmaxCrossEntropy, None),
    "sigmoid + bce": ("sigmoid", annlib.BCELoss, None),
    "logits + bce_logits": (None, annlib.BCEWithLogitsLoss, None),
    "identity + mse": (None, annlib.MSELoss, None),
    "identity + huber": (None, annlib.HuberLoss, None),
    "tanh + mse": ("tanh", annlib.MSELoss, None),
}


def targets(head, n, n_out, rng, onehot=False):
    output, loss_cls, _ = HEADS[head]
    if loss_cls in (annlib.CategoricalCrossEntropy, annlib.SoftmaxCrossEntropy):
        labels = rng.integers(0, n_out, n)
        return np.eye(n_out)[labels] if onehot else labels
    if loss_cls in (annlib.BCELoss, annlib.BCEWithLogitsLoss):
        return rng.integers(0, 2, (n, n_out)).astype(float)
    return rng.uniform(-1, 1, (n, n_out))


@pytest.mark.parametrize("head", sorted(HEADS))
@given(sizes=st.lists(st.integers(1, 4), min_size=1, max_size=3), n_out=st.integers(1, 3),
       activation=st.sampled_from(SMOOTH), n=st.integers(1, 5), onehot=st.booleans(), dropout=st.sampled_from([0, 0.5]),
       seed=SEEDS, data=st.data())
def test_network_gradients_with_loss(head, sizes, n_out, activation, n, onehot, dropout, seed, data):
    """Every parameter of an mlp (and dL/dX) against the numerical gradient of the loss."""
    output, loss_cls, _ = HEADS[head]
    if loss_cls in (annlib.CategoricalCrossEntropy, annlib.SoftmaxCrossEntropy):
        n_out = max(n_out, 2)
    rng = np.random.default_rng(seed)
    net = mlp([*sizes, n_out], activation, output=output, dropout=dropout, seed=seed)
    X = data.draw(float_arrays((n, sizes[0]), values(-3, 3)))
    y = targets(head, n, n_out, rng, onehot)
    if loss_cls is annlib.BCELoss:
        # With p within 1e-3 of 0 or 1, ln(p) and ln(1 - p) lose digits to rounding (the reason for
        # BCEWithLogitsLoss), and the central difference divides that noise by 2h: not a backward bug.
        p = net.eval().forward(X)
        assume(np.all((p > 1e-3) & (p < 1 - 1e-3)))
        net.train()
    report = gradcheck(net, X, y, loss=loss_cls(), tol=1e-5)        # a wrong formula gives > 1e-2
    assert len(report.rows) == 2 * (len(sizes)) + 1
    assert_gradcheck_passed(report)
    assert net.training, "gradcheck puts the network back in training mode"


@pytest.mark.parametrize("activation", ["relu", "leaky_relu", "elu"])
@pytest.mark.parametrize("seed", range(3))
def test_relu_family_network_gradients(activation, seed):
    X, y = annlib.make_spiral(12, seed=seed, n_classes=3)
    net = mlp([2, 6, 5, 3], activation, seed=seed)
    report = gradcheck(net, X, y, loss=annlib.SoftmaxCrossEntropy())
    assert_gradcheck_passed(report)


def test_backward_returns_input_gradient_and_fills_every_layer():
    net = mlp([3, 4, 2], "tanh", seed=0)
    X = np.random.default_rng(0).standard_normal((5, 3))
    out = net.forward(X)
    dX = net.backward(np.ones_like(out))
    assert dX.shape == X.shape
    assert all(np.any(g != 0) for g in net.gradients())


# ----------------------------------------------------------------------------------------------
# Parameters
# ----------------------------------------------------------------------------------------------
def test_parameters_are_the_layers_own_arrays():
    net = mlp([3, 5, 4, 2], "relu", seed=0)
    params, grads = net.parameters(), net.gradients()
    assert [p.shape for p in params] == [(3, 5), (5,), (5, 4), (4,), (4, 2), (2,)]
    assert [g.shape for g in grads] == [p.shape for p in params]
    assert net.num_parameters() == 3 * 5 + 5 + 5 * 4 + 4 + 4 * 2 + 2 == sum(p.size for p in params)
    assert net.num_parameters() == sum(layer.num_parameters() for layer in net)
    assert [id(p) for p in params] == [id(a) for layer in net.param_layers for a in (layer.W, layer.b)]
    net[0].W[0, 0] = -7.0
    assert net.parameters()[0][0, 0] == -7.0
    names = [name for name, _, _ in net.named_parameters()]
    assert names == ["dense1.W", "dense1.b", "dense2.W", "dense2.b", "dense3.W", "dense3.b"]
    # state_dict: a snapshot by name, and load_state_dict copies it back
    state = net.state_dict()
    assert list(state) == names and state["dense1.W"] is not net[0].W
    net[0].W[...] = 0.0
    net.load_state_dict(state)
    assert net[0].W[0, 0] == -7.0
    with pytest.raises(ValueError, match="dense1.W of shape \\(3, 5\\) is missing"):
        net.load_state_dict({})


def test_same_seed_same_network():
    a, b, c = mlp([2, 8, 1], seed=3), mlp([2, 8, 1], seed=3), mlp([2, 8, 1], seed=4)
    np.testing.assert_array_equal(flat(a), flat(b))
    assert not np.array_equal(flat(a), flat(c))


def test_summary_lists_layers_shapes_and_parameter_count(capsys):
    net = mlp([64, 32, 16, 10], "relu", output="softmax", dropout=0.2, seed=0)
    net.summary()
    text = capsys.readouterr().out
    for name in ("dense1", "dense2", "dense3", "relu", "dropout(p=0.2)", "softmax"):
        assert name in text
    for shape in ("(batch, 32)", "(batch, 16)", "(batch, 10)"):
        assert shape in text
    total = 64 * 32 + 32 + 32 * 16 + 16 + 16 * 10 + 10
    assert f"Total parameters: {total:,}" in text
    assert f"{64 * 32 + 32:,}" in text           # the first layer's own count


# ----------------------------------------------------------------------------------------------
# Predictions
# ----------------------------------------------------------------------------------------------
def test_predict_and_predict_proba_with_softmax_output():
    net = mlp([2, 8, 3], "tanh", output="softmax", dropout=0.5, seed=0)
    X = np.random.default_rng(0).standard_normal((20, 2))
    net.train()
    proba = net.predict_proba(X)
    assert proba.shape == (20, 3)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    labels = net.predict(X)
    assert labels.shape == (20,) and np.issubdtype(labels.dtype, np.integer)
    np.testing.assert_array_equal(labels, proba.argmax(axis=1))
    np.testing.assert_array_equal(net.predict_proba(X), proba)     # predictions run with dropout off
    assert net.training, "predict restores the training mode"


def test_predict_and_predict_proba_with_single_sigmoid_output():
    net = mlp([2, 8, 1], "tanh", output="sigmoid", seed=0)
    X = np.random.default_rng(1).standard_normal((30, 2)) * 3
    p1 = net.forward(X)[:, 0]
    proba = net.predict_proba(X)
    assert proba.shape == (30, 2)
    np.testing.assert_allclose(proba[:, 1], p1)
    np.testing.assert_allclose(proba[:, 0], 1 - p1)
    labels = net.predict(X)
    assert labels.shape == (30,) and np.issubdtype(labels.dtype, np.integer)
    np.testing.assert_array_equal(labels, (p1 > 0.5).astype(int))


def test_predict_with_dropout_before_a_sigmoid_output():
    net = Sequential(Dense(2, 1, seed=0), annlib.Dropout(0.2), annlib.Sigmoid())
    X = np.random.default_rng(1).standard_normal((10, 2))
    np.testing.assert_array_equal(net.predict(X), (net.predict_proba(X)[:, 1] > 0.5).astype(int))
    several = Sequential(Dense(2, 3, seed=0), annlib.Sigmoid())          # several sigmoid units: probabilities
    assert several.predict(X).shape == (10, 3)


def test_predict_of_a_regression_network_is_its_output():
    net = mlp([2, 8, 1], "tanh", seed=0)
    X = np.random.default_rng(1).standard_normal((5, 2))
    np.testing.assert_array_equal(net.predict(X), net.forward(X))
    with pytest.raises(TypeError, match="predict_proba needs a network whose last layer is Softmax"):
        net.predict_proba(X)


# ----------------------------------------------------------------------------------------------
# dtypes: float32 stays float32 through every layer
# ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("activation", sorted(set(annlib.ACTIVATIONS) - {"step", "softmax"}))
def test_float32_through_every_layer(activation):
    net = mlp([3, 6, 5, 4], activation, output="softmax", dropout=0.3, seed=0, dtype=np.float32)
    assert net.dtype == np.float32 and {a.dtype for a in net.parameters() + net.gradients()} == {np.dtype(np.float32)}
    x = np.random.default_rng(1).standard_normal((7, 3)).astype(np.float32)
    for layer in net:
        x = layer.forward(x)
        assert x.dtype == np.float32, f"{layer.name} forward gave {x.dtype}"
    g = np.ones_like(x)
    for layer in reversed(net.layers):
        g = layer.backward(g)
        assert g.dtype == np.float32, f"{layer.name} backward gave {g.dtype}"
    assert all(p.dtype == np.float32 for p in net.parameters() + net.gradients())
    assert net.forward(np.ones((2, 3))).dtype == np.float32          # float64 input is cast to the network's dtype
    assert net.predict_proba(np.ones((2, 3))).dtype == np.float32


def test_layers_of_different_dtypes_are_refused():
    with pytest.raises(TypeError, match="one dtype"):
        Sequential(Dense(2, 3), annlib.ReLU(), Dense(3, 1, dtype=np.float32))


# ----------------------------------------------------------------------------------------------
# Errors at the boundary
# ----------------------------------------------------------------------------------------------
def test_shape_mismatch_between_layers_names_the_layer_and_both_shapes():
    net = Sequential(Dense(2, 4, name="hidden"), annlib.ReLU(), Dense(5, 1, name="output"))
    with pytest.raises(annlib.ShapeError) as e:
        net.forward(np.ones((3, 2)))
    msg = str(e.value)
    assert "output" in msg and "(batch, 5)" in msg and "(3, 4)" in msg and "n_out" in msg


def test_wrong_number_of_features_names_the_first_layer():
    net = mlp([3, 4, 1], seed=0)
    with pytest.raises(annlib.ShapeError, match=r"dense1: expects input of shape \(batch, 3\).*got \(6, 2\)"):
        net.forward(np.ones((6, 2)))


def test_one_dimensional_X_suggests_reshape():
    net = mlp([1, 4, 1], seed=0)
    with pytest.raises(annlib.ShapeError, match=r"X must be 2-D.*got shape \(5,\)") as e:
        net.forward(np.linspace(0, 1, 5))
    assert "X.reshape(-1, 1)" in str(e.value) and "X.reshape(1, -1)" in str(e.value)
    with pytest.raises(annlib.ShapeError, match=r"reshape\(-1, 1\)"):
        annlib.fit(net, np.linspace(0, 1, 5), np.zeros(5), loss="mse", optimizer=annlib.SGD(), progress=False)


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_X_is_refused(bad):
    net = mlp([2, 4, 1], seed=0)
    X = np.ones((4, 2))
    X[2, 1] = bad
    with pytest.raises(ValueError, match=r"X contains 1 non-finite value.*X\[2, 1\]"):
        net.forward(X)
    with pytest.raises(ValueError, match="non-finite"):
        annlib.fit(net, X, np.zeros(4), loss="mse", optimizer=annlib.SGD(), progress=False)


def test_non_numeric_X_and_non_layers_are_refused():
    with pytest.raises(TypeError, match="numeric array"):
        mlp([2, 1]).forward(np.array([["a", "b"]]))
    with pytest.raises(TypeError, match="item 1 is a str, not a layer"):
        Sequential(Dense(2, 2), "relu")
    with pytest.raises(ValueError, match="sizes must be at least"):
        mlp([3])
    with pytest.raises(ValueError, match="positive integers"):
        mlp([3, 0, 1])


def test_a_layer_of_your_own_with_parameters_is_trained():
    class Scale(annlib.Layer):                    # z = x · s, one trainable factor per feature
        param_names = ("s",)

        def __init__(self, n):
            self.s, self.ds, self.name = np.ones(n), np.zeros(n), "scale"

        def forward(self, x):
            self.x = x
            return x * self.s

        def backward(self, grad):
            self.ds = (grad * self.x).sum(axis=0)
            return grad * self.s

    net = Sequential(Scale(2), Dense(2, 2, seed=0))
    assert net.num_parameters() == 2 + 3 * 2
    assert net.parameters()[0] is net[0].s
    X, y = annlib.make_xor(40, seed=0)
    annlib.fit(net, X, y, loss="softmax_cross_entropy", optimizer=annlib.SGD(0.5), epochs=3, progress=False)
    assert not np.allclose(net[0].s, 1.0)                                  # the optimizer reached it
    assert annlib.gradcheck(net, X[:5], y[:5], loss=annlib.SoftmaxCrossEntropy()).passed
