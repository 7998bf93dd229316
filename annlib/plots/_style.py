"""The style and the drawing helpers that several notebooks share (read this module first).

One style for the whole series (``use_style``): white figure face (readable in dark themes), the
colour-blind-safe Okabe–Ito palette, and line styles and markers so colour is never the only cue.
``figure`` makes a Figure outside pyplot for the widgets. Beside them the pieces more than one
notebook draws with: the network diagram (``draw_network``, notebooks 1, 3, 5), the plane of
decision regions (``grid``, ``plot_points``, ``plot_decision_regions``, notebooks 1–3) and log axes
with plain-text 10ⁿ ticks (``log_axis``, notebooks 5 and 6), and short number labels such as 2.6·10⁸
(``short_number``, notebooks 1 and 6). Each notebook's own figures are in
``nb1.py`` … ``nb7.py``.
"""
import matplotlib as mpl
import numpy as np
from matplotlib.colors import LinearSegmentedColormap, TwoSlopeNorm
from matplotlib.figure import Figure
from matplotlib.patches import Circle, Rectangle

# ----------------------------------------------------------------------------------------------
# Palette and style (every notebook)
# ----------------------------------------------------------------------------------------------
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
# Log axes with plain-text ticks (notebooks 5, 6), short number labels (notebooks 1, 6)
# ----------------------------------------------------------------------------------------------
_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def _power_of_ten(value, pos=None):
    """Tick label 10ⁿ in plain Unicode (log axes label with mathtext by default, which is slow to draw)."""
    if value <= 0:
        return ""
    e = np.log10(value)
    return "10" + str(int(round(e))).translate(_SUPERSCRIPT) if abs(e - round(e)) < 1e-9 else ""


def short_number(value, digits=2, scale=None):
    """A number as a short label: 0.25, 40, 288, 2.6·10⁸, 9.4·10⁻⁹ (no "1e9" offset far from the axis).
    ``scale``: the largest magnitude on the same axis; past 10⁴ every label of it takes the ·10ⁿ form."""
    value = float(value)
    if value == 0 or not np.isfinite(value):
        return "0" if value == 0 else str(value)
    scale = abs(value) if scale is None else scale
    if 1e-2 <= abs(value) and scale < 1e4:
        text = str(int(round(value))) if abs(value) >= 100 else f"{value:.{digits}g}"
        return text.replace("-", "−")
    mantissa, exponent = f"{value:.{digits - 1}e}".split("e")
    mantissa = mantissa.rstrip("0").rstrip(".") if "." in mantissa else mantissa
    power = "10" + str(int(exponent)).translate(_SUPERSCRIPT)
    sign = "−" if mantissa.startswith("-") else ""
    mantissa = mantissa.lstrip("-")
    return sign + (power if mantissa == "1" else f"{mantissa}·{power}")


def log_axis(ax, axis="y"):
    """Log scale on ``axis`` with 10ⁿ tick labels drawn as plain text (about twice as fast to render)."""
    from matplotlib.ticker import FuncFormatter, NullFormatter
    getattr(ax, f"set_{axis}scale")("log")
    target = ax.yaxis if axis == "y" else ax.xaxis
    target.set_major_formatter(FuncFormatter(_power_of_ten))
    target.set_minor_formatter(NullFormatter())
    return ax


# ----------------------------------------------------------------------------------------------
# Network diagram (notebooks 1, 3, 5)
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
                ax.text(x, y + radius + 0.06, node_labels[col][i], ha="center", va="bottom", fontsize=9, zorder=4)
            if show_bias and col > 0:
                b = float(dense[col - 1].b[i])
                side = 0.05 + 0.12 * abs(b) / bmax
                ax.add_patch(Rectangle((x - side / 2, y - radius - 0.05 - side), side, side,
                                       facecolor=POSITIVE if b >= 0 else NEGATIVE, edgecolor="none", zorder=3))
        hidden = sizes[col] - len(column)
        if hidden > 0:
            ys = [y for _, _, y in column]
            gap_y = (ys[max_neurons // 2 - 1] + ys[max_neurons // 2]) / 2
            ax.text(COLUMN_GAP * col, gap_y, f"+{hidden} more", ha="center", va="center", fontsize=9, zorder=4,
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
            transform=ax.transAxes, fontsize=9, va="top", color="#444444")
    return layout


# ----------------------------------------------------------------------------------------------
# Decision regions (notebooks 1, 2, 3)
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
