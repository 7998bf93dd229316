"""Step 4: losses. Values against their formulas, gradients against numerical ones, dtypes, stability, errors."""
import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import annlib
from annlib import (BCELoss, BCEWithLogitsLoss, CategoricalCrossEntropy, HuberLoss, MAELoss, MSELoss,
                    SoftmaxCrossEntropy, numerical_gradient, relative_error)
from annlib_strategies import DTYPES, f32_close, float_arrays, values

SHAPES = st.tuples(st.integers(1, 5), st.integers(1, 4))
CLASS_SHAPES = st.tuples(st.integers(1, 5), st.integers(2, 5))


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def check_gradient(loss, y_pred, y_true, dtype=np.float64, h=1e-5, tol=1e-6):
    """backward() equals the central-difference gradient of forward() with respect to y_pred (float64);
    in float32 it equals the float64 gradient to float32 precision and stays float32.

    The callers keep the true gradient away from 0: where it is 0 (a perfect prediction) the relative
    error compares rounding noise with 0 and is meaningless."""
    y_pred = np.array(y_pred, dtype=np.float64)

    def L():
        return loss.forward(y_pred, y_true)

    value = L()
    assert isinstance(value, float)
    analytic = loss.backward().copy()
    assert analytic.shape == y_pred.shape and analytic.dtype == np.float64
    numeric = numerical_gradient(L, y_pred, h=h)
    assert relative_error(analytic, numeric) < tol, f"{loss!r}: analytic {analytic} numeric {numeric}"
    if dtype == np.float32:
        value32 = loss.forward(y_pred.astype(np.float32), y_true)
        assert value32 == pytest.approx(value, rel=1e-4, abs=1e-5)
        f32_close(loss.backward(), analytic, f"{loss!r} gradient in float32")
    return value


def class_targets(data, n, C, onehot):
    labels = np.array(data.draw(st.lists(st.integers(0, C - 1), min_size=n, max_size=n)))
    return (np.eye(C)[labels] if onehot else labels), labels


# ----------------------------------------------------------------------------------------------
# Regression losses
# ----------------------------------------------------------------------------------------------
@given(shape=SHAPES, dtype=DTYPES, data=st.data())
def test_mse(shape, dtype, data):
    y_pred = data.draw(float_arrays(shape))
    y_true = y_pred + data.draw(float_arrays(shape, values(-3, 3, away_from_zero=1e-2)))
    value = check_gradient(MSELoss(), y_pred, y_true, dtype)
    assert value == pytest.approx(np.mean((y_pred - y_true) ** 2), rel=1e-12, abs=1e-300)


@given(shape=SHAPES, dtype=DTYPES, data=st.data())
def test_mae_away_from_zero_differences(shape, dtype, data):
    y_pred = data.draw(float_arrays(shape))
    y_true = y_pred + data.draw(float_arrays(shape, values(-3, 3, away_from_zero=1e-2)))
    value = check_gradient(MAELoss(), y_pred, y_true, dtype)
    assert value == pytest.approx(np.mean(np.abs(y_pred - y_true)), rel=1e-12)


@given(shape=SHAPES, delta=st.floats(0.1, 3.0), dtype=DTYPES, data=st.data())
def test_huber(shape, delta, dtype, data):
    y_pred = data.draw(float_arrays(shape))
    y_true = y_pred + data.draw(float_arrays(shape, values(-3, 3, away_from_zero=1e-2)))
    assume(np.min(np.abs(np.abs(y_pred - y_true) - delta)) > 1e-3)   # the curvature jumps where |d| = δ
    value = check_gradient(HuberLoss(delta), y_pred, y_true, dtype)
    d = np.abs(y_pred - y_true)
    expected = np.mean(np.where(d <= delta, 0.5 * d ** 2, delta * (d - 0.5 * delta)))
    assert value == pytest.approx(expected, rel=1e-12, abs=1e-300)


def test_regression_target_of_shape_n_fits_a_single_output():
    y_pred = np.array([[1.0], [2.0], [4.0]])
    loss = MSELoss()
    assert loss.forward(y_pred, np.array([1.0, 1.0, 1.0])) == pytest.approx((0 + 1 + 9) / 3)
    np.testing.assert_allclose(loss.backward(), [[0.0], [2 / 3], [6 / 3]])


# ----------------------------------------------------------------------------------------------
# Binary classification
# ----------------------------------------------------------------------------------------------
@given(shape=SHAPES, soft=st.booleans(), dtype=DTYPES, data=st.data())
def test_bce_on_probabilities(shape, soft, dtype, data):
    p = data.draw(float_arrays(shape, st.floats(0.01, 0.99)))
    y = data.draw(float_arrays(shape, st.floats(0, 1) if soft else st.sampled_from([0.0, 1.0])))
    assume(np.max(np.abs(p - y)) > 1e-2)
    value = check_gradient(BCELoss(), p, y, dtype)
    assert value == pytest.approx(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)), rel=1e-12)


