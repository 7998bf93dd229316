"""Widgets of notebook 1 (architecture): ``init_histograms`` (each layer's activations for a choice of
initializer, activation, depth and width: vanishing and exploding activations; pure compute
``deep_activations``) and ``architecture_builder`` (layer sizes -> the network's diagram and parameter
count; pure compute ``architecture_state``).
"""
import numpy as np

from .. import plots
from ..activations import get_activation
from ..layers import Dense, Normal
from ..network import Sequential, mlp
from ._live import LiveFigure, dropdown, int_slider


# Choices of the initialization widget: key -> (label, initializer).
NB1_INIT_CHOICES = {
    "tiny": ("normal, std 0.01 (too small)", lambda: Normal(0.01)),
    "large": ("normal, std 1 (too large)", lambda: Normal(1.0)),
    "xavier_uniform": ("Xavier/Glorot uniform", lambda: "xavier_uniform"),
    "xavier_normal": ("Xavier/Glorot normal", lambda: "xavier_normal"),
    "he_normal": ("He normal", lambda: "he_normal"),
    "he_uniform": ("He uniform", lambda: "he_uniform"),
    "lecun_normal": ("LeCun normal", lambda: "lecun_normal"),
    "zeros": ("zeros", lambda: "zeros"),
}
HIDDEN_ACTIVATIONS = ["tanh", "sigmoid", "relu", "leaky_relu", "elu", "gelu", "silu", "identity"]


def deep_activations(initializer="tiny", activation="tanh", depth=8, width=100, n=500, seed=0):
    """Pure compute of the initialization widget: a stack of ``depth`` layers Dense(width, width) +
    activation, initialized with ``initializer`` (a key of NB1_INIT_CHOICES, a name or an Initializer), fed a
    batch of n standard-normal inputs (n, width). Returns a state dict with every layer's activations
    (n, width) and their standard deviations."""
    if not (1 <= depth <= 20 and 1 <= width <= 1000):
        raise ValueError(f"depth must be 1..20 and width 1..1000, got depth={depth}, width={width}.")
    init = NB1_INIT_CHOICES[initializer][1]() if initializer in NB1_INIT_CHOICES else initializer
    rng = np.random.default_rng(seed)
    layers = []
    for _ in range(depth):
        layers += [Dense(width, width, init=init, seed=rng), get_activation(activation)]
    net = Sequential(layers)
    X = rng.standard_normal((n, width))
    acts = plots.layer_activations(net, X)
    stds = np.array([a.std() for a in acts])
    # each layer's histogram on its own x-range, never narrower than the activation's range or the inputs' scale
    panels = [plots.layer_histogram(a, plots.reference_range(activation, a), bins=40) for a in acts]
    return {"initializer": initializer, "activation": activation, "depth": depth, "width": width,
            "activations": acts, "stds": stds, "panels": panels, "ranges": [p["range"] for p in panels],
            "histograms": [(p["counts"], p["edges"]) for p in panels],
            "ratio_last_first": float(stds[-1] / stds[0]) if stds[0] > 0 else float("nan")}


