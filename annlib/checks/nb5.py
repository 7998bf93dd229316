"""Checks of notebook 5 (backpropagation): the backward pass of a dense layer (compared with annlib's
Dense, then put through ``annlib.gradcheck``), the sigmoid's backward, and the "find the bug" exercise
with its ``TanhDense`` layer, whose ``backward`` is plugged in from outside.

The first input of the dense and the tanh check is square (n = n_in = n_out = 3): there every order of
the factors of a matrix product runs, so a transposed or swapped product shows up as numbers that can be
recognised (``X @ dZ``, ``dZ @ W`` ...) instead of a shape error. The non-square inputs that follow
catch the rest.
"""
import warnings

import numpy as np

from ..activations import Sigmoid
from ._check import CORRECT, WRONG, CheckResult, Mistake, _report, run_check, same, wrong

_sigmoid = Sigmoid().f
_DENSE_OUTPUTS = ("dW", "db", "dX")
_SQUARE = "a square case X (3, 3), W (3, 3), dZ (3, 3) (n = n_in = n_out, so every order of a product runs)"


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
    for n, n_in, n_out in ((3, 3, 3), (4, 3, 2), (5, 2, 3), (1, 1, 1), (3, 4, 4)):
        X, W, dZ = rng.standard_normal((n, n_in)), rng.standard_normal((n_in, n_out)), rng.standard_normal((n, n_out))
        what = _SQUARE if n == n_in == n_out == 3 else f"X {X.shape}, W {W.shape}, dZ {dZ.shape}"
        cases.append((what, (X, W, dZ)))
    return cases


def _nb5_order_mistakes(reference, names):
    """The right arrays returned in another order: the value in the place of one output is another one."""
    order = ", ".join(names)
    found = []
    for k, out in enumerate(names):
        for j, other in enumerate(names):
            if j != k:
                found.append(Mistake(f"this is {other}, not {out}: the three gradients are right but in another "
                                     f"order; return them as ({order}).",
                                     result=lambda *args, j=j: reference(*args)[j], output=out))
    return found


def _nb5_product_mistakes(output, right, products, why):
    """Other products of the same two arrays than the right one: each named by its formula."""
    return [Mistake(f"{output} = {formula} is not {right}: {why}", result=fn, output=output)
            for formula, fn in products]


_SIGN = Mistake("the sign is flipped: the gradient of a sum is the sum of the gradients, with a plus "
                "(no minus anywhere in the backward pass of a dense layer).",
                test=lambda got, want, args: same(got, -np.asarray(want)) and not np.allclose(want, 0))

