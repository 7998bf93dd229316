"""Widgets of notebook 3 (forward propagation): ``forward_explorer`` (follow one input point through a
small network, neuron by neuron; the layer-by-layer values come from ``forward_trace``) and
``untrained_regions_explorer`` (the decision regions of a network with random weights).
"""
import numpy as np

from .. import plots
from ..activations import Activation, Sigmoid, Softmax
from ..data import CLASSIFICATION_SETS, make_dataset
from ..metrics import accuracy
from ..network import mlp
from ._live import LiveFigure, dropdown, int_slider, slider

def forward_trace(net, X):
    """Run ``net`` on X layer by layer and keep everything: ``z`` (output of each Dense layer, before its
    activation), and ``columns``: the values of every column of neurons of the diagram, inputs first,
    then each layer's output after its activation (a Dense layer with no activation after it is its own
    column). Each entry has shape (n, units)."""
    a = np.asarray(X, dtype=float)
    zs, columns = [], [a]
    layers = net.layers
    for k, layer in enumerate(layers):
        a = layer.forward(a)
        if layer.param_names:
            zs.append(a)
            if k == len(layers) - 1 or not isinstance(layers[k + 1], Activation):
                columns.append(a)
        elif isinstance(layer, Activation):
            columns.append(a)
    return {"z": zs, "columns": columns, "output": a}


def _output_kind(net):
    """What the last column of a network means: "softmax" (class probabilities), "sigmoid" (one unit,
    P(class 1)) or "values" (no softmax or sigmoid at the end: a regression output, any real number)."""
    last = net.layers[-1]
    if isinstance(last, Softmax):
        return "softmax"
    if isinstance(last, Sigmoid) and net.layers[-2].W.shape[1] == 1:
        return "sigmoid"
    return "values"


def forward_explorer(net=None, x1=0.5, x2=-1.0):
    """Forward-pass explorer: two sliders pick an input point x = (x₁, x₂); the diagram shows the value
    of every neuron for that input and the bars show the output probabilities (a softmax output), the
    probabilities 1 − ŷ and ŷ of classes 0 and 1 (one sigmoid unit), or the output values themselves (a
    regression network, no activation at the end).

    State: ``x`` (2,), ``z`` (list, one (units,) array per Dense layer), ``a`` (list, the value of each
    column after the input), ``columns`` (inputs first), ``probs`` (the output row, the last column),
    ``output`` ("softmax", "sigmoid" or "values"), ``predicted`` (the class; None for a regression output).
    """
    net = net if net is not None else mlp([2, 3, 2], "tanh", output="softmax", seed=0)
    kind = _output_kind(net)
    controls = {"x1": slider(x1, -2, 2, 0.05, "input x₁"), "x2": slider(x2, -2, 2, 0.05, "input x₂")}

    def compute(x1, x2):
        x = np.array([[x1, x2]], dtype=float)
        trace = forward_trace(net, x)
        columns = [c[0] for c in trace["columns"]]
        probs = columns[-1]
        predicted = {"softmax": lambda: int(np.argmax(probs)), "sigmoid": lambda: int(probs[0] > 0.5),
                     "values": lambda: None}[kind]()
        return {"x": x[0], "z": [z[0] for z in trace["z"]], "a": columns[1:], "columns": columns,
                "probs": probs, "output": kind, "predicted": predicted}

    def draw(fig, axes, state):
        if not hasattr(fig, "_nb3_axes"):
            fig.clear()
            gs = fig.add_gridspec(1, 2, width_ratios=[2.3, 1])
            fig._nb3_axes = (fig.add_subplot(gs[0]), fig.add_subplot(gs[1]))
        ax_net, ax_prob = fig._nb3_axes
        ax_net.clear()
        ax_prob.clear()
        shown = np.array([1 - state["probs"][0], state["probs"][0]]) if kind == "sigmoid" else state["probs"]
        plots.plot_forward_pass(ax_net, ax_prob, net, state["columns"], state["x"], shown, z=state["z"],
                                output="values" if kind == "values" else "probabilities")

    right = {"softmax": "the output probabilities ŷ (the hatched bar is the predicted class; bar colours are the "
                        "classes, orange class 0 and blue class 1 as in the decision-region plots, not signs)",
             "sigmoid": "the probabilities of class 0 (1 − ŷ) and class 1 (ŷ, the one sigmoid output); the hatched "
                        "bar is the predicted class",
             "values": "the output values ŷ themselves (no activation at the end: a regression output, any real "
                       "number, not a probability)"}[kind]
    help_text = ("<b>x₁, x₂</b>: the two input features of one sample. Every circle is a neuron; its fill and the "
                 "number above it are its value for this input: inputs, then each hidden neuron's activation "
                 "a = f(z), then the outputs (under its first line the title lists the pre-activations z of "
                 "each layer). Fill: <span style='color:#0072B2'>blue</span> positive, white 0, "
                 "<span style='color:#D55E00'>vermillion</span> negative. Lines are the weights (colour = sign, "
                 "thickness = size), small squares the biases. Right: " + right + ".")
    return LiveFigure(controls, compute, draw, help=help_text, figsize=(9.5, 4.4),
                      title="Forward-pass explorer: follow one input through the network")