def init_histograms(initializer="tiny", activation="tanh", depth=8, width=100):
    """Widget (notebook 1): choose the initializer, activation, depth and width of a deep network and see
    the histogram of each layer's activations for a batch of random inputs (vanishing / exploding)."""
    controls = {
        "initializer": dropdown([(label, key) for key, (label, _) in NB1_INIT_CHOICES.items()], initializer,
                                "initializer", width="330px"),
        "activation": dropdown(HIDDEN_ACTIVATIONS, activation, "activation", width="220px"),
        "depth": int_slider(depth, 1, 10, "depth (layers)", continuous_update=False, width="260px"),
        "width": int_slider(width, 10, 250, "width (neurons per layer)", step=10, continuous_update=False,
                            width="330px"),
    }

    artists = []       # per panel (filled step histogram, note): made once and then updated (fast redraw)

    def draw(fig, axes, state):
        flat = axes.ravel()
        per_row = len(flat) // 2
        if not artists:
            # a fixed layout with room for the longest labels (−2.5·10¹²): no re-layout when the numbers grow
            fig.set_layout_engine(None)
            fig.subplots_adjust(left=0.03, right=0.975, bottom=0.1, top=0.85, wspace=0.14, hspace=0.42)
            for k, ax in enumerate(flat):
                artists.append(plots.histogram_panel(ax, state["panels"][0], k))
                if k % per_row == 0:
                    ax.set_ylabel("count", fontsize=9)      # number of activations per bin (first panel of a row)
        for k, ax in enumerate(flat):
            ax.set_visible(k < state["depth"])
            if k < state["depth"]:
                artists[k] = plots.histogram_panel(ax, state["panels"][k], k, *artists[k])
                # each panel has its own x-axis (its own numbers); the label only under the lowest panel of a column
                ax.set_xlabel("activation a" if k + per_row >= state["depth"] or k >= per_row else "", fontsize=9)
        label = NB1_INIT_CHOICES.get(state["initializer"], (str(state["initializer"]),))[0]
        ratio = state["ratio_last_first"]
        ratio = plots.short_number(ratio) if np.isfinite(ratio) else "undefined (the first std is 0)"
        fig.suptitle(f"Activations of each layer ({state['activation']}, {label}, width {state['width']}, "
                     f"500 random inputs): last/first std = {ratio}", fontsize=11)

    help = ("Each panel is one hidden layer (left to right, then the second row): the histogram of its "
            "activations a = f(z) for 500 random inputs x ~ N(0, 1). Each panel has its <b>own x-axis</b>, fitted to "
            "that layer's values but never narrower than tanh's (−1, 1), sigmoid's (0, 1) or the inputs' scale "
            "(±1): read its numbers (2·10⁸ = 200 000 000). The title gives the layer's standard deviation (its "
            "spread). <b>initializer</b>: how the weights W start (LeCun normal: Var(W) = 1/n_in, the factor-1 rule "
            "of 7.2; zeros: every weight 0, as in 7.1); "
            "<b>activation</b>: f in every layer; <b>depth</b>: number of layers (1–10); <b>width</b>: neurons per "
            "layer. A narrow spike at 0 on a small axis in the later layers = <i>vanishing</i> activations; piles "
            "at ±1 (tanh) = <i>saturating</i> ones; axes that reach huge numbers = <i>exploding</i> ones. ReLU "
            "outputs exactly 0 for every negative z: when that bar would dwarf the rest it is cut, and the panel "
            "says how many values are exactly 0. Depth and width apply when you release the slider.")
    return LiveFigure(controls, deep_activations, draw, help=help, figsize=(10.4, 4.6), nrows=2, ncols=5,
                      title="Initialization: what happens to the activations layer by layer")


def architecture_state(n_inputs=2, hidden1=4, hidden2=3, n_outputs=1):
    """Pure compute of the architecture widget: the real annlib network for these layer sizes
    (hidden2 = 0: no second hidden layer) and its parameter count, per layer and in total."""
    sizes = [n_inputs, hidden1] + ([hidden2] if hidden2 else []) + [n_outputs]
    net = mlp(sizes, activation="tanh", seed=0)
    table = plots.parameter_table(sizes)
    return {"sizes": sizes, "net": net, "table": table, "by_hand": sum(w + b for *_, w, b in table),
            "n_parameters": net.num_parameters()}


def architecture_builder(n_inputs=2, hidden1=4, hidden2=3, n_outputs=1):
    """Widget (notebook 1): sliders for the layer sizes of a small network -> its diagram and parameter count."""
    controls = {
        "n_inputs": int_slider(n_inputs, 1, 6, "inputs"),
        "hidden1": int_slider(hidden1, 1, 12, "hidden layer 1"),
        "hidden2": int_slider(hidden2, 0, 12, "hidden layer 2 (0 = none)"),
        "n_outputs": int_slider(n_outputs, 1, 5, "outputs"),
    }

    def draw(fig, axes, state):
        ax, ax_text = axes
        ax.clear()
        ax_text.clear()
        plots.draw_network(ax, state["net"])
        ax.set_title(" → ".join(map(str, state["sizes"])) + " network")
        lines = ["parameters per layer", "n_in·n_out weights + n_out biases", ""]
        lines += [f"layer {k + 1}: {i}·{o} + {o} = {w + b}" for k, (i, o, w, b) in enumerate(state["table"])]
        lines += ["", f"total: {state['n_parameters']} parameters"]
        ax_text.text(0.02, 0.95, "\n".join(lines), transform=ax_text.transAxes, ha="left", va="top", fontsize=11,
                     family="monospace", linespacing=1.5)
        ax_text.axis("off")

    help = ("Move the sliders to change how many neurons each layer has. The diagram is drawn from the real "
            "annlib network (<code>mlp(sizes)</code>): circles are neurons, lines are weights (blue solid positive, "
            "vermillion dashed negative, thicker = larger |w|), small squares are biases (all 0 at the start). Layers "
            "with more than 8 neurons are summarised ('+k more'). The box counts the parameters layer by layer: "
            "n_in·n_out weights + n_out biases.")
    return LiveFigure(controls, architecture_state, draw, help=help, figsize=(10.4, 4.6), ncols=2,
                      title="Build a network: diagram and parameter count")
