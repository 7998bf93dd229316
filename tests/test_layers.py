"""Step 1: Dense and Dropout layers (gradients, dtypes, errors) and the weight initializers."""
import copy

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import annlib
from annlib import Dense, Dropout, gradcheck, numerical_gradient, relative_error
from annlib_strategies import DTYPES, SEEDS, f32_close, float_arrays


# ----------------------------------------------------------------------------------------------
# Dense
# ----------------------------------------------------------------------------------------------
@given(n=st.integers(1, 4), n_in=st.integers(1, 5), n_out=st.integers(1, 4), seed=SEEDS, data=st.data())
def test_dense_gradients_match_numerical(n, n_in, n_out, seed, data):
    x = data.draw(float_arrays((n, n_in)))
    layer = Dense(n_in, n_out, init="normal", bias_init=annlib.Normal(0.5), seed=seed)
    layer.W *= 50                                   # Normal(0.01) is too small to show a wrong formula
    report = gradcheck(layer, x, seed=seed)
    assert [row[0].rsplit(".", 1)[-1] for row in report.rows] == ["W", "b", "input X"]
    assert report.passed, str(report)


@given(n=st.integers(1, 4), n_in=st.integers(1, 5), n_out=st.integers(1, 4), seed=SEEDS, data=st.data())
def test_dense_backward_formulas(n, n_in, n_out, seed, data):
    """dW = xᵀ g, db = Σ g, dx = g Wᵀ, written out."""
    x = data.draw(float_arrays((n, n_in)))
    g = data.draw(float_arrays((n, n_out)))
    layer = Dense(n_in, n_out, bias_init=annlib.Normal(1.0), seed=seed)
    np.testing.assert_allclose(layer.forward(x), x @ layer.W + layer.b)
    dx = layer.backward(g)
    np.testing.assert_allclose(layer.dW, x.T @ g, atol=1e-12)
    np.testing.assert_allclose(layer.db, g.sum(axis=0), atol=1e-12)
    np.testing.assert_allclose(dx, g @ layer.W.T, atol=1e-12)


@given(n=st.integers(1, 4), n_in=st.integers(1, 5), n_out=st.integers(1, 4), seed=SEEDS, dtype=DTYPES,
       data=st.data())
def test_dense_dtype_is_kept(n, n_in, n_out, seed, dtype, data):
    x64 = data.draw(float_arrays((n, n_in)))
    g64 = data.draw(float_arrays((n, n_out)))
    ref = Dense(n_in, n_out, bias_init=annlib.Normal(1.0), seed=seed)
    layer = Dense(n_in, n_out, bias_init=annlib.Normal(1.0), seed=seed, dtype=dtype)
    assert layer.W.dtype == layer.b.dtype == layer.dW.dtype == layer.db.dtype == np.dtype(dtype)
    out, out64 = layer.forward(x64.astype(dtype)), ref.forward(x64)
    dx, dx64 = layer.backward(g64.astype(dtype)), ref.backward(g64)
    for name, a, b in [("output", out, out64), ("dx", dx, dx64), ("dW", layer.dW, ref.dW), ("db", layer.db, ref.db)]:
        if dtype == np.float32:
            f32_close(a, b, f"Dense float32 {name}")
        else:
            np.testing.assert_array_equal(a, b)


def test_dense_shapes_and_defaults():
    layer = Dense(3, 5, seed=0)
    assert layer.W.shape == (3, 5) and layer.b.shape == (5,)
    assert np.all(layer.b == 0), "biases start at zero by default"
    assert layer.forward(np.ones((7, 3))).shape == (7, 5)
    assert layer.num_parameters() == 3 * 5 + 5
    assert annlib.Linear is Dense
    np.testing.assert_array_equal(Dense(3, 5, seed=4).W, Dense(3, 5, seed=4).W)
    assert not np.array_equal(Dense(3, 5, seed=4).W, Dense(3, 5, seed=5).W)


