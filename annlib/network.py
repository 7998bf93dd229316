"""Step 3 of 7: the network, a stack of layers applied one after another (forward propagation).

    net = Sequential(Dense(2, 8), Tanh(), Dense(8, 2), Softmax())
    net = mlp([2, 8, 2], activation="tanh", output="softmax")     # the same network
    probs = net.forward(X)              # X: (n, 2) -> probs: (n, 2), each row sums to 1
    net.backward(dL_dprobs)             # fills every layer's dW, db (step 5)

Forward propagation is a loop over the layers, backward the same loop in reverse (the chain rule).
Every parameter stays an ordinary array owned by its layer; ``net.parameters()`` lists them all.
"""
import numpy as np

from .activations import ELU, GELU, Activation, Custom, LeakyReLU, ReLU, Sigmoid, SiLU, Softmax, get_activation
from .layers import Dense, Dropout, Layer, as_rng, get_initializer
from .metrics import labels
from .validation import ShapeError, as_batch


class Sequential(Layer):
    """Layers applied in order. Accepts layers as arguments or as one list."""

    def __init__(self, *layers):
        if len(layers) == 1 and isinstance(layers[0], (list, tuple)):
            layers = tuple(layers[0])
        for i, layer in enumerate(layers):
            if not isinstance(layer, Layer):
                raise TypeError(f"Sequential: item {i} is a {type(layer).__name__}, not a layer. "
                                "Use annlib.Dense(...), an activation such as annlib.ReLU(), or get_activation('relu').")
            if isinstance(layer, Sequential):
                raise TypeError(f"Sequential: item {i} is itself a Sequential; pass its layers instead: "
                                "Sequential(*inner.layers, ...).")
            if any(layer is other for other in layers[:i]):
                raise TypeError(f"Sequential: item {i} is the same layer object as an earlier item. A layer keeps "
                                "what its forward pass saw for its backward pass, so each position needs its own "
                                "layer: e.g. Sequential(Dense(2, 4), ReLU(), Dense(4, 4), ReLU()), not one ReLU twice.")
        self.layers = list(layers)
        names = [layer.name for layer in self.layers]
        for i, layer in enumerate(self.layers):       # give repeated names a number: dense(8→8), dense(8→8)#2
            if layer.param_names and names[:i].count(layer.name):
                layer.name = f"{layer.name}#{names[:i].count(layer.name) + 1}"
        dtypes = {p.dtype for p in self.parameters()}
        if len(dtypes) > 1:
            raise TypeError(f"Sequential: all layers must have one dtype, got {sorted(map(str, dtypes))}. "
                            "Pass the same dtype= to every Dense layer.")
        self.dtype = dtypes.pop() if dtypes else np.dtype(np.float64)

    # -- parameters ------------------------------------------------------------------------------
    @property
    def param_layers(self):
        return [layer for layer in self.layers if layer.param_names]

    def parameters(self):
        """All parameter arrays, layer by layer: [W1, b1, W2, b2, ...] (PyTorch's name)."""
        return [p for layer in self.layers for p in layer.parameters()]

    def gradients(self):
        """Their gradients, in the same order: [dW1, db1, dW2, db2, ...]."""
        return [g for layer in self.layers for g in layer.gradients()]

    def named_parameters(self):
        """[(name, param, grad), ...] with names like ``"dense1.W"`` (the layer's name, then the array's)."""
        return [(f"{layer.name}.{p}", getattr(layer, p), getattr(layer, "d" + p))
                for layer in self.layers for p in layer.param_names]

    def state_dict(self):
        """{"dense1.W": a copy of W, ...}: a snapshot of every parameter (PyTorch's name)."""
        return {name: p.copy() for name, p, _ in self.named_parameters()}

    def load_state_dict(self, state):
        """Copy the arrays of a ``state_dict()`` back into the network's parameters."""
        for name, p, _ in self.named_parameters():
            if name not in state or np.shape(state[name]) != p.shape:
                raise ValueError(f"load_state_dict: {name} of shape {p.shape} is missing or has another shape in the "
                                 f"state given ({sorted(state)}). Use the state_dict() of a network like this one.")
            p[...] = state[name]

    def output_features(self, n_in):
        """The number of outputs for inputs with ``n_in`` features; a ShapeError names the first layer
        that does not fit (checked without running the network)."""
        n = n_in
        for layer in self.layers:
            if isinstance(layer, Dense) and layer.n_in != n:
                source = f"X has {n_in} features" if n == n_in else f"the layer before it outputs {n}"
                raise ShapeError(f"{layer.name}: expects {layer.n_in} input features (W has shape {layer.W.shape}), "
                                 f"but {source}. Make each layer's n_in equal to the previous layer's n_out.")
            n = layer.output_features(n)
        return n

    # -- forward and backward ------------------------------------------------------------------
    def train(self, mode=True):
        """Training mode (Dropout active). ``eval()`` switches it off. Returns the network."""
        for layer in self.layers:
            layer.train(mode)
        self.training = mode
        return self

    def forward(self, X):
        """X: (n, n_features) -> output of the last layer. Checks X (2-D, finite) and casts it to the
        network's dtype; a layer whose shapes do not fit names itself and both shapes."""
        a = as_batch(X, "X", self.dtype)
        for layer in self.layers:
            a = layer.forward(a)
        return a

    def backward(self, grad):
        """grad = dL/d(output). Runs every layer's backward in reverse order and returns dL/dX."""
        for layer in reversed(self.layers):
            grad = layer.backward(grad)
        return grad

    # -- predictions ---------------------------------------------------------------------------
    @property
    def output_activation(self):
        """The last layer if it is an activation (Softmax, Sigmoid, ...), else None."""
        last = self.layers[-1] if self.layers else None
        return last if isinstance(last, Activation) else None

    def _evaluate(self, X):
        was_training = self.training
        self.eval()
        try:
            return self.forward(X)
        finally:
            self.train(was_training)

    def predict_proba(self, X):
        """Class probabilities, (n, C). Needs a Softmax or Sigmoid output layer. For a single sigmoid
        unit, returns (n, 2): [P(class 0), P(class 1)]."""
        out_act = self.output_activation
        if not isinstance(out_act, (Softmax, Sigmoid)):
            raise TypeError("predict_proba needs a network whose last layer is Softmax (multi-class) or "
                            "Sigmoid (binary); this one ends in "
                            f"{type(self.layers[-1]).__name__ if self.layers else 'nothing'}. "
                            "Build it with mlp(..., output='softmax').")
        p = self._evaluate(X)
        if isinstance(out_act, Sigmoid) and p.shape[1] == 1:
            return np.hstack([1 - p, p])
        return p

    def predict(self, X):
        """Class labels (n,) for a classifier (Softmax or Sigmoid output); the raw output otherwise."""
        out, last = self._evaluate(X), self.output_activation
        if isinstance(last, Softmax) or (isinstance(last, Sigmoid) and out.shape[1] == 1):
            return labels(out)      # the most probable class; one sigmoid unit: P(class 1) > 0.5
        return out

    # -- description -----------------------------------------------------------------------------
    def summary(self, n_features=None):
        """Print a Keras-like table: layer, output shape, number of parameters."""
        n = n_features or next((layer.n_in for layer in self.layers if isinstance(layer, Dense)), None)
        rows = []
        for layer in self.layers:
            n = layer.output_features(n) if n is not None else None
            shape = f"(batch, {n})" if n is not None else "?"
            rows.append((layer.name, shape, layer.num_parameters()))
        width = max([len(r[0]) for r in rows] + [20])
        line = "─" * (width + 34)
        out = [line, f"{'Layer':<{width}}  {'Output shape':<18}{'Params':>12}", line]
        out += [f"{name:<{width}}  {shape:<18}{params:>12,}" for name, shape, params in rows]
        out += [line, f"Total parameters: {self.num_parameters():,}", line]
        print("\n".join(out))

    def get_config(self):
        return {"type": "Sequential", "layers": [layer.get_config() for layer in self.layers]}

    def __len__(self):
        return len(self.layers)

    def __getitem__(self, i):
        return self.layers[i]

    def __iter__(self):
        return iter(self.layers)

    def __repr__(self):
        inner = ",\n  ".join(repr(layer) for layer in self.layers)
        return f"Sequential(\n  {inner}\n)"


