"""Step 6 of 7: optimizers, the rules that turn gradients into better parameters.

An optimizer updates arrays in place, given their gradients:

    opt = Adam(lr=1e-3)
    opt.step(net.parameters(), net.gradients())     # after net.backward(...)
    opt.step([point], [grad_at_point])              # or any plain arrays, e.g. a 2-D point

Each rule's ``update`` is its formula from notebook 6, one code line per line of the formula. The state
(velocities, running averages) is one dict per array, in ``opt.state`` (e.g. ``opt.state[0]["m"]`` for
Adam), by position in the list: always pass the same arrays in the same order. ``opt.lr`` may be changed
between steps; the state is kept.

Options shared by all: ``weight_decay`` adds wd·θ to the gradient (L2 regularization; AdamW instead
decouples it), ``clip_norm`` rescales the gradients when their global norm exceeds it.
"""
import math

import numpy as np

from .validation import check_fraction, check_positive


class Optimizer:
    """Base class: ``step`` handles what every rule shares (weight decay, clipping, the state per array);
    a subclass writes its formula in ``update(p, g, state)`` for one array p with gradient g."""

    decoupled = False     # AdamW sets this: weight decay shrinks θ directly instead of going through g

    def __init__(self, lr, weight_decay=0.0, clip_norm=None):
        self.lr = lr
        self.weight_decay = check_positive(weight_decay, "weight_decay", allow_zero=True)
        self.clip_norm = None if clip_norm is None else check_positive(clip_norm, "clip_norm")
        self.t = 0               # number of steps taken
        self.state = []          # one dict per parameter array (velocities, m, v, ...), made on the first step
        self.arrays = []         # the arrays that state belongs to

    @property
    def lr(self):
        return self._lr

    @lr.setter
    def lr(self, value):
        self._lr = check_positive(value, "lr (the learning rate)")

    def init_state(self, p):
        """The state of one parameter array, a dict of arrays (empty if the rule keeps none)."""
        return {}

    def update(self, p, g, state):
        """Change ``p`` in place, given its gradient ``g``."""
        raise NotImplementedError

    def step(self, params, grads):
        """One update of every array in ``params`` (in place) from ``grads`` (same order and shapes)."""
        params, grads = list(params), list(grads)
        self._check(params, grads)
        self.t += 1
        if self.clip_norm is not None:
            grads = clip_by_norm(grads, self.clip_norm)
        for p, g, state in zip(params, grads, self.state):
            g = np.asarray(g, dtype=p.dtype)                # float32 parameters keep float32 state
            if self.weight_decay and self.decoupled:
                p -= self.lr * self.weight_decay * p        # AdamW: shrink θ directly
            elif self.weight_decay:
                g = g + self.weight_decay * p               # L2: add wd·θ to the gradient
            self.update(p, g, state)

    def _check(self, params, grads):
        """Create the state on the first step; later, refuse other arrays (the state, e.g. Adam's averages,
        belongs to the arrays it was built for)."""
        name = type(self).__name__
        if len(params) != len(grads):
            raise ValueError(f"{name}.step: {len(params)} parameter arrays but {len(grads)} gradients.")
        for p, g in zip(params, grads):
            if (g.shape if isinstance(g, np.ndarray) else np.shape(g)) != np.shape(p):
                raise ValueError(f"{name}.step: gradient of shape {np.shape(g)} for a parameter of shape {np.shape(p)}.")
        if self.arrays:
            if len(params) != len(self.arrays) or any(p is not q for p, q in zip(params, self.arrays)):
                raise ValueError(f"{name}.step: this optimizer holds state for other arrays (another network, a "
                                 "replaced weight array, or the same one passed differently). Use a new optimizer "
                                 "per network, or call opt.reset() first.")
            return
        for p in params:
            if not isinstance(p, np.ndarray) or not np.issubdtype(p.dtype, np.floating):
                got = f"an array of dtype {p.dtype}" if isinstance(p, np.ndarray) else f"a {type(p).__name__}"
                raise TypeError(f"{name}.step updates float numpy arrays in place; got {got}. "
                                "Use np.array([...], dtype=float).")
        self.state = [self.init_state(p) for p in params]
        self.arrays = params

    def reset(self):
        """Forget all state (velocities, averages, step count)."""
        self.t, self.state, self.arrays = 0, [], []

    def __repr__(self):
        return f"{type(self).__name__}(lr={self.lr:g})"


def clip_by_norm(grads, max_norm):
    """Rescale all gradients together so that their global norm ‖g‖ = sqrt(Σ g²) is at most max_norm
    (PyTorch's clip_grad_norm_, which adds 1e-6 to the norm; here the scale is exactly max_norm / ‖g‖)."""
    norm = math.sqrt(sum(float(np.sum(g * g)) for g in grads))
    return [g * (max_norm / norm) for g in grads] if norm > max_norm else grads


