"""Step 1 of 7: the network's building blocks. A ``Dense`` layer and how its weights start out.

A dense (fully connected) layer maps a batch ``x`` of shape ``(n, n_in)`` to ``z = x @ W + b``:

    x: (n, n_in)    W: (n_in, n_out)    b: (n_out,)    z: (n, n_out)

Every layer has ``forward(x)`` and ``backward(grad)``. ``forward`` caches what ``backward`` will need;
``backward`` receives dL/d(output), stores the gradients of the layer's own parameters (``dW``, ``db``)
and returns dL/d(input) for the layer below. Gradients are *overwritten* on every backward, not
accumulated as in PyTorch, so there is no ``zero_grad``.
"""
import math

import numpy as np

from .validation import ShapeError, check_positive


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
    """Base class. ``param_names`` lists the trainable arrays; each has a gradient named ``"d" + name``."""

    param_names = ()
    regularized = ()        # which params fit's l1/l2 penalties apply to (weights, not biases)
    training = True         # Dropout behaves differently in training and evaluation
    name = None
    _cache = ("x", "a", "mask", "_zeros")     # what forward keeps for backward: a copy leaves it out

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
        return [getattr(self, "d" + p) for p in self.param_names]

    def num_parameters(self):
        return sum(p.size for p in self.parameters())

    def __getstate__(self):
        """A copy (copy.deepcopy, pickle) leaves out what forward kept for backward: it starts afresh."""
        return {k: v for k, v in self.__dict__.items() if k not in self._cache}

    def _attach(self, params, grads):
        """Move the parameters into ``params`` and their gradients into ``grads`` (flat arrays with
        ``num_parameters()`` entries, e.g. slices of a network's flat arrays), as views, keeping the values."""
        offset = 0
        for name in self.param_names:
            value = getattr(self, name)
            view = params[offset:offset + value.size].reshape(value.shape)
            view[...] = value
            setattr(self, name, view)
            setattr(self, "d" + name, grads[offset:offset + value.size].reshape(value.shape))
            offset += value.size

    def output_features(self, n_in):
        """Number of output features for ``n_in`` input features (used by ``summary``)."""
        return n_in

    def get_config(self):
        """What ``annlib.save`` writes to rebuild this layer."""
        return {"type": type(self).__name__}

    def __repr__(self):
        return f"{type(self).__name__}()"


