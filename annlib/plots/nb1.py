"""Figures of notebook 1 (architecture): how the spread of the activations changes from layer to
layer (``layer_activations``, ``plot_activation_histograms``, ``plot_layer_stds``: vanishing and
exploding signals) and the parameter count per layer that the architecture widget shows.
The network diagram itself is shared: ``_style.draw_network``.
"""
import numpy as np

from ..activations import Activation
from ._style import LINESTYLES, MARKERS, PALETTE


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