class SGD(Optimizer):
    """Stochastic gradient descent, optionally with momentum (the PyTorch form):

        v ← μ·v + g                θ ← θ - lr·v
        Nesterov: θ ← θ - lr·(g + μ·v)     (look ahead along the velocity)

    The default lr=0.01 is Keras'; PyTorch's SGD has no default learning rate.
    """

    def __init__(self, lr=0.01, momentum=0.0, nesterov=False, weight_decay=0.0, clip_norm=None):
        super().__init__(lr, weight_decay, clip_norm)
        self.momentum = check_fraction(momentum, "momentum")
        if nesterov and not momentum:
            raise ValueError("SGD: nesterov=True needs a momentum > 0 (e.g. momentum=0.9).")
        self.nesterov = nesterov

    def init_state(self, p):
        return {"velocity": np.zeros_like(p)} if self.momentum else {}

    def update(self, p, g, state):
        if self.momentum:
            state["velocity"] = self.momentum * state["velocity"] + g        # v ← μ·v + g
            if self.nesterov:
                g = g + self.momentum * state["velocity"]                     # look ahead: g + μ·v
            else:
                g = state["velocity"]
        p -= self.lr * g                                                     # θ ← θ - lr·v

    def __repr__(self):
        extra = f", momentum={self.momentum:g}" if self.momentum else ""
        return f"SGD(lr={self.lr:g}{extra}{', nesterov=True' if self.nesterov else ''})"


def Momentum(lr=0.01, momentum=0.9, **kwargs):
    """SGD with momentum 0.9 (shorthand)."""
    return SGD(lr, momentum=momentum, **kwargs)


class AdaGrad(Optimizer):
    """Per-parameter rates shrinking with the sum of past squared gradients:
    s ← s + g²,  θ ← θ - lr·g / (√s + ε).  (PyTorch's default eps is 1e-10, ours 1e-8.)"""

    def __init__(self, lr=0.01, eps=1e-8, weight_decay=0.0, clip_norm=None):
        super().__init__(lr, weight_decay, clip_norm)
        self.eps = check_positive(eps, "eps")

    def init_state(self, p):
        return {"sum_sq": np.zeros_like(p)}

    def update(self, p, g, state):
        state["sum_sq"] += g * g                                             # s ← s + g²
        p -= self.lr * g / (np.sqrt(state["sum_sq"]) + self.eps)             # θ ← θ - lr·g / (√s + ε)


class RMSProp(Optimizer):
    """AdaGrad with a leaky average, so old gradients are forgotten:
    s ← ρ·s + (1-ρ)·g²,  θ ← θ - lr·g / (√s + ε).  (PyTorch's RMSprop: alpha=0.99 for ρ, lr=0.01.)"""

    def __init__(self, lr=0.001, rho=0.9, eps=1e-8, weight_decay=0.0, clip_norm=None):
        super().__init__(lr, weight_decay, clip_norm)
        self.rho = check_fraction(rho, "rho")
        self.eps = check_positive(eps, "eps")

    def init_state(self, p):
        return {"avg_sq": np.zeros_like(p)}

    def update(self, p, g, state):
        state["avg_sq"] = self.rho * state["avg_sq"] + (1 - self.rho) * g * g   # s ← ρ·s + (1-ρ)·g²
        p -= self.lr * g / (np.sqrt(state["avg_sq"]) + self.eps)               # θ ← θ - lr·g / (√s + ε)


class Adam(Optimizer):
    """Momentum (m) and RMSProp (v) together, with bias correction for their zero start:

        m ← β₁·m + (1-β₁)·g          m̂ = m / (1 - β₁ᵗ)
        v ← β₂·v + (1-β₂)·g²         v̂ = v / (1 - β₂ᵗ)
        θ ← θ - lr·m̂ / (√v̂ + ε)
    """

    def __init__(self, lr=0.001, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, clip_norm=None):
        super().__init__(lr, weight_decay, clip_norm)
        if not (isinstance(betas, (tuple, list)) and len(betas) == 2):
            raise TypeError(f"Adam: betas is a pair (beta1, beta2), e.g. betas=(0.9, 0.999), got {betas!r}.")
        self.beta1 = check_fraction(betas[0], "betas[0] (beta1)")
        self.beta2 = check_fraction(betas[1], "betas[1] (beta2)")
        self.eps = check_positive(eps, "eps")

    def init_state(self, p):
        return {"m": np.zeros_like(p), "v": np.zeros_like(p)}

    def update(self, p, g, state):
        b1, b2, t = self.beta1, self.beta2, self.t
        state["m"] = b1 * state["m"] + (1 - b1) * g             # m ← β₁·m + (1-β₁)·g
        state["v"] = b2 * state["v"] + (1 - b2) * g * g         # v ← β₂·v + (1-β₂)·g²
        m_hat = state["m"] / (1 - b1 ** t)                      # m̂ = m / (1 - β₁ᵗ)
        v_hat = state["v"] / (1 - b2 ** t)                      # v̂ = v / (1 - β₂ᵗ)
        p -= self.lr * m_hat / (np.sqrt(v_hat) + self.eps)      # θ ← θ - lr·m̂ / (√v̂ + ε)


