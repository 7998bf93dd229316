"""Notebook 7's playground, part 2: the figure (matplotlib), drawn from a ``Trainer`` snapshot.

``PlaygroundView`` builds four panels once per network structure and data set (the network with each
neuron's output as a small map, the model's output over the plane with the points, the loss curves and
the accuracy curves) and then only updates the artists that change, blitted onto a saved background and
encoded as a PNG for the widget in ``app.py``.
"""
import io
import math

import numpy as np
from matplotlib import rc_context
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection
from matplotlib.colors import LinearSegmentedColormap, to_rgba
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from PIL import Image

from .. import plots
from .trainer import FEATURES, LIMIT


# ----------------------------------------------------------------------------------------------
# The figure: built once per structure, then updated in place
# ----------------------------------------------------------------------------------------------
class PlaygroundView:
    """Four panels: the network (each neuron a small map of its output over the plane, connections
    thick = |w|, blue + / vermillion −), the model's output over the plane with train and validation points,
    the train and validation loss per epoch, and the accuracy per epoch.

    Speed: the figure is built once per network structure / data set. Per tick only the artists that
    change are updated (``set_data``, ``set_linewidths``, ...) and drawn onto a saved copy of the static
    background (blitting: axes, labels and legends are not redrawn), then encoded as a PNG."""

    DPI = 96            # 1 pt of matplotlib = 1 pt on screen: app.py shows the image at most at its own pixel size
    FONT = 8.5          # the smallest text in the figure, in pt (the series' floor is 8 pt on screen)
    PIXEL = 0.05        # diagram units per pixel of the network image
    MAP = 15            # a neuron's small map: 15 × 15 pixels (every 4th point of the 60 × 60 grid)
    CELL = MAP + 2      # with a one-pixel frame
    SIDE = CELL * PIXEL
    DX, DY = 2.6, 1.0   # distance between layers / neurons

    def __init__(self, figsize=(9.6, 5.2), dpi=DPI):
        self.plots = plots
        light = lambda c: 0.55 * np.array(to_rgba(c)) + 0.45             # noqa: E731  (mixed with white)
        # the background maps are lighter than the points drawn on them, so the points stay visible
        self.light_class = LinearSegmentedColormap.from_list(
            "light_class", [light(plots.OKABE_ITO["orange"]), "#FFFFFF", light(plots.OKABE_ITO["blue"])])
        self.light_signed = LinearSegmentedColormap.from_list(
            "light_signed", [light(plots.NEGATIVE), "#FFFFFF", light(plots.POSITIVE)])
        self.pos_rgba = np.array(to_rgba(plots.POSITIVE, 0.75))
        self.neg_rgba = np.array(to_rgba(plots.NEGATIVE, 0.75))
        with rc_context(plots.STYLE):
            self.fig = Figure(figsize=figsize, dpi=dpi)
            self.canvas = FigureCanvasAgg(self.fig)
            # fixed places (fractions of the figure), so a redraw never moves a panel: the network with its key
            # under it, the square output map, and the two curve panels with one legend under them
            aspect = self.fig.get_figwidth() / self.fig.get_figheight()
            self.ax_net = self.fig.add_axes((0.005, 0.19, 0.385, 0.74))
            self.ax_key = self.fig.add_axes((0.01, 0.0, 0.38, 0.17))
            self.ax_map = self.fig.add_axes((0.455, 0.22, 0.3, 0.3 * aspect))
            self.ax_loss = self.fig.add_axes((0.83, 0.655, 0.15, 0.27))
            self.ax_acc = self.fig.add_axes((0.83, 0.24, 0.15, 0.27))
        self.structure = self.data_key = self.contour = None
        self.show_validation, self.discretize = True, False      # the View controls of the widget
        self.validation_points = []
        self.dyn_net, self.dyn_map, self.dyn_curves = [], [], []
        self.background, self.background_key, self.static_key = None, None, None

    @staticmethod
    def _animated(artists):
        for a in artists:
            a.set_animated(True)        # left out of the static background; drawn on top every tick
        return list(artists)

    # -- building ------------------------------------------------------------------------------
    def _build_network(self, state):
        """The diagram: all neurons' small maps live in ONE image (drawing one image is much faster than
        twenty), with transparent pixels between the neurons so the connection lines show through."""
        ax = self.ax_net
        ax.clear()
        ax.axis("off")
        ax.set_aspect("equal", anchor="S")         # drawn just above its key
        sizes = [len(state["features"]), *state["hidden"], 1]
        px, cell, s = self.PIXEL, self.CELL, self.SIDE
        n_max = max(sizes)
        # wide networks get their columns closer together (a multiple of the pixel size keeps cells aligned)
        self.dx = min(self.DX, round(10.0 / max(len(sizes) - 1, 1) / px) * px)
        y_min = -(n_max - 1) / 2 * self.DY - s / 2
        self.positions, self.slots = [], []
        for col, n in enumerate(sizes):
            ys = (np.arange(n)[::-1] - (n - 1) / 2) * self.DY
            self.positions.append([(col * self.dx, float(y)) for y in ys])
            for y in ys:      # pixel (row, column) of the neuron's cell in the big image
                self.slots.append((int(round((y - s / 2 - y_min) / px)), int(round(col * self.dx / px))))
        height = int(round(((n_max - 1) * self.DY + s) / px))
        width = int(round(((len(sizes) - 1) * self.dx + s) / px))
        self.net_rgba = np.zeros((height, width, 4))
        for r, c in self.slots:                                      # a dark frame around every cell
            self.net_rgba[r:r + cell, c:c + cell] = (0.2, 0.2, 0.2, 1.0)
        self.net_image = ax.imshow(self.net_rgba, origin="lower", interpolation="nearest", zorder=2,
                                   extent=(-s / 2, -s / 2 + width * px, y_min, y_min + height * px))
        segs = [((x0 + s / 2, y0), (x1 - s / 2, y1))
                for col in range(len(sizes) - 1)
                for (x0, y0) in self.positions[col] for (x1, y1) in self.positions[col + 1]]
        self.edges = LineCollection(segs, zorder=1, capstyle="round")
        ax.add_collection(self.edges)
        for (x, y), f in zip(self.positions[0], state["features"]):
            ax.text(x - s / 2 - 0.1, y, FEATURES[f][0], ha="right", va="center", fontsize=10 if self.dx > 2 else 9)
        bias_xy = [(x + s / 2, y - s / 2) for column in self.positions[1:] for x, y in column]
        self.bias = ax.scatter(*zip(*bias_xy), s=10, marker="s", zorder=4, edgecolors="none")
        top = max(y for column in self.positions for _, y in column) + s / 2
        crowded = self.dx < 2      # many layers: the hidden columns are numbered under one "hidden layers"
        names = ["inputs"] + [f"{k}" if crowded else f"hidden {k}" for k in range(1, len(sizes) - 1)] + ["output"]
        line = 0.45                # one line of the labels, in diagram units (about 9 pt)
        for col, (name, n) in enumerate(zip(names, sizes)):
            ax.text(col * self.dx, top + 0.15, f"{name}\n({n})", ha="center", va="bottom", fontsize=self.FONT,
                    linespacing=1.1)
        if crowded:
            ax.text((len(sizes) - 1) * self.dx / 2, top + 0.15 + 2 * line, "hidden layers", ha="center",
                    va="bottom", fontsize=self.FONT)
        bottom = min(y for column in self.positions for _, y in column) - s / 2
        ax.set_xlim(-1.9, (len(sizes) - 1) * self.dx + 0.6)
        ax.set_ylim(min(bottom - 0.3, -4.3), max(top + 0.15 + (3 if crowded else 2) * line + 0.1, 4.5))
        ax.set_title("network: each square is a neuron's output", fontsize=10)
        self.ax_key.clear()
        self.ax_key.axis("off")
        self.ax_key.text(0.03, 1.0, "square: a neuron's output over the plane\n"
                         "    (blue +, white 0, vermillion −; its own scale)\n"
                         "line: a weight (blue +, vermillion −; width ∝ |w|)\n"
                         "corner mark: the bias (colour = sign, size ∝ |b|)",
                         transform=self.ax_key.transAxes, fontsize=self.FONT, va="top", color="#333333",
                         linespacing=1.15)
        self.dyn_net = self._animated([self.edges, self.net_image, self.bias])

    def _build_map(self, state, trainer):
        plots, ax = self.plots, self.ax_map
        ax.clear()
        self.contour = None
        cls = state["problem"] == "classification"
        cmap, vmin = (self.light_class, 0.0) if cls else (self.light_signed, -1.0)
        self.map_image = ax.imshow(state["output_map"], origin="lower", extent=(-LIMIT, LIMIT, -LIMIT, LIMIT),
                                   cmap=cmap, vmin=vmin, vmax=1, zorder=1, interpolation="bilinear")
        points, self.validation_points = [], []
        for X, y, edge, split, size in ((trainer.X_train, trainer.y_train, "white", "train", 26),
                                        (trainer.X_test, trainer.y_test, "black", "validation", 22)):
            if cls:
                for c in (0, 1):
                    m = y == c
                    colour = plots.OKABE_ITO["orange" if c == 0 else "blue"]
                    points.append(ax.scatter(X[m, 0], X[m, 1], s=size, c=colour,
                                             marker=plots.MARKERS[1 - c], edgecolors=edge, linewidths=0.8, zorder=3,
                                             label=f"{split}, class {c}"))
                    if split == "validation":
                        self.validation_points.append(points[-1])
            else:
                points.append(ax.scatter(X[:, 0], X[:, 1], s=size, c=y[:, 0], cmap=plots.SIGNED_CMAP, vmin=-1, vmax=1,
                                         marker="o" if split == "train" else "s",
                                         edgecolors="#777777" if split == "train" else edge, linewidths=0.8,
                                         zorder=3, label=f"{split} (colour = target)"))
                if split == "validation":
                    self.validation_points.append(points[-1])
        ax.set_xlim(-LIMIT, LIMIT)
        ax.set_ylim(-LIMIT, LIMIT)
        ax.set_aspect("equal")
        ax.set_xlabel("x₁", labelpad=1)
        ax.set_ylabel("x₂", labelpad=0)
        ax.grid(False)
        handles = list(points)
        if cls:     # the black contour drawn in update(): say what it is. Columns: train | validation
            boundary = Line2D([], [], color="black", linewidth=1.2, label="boundary\n(P = 0.5)")
            handles = [*points[:2], boundary, *points[2:]]
        legend = ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.11), ncol=2 if cls else 1,
                  fontsize=self.FONT,
                  frameon=False, columnspacing=1.0, handlelength=1.5)
        # the legend entries of the validation points, greyed out while those points are hidden
        entries = zip(handles, legend.get_texts(), legend.legend_handles)
        self.validation_legend = [artist for handle, text, marker in entries if handle in self.validation_points
                                  for artist in (text, marker)]
        self.map_title = ax.text(0.5, 1.075, "", transform=ax.transAxes, ha="center", va="bottom", fontsize=9.5,
                                 linespacing=1.2)
        self.dyn_map = self._animated([self.map_image, *points, self.map_title])

    def _build_curves(self, state):
        plots, label = self.plots, dict(fontsize=9.5, labelpad=2)
        ax = self.ax_loss
        ax.clear()
        self.loss_lines = [ax.plot([], [], color=plots.PALETTE[k], linestyle=plots.LINESTYLES[k], label=lab)[0]
                           for k, lab in enumerate(("train", "validation"))]
        ax.set_xlabel("epoch", **label)
        ax.set_ylabel("BCE loss" if state["problem"] == "classification" else "MSE loss", **label)
        ax.set_title("loss per epoch", fontsize=10)
        ax = self.ax_acc
        ax.clear()
        self.acc_lines = [ax.plot([], [], color=plots.PALETTE[k], linestyle=plots.LINESTYLES[k], label=lab)[0]
                          for k, lab in enumerate(("train", "validation"))]
        ax.set_xlabel("epoch", **label)
        ax.set_ylabel("accuracy (fraction)", **label)
        ax.set_ylim(0.3, 1.02)
        ax.set_title("accuracy per epoch", fontsize=10)
        # one legend for both panels, under them (never over a curve)
        ax.legend(handles=self.loss_lines, loc="upper center", bbox_to_anchor=(0.45, -0.24), fontsize=self.FONT,
                  frameon=False, handlelength=2.2)
        for a in (self.ax_loss, self.ax_acc):
            a.tick_params(labelsize=9)
        self.acc_note = ax.text(0.5, 0.5, "", transform=ax.transAxes, ha="center", va="center", fontsize=self.FONT)
        self.loss_xmax, self.loss_top = -1, 0.0
        self.dyn_curves = self._animated([*self.loss_lines, *self.acc_lines, self.acc_note])

    # -- updating ------------------------------------------------------------------------------
    def update(self, state, trainer):
        """Put ``state`` (a Trainer snapshot) into the artists. Rebuilds a panel only when its structure
        changed. Returns the figure."""
        structure = (state["features"], state["hidden"])
        data_key = (state["dataset"], state["problem"], state["data_version"], state["n_train"], id(trainer))
        if structure != self.structure:
            self._build_network(state)
            self.structure = structure
        if data_key != self.data_key:
            self._build_map(state, trainer)
            self._build_curves(state)
            self.data_key = data_key
        cls = state["problem"] == "classification"
        # network: edges, biases and every neuron's small map (every 3rd grid point is plenty)
        w = np.concatenate([W.ravel() for W in state["weights"]])
        self.edges.set_linewidths(np.minimum(0.3 + 1.8 * np.abs(w), 6.0))
        self.edges.set_color(np.where(w[:, None] >= 0, self.pos_rgba, self.neg_rgba))
        b = np.concatenate([bb for bb in state["biases"]])
        self.bias.set_sizes(6 + 60 * np.minimum(np.abs(b), 1.5))
        self.bias.set_facecolors(np.where(b[:, None] >= 0, self.pos_rgba, self.neg_rgba))
        maps = [*state["input_maps"], *[m for layer in state["hidden_maps"] for m in layer], state["output_map"]]
        step = max(1, maps[0].shape[0] // self.MAP)
        small = np.stack([m[::step, ::step][:self.MAP, :self.MAP] for m in maps])      # (neurons, 15, 15)
        if cls:
            small[-1] = 2 * small[-1] - 1                 # output probability 0..1 shown on the -1..1 scale
        with np.errstate(all="ignore"):
            scale = np.abs(small).max(axis=(1, 2), keepdims=True)
            small = np.where((scale > 0) & np.isfinite(scale), small / np.where(scale > 0, scale, 1), small)
        rgba = self.plots.SIGNED_CMAP((np.nan_to_num(small) + 1) / 2)                    # (neurons, 15, 15, 4)
        for (r, c), colours in zip(self.slots, rgba):
            self.net_rgba[r + 1:r + 1 + self.MAP, c + 1:c + 1 + self.MAP] = colours
        self.net_image.set_data(self.net_rgba)
        # the output over the plane and the decision boundary (a contour cannot be updated: remade)
        self.map_image.set_data(self.shown_map(state))
        for points in self.validation_points:
            points.set_visible(self.show_validation)
        for artist in self.validation_legend:
            artist.set_alpha(1.0 if self.show_validation else 0.3)
        if self.contour is not None:
            self.contour.remove()
            self.contour = None
        level = 0.5                                       # P(class 1) = 0.5: the decision boundary
        m = state["output_map"]
        if cls and np.all(np.isfinite(m)) and m.min() < level < m.max():
            r = np.linspace(-LIMIT, LIMIT, m.shape[0])
            self.contour = self.ax_map.contour(r, r, m, levels=[level], colors="black", linewidths=1.2, zorder=2)
            self.contour.set_animated(True)
        acc = (f"validation accuracy {100 * state['val_accuracy']:.1f}%, train {100 * state['accuracy']:.1f}%"
               if cls else f"validation loss {state['val_loss']:.4g}, train {state['loss']:.4g}")
        self.map_title.set_text(f"epoch {state['epoch']}\n{acc}")
        # curves; the axes limits grow in steps, so the background rarely needs redrawing
        c = state["curves"]
        for line, key in zip(self.loss_lines, ("loss", "val_loss")):
            line.set_data(c["epoch"], c[key])
        for line, key in zip(self.acc_lines, ("accuracy", "val_accuracy")):
            line.set_data(*((c["epoch"], c[key]) if cls else ([], [])))
        last = int(c["epoch"][-1])
        if last > self.loss_xmax:
            self.loss_xmax = max(20, 2 ** math.ceil(math.log2(max(last, 1))))
            self.ax_loss.set_xlim(0, self.loss_xmax)
            self.ax_acc.set_xlim(0, self.loss_xmax)
        finite = np.concatenate([c["loss"], c["val_loss"]])
        finite = finite[np.isfinite(finite)]
        top = float(finite.max()) if finite.size else 1.0
        if top > self.loss_top or self.loss_top == 0:
            self.loss_top = top * 1.15 + 1e-9
            self.ax_loss.set_ylim(0, self.loss_top)
        self.acc_note.set_text("" if cls else "accuracy: only for\nclassification")
        if state["diverged"]:
            self.acc_note.set_text("training stopped:\nyour own function\nhas a problem (⚠)"
                                   if state["student_problem"] else
                                   "training diverged:\nlower the learning\nrate, then reset")
        if self.discretize:
            self.ax_map.set_title("predicted class: orange 0, blue 1 (P ≥ 0.5)" if cls else
                                  "sign of the output: vermillion −1, blue +1", fontsize=9, pad=4)
        else:
            self.ax_map.set_title("P(class 1): orange 0 … white 0.5 … blue 1" if cls else
                                  "output: vermillion −1 … white 0 … blue +1", fontsize=9, pad=4)
        self.static_key = (structure, data_key, self.loss_xmax, self.loss_top, self.discretize, self.show_validation)
        return self.fig

    def shown_map(self, state):
        """The background of the output panel: the network's output over the plane, or with ``discretize``
        the decision it makes (classification: P(class 1) ≥ 0.5 -> 1 else 0; regression: the sign, ±1)."""
        m = state["output_map"]
        if not self.discretize:
            return m
        with np.errstate(invalid="ignore"):
            if state["problem"] == "classification":
                return np.where(np.isfinite(m), (m >= 0.5).astype(float), np.nan)
            return np.where(np.isfinite(m), np.where(m >= 0, 1.0, -1.0), np.nan)

    def render(self):
        """Draw the figure into the canvas: the static background once (and again when it changed), then
        the changing artists on top of a copy of it. Returns the RGBA pixel buffer."""
        if self.background is None or self.background_key != self.static_key:
            self.canvas.draw()                                    # everything except the animated artists
            self.background = self.canvas.copy_from_bbox(self.fig.bbox)
            self.background_key = self.static_key
        else:
            self.canvas.restore_region(self.background)
        renderer = self.canvas.get_renderer()
        artists = self.dyn_net + self.dyn_map + ([self.contour] if self.contour is not None else []) + self.dyn_curves
        for a in sorted(artists, key=lambda a: a.get_zorder()):
            a.draw(renderer)
        return self.canvas.buffer_rgba()

    def png(self):
        """The current figure as PNG bytes (fast: blitted, and compressed lightly)."""
        buf = self.render()
        buf = np.asarray(buf)
        out = io.BytesIO()
        Image.fromarray(buf[..., :3]).save(out, format="png", compress_level=1)
        return out.getvalue()
