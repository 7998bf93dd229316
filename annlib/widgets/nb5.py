"""Widgets of notebook 5 (backpropagation): ``gradient_flow`` (the gradient norm of every layer of a deep
network after one backward pass, for a choice of activation, depth and initializer; pure compute
``gradient_flow_state``) and ``backprop_stepper`` (the backward pass of a 2-2-1 network one step at a time,
with the numbers; pure compute ``backprop_steps``, the network ``tiny_network()``).
"""
import numpy as np

import annlib as A

from ..plots import draw_backprop_step, plot_gradient_norms
from ._live import LiveFigure, dropdown, int_slider

INIT_CHOICES = {      # label shown in the dropdown -> what annlib.mlp(init=...) receives
    "Xavier (Glorot)": "xavier_uniform",
    "He (Kaiming)": "he_uniform",
    "normal, std 0.01 (too small)": "normal_0.01",
    "normal, std 1 (too large)": "normal_1",
}


def _nb5_initializer(name):
    if name.startswith("normal_"):
        return A.Normal(std=float(name.split("_")[1]))
    return A.get_initializer(name)


def gradient_flow_state(activation="sigmoid", depth=10, init="xavier_uniform", width=32, batch=64, seed=0):
    """One forward and one backward pass of a deep MLP on a random batch; returns the gradient norm
    ‖∂L/∂W‖ of every Dense layer (first = next to the input).

    Network: ``depth`` hidden layers of ``width`` units with ``activation``, 4 output logits and softmax
    cross-entropy on random labels. ``init`` is an initializer name or a key of ``INIT_CHOICES``' values.
    State: norms (list), ratio = norms[0] / norms[-1], status per layer ("vanished": below 10⁻⁴ × the output
    layer's or below 10⁻⁸; "exploding": above 10⁴ × the output layer's or above 10⁴; else "ok"), activation,
    init, init_label (the menu's name for init), depth.
    """
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((batch, width))
    y = rng.integers(0, 4, batch)
    net = A.mlp([width] + [width] * int(depth) + [4], activation, init=_nb5_initializer(init), seed=seed)
    loss = A.SoftmaxCrossEntropy()
    L = loss.forward(net.forward(X), y)
    net.backward(loss.backward())
    norms = [float(np.linalg.norm(layer.dW)) for layer in net.param_layers]
    ratio = norms[0] / norms[-1] if norms[-1] > 0 else 0.0
    out = norms[-1]                      # the output layer gets the gradient first: compare with it
    status = ["vanished" if v < 1e-4 * out or v < 1e-8 else "exploding" if v > 1e4 * out or v > 1e4 else "ok"
              for v in norms]
    label = {value: name for name, value in INIT_CHOICES.items()}.get(init, init)
    return {"norms": norms, "ratio": ratio, "status": status, "loss": L, "activation": activation, "init": init,
            "init_label": label, "depth": int(depth)}


def gradient_flow(activation="sigmoid", depth=10, init="xavier_uniform"):
    """Widget: how large is the gradient of each layer after one backward pass? Vanishing gradients with
    sigmoid in deep networks; healthy flow with ReLU + He. Controls: activation, depth, initializer."""
    controls = {
        "activation": dropdown(["sigmoid", "tanh", "relu"], activation, "hidden activation"),
        # wider than the builder's estimate: the label takes ~150 px in JupyterLab, the track keeps >= 130 px
        "depth": int_slider(depth, 1, 20, "hidden layers (depth)", continuous_update=False, width="380px"),
        "init": dropdown(INIT_CHOICES, init, "weight initializer"),
    }

    def draw(fig, ax, state):
        ax.clear()
        plot_gradient_norms(ax, state)

    help_text = ("One batch of 64 random inputs goes forward through a network of <i>depth</i> hidden layers "
                 "(32 units each) and the softmax cross-entropy loss is backpropagated once. Each bar is the size "
                 "(norm) of one layer's weight gradient ∂L/∂W, the amount that layer would learn; the axis is "
                 "logarithmic, so each grid line is a factor of 10. <b>hidden activation</b>: the non-linearity "
                 "after every hidden layer. <b>depth</b>: number of hidden layers. <b>weight initializer</b>: how "
                 "the weights start (Xavier suits sigmoid/tanh, He suits ReLU). Blue bars: the gradient arrives; "
                 "vermillion bars with ▼: vanished (below 10⁻⁴ × the output layer's gradient, or below 10⁻⁸), the "
                 "layer has practically stopped learning; orange bars with ▲: exploding (above 10⁴ × the output "
                 "layer's, or above 10⁴ outright, as when all weights are too large).")
    return LiveFigure(controls, gradient_flow_state, draw, help=help_text, figsize=(8, 3.8),
                      title="Gradient flow through depth")


