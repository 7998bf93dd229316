"""Figures for the notebooks (matplotlib). Pure functions that draw onto an Axes they are given.

    fig, ax = plt.subplots()
    plots.plot_activation(ax, "tanh")

One style for the whole series (``use_style``): white figure face (readable in dark themes), the
colour-blind-safe Okabe–Ito palette, and line styles and markers so colour is never the only cue.
Nothing here changes the network or the data; nothing here imports ipywidgets.
"""
import matplotlib as mpl
import numpy as np
from matplotlib.colors import LinearSegmentedColormap, TwoSlopeNorm
from matplotlib.figure import Figure
from matplotlib.patches import Circle, Rectangle

from .activations import Activation, get_activation

# Okabe & Ito (2008), a palette that stays distinct for the common kinds of colour blindness.
OKABE_ITO = {"blue": "#0072B2", "orange": "#E69F00", "green": "#009E73", "vermillion": "#D55E00",
             "sky": "#56B4E9", "purple": "#CC79A7", "yellow": "#F0E442", "black": "#000000"}
PALETTE = [OKABE_ITO[c] for c in ("blue", "orange", "green", "vermillion", "purple", "sky", "yellow", "black")]
LINESTYLES = ["-", "--", "-.", ":", (0, (5, 1, 1, 1)), (0, (3, 1)), (0, (1, 1)), (0, (8, 2))]
MARKERS = ["o", "s", "^", "D", "v", "P", "X", "*"]
POSITIVE, NEGATIVE = OKABE_ITO["blue"], OKABE_ITO["vermillion"]   # weight signs in every diagram
# Diverging map for signed values (negative vermillion, 0 white, positive blue) and for class confidence.
SIGNED_CMAP = LinearSegmentedColormap.from_list("annlib_signed", [NEGATIVE, "#FFFFFF", POSITIVE])
CLASS_CMAP = LinearSegmentedColormap.from_list("annlib_classes", [OKABE_ITO["orange"], "#FFFFFF", OKABE_ITO["blue"]])

STYLE = {
    "figure.facecolor": "white", "axes.facecolor": "white", "savefig.facecolor": "white",
    "axes.edgecolor": "#333333", "axes.labelcolor": "#222222", "text.color": "#222222",
    "xtick.color": "#333333", "ytick.color": "#333333",
    "axes.grid": True, "grid.color": "#DDDDDD", "grid.linewidth": 0.8,
    "axes.spines.top": False, "axes.spines.right": False,
    "axes.titlesize": 12, "axes.labelsize": 11, "legend.fontsize": 9, "legend.framealpha": 0.9,
    "figure.dpi": 90, "lines.linewidth": 2.0,
    "axes.prop_cycle": mpl.cycler(color=PALETTE, linestyle=LINESTYLES),
}


def use_style():
    """Apply the series' style to matplotlib (the notebooks' setup cell calls this)."""
    mpl.rcParams.update(STYLE)


def figure(nrows=1, ncols=1, figsize=(6, 4), **kwargs):
    """A new Figure and its Axes, not managed by pyplot (so a widget can redraw it without it showing
    up twice). Returns (fig, ax) or (fig, axes array) like ``plt.subplots``."""
    with mpl.rc_context(STYLE):
        fig = Figure(figsize=figsize, layout="constrained")
        axes = fig.subplots(nrows, ncols, **kwargs)
    return fig, axes


# ----------------------------------------------------------------------------------------------
# Activations (notebook 2)
# ----------------------------------------------------------------------------------------------
def plot_activation(ax, activation, x=None, derivative=True, color=None, label=None, linestyle="-"):
    """f(x) as a solid line and f'(x) dashed, for an activation name, object or (f, df) pair."""
    act = get_activation(activation)
    x = np.linspace(-5, 5, 401) if x is None else np.asarray(x, dtype=float)
    name = label or act.name
    color = color or PALETTE[0]
    ax.plot(x, act.f(x), color=color, linestyle=linestyle, label=f"{name}(x)")
    if derivative:
        ax.plot(x, act.df(x), color=color, linestyle="--", alpha=0.8, label=f"{name}'(x)")
    ax.axhline(0, color="#888888", linewidth=0.8)
    ax.axvline(0, color="#888888", linewidth=0.8)
    ax.set_xlabel("input x (pre-activation z)")
    ax.set_ylabel("output")
    ax.legend(loc="upper left")
    return ax


# ----------------------------------------------------------------------------------------------
# Network diagram (notebooks 1, 3, 5, 7)
# ----------------------------------------------------------------------------------------------
def layer_sizes(net):
    """[n_inputs, units of each Dense layer...] of a network."""
    dense = [layer for layer in net.layers if layer.param_names]
    return [dense[0].W.shape[0]] + [layer.W.shape[1] for layer in dense]


def _shown(n, max_neurons):
    """Indices of the neurons drawn for a layer of n, and whether some are hidden (shown as '⋮')."""
    if n <= max_neurons:
        return list(range(n)), False
    head = max_neurons // 2
    tail = max_neurons - head - 1
    return list(range(head)) + list(range(n - tail, n)), True


COLUMN_GAP = 2.5     # horizontal distance between layers in a diagram, in neuron spacings


