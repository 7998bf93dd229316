"""Figures of notebook 7 (training): the whole training loop of the series as one diagram
(``draw_training_loop``), learning curves of a History (``plot_history``) or of several runs
(``plot_loss_curves``), the loss valley of raw and standardized features (``plot_loss_valley``), the
confusion matrix, a grid of digit images with true and predicted labels, and a regression fit drawn after
several epochs.
"""
import matplotlib as mpl
import numpy as np

from ._style import LINESTYLES, MARKERS, OKABE_ITO, PALETTE


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
                ax.text(j, i, str(C[i, j]), ha="center", va="center", fontsize=9,
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
    ax.legend(fontsize=9, loc="upper left", bbox_to_anchor=(1.02, 1), borderaxespad=0)   # beside the panel, never over the points
    return ax


# ----------------------------------------------------------------------------------------------
# The whole training loop in one picture (steps 1 to 7)
# ----------------------------------------------------------------------------------------------
LOOP_STEPS = {   # step: (title, what it does, the annlib call)
    1: ("1 · architecture (notebook 1)", "layers; W, b set at random",
        "net = A.mlp([2, 16, 2], seed=1)"),
    2: ("2 · activations (notebook 2)", "a = f(z) in forward, f′(z) in backward",
        "A.mlp(..., activation=\"relu\")"),
    3: ("3 · forward (notebook 3)", "z = aW + b, a = f(z), layer by layer",
        "out = net.forward(xb)"),
    4: ("4 · loss (notebook 4)", "one number L: how wrong ŷ is",
        "L = loss.forward(out, yb)"),
    5: ("5 · backward (notebook 5)", "every dW, db by the chain rule",
        "net.backward(loss.backward())"),
    6: ("6 · optimizer step (notebook 6)", "W ← W − η·dW (or Adam's rule)",
        "optimizer.step(net.parameters(),\n               net.gradients())"),
}


def draw_training_loop(ax, fontsize=9.5):
    """The training loop of the whole series as boxes and arrows: (1) build the network and initialise W, b,
    then (3) forward, using (2) the activations, (4) loss, (5) backward, (6) optimizer step, and back to
    forward, inside (7) the loops over mini-batches and epochs. Every box names its notebook and the annlib
    call. Returns {step: the box's patch} for steps 1 to 7 (7: the frame of the epoch loop)."""
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

    ax.set_xlim(0, 12)
    ax.set_ylim(0, 7)
    ax.axis("off")
    boxes = {}
    small = fontsize - 1           # the code lines (monospace runs wide)

    def box(step, x, y, w, h, edge, face="white"):
        title, what, call = LOOP_STEPS[step]
        patch = FancyBboxPatch((x, y), w, h, boxstyle="round,pad=0.02,rounding_size=0.12", facecolor=face,
                               edgecolor=edge, linewidth=1.5, zorder=3)
        ax.add_patch(patch)
        ax.text(x + w / 2, y + h - 0.14, title, ha="center", va="top", fontsize=fontsize + 0.5,
                fontweight="bold", zorder=4)
        ax.text(x + w / 2, y + h - 0.55, what, ha="center", va="top", fontsize=fontsize, color="#333333", zorder=4)
        ax.text(x + w / 2, y + 0.14, call, ha="center", va="bottom", fontsize=small, family="monospace",
                color=OKABE_ITO["blue"], zorder=4)
        boxes[step] = patch

    def arrow(start, end, text=None, text_xy=None, ls="-"):
        ax.add_patch(FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=16, linewidth=1.6,
                                     color="#333333", linestyle=ls, zorder=2))
        if text:
            ax.text(*text_xy, text, ha="center", va="center", fontsize=small, color="#333333", zorder=4,
                    bbox=dict(facecolor="white", edgecolor="none", pad=1))

    # (7): the two loops, drawn as frames around the four steps they repeat
    epoch_frame = FancyBboxPatch((3.55, 0.1), 8.35, 6.8, boxstyle="round,pad=0.02,rounding_size=0.2",
                                 facecolor="#F2F2F2", edgecolor="#777777", linewidth=1.3, zorder=0)
    batch_frame = FancyBboxPatch((3.75, 0.3), 7.95, 5.45, boxstyle="round,pad=0.02,rounding_size=0.2",
                                 facecolor="white", edgecolor="#777777", linewidth=1.3, linestyle="--", zorder=1)
    ax.add_patch(epoch_frame)
    ax.add_patch(batch_frame)
    boxes[7] = epoch_frame
    ax.text(3.75, 6.78, "7 · training (notebook 7): for each epoch, shuffle the n samples, then",
            ha="left", va="top", fontsize=fontsize + 0.5, fontweight="bold", zorder=4)
    ax.text(3.75, 6.3, "history = A.fit(net, X, y, loss=..., optimizer=..., epochs=E, batch_size=B)",
            ha="left", va="top", fontsize=small, family="monospace", color=OKABE_ITO["blue"], zorder=4)
    ax.text(3.95, 5.62, "for each mini-batch xb, yb of B samples: one iteration (⌈n/B⌉ per epoch)",
            ha="left", va="top", fontsize=fontsize, color="#333333", zorder=4)

    w, h = 3.4, 1.6
    left, right, top, bottom = 4.0, 8.1, 3.45, 0.55
    box(3, left, top, w, h, OKABE_ITO["blue"])
    box(4, right, top, w, h, OKABE_ITO["blue"])
    box(5, right, bottom, w, h, OKABE_ITO["blue"])
    box(6, left, bottom, w, h, OKABE_ITO["blue"])
    side_w = 3.35
    box(1, 0.05, 4.4, side_w, h, OKABE_ITO["orange"], face="#FFF3D6")
    box(2, 0.05, 1.6, side_w, h, OKABE_ITO["orange"], face="#FFF3D6")

    gap = right - left - w
    arrow((left + w, top + h / 2), (right, top + h / 2), "ŷ", text_xy=(left + w + gap / 2, top + h / 2 + 0.3))
    arrow((right + w / 2, top), (right + w / 2, bottom + h), "∂L/∂ŷ", text_xy=(right + w / 2 + 0.45, 2.8))
    arrow((right, bottom + h / 2), (left + w, bottom + h / 2), "dW, db",
          text_xy=(left + w + gap / 2, bottom + h / 2 + 0.3))
    arrow((left + w / 2, bottom + h), (left + w / 2, top), "new W, b; next batch", text_xy=(left + w / 2, 2.8))
    arrow((0.05 + side_w, 4.4 + h / 2), (left, top + h * 0.7))
    arrow((0.05 + side_w, 1.6 + h / 2), (left, top + h * 0.25), ls=(0, (3, 2)))
    ax.text(0.05 + side_w / 2, 4.28, "once, before the loops", ha="center", va="top", fontsize=small, color="#333333")
    ax.text(0.05 + side_w / 2, 1.48, "chosen once, used in every pass", ha="center", va="top", fontsize=small,
            color="#333333")
    ax.set_title("the training loop: steps 1–7 of the series in one picture")
    return boxes


