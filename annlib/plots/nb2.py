"""Figures of notebook 2 (activations): an activation a = f(z) and its derivative f'(z) over the
pre-activation z (``plot_activation``), the
bands where it saturates (``regions``, ``shade_regions``), one neuron's output over the input plane with
its line w·x + b = 0 (``plot_neuron_plane``, ``boundary_line``) and softmax probabilities as bars.
"""
import numpy as np

from ..activations import get_activation
from ._style import PALETTE


def plot_activation(ax, activation, z=None, derivative=True, color=None, label=None, linestyle="-"):
    """f(z) as a solid line and f'(z) dashed over the pre-activation z, for an activation name, object or
    (f, df) pair."""
    act = get_activation(activation)
    z = np.linspace(-5, 5, 401) if z is None else np.asarray(z, dtype=float)
    name = label or act.name
    color = color or PALETTE[0]
    ax.plot(z, act.f(z), color=color, linestyle=linestyle, label=f"{name}(z)")
    if derivative:
        ax.plot(z, act.df(z), color=color, linestyle="--", alpha=0.8, label=f"{name}'(z)")
    ax.axhline(0, color="#888888", linewidth=0.8)
    ax.axvline(0, color="#888888", linewidth=0.8)
    ax.set_xlabel("pre-activation z")
    ax.set_ylabel("f(z) and f'(z)" if derivative else "a = f(z)")
    ax.legend(loc="upper left")
    return ax


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
        ax.plot(*line, color="black", linewidth=2, linestyle="--", label="z = w·x + b = 0", zorder=3)
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