_DENSE_MISTAKES = _nb5_order_mistakes(_nb5_dense_backward_reference, _DENSE_OUTPUTS) + [
    # dW
    Mistake("dW = dZ.T @ X is dWᵀ, shape (n_out, n_in): a gradient has the shape of its array, W is (n_in, n_out), "
            "so dW = X.T @ dZ.", result=lambda X, W, dZ: dZ.T @ X, output="dW"),
    Mistake("dW = X @ dZ: X must be transposed, dW = X.T @ dZ, (n_in, n)·(n, n_out) → (n_in, n_out); with "
            "n ≠ n_in, X @ dZ does not even run (a shape error).", result=lambda X, W, dZ: X @ dZ, output="dW"),
    Mistake("dW is divided by n, the batch size: dW = X.T @ dZ is a sum over the batch, and the 1/n of the mean "
            "loss is already inside dZ (like (P − Y)/n above).",
            result=lambda X, W, dZ: X.T @ dZ / len(X), output="dW"),
    Mistake("dW = X * dZ multiplies element by element: dW needs the matrix product X.T @ dZ, which sums "
            "X[k, i]·dZ[k, j] over the samples k.", result=lambda X, W, dZ: X * dZ, output="dW"),
    *_nb5_product_mistakes("dW", "X.T @ dZ", [
        ("X @ dZ.T", lambda X, W, dZ: X @ dZ.T), ("dZ @ X.T", lambda X, W, dZ: dZ @ X.T),
        ("dZ.T @ X.T", lambda X, W, dZ: dZ.T @ X.T), ("X.T @ dZ.T", lambda X, W, dZ: X.T @ dZ.T)],
        "let the shapes guide you, X.T (n_in, n) @ dZ (n, n_out) → (n_in, n_out), the shape of W."),
    # db
    Mistake("db should be the sum of the gradient over the batch, not its mean: db = dZ.sum(axis=0); the 1/n of "
            "the mean loss is already inside dZ.", result=lambda X, W, dZ: dZ.mean(axis=0), output="db"),
    Mistake("db is dZ itself, shape (n, n_out), not summed: b is added to every row, so its gradient is the sum "
            "of dZ over the batch, dZ.sum(axis=0), shape (n_out,).", result=lambda X, W, dZ: dZ, output="db"),
    Mistake("db is summed over axis 1 (the neurons of each sample): sum over axis 0, the batch, which gives one "
            "entry per output neuron, shape (n_out,).", result=lambda X, W, dZ: dZ.sum(axis=1), output="db"),
    Mistake("db is the mean over axis 1 (the neurons of each sample): sum over axis 0, the batch, "
            "dZ.sum(axis=0), shape (n_out,).", result=lambda X, W, dZ: dZ.mean(axis=1), output="db"),
    Mistake("db is one number, the sum of all of dZ: b has one entry per output neuron, so sum over the batch "
            "only, dZ.sum(axis=0).", result=lambda X, W, dZ: dZ.sum(), output="db"),
    Mistake("db has shape (1, n_out): b has shape (n_out,), and so does its gradient; drop keepdims=True.",
            result=lambda X, W, dZ: dZ.sum(axis=0, keepdims=True), output="db"),
    # dX
    Mistake("dX = dZ @ W is missing .T: dX = dZ @ W.T, (n, n_out)·(n_out, n_in) → (n, n_in); with a non-square "
            "W, dZ @ W does not even run (a shape error).", result=lambda X, W, dZ: dZ @ W, output="dX"),
    Mistake("dX = W.T @ dZ has the factors in the wrong order: dX = dZ @ W.T, one row per sample like X; with "
            "n ≠ n_out, W.T @ dZ does not even run.", result=lambda X, W, dZ: W.T @ dZ, output="dX"),
    Mistake("dX is transposed, shape (n_in, n): W @ dZ.T = (dZ @ W.T).T; keep one row per sample, like X: "
            "dX = dZ @ W.T.", result=lambda X, W, dZ: W @ dZ.T, output="dX"),
    Mistake("dX = dZ * W multiplies element by element: dX needs the matrix product dZ @ W.T, which sums "
            "dZ[k, j]·W[i, j] over the neurons j.", result=lambda X, W, dZ: dZ * W, output="dX"),
    *_nb5_product_mistakes("dX", "dZ @ W.T", [
        ("W @ dZ", lambda X, W, dZ: W @ dZ), ("dZ.T @ W", lambda X, W, dZ: dZ.T @ W),
        ("W.T @ dZ.T", lambda X, W, dZ: W.T @ dZ.T)],
        "let the shapes guide you, dZ (n, n_out) @ W.T (n_out, n_in) → (n, n_in), the shape of X."),
    _SIGN,
]


def _nb5_gradcheck(name, result, layer, X, what):
    """After a correct comparison: ``annlib.gradcheck`` on a layer that uses the student's backward."""
    from ..gradcheck import gradcheck
    try:
        report = gradcheck(layer, X)
    except Exception as e:            # never raise from a check
        return _report(name, WRONG, f"❌ {name}: gradcheck on {what} that uses your backward failed: "
                                    f"{type(e).__name__}: {e}")
    status = CORRECT if report.passed else WRONG
    extra = f"{'✅' if report.passed else '❌'} gradcheck on {what} that uses your backward:\n{report}"
    print(extra)                      # the comparison's verdict is printed already
    return CheckResult(name, status, f"{result.message}\n{extra}", None if report.passed else "gradcheck")


def check_dense_backward(dense_backward):
    """Exercise: dense_backward(X, W, dZ) -> (dW, db, dX) for z = X·W + b.

    X (n, n_in), W (n_in, n_out), dZ = ∂L/∂z (n, n_out) -> dW (n_in, n_out), db (n_out,), dX (n, n_in).
    After the comparison with annlib, a correct answer is also put through ``annlib.gradcheck``.
    """
    result = run_check("dense_backward", dense_backward, _nb5_dense_cases(), _nb5_dense_backward_reference,
                       mistakes=_DENSE_MISTAKES, outputs=_DENSE_OUTPUTS)
    if result.status != CORRECT:
        return result
    from ..layers import Dense

    class StudentDense(Dense):
        def backward(self, grad):
            dW, db, dX = dense_backward(self.x, self.W, grad)
            self.dW[...] = dW
            self.db[...] = db
            return np.asarray(dX)

    return _nb5_gradcheck("dense_backward", result, StudentDense(3, 2, seed=1, name="your dense"),
                          np.random.default_rng(2).standard_normal((4, 3)), "a Dense(3, 2) layer")