def test_dense_owns_plain_arrays_and_the_bias_trick_is_an_identity():
    layer = Dense(3, 2, bias_init=annlib.Normal(1.0), seed=0)
    for name in ("W", "b", "dW", "db"):
        assert type(getattr(layer, name)) is np.ndarray and getattr(layer, name).base is None, name
    x = np.random.default_rng(0).standard_normal((5, 3))
    # notebook 3's bias trick: [x, 1] @ [W; b] is the same as x @ W + b
    np.testing.assert_allclose(layer.forward(x), np.hstack([x, np.ones((5, 1))]) @ np.vstack([layer.W, layer.b]))
    # a new W or b is simply used (and a new W of another shape changes n_in, n_out)
    layer.W = np.full((3, 2), 0.5)
    layer.b = np.array([1.0, -1.0])
    np.testing.assert_array_equal(layer.forward(np.zeros((1, 3))), [[1.0, -1.0]])
    layer.W = np.ones((4, 2))
    assert (layer.n_in, layer.n_out) == (4, 2)
    # a copy has its own arrays
    clone = copy.deepcopy(layer)
    clone.W[...] = 7.0
    assert np.all(layer.W == 1.0)
    np.testing.assert_array_equal(clone.forward(np.ones((1, 4))), [[29.0, 27.0]])


def test_dense_refuses_bad_input():
    layer = Dense(3, 2, name="hidden")
    with pytest.raises(annlib.ShapeError, match=r"hidden.*\(batch, 3\).*\(3, 2\).*\(4, 2\)"):
        layer.forward(np.ones((4, 2)))
    with pytest.raises(RuntimeError, match="hidden2: backward was called before forward. Call forward"):
        Dense(3, 2, name="hidden2").backward(np.ones((1, 2)))
    layer.forward(np.ones((4, 3)))
    with pytest.raises(annlib.ShapeError, match=r"\(4, 2\).*\(4, 3\)"):
        layer.backward(np.ones((4, 3)))
    for bad in (0, -1, 2.5, "3"):
        with pytest.raises(ValueError, match="n_in must be a positive integer"):
            Dense(bad, 2)


# ----------------------------------------------------------------------------------------------
# Dropout
# ----------------------------------------------------------------------------------------------
@given(shape=st.tuples(st.integers(1, 5), st.integers(1, 6)), p=st.floats(0.0, 0.9), seed=SEEDS, data=st.data())
def test_dropout_gradient_with_a_fixed_mask(shape, p, seed, data):
    """With the same random mask in every forward pass, backward is the derivative of forward."""
    x = data.draw(float_arrays(shape))
    R = np.random.default_rng(seed).standard_normal(shape)
    layer = Dropout(p, seed=seed)

    def L():
        layer.rng = np.random.default_rng(seed)     # the same mask every time
        return float(np.sum(layer.forward(x) * R))

    L()
    dx = layer.backward(R)
    num = numerical_gradient(L, x)
    assert relative_error(dx, num) < 1e-7
    np.testing.assert_allclose(dx, num, atol=1e-8)


@given(p=st.floats(0.05, 0.9), seed=SEEDS, dtype=DTYPES)
def test_dropout_mask_values_scale_and_eval_mode(p, seed, dtype):
    x = np.ones((200, 50), dtype=dtype)
    layer = Dropout(p, seed=seed)
    out = layer.forward(x)
    assert out.dtype == np.dtype(dtype)
    kept = out != 0
    np.testing.assert_allclose(out[kept], 1 / (1 - p), rtol=1e-6)     # inverted dropout: scaled up
    assert abs(kept.mean() - (1 - p)) < 0.03                          # 10 000 draws: ~5 standard errors
    assert abs(out.mean() - 1) < 0.15                                 # the expectation is unchanged
    np.testing.assert_array_equal(layer.backward(x), out)             # backward applies the same mask
    layer.eval()
    assert layer.forward(x) is x and layer.backward(x) is x
    layer.train()
    assert not np.array_equal(layer.forward(x), out)                  # a new mask each step


