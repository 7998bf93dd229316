"""Step 2: activation functions. Gradients, f/df consistency, dtypes and numerical stability."""
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import annlib
from annlib import ACTIVATIONS, get_activation, gradcheck
from annlib_strategies import DTYPES, SEEDS, batch_shapes, f32_close, float_arrays, values

TRAINABLE = sorted(set(ACTIVATIONS) - {"step"})                 # every activation backprop can go through
ELEMENTWISE = sorted(set(ACTIVATIONS) - {"softmax"})            # those with a plain derivative df(x)
KINKED = {"relu", "leaky_relu", "step", "elu"}     # not smooth at 0 (ELU: its second derivative jumps there)


def inputs(name, shape):
    """Input arrays for ``name``, kept 1e-3 away from its kink if it has one."""
    return float_arrays(shape, values(away_from_zero=1e-3 if name in KINKED else 0.0))


def test_registry_is_what_these_tests_cover():
    assert set(ACTIVATIONS) == {"identity", "linear", "step", "sigmoid", "tanh", "relu", "leaky_relu", "elu",
                                "gelu", "softplus", "silu", "swish", "softmax"}


# ----------------------------------------------------------------------------------------------
# Gradients
# ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", TRAINABLE)
@given(shape=batch_shapes(), seed=SEEDS, data=st.data())
def test_activation_backward_matches_numerical_gradient(name, shape, seed, data):
    x = data.draw(inputs(name, shape))
    report = gradcheck(get_activation(name), x, seed=seed)
    assert report.passed, f"{name}\n{report}"