BACKPROP_STEPS = [
    ("forward pass done: every node holds its value", ()),
    ("loss → output:  ∂L/∂ŷ = 2(ŷ − y)", ("dyhat",)),
    ("through the output sigmoid:  ∂L/∂z₂ = ∂L/∂ŷ · ŷ(1 − ŷ)", ("dz2",)),
    ("output layer parameters:  ∂L/∂W₂ = a₁ᵀ·∂L/∂z₂,  ∂L/∂b₂ = ∂L/∂z₂", ("dW2", "db2")),
    ("back to the hidden neurons:  ∂L/∂a₁ = ∂L/∂z₂ · W₂ᵀ", ("da1",)),
    ("through the hidden sigmoids:  ∂L/∂z₁ = ∂L/∂a₁ ⊙ a₁(1 − a₁)", ("dz1",)),
    ("hidden layer parameters:  ∂L/∂W₁ = xᵀ·∂L/∂z₁,  ∂L/∂b₁ = ∂L/∂z₁", ("dW1", "db1")),
    ("down to the inputs:  ∂L/∂x = ∂L/∂z₁ · W₁ᵀ", ("dx",)),
]

TINY_NET = {"W1": [[0.5, -0.4], [0.3, 0.8]], "b1": [0.1, -0.1], "W2": [[0.7], [-0.6]], "b2": [0.2]}


def tiny_network():
    """The 2-2-1 network of the backprop stepper (sigmoid hidden layer, sigmoid output) with the fixed
    weights of ``TINY_NET``, as an annlib ``Sequential``."""
    net = A.mlp([2, 2, 1], "sigmoid", output="sigmoid", seed=0)
    for layer, (w, b) in zip(net.param_layers, (("W1", "b1"), ("W2", "b2"))):
        layer.W[...] = TINY_NET[w]
        layer.b[...] = TINY_NET[b]
    return net


