"""Widgets of notebook 4 (losses): ``line_fit_explorer`` (fit a line by hand and compare MSE, MAE and
Huber, with and without an outlier; helpers ``line_fit_data``, ``regression_losses``, ``best_lines``) and
``ce_vs_mse_explorer`` (cross-entropy against squared error for a predicted probability, and the gradient
each sends back).
"""
import ipywidgets as W
import numpy as np

from .. import plots
from ._live import LiveFigure, slider

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
        out["yours"] = np.mean(np.asarray(my_loss(r), dtype=float), axis=-1)
    return out


def best_lines(x, y, delta=1.0, my_loss=None):
    """The best (slope, intercept) for each loss, by brute force on a grid of lines (slope step 0.02,
    intercept step 0.02): no calculus needed, and the same search for every loss."""
    slopes = np.arange(-1.0, 2.0 + 1e-9, 0.02)
    intercepts = np.arange(-1.0, 3.0 + 1e-9, 0.02)
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
    comes from the outlier (0 without it)}, ``x``, ``y``, ``outlier_index``.
    """
    controls = {"slope": slider(slope, -1, 2, 0.05, "slope"), "intercept": slider(intercept, -1, 3, 0.05, "intercept"),
                "outlier": W.Checkbox(value=outlier, description="add an outlier", indent=False)}
    cache = {}

    def compute(slope, intercept, outlier):
        if outlier not in cache:
            x, y, k = line_fit_data(outlier)
            cache[outlier] = (x, y, k, best_lines(x, y, delta, my_loss))
        x, y, k, best = cache[outlier]
        r = slope * x + intercept - y
        losses = {name: float(v) for name, v in regression_losses(r, delta, my_loss).items()}
        per_point = regression_losses(r[:, None], delta, my_loss)          # each point's own loss
        share = {name: (float(v[k]) / float(np.sum(v)) if k is not None and np.sum(v) > 0 else 0.0)
                 for name, v in per_point.items()}
        return {"residuals": r, "losses": losses, "best": best, "outlier_share": share, "x": x, "y": y,
                "outlier_index": k, "slope": slope, "intercept": intercept}

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

    help_text = ("<b>slope</b>, <b>intercept</b>: your line ŷ = slope·x + intercept (black). Each "
                 "<span style='color:#0072B2'>blue square</span> has side |ŷ − y|, so its area is that point's "
                 "squared error; the MSE is their mean area. The thin lines are the best lines for MSE "
                 "(blue dashed), MAE (orange dotted) and Huber with δ = 1 (green dash-dot)"
                 + (", and for your loss (purple)" if my_loss else "")
                 + ". <b>add an outlier</b>: one point far off (vermillion ✕). Right: the losses of your line.")
    return LiveFigure(controls, compute, draw, help=help_text, figsize=(9.5, 4.6),
                      title="Fit a line by hand: MSE, MAE and Huber")


def ce_vs_mse_explorer(p=0.3):
    """Slide the predicted probability p of the true class: cross-entropy −ln p against the MSE (1 − p)²,
    and the gradient each sends to the logit z behind p = sigmoid(z): cross-entropy's |p − 1| stays large
    for confident mistakes, the MSE's 2(1 − p)·p(1 − p) vanishes as p → 0.

    State: ``p``, ``loss_ce``, ``loss_mse``, ``grad_ce`` (dL/dz), ``grad_mse`` (dL/dz), and the curves
    ``p_grid``, ``ce_curve``, ``mse_curve``, ``ce_grad_curve``, ``mse_grad_curve``.
    """
    controls = {"p": slider(p, 0.01, 0.99, 0.01, "p = predicted probability of the true class", width="420px")}
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