# ----------------------------------------------------------------------------------------------
# Why inputs are standardized
# ----------------------------------------------------------------------------------------------
def plot_loss_valley(ax, X, y, path=None, label=None, pad=0.25):
    """Contour lines of the MSE L(w) = mean((X w − y)²) of a linear model ŷ = w₁x₁ + w₂x₂ (two weights, no
    bias) over the plane of its weights, both axes on the same scale, so a long narrow valley looks like one.
    ``path``: gradient-descent steps (steps, 2), drawn as a line with markers from the start (black star) to
    the minimum (white ×). The window holds the minimum and the whole path."""
    from .nb6 import plot_contour, plot_path

    X, y = np.asarray(X, float), np.ravel(y)
    w_best = np.linalg.lstsq(X, y, rcond=None)[0]
    points = np.vstack([w_best[None], path]) if path is not None else w_best[None]
    lo, hi = points.min(axis=0), points.max(axis=0)
    centre, half = (lo + hi) / 2, (hi - lo).max() / 2 + pad
    loss = lambda w: np.mean((w @ X.T - y) ** 2, axis=-1)                 # noqa: E731  (w: (..., 2))
    plot_contour(ax, loss, (centre[0] - half, centre[0] + half), (centre[1] - half, centre[1] + half),
                 levels=14, resolution=160)
    if path is not None:
        plot_path(ax, np.asarray(path), k=3, label=label, markevery=1)
        ax.plot(*path[0], marker="*", color="black", markersize=13, linestyle="none", zorder=5, label="start")
    ax.plot(*w_best, marker="x", color="white", markeredgewidth=3, markersize=11, linestyle="none", zorder=6)
    ax.plot(*w_best, marker="x", color="black", markeredgewidth=1.2, markersize=9, linestyle="none", zorder=6,
            label="minimum")
    ax.set_aspect("equal")
    ax.set_xlabel("weight w₁")
    ax.set_ylabel("weight w₂")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=2, fontsize=9, frameon=False)   # under the panel
    return w_best


def plot_loss_curves(ax, curves, ylabel="training loss", log=False):
    """Several learning curves on one Axes: {label: loss per epoch}, each with its own colour, line style and
    marker."""
    for k, (label, values) in enumerate(curves.items()):
        values = np.asarray(values, float)
        ax.plot(np.arange(1, len(values) + 1), values, color=PALETTE[k], linestyle=LINESTYLES[k],
                marker=MARKERS[k] if len(values) < 30 else None, markersize=5, label=label)
    ax.set_xlabel("epoch")
    ax.set_ylabel(ylabel)
    if log:
        ax.set_yscale("log")
    ax.legend()
    return ax
