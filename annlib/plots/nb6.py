"""Figures of notebook 6 (optimizers): contour plots of a loss surface, optimizer paths on it, the
two panels of the learning-rate widget and the optimizer race (path on the left, f − f* per step on a
log axis on the right), learning-rate schedules, and weight decay (the weight norm over steps and the
decay each weight gets per step, Adam + L2 against AdamW).
"""
import numpy as np

from matplotlib import patheffects
from matplotlib.ticker import FuncFormatter, NullFormatter

from ._style import LINESTYLES, MARKERS, NEGATIVE, OKABE_ITO, PALETTE, log_axis, short_number

_CONTOUR_CACHE = {}
_YELLOW_EDGE = "#6B5F00"
_OUTLINE = [patheffects.Stroke(linewidth=2.4, foreground=_YELLOW_EDGE), patheffects.Normal()]


def _label_short_log_range(ax):
    """A log y axis that spans less than two powers of ten shows one 10ⁿ label or none: label some of
    the ticks between them as well (2 and 5 of each decade, or every one when less than one decade is in view)."""
    lo, hi = ax.get_ylim()
    decades = np.log10(hi / lo) if lo > 0 and hi > lo else 99
    if decades >= 2:
        ax.yaxis.set_minor_formatter(NullFormatter())
        return
    keep = (2, 5) if decades >= 1 else (2, 3, 4, 5, 6, 8)

    def label(value, pos=None):
        if value <= 0:
            return ""
        m = value / 10.0 ** np.floor(np.log10(value) + 1e-9)
        return short_number(value) if any(abs(m - k) < 1e-6 for k in keep) else ""
    ax.yaxis.set_minor_formatter(FuncFormatter(label))


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
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=3, fontsize=8)   # below the panel, off the contours
    gaps = np.maximum(state["gaps"], 1e-16)
    _keep(ax, ax2.plot(np.arange(len(gaps)), gaps, color=NEGATIVE if state["diverged"] else PALETTE[0],
                       marker="o", markersize=3, linestyle=":" if state["diverged"] else "-")[0])
    _keep(ax, ax2.axhline(1e-3, color="#777777", linestyle="--", linewidth=1, label="converged below 10⁻³"))
    ax2.relim()
    ax2.autoscale_view()
    ax2.set_xlim(0, state["steps"])
    _label_short_log_range(ax2)
    if state["diverged"]:
        ax2.set_title(f"η = {state['lr']:.3g}: diverged at step {len(gaps)}, the run stopped there", fontsize=10)
    else:
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
        tag = " (diverged)" if run["diverged"] else (" (stopped, see above)" if run["error"] else "")
        label = f"{name}, lr {run['lr']:.2g}{tag}"
        color = "black" if name == "yours" else PALETTE[k % len(PALETTE)]
        style = dict(color=color, linestyle=LINESTYLES[k % len(LINESTYLES)], marker=MARKERS[k % len(MARKERS)],
                     markersize=3.5, linewidth=1.5)
        if color == OKABE_ITO["yellow"]:        # yellow on white: a dark outline makes it visible
            style.update(path_effects=_OUTLINE)
        path = run["path"]
        _keep(ax, ax.plot(path[:, 0], path[:, 1], markevery=max(1, len(path) // 12), zorder=4, **style)[0])
        gaps = np.maximum(run["gaps"], 1e-16)
        _keep(ax, ax2.plot(np.arange(len(gaps)), gaps, markevery=max(1, len(gaps) // 12), label=label, **style)[0])
    ax2.relim()
    ax2.autoscale_view()
    ax2.set_xlim(0, state["steps"])
    _label_short_log_range(ax2)
    ax2.set_title(f"{state['surface']}: loss per step", fontsize=10)
    if ax2.get_legend() is not None:
        ax2.get_legend().remove()
    if state["runs"]:                   # beside the panel: with seven curves no place inside is free
        ax2.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), borderaxespad=0, fontsize=8)
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


def plot_weight_norms(ax, norms, target=None, ylabel="weight norm ‖W‖",
                      title="the size of the weights during training"):
    """The weight norm ‖W‖ after each step for several runs: {label: sequence (steps + 1,)}, with the
    norm at the start first. ``target``: (value, label) drawn as a grey dashed line, e.g. the norm at the
    minimum of the penalized loss. The legend goes into room left free above the lines."""
    for k, (label, values) in enumerate(norms.items()):
        values = np.asarray(values, dtype=float)
        ax.plot(np.arange(len(values)), values, color=PALETTE[k % len(PALETTE)],
                linestyle=LINESTYLES[k % len(LINESTYLES)], marker=MARKERS[k % len(MARKERS)],
                markevery=max(1, len(values) // 10), markersize=5, label=label)
    if target is not None:
        ax.axhline(target[0], color="#777777", linestyle="--", linewidth=1.2, label=target[1], zorder=1)
    ax.set_xlabel("step (iteration)")
    ax.set_ylabel(ylabel)
    ax.set_title(title, fontsize=10)
    legend = ax.legend(fontsize=8, loc="upper left")
    get_renderer = getattr(ax.figure.canvas, "get_renderer", None) or getattr(ax.figure, "_get_renderer", None)
    if get_renderer is not None:                    # the legend's height, as a fraction of the axes
        renderer = get_renderer()
        share = legend.get_window_extent(renderer).height / ax.get_window_extent(renderer).height
    else:                                           # (no renderer to measure with: about 7 % per line)
        share = 0.05 + 0.07 * len(legend.get_texts())
    lo, hi = ax.get_ylim()
    ax.set_ylim(lo, lo + (hi - lo) / max(0.3, 1 - share - 0.04))   # the lines stay below the legend
    return ax


def plot_decay_per_weight(ax, scales, shrink, title="how strongly each weight is decayed"):
    """How much weight decay removes from each weight per step, as a fraction of the weight, against the
    typical size of that weight's gradients (both on log axes). ``scales``: (n,) gradient sizes;
    ``shrink``: {label: (n,) fractions, or one number for a rule that shrinks every weight alike}."""
    scales = np.asarray(scales, dtype=float)
    log_axis(ax, "x")
    log_axis(ax, "y")
    for k, (label, values) in enumerate(shrink.items()):
        values = np.broadcast_to(np.asarray(values, dtype=float), scales.shape)
        ax.plot(scales, values, color=PALETTE[k % len(PALETTE)], linestyle=LINESTYLES[k % len(LINESTYLES)],
                marker=MARKERS[k % len(MARKERS)], markersize=5, label=label)
    ax.set_xlabel("typical size of the weight's gradient dW (log)")
    ax.set_ylabel("decay per step, fraction of the weight (log)")
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=8)
    return ax
