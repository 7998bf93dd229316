"""Step 1 of 7: the network's building blocks. A ``Dense`` layer and how its weights start out.

A dense (fully connected) layer maps a batch ``x`` of shape ``(n, n_in)`` to ``z = x @ W + b``:

    x: (n, n_in)    W: (n_in, n_out)    b: (n_out,)    z: (n, n_out)

Every layer has ``forward(x)`` and ``backward(grad)``. ``forward`` caches what ``backward`` will need;
``backward`` receives dL/d(output), stores the gradients of the layer's own parameters (``dW``, ``db``)
and returns dL/d(input) for the layer below. Gradients are *overwritten* on every backward, not
accumulated as in PyTorch, so there is no ``zero_grad``. Dense's three backward lines are the three
equations of notebook 5:  dW = xᵀ·grad,  db = Σ_rows grad,  dx = grad·Wᵀ.
"""
import math

import numpy as np

from .validation import check_backward, check_layer_input, check_positive


# ----------------------------------------------------------------------------------------------
# Initializers: how a weight matrix of a given shape starts out.
# fan_in = n_in (inputs per neuron), fan_out = n_out (neurons).
# ----------------------------------------------------------------------------------------------
class Initializer:
    """Callable ``init(shape, rng, dtype) -> array``."""

    def __call__(self, shape, rng, dtype=np.float64):
        raise NotImplementedError

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in vars(self).items())
        return f"{type(self).__name__}({args})"


class Constant(Initializer):
    """Every weight equal to ``value`` (``Zeros`` is value 0). Breaks learning: see notebook 1."""

    def __init__(self, value=0.0):
        self.value = float(value)

    def __call__(self, shape, rng, dtype=np.float64):
        return np.full(shape, self.value, dtype=dtype)


class Zeros(Constant):
    def __init__(self):
        super().__init__(0.0)

    def __repr__(self):
        return "Zeros()"


class Normal(Initializer):
    """W ~ N(0, std²)."""

    def __init__(self, std=0.01):
        self.std = check_positive(std, "std")

    def __call__(self, shape, rng, dtype=np.float64):
        return (rng.standard_normal(shape) * self.std).astype(dtype)


class Uniform(Initializer):
    """W ~ U(-limit, limit)."""

    def __init__(self, limit=0.05):
        self.limit = check_positive(limit, "limit")

    def __call__(self, shape, rng, dtype=np.float64):
        return rng.uniform(-self.limit, self.limit, size=shape).astype(dtype)


class VarianceScaling(Initializer):
    """Var(W) = scale / fan, with fan = fan_in, fan_out or their mean. Normal or uniform.

    The named schemes are all this one rule:
      Xavier/Glorot: Var = 2 / (fan_in + fan_out)   (tanh, sigmoid)
      He/Kaiming:    Var = 2 / fan_in               (ReLU family)
      LeCun:         Var = 1 / fan_in               (SELU, and a safe default for tanh)
    A uniform U(-a, a) has variance a²/3, hence a = sqrt(3 · Var).
    """

    def __init__(self, scale, mode, distribution):
        self.scale, self.mode, self.distribution = scale, mode, distribution

    def __call__(self, shape, rng, dtype=np.float64):
        fan_in, fan_out = shape[0], shape[-1]
        fan = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2}[self.mode]
        var = self.scale / fan
        if self.distribution == "normal":
            w = rng.standard_normal(shape) * math.sqrt(var)
        else:
            limit = math.sqrt(3 * var)
            w = rng.uniform(-limit, limit, size=shape)
        return w.astype(dtype)


def xavier_uniform():
    return VarianceScaling(1.0, "fan_avg", "uniform")   # U(±sqrt(6 / (fan_in + fan_out)))


def xavier_normal():
    return VarianceScaling(1.0, "fan_avg", "normal")    # N(0, 2 / (fan_in + fan_out))