@pytest.mark.parametrize("name", ["leaky_relu", "elu"])
@given(alpha=st.floats(0.01, 0.99), shape=batch_shapes(), seed=SEEDS, data=st.data())
def test_activation_with_alpha_backward(name, alpha, shape, seed, data):
    x = data.draw(float_arrays(shape, values(away_from_zero=1e-3)))
    act = get_activation(name, alpha=alpha)
    assert act.alpha == alpha
    report = gradcheck(act, x, seed=seed)
    assert report.passed, f"{name}(alpha={alpha})\n{report}"
    with np.errstate(all="ignore"):
        expected = {"leaky_relu": np.where(x > 0, x, alpha * x), "elu": np.where(x > 0, x, alpha * np.expm1(x))}[name]
    np.testing.assert_allclose(act.f(x), expected, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("name", TRAINABLE)
@given(shape=batch_shapes(), dtype=DTYPES, seed=SEEDS, data=st.data())
def test_activation_keeps_dtype(name, shape, dtype, seed, data):
    x = data.draw(inputs(name, shape))
    g = np.random.default_rng(seed).standard_normal(shape)
    ref, act = get_activation(name), get_activation(name)
    out, out64 = act.forward(x.astype(dtype)), ref.forward(x)
    dx, dx64 = act.backward(g.astype(dtype)), ref.backward(g)
    if dtype == np.float32:
        f32_close(out, out64, f"{name} forward")
        f32_close(dx, dx64, f"{name} backward")
    else:
        assert out.dtype == dx.dtype == np.float64
        np.testing.assert_array_equal(out, out64)


# ----------------------------------------------------------------------------------------------
# f and df
# ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ELEMENTWISE)
@given(x=float_arrays(st.integers(1, 20)))
def test_df_is_the_derivative_of_f(name, x):
    if name in KINKED:
        x = np.where(np.abs(x) < 1e-3, 0.5, x)
    act, h = get_activation(name), 1e-6
    numeric = (act.f(x + h) - act.f(x - h)) / (2 * h)
    np.testing.assert_allclose(act.df(x), numeric, rtol=1e-6, atol=1e-8, err_msg=name)


@pytest.mark.parametrize("name", ELEMENTWISE)
@given(x=float_arrays(batch_shapes()), seed=SEEDS)
def test_forward_is_f_and_backward_is_chain_rule_with_df(name, x, seed):
    if name == "step":
        x = np.where(np.abs(x) < 1e-3, 0.5, x)
    act = get_activation(name)
    g = np.random.default_rng(seed).standard_normal(x.shape)
    np.testing.assert_array_equal(act.forward(x), act.f(x))
    if name != "step":
        np.testing.assert_allclose(act.backward(g), g * act.df(x), rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("name, x, expected", [
    ("identity", [-2.0, 0.0, 3.0], [-2.0, 0.0, 3.0]),
    ("step", [-2.0, 0.0, 3.0], [0.0, 0.0, 1.0]),
    ("sigmoid", [-1.0, 0.0, 2.0], [1 / (1 + math.e), 0.5, 1 / (1 + math.exp(-2))]),
    ("tanh", [-1.0, 0.0, 2.0], [math.tanh(-1), 0.0, math.tanh(2)]),
    ("relu", [-2.0, 0.0, 3.0], [0.0, 0.0, 3.0]),
    ("leaky_relu", [-2.0, 0.0, 3.0], [-0.02, 0.0, 3.0]),
    ("elu", [-2.0, 0.0, 3.0], [math.exp(-2) - 1, 0.0, 3.0]),
    ("softplus", [-2.0, 0.0, 3.0], [math.log1p(math.exp(-2)), math.log(2), math.log1p(math.exp(3))]),
    ("silu", [-2.0, 0.0, 3.0], [-2 / (1 + math.exp(2)), 0.0, 3 / (1 + math.exp(-3))]),
])
def test_activation_values(name, x, expected):
    np.testing.assert_allclose(get_activation(name).f(np.array(x)), expected, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("name, x, expected", [
    ("relu", [-2.0, 0.0, 3.0], [0.0, 0.0, 1.0]),                   # 0 at the kink, as in PyTorch
    ("leaky_relu", [-2.0, 3.0], [0.01, 1.0]),
    ("step", [-2.0, 0.0, 3.0], [0.0, 0.0, 0.0]),
    ("sigmoid", [0.0], [0.25]),
    ("tanh", [0.0], [1.0]),
])
def test_derivative_values(name, x, expected):
    np.testing.assert_array_equal(get_activation(name).df(np.array(x)), expected)


def test_gelu_is_close_to_the_exact_x_phi_x():
    x = np.linspace(-6, 6, 1001)
    exact = np.array([v * 0.5 * (1 + math.erf(v / math.sqrt(2))) for v in x])
    assert np.max(np.abs(annlib.GELU().f(x) - exact)) < 1e-3


# ----------------------------------------------------------------------------------------------
# Softmax and step
# ----------------------------------------------------------------------------------------------
@given(z=float_arrays(st.tuples(st.integers(1, 4), st.integers(2, 5)), values(-30, 30)), seed=SEEDS)
def test_softmax_backward_is_the_jacobian_product(z, seed):
    act = annlib.Softmax()
    p = act.forward(z)
    np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=1e-12)
    assert np.all(p >= 0)
    np.testing.assert_allclose(annlib.softmax(z + 123.0), p, rtol=1e-9, atol=1e-15)   # shift invariant
    g = np.random.default_rng(seed).standard_normal(z.shape)
    expected = np.stack([(np.diag(pi) - np.outer(pi, pi)) @ gi for pi, gi in zip(p, g)])
    np.testing.assert_allclose(act.backward(g), expected, rtol=1e-9, atol=1e-15)


def test_softmax_has_no_elementwise_derivative():
    with pytest.raises(NotImplementedError, match="Jacobian"):
        annlib.Softmax().df(np.zeros((1, 3)))


def test_step_backward_raises_a_clear_error():
    step = get_activation("step")
    step.forward(np.array([[-1.0, 1.0]]))
    with pytest.raises(RuntimeError, match="step activation cannot be trained by backpropagation") as e:
        step.backward(np.ones((1, 2)))
    assert "derivative is 0" in str(e.value) and "sigmoid" in str(e.value)
    X, y = annlib.make_gaussian(20, seed=0)
    net = annlib.mlp([2, 4, 1], "step", output="sigmoid", seed=0)
    with pytest.raises(RuntimeError, match="step activation"):
        annlib.fit(net, X, y, loss="bce", optimizer=annlib.SGD(0.1), epochs=1, progress=False)


# ----------------------------------------------------------------------------------------------
# Stability: inputs up to ±1e4 raise no floating-point error, in float64 and float32
# ----------------------------------------------------------------------------------------------
EXTREMES = np.array([[-1e4, -1e3, -100.0, -30.0, -1.0, -1e-8, 0.0, 1e-8, 1.0, 30.0, 100.0, 1e3, 1e4]])


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_activation_is_stable_for_extreme_inputs(name, dtype):
    x = EXTREMES.astype(dtype)
    act = get_activation(name)
    g = np.ones_like(x)
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        results = {"f": act.f(x), "forward": act.forward(x)}
        if name != "softmax":
            results["df"] = act.df(x)
        if name != "step":
            results["backward"] = act.backward(g)
    for what, r in results.items():
        assert r.dtype == np.dtype(dtype), f"{name}.{what}: {r.dtype}, expected {np.dtype(dtype)}"
        assert np.all(np.isfinite(r)), f"{name}.{what} is not finite: {r}"


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_extreme_values_are_right(dtype):
    x = np.array([[-1e4, 1e4]], dtype=dtype)
    f = {name: get_activation(name).f(x)[0] for name in ACTIVATIONS}
    np.testing.assert_array_equal(f["sigmoid"], [0, 1])
    np.testing.assert_array_equal(f["tanh"], [-1, 1])
    np.testing.assert_array_equal(f["softplus"], [0, 1e4])
    np.testing.assert_array_equal(f["silu"], [0, 1e4])
    np.testing.assert_array_equal(f["gelu"], [0, 1e4])
    np.testing.assert_array_equal(f["elu"], [-1, 1e4])
    np.testing.assert_array_equal(f["softmax"], [0, 1])
    np.testing.assert_array_equal(get_activation("sigmoid").df(x)[0], [0, 0])


# ----------------------------------------------------------------------------------------------
# The registry, custom activations, errors
# ----------------------------------------------------------------------------------------------
def test_get_activation_accepts_names_objects_and_function_pairs():
    assert isinstance(get_activation("Leaky-ReLU"), annlib.LeakyReLU)
    assert get_activation("relu") is not get_activation("relu")
    relu = annlib.ReLU()
    assert get_activation(relu) is relu
    assert isinstance(get_activation("swish"), annlib.SiLU) and isinstance(get_activation("linear"), annlib.Identity)


def test_custom_activation_trains_through_a_network():
    custom = get_activation((np.tanh, lambda x: 1 - np.tanh(x) ** 2))
    assert isinstance(custom, annlib.Custom)
    x = np.linspace(-2, 2, 6).reshape(2, 3)
    np.testing.assert_allclose(custom.forward(x), np.tanh(x))
    net = annlib.mlp([2, 3, 3, 1], custom, seed=0)
    hidden = [layer for layer in net if isinstance(layer, annlib.Custom)]
    assert len(hidden) == 2 and hidden[0] is not hidden[1], "each hidden layer needs its own activation object"
    X, y = annlib.make_plane(10, seed=0)
    report = gradcheck(net, X, y, loss=annlib.MSELoss())
    assert report.passed, str(report)
    with pytest.raises(TypeError, match="two functions"):
        annlib.Custom(np.tanh, "not a function")


def test_unknown_activation_lists_valid_names():
    with pytest.raises(ValueError, match="Unknown activation 'rleu'. Did you mean 'relu'") as e:
        get_activation("rleu")
    for name in ACTIVATIONS:
        assert name in str(e.value)
    with pytest.raises(ValueError, match="Unknown activation 'sigmod'"):
        annlib.mlp([2, 3, 1], "sigmod")
    with pytest.raises(TypeError, match="got int"):
        get_activation(3)


def test_activation_parameters_are_checked():
    with pytest.raises(ValueError, match=r"alpha must be in \[0, 1\)"):
        annlib.LeakyReLU(alpha=1.5)
    with pytest.raises(ValueError, match="alpha must be > 0"):
        annlib.ELU(alpha=0)