def _nb5_sigmoid_backward_reference(z, grad):
    return grad * Sigmoid().df(z)


def _d(z):
    s = _sigmoid(z)
    return s * (1 - s)


def _matrix_products(z, grad):
    """What `@` or np.dot between grad and σ'(z) gives, in the orders a student may write."""
    d = _d(z)
    found = []
    for fn in (lambda: grad @ d, lambda: grad @ d.T, lambda: d @ grad, lambda: grad.T @ d, lambda: d.T @ grad,
               lambda: grad @ _sigmoid(z) @ (1 - _sigmoid(z)), lambda: np.dot(grad, d), lambda: np.dot(d, grad)):
        try:
            found.append(fn())
        except (ValueError, TypeError):
            pass
    return found


_ELEMENTWISE = ("the backward of an element-wise activation is an element-wise product: grad * s * (1 - s), "
                "with `*`; `@` and np.dot are matrix products (they sum over an axis).")

_SIGMOID_MISTAKES = [
    Mistake("grad is missing: this is σ'(z) = s(1 − s) alone; the chain rule multiplies it by the gradient "
            "arriving from above, grad * s * (1 - s).", result=lambda z, grad: _d(z)),
    Mistake("this is grad · σ(z), the sigmoid itself: use its derivative, σ'(z) = s(1 − s) with s = σ(z).",
            result=lambda z, grad: grad * _sigmoid(z)),
    Mistake("this is σ(z), the sigmoid itself (and grad is missing): ∂L/∂z = grad · s(1 − s) with s = σ(z).",
            result=lambda z, grad: _sigmoid(z)),
    Mistake("the derivative is s(1−s) with s = σ(z), not z(1−z): apply the sigmoid first, s = σ(z), then "
            "grad * s * (1 - s).", result=lambda z, grad: grad * z * (1 - z)),
    Mistake("the derivative is s(1−s) with s = σ(z), not z(1−z) (and grad is missing): grad * s * (1 - s).",
            result=lambda z, grad: z * (1 - z)),
    Mistake("this is grad · (1 − s): the factor s is missing, σ'(z) = s(1 − s).",
            result=lambda z, grad: grad * (1 - _sigmoid(z))),
    Mistake("this is grad · (1 − s²), the tanh rule written with s = σ(z): the sigmoid's derivative is "
            "s(1 − s).",
            result=lambda z, grad: grad * (1 - _sigmoid(z) ** 2)),
    Mistake("this is grad · (1 − tanh²(z)), the derivative of tanh: the sigmoid's is σ(z)(1 − σ(z)).",
            result=lambda z, grad: grad * (1 - np.tanh(z) ** 2)),
    Mistake("the sign is flipped: σ'(z) = s(1 − s) is positive, so ∂L/∂z has the sign of grad.",
            result=lambda z, grad: -grad * _d(z)),
    Mistake(_ELEMENTWISE, test=lambda got, want, args: any(
        np.shape(got) == np.shape(p) and np.allclose(got, p) for p in _matrix_products(*args))),
    Mistake(_ELEMENTWISE, error=ValueError, match=r"matmul|not aligned|core dimension"),
    Mistake("np.exp overflowed for z = ±1000: e^1000 is larger than the largest float, and the plain formula "
            "computes it (1 / (1 + np.exp(-z)) for z = −1000). Use a stable sigmoid, e.g. A.Sigmoid().f(z) (Hint 2).",
            error=FloatingPointError, match="overflow"),
    Mistake("the sigmoid divided inf by inf (NaN) for z = ±1000: use a stable sigmoid, e.g. A.Sigmoid().f(z) "
            "(Hint 2).", error=FloatingPointError, match="invalid"),
]


