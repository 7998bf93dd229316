"""Step 2 of 7: activation functions, the non-linearity applied after each dense layer.

Each activation is a layer (``forward``/``backward``, no parameters) and also offers the plain
functions ``f(x)`` and ``df(x)`` (the derivative, element by element) for plotting and for exercises.
Backward is the chain rule element by element: dL/dx = dL/da · f'(x).

    act = get_activation("relu")
    act.f(np.array([-1., 2.]))   # [0., 2.]
    act.df(np.array([-1., 2.]))  # [0., 1.]

All forms are numerically stable for inputs up to ±1e4 (no overflow warnings). Each activation has its
derivative once, in ``df``; ``backward(grad)`` is ``grad * df(x)`` for all of them (softmax, whose outputs
depend on each other, has its own Jacobian product).
"""
import difflib
import functools
import math

import numpy as np

from .layers import Layer
from .validation import check_backward


def _on_array(method):
    @functools.wraps(method)
    def wrapper(self, x):
        return method(self, np.asarray(x))
    return wrapper


class Activation(Layer):
    """Element-wise activation a = f(x). Subclasses define ``f`` and ``df``; forward caches x, and
    backward is the chain rule element by element: dL/dx = dL/da · f'(x)."""

    x = None                # the last forward's input

    def __init_subclass__(cls, **kwargs):
        """Every activation's ``f`` and ``df`` also take lists: each is wrapped to turn x into an array first."""
        super().__init_subclass__(**kwargs)
        for name in ("f", "df"):
            if name in vars(cls):
                setattr(cls, name, _on_array(vars(cls)[name]))

    def f(self, x):
        raise NotImplementedError

    def df(self, x):
        raise NotImplementedError

    def forward(self, x):
        self.x = np.asarray(x)
        return self.f(self.x)

    def backward(self, grad):
        grad = check_backward(self, grad, self.x)
        return grad * self.df(self.x)

    @property
    def name(self):
        return type(self).__name__.lower()

    def get_config(self):
        return {"type": type(self).__name__}

    def __repr__(self):
        return f"{type(self).__name__}()"


class Identity(Activation):
    """f(x) = x. The output activation for regression."""

    def f(self, x):
        return x

    def df(self, x):
        return np.ones_like(x)


class Step(Activation):
    """Heaviside step, the perceptron's activation: f(x) = 1 if x > 0 else 0.

    Its derivative is 0 everywhere (and undefined at 0), so no gradient can flow through it:
    ``backward`` raises. This is why networks trained by backpropagation use smooth activations.
    """

    def f(self, x):
        return (x > 0).astype(x.dtype)

    def df(self, x):
        return np.zeros_like(x)

    def backward(self, grad):
        raise RuntimeError("The step activation cannot be trained by backpropagation: its derivative is 0 "
                           "everywhere (undefined at 0), so every gradient below it would be 0. "
                           "Use 'sigmoid' (a smooth step) or 'relu' instead.")


def _sigmoid(x):
    """Stable logistic function: exp is only ever taken of -|x| ≤ 0, so it cannot overflow."""
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))


class Sigmoid(Activation):
    """f(x) = 1 / (1 + e^(-x)), range (0, 1). f'(x) = f(x)(1 - f(x)), at most 1/4."""

    def f(self, x):
        return _sigmoid(x)

    def df(self, x):
        s = _sigmoid(x)
        return s * (1 - s)


class Tanh(Activation):
    """f(x) = tanh(x), range (-1, 1), zero-centred. f'(x) = 1 - tanh²(x)."""

    def f(self, x):
        return np.tanh(x)

    def df(self, x):
        t = np.tanh(x)
        return 1 - t * t


class ReLU(Activation):
    """f(x) = max(0, x). f'(x) = 1 for x > 0, else 0 (we take 0 at x = 0, as PyTorch does)."""

    def f(self, x):
        return np.maximum(x, 0)

    def df(self, x):
        return (x > 0).astype(x.dtype)


class LeakyReLU(Activation):
    """f(x) = x for x > 0, alpha·x otherwise. A small slope for x < 0 keeps units from dying."""

    def __init__(self, alpha=0.01):
        if not (0 <= alpha < 1):
            raise ValueError(f"LeakyReLU: alpha must be in [0, 1), got {alpha!r}.")
        self.alpha = float(alpha)

    def f(self, x):
        return np.where(x > 0, x, self.alpha * x)

    def df(self, x):
        return np.where(x > 0, 1.0, self.alpha).astype(x.dtype)

    def get_config(self):
        return {"type": type(self).__name__, "alpha": self.alpha}

    def __repr__(self):
        return f"LeakyReLU(alpha={self.alpha:g})"


class ELU(Activation):
    """f(x) = x for x > 0, alpha·(e^x - 1) otherwise. Smooth, negative outputs push the mean to 0."""

    def __init__(self, alpha=1.0):
        if not alpha > 0:
            raise ValueError(f"ELU: alpha must be > 0, got {alpha!r}.")
        self.alpha = float(alpha)

    def f(self, x):
        return np.where(x > 0, x, self.alpha * np.expm1(np.minimum(x, 0)))   # min: no overflow for x ≫ 0

    def df(self, x):
        return np.where(x > 0, 1.0, self.alpha * np.exp(np.minimum(x, 0))).astype(x.dtype)

    def get_config(self):
        return {"type": type(self).__name__, "alpha": self.alpha}

    def __repr__(self):
        return f"ELU(alpha={self.alpha:g})"


_GELU_C = math.sqrt(2 / math.pi)


