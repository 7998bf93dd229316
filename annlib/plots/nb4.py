"""Figures of notebook 4 (losses): MSE, MAE and Huber loss with their derivatives, the line-fit widget's
plot (every squared error drawn as a square), the loss values as bars, cross-entropy against the squared
error for a sigmoid output, and the first loss of untrained classifiers against ln C.
"""
import numpy as np
from matplotlib.patches import Rectangle

from ._style import LINESTYLES, OKABE_ITO, PALETTE


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
            label=f"your line ŷ = {slope:.2f}·x {'−' if intercept < 0 else '+'} {abs(intercept):.2f}", zorder=4)
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
    # outside the axes, right of them: no corner of the plot is free for every slope, intercept and outlier
    ax.legend(loc="upper left", bbox_to_anchor=(1.03, 1.0), borderaxespad=0.0, fontsize=8)
    return r


def plot_loss_values(ax, values, title="loss of your line"):
    """A horizontal bar per loss with its value written beside it."""
    names = list(values)
    v = np.array([values[n] for n in names], dtype=float)
    bars = ax.barh(names, v, color=[FIT_STYLES.get(n, (PALETTE[0], "-"))[0] for n in names], edgecolor="#222222")
    for bar, value in zip(bars, v):          # the value beside the bar's end: right of it, or left if negative
        ax.text(value, bar.get_y() + bar.get_height() / 2, f" {value:.3f} ", va="center", fontsize=9,
                ha="left" if value >= 0 else "right")
    ax.set_xlim(min(0.0, 2.0 * v.min()), max(1.0, 1.3 * v.max()))   # a negative loss (your own) stays in view
    if v.min() < 0:
        ax.axvline(0, color="#333333", linewidth=0.8)
    ax.invert_yaxis()
    ax.set_xlabel("mean loss over the points")
    ax.set_title(title)
    ax.grid(axis="y", visible=False)
    return bars


def plot_ce_vs_mse(ax_loss, ax_grad, state):
    """Cross-entropy −ln p and the squared error (1 − p)² against the predicted probability p of the true
    class, and the size of the gradient each sends back to the logit z (p = sigmoid(z)); the current p is
    marked, with a drop line from the p axis up to the higher marker (cross-entropy's: it is the larger of the two for
    every p, both for the loss and for the gradient).

    The legends sit in the upper right corner, which no curve, marker or drop line enters for any p of
    the slider (0.01 to 0.99): there p > 0.45 and cross-entropy, the higher curve, is below 0.8 (loss, of 5)
    and 0.55 (gradient, of 1.05); the drop line ends at the cross-entropy curve."""
    p, q = state["p_grid"], state["p"]
    k_ce, k_mse = 0, 3
    marker = dict(markersize=8, linestyle="none", clip_on=False, zorder=4)
    ax_loss.plot(p, state["ce_curve"], color=PALETTE[k_ce], linestyle="-", label="cross-entropy  −ln p")
    ax_loss.plot(p, state["mse_curve"], color=PALETTE[k_mse], linestyle="--", label="squared error  (1 − p)²")
    ax_loss.plot([q, q], [0, min(state["loss_ce"], 5)], color="#888888", linewidth=0.8, zorder=1)
    ax_loss.plot([q], [state["loss_ce"]], marker="o", color=PALETTE[k_ce], **marker)
    ax_loss.plot([q], [state["loss_mse"]], marker="s", color=PALETTE[k_mse], **marker)
    ax_loss.set_xlim(0, 1)
    ax_loss.set_ylim(0, 5)
    ax_loss.set_xlabel("predicted probability p of the true class")
    ax_loss.set_ylabel("loss L")
    ax_loss.set_title(f"loss at p = {q:.2f}: CE {state['loss_ce']:.2f}, squared error {state['loss_mse']:.2f}")
    ax_loss.legend(loc="upper right", fontsize=9)
    ax_grad.plot(p, np.abs(state["ce_grad_curve"]), color=PALETTE[k_ce], linestyle="-", label="cross-entropy  |p − 1|")
    ax_grad.plot(p, np.abs(state["mse_grad_curve"]), color=PALETTE[k_mse], linestyle="--",
                 label="squared error through\nthe sigmoid  |2(p − 1)·p(1 − p)|")
    ax_grad.plot([q, q], [0, abs(state["grad_ce"])], color="#888888", linewidth=0.8, zorder=1)
    ax_grad.plot([q], [abs(state["grad_ce"])], marker="o", color=PALETTE[k_ce], **marker)
    ax_grad.plot([q], [abs(state["grad_mse"])], marker="s", color=PALETTE[k_mse], **marker)
    ax_grad.set_xlim(0, 1)
    ax_grad.set_ylim(0, 1.05)
    ax_grad.set_xlabel("predicted probability p of the true class")
    ax_grad.set_ylabel("|dL/dz|, gradient sent to the logit")
    ax_grad.set_title(f"gradient at p = {q:.2f}: CE {abs(state['grad_ce']):.2f}, "
                      f"squared error {abs(state['grad_mse']):.3f}")
    ax_grad.legend(loc="upper right", fontsize=9)
    return ax_loss, ax_grad


def plot_untrained_losses(ax, losses, n_classes, title):
    """The first loss of untrained networks, one marker per weight seed, against the dashed line ln C
    (an untrained classifier's expected cross-entropy). The legend sits in the lower right, far below
    the markers (the y axis runs from 0 to 1.5·ln C and the markers lie near ln C)."""
    losses = np.asarray(losses, dtype=float)
    ax.plot(np.arange(len(losses)), losses, marker="o", linestyle="none", color=PALETTE[0], label="untrained network")
    ax.axhline(np.log(n_classes), color=PALETTE[3], linestyle="--", label=f"ln C = {np.log(n_classes):.3f}")
    ax.set_ylim(0, max(1.5 * np.log(n_classes), 1.1 * losses.max()))
    ax.set_xticks(np.arange(len(losses)))
    ax.set_xlabel("weight seed")
    ax.set_ylabel("cross-entropy loss")
    ax.set_title(title)
    ax.legend(loc="lower right")
    return ax