def network_layout(sizes, max_neurons=8):
    """Positions of the drawn neurons: a list per layer of (neuron index, x, y). Layers are columns
    x = 0, 2.5, 5, ...; neurons are spread vertically one unit apart, centred on y = 0."""
    layout = []
    for col, n in enumerate(sizes):
        idx, gap = _shown(n, max_neurons)
        slots = len(idx) + gap
        ys = np.linspace((slots - 1) / 2, -(slots - 1) / 2, slots) if slots > 1 else np.zeros(1)
        if gap:
            ys = np.delete(ys, max_neurons // 2)          # the free slot holds the '+k more' label
        layout.append([(i, COLUMN_GAP * col, float(y)) for i, y in zip(idx, ys)])
    return layout


def draw_network(ax, net, node_values=None, edge_values=None, max_neurons=8, show_bias=True,
                 node_labels=None, value_label="activation", edge_label="weight", radius=0.18):
    """Draw a network from the real object: neurons as circles in columns (input, hidden..., output),
    connections coloured by sign (blue solid +, vermillion dashed −) and as thick as |value| (the weights, or any
    ``edge_values``, e.g. gradients: one array (n_in, n_out) per Dense layer). Biases are the small
    squares under each neuron (colour = sign, size = |b|). ``node_values`` (one array per column,
    inputs first) fills the neurons on the same signed colour scale, and ``node_labels`` (same
    structure, strings) writes a value beside each neuron. Layers wider than ``max_neurons`` are
    summarised: first and last neurons drawn, '+k more' between them. Returns the layout."""
    dense = [layer for layer in net.layers if layer.param_names]
    sizes = layer_sizes(net)
    layout = network_layout(sizes, max_neurons)
    weights = edge_values if edge_values is not None else [layer.W for layer in dense]
    wmax = max(float(np.max(np.abs(w))) for w in weights) or 1.0
    for col, w in enumerate(weights):
        for i, x0, y0 in layout[col]:
            for j, x1, y1 in layout[col + 1]:
                v = float(w[i, j])
                ax.plot([x0 + radius, x1 - radius], [y0, y1], color=POSITIVE if v >= 0 else NEGATIVE,
                        linestyle="-" if v >= 0 else (0, (3, 1.5)),     # sign by colour and by line style
                        linewidth=0.3 + 4.0 * abs(v) / wmax, alpha=0.75, solid_capstyle="round", zorder=1)
    vmax = 1.0
    if node_values is not None:
        vmax = max(float(np.max(np.abs(np.asarray(v)))) for v in node_values) or 1.0
    norm = TwoSlopeNorm(0, -vmax, vmax)
    bmax = max([float(np.max(np.abs(layer.b))) for layer in dense] + [1e-12])
    for col, column in enumerate(layout):
        for k, (i, x, y) in enumerate(column):
            face = "white" if node_values is None else SIGNED_CMAP(norm(float(np.asarray(node_values[col])[i])))
            ax.add_patch(Circle((x, y), radius, facecolor=face, edgecolor="#222222", linewidth=1.2, zorder=3))
            if node_labels is not None:
                ax.text(x, y + radius + 0.06, node_labels[col][i], ha="center", va="bottom", fontsize=8, zorder=4)
            if show_bias and col > 0:
                b = float(dense[col - 1].b[i])
                side = 0.05 + 0.12 * abs(b) / bmax
                ax.add_patch(Rectangle((x - side / 2, y - radius - 0.05 - side), side, side,
                                       facecolor=POSITIVE if b >= 0 else NEGATIVE, edgecolor="none", zorder=3))
        hidden = sizes[col] - len(column)
        if hidden > 0:
            ys = [y for _, _, y in column]
            gap_y = (ys[max_neurons // 2 - 1] + ys[max_neurons // 2]) / 2
            ax.text(COLUMN_GAP * col, gap_y, f"+{hidden} more", ha="center", va="center", fontsize=8, zorder=4,
                    bbox=dict(facecolor="white", edgecolor="none", pad=1))
    names = ["input"] + [f"hidden {k}" for k in range(1, len(sizes) - 1)] + ["output"]
    top = max(y for column in layout for _, _, y in column) + 0.6
    for col, (name, n) in enumerate(zip(names, sizes)):
        ax.text(COLUMN_GAP * col, top, f"{name}\n({n})", ha="center", va="bottom", fontsize=9)
    ax.set_xlim(-0.8, COLUMN_GAP * (len(sizes) - 1) + 0.8)
    bottom = min(y for column in layout for _, _, y in column) - 0.6
    ax.set_ylim(bottom, top + 0.9)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.text(0.0, -0.02, f"lines: {edge_label} (blue solid +, vermillion dashed −, thickness ∝ |value|)"
            + ("; squares: bias" if show_bias else "")
            + (f"; fill: {value_label} (blue +, white 0, vermillion −)" if node_values is not None else ""),
            transform=ax.transAxes, fontsize=8, va="top", color="#444444")
    return layout


# ----------------------------------------------------------------------------------------------
# Activations per layer (notebook 1: vanishing / exploding activations)
# ----------------------------------------------------------------------------------------------
def layer_activations(net, X):
    """The output of every activation layer for input X: a list of arrays (n, units)."""
    outs, a = [], np.asarray(X, dtype=net.dtype)
    for layer in net.layers:
        a = layer.forward(a)
        if isinstance(layer, Activation):
            outs.append(a)
    return outs


def plot_activation_histograms(axes, activations, bins=40, range_=None, color=None):
    """One histogram per layer (one Axes each) of the activation values, titled with their std."""
    for k, (ax, a) in enumerate(zip(axes, activations)):
        a = np.asarray(a).ravel()
        ax.hist(a, bins=bins, range=range_, color=color or PALETTE[k % len(PALETTE)], alpha=0.85)
        ax.set_title(f"layer {k + 1}\nstd {a.std():.2g}", fontsize=9)
        ax.set_yticks([])
        ax.grid(False)
    return axes


# ----------------------------------------------------------------------------------------------
# Decision regions and learning curves (notebooks 3, 6, 7)
# ----------------------------------------------------------------------------------------------
def grid(xlim=(-1.5, 1.5), ylim=(-1.5, 1.5), resolution=100):
    """Points of a square grid over the plane: (xx, yy, points (resolution², 2))."""
    xx, yy = np.meshgrid(np.linspace(*xlim, resolution), np.linspace(*ylim, resolution))
    return xx, yy, np.column_stack([xx.ravel(), yy.ravel()])


def plot_points(ax, X, y, marker_size=22, label_prefix="class", alpha=1.0, edge="white", markers=None):
    """Scatter points coloured and shaped by class (class 1 blue circles, class 0 orange squares, ...)."""
    classes = np.unique(y)
    colors = {0: OKABE_ITO["orange"], 1: OKABE_ITO["blue"]} if len(classes) <= 2 else None
    for k, c in enumerate(classes):
        m = y == c
        color = colors[int(c)] if colors else PALETTE[k % len(PALETTE)]
        ax.scatter(X[m, 0], X[m, 1], s=marker_size, c=color, marker=(markers or MARKERS)[k % len(MARKERS)],
                   edgecolors=edge, linewidths=0.5, alpha=alpha, label=f"{label_prefix} {c}", zorder=3)
    return ax


def plot_decision_regions(ax, predict_proba, X=None, y=None, xlim=(-1.5, 1.5), ylim=(-1.5, 1.5), resolution=100):
    """Colour the plane by the model's confidence: P(class 1) for two classes (orange 0 … white 0.5 …
    blue 1), the predicted class for more. ``predict_proba`` maps points (m, 2) to probabilities (m, C).
    The black line is the decision boundary. Returns the image artist."""
    xx, yy, pts = grid(xlim, ylim, resolution)
    P = np.asarray(predict_proba(pts))
    if P.shape[1] <= 2:
        img = ax.imshow(P[:, -1].reshape(xx.shape), origin="lower", extent=(*xlim, *ylim), cmap=CLASS_CMAP,
                        vmin=0, vmax=1, alpha=0.85, aspect="auto", zorder=1)
        ax.contour(xx, yy, P[:, -1].reshape(xx.shape), levels=[0.5], colors="black", linewidths=1.2, zorder=2)
    else:
        from matplotlib.colors import ListedColormap
        C = P.shape[1]
        img = ax.imshow(P.argmax(axis=1).reshape(xx.shape), origin="lower", extent=(*xlim, *ylim),
                        cmap=ListedColormap(PALETTE[:C]), vmin=-0.5, vmax=C - 0.5, alpha=0.35, aspect="auto", zorder=1)
    if X is not None:
        plot_points(ax, X, y)
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_xlabel("x₁")
    ax.set_ylabel("x₂")
    return img


def plot_history(ax, history, keys=("loss", "val_loss"), log=False):
    """Learning curves: one line per key of a History (per epoch)."""
    for k, key in enumerate(keys):
        values = history[key]
        if len(values):
            ax.plot(np.arange(1, len(values) + 1), values, color=PALETTE[k], linestyle=LINESTYLES[k],
                    marker=MARKERS[k] if len(values) < 30 else None, label=key.replace("_", " "))
    ax.set_xlabel("epoch")
    ax.set_ylabel(", ".join(keys))
    if log:
        ax.set_yscale("log")
    ax.legend()
    return ax


# ==============================================================================================
# Notebook 1 (section owned by the notebook 1 lesson; add its functions below this line)
# ==============================================================================================
def plot_layer_stds(ax, stds, label, k=0):
    """The spread (standard deviation) of each layer's activations as a line over the depth, on a log
    scale: flat = the signal keeps its size, falling = vanishing, rising = exploding."""
    layers = np.arange(1, len(stds) + 1)
    ax.plot(layers, np.maximum(np.asarray(stds, dtype=float), 1e-300), color=PALETTE[k % len(PALETTE)],
            linestyle=LINESTYLES[k % len(LINESTYLES)], marker=MARKERS[k % len(MARKERS)], label=label)
    ax.set_yscale("log")
    ax.set_xlabel("layer (1 = first hidden layer)")
    ax.set_ylabel("std of the activations a")
    ax.set_xticks(layers)
    return ax


def parameter_table(sizes):
    """Per Dense layer: (n_in, n_out, weights n_in·n_out, biases n_out). Used by the architecture widget."""
    return [(n_in, n_out, n_in * n_out, n_out) for n_in, n_out in zip(sizes[:-1], sizes[1:])]



# ==============================================================================================
# Notebook 2 (section owned by the notebook 2 lesson; add its functions below this line)
# ==============================================================================================
def regions(x, mask):
    """The intervals [x_start, x_end] of x where ``mask`` is True (contiguous runs)."""
    mask = np.asarray(mask, dtype=bool)
    if not mask.any():
        return []
    edges = np.flatnonzero(np.diff(np.concatenate([[0], mask.astype(np.int8), [0]])))
    return [(float(x[s]), float(x[e - 1])) for s, e in zip(edges[::2], edges[1::2])]


def shade_regions(ax, spans, color, label=None, alpha=0.13, hatch=None):
    """Shade vertical bands [x0, x1] (e.g. where an activation saturates). One legend entry at most."""
    for k, (x0, x1) in enumerate(spans):
        ax.axvspan(x0, x1, color=color, alpha=alpha, hatch=hatch, linewidth=0, label=label if k == 0 else None)
    return ax


def plot_neuron_plane(ax, a, extent, w, b, vmin=None, vmax=None, cmap="viridis"):
    """A single neuron's output a = f(w·x + b) over the input plane as a heatmap, with its line
    w·x + b = 0 (black) and the weight vector w (an arrow, pointing to where z grows). Returns the image."""
    img = ax.imshow(a, origin="lower", extent=extent, cmap=cmap, vmin=vmin, vmax=vmax, aspect="equal",
                    interpolation="nearest", zorder=1)
    line = boundary_line(w, b, extent)
    if line is not None:
        ax.plot(*line, color="black", linewidth=2, linestyle="--", label="w·x + b = 0", zorder=3)
        mid = np.mean(line, axis=1)
        scale = 0.6 / (np.hypot(*w) or 1)
        ax.annotate("", xy=(mid[0] + w[0] * scale, mid[1] + w[1] * scale), xytext=mid,
                    arrowprops=dict(arrowstyle="-|>", color="white", lw=2), zorder=4)
    ax.set_xlim(extent[0], extent[1])
    ax.set_ylim(extent[2], extent[3])
    ax.set_xlabel("input x₁")
    ax.set_ylabel("input x₂")
    ax.grid(False)
    return img


def boundary_line(w, b, extent):
    """Two points of the line w₁x₁ + w₂x₂ + b = 0 spanning the box ``extent`` (None if w = 0)."""
    (w1, w2), (x0, x1, y0, y1) = w, extent
    if abs(w1) < 1e-12 and abs(w2) < 1e-12:
        return None
    if abs(w2) >= abs(w1):
        xs = np.array([x0, x1])
        return xs, -(w1 * xs + b) / w2
    ys = np.array([y0, y1])
    return -(w2 * ys + b) / w1, ys


def plot_softmax_bars(ax, p, labels=None, color=None):
    """Probabilities as bars with their values written on top. Returns the bar container."""
    labels = labels or [f"class {k + 1}" for k in range(len(p))]
    bars = ax.bar(labels, p, color=color or PALETTE[0], edgecolor="#222222")
    for bar, value in zip(bars, p):
        ax.text(bar.get_x() + bar.get_width() / 2, value + 0.02, f"{value:.2f}", ha="center", va="bottom", fontsize=9)
    ax.set_ylim(0, 1.12)
    ax.set_ylabel("probability p")
    return bars



# ==============================================================================================
# Notebook 3 (section owned by the notebook 3 lesson; add its functions below this line)
# ==============================================================================================
def plot_probability_bars(ax, p, labels=None, title="output probabilities"):
    """One bar per class with its probability written on top (hatched bar = the predicted class)."""
    p = np.asarray(p, dtype=float).ravel()
    labels = labels or ([f"class {k}" for k in range(len(p))] if len(p) <= 3 else [str(k) for k in range(len(p))])
    colors = ([OKABE_ITO["orange"], OKABE_ITO["blue"]] if len(p) == 2 else    # as plot_points and the regions
              [PALETTE[k % len(PALETTE)] for k in range(len(p))])
    bars = ax.bar(labels, p, color=colors, edgecolor="#222222")
    bars[int(np.argmax(p))].set_hatch("//")
    for bar, value in zip(bars, p):
        ax.text(bar.get_x() + bar.get_width() / 2, value + 0.02, f"{value:.3f}", ha="center", va="bottom", fontsize=9)
    ax.set_ylim(0, 1.15)
    ax.set_ylabel("probability ŷ")
    ax.set_xlabel("class" if len(p) > 3 else "")
    ax.tick_params(axis="x", labelsize=8)
    ax.set_title(title, fontsize=10)
    ax.grid(axis="x", visible=False)
    return bars


def plot_forward_pass(ax_net, ax_prob, net, columns, x, prob=None, z=None):
    """The forward-pass explorer's figure: the network diagram with every neuron filled by its value for
    one input ``x`` (``columns``: one 1-D array per column, inputs first) and the value written beside it;
    the output probabilities as bars on ``ax_prob`` (skipped if ``prob`` is None). ``z`` (one array per
    Dense layer) lists the pre-activations under the title."""
    labels = [[f"{v:+.2f}" for v in col] for col in columns]
    draw_network(ax_net, net, node_values=columns, node_labels=labels, value_label="value of the neuron")
    title = f"forward pass for x = ({x[0]:+.2f}, {x[1]:+.2f})"
    if z is not None:
        sep = "   " if len(z) <= 2 else "\n"
        title += "\n" + sep.join(f"z{k + 1} = [" + ", ".join(f"{v:+.2f}" for v in zk[:4])
                                 + (", …" if len(zk) > 4 else "") + "]" for k, zk in enumerate(z))
    ax_net.set_title(title, fontsize=10)
    if prob is not None:
        plot_probability_bars(ax_prob, prob)
    return ax_net


# ==============================================================================================
# Notebook 4 (section owned by the notebook 4 lesson; add its functions below this line)
# ==============================================================================================
def plot_regression_losses(ax_loss, ax_grad, delta=1.0, d=None):
    """MSE (d²), MAE (|d|) and Huber loss of one error d = ŷ - y, and their derivatives dℓ/dŷ."""
    d = np.linspace(-3, 3, 601) if d is None else np.asarray(d, dtype=float)
    a = np.abs(d)
    curves = {
        "MSE  d²": (d ** 2, 2 * d),
        "MAE  |d|": (a, np.sign(d)),
        f"Huber (δ = {delta:g})": (np.where(a <= delta, 0.5 * d ** 2, delta * (a - 0.5 * delta)),
                                   np.clip(d, -delta, delta)),
    }
    grad_labels = ["MSE  2d", "MAE  sign(d)", f"Huber  clip(d, −{delta:g}, {delta:g})"]   # the derivatives
    for k, (name, (value, grad)) in enumerate(curves.items()):
        ax_loss.plot(d, value, color=PALETTE[k], linestyle=LINESTYLES[k], label=name)
        ax_grad.plot(d, grad, color=PALETTE[k], linestyle=LINESTYLES[k], label=grad_labels[k])
    ax_loss.set_title("loss of one sample")
    ax_loss.set_xlabel("error d = ŷ − y")
    ax_loss.set_ylabel("loss ℓ(d)")
    ax_loss.set_ylim(-0.2, 5)
    ax_grad.set_title("its derivative (the gradient)")
    ax_grad.set_xlabel("error d = ŷ − y")
    ax_grad.set_ylabel("dℓ/dŷ")
    ax_grad.set_ylim(-4, 4)
    ax_loss.legend(loc="upper center")
    ax_grad.legend(loc="upper left")          # empty corner: the MSE line runs through the upper centre
    return curves


FIT_STYLES = {"MSE": (PALETTE[0], "--"), "MAE": (PALETTE[1], ":"), "Huber": (PALETTE[2], "-."),
              "yours": (OKABE_ITO["purple"], (0, (5, 1, 1, 1)))}


def plot_line_fit(ax, x, y, slope, intercept, fits=None, outlier_index=None, xlim=(-0.5, 6.2), ylim=(-2.5, 4.5)):
    """Points, a line ŷ = slope·x + intercept, and each squared error drawn as a square of side |ŷ − y|
    (its area is the point's contribution to the MSE). ``fits``: {"MSE": (slope, intercept), ...} adds
    the best line for each loss, dashed."""
    xs = np.array(xlim)
    ax.plot(xs, slope * xs + intercept, color=OKABE_ITO["black"], linestyle="-", linewidth=2.2,
            label=f"your line ŷ = {slope:.2f}·x {intercept:+.2f}", zorder=4)
    r = slope * x + intercept - y                            # ŷ - y: positive = line above the point
    for xi, yi, ri in zip(x, y, r):
        left = xi - abs(ri) if xi + abs(ri) > xlim[1] else xi       # keep the square inside the plot
        ax.add_patch(Rectangle((left, yi), abs(ri), ri, facecolor=OKABE_ITO["sky"], edgecolor=OKABE_ITO["blue"],
                               alpha=0.3, linewidth=0.8, zorder=2))
    ax.add_patch(Rectangle((0, 0), 0, 0, facecolor=OKABE_ITO["sky"], edgecolor=OKABE_ITO["blue"], alpha=0.3,
                           label="squared error (ŷ − y)²"))     # legend entry only
    normal = np.ones(len(x), dtype=bool)
    if outlier_index is not None:
        normal[outlier_index] = False
        ax.scatter(x[~normal], y[~normal], s=70, marker="X", c=OKABE_ITO["vermillion"], edgecolors="black",
                   label="outlier", zorder=5)
    ax.scatter(x[normal], y[normal], s=40, marker="o", c=OKABE_ITO["blue"], edgecolors="white", label="data", zorder=5)
    for name, (s, b) in (fits or {}).items():
        color, style = FIT_STYLES.get(name, (OKABE_ITO["purple"], "-"))
        ax.plot(xs, s * xs + b, color=color, linestyle=style, linewidth=1.6, label=f"best line for {name}", zorder=3)
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_aspect("equal")
    ax.set_xlabel("input x")
    ax.set_ylabel("target y")
    ax.legend(loc="lower left", fontsize=7.5)      # lower right would hide the outlier at (3.8, -2)
    return r


def plot_loss_values(ax, values, title="loss of your line"):
    """A horizontal bar per loss with its value written beside it."""
    names = list(values)
    v = np.array([values[n] for n in names], dtype=float)
    bars = ax.barh(names, v, color=[FIT_STYLES.get(n, (PALETTE[0], "-"))[0] for n in names], edgecolor="#222222")
    for bar, value in zip(bars, v):
        ax.text(value, bar.get_y() + bar.get_height() / 2, f" {value:.3f}", va="center", fontsize=9)
    ax.set_xlim(0, max(1.0, 1.3 * v.max()))
    ax.invert_yaxis()
    ax.set_xlabel("mean loss over the points")
    ax.set_title(title)
    ax.grid(axis="y", visible=False)
    return bars


def plot_ce_vs_mse(ax_loss, ax_grad, state):
    """Cross-entropy −ln p and MSE (1 − p)² against the predicted probability p of the true class, and
    the size of the gradient each sends back to the logit z (p = sigmoid(z)); the current p is marked."""
    p, q = state["p_grid"], state["p"]
    k_ce, k_mse = 0, 3
    ax_loss.plot(p, state["ce_curve"], color=PALETTE[k_ce], linestyle="-", label="cross-entropy  −ln p")
    ax_loss.plot(p, state["mse_curve"], color=PALETTE[k_mse], linestyle="--", label="MSE  (1 − p)²")
    ax_loss.plot([q], [state["loss_ce"]], marker="o", color=PALETTE[k_ce], markersize=8, linestyle="none")
    ax_loss.plot([q], [state["loss_mse"]], marker="s", color=PALETTE[k_mse], markersize=8, linestyle="none")
    ax_loss.axvline(q, color="#888888", linewidth=0.8)
    ax_loss.set_ylim(0, 5)
    ax_loss.set_xlabel("predicted probability p of the true class")
    ax_loss.set_ylabel("loss L")
    ax_loss.set_title(f"loss at p = {q:.2f}: CE {state['loss_ce']:.2f}, MSE {state['loss_mse']:.2f}")
    ax_loss.legend(loc="upper right")
    ax_grad.plot(p, np.abs(state["ce_grad_curve"]), color=PALETTE[k_ce], linestyle="-", label="cross-entropy  |p − 1|")
    ax_grad.plot(p, np.abs(state["mse_grad_curve"]), color=PALETTE[k_mse], linestyle="--",
                 label="MSE through sigmoid  |2(p − 1)·p(1 − p)|")
    ax_grad.plot([q], [abs(state["grad_ce"])], marker="o", color=PALETTE[k_ce], markersize=8, linestyle="none")
    ax_grad.plot([q], [abs(state["grad_mse"])], marker="s", color=PALETTE[k_mse], markersize=8, linestyle="none")
    ax_grad.axvline(q, color="#888888", linewidth=0.8)
    ax_grad.set_ylim(0, 1.05)
    ax_grad.set_xlabel("predicted probability p of the true class")
    ax_grad.set_ylabel("|dL/dz|, gradient sent to the logit")
    ax_grad.set_title(f"gradient at p = {q:.2f}: CE {abs(state['grad_ce']):.2f}, MSE {abs(state['grad_mse']):.3f}")
    ax_grad.legend(loc="upper right", fontsize=8)
    return ax_loss, ax_grad


# ==============================================================================================
# Notebook 5 (section owned by the notebook 5 lesson; add its functions below this line)
# ==============================================================================================

GRAD_COLOR = OKABE_ITO["vermillion"]     # gradients (the backward pass) in the notebook 5 figures
VALUE_COLOR = OKABE_ITO["blue"]          # forward values


_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def _power_of_ten(value, pos=None):
    """Tick label 10ⁿ in plain Unicode (log axes label with mathtext by default, which is slow to draw)."""
    if value <= 0:
        return ""
    e = np.log10(value)
    return "10" + str(int(round(e))).translate(_SUPERSCRIPT) if abs(e - round(e)) < 1e-9 else ""


def log_axis(ax, axis="y"):
    """Log scale on ``axis`` with 10ⁿ tick labels drawn as plain text (about twice as fast to render)."""
    from matplotlib.ticker import FuncFormatter, NullFormatter
    getattr(ax, f"set_{axis}scale")("log")
    target = ax.yaxis if axis == "y" else ax.xaxis
    target.set_major_formatter(FuncFormatter(_power_of_ten))
    target.set_minor_formatter(NullFormatter())
    return ax


def draw_compgraph(ax, nodes, edges, title=None, show_grad=True):
    """Draw a small computational graph: boxes for the values, arrows for the operations.

    nodes  {name: {"pos": (x, y), "value": float, "grad": float or None, "label": str (optional)}}
           a box shows "label = value" (forward, blue) and "∂L/∂label = grad" (backward, vermillion)
    edges  [(source, target, text), ...]: an arrow from source to target, the text (e.g. the local
           derivative "∂z/∂w = x = 1.5") written along it
    """
    for src, dst, text in edges:
        (x0, y0), (x1, y1) = nodes[src]["pos"], nodes[dst]["pos"]
        ax.annotate("", xy=(x1 - 0.95, y1 + (y0 - y1) * 0.12), xytext=(x0 + 0.95, y0 - (y0 - y1) * 0.12),
                    arrowprops=dict(arrowstyle="-|>", color="#555555", lw=1.3), zorder=1)
        if text:
            ax.text((x0 + x1) / 2, (y0 + y1) / 2 + 0.12, text, ha="center", va="bottom", fontsize=7.5,
                    color="#333333", bbox=dict(facecolor="white", edgecolor="none", pad=0.5), zorder=2)
    for name, node in nodes.items():
        x, y = node["pos"]
        label = node.get("label", name)
        ax.add_patch(mpl.patches.FancyBboxPatch((x - 0.9, y - 0.4), 1.8, 0.8, boxstyle="round,pad=0.03",
                                                facecolor="#F4F8FB", edgecolor="#222222", linewidth=1.2, zorder=3))
        ax.text(x, y + 0.15, f"{label} = {node['value']:.4g}", ha="center", va="center", fontsize=9,
                color=VALUE_COLOR, zorder=4)
        grad = node.get("grad")
        if show_grad and grad is not None:
            ax.text(x, y - 0.17, f"∂L/∂{label} = {grad:.4g}", ha="center", va="center", fontsize=8,
                    color=GRAD_COLOR, fontweight="bold", zorder=4)
    xs = [n["pos"][0] for n in nodes.values()]
    ys = [n["pos"][1] for n in nodes.values()]
    ax.set_xlim(min(xs) - 1.1, max(xs) + 1.1)
    ax.set_ylim(min(ys) - 0.6, max(ys) + 0.6)
    ax.set_aspect("equal")
    ax.axis("off")
    if title:
        ax.set_title(title)
    ax.text(0.0, -0.02, "blue: forward value; vermillion: gradient ∂L/∂(node) from the backward pass; "
            "arrow text: local derivative", transform=ax.transAxes, fontsize=8, va="top", color="#444444")
    return ax


def plot_gradient_norms(ax, state):
    """Bar chart of ‖∂L/∂W‖ per Dense layer (layer 1 = next to the input), log scale.
    ``state`` is what ``widgets.gradient_flow_state`` returns."""
    norms = np.asarray(state["norms"], dtype=float)
    k = np.arange(1, len(norms) + 1)
    shown = np.maximum(norms, 1e-30)          # a log axis cannot show 0
    look = {"ok": (OKABE_ITO["blue"], ""), "vanished": (OKABE_ITO["vermillion"], "▼"),
            "exploding": (OKABE_ITO["orange"], "▲")}
    status = state.get("status", ["ok"] * len(norms))
    ax.bar(k, shown, color=[look[s][0] for s in status], edgecolor="#222222", linewidth=0.6)
    for kk, v, s in zip(k, shown, status):
        if look[s][1]:
            ax.text(kk, v, look[s][1], ha="center", va="bottom", fontsize=7, color=look[s][0])
    log_axis(ax)
    ax.set_xticks(k if len(k) <= 12 else k[::2])
    ax.set_xlabel("Dense layer (1 = next to the input, last = output layer)")
    ax.set_ylabel("gradient norm ‖∂L/∂W‖ (log scale)")
    ax.set_title(f"{state['activation']} + {state.get('init_label', state['init'])}, {state['depth']} hidden layers: "
                 f"first/last layer gradient ratio {state['ratio']:.1e}")
    ax.set_ylim(min(shown.min() / 20, 1e-8), max(shown.max() * 300, 10.0))      # head room for the note
    ax.text(0.01, 0.98, "blue: gradient flows;  vermillion ▼: vanished (< 10⁻⁴ × output layer's);  "
            "orange ▲: exploding (> 10⁴ × or > 10⁴)",
            transform=ax.transAxes, fontsize=8, va="top", color="#444444")
    return ax


def draw_backprop_step(ax, state):
    """The 2-2-1 network of ``widgets.backprop_steps``: inputs, hidden sigmoid neurons, output sigmoid and
    the loss. Every node shows its forward value (blue); every gradient computed so far is written in
    vermillion beside its node or connection, the ones computed in the current step with an orange
    ring. Connections show their weight w and, once computed, ∂L/∂w."""
    fv, g, new = state["forward"], state["grads"], set(state["new"])
    ax.clear()
    ax.axis("off")
    layout = network_layout([2, 2, 1])
    sy = 1.9                                  # more room between neurons for the numbers
    pos = {("x", i): (x, sy * y) for i, x, y in layout[0]}
    pos.update({("h", i): (x, sy * y) for i, x, y in layout[1]})
    pos.update({("o", 0): (layout[2][0][1], sy * layout[2][0][2])})
    pos[("L", 0)] = (pos[("o", 0)][0] + 2.2, pos[("o", 0)][1])
    r = 0.3
    ring = OKABE_ITO["orange"]

    def gtext(key, idx):
        return f"{g[key][idx]:+.3f}" if key in g else "?"

    # connections: weight, and its gradient once computed
    for layer, (src, dst, W, dW) in enumerate((("x", "h", fv["W1"], "dW1"), ("h", "o", fv["W2"], "dW2"))):
        for i in range(W.shape[0]):
            for j in range(W.shape[1]):
                (x0, y0), (x1, y1) = pos[(src, i)], pos[(dst, j)]
                done = dW in g
                ax.plot([x0 + r, x1 - r], [y0, y1], color=GRAD_COLOR if done else "#999999",
                        linewidth=2.4 if dW in new else 1.2, linestyle="-" if done else "--", zorder=1)
                t = 0.5 if i == j else (0.28 if i < j else 0.72)    # keep the labels of crossing lines apart
                xm, ym = x0 + r + t * (x1 - x0 - 2 * r), y0 + t * (y1 - y0)
                text = f"w={W[i, j]:+.2f}" + (f"\n∂L/∂w={g[dW][i, j]:+.3f}" if done else "")
                ax.text(xm, ym, text, ha="center", va="center", fontsize=7.5, zorder=2,
                        color=GRAD_COLOR if done else "#444444",
                        bbox=dict(facecolor="white", edgecolor=ring if dW in new else "none", pad=0.8))
    xo, yo = pos[("o", 0)]
    xl, yl = pos[("L", 0)]
    ax.annotate("", xy=(xl - 0.45, yl), xytext=(xo + r, yo), arrowprops=dict(arrowstyle="-|>", color="#555555"))
    # nodes
    node_rows = [(("x", i), f"x{i + 1}", f"x = {fv['x'][i]:+.2f}", [("∂L/∂x", gtext("dx", i), "dx")]) for i in range(2)]
    node_rows += [(("h", i), f"h{i + 1}", f"z = {fv['z1'][i]:+.2f}\na = {fv['a1'][i]:.3f}",
                   [("∂L/∂a", gtext("da1", i), "da1"), ("∂L/∂z", gtext("dz1", i), "dz1"),
                    ("∂L/∂b", gtext("db1", i), "db1")]) for i in range(2)]
    node_rows += [(("o", 0), "ŷ", f"z = {fv['z2'][0]:+.2f}\nŷ = {fv['yhat'][0]:.3f}",
                   [("∂L/∂ŷ", gtext("dyhat", 0), "dyhat"), ("∂L/∂z", gtext("dz2", 0), "dz2"),
                    ("∂L/∂b", gtext("db2", 0), "db2")])]
    for key, name, value_text, grad_items in node_rows:
        x, y = pos[key]
        touched = any(k in new for _, _, k in grad_items)
        ax.add_patch(Circle((x, y), r, facecolor="#F4F8FB", edgecolor=ring if touched else "#222222",
                            linewidth=3 if touched else 1.2, zorder=3))
        ax.text(x, y, name, ha="center", va="center", fontsize=10, zorder=4)
        ax.text(x, y + r + 0.05, value_text, ha="center", va="bottom", fontsize=7.5, color=VALUE_COLOR, zorder=4)
        lines = [f"{label} = {val}" for label, val, k in grad_items if k in g]
        if lines:
            ax.text(x, y - r - 0.05, "\n".join(lines), ha="center", va="top", fontsize=7.5, color=GRAD_COLOR,
                    fontweight="bold", zorder=4)
    ax.add_patch(Rectangle((xl - 0.45, yl - 0.3), 0.9, 0.6, facecolor="#FFF6E0", edgecolor="#222222", zorder=3))
    ax.text(xl, yl, f"L = {fv['L']:.4f}", ha="center", va="center", fontsize=8.5, zorder=4)
    ax.text(xl, yl - 0.4, f"target y = {fv['y'][0]:g}\nL = (ŷ − y)²", ha="center", va="top", fontsize=7.5, zorder=4)
    ax.set_xlim(-0.9, xl + 0.7)
    ax.set_ylim(-2.3, 1.75)
    ax.set_aspect("equal")
    ax.set_title(f"step {state['step']} of {state['n_steps']}: {state['title']}", fontsize=11)
    ax.text(0.015, 0.0, state["equation"], transform=ax.transAxes, fontsize=9, va="top", family="monospace",
            bbox=dict(facecolor="#FFF6E0", edgecolor="#CCCCCC", pad=4))
    return ax


# ==============================================================================================
# Notebook 6 (section owned by the notebook 6 lesson; add its functions below this line)
# ==============================================================================================

_CONTOUR_CACHE = {}


def plot_contour(ax, f, xlim, ylim, levels=20, resolution=120, log=True, key=None):
    """Contour lines of a function of two variables over a rectangle. ``f`` maps points (..., 2) to values
    (...); with ``log`` the levels are spaced evenly in log(f − min f), which suits valleys. Darker = lower.
    ``key`` caches the grid values so a widget redraw does not recompute them."""
    if key is not None and key in _CONTOUR_CACHE:
        xx, yy, zz = _CONTOUR_CACHE[key]
    else:
        xx, yy = np.meshgrid(np.linspace(*xlim, resolution), np.linspace(*ylim, resolution))
        zz = np.asarray(f(np.stack([xx, yy], axis=-1)), dtype=float)
        if key is not None:
            _CONTOUR_CACHE[key] = (xx, yy, zz)
    if log:
        shifted = zz - zz.min() + 1e-3 * (np.ptp(zz) or 1.0)
        lv = np.geomspace(shifted.min() * 1.5, shifted.max(), levels)
        cs = ax.contour(xx, yy, shifted, levels=lv, cmap="viridis", linewidths=0.9, alpha=0.8, zorder=1)
    else:
        cs = ax.contour(xx, yy, zz, levels=levels, cmap="viridis", linewidths=0.9, alpha=0.8, zorder=1)
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    return cs


def plot_surface(ax, surface, title=None):
    """Contour plot of a ``widgets.Surface``: the start (black star) and the minimum (white ×)."""
    plot_contour(ax, surface.f, surface.xlim, surface.ylim, key=("surface", surface.name))
    ax.plot(*surface.start, marker="*", color="black", markersize=13, linestyle="none", zorder=5, label="start")
    ax.plot(*surface.minimum, marker="X", color="white", markeredgecolor="black", markersize=10, linestyle="none",
            zorder=5, label="minimum")
    ax.set_xlabel("parameter θ₁ (x)")
    ax.set_ylabel("parameter θ₂ (y)")
    ax.set_title(title or surface.formula, fontsize=10)
    return ax


def plot_path(ax, path, k=0, label=None, diverged=False, markevery=None):
    """An optimizer's path (steps, 2) as a line with markers; vermillion dotted if it diverged."""
    path = np.asarray(path)
    color = NEGATIVE if diverged else PALETTE[k % len(PALETTE)]
    n = len(path)
    ax.plot(path[:, 0], path[:, 1], color=color, linestyle=":" if diverged else LINESTYLES[k % len(LINESTYLES)],
            marker=MARKERS[k % len(MARKERS)], markersize=3.5, markevery=markevery or max(1, n // 25),
            linewidth=1.6, label=label, zorder=4)
    return ax


def _surface_panels(axes, surface, ylabel="loss above the minimum, f − f* (log)"):
    """Prepare the two panels of the optimizer widgets: contours of ``surface`` on the left, an empty log
    axis on the right. They are built again only when the surface changes; otherwise only the lines of
    the previous call are removed, so a redraw does not recreate the contours, axes and ticks."""
    ax, ax2 = axes
    if getattr(ax, "_annlib_surface", None) != surface.name:
        ax.clear()
        ax2.clear()
        plot_surface(ax, surface)
        log_axis(ax2)
        ax2.set_xlabel("step (iteration)")
        ax2.set_ylabel(ylabel)
        ax._annlib_surface = surface.name
    else:
        for artist in getattr(ax, "_annlib_dynamic", []):
            artist.remove()
    ax._annlib_dynamic = []
    return ax, ax2


def _keep(ax, artist):
    ax._annlib_dynamic.append(artist)
    return artist


def plot_lr_path(axes, state, surface):
    """The learning-rate widget's two panels: the path on the contour plot of ``surface`` (a
    ``widgets.Surface``) and f − f* per step (log)."""
    ax, ax2 = _surface_panels(axes, surface)
    outcome = "diverged" if state["diverged"] else ("converged" if state["converged"] else "not there yet")
    plot_path(ax, state["path"], label=f"η = {state['lr']:.3g}", diverged=state["diverged"], markevery=1)
    _keep(ax, ax.lines[-1])
    ax.legend(loc="lower right", fontsize=8)
    gaps = np.maximum(state["gaps"], 1e-16)
    _keep(ax, ax2.plot(np.arange(len(gaps)), gaps, color=NEGATIVE if state["diverged"] else PALETTE[0],
                       marker="o", markersize=3, linestyle=":" if state["diverged"] else "-")[0])
    _keep(ax, ax2.axhline(1e-3, color="#777777", linestyle="--", linewidth=1, label="converged below 10⁻³"))
    ax2.relim()
    ax2.autoscale_view()
    ax2.set_xlim(0, state["steps"])
    ax2.set_title(f"η = {state['lr']:.3g}: {outcome} (f − f* = {state['final']:.2g})", fontsize=10)
    ax2.legend(loc="upper right", fontsize=8)
    return axes


def plot_race(axes, state, surface, order):
    """The optimizer race's two panels: paths on ``surface`` and f − f* per step (log). ``order``: all
    optimizer names, so each keeps its colour, line style and marker when others are switched off;
    "yours" is drawn in black."""
    ax, ax2 = _surface_panels(axes, surface)
    for name, run in state["runs"].items():
        k = order.index(name)
        tag = " (diverged)" if run["diverged"] else (f" ({run['error']})" if run["error"] else "")
        label = f"{name}, lr {run['lr']:.2g}{tag}"
        color = "black" if name == "yours" else PALETTE[k % len(PALETTE)]
        style = dict(color=color, linestyle=LINESTYLES[k % len(LINESTYLES)], marker=MARKERS[k % len(MARKERS)],
                     markersize=3.5, linewidth=1.5)
        path = run["path"]
        _keep(ax, ax.plot(path[:, 0], path[:, 1], markevery=max(1, len(path) // 12), zorder=4, **style)[0])
        gaps = np.maximum(run["gaps"], 1e-16)
        _keep(ax, ax2.plot(np.arange(len(gaps)), gaps, markevery=max(1, len(gaps) // 12), label=label, **style)[0])
    ax2.relim()
    ax2.autoscale_view()
    ax2.set_xlim(0, state["steps"])
    ax2.set_title(f"{state['surface']}: loss per step", fontsize=10)
    if ax2.get_legend() is not None:
        ax2.get_legend().remove()
    if state["runs"]:
        ax2.legend(loc="lower left", fontsize=7.5)
    else:
        _keep(ax, ax2.text(0.5, 0.5, "tick at least one optimizer", ha="center", transform=ax2.transAxes))
    return axes


def plot_schedules(ax, schedules, epochs):
    """Learning rate per epoch for several schedules: {label: schedule (callable epoch -> lr)}."""
    t = np.arange(epochs)
    for k, (label, schedule) in enumerate(schedules.items()):
        ax.plot(t, [schedule(int(e)) for e in t], color=PALETTE[k % len(PALETTE)],
                linestyle=LINESTYLES[k % len(LINESTYLES)], marker=MARKERS[k % len(MARKERS)],
                markevery=max(1, epochs // 10), label=label)
    ax.set_xlabel("epoch")
    ax.set_ylabel("learning rate η")
    ax.legend()
    return ax


# ==============================================================================================
# Notebook 7 (section owned by the notebook 7 lesson; add its functions below this line)
# ==============================================================================================
def plot_confusion_matrix(ax, C, class_names=None, title="confusion matrix (test set)"):
    """Counts C[i, j] (true class i predicted as j) as a heatmap with the count written in every cell.
    The diagonal holds the correct predictions; everything off it is a mistake."""
    C = np.asarray(C)
    n = C.shape[0]
    names = [str(k) for k in range(n)] if class_names is None else list(class_names)
    img = ax.imshow(C, cmap="Blues", vmin=0)
    cut = C.max() / 2
    for i in range(n):
        for j in range(n):
            if C[i, j]:
                ax.text(j, i, str(C[i, j]), ha="center", va="center", fontsize=8,
                        color="white" if C[i, j] > cut else ("#D55E00" if i != j else "#222222"),
                        fontweight="bold" if i != j else "normal")
    ax.set_xticks(range(n), names)
    ax.set_yticks(range(n), names)
    ax.set_xlabel("predicted class")
    ax.set_ylabel("true class")
    ax.set_title(title)
    ax.grid(False)
    return img


def plot_digit_grid(axes, images, true, pred=None, shape=(8, 8)):
    """One small image per Axes (grey: ink dark), titled 'true t → predicted p' (vermillion if wrong);
    without ``pred`` titled 'label t'."""
    axes = np.ravel(axes)
    for k, ax in enumerate(axes):
        ax.axis("off")
        if k >= len(images):
            continue
        ax.imshow(np.asarray(images[k]).reshape(shape), cmap="gray_r", vmin=0, vmax=1, interpolation="nearest")
        if pred is None:
            ax.set_title(f"label {true[k]}", fontsize=9, color="#222222")
            continue
        wrong = true[k] != pred[k]
        ax.set_title(f"true {true[k]} → {pred[k]}", fontsize=9, color=OKABE_ITO["vermillion"] if wrong else "#222222")
    return axes


def plot_fit_over_epochs(ax, x, y, grid_x, snapshots, true_f=None):
    """Regression: the data (dots), the true curve (thick, light grey, underneath) and the network's fit after
    several epochs: one line per {epoch: predictions on grid_x}, light to dark as training goes on."""
    ax.scatter(np.ravel(x), np.ravel(y), s=14, color="#888888", label="training data", zorder=3)
    if true_f is not None:
        ax.plot(np.ravel(grid_x), true_f(np.ravel(grid_x)), color="#BBBBBB", linewidth=5, solid_capstyle="butt",
                label="true curve", zorder=0.5)
    epochs = sorted(snapshots)
    for k, epoch in enumerate(epochs):
        shade = 0.25 + 0.75 * (k + 1) / len(epochs)
        ax.plot(np.ravel(grid_x), np.ravel(snapshots[epoch]), color=mpl.colors.to_rgba(OKABE_ITO["blue"], shade),
                linestyle=LINESTYLES[k % len(LINESTYLES)], label=f"after {epoch} epoch{'s' if epoch != 1 else ''}")
    ax.set_xlabel("x")
    ax.set_ylabel("y, ŷ")
    ax.legend(fontsize=8, loc="upper left")
    return ax