def untrained_regions_explorer(dataset="circle", hidden=8, activation="tanh", seed=0, resolution=60):
    """An untrained network's decision regions: hidden size, activation and weight seed of
    ``mlp([2, hidden, 2], activation, output="softmax")``; points of a toy dataset on top.

    State: ``P1`` (resolution, resolution) P(class 1) on the grid, ``accuracy`` on the dataset,
    ``frac_class1`` (share of the plane predicted as class 1), ``n_params``, ``net``, ``X``, ``y``.
    """
    controls = {
        "dataset": dropdown(sorted(CLASSIFICATION_SETS), dataset, "dataset"),
        "hidden": int_slider(hidden, 1, 32, "hidden neurons", continuous_update=False, width="345px"),
        "activation": dropdown(["relu", "tanh", "sigmoid", "leaky_relu", "identity"], activation, "activation"),
        "seed": int_slider(seed, 0, 50, "weight seed", continuous_update=False, width="325px"),
    }
    _, _, pts = plots.grid(resolution=resolution)

    def compute(dataset, hidden, activation, seed):
        X, y = make_dataset(dataset, n=200, noise=0.05, seed=0)
        net = mlp([2, hidden, 2], activation, output="softmax", seed=seed)
        P1 = net.predict_proba(pts)[:, 1].reshape(resolution, resolution)
        return {"P1": P1, "accuracy": accuracy(y, net.predict(X)), "frac_class1": float(np.mean(P1 > 0.5)),
                "n_params": net.num_parameters(), "net": net, "X": X, "y": y, "dataset": dataset}

    def draw(fig, ax, state):
        ax.clear()
        plots.plot_decision_regions(ax, state["net"].predict_proba, state["X"], state["y"], resolution=resolution)
        ax.set_title(f"untrained network on '{state['dataset']}': accuracy {state['accuracy']:.0%} "
                     f"({state['n_params']} parameters)", fontsize=10)
        ax.legend(loc="upper right", fontsize=8)
        ax.set_aspect("equal")

    help_text = ("A network with random weights, <b>not trained</b>. <b>hidden neurons</b>: size of its one hidden "
                 "layer; <b>activation</b>: the hidden layer's f; <b>weight seed</b>: which random weights. "
                 "Background: the network's P(class 1) at every point, <span style='color:#E69F00'>orange</span> "
                 "= class 0, white = 0.5, <span style='color:#0072B2'>blue</span> = class 1; black line: the "
                 "decision boundary P = 0.5. Points: the dataset (orange circles class 0, blue squares class 1).")
    return LiveFigure(controls, compute, draw, help=help_text, figsize=(5.5, 5),
                      title="Decision regions of an untrained network")