def he_uniform():
    return VarianceScaling(2.0, "fan_in", "uniform")    # U(±sqrt(6 / fan_in))


def he_normal():
    return VarianceScaling(2.0, "fan_in", "normal")     # N(0, 2 / fan_in)


def lecun_uniform():
    return VarianceScaling(1.0, "fan_in", "uniform")    # U(±sqrt(3 / fan_in))


def lecun_normal():
    return VarianceScaling(1.0, "fan_in", "normal")     # N(0, 1 / fan_in)


INITIALIZERS = {
    "zeros": Zeros, "constant": Constant, "normal": Normal, "uniform": Uniform,
    "xavier_uniform": xavier_uniform, "glorot_uniform": xavier_uniform,
    "xavier_normal": xavier_normal, "glorot_normal": xavier_normal,
    "he_uniform": he_uniform, "kaiming_uniform": he_uniform,
    "he_normal": he_normal, "kaiming_normal": he_normal,
    "lecun_uniform": lecun_uniform, "lecun_normal": lecun_normal,
}


def get_initializer(init):
    """An initializer from its name (``"he_normal"``) or an ``Initializer`` object (returned as is)."""
    if isinstance(init, Initializer):
        return init
    if isinstance(init, str) and init.lower() in INITIALIZERS:
        return INITIALIZERS[init.lower()]()
    raise ValueError(f"Unknown initializer {init!r}. Valid names: {', '.join(sorted(INITIALIZERS))}; "
                     "or pass an object such as annlib.Normal(std=0.1).")


def as_rng(seed):
    """A ``numpy.random.Generator`` from a seed (int or None) or a Generator (returned as is)."""
    if isinstance(seed, np.random.Generator):
        return seed
    return np.random.default_rng(seed)


# ----------------------------------------------------------------------------------------------
# Layers
# ----------------------------------------------------------------------------------------------
class Layer:
    """Base class. ``param_names`` lists the trainable arrays; each has a gradient named ``"d" + name``.

    A layer of your own subclasses this, sets ``param_names`` (e.g. ``("W", "b")``) and writes ``forward``
    and ``backward`` (which stores a gradient ``d<name>`` for each name); ``parameters()``, ``gradients()``
    and training follow from that one list. A layer that changes the number of features also defines
    ``output_features``, and one that fit's l1/l2 should penalize lists those names in ``regularized``.
    """

    param_names = ()
    regularized = ()        # which params fit's l1/l2 penalties apply to (weights, not biases)
    training = True         # Dropout behaves differently in training and evaluation
    name = None
    types = {}              # every Layer subclass by its class name: how annlib.load rebuilds a saved network

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        Layer.types.setdefault(cls.__name__, cls)      # a class of yours never replaces annlib's of that name

    def forward(self, x):
        raise NotImplementedError

    def backward(self, grad):
        raise NotImplementedError

    def __call__(self, x):
        return self.forward(x)

    def train(self, mode=True):
        """Training mode (Dropout active); ``eval()`` switches it off. Returns the layer."""
        self.training = mode
        return self

    def eval(self):
        return self.train(False)

    def parameters(self):
        return [getattr(self, p) for p in self.param_names]

    def gradients(self):
        try:
            return [getattr(self, "d" + p) for p in self.param_names]
        except AttributeError:
            missing = [f"d{p}" for p in self.param_names if not hasattr(self, "d" + p)]
            raise RuntimeError(f"{self.name or type(self).__name__}: its backward must store the gradient "
                               f"{', '.join(missing)} (one 'd' + name for each of param_names {self.param_names})."
                               ) from None

    def num_parameters(self):
        return sum(p.size for p in self.parameters())

    def output_features(self, n_in):
        """Number of output features for ``n_in`` input features (used by ``summary``)."""
        return n_in

    def get_config(self):
        """What ``annlib.save`` writes to rebuild this layer: its type and the arguments of its constructor."""
        return {"type": type(self).__name__}

    def __repr__(self):
        return f"{type(self).__name__}()"


