"""Widgets of notebook 4 (losses): ``line_fit_explorer`` (fit a line by hand and compare MSE, MAE and
Huber, with and without an outlier; helpers ``line_fit_data``, ``regression_losses``, ``best_lines``) and
``ce_vs_mse_explorer`` (cross-entropy against squared error for a predicted probability, and the gradient
each sends back).
"""
import html
import textwrap
import warnings

import ipywidgets as W
import numpy as np

from .. import plots
from ._live import LiveFigure, slider

SLOPES = (-1.0, 2.0)            # the lines best_lines searches
INTERCEPTS = (-1.0, 3.0)


class YourLossError(ValueError):
    """Your own loss ``my_loss`` could not be used: it raised, returned the wrong shape, or NaN/inf. The
    message says which, in words."""


def your_loss_values(my_loss, d):
    """``my_loss(d)`` for the errors ``d`` (any shape), checked: one finite number per error, the same shape
    as ``d``. Raises ``YourLossError`` saying what went wrong otherwise. ``my_loss`` gets a copy of ``d``,
    so a loss that changes its argument in place cannot change the errors."""
    from ..checks import explain_error
    d = np.asarray(d, dtype=float)
    try:
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out = my_loss(d.copy())
    except Exception as e:                      # the student's function: say what happened, never a traceback
        raise YourLossError(f"your loss my_loss failed: {explain_error(e)}") from None
    if out is None:
        raise YourLossError("your loss my_loss returned None: is its `return` missing?")
    try:
        out = np.asarray(out, dtype=float)
    except (TypeError, ValueError):
        raise YourLossError(f"your loss my_loss returned {type(out).__name__}, not numbers: it must return one "
                            "loss per error, e.g. `return np.log(np.cosh(d))`.") from None
    if out.shape != d.shape:
        raise YourLossError(f"your loss my_loss returned shape {out.shape} for an array of errors d of shape {d.shape}: "
                            "it must give one loss per error, element by element, with the same shape as d (no "
                            "np.mean or np.sum inside: the widget takes the mean over the points itself).")
    bad = ~np.isfinite(out)
    if bad.any():
        where = d[bad].ravel()
        raise YourLossError(f"your loss my_loss is {out[bad].ravel()[0]} for the error d = {where[0]:.3g}"
                            + (" (and for other errors)" if where.size > 1 else "")
                            + ": a loss must be a finite number for every error, negative ones too (np.log or "
                            "np.sqrt of a negative number is NaN, np.exp of a large one inf).")
    return out


def your_loss_note(my_loss, best):
    """None, or what is odd about a loss that works: its best line at the edge of the lines searched (the loss
    keeps falling further out), or its minimum not at d = 0."""
    s, b = best
    d = np.linspace(-3, 3, 601)
    values = your_loss_values(my_loss, d)
    if np.ptp(values) == 0:
        return ("your loss is the same number for every error, so every line is equally good and the 'best' one "
                "is just the first searched. A loss should be smallest at d = 0 and grow with |d|.")
    if np.isclose(s, SLOPES).any() or np.isclose(b, INTERCEPTS).any():
        return ("the best line for your loss lies at the edge of the lines searched (slope −1…2, intercept −1…3): "
                "your loss keeps falling further out, so it has no best line here. A loss should be smallest at "
                "d = 0 and grow with |d|.")
    at_zero = your_loss_values(my_loss, np.zeros(1))[0]
    if values.min() < at_zero - 1e-9 * max(1.0, abs(at_zero)):
        d_min = d[int(np.argmin(values))]
        return (f"your loss is smallest at d = {d_min:.2g}, not at d = 0, so its best line is shifted to make the "
                "errors about that size. A loss should be smallest at d = 0 (a perfect prediction).")
    return None


def line_fit_data(outlier=False):
    """The points of the line-fit widget: 10 points near y = 0.5·x + 1 (x from 0 to 4.5), plus, if
    ``outlier``, one point far below the line. Returns (x, y, outlier_index or None)."""
    rng = np.random.default_rng(7)
    x = np.linspace(0, 4.5, 10)
    y = 0.5 * x + 1 + 0.2 * rng.standard_normal(10)
    if not outlier:
        return x, y, None
    return np.append(x, 3.8), np.append(y, -2.0), 10