@given(shape=SHAPES, soft=st.booleans(), dtype=DTYPES, data=st.data())
def test_bce_with_logits(shape, soft, dtype, data):
    z = data.draw(float_arrays(shape, values(-8, 8)))
    y = data.draw(float_arrays(shape, st.floats(0, 1) if soft else st.sampled_from([0.0, 1.0])))
    assume(np.max(np.abs(sigmoid(z) - y)) > 1e-2)
    value = check_gradient(BCEWithLogitsLoss(), z, y, dtype)
    p = sigmoid(z)
    assert value == pytest.approx(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)), rel=1e-9)


# ----------------------------------------------------------------------------------------------
# Multi-class: integer labels and one-hot rows
# ----------------------------------------------------------------------------------------------
@given(shape=CLASS_SHAPES, onehot=st.booleans(), dtype=DTYPES, data=st.data())
def test_categorical_cross_entropy(shape, onehot, dtype, data):
    n, C = shape
    p = annlib.softmax(data.draw(float_arrays(shape, values(-2, 2))))     # p ≥ 0.003: ln p is curved near 0
    target, labels = class_targets(data, n, C, onehot)
    value = check_gradient(CategoricalCrossEntropy(), p, target, dtype, h=1e-6)
    assert value == pytest.approx(-np.mean(np.log(p[np.arange(n), labels])), rel=1e-12)


@given(shape=CLASS_SHAPES, onehot=st.booleans(), dtype=DTYPES, data=st.data())
def test_softmax_cross_entropy(shape, onehot, dtype, data):
    n, C = shape
    z = data.draw(float_arrays(shape, values(-5, 5)))
    target, labels = class_targets(data, n, C, onehot)
    value = check_gradient(SoftmaxCrossEntropy(), z, target, dtype)
    p = annlib.softmax(z)
    assert value == pytest.approx(-np.mean(np.log(p[np.arange(n), labels])), rel=1e-9)
    np.testing.assert_allclose(SoftmaxCrossEntropy().forward(z, labels), value, rtol=1e-12)
    loss = SoftmaxCrossEntropy()
    loss.forward(z, target)
    np.testing.assert_allclose(loss.backward(), (p - np.eye(C)[labels]) / n, atol=1e-15)   # the short gradient


@given(shape=CLASS_SHAPES, soft=st.booleans(), data=st.data())
def test_softmax_cross_entropy_equals_softmax_then_categorical(shape, soft, data):
    """The fused loss is exactly the two steps composed, and so is its gradient."""
    n, C = shape
    z = data.draw(float_arrays(shape, values(-10, 10)))
    labels = np.array(data.draw(st.lists(st.integers(0, C - 1), min_size=n, max_size=n)))
    target = annlib.softmax(data.draw(float_arrays(shape))) if soft else labels
    fused, softmax, cce = SoftmaxCrossEntropy(), annlib.Softmax(), CategoricalCrossEntropy()
    assert fused.forward(z, target) == pytest.approx(cce.forward(softmax.forward(z), target), rel=1e-9)
    np.testing.assert_allclose(fused.backward(), softmax.backward(cce.backward()), rtol=1e-7, atol=1e-12)