class Dense(Layer):
    """Fully connected layer: ``z = x @ W + b``. Called ``Linear`` in PyTorch.

    W: (n_in, n_out), b: (n_out,). ``init`` sets W (default Xavier/Glorot uniform, as in Keras);
    ``bias_init`` sets b (default zeros). ``seed`` is an int or a ``numpy.random.Generator``.

    Inside, W and b are one array ``Wb`` of shape (n_in + 1, n_out): W is its first n_in rows and b its
    last row. With a column of ones appended to the input, the whole layer is one matrix product (the
    "bias trick"): ``[x, 1] @ [W; b] = x @ W + 1·b``, and backward gets dW and db from one product too.
    ``layer.W`` and ``layer.b`` are views into Wb (and ``dW``, ``db`` into ``dWb``): change them in place
    (``layer.W[...] = values``) or assign (``layer.W = values`` copies the values in).
    """

    param_names = ("W", "b")
    regularized = ("W",)

    def __init__(self, n_in, n_out, init="xavier_uniform", bias_init="zeros", seed=None,
                 dtype=np.float64, name=None):
        for value, what in ((n_in, "n_in"), (n_out, "n_out")):
            if not (isinstance(value, (int, np.integer)) and value > 0):
                raise ValueError(f"Dense: {what} must be a positive integer, got {value!r}.")
        self.n_in, self.n_out = int(n_in), int(n_out)
        self.init, self.bias_init = get_initializer(init), get_initializer(bias_init)
        self.dtype = np.dtype(dtype)
        self.name = name or f"dense({self.n_in}→{self.n_out})"
        self.Wb = np.empty((self.n_in + 1, self.n_out), self.dtype)     # [W; b]
        self.dWb = np.zeros_like(self.Wb)                                 # [dW; db]
        self._make_views()
        rng = as_rng(seed)
        self.W = self.init((self.n_in, self.n_out), rng, self.dtype)     # (n_in, n_out)
        self.b = self.bias_init((self.n_out,), rng, self.dtype)          # (n_out,)
        self.x = None
        self._new_x1(0)

    def _make_views(self):
        """W and b as views of Wb (its first n_in rows, its last row); dW and db likewise of dWb."""
        self._W, self._b = self.Wb[:-1], self.Wb[-1]
        self._dW, self._db = self.dWb[:-1], self.dWb[-1]

    def _attach(self, params, grads):
        """Keep [W; b] in ``params`` and [dW; db] in ``grads``, flat arrays of (n_in + 1)·n_out numbers."""
        Wb = params.reshape(self.Wb.shape)
        Wb[...] = self.Wb                                   # keep the current values
        self.Wb, self.dWb = Wb, grads.reshape(self.Wb.shape)
        self._make_views()

    def _new_x1(self, n):
        """A buffer for x1 = [x, 1] of a batch of n: ones, and ``_x1_x``, a view of its first n_in columns
        into which forward copies x (the last column stays 1)."""
        self._x1 = np.ones((n, self.n_in + 1), self.dtype)
        self._x1_x = self._x1[:, :-1]

    def __getstate__(self):
        """A copy takes Wb and dWb, but neither the views into them (made again below) nor the buffer x1."""
        views = ("_W", "_b", "_dW", "_db", "_x1", "_x1_x")
        return {k: v for k, v in super().__getstate__().items() if k not in views}

    def __setstate__(self, state):
        self.__dict__.update(state)
        self._make_views()
        self.x = None
        self._new_x1(0)

    # W, b, dW and db are views into Wb and dWb. Assigning one (layer.W = values) copies the values in,
    # so it stays a view: the network's flat arrays and its optimizer keep seeing the layer's numbers.
    W = property(lambda self: self._W, lambda self, value: self._set("W", self._W, value))
    b = property(lambda self: self._b, lambda self, value: self._set("b", self._b, value))
    dW = property(lambda self: self._dW, lambda self, value: self._set("dW", self._dW, value))
    db = property(lambda self: self._db, lambda self, value: self._set("db", self._db, value))

    def _set(self, what, array, value):
        value = np.asarray(value)
        if value.shape != array.shape:
            raise ShapeError(f"{self.name}: {what} has shape {array.shape}, cannot set it to an array of shape "
                             f"{value.shape}. Build a new Dense layer for other sizes.")
        array[...] = value

    def forward(self, x):
        x = np.asarray(x)
        if x.ndim != 2 or x.shape[1] != self.n_in:
            raise ShapeError(f"{self.name}: expects input of shape (batch, {self.n_in}) since W has shape "
                             f"{self.W.shape}, got {x.shape}. Check that this layer's n_in equals the "
                             f"previous layer's n_out (or the number of input features).")
        if x.dtype != self.dtype:           # compute in the layer's dtype (float32 stays float32)
            x = x.astype(self.dtype)
        self.x = x                          # (n, n_in), the input (backward uses x1 below)
        if self._x1.shape[0] != x.shape[0]:
            self._new_x1(x.shape[0])
        self._x1_x[...] = x                 # x1 = [x, 1]: x with a column of ones   (n, n_in + 1)
        # np.dot is @ for 2-D arrays; on tiny arrays it has less overhead per call than @
        return np.dot(self._x1, self.Wb)    # z = [x, 1] @ [W; b] = x @ W + b       (n, n_out)

    def backward(self, grad, input_grad=True):
        """grad = dL/dz, shape (n, n_out). Returns dL/dx (n, n_in), or None if ``input_grad`` is False."""
        if self.x is None:
            raise RuntimeError(f"{self.name}: call forward before backward.")
        if grad.shape != (self.x.shape[0], self.n_out):
            raise ShapeError(f"{self.name}: backward expects a gradient of shape "
                             f"{(self.x.shape[0], self.n_out)} (like its output), got {grad.shape}.")
        if grad.dtype != self.dtype:
            grad = grad.astype(self.dtype)
        # [dW; db] = [x, 1]ᵀ · grad, one product written in place: dW = xᵀ · grad (n_in, n_out), and the
        # row of ones gives db = 1ᵀ · grad = the sum of grad over the batch (n_out,)
        np.dot(self._x1.T, grad, out=self.dWb)
        if input_grad:                              # the first layer of a network skips this product
            return np.dot(grad, self._W.T)          # dx = grad · Wᵀ    (n, n_in)
        return None

    def output_features(self, n_in):
        return self.n_out

    def get_config(self):
        return {"type": "Dense", "n_in": self.n_in, "n_out": self.n_out, "name": self.name,
                "dtype": self.dtype.name}

    def __repr__(self):
        return f"Dense({self.n_in}, {self.n_out}, init={self.init!r})"


Linear = Dense


class Dropout(Layer):
    """Inverted dropout: in training, zero each activation with probability ``p`` and scale the rest by
    1/(1-p), so evaluation needs no change. In evaluation (``training = False``) it passes x through."""

    mask = None             # the last forward's mask (None: nothing was dropped)

    def __init__(self, p=0.5, seed=None):
        if not (isinstance(p, (int, float)) and 0 <= p < 1):
            raise ValueError(f"Dropout: p is the probability of dropping a unit and must be in [0, 1), got {p!r}.")
        self.p = float(p)
        self.rng = as_rng(seed)
        self.mask = None
        self.name = f"dropout(p={self.p:g})"

    def forward(self, x):
        if not self.training or self.p == 0:
            self.mask = None
            return x
        keep = 1.0 - self.p
        self.mask = (self.rng.random(x.shape) < keep).astype(x.dtype) / np.asarray(keep, x.dtype)
        return x * self.mask

    def backward(self, grad, input_grad=True):
        return grad if self.mask is None else grad * self.mask

    def get_config(self):
        return {"type": "Dropout", "p": self.p}

    def __repr__(self):
        return f"Dropout(p={self.p:g})"