def regression_losses(r, delta=1.0, my_loss=None):
    """Mean MSE, MAE and Huber loss of residuals ``r`` (last axis = the points). Broadcasts over lines.
    ``my_loss``: your own loss of one error, ℓ(d) element by element; added as "yours"."""
    a = np.abs(r)
    out = {"MSE": np.mean(r ** 2, axis=-1), "MAE": np.mean(a, axis=-1),
           "Huber": np.mean(np.where(a <= delta, 0.5 * r ** 2, delta * (a - 0.5 * delta)), axis=-1)}
    if my_loss is not None:
        out["yours"] = np.mean(your_loss_values(my_loss, r), axis=-1)
    return out


def best_lines(x, y, delta=1.0, my_loss=None):
    """The best (slope, intercept) for each loss, by brute force on a grid of lines (slope step 0.02,
    intercept step 0.02): no calculus needed, and the same search for every loss."""
    slopes = np.arange(SLOPES[0], SLOPES[1] + 1e-9, 0.02)
    intercepts = np.arange(INTERCEPTS[0], INTERCEPTS[1] + 1e-9, 0.02)
    S, B = np.meshgrid(slopes, intercepts, indexing="ij")
    r = S[..., None] * x + B[..., None] - y                  # (n_slopes, n_intercepts, n_points)
    out = {}
    for name, L in regression_losses(r, delta, my_loss).items():
        i, j = np.unravel_index(int(np.argmin(L)), L.shape)
        out[name] = (round(float(slopes[i]), 4), round(float(intercepts[j]), 4))
    return out


def line_fit_explorer(slope=0.2, intercept=0.5, outlier=False, delta=1.0, my_loss=None):
    """Fit a line by hand: sliders for slope and intercept, each squared error drawn as a square, and the
    MSE, MAE and Huber loss of the line. The outlier box adds one bad point: the best MSE line swings
    towards it, the MAE and Huber lines hardly move. ``my_loss``: a loss of one error of your own, ℓ(d)
    applied element by element (e.g. ``lambda d: np.log(np.cosh(d))``), shown as "yours".

    State: ``residuals`` (ŷ − y per point), ``losses`` {"MSE", "MAE", "Huber"} of your line, ``best``
    {loss: (slope, intercept)} best line per loss, ``outlier_share`` {loss: fraction of that loss that
    comes from the outlier (0 without it)}, ``x``, ``y``, ``outlier_index``; with ``my_loss`` also
    ``your_loss_problem`` (None, or why your loss could not be used: an error, a wrong shape, NaN; then
    "yours" is left out and the widget shows the problem) and ``your_loss_note`` (None, or what is odd
    about a loss that works, e.g. its best line at the edge of the lines searched).
    """
    controls = {"slope": slider(slope, -1, 2, 0.05, "slope"), "intercept": slider(intercept, -1, 3, 0.05, "intercept"),
                "outlier": W.Checkbox(value=outlier, description="add an outlier", indent=False)}
    cache = {}

    def compute(slope, intercept, outlier):
        if outlier not in cache:
            x, y, k = line_fit_data(outlier)
            problem, note, mine = None, None, my_loss
            try:
                best = best_lines(x, y, delta, mine)
                if mine is not None:
                    note = your_loss_note(mine, best["yours"])
            except YourLossError as e:          # show it in the widget, go on with the three built-in losses
                problem, mine = str(e), None
                best = best_lines(x, y, delta)
            cache[outlier] = (x, y, k, best, mine, problem, note)
        x, y, k, best, mine, problem, note = cache[outlier]
        r = slope * x + intercept - y
        try:
            losses = {name: float(v) for name, v in regression_losses(r, delta, mine).items()}
            per_point = regression_losses(r[:, None], delta, mine)          # each point's own loss
        except YourLossError as e:              # fine on the grid of lines, not on this one
            problem, mine = str(e), None
            best = {name: v for name, v in best.items() if name != "yours"}
            losses = {name: float(v) for name, v in regression_losses(r, delta).items()}
            per_point = regression_losses(r[:, None], delta)
        share = {name: (float(v[k]) / float(np.sum(v)) if k is not None and np.sum(v) > 0 else 0.0)
                 for name, v in per_point.items()}
        state = {"residuals": r, "losses": losses, "best": best, "outlier_share": share, "x": x, "y": y,
                 "outlier_index": k, "slope": slope, "intercept": intercept}
        if my_loss is not None:
            state.update(your_loss_problem=problem, your_loss_note=note)
        return state

    def draw(fig, axes, state):
        if not hasattr(fig, "_nb4_axes"):
            fig.clear()
            gs = fig.add_gridspec(1, 2, width_ratios=[2.2, 1])
            fig._nb4_axes = (fig.add_subplot(gs[0]), fig.add_subplot(gs[1]))
        ax_fit, ax_bar = fig._nb4_axes
        ax_fit.clear()
        ax_bar.clear()
        plots.plot_line_fit(ax_fit, state["x"], state["y"], state["slope"], state["intercept"], fits=state["best"],
                            outlier_index=state["outlier_index"])
        ax_fit.set_title("fit a line: each square's area is one squared error")
        plots.plot_loss_values(ax_bar, state["losses"])
        trouble = state.get("your_loss_problem") or state.get("your_loss_note")
        if trouble:
            # beside the plot under the legend, as narrow as the legend: never over the points or lines
            lines = textwrap.wrap("⚠ " + trouble.split("\n")[0], 32)
            if len(lines) > 11:
                lines = lines[:10] + ["… (all of it above the figure)"]
            ax_fit.text(1.03, 0.5, "\n".join(lines), transform=ax_fit.transAxes, zorder=10, fontsize=8,
                        color=plots.PALETTE[3], va="top", ha="left",
                        bbox={"facecolor": "white", "alpha": 0.95, "edgecolor": plots.PALETTE[3]})

    help_text = ("<b>slope</b>, <b>intercept</b>: your line ŷ = slope·x + intercept (black). Each "
                 "<span style='color:#0072B2'>blue square</span> has side |ŷ − y|, so its area is that point's "
                 "squared error; the MSE is their mean area. The thin lines are the best lines for MSE "
                 "(blue dashed), MAE (orange dotted) and Huber with δ = 1 (green dash-dot)"
                 + (", and for your loss (purple)" if my_loss else "")
                 + ". <b>add an outlier</b>: one point far off (vermillion ✕). Right: the losses of your line.")
    return _LineFit(controls, compute, draw, help=help_text, figsize=(9.5, 4.6),
                    title="Fit a line by hand: MSE, MAE and Huber")