# ----------------------------------------------------------------------------------------------
# Stability: probabilities exactly 0 and 1, logits and errors up to ±1e4
# ----------------------------------------------------------------------------------------------
STRICT = dict(over="raise", invalid="raise", divide="raise")


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("loss, y_pred, y_true", [
    (MSELoss(), [[1e4], [-1e4], [0.0]], [[-1e4], [1e4], [0.0]]),
    (MAELoss(), [[1e4], [-1e4], [0.0]], [[-1e4], [1e4], [0.0]]),
    (HuberLoss(), [[1e4], [-1e4], [0.0]], [[-1e4], [1e4], [0.0]]),
    (BCELoss(), [[0.0], [1.0], [0.0], [1.0]], [[0.0], [1.0], [1.0], [0.0]]),
    (BCEWithLogitsLoss(), [[1e4], [-1e4], [1e4], [-1e4], [0.0]], [[1.0], [0.0], [0.0], [1.0], [1.0]]),
    (CategoricalCrossEntropy(), [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]], [0, 2]),
    (CategoricalCrossEntropy(), [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]], [[1, 0, 0], [0, 0, 1]]),
    (SoftmaxCrossEntropy(), [[1e4, -1e4, 0.0], [-1e4, 1e4, 1e4]], [0, 0]),
    (SoftmaxCrossEntropy(), [[1e4, -1e4, 0.0], [-1e4, 1e4, 1e4]], [[0, 1, 0], [1, 0, 0]]),
], ids=lambda v: type(v).__name__ if isinstance(v, annlib.Loss) else "")
def test_loss_is_stable_for_extreme_inputs(loss, y_pred, y_true, dtype):
    y_pred = np.array(y_pred, dtype=dtype)
    with np.errstate(**STRICT):
        value = loss.forward(y_pred, y_true)
        grad = loss.backward()
    assert np.isfinite(value), f"{loss!r} gave {value}"
    assert grad.dtype == np.dtype(dtype), f"{loss!r}: gradient is {grad.dtype}, expected {np.dtype(dtype)}"
    assert np.all(np.isfinite(grad)), f"{loss!r}: gradient {grad}"


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_extreme_loss_values_are_right(dtype):
    with np.errstate(**STRICT):
        assert SoftmaxCrossEntropy().forward(np.array([[1e4, -1e4]], dtype), [1]) == pytest.approx(2e4)
        assert SoftmaxCrossEntropy().forward(np.array([[1e4, -1e4]], dtype), [0]) == 0.0
        assert BCEWithLogitsLoss().forward(np.array([[1e4]], dtype), [[0.0]]) == pytest.approx(1e4)
        assert BCEWithLogitsLoss().forward(np.array([[-1e4]], dtype), [[0.0]]) == 0.0
        assert BCELoss().forward(np.array([[1.0], [0.0]], dtype), [[1.0], [0.0]]) < 1e-6
        # a confident wrong answer costs a large but finite loss: -ln(ε)
        assert 15 < BCELoss().forward(np.array([[0.0]], dtype), [[1.0]]) < 30
        assert 15 < CategoricalCrossEntropy().forward(np.array([[1.0, 0.0]], dtype), [1]) < 30


# ----------------------------------------------------------------------------------------------
# Errors and the registry
# ----------------------------------------------------------------------------------------------
def test_loss_shape_errors_name_both_shapes():
    with pytest.raises(annlib.ShapeError, match=r"MSELoss: y_pred has shape \(3, 2\) but y_true has shape \(3,\)"):
        MSELoss().forward(np.zeros((3, 2)), np.zeros(3))
    with pytest.raises(annlib.ShapeError, match=r"one-hot targets have shape \(2, 4\) but y_pred has shape \(2, 3\)"):
        SoftmaxCrossEntropy().forward(np.zeros((2, 3)), np.eye(4)[:2])
    with pytest.raises(annlib.ShapeError, match="3 predictions but 2 labels"):
        CategoricalCrossEntropy().forward(np.full((3, 2), 0.5), [0, 1])
    with pytest.raises(annlib.ShapeError, match=r"y_pred must be \(n_samples, n_classes\)"):
        SoftmaxCrossEntropy().forward(np.zeros(3), [0, 1, 2])


def test_labels_out_of_range_name_the_bad_values():
    for loss in (SoftmaxCrossEntropy(), CategoricalCrossEntropy()):
        with pytest.raises(ValueError, match=r"labels outside 0\.\.2: \[-1, 3, 7\].*3 units"):
            loss.forward(np.full((5, 3), 1 / 3), [0, 3, 7, -1, 3])
    with pytest.raises(TypeError, match="integer class labels"):
        SoftmaxCrossEntropy().forward(np.zeros((2, 3)), [0.5, 1.0])
    with pytest.raises(ValueError, match=r"targets must be in \[0, 1\].*from 0\.0 to 2\.0"):
        BCELoss().forward(np.full((2, 1), 0.5), [0, 2])
    with pytest.raises(ValueError, match=r"targets must be in \[0, 1\].*-1\.0"):
        BCEWithLogitsLoss().forward(np.zeros((2, 1)), [-1, 1])


def test_loss_registry():
    for name, cls in annlib.LOSSES.items():
        assert isinstance(annlib.get_loss(name), cls)
    assert annlib.get_loss("huber", delta=2.0).delta == 2.0
    loss = MSELoss()
    assert annlib.get_loss(loss) is loss
    assert annlib.CrossEntropyLoss is SoftmaxCrossEntropy and annlib.L1Loss is MAELoss
    with pytest.raises(ValueError, match="Unknown loss 'mse2'. Did you mean 'mse'") as e:
        annlib.get_loss("mse2")
    for name in annlib.LOSSES:
        assert name in str(e.value)
    with pytest.raises(ValueError, match="delta must be > 0"):
        HuberLoss(delta=0)