def test_dropout_refuses_bad_p():
    for bad in (-0.1, 1.0, 1.5):
        with pytest.raises(ValueError, match=r"p is the probability.*\[0, 1\)"):
            Dropout(bad)


# ----------------------------------------------------------------------------------------------
# Initializers
# ----------------------------------------------------------------------------------------------
FAN_IN, FAN_OUT = 400, 300
EXPECTED_VARIANCE = {
    "zeros": 0.0,
    "constant": 0.0,
    "normal": 0.01 ** 2,
    "uniform": 0.05 ** 2 / 3,
    "xavier_uniform": 2 / (FAN_IN + FAN_OUT), "glorot_uniform": 2 / (FAN_IN + FAN_OUT),
    "xavier_normal": 2 / (FAN_IN + FAN_OUT), "glorot_normal": 2 / (FAN_IN + FAN_OUT),
    "he_uniform": 2 / FAN_IN, "kaiming_uniform": 2 / FAN_IN,
    "he_normal": 2 / FAN_IN, "kaiming_normal": 2 / FAN_IN,
    "lecun_uniform": 1 / FAN_IN, "lecun_normal": 1 / FAN_IN,
}


def test_every_initializer_has_an_expected_variance():
    assert set(EXPECTED_VARIANCE) == set(annlib.INITIALIZERS)


@pytest.mark.parametrize("name", sorted(EXPECTED_VARIANCE))
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_initializer_shape_dtype_and_variance(name, dtype):
    init = annlib.get_initializer(name)
    W = init((FAN_IN, FAN_OUT), np.random.default_rng(0), dtype)
    assert W.shape == (FAN_IN, FAN_OUT) and W.dtype == np.dtype(dtype)
    var = EXPECTED_VARIANCE[name]
    # 120 000 samples: the sample variance is within ~0.5 % (normal) of the true one; allow 3 %.
    assert W.var() == pytest.approx(var, rel=0.03, abs=1e-12), f"{name}: variance {W.var()} expected {var}"
    assert abs(W.mean()) < 0.02 * np.sqrt(var) + 1e-12
    if name.endswith("uniform"):
        limit = np.sqrt(3 * var)
        assert np.abs(W).max() <= limit * (1 + 1e-6)
        assert np.abs(W).max() > 0.99 * limit
    np.testing.assert_array_equal(W, init((FAN_IN, FAN_OUT), np.random.default_rng(0), dtype))


def test_constant_and_custom_initializers():
    W = annlib.Constant(0.3)((2, 3), np.random.default_rng(0))
    np.testing.assert_array_equal(W, np.full((2, 3), 0.3))
    layer = Dense(2, 3, init=annlib.Normal(std=2.0), bias_init=annlib.Constant(0.1), seed=0)
    np.testing.assert_array_equal(layer.b, np.full(3, 0.1))
    big = annlib.Normal(std=2.0)((300, 300), np.random.default_rng(1))
    assert big.std() == pytest.approx(2.0, rel=0.02)
    init = annlib.VarianceScaling(2.0, "fan_out", "normal")
    assert init((100, 400), np.random.default_rng(0)).var() == pytest.approx(2 / 400, rel=0.03)


def test_mlp_chooses_he_for_relu_and_xavier_for_tanh():
    relu_net = annlib.mlp([50, 400, 1], "relu", seed=0)
    tanh_net = annlib.mlp([50, 400, 1], "tanh", seed=0)
    assert relu_net[0].W.var() == pytest.approx(2 / 50, rel=0.05)
    assert tanh_net[0].W.var() == pytest.approx(2 / (50 + 400), rel=0.05)


def test_unknown_initializer_lists_valid_names():
    with pytest.raises(ValueError, match="Unknown initializer 'glorot'") as e:
        annlib.get_initializer("glorot")
    for name in annlib.INITIALIZERS:
        assert name in str(e.value)
    with pytest.raises(ValueError, match="Unknown initializer"):
        Dense(2, 3, init="hee_normal")
    for bad in (0, -1.0):
        with pytest.raises(ValueError, match="std must be"):
            annlib.Normal(std=bad)