def check_sigmoid_backward(sigmoid_backward):
    """Exercise: sigmoid_backward(z, grad) -> ∂L/∂z = grad · σ(z)(1 − σ(z)), element by element.

    z: the sigmoid's input (any shape), grad = ∂L/∂a (same shape) -> same shape. Must not overflow
    for z = ±1000 (use a stable sigmoid, e.g. annlib.Sigmoid().f(z)).
    """
    rng = np.random.default_rng(6)
    cases = [
        ("z = [-2, 0.5, 3], grad = [0.5, -1, 2]", (np.array([-2.0, 0.5, 3.0]), np.array([0.5, -1.0, 2.0]))),
        ("z = 0, grad = 1", (np.array(0.0), np.array(1.0))),
        ("z = [-2, 0.5, 3], grad = [1, 1, 1]", (np.array([-2.0, 0.5, 3.0]), np.ones(3))),
        ("z = [-1, 1], grad = [2, -3]", (np.array([-1.0, 1.0]), np.array([2.0, -3.0]))),
        ("a batch of shape (4, 3)", (rng.standard_normal((4, 3)), rng.standard_normal((4, 3)))),
        ("large z = [-1000, 1000], grad = [1, 1]", (np.array([-1000.0, 1000.0]), np.ones(2))),
    ]
    return run_check("sigmoid_backward", sigmoid_backward, cases, _nb5_sigmoid_backward_reference,
                     mistakes=_SIGMOID_MISTAKES)


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


_TANH_OUTPUTS = ("layer.dW", "layer.db", "dX")


def _nb5_tanh_with(derivative):
    """(dW, db, dX) of the tanh layer when its local derivative is ``derivative(X, W, b, a)``."""
    def result(X, W, b, grad):
        a = np.tanh(X @ W + b)
        dz = grad * derivative(X, W, b, a)
        return X.T @ dz, dz.sum(axis=0), dz @ W.T
    return result


_nb5_tanh_dense_reference = _nb5_tanh_with(lambda X, W, b, a: 1 - a * a)


def _dz(X, W, b, grad):
    return grad * (1 - np.tanh(X @ W + b) ** 2)


def _still_zero(output):
    return Mistake(f"{output} is still all zeros, as the layer made it: store the gradient in the layer, "
                   f"`{output} = ...` (a local variable such as `{output.split('.')[1]} = ...` is lost when the "
                   f"function returns).", test=lambda got, want, args: np.all(np.asarray(got) == 0)
                   and not np.all(np.asarray(want) == 0), output=output)


_TANH_DERIVATIVE = "tanh's local derivative is 1 − a², with a = layer.a = tanh(z), the layer's output"

_TANH_MISTAKES = [
    Mistake("dX is still the bug of buggy_backward: grad @ layer.W.T skips tanh's local derivative. The gradient "
            "going down to x passes through tanh too, like the one reaching W: return dz @ layer.W.T.",
            result=lambda X, W, b, grad: grad @ W.T, output="dX"),
    Mistake("tanh's local derivative is missing: first dz = grad * (1 - layer.a ** 2), then dW, db and dX all "
            "from dz (the gradient reaches W, b and x through tanh).",
            result=_nb5_tanh_with(lambda X, W, b, a: 1.0)),
    Mistake(f"{_TANH_DERIVATIVE}; 1 − x² uses the layer's input x.",
            result=_nb5_tanh_with(lambda X, W, b, a: 1 - X ** 2)),
    Mistake(f"{_TANH_DERIVATIVE}; layer.a is already tanh(z), so 1 − tanh(a)² applies tanh twice.",
            result=_nb5_tanh_with(lambda X, W, b, a: 1 - np.tanh(a) ** 2)),
    Mistake(f"{_TANH_DERIVATIVE}, i.e. 1 − a·a, not (1 − a)².",
            result=_nb5_tanh_with(lambda X, W, b, a: (1 - a) ** 2)),
    Mistake(f"{_TANH_DERIVATIVE}: the square is missing in 1 − a.",
            result=_nb5_tanh_with(lambda X, W, b, a: 1 - a)),
    Mistake(f"{_TANH_DERIVATIVE}; a(1 − a) is the sigmoid's derivative.",
            result=_nb5_tanh_with(lambda X, W, b, a: a * (1 - a))),
    Mistake(f"{_TANH_DERIVATIVE}; 1 − z² uses the pre-activation z = x·W + b instead of a = tanh(z).",
            result=_nb5_tanh_with(lambda X, W, b, a: 1 - (X @ W + b) ** 2)),
    Mistake(f"{_TANH_DERIVATIVE}; 1 + a² has the wrong sign.", result=_nb5_tanh_with(lambda X, W, b, a: 1 + a * a)),
    # layer.dW, layer.db
    _still_zero("layer.dW"),
    _still_zero("layer.db"),
    Mistake("layer.dW = dz.T @ x is transposed, shape (n_out, n_in): dW has the shape of W, layer.x.T @ dz.",
            result=lambda X, W, b, grad: _dz(X, W, b, grad).T @ X, output="layer.dW"),
    Mistake("layer.dW = x @ dz: x must be transposed, layer.x.T @ dz (n_in, n)·(n, n_out).",
            result=lambda X, W, b, grad: X @ _dz(X, W, b, grad), output="layer.dW"),
    Mistake("db should be the sum of the gradient over the batch, not its mean: dz.sum(axis=0).",
            result=lambda X, W, b, grad: _dz(X, W, b, grad).mean(axis=0), output="layer.db"),
    Mistake("layer.db is dz itself, shape (n, n_out), not summed: sum it over the batch, dz.sum(axis=0).",
            result=lambda X, W, b, grad: _dz(X, W, b, grad), output="layer.db"),
    Mistake("layer.db is summed over axis 1: sum over axis 0, the batch, one entry per output neuron.",
            result=lambda X, W, b, grad: _dz(X, W, b, grad).sum(axis=1), output="layer.db"),
    # dX
    Mistake("dX = dz @ layer.W is missing .T: dz @ layer.W.T, (n, n_out)·(n_out, n_in) → (n, n_in); with "
            "n_in ≠ n_out, dz @ W does not even run (a shape error).",
            result=lambda X, W, b, grad: _dz(X, W, b, grad) @ W, output="dX"),
    Mistake("dX = grad @ layer.W skips tanh's derivative and misses .T: return dz @ layer.W.T.",
            result=lambda X, W, b, grad: grad @ W, output="dX"),
    Mistake("dX is transposed, shape (n_in, n): keep one row per sample, like x: dz @ layer.W.T.",
            result=lambda X, W, b, grad: W @ _dz(X, W, b, grad).T, output="dX"),
]