class Dense(Layer):
    """Fully connected layer: ``z = x @ W + b``. Called ``Linear`` in PyTorch.

        x: (n, n_in)    W: (n_in, n_out)    b: (n_out,)    z: (n, n_out)

    ``init`` sets W (default Xavier/Glorot uniform, as in Keras; PyTorch's Linear uses a smaller uniform),
    ``bias_init`` sets b (default zeros; PyTorch's are random). ``seed`` is an int or a numpy Generator.
    Note for PyTorch users: ``W`` is the transpose of ``nn.Linear.weight`` (which is (n_out, n_in)).
    """

    param_names = ("W", "b")
    regularized = ("W",)

    def __init__(self, n_in, n_out, init="xavier_uniform", bias_init="zeros", seed=None,
                 dtype=np.float64, name=None):
        for value, what in ((n_in, "n_in"), (n_out, "n_out")):
            if not (isinstance(value, (int, np.integer)) and value > 0):
                raise ValueError(f"Dense: {what} must be a positive integer, got {value!r}.")
        self.init, self.bias_init = get_initializer(init), get_initializer(bias_init)
        self.name = name or f"dense({n_in}→{n_out})"
        self.dtype = np.dtype(dtype)        # the layer computes in this dtype (float32 stays float32)
        rng = as_rng(seed)
        self.W = self.init((int(n_in), int(n_out)), rng, self.dtype)         # (n_in, n_out)
        self.b = self.bias_init((int(n_out),), rng, self.dtype)               # (n_out,)
        self.dW, self.db = np.zeros_like(self.W), np.zeros_like(self.b)
        self.x = None

    @property
    def n_in(self):
        return self.W.shape[0]

    @property
    def n_out(self):
        return self.W.shape[1]

    def forward(self, x):
        """x (n, n_in) -> z = x @ W + b (n, n_out). Keeps x for backward."""
        self.x = check_layer_input(self, x)
        return self.x @ self.W + self.b

    def backward(self, grad):
        """grad = dL/dz (n, n_out). Stores dW (n_in, n_out) and db (n_out,); returns dL/dx (n, n_in)."""
        grad = check_backward(self, grad, self.x, self.n_out)
        self.dW = self.x.T @ grad
        self.db = grad.sum(axis=0)
        return grad @ self.W.T

    def output_features(self, n_in):
        return self.n_out

    def get_config(self):
        return {"type": type(self).__name__, "n_in": self.n_in, "n_out": self.n_out, "name": self.name, "dtype": self.dtype.name}

    def __repr__(self):
        return f"Dense({self.n_in}, {self.n_out}, init={self.init!r})"


Linear = Dense


class Dropout(Layer):
    """Inverted dropout: in training, zero each activation with probability ``p`` and scale the rest by
    1/(1-p), so evaluation needs no change. In evaluation (``training = False``) it passes x through."""

    def __init__(self, p=0.5, seed=None):
        if not (isinstance(p, (int, float)) and 0 <= p < 1):
            raise ValueError(f"Dropout: p is the probability of dropping a unit and must be in [0, 1), got {p!r}.")
        self.p = float(p)
        self.rng = as_rng(seed)
        self.mask = None        # the last forward's mask (None: nothing was dropped)
        self.name = f"dropout(p={self.p:g})"

    def forward(self, x):
        x = np.asarray(x, dtype=np.result_type(x, np.float32))       # integers would make the mask 0
        if not self.training or self.p == 0:
            self.mask = None
            return x
        keep = 1.0 - self.p
        self.mask = (self.rng.random(x.shape) < keep).astype(x.dtype) / np.asarray(keep, x.dtype)
        return x * self.mask

    def backward(self, grad):
        return grad if self.mask is None else grad * self.mask

    def get_config(self):
        return {"type": type(self).__name__, "p": self.p}

    def __repr__(self):
        return f"Dropout(p={self.p:g})"
