"""Step 5: the gradient checker itself. It must pass right gradients and, above all, catch wrong ones."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import annlib
from student_fakes import flat
from annlib import gradcheck, mlp, numerical_gradient, relative_error
from annlib_strategies import float_arrays


@given(x=float_arrays(st.tuples(st.integers(1, 4), st.integers(1, 4))))
def test_numerical_gradient_of_known_functions(x):
    x0 = x.copy()
    np.testing.assert_allclose(numerical_gradient(lambda: float(np.sum(x ** 2)), x), 2 * x0, atol=1e-8)
    np.testing.assert_allclose(numerical_gradient(lambda: float(np.sum(np.sin(x))), x), np.cos(x0), atol=1e-8)
    np.testing.assert_array_equal(x, x0)          # x is restored after nudging


def test_numerical_gradient_on_some_indices_only():
    x = np.array([1.0, 2.0, 3.0])
    g = numerical_gradient(lambda: float(np.sum(x ** 3)), x, indices=[(1,)])
    np.testing.assert_allclose(g, [0.0, 12.0, 0.0], atol=1e-6)


def test_relative_error():
    assert relative_error([1.0, 2.0], [1.0, 2.0]) == 0.0
    assert relative_error([0.0], [0.0]) == 0.0
    assert relative_error([1.0], [-1.0]) == 1.0
    assert relative_error([3.0, 0.0], [0.0, 4.0]) == pytest.approx(5 / 7)


class ForgetsTheDerivative(annlib.Tanh):
    """A typical student bug: backward passes the gradient straight through."""

    def backward(self, grad):
        return grad


class WrongSign(annlib.Sigmoid):
    def backward(self, grad):
        return -super().backward(grad)


class TransposedDense(annlib.Dense):
    """dW computed as gᵀx (the transpose of the right answer) where the shapes allow it."""

    def backward(self, grad):
        dx = super().backward(grad)
        self.dW[...] = (grad.T @ self.x).T * 0.5
        return dx


@pytest.mark.parametrize("make_bad", [ForgetsTheDerivative, WrongSign])
def test_gradcheck_catches_a_wrong_activation_backward(make_bad):
    X, y = annlib.make_gaussian(10, seed=0)
    net = annlib.Sequential(annlib.Dense(2, 4, seed=0), make_bad(), annlib.Dense(4, 1, seed=1))
    report = gradcheck(net, X, y, loss=annlib.BCEWithLogitsLoss())
    assert not report.passed
    assert report.errors()["dense(2→4).W"] > 1e-2 and report.errors()["dense(4→1).W"] < 1e-7
    assert "WRONG" in str(report) and "FAILED" in str(report)


def test_gradcheck_catches_a_wrong_dense_backward():
    layer = TransposedDense(3, 3, seed=0)
    report = gradcheck(layer, np.random.default_rng(0).standard_normal((4, 3)))
    assert not report.passed and report.errors()["dense(3→3).W"] > 1e-2


def test_gradcheck_catches_a_wrong_loss_gradient():
    class HalfMSE(annlib.MSELoss):
        def backward(self):
            return super().backward() / 2              # forgot the 2 of d(x²)/dx

    X, y = annlib.make_plane(8, seed=0)
    assert not gradcheck(mlp([2, 3, 1], "tanh", seed=0), X, y, loss=HalfMSE()).passed
    assert gradcheck(mlp([2, 3, 1], "tanh", seed=0), X, y, loss=annlib.MSELoss()).passed


def test_report_contents_and_sampling():
    X, y = annlib.make_circle(6, seed=0)
    net = mlp([2, 30, 2], "tanh", seed=0)
    report = gradcheck(net, X, y, loss=annlib.SoftmaxCrossEntropy(), samples=5)
    assert report.passed, str(report)
    names = [row[0] for row in report.rows]
    assert names == ["dense1.W", "dense1.b", "dense2.W", "dense2.b", "input X"]
    assert len(report.rows[0][3]) == 5, "samples=5 checks 5 entries of W1"
    assert report.max_error == max(report.errors().values())
    text = str(report)
    assert "PASSED" in text and "dense1.W" in text and "(2, 30)" in text
    without_input = gradcheck(net, X, y, loss=annlib.SoftmaxCrossEntropy(), check_input=False)
    assert "input X" not in without_input.errors()


def test_gradcheck_refuses_float32_and_leaves_the_network_as_it_was():
    net32 = mlp([2, 3, 1], seed=0, dtype=np.float32)
    with pytest.raises(TypeError, match="gradcheck needs float64 parameters; dense1.W is float32"):
        gradcheck(net32, np.ones((2, 2)))
    net = mlp([2, 3, 1], "tanh", seed=0, dropout=0.5)
    before = flat(net)
    net.train()
    gradcheck(net, np.ones((2, 2)))
    assert net.training
    np.testing.assert_array_equal(flat(net), before)
    net.eval()
    gradcheck(net, np.ones((2, 2)))
    assert not net.training