def backprop_steps(step=0, x=(1.0, -0.5), y=1.0):
    """Backpropagation on the 2-2-1 network for one sample, stopped after ``step`` steps (0 = only the
    forward pass, 7 = all gradients down to the inputs). Loss L = (ŷ − y)².

    State: step, n_steps, title, equation (the current step with its numbers), forward (x, z1, a1, z2,
    yhat, L, W1, b1, W2, b2), grads (only those computed so far: dyhat, dz2, dW2, db2, da1, dz1, dW1, db1,
    dx; vectors for one sample), new (names computed in this step).
    """
    step = int(step)
    if not 0 <= step < len(BACKPROP_STEPS):
        raise ValueError(f"step must be between 0 and {len(BACKPROP_STEPS) - 1}, got {step}.")
    W1, b1 = np.array(TINY_NET["W1"]), np.array(TINY_NET["b1"])
    W2, b2 = np.array(TINY_NET["W2"]), np.array(TINY_NET["b2"])
    x, y = np.asarray(x, dtype=float), np.array([float(y)])

    def sig(z):
        return 1 / (1 + np.exp(-z))

    z1 = x @ W1 + b1
    a1 = sig(z1)
    z2 = a1 @ W2 + b2
    yhat = sig(z2)
    L = float(((yhat - y) ** 2).sum())
    fv = dict(x=x, z1=z1, a1=a1, z2=z2, yhat=yhat, y=y, L=L, W1=W1, b1=b1, W2=W2, b2=b2)
    full = {}
    full["dyhat"] = 2 * (yhat - y)
    full["dz2"] = full["dyhat"] * yhat * (1 - yhat)
    full["dW2"] = np.outer(a1, full["dz2"])
    full["db2"] = full["dz2"].copy()
    full["da1"] = full["dz2"] @ W2.T
    full["dz1"] = full["da1"] * a1 * (1 - a1)
    full["dW1"] = np.outer(x, full["dz1"])
    full["db1"] = full["dz1"].copy()
    full["dx"] = full["dz1"] @ W1.T
    names = [k for _, keys in BACKPROP_STEPS[:step + 1] for k in keys]
    grads = {k: full[k] for k in names}
    title, new = BACKPROP_STEPS[step]
    def f(v):                  # a vector or matrix with signed numbers, 3 decimals: [+0.450, -0.900]
        v = np.asarray(v)
        return "[" + ", ".join(f(row) if v.ndim > 1 else f"{row:+.3f}" for row in v) + "]"

    eq = {
        0: f"z₁ = x·W₁ + b₁ = {f(z1)},   a₁ = σ(z₁) = {f(a1)}\n"
           f"z₂ = a₁·W₂ + b₂ = {f(z2)},   ŷ = σ(z₂) = {f(yhat)}\n"
           f"L = (ŷ − y)² = ({yhat[0]:.3f} − {y[0]:g})² = {L:.4f}",
        1: f"∂L/∂ŷ = 2·(ŷ − y) = 2·({yhat[0]:.3f} − {y[0]:g}) = {full['dyhat'][0]:+.4f}",
        2: f"∂L/∂z₂ = ∂L/∂ŷ · ŷ(1 − ŷ) = {full['dyhat'][0]:+.4f} · {yhat[0]:.3f}·(1 − {yhat[0]:.3f}) = {full['dz2'][0]:+.4f}",
        3: f"∂L/∂W₂ = a₁ᵀ·∂L/∂z₂ = {f(a1)}ᵀ · {full['dz2'][0]:+.4f} = {f(full['dW2'][:, 0])}ᵀ\n"
           f"∂L/∂b₂ = ∂L/∂z₂ = {full['db2'][0]:+.4f}",
        4: f"∂L/∂a₁ = ∂L/∂z₂ · W₂ᵀ = {full['dz2'][0]:+.4f} · {f(W2[:, 0])} = {f(full['da1'])}",
        5: f"∂L/∂z₁ = ∂L/∂a₁ ⊙ a₁(1 − a₁) = {f(full['da1'])} ⊙ {f(a1 * (1 - a1))}\n"
           f"       = {f(full['dz1'])}",
        6: f"∂L/∂W₁ = xᵀ·∂L/∂z₁ = {f(x)}ᵀ · {f(full['dz1'])}\n"
           f"       = {f(full['dW1'])}   (row i: x[i] · ∂L/∂z₁)\n"
           f"∂L/∂b₁ = ∂L/∂z₁ = {f(full['db1'])}",
        7: f"∂L/∂x = ∂L/∂z₁ · W₁ᵀ = {f(full['dz1'])} · {f(W1.T)}\n"
           f"      = {f(full['dx'])}   (the gradient an earlier layer would receive)",
    }[step]
    return {"step": step, "n_steps": len(BACKPROP_STEPS) - 1, "title": title, "equation": eq, "forward": fv,
            "grads": grads, "new": list(new)}


def backprop_stepper(step=0):
    """Widget: step through the backward pass of a 2-2-1 network, from the loss back to the inputs."""
    controls = {"step": int_slider(step, 0, len(BACKPROP_STEPS) - 1, "backward step", width="340px")}

    def draw(fig, ax, state):
        draw_backprop_step(ax, state)

    help_text = ("A network with 2 inputs, 2 hidden sigmoid neurons and 1 sigmoid output, one sample x = (1, −0.5) "
                 "with target y = 1 and loss L = (ŷ − y)². The weights are written on the connections; the biases, "
                 f"b₁ = ({TINY_NET['b1'][0]:g}, {TINY_NET['b1'][1]:g}) and b₂ = {TINY_NET['b2'][0]:g}, are not drawn. "
                 "<b>backward step</b>: 0 shows the forward pass only; each "
                 "step moves one stage further from the loss towards the inputs and computes the next gradients. "
                 "Blue text: forward values (z, a, ŷ). Vermillion text and solid vermillion connections: gradients "
                 "∂L/∂(…) already computed; dashed grey: not reached yet. An orange ring (on a node) or frame (on a "
                 "weight) marks what the current step computed; the box at the bottom shows its formula with the numbers.")
    return LiveFigure(controls, backprop_steps, draw, help=help_text, figsize=(9.5, 5.2),
                      title="Backpropagation, one step at a time")