class _LineFit(LiveFigure):
    """The line-fit widget: a problem with your own loss is also shown above the figure, in words."""

    def update(self):
        super().update()
        trouble = self.state and (self.state.get("your_loss_problem") or self.state.get("your_loss_note"))
        if trouble:
            self.status.value = f"<span style='color:#D55E00'>⚠ {html.escape(trouble)}</span>"


def ce_vs_mse_explorer(p=0.3):
    """Slide the predicted probability p of the true class: cross-entropy −ln p against the MSE (1 − p)²,
    and the gradient each sends to the logit z behind p = sigmoid(z): cross-entropy's |p − 1| stays large
    for confident mistakes, the MSE's 2(1 − p)·p(1 − p) vanishes as p → 0.

    State: ``p``, ``loss_ce``, ``loss_mse``, ``grad_ce`` (dL/dz), ``grad_mse`` (dL/dz), and the curves
    ``p_grid``, ``ce_curve``, ``mse_curve``, ``ce_grad_curve``, ``mse_grad_curve``.
    """
    controls = {"p": slider(p, 0.01, 0.99, 0.01, "p = predicted probability of the true class", width="520px")}
    p_grid = np.linspace(0.005, 0.995, 199)

    def ce(q):
        return -np.log(q), q - 1.0                         # loss, dL/dz for p = sigmoid(z), y = 1

    def mse(q):
        return (1.0 - q) ** 2, -2.0 * (1.0 - q) * q * (1.0 - q)

    ce_curve, ce_grad_curve = ce(p_grid)
    mse_curve, mse_grad_curve = mse(p_grid)

    def compute(p):
        loss_ce, grad_ce = ce(p)
        loss_mse, grad_mse = mse(p)
        return {"p": float(p), "loss_ce": float(loss_ce), "grad_ce": float(grad_ce), "loss_mse": float(loss_mse),
                "grad_mse": float(grad_mse), "p_grid": p_grid, "ce_curve": ce_curve, "mse_curve": mse_curve,
                "ce_grad_curve": ce_grad_curve, "mse_grad_curve": mse_grad_curve}

    def draw(fig, axes, state):
        for ax in axes:
            ax.clear()
        plots.plot_ce_vs_mse(axes[0], axes[1], state)

    help_text = ("The true class is 1; the network says it has probability <b>p</b> = sigmoid(z). Left: the loss "
                 "for that prediction, cross-entropy −ln p (blue, solid, circle) and squared error (1 − p)² "
                 "(vermillion, dashed, square). Right: how strongly each loss pushes the logit z, |dL/dz|. "
                 "Small p = a confident mistake.")
    return LiveFigure(controls, compute, draw, help=help_text, figsize=(10, 4), ncols=2,
                      title="Cross-entropy or squared error for a probability?")