class GELU(Activation):
    """Gaussian Error Linear Unit, f(x) = x·Φ(x), in the tanh approximation used by BERT and GPT-2:

        f(x) ≈ 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))

    numpy has no erf, so the exact form would need scipy; the approximation differs from it by < 1e-3.
    """

    def f(self, x):
        return 0.5 * x * (1 + np.tanh(_GELU_C * (x + 0.044715 * x ** 3)))

    def df(self, x):
        t = np.tanh(_GELU_C * (x + 0.044715 * x ** 3))
        return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * _GELU_C * (1 + 3 * 0.044715 * x * x)


class Softplus(Activation):
    """f(x) = ln(1 + e^x), a smooth ReLU. f'(x) = sigmoid(x). Computed as logaddexp(0, x): no overflow.
    (PyTorch's Softplus switches to f(x) = x above x = 20; here the exact form is used everywhere.)"""

    def f(self, x):
        return np.logaddexp(0, x)

    def df(self, x):
        return _sigmoid(x)


class SiLU(Activation):
    """SiLU / swish: f(x) = x·sigmoid(x). f'(x) = s + x·s·(1 - s) with s = sigmoid(x)."""

    def f(self, x):
        return x * _sigmoid(x)

    def df(self, x):
        s = _sigmoid(x)
        return s * (1 + x * (1 - s))


def softmax(z, axis=-1):
    """Row-wise softmax, p_k = e^{z_k} / Σ_j e^{z_j}. Subtracting the row maximum first changes nothing
    mathematically (it cancels) but keeps every exponent ≤ 0, so e^z cannot overflow."""
    z = np.asarray(z)
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    e /= e.sum(axis=axis, keepdims=True)
    return e


class Softmax(Activation):
    """Turns a row of scores (logits) into probabilities that sum to 1. The output layer for C classes.

    Not element-wise: each output depends on every input of its row, so the derivative is a C×C
    Jacobian, J = diag(p) - p pᵀ. ``backward`` multiplies by it without building it:
    dL/dz = p ⊙ (g - Σ_k g_k p_k). Followed by cross-entropy, the two together simplify to p - y
    (notebook 4; ``losses.SoftmaxCrossEntropy``), which ``fit`` uses for a Softmax output with cross-entropy.
    """

    def f(self, x):
        return softmax(x)

    def df(self, x):
        raise NotImplementedError("softmax has no element-wise derivative: its derivative is the Jacobian "
                                  "diag(p) - p pᵀ. Use Softmax().backward(grad) for the chain rule.")

    a = None                # the last forward's output, the probabilities p

    def forward(self, x):
        self.a = softmax(np.asarray(x))
        return self.a

    def backward(self, grad):
        p = self.a
        grad = check_backward(self, grad, p)
        return p * (grad - (grad * p).sum(axis=-1, keepdims=True))   # J·grad with J = diag(p) - p pᵀ


class Custom(Activation):
    """An activation from your own functions: ``Custom(f, df, name="mine")``.

    ``f(x)`` and ``df(x)`` take and return numpy arrays of the same shape. This is how the notebooks
    plug a student's own activation into a network or a widget.
    """

    def __init__(self, f, df, name="custom"):
        if not (callable(f) and callable(df)):
            raise TypeError("Custom activation needs two functions: f(x) and its derivative df(x).")
        self._f, self._df, self._name = f, df, name

    def f(self, x):
        return self._checked(self._f(x), x, "f")

    def df(self, x):
        return self._checked(self._df(x), x, "df")

    def _checked(self, out, x, which):
        """Your function's result as an array shaped like x, or an error that says what came back."""
        out = np.asarray(out)
        if out.shape != x.shape or not np.issubdtype(out.dtype, np.number):
            raise ValueError(f"The custom activation {self._name!r}: {which}(x) must return an array of numbers shaped "
                             f"like x, {x.shape}; it returned {out.dtype} of shape {out.shape}. Work element by "
                             "element, e.g. np.maximum(x, 0), and return the result.")
        return out

    @property
    def name(self):
        return self._name

    def get_config(self):
        raise ValueError(f"The custom activation {self._name!r} is Python code and cannot be saved to a file; "
                         "rebuild the network in code, or use a built-in activation.")

    def __repr__(self):
        return f"Custom(name={self._name!r})"


ACTIVATIONS = {
    "identity": Identity, "linear": Identity, "step": Step, "sigmoid": Sigmoid, "tanh": Tanh,
    "relu": ReLU, "leaky_relu": LeakyReLU, "elu": ELU, "gelu": GELU, "softplus": Softplus,
    "silu": SiLU, "swish": SiLU, "softmax": Softmax,
}


def get_activation(activation, **kwargs):
    """A fresh activation layer from a name (``"relu"``, ``"leaky_relu"``, ...), a pair of functions
    ``(f, df)``, or an ``Activation`` object (returned as is). ``kwargs`` go to the class (e.g. alpha)."""
    if isinstance(activation, Activation):
        return activation
    if isinstance(activation, type) and issubclass(activation, Activation):
        raise TypeError(f"{activation.__name__} is the class; pass an object, with parentheses: "
                        f"{activation.__name__}(), or a name such as 'relu'.")
    if isinstance(activation, tuple) and len(activation) == 2:
        return Custom(*activation)
    if isinstance(activation, str):
        key = activation.lower().replace("-", "_").replace(" ", "_")
        if key in ACTIVATIONS:
            return ACTIVATIONS[key](**kwargs)
        close = difflib.get_close_matches(key, ACTIVATIONS, n=1)
        hint = f" Did you mean {close[0]!r}?" if close else ""
        raise ValueError(f"Unknown activation {activation!r}.{hint} Valid names: {', '.join(ACTIVATIONS)}; "
                         "or pass (f, df), two functions of your own.")
    raise TypeError(f"An activation is a name such as 'relu', a pair (f, df) or an Activation object, "
                    f"got {type(activation).__name__}.")