def default_init(activation):
    """He initialization for the ReLU family, Xavier/Glorot for everything else."""
    act = get_activation(activation)
    return "he_uniform" if isinstance(act, (ReLU, LeakyReLU, ELU, GELU, SiLU)) else "xavier_uniform"


def mlp(sizes, activation="relu", output=None, init=None, dropout=0.0, seed=None, dtype=np.float64):
    """A multi-layer perceptron from layer sizes, e.g. ``mlp([2, 8, 8, 1], "tanh", output="sigmoid")``.

    sizes:      [n_inputs, hidden..., n_outputs]
    activation: hidden-layer activation (a name, (f, df), or an Activation; a fresh one per layer)
    output:     None/"identity" (regression, or logits), "softmax" (multi-class), "sigmoid" (binary)
    init:       weight initializer; default He for the ReLU family, Xavier for the rest
    dropout:    dropout probability after each hidden activation (0 = none)
    seed:       int or numpy Generator; the same seed gives the same network
    """
    if not isinstance(sizes, (list, tuple)):
        raise TypeError(f"mlp takes the layer sizes as one list: mlp([2, 8, 1], ...), not mlp(2, 8, 1); got {sizes!r}.")
    sizes = list(sizes)
    if len(sizes) < 2 or not all(isinstance(s, (int, np.integer)) and s > 0 for s in sizes):
        raise ValueError(f"mlp: sizes must be at least [n_inputs, n_outputs], all positive integers; got {sizes}.")
    rng = as_rng(seed)
    init = get_initializer(init or default_init(activation))
    layers = []
    for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        layers.append(Dense(n_in, n_out, init=init, seed=rng, dtype=dtype, name=f"dense{i + 1}"))
        if i < len(sizes) - 2:
            layers.append(_fresh_activation(activation))
            if dropout:
                layers.append(Dropout(dropout, seed=rng))
    if output not in (None, "identity", "linear"):
        layers.append(get_activation(output))
    return Sequential(layers)


def _fresh_activation(act):
    """A new activation layer per hidden layer (each caches its own input), like ``act``."""
    if isinstance(act, Custom):
        return Custom(act._f, act._df, act.name)
    if isinstance(act, Activation):
        return type(act)(**{k: v for k, v in act.get_config().items() if k != "type"})
    return get_activation(act)
