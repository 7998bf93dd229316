"""Figures of notebook 1 (architecture): how the spread of the activations changes from layer to
layer (``layer_activations``, ``plot_activation_histograms``, ``plot_layer_stds``: vanishing and
exploding signals; each layer's histogram on its own x-range: ``layer_histogram``, ``histogram_panel``) and the parameter count per layer that the architecture widget shows.
The network diagram itself is shared: ``_style.draw_network``.
"""
import numpy as np
from matplotlib.ticker import FuncFormatter, MaxNLocator

from ..activations import Activation
from ._style import LINESTYLES, MARKERS, PALETTE, short_number


def layer_activations(net, X):
    """The output of every activation layer for input X: a list of arrays (n, units)."""
    outs, a = [], np.asarray(X, dtype=net.dtype)
    for layer in net.layers:
        a = layer.forward(a)
        if isinstance(layer, Activation):
            outs.append(a)
    return outs


def reference_range(activation=None, values=None):
    """The narrowest x-range a layer's histogram gets: the activation's own range (tanh (−1, 1), sigmoid
    (0, 1)), otherwise the scale of the inputs, (0, 1) for values that are never negative, else (−1, 1)."""
    bounded = {"tanh": (-1.0, 1.0), "sigmoid": (0.0, 1.0)}
    if activation in bounded:
        return bounded[activation]
    return (0.0, 1.0) if values is not None and np.min(values) >= 0 else (-1.0, 1.0)


def layer_histogram(a, floor=(-1.0, 1.0), bins=40):
    """One layer's histogram on its own x-range: from its smallest to its largest value, but never narrower
    than ``floor`` (see ``reference_range``). So a layer whose values shrank is a narrow spike at 0 on a small
    axis, and a layer whose values exploded gets an axis that reaches its huge values.
    If many values are exactly 0 (ReLU's inactive units) and their bar would dwarf the rest, the y-axis
    stops above the other bars (``cut``) and ``zero_fraction`` says how many values the cut bar holds.
    Returns {counts, edges, range, top (y-limit), zero_fraction, cut, std}."""
    a = np.asarray(a, dtype=float).ravel()
    value_range = (min(float(a.min()), floor[0]), max(float(a.max()), floor[1]))
    counts, edges = np.histogram(a, bins=bins, range=value_range)
    n_zero = int(np.count_nonzero(a == 0))
    others = counts.copy()
    if n_zero:
        others[min(np.searchsorted(edges, 0.0, side="right") - 1, bins - 1)] -= n_zero   # the bin that holds 0
    cut = n_zero >= 0.05 * a.size and others.max() > 0 and counts.max() > 1.5 * others.max()
    top = 1.1 * others.max() if cut else 1.05 * max(counts.max(), 1)
    return {"counts": counts, "edges": edges, "range": value_range, "top": float(top),
            "zero_fraction": n_zero / a.size, "cut": bool(cut), "std": float(a.std())}


def histogram_panel(ax, h, k, bars=None, note=None, color=None):
    """Draw (or, given the artists of an earlier call, update) one layer's panel from ``layer_histogram``'s
    result h: the filled histogram on the layer's own x-range, tick labels like 2·10⁸, the title with the
    layer's std, and a note when the bar at 0 is cut. Returns the artists (bars, note) for the next update."""
    if bars is None:
        bars = ax.stairs(h["counts"], h["edges"], fill=True, color=color or PALETTE[0], alpha=0.85)
        note = ax.text(0.97, 0.96, "", transform=ax.transAxes, ha="right", va="top", fontsize=9)
        ax.set_yticks([])
        ax.grid(False)
        ax.tick_params(labelsize=9)     # 9 pt: shown at 90 dpi, 8 pt would be 7.5 pt on screen
        ax.xaxis.set_major_locator(MaxNLocator(4, steps=[1, 2, 2.5, 5, 10]))
        ax.xaxis.set_major_formatter(FuncFormatter(
            lambda v, pos=None: short_number(v, 2, scale=max(abs(x) for x in ax.get_xlim()))))
    else:
        bars.set_data(h["counts"], h["edges"])
    ax.set_xlim(*h["range"])
    ax.set_ylim(0, h["top"])
    ax.set_title(f"layer {k + 1}: std {short_number(h['std'], 2)}", fontsize=9)
    note.set_text(f"bar at 0 cut:\n{h['zero_fraction']:.0%} are exactly 0" if h["cut"] else "")
    return bars, note


def plot_activation_histograms(axes, activations, bins=40, color=None, activation=None, floor=None):
    """One histogram per layer (one Axes each) of the activation values, each on its own x-range
    (``layer_histogram``; never narrower than ``floor``, by default ``reference_range(activation, a)``),
    titled with the layer's std."""
    for k, (ax, a) in enumerate(zip(axes, activations)):
        h = layer_histogram(a, floor or reference_range(activation, a), bins)
        histogram_panel(ax, h, k, color=color or PALETTE[k % len(PALETTE)])
        ax.set_xlabel("activation a", fontsize=9)
    return axes


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