def check_fixed_backward(fixed_backward):
    """Exercise: fixed_backward(layer, grad) -> dX for the TanhDense layer (a = tanh(x·W + b)): store
    layer.dW (n_in, n_out) and layer.db (n_out,), return dX (n, n_in). ``layer.x`` and ``layer.a`` hold
    what forward cached. After the comparison, a correct answer is put through ``annlib.gradcheck``."""
    def student(X, W, b, grad):
        layer = TanhDense(*W.shape, backward=fixed_backward)
        layer.W, layer.b = W.copy(), b.copy()
        layer.forward(X)
        dX = fixed_backward(layer, grad)
        if dX is None:
            return None
        if isinstance(dX, tuple):
            return ("tuple", len(dX))
        return layer.dW, layer.db, dX

    rng = np.random.default_rng(7)
    cases = []
    for n, n_in, n_out in ((3, 3, 3), (1, 2, 2), (4, 3, 2), (5, 2, 4)):
        what = ("a square case X (3, 3), W (3, 3) (so every order of a product runs)" if n == n_in == n_out
                else f"a batch X {(n, n_in)}, W {(n_in, n_out)}")
        cases.append((what, (rng.standard_normal((n, n_in)), rng.standard_normal((n_in, n_out)),
                             rng.standard_normal(n_out) * 0.1, rng.standard_normal((n, n_out)))))

    for what, args in cases[:1]:      # a tuple returned: the gradients belong in the layer, only dX is returned
        try:
            with np.errstate(all="ignore"), warnings.catch_warnings():
                warnings.simplefilter("ignore")
                got = student(*[a.copy() for a in args])
        except Exception:
            got = None                # run_check below calls it again and explains the error
        if isinstance(got, tuple) and got and isinstance(got[0], str):
            return wrong("fixed_backward", f"your function returned a tuple of {got[1]}: like Dense.backward, it "
                                           "stores the parameter gradients in the layer (layer.dW = ..., layer.db "
                                           "= ...) and returns only ∂L/∂x.", f"for {what}")
    result = run_check("fixed_backward", student, cases, _nb5_tanh_dense_reference, mistakes=_TANH_MISTAKES,
                       outputs=_TANH_OUTPUTS)
    if result.status != CORRECT:
        return result
    return _nb5_gradcheck("fixed_backward", result, TanhDense(3, 2, backward=fixed_backward),
                          np.random.default_rng(2).standard_normal((4, 3)), "a TanhDense(3, 2) layer")