class AdamW(Adam):
    """Adam with decoupled weight decay (Loshchilov & Hutter): θ ← θ·(1 - lr·wd) before the Adam step."""

    decoupled = True

    def __init__(self, lr=0.001, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.01, clip_norm=None):
        super().__init__(lr, betas, eps, weight_decay, clip_norm)


OPTIMIZERS = {"sgd": SGD, "momentum": Momentum, "nesterov": lambda lr=0.01, **kw: SGD(lr, 0.9, True, **kw),
              "adagrad": AdaGrad, "rmsprop": RMSProp, "adam": Adam, "adamw": AdamW}


def get_optimizer(optimizer, **kwargs):
    """An optimizer from a name (``"adam"``, ``"sgd"``, ...) and keyword arguments, or an object."""
    if isinstance(optimizer, type):
        raise TypeError(f"optimizer={optimizer.__name__} is the class; pass an object, with parentheses: "
                        f"optimizer={optimizer.__name__}(lr=0.01), or a name such as optimizer='adam'.")
    if isinstance(optimizer, Optimizer) or callable(getattr(optimizer, "step", None)):
        return optimizer                        # an optimizer object (or anything with .step(params, grads))
    if isinstance(optimizer, str) and optimizer.lower() in OPTIMIZERS:
        return OPTIMIZERS[optimizer.lower()](**kwargs)
    raise ValueError(f"Unknown optimizer {optimizer!r}. Valid names: {', '.join(OPTIMIZERS)}.")


# ----------------------------------------------------------------------------------------------
# Learning-rate schedules: lr as a function of the epoch t = 0, 1, 2, ...
# With warmup=k the rate first climbs linearly from lr/k to lr over k epochs, then the schedule starts.
# ----------------------------------------------------------------------------------------------
class Schedule:
    def __init__(self, lr, warmup=0):
        self.lr = check_positive(lr, "lr")
        if not (isinstance(warmup, int) and warmup >= 0):
            raise ValueError(f"warmup must be a whole number of epochs >= 0, got {warmup!r}.")
        self.warmup = warmup

    def __call__(self, t):
        if t < self.warmup:
            return self.lr * (t + 1) / self.warmup
        return self.decay(t - self.warmup)

    def decay(self, t):
        raise NotImplementedError


class ConstantLR(Schedule):
    def decay(self, t):
        return self.lr


class StepLR(Schedule):
    """Multiply the rate by ``gamma`` every ``step_size`` epochs."""

    def __init__(self, lr, step_size, gamma=0.1, warmup=0):
        super().__init__(lr, warmup)
        if not (isinstance(step_size, (int, np.integer)) and step_size >= 1):
            raise ValueError(f"StepLR: step_size is a whole number of epochs >= 1, got {step_size!r}.")
        self.step_size = int(step_size)
        self.gamma = check_fraction(gamma, "gamma", low_open=True)

    def decay(self, t):
        return self.lr * self.gamma ** (t // self.step_size)


class ExponentialLR(Schedule):
    """lr · gamma^t."""

    def __init__(self, lr, gamma=0.95, warmup=0):
        super().__init__(lr, warmup)
        self.gamma = check_fraction(gamma, "gamma", low_open=True)

    def decay(self, t):
        return self.lr * self.gamma ** t


class CosineLR(Schedule):
    """Half a cosine from lr down to ``min_lr`` (default lr/100; it must stay > 0) over ``total`` epochs
    (counted after the warm-up), then constant."""

    def __init__(self, lr, total, min_lr=None, warmup=0):
        super().__init__(lr, warmup)
        self.total = int(check_positive(total, "total"))
        self.min_lr = check_positive(self.lr / 100 if min_lr is None else min_lr, "min_lr")

    def decay(self, t):
        t = min(t, self.total)
        return self.min_lr + 0.5 * (self.lr - self.min_lr) * (1 + math.cos(math.pi * t / self.total))
