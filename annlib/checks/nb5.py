"""Checks of notebook 5 (backpropagation): the backward pass of a dense layer (compared with annlib's
Dense, then put through ``annlib.gradcheck``), the sigmoid's backward, and the "find the bug" exercise
with its ``TanhDense`` layer, whose ``backward`` is plugged in from outside.
"""
import numpy as np

from ._check import CORRECT, WRONG, _report, run_check


def _nb5_dense_backward_reference(X, W, dZ):
    from ..layers import Dense
    layer = Dense(W.shape[0], W.shape[1])
    layer.W[...] = W
    layer.forward(X)
    dX = layer.backward(dZ)
    return layer.dW.copy(), layer.db.copy(), dX


def _nb5_dense_cases():
    rng = np.random.default_rng(5)
    cases = []
    for n, n_in, n_out in ((1, 1, 1), (4, 3, 2), (5, 2, 3), (3, 4, 4)):
        X, W, dZ = rng.standard_normal((n, n_in)), rng.standard_normal((n_in, n_out)), rng.standard_normal((n, n_out))
        cases.append((f"X {X.shape}, W {W.shape}, dZ {dZ.shape} (returns dW, db, dX)", (X, W, dZ)))
    return cases


def check_dense_backward(dense_backward):
    """Exercise: dense_backward(X, W, dZ) -> (dW, db, dX) for z = X·W + b.

    X (n, n_in), W (n_in, n_out), dZ = ∂L/∂z (n, n_out) -> dW (n_in, n_out), db (n_out,), dX (n, n_in).
    After the comparison with annlib, a correct answer is also put through ``annlib.gradcheck``.
    """
    result = run_check("dense_backward", dense_backward, _nb5_dense_cases(), _nb5_dense_backward_reference)
    if result.status != CORRECT:
        return result
    from ..gradcheck import gradcheck
    from ..layers import Dense

    class StudentDense(Dense):
        def backward(self, grad):
            dW, db, dX = dense_backward(self.x, self.W, grad)
            self.dW[...] = dW
            self.db[...] = db
            return np.asarray(dX)

    try:
        report = gradcheck(StudentDense(3, 2, seed=1, name="your dense"), np.random.default_rng(2).standard_normal((4, 3)))
    except Exception as e:            # never raise from a check
        return _report("dense_backward", WRONG, f"❌ dense_backward: gradcheck on your layer failed: {type(e).__name__}: {e}")
    status = CORRECT if report.passed else WRONG
    mark = "✅" if report.passed else "❌"
    return _report("dense_backward", status, f"{result.message}\n{mark} gradcheck on a Dense(3, 2) layer that uses "
                                             f"your backward:\n{report}")


def _nb5_sigmoid_backward_reference(z, grad):
    from ..activations import Sigmoid
    return grad * Sigmoid().df(z)


def check_sigmoid_backward(sigmoid_backward):
    """Exercise: sigmoid_backward(z, grad) -> ∂L/∂z = grad · σ(z)(1 − σ(z)), element by element.

    z: the sigmoid's input (any shape), grad = ∂L/∂a (same shape) -> same shape. Must not overflow
    for z = ±1000 (use a stable sigmoid, e.g. annlib.Sigmoid().f(z)).
    """
    rng = np.random.default_rng(6)
    cases = [
        ("z = 0, grad = 1", (np.array(0.0), np.array(1.0))),
        ("z = [-2, 0.5, 3], grad = [1, 1, 1]", (np.array([-2.0, 0.5, 3.0]), np.ones(3))),
        ("z = [-1, 1], grad = [2, -3]", (np.array([-1.0, 1.0]), np.array([2.0, -3.0]))),
        ("large z = [-1000, 1000], grad = [1, 1]", (np.array([-1000.0, 1000.0]), np.ones(2))),
        ("a batch of shape (4, 3)", (rng.standard_normal((4, 3)), rng.standard_normal((4, 3)))),
    ]
    return run_check("sigmoid_backward", sigmoid_backward, cases, _nb5_sigmoid_backward_reference)


class TanhDense:
    """The layer of the 'find the bug' exercise: a dense layer with tanh built in, a = tanh(x·W + b).
    Its ``backward`` is the student's function (or the buggy one) plugged in from outside."""

    param_names = ("W", "b")
    training = True
    name = "tanh_dense"

    def __init__(self, n_in, n_out, seed=0, backward=None):
        rng = np.random.default_rng(seed)
        self.W = rng.standard_normal((n_in, n_out)) * 0.8
        self.b = rng.standard_normal(n_out) * 0.1
        self.dW, self.db = np.zeros_like(self.W), np.zeros_like(self.b)
        self._backward = backward

    def forward(self, x):
        self.x = x
        self.a = np.tanh(x @ self.W + self.b)
        return self.a

    def backward(self, grad):
        return self._backward(self, grad)

    def train(self, mode=True):
        return self

    def eval(self):
        return self


def _nb5_tanh_dense_reference(X, W, b, grad):
    a = np.tanh(X @ W + b)
    dz = grad * (1 - a * a)
    return X.T @ dz, dz.sum(axis=0), dz @ W.T


def check_fixed_backward(fixed_backward):
    """Exercise: fixed_backward(layer, grad) -> dX for the TanhDense layer (a = tanh(x·W + b)): store
    layer.dW (n_in, n_out) and layer.db (n_out,), return dX (n, n_in). ``layer.x`` and ``layer.a`` hold
    what forward cached."""
    def student(X, W, b, grad):
        layer = TanhDense(*W.shape, backward=fixed_backward)
        layer.W, layer.b = W.copy(), b.copy()
        layer.forward(X)
        dX = fixed_backward(layer, grad)
        if dX is None:
            return None
        return layer.dW, layer.db, dX

    rng = np.random.default_rng(7)
    cases = []
    for n, n_in, n_out in ((1, 2, 2), (4, 3, 2), (5, 2, 4)):
        cases.append((f"a batch X {(n, n_in)}, W {(n_in, n_out)} (values: layer.dW, layer.db, returned dX)",
                      (rng.standard_normal((n, n_in)), rng.standard_normal((n_in, n_out)),
                       rng.standard_normal(n_out) * 0.1, rng.standard_normal((n, n_out)))))
    return run_check("fixed_backward", student, cases, _nb5_tanh_dense_reference)
