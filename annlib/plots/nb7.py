"""Figures of notebook 7 (training): learning curves of a History (``plot_history``), the confusion
matrix, a grid of digit images with true and predicted labels, and a regression fit drawn after several
epochs.
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
