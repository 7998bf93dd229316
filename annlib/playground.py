"""The playground: a live trainer in the notebook, in the spirit of TensorFlow Playground.

Three parts, one per floor of the house:

    Trainer        the pure training state (numpy + annlib only): data, network, optimizer, history.
                   ``tick()`` trains a few epochs; ``reset()``, ``regenerate()``, ``set(lr=...)``;
                   ``snapshot()`` returns everything the figure shows, as numbers. Tests drive this.
    PlaygroundView the figure (matplotlib): built once, then only its artists are updated per tick.
    Playground     the widget (ipywidgets): controls -> Trainer -> PlaygroundView -> a PNG image.
                   A ``Play`` widget advances training a few epochs per tick, so pause works.

    pg = widgets.playground()                 # in a notebook: shows the whole trainer
    state = pg.set(dataset="xor")             # change a control from code, get the state back
    state = pg.tick(10)                       # train 10 ticks (what the Play button does)

The student can plug in an activation ``(f, df)`` or an optimizer step of their own, in notebook 6's form
``step(param, grad, state, lr)`` (in place): ``widgets.playground(activations={"mine": (f, df)},
optimizers={"my sgd": step})``.
"""
import io
import math
import time

import numpy as np

from .activations import Activation, get_activation
from .data import CLASSIFICATION_SETS, DATASETS, make_dataset, train_test_split
from .network import mlp
from .optimizers import Optimizer, get_optimizer
from .training import evaluate, fit

# ----------------------------------------------------------------------------------------------
# Input features: what the first layer sees, computed from the point (x₁, x₂).
# The data lies in about [-1, 1]², so the sine features use πx: one full period across the plane.
# ----------------------------------------------------------------------------------------------
FEATURES = {
    "x1": ("x₁", lambda x1, x2: x1),
    "x2": ("x₂", lambda x1, x2: x2),
    "x1^2": ("x₁²", lambda x1, x2: x1 * x1),
    "x2^2": ("x₂²", lambda x1, x2: x2 * x2),
    "x1*x2": ("x₁x₂", lambda x1, x2: x1 * x2),
    "sin(x1)": ("sin πx₁", lambda x1, x2: np.sin(np.pi * x1)),
    "sin(x2)": ("sin πx₂", lambda x1, x2: np.sin(np.pi * x2)),
}
PROBLEMS = ("classification", "regression")
REGULARIZATIONS = ("none", "L1", "L2")
LEARNING_RATES = (0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
REG_RATES = (0.0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
OPTIMIZER_NAMES = ("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam")
ACTIVATION_NAMES = ("tanh", "relu", "sigmoid", "linear", "leaky_relu", "elu")
LIMIT = 1.3              # the plane shown: [-LIMIT, LIMIT]²
MAX_NEURONS = 8          # per hidden layer, as in TensorFlow Playground
MAX_LAYERS = 6


def feature_matrix(X, features):
    """Points X (n, 2) -> the chosen input features (n, len(features))."""
    X = np.asarray(X, dtype=float)
    unknown = [f for f in features if f not in FEATURES]
    if unknown:
        raise ValueError(f"Unknown feature(s) {unknown}. Valid: {', '.join(FEATURES)}.")
    if not features:
        raise ValueError("Choose at least one input feature (e.g. x1 and x2).")
    return np.column_stack([FEATURES[f][1](X[:, 0], X[:, 1]) for f in features])


class FunctionOptimizer(Optimizer):
    """An optimizer from a plain function, e.g. a student's update rule from notebook 6. Two forms:

        step(param, grad, state, lr)   changes param in place; state is a dict kept between steps
                                       (notebook 6's convention, as in ``widgets.StepFunction``)
        step(param, grad, lr)          returns the new parameter values
    """

    def __init__(self, step, lr=0.01, name="custom"):
        import inspect
        super().__init__(lr)
        self.fn, self.name = step, name
        try:
            required = [p for p in inspect.signature(step).parameters.values()
                        if p.default is p.empty and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
            self.with_state = len(required) >= 4
        except (TypeError, ValueError):
            self.with_state = True

    def init_state(self, p):
        return {}

    def update(self, p, g, state):
        new = self.fn(p, g, state, self.lr) if self.with_state else self.fn(p.copy(), g, self.lr)
        if new is not None:
            new = np.asarray(new, dtype=p.dtype)
            if new.shape != p.shape:
                raise ValueError(f"Your optimizer step {self.name!r} returned shape {new.shape}, expected "
                                 f"{p.shape} (the new parameter values).")
            p[...] = new

    def __repr__(self):
        return f"FunctionOptimizer({self.name!r}, lr={self.lr:g})"


def parse_hidden(hidden):
    """Hidden layer sizes from a tuple or a text such as "8, 8" ("" or "0" = no hidden layer)."""
    if isinstance(hidden, str):
        parts = [p for p in hidden.replace(";", ",").replace(" ", ",").split(",") if p.strip()]
        try:
            hidden = [int(p) for p in parts]
        except ValueError:
            raise ValueError(f"hidden neurons: write whole numbers separated by commas, e.g. '8, 8'; got {hidden!r}.")
    hidden = tuple(int(h) for h in hidden if int(h) != 0)
    if len(hidden) > MAX_LAYERS or any(not 1 <= h <= MAX_NEURONS for h in hidden):
        raise ValueError(f"hidden neurons: at most {MAX_LAYERS} layers of 1 to {MAX_NEURONS} neurons each; "
                         f"got {hidden}.")
    return hidden


# ----------------------------------------------------------------------------------------------
# The pure training state
# ----------------------------------------------------------------------------------------------
class Trainer:
    """Data, network and optimizer of the playground, trained a few epochs at a time.

    Structural settings (data, features, layers, activation) build a new network: ``configure(...)``.
    Training settings (lr, optimizer, regularization and its rate, batch size, epochs per tick) change
    in place with ``set(...)``: the weights are kept, training continues from where it is.
    """

    STRUCTURAL = ("dataset", "noise", "train_fraction", "n_samples", "problem", "features", "hidden",
                  "activation", "seed")
    TRAINING = ("lr", "optimizer", "regularization", "reg_rate", "batch_size", "epochs_per_tick")

    def __init__(self, dataset="circle", noise=0.0, train_fraction=0.5, n_samples=400, problem=None,
                 features=("x1", "x2"), hidden=(4, 2), activation="tanh", lr=0.03, optimizer="sgd",
                 regularization="none", reg_rate=0.0, batch_size=10, epochs_per_tick=5, seed=0,
                 resolution=60, activations=None, optimizers=None):
        self.custom_activations = dict(activations or {})
        self.custom_optimizers = dict(optimizers or {})
        self.resolution = int(resolution)
        self.dataset, self.noise, self.train_fraction, self.n_samples = dataset, noise, train_fraction, n_samples
        self.problem = problem or ("classification" if dataset in CLASSIFICATION_SETS else "regression")
        self.features, self.hidden, self.activation, self.seed = tuple(features), parse_hidden(hidden), activation, seed
        self.lr, self.optimizer_name, self.regularization, self.reg_rate = lr, optimizer, regularization, reg_rate
        self.batch_size, self.epochs_per_tick = batch_size, epochs_per_tick
        self._check_training()
        self.data_version = 0
        self._make_data()
        self.reset()

    # -- building ------------------------------------------------------------------------------
    def _check_training(self):
        if self.regularization not in REGULARIZATIONS:
            raise ValueError(f"regularization must be one of {REGULARIZATIONS}, got {self.regularization!r}.")
        if not (self.reg_rate >= 0 and math.isfinite(self.reg_rate)):
            raise ValueError(f"regularization rate must be >= 0, got {self.reg_rate!r}.")
        if not (isinstance(self.batch_size, (int, np.integer)) and self.batch_size >= 1):
            raise ValueError(f"batch size must be a whole number >= 1, got {self.batch_size!r}.")
        if not (isinstance(self.epochs_per_tick, (int, np.integer)) and self.epochs_per_tick >= 1):
            raise ValueError(f"epochs per tick must be a whole number >= 1, got {self.epochs_per_tick!r}.")
        if not (self.lr > 0 and math.isfinite(self.lr)):
            raise ValueError(f"learning rate must be > 0, got {self.lr!r}.")

    def _make_data(self):
        """Draw the data set (the seed and the number of regenerations fix it) and split it."""
        if self.dataset not in DATASETS:
            raise ValueError(f"Unknown dataset {self.dataset!r}. Valid: {', '.join(DATASETS)}.")
        if self.problem not in PROBLEMS:
            raise ValueError(f"problem must be one of {PROBLEMS}, got {self.problem!r}.")
        if not 0.05 <= self.train_fraction <= 0.95:
            raise ValueError(f"train fraction must be between 0.05 and 0.95, got {self.train_fraction!r}.")
        rng = np.random.default_rng([self.seed, self.data_version])
        X, y = make_dataset(self.dataset, n=self.n_samples, noise=self.noise, seed=rng)
        y = np.asarray(y)
        natural = "classification" if self.dataset in CLASSIFICATION_SETS else "regression"
        if self.problem == "classification":
            y = (y.reshape(-1) > 0).astype(np.intp) if natural == "regression" else (y > 0).astype(np.intp)
        else:   # regression: real targets; a class set becomes targets -1 (class 0) and +1 (class 1)
            y = y.reshape(-1, 1).astype(float) if natural == "regression" else (2.0 * (y > 0) - 1.0)[:, None]
        self.X_train, self.X_test, self.y_train, self.y_test = train_test_split(
            X, y, test_size=1 - self.train_fraction, seed=rng)
        self.F_train = feature_matrix(self.X_train, self.features)
        self.F_test = feature_matrix(self.X_test, self.features)
        r = np.linspace(-LIMIT, LIMIT, self.resolution)
        xx, yy = np.meshgrid(r, r)
        self.grid_points = np.column_stack([xx.ravel(), yy.ravel()])
        self.F_grid = feature_matrix(self.grid_points, self.features)

    def _activation(self):
        act = self.custom_activations.get(self.activation, self.activation)     # a name, (f, df) or an object
        return get_activation(tuple(act) if isinstance(act, list) else act)

    def _make_optimizer(self):
        name = self.optimizer_name
        if name in self.custom_optimizers:
            custom = self.custom_optimizers[name]
            if isinstance(custom, Optimizer):
                custom.lr = self.lr
                custom.reset()
                return custom
            return FunctionOptimizer(custom, lr=self.lr, name=name)
        if isinstance(name, Optimizer):
            name.lr = self.lr
            return name
        return get_optimizer(name, lr=self.lr)

    @property
    def loss_name(self):
        return "bce" if self.problem == "classification" else "mse"

    def reset(self):
        """New weights, drawn from the seed (so every reset gives the same start), and an empty history.
        Returns the snapshot."""
        sizes = [len(self.features), *self.hidden, 1]
        output = "sigmoid" if self.problem == "classification" else None
        self.net = mlp(sizes, activation=self._activation(), output=output, seed=np.random.default_rng([self.seed, 1]))
        self.optimizer = self._make_optimizer()
        self.shuffle_rng = np.random.default_rng([self.seed, 2])
        self.epoch = 0
        self.curves = {"epoch": [], "loss": [], "val_loss": [], "accuracy": [], "val_accuracy": []}
        self.diverged = None
        self._record()
        return self.snapshot()

    def regenerate(self):
        """A fresh draw of the same kind of data (a new sample), then a reset."""
        self.data_version += 1
        self._make_data()
        return self.reset()

    def configure(self, **settings):
        """Change structural settings (data, features, layers, activation): new data and a new network.
        Training settings given here are applied too (see ``set``)."""
        unknown = set(settings) - set(self.STRUCTURAL) - set(self.TRAINING)
        if unknown:
            raise KeyError(f"Unknown setting(s) {sorted(unknown)}.")
        training = {k: settings.pop(k) for k in list(settings) if k in self.TRAINING}
        if "hidden" in settings:
            settings["hidden"] = parse_hidden(settings["hidden"])
        if "features" in settings:
            settings["features"] = tuple(settings["features"])
            feature_matrix(np.zeros((1, 2)), settings["features"])     # validate before changing anything
        if "dataset" in settings and "problem" not in settings:
            settings["problem"] = "classification" if settings["dataset"] in CLASSIFICATION_SETS else "regression"
        old = {k: getattr(self, k) for k in settings}
        for k, v in settings.items():
            setattr(self, k, v)
        try:
            self._make_data()
            self._set_training(**training)
            return self.reset()
        except Exception:
            for k, v in old.items():
                setattr(self, k, v)
            self._make_data()
            raise

    def set(self, **settings):
        """Change training settings while training runs; the weights are kept. ``optimizer`` starts a new
        optimizer (its momentum/averages start from zero) on the current weights. Returns the snapshot."""
        self._set_training(**settings)
        return self.snapshot()

    def _set_training(self, **settings):
        unknown = set(settings) - set(self.TRAINING)
        if unknown:
            raise KeyError(f"set() changes only {self.TRAINING}; use configure() for {sorted(unknown)}.")
        old = {k: getattr(self, "optimizer_name" if k == "optimizer" else k) for k in settings}
        for k, v in settings.items():
            setattr(self, "optimizer_name" if k == "optimizer" else k, v)
        try:
            self._check_training()
            if "optimizer" in settings and settings["optimizer"] != old["optimizer"]:
                self.optimizer = self._make_optimizer()
            else:
                self.optimizer.lr = self.lr
        except Exception:
            for k, v in old.items():
                setattr(self, "optimizer_name" if k == "optimizer" else k, v)
            raise

    # -- training ------------------------------------------------------------------------------
    def _record(self):
        train = evaluate(self.net, self.F_train, self.y_train, self.loss_name)
        test = evaluate(self.net, self.F_test, self.y_test, self.loss_name)
        c = self.curves
        c["epoch"].append(self.epoch)
        c["loss"].append(train["loss"])
        c["val_loss"].append(test["loss"])
        c["accuracy"].append(train.get("accuracy", math.nan))
        c["val_accuracy"].append(test.get("accuracy", math.nan))

    def tick(self, epochs=None):
        """Train ``epochs`` (default: epochs_per_tick) epochs of mini-batch training, recording train and
        test loss after every epoch. Returns the snapshot. A diverged run stops and says why."""
        if self.diverged:
            return self.snapshot()
        epochs = self.epochs_per_tick if epochs is None else epochs
        l1 = self.reg_rate if self.regularization == "L1" else 0.0
        l2 = self.reg_rate if self.regularization == "L2" else 0.0
        for _ in range(epochs):
            try:
                fit(self.net, self.F_train, self.y_train, loss=self.loss_name, optimizer=self.optimizer, epochs=1,
                    batch_size=self.batch_size, seed=self.shuffle_rng, l1=l1, l2=l2, progress=False)
            except FloatingPointError as e:        # annlib's DivergenceError
                self.diverged = str(e)
                break
            self.epoch += 1
            if not np.all(np.isfinite(self.net.flat_params)):
                self.diverged = "the weights became inf or NaN: the learning rate is too large. Reset and lower it."
                break
            self._record()
        return self.snapshot()

    step = tick

    # -- what the figure shows -----------------------------------------------------------------
    def neuron_outputs(self, F):
        """Forward F through the network, keeping each hidden layer's activations and the output:
        a list of arrays (n, units), hidden layers first, the network's output last."""
        outs, a = [], F
        self.net.eval()
        for layer in self.net.layers:
            a = layer.forward(a)
            if isinstance(layer, Activation) and layer is not self.net.layers[-1]:
                outs.append(a)
        outs.append(a)
        return outs

    def snapshot(self):
        """The state as numbers: epoch, losses, accuracies, the output over the plane, each neuron's map,
        the weights. What the figure draws and what tests assert on."""
        res = self.resolution
        with np.errstate(all="ignore"):
            outs = self.neuron_outputs(self.F_grid)
        c = self.curves
        return {
            "epoch": self.epoch,
            "problem": self.problem,
            "loss": c["loss"][-1], "val_loss": c["val_loss"][-1],
            "accuracy": c["accuracy"][-1], "val_accuracy": c["val_accuracy"][-1],
            "curves": {k: np.asarray(v) for k, v in c.items()},
            "output_map": outs[-1][:, 0].reshape(res, res),
            "input_maps": [self.F_grid[:, k].reshape(res, res) for k in range(self.F_grid.shape[1])],
            "hidden_maps": [[h[:, j].reshape(res, res) for j in range(h.shape[1])] for h in outs[:-1]],
            "weights": [layer.W.copy() for layer in self.net.param_layers],
            "biases": [layer.b.copy() for layer in self.net.param_layers],
            "params": self.net.flat_params.copy(),
            "lr": self.optimizer.lr, "optimizer": self.optimizer_name, "regularization": self.regularization,
            "reg_rate": self.reg_rate, "batch_size": self.batch_size,
            "iterations_per_epoch": math.ceil(len(self.F_train) / self.batch_size),
            "features": self.features, "hidden": self.hidden, "dataset": self.dataset,
            "n_train": len(self.X_train), "n_test": len(self.X_test),
            "data_version": self.data_version, "diverged": self.diverged,
        }


# ----------------------------------------------------------------------------------------------
# The figure: built once per structure, then updated in place
# ----------------------------------------------------------------------------------------------
class PlaygroundView:
    """Four panels: the network (each neuron a small map of its output over the plane, connections
    thick = |w|, blue + / vermillion −), the model's output over the plane with train and test points,
    the train and test loss per epoch, and the accuracy per epoch.

    Speed: the figure is built once per network structure / data set. Per tick only the artists that
    change are updated (``set_data``, ``set_linewidths``, ...) and drawn onto a saved copy of the static
    background (blitting: axes, labels and legends are not redrawn), then encoded as a PNG."""

    PIXEL = 0.05        # diagram units per pixel of the network image
    MAP = 15            # a neuron's small map: 15 × 15 pixels (every 4th point of the 60 × 60 grid)
    CELL = MAP + 2      # with a one-pixel frame
    SIDE = CELL * PIXEL
    DX, DY = 2.6, 1.0   # distance between layers / neurons

    def __init__(self, figsize=(13.5, 5.4), dpi=72):
        from matplotlib import gridspec, rc_context
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.colors import to_rgba
        from matplotlib.figure import Figure

        from . import plots
        self.plots = plots
        from matplotlib.colors import LinearSegmentedColormap
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
            gs = gridspec.GridSpec(2, 3, figure=self.fig, width_ratios=[1.55, 1.05, 0.9], left=0.01, right=0.985,
                                   top=0.88, bottom=0.1, wspace=0.18, hspace=0.55)
            self.ax_net = self.fig.add_subplot(gs[:, 0])
            self.ax_map = self.fig.add_subplot(gs[:, 1])
            self.ax_loss = self.fig.add_subplot(gs[0, 2])
            self.ax_acc = self.fig.add_subplot(gs[1, 2])
        self.structure = self.data_key = self.contour = None
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
        from matplotlib.collections import LineCollection
        ax = self.ax_net
        ax.clear()
        ax.axis("off")
        ax.set_aspect("equal")
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
            ax.text(x - s / 2 - 0.1, y, FEATURES[f][0], ha="right", va="center", fontsize=10 if self.dx > 2 else 8)
        bias_xy = [(x + s / 2, y - s / 2) for column in self.positions[1:] for x, y in column]
        self.bias = ax.scatter(*zip(*bias_xy), s=10, marker="s", zorder=4, edgecolors="none")
        top = max(y for column in self.positions for _, y in column) + s / 2
        names = ["features"] + [f"hidden {k}" for k in range(1, len(sizes) - 1)] + ["output"]
        for col, (name, n) in enumerate(zip(names, sizes)):
            ax.text(col * self.dx, top + 0.15, f"{name}\n({n})", ha="center", va="bottom",
                    fontsize=9 if self.dx > 2 else 7.5)
        bottom = min(y for column in self.positions for _, y in column) - s / 2
        ax.set_xlim(-1.9, (len(sizes) - 1) * self.dx + 0.6)
        ax.set_ylim(min(bottom - 0.3, -4.3), max(top + 0.9, 4.5))
        ax.set_title("network: each square = one neuron's output over the plane", fontsize=11)
        ax.text(0.0, 0.0, "lines: weight (blue +, vermillion −, thickness ∝ |w|)\n"
                "small square at a neuron's corner: its bias (colour = sign, size ∝ |b|)\n"
                "each map: white 0, blue +, vermillion −, scaled to its own max |value|",
                transform=ax.transAxes, fontsize=8, va="top", color="#444444")
        self.dyn_net = self._animated([self.edges, self.net_image, self.bias])

    def _build_map(self, state, trainer):
        plots, ax = self.plots, self.ax_map
        ax.clear()
        self.contour = None
        cls = state["problem"] == "classification"
        cmap, vmin = (self.light_class, 0.0) if cls else (self.light_signed, -1.0)
        self.map_image = ax.imshow(state["output_map"], origin="lower", extent=(-LIMIT, LIMIT, -LIMIT, LIMIT),
                                   cmap=cmap, vmin=vmin, vmax=1, zorder=1, interpolation="bilinear")
        points = []
        for X, y, edge, split, size in ((trainer.X_train, trainer.y_train, "white", "train", 26),
                                        (trainer.X_test, trainer.y_test, "black", "test", 22)):
            if cls:
                for c in (0, 1):
                    m = y == c
                    colour = plots.OKABE_ITO["orange" if c == 0 else "blue"]
                    points.append(ax.scatter(X[m, 0], X[m, 1], s=size, c=colour,
                                             marker=plots.MARKERS[1 - c], edgecolors=edge, linewidths=0.8, zorder=3,
                                             label=f"{split}, class {c}"))
            else:
                points.append(ax.scatter(X[:, 0], X[:, 1], s=size, c=y[:, 0], cmap=plots.SIGNED_CMAP, vmin=-1, vmax=1,
                                         marker="o" if split == "train" else "s",
                                         edgecolors="#777777" if split == "train" else edge, linewidths=0.8,
                                         zorder=3, label=f"{split} (colour = target)"))
        ax.set_xlim(-LIMIT, LIMIT)
        ax.set_ylim(-LIMIT, LIMIT)
        ax.set_aspect("equal")
        ax.set_xlabel("x₁", labelpad=1)
        ax.set_ylabel("x₂", labelpad=0)
        ax.grid(False)
        handles = list(points)
        if cls:     # the black contour drawn in update(): say what it is
            from matplotlib.lines import Line2D
            handles.append(Line2D([], [], color="black", linewidth=1.2, label="boundary\n(P = 0.5)"))
        ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=3 if cls else 2, fontsize=8,
                  frameon=False, columnspacing=1.0, handlelength=1.5)
        ax.set_title("P(class 1): orange 0 … white 0.5 … blue 1" if cls else
                     "output: vermillion −1 … white 0 … blue +1", fontsize=9, pad=4)
        self.map_title = ax.text(0.5, 1.065, "", transform=ax.transAxes, ha="center", va="bottom", fontsize=10.5)
        self.dyn_map = self._animated([self.map_image, *points, self.map_title])

    def _build_curves(self, state):
        plots = self.plots
        ax = self.ax_loss
        ax.clear()
        self.loss_lines = [ax.plot([], [], color=plots.PALETTE[k], linestyle=plots.LINESTYLES[k], label=lab)[0]
                           for k, lab in enumerate(("train loss", "test loss"))]
        ax.set_xlabel("epoch")
        ax.set_ylabel("BCE loss" if state["problem"] == "classification" else "MSE loss")
        ax.legend(loc="upper right", fontsize=8)
        ax.set_title("loss per epoch", fontsize=11)
        ax = self.ax_acc
        ax.clear()
        self.acc_lines = [ax.plot([], [], color=plots.PALETTE[k], linestyle=plots.LINESTYLES[k], label=lab)[0]
                          for k, lab in enumerate(("train accuracy", "test accuracy"))]
        ax.set_xlabel("epoch")
        ax.set_ylabel("accuracy (fraction)")
        ax.set_ylim(0.3, 1.02)
        ax.legend(loc="lower right", fontsize=8)
        ax.set_title("accuracy per epoch", fontsize=11)
        self.acc_note = ax.text(0.5, 0.5, "", transform=ax.transAxes, ha="center", va="center", fontsize=9)
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
        self.map_image.set_data(state["output_map"])
        if self.contour is not None:
            self.contour.remove()
            self.contour = None
        level = 0.5                                       # P(class 1) = 0.5: the decision boundary
        m = state["output_map"]
        if cls and np.all(np.isfinite(m)) and m.min() < level < m.max():
            r = np.linspace(-LIMIT, LIMIT, m.shape[0])
            self.contour = self.ax_map.contour(r, r, m, levels=[level], colors="black", linewidths=1.2, zorder=2)
            self.contour.set_animated(True)
        acc = (f"test accuracy {100 * state['val_accuracy']:.1f}%, train {100 * state['accuracy']:.1f}%"
               if cls else f"test loss {state['val_loss']:.4f}, train {state['loss']:.4f}")
        self.map_title.set_text(f"epoch {state['epoch']}: {acc}")
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
        self.acc_note.set_text("" if cls else "accuracy: only for classification")
        if state["diverged"]:
            self.acc_note.set_text("training diverged:\nlower the learning rate, then reset")
        self.static_key = (structure, data_key, self.loss_xmax, self.loss_top)
        return self.fig

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
        from PIL import Image
        buf = self.render()
        buf = np.asarray(buf)
        out = io.BytesIO()
        Image.fromarray(buf[..., :3]).save(out, format="png", compress_level=1)
        return out.getvalue()


# ----------------------------------------------------------------------------------------------
# The widget
# ----------------------------------------------------------------------------------------------
HELP = """
<b>Train a neural network live.</b> Press ▶ to train (each tick = <i>epochs per tick</i> passes over the
training set), ❚❚ to pause, <b>step</b> for one tick, <b>reset</b> for fresh starting weights (same seed, so
the same start), <b>new data</b> for a fresh sample of the data set.<br>
<b>Data:</b> <i>dataset</i> (circle, XOR, Gaussian, spiral, moons; regression: plane, multi-Gaussian),
<i>problem</i> (classification: sigmoid output and binary cross-entropy; regression: linear output and MSE),
<i>noise</i> (std of the noise added), <i>train %</i> (share of points used for training, the rest test).<br>
<b>Network:</b> <i>features</i> (the inputs computed from each point (x₁, x₂); ctrl/shift-click for several),
<i>hidden neurons</i> (one number per hidden layer, e.g. <code>8, 8</code>; empty = no hidden layer),
<i>activation</i> of the hidden layers. These rebuild the network.<br>
<b>Training</b> (change them while it runs, the weights are kept): <i>learning rate</i>, <i>optimizer</i>,
<i>regularization</i> (L1 adds rate·Σ|w|, L2 adds ½·rate·Σw² to the loss) and its <i>rate</i>,
<i>batch size</i> (samples per update).<br>
<b>Colours:</b> points: blue circles class 1, orange squares class 0 (white edge = train, black edge = test);
background: the network's output P(class 1) (orange 0, white 0.5, blue 1); black line: the decision boundary,
where P(class 1) = 0.5. Regression: a point's colour is its target and the background the network's output, on
the same scale (vermillion −1, white 0, blue +1). Curves: solid = train, dashed = test. In the network, each square shows that neuron's output over the plane
(blue +, white 0, vermillion −); lines are weights (blue +, vermillion −, thicker = larger |w|); the small square at a neuron's corner is its
bias (colour = sign, size = |b|).
"""


class Playground:
    """The live trainer widget. Same interface as ``widgets.LiveFigure``: ``.controls``, ``.set(**values)``
    (returns the state), ``.state``, ``.box``, ``.elapsed_ms``; plus ``.tick(n)``, ``.reset()``,
    ``.regenerate()`` and ``.trainer`` (the pure ``Trainer``)."""

    def __init__(self, dataset="circle", hidden=(4, 2), features=("x1", "x2"), activation="tanh", lr=0.03,
                 optimizer="sgd", regularization="none", reg_rate=0.0, batch_size=10, noise=0.0,
                 train_fraction=0.5, epochs_per_tick=5, n_samples=400, seed=0, interval=100,
                 activations=None, optimizers=None, figsize=(13.5, 5.4), dpi=72):
        import ipywidgets as W

        from .widgets import dropdown, int_slider, slider
        self.trainer = Trainer(dataset=dataset, noise=noise, train_fraction=train_fraction, n_samples=n_samples,
                               features=features, hidden=hidden, activation=activation, lr=lr, optimizer=optimizer,
                               regularization=regularization, reg_rate=reg_rate, batch_size=batch_size,
                               epochs_per_tick=epochs_per_tick, seed=seed, activations=activations,
                               optimizers=optimizers)
        t = self.trainer
        narrow, wide = "210px", "260px"
        lrs = sorted(set(LEARNING_RATES) | {lr})
        rates = sorted(set(REG_RATES) | {reg_rate})
        self.controls = {
            "dataset": dropdown(list(DATASETS), dataset, "dataset", width=narrow),
            "problem": dropdown(list(PROBLEMS), t.problem, "problem", width=narrow),
            "noise": slider(noise, 0.0, 0.5, 0.05, "noise", continuous_update=False, width=wide),
            "train_fraction": W.IntSlider(value=int(round(100 * train_fraction)), min=10, max=90, step=10,
                                          description="train %", continuous_update=False,
                                          style={"description_width": "initial"}, layout=W.Layout(width=wide)),
            "features": W.SelectMultiple(options=[(FEATURES[f][0], f) for f in FEATURES], value=tuple(features),
                                         rows=7, description="features", layout=W.Layout(width="170px")),
            "hidden": W.Text(value=", ".join(map(str, t.hidden)), description="hidden neurons",
                             continuous_update=False, style={"description_width": "initial"},
                             layout=W.Layout(width=narrow)),
            "activation": dropdown(list(ACTIVATION_NAMES) + [a for a in t.custom_activations
                                                             if a not in ACTIVATION_NAMES],
                                   activation, "activation", width=narrow),
            "lr": dropdown([(f"{v:g}", v) for v in lrs], lr, "learning rate", width=narrow),
            "optimizer": dropdown(list(OPTIMIZER_NAMES) + [o for o in t.custom_optimizers
                                                           if o not in OPTIMIZER_NAMES],
                                  optimizer, "optimizer", width=narrow),
            "regularization": dropdown(list(REGULARIZATIONS), regularization, "regularization", width=narrow),
            "reg_rate": dropdown([(f"{v:g}", v) for v in rates], reg_rate, "reg. rate", width=narrow),
            "batch_size": int_slider(batch_size, 1, 50, "batch size", continuous_update=False, width=wide),
            "epochs_per_tick": int_slider(epochs_per_tick, 1, 10, "epochs per tick", continuous_update=False,
                                          width=wide),
        }
        self.play = W.Play(value=0, min=0, max=10 ** 9, step=1, interval=interval, description="train",
                           show_repeat=False)
        self.play.add_class("annlib-play")
        self.step_button = W.Button(description="step", tooltip="train one tick", icon="step-forward",
                                    layout=W.Layout(width="90px"))
        self.reset_button = W.Button(description="reset", tooltip="fresh starting weights (same seed)",
                                     icon="undo", layout=W.Layout(width="90px"))
        self.data_button = W.Button(description="new data", tooltip="draw a new sample of the data set",
                                    icon="random", layout=W.Layout(width="110px"))
        self.epoch_label = W.HTML()
        self.epoch_label.add_class("annlib-epoch")
        self.stats = W.HTML()
        self.status = W.HTML()
        self.image = W.Image(format="png", layout=W.Layout(width="100%", max_width="1000px"))
        self.view = PlaygroundView(figsize=figsize, dpi=dpi)
        self.fig = self.view.fig
        self.elapsed_ms = None
        self._holding = False
        self._last_tick_end = 0.0

        for name, control in self.controls.items():
            control.observe(self._on_change, names="value")
        self.play.observe(self._on_play, names="value")
        self.step_button.on_click(lambda _: self.tick())
        self.reset_button.on_click(lambda _: self.reset())
        self.data_button.on_click(lambda _: self.regenerate())

        c = self.controls
        col = lambda *ws: W.VBox(list(ws), layout=W.Layout(margin="0 8px 0 0"))     # noqa: E731
        run_row = W.HBox([self.play, self.step_button, self.reset_button, self.data_button, self.epoch_label,
                          self.stats], layout=W.Layout(align_items="center", flex_flow="row wrap"))
        controls_row = W.HBox([
            col(W.HTML("<b>Data</b>"), c["dataset"], c["problem"], c["noise"], c["train_fraction"]),
            col(W.HTML("<b>Network</b>"), c["hidden"], c["activation"], c["features"]),
            col(W.HTML("<b>Training</b>"), c["lr"], c["optimizer"], c["regularization"], c["reg_rate"],
                c["batch_size"], c["epochs_per_tick"]),
        ], layout=W.Layout(flex_flow="row wrap"))
        help_box = W.HTML(f"<details><summary style='cursor:pointer'><b>What the controls and colours mean</b>"
                          f"</summary><div style='font-size:12px;line-height:1.45;color:#333'>{HELP}</div></details>")
        boundary = W.Box([self.image])          # the figure: network, decision boundary, curves
        boundary.add_class("annlib-boundary")
        self.box = W.VBox([W.HTML("<b style='font-size:15px'>annlib playground: train a neural network live</b>"),
                           help_box, run_row, controls_row, self.status, boundary])
        self.box.add_class("annlib-playground")
        self.box.add_class("annlib-widget")
        self.state = self.trainer.snapshot()
        self.redraw()

    # -- the interface shared with LiveFigure ----------------------------------------------------
    def values(self):
        v = {name: control.value for name, control in self.controls.items()}
        v["train_fraction"] = v["train_fraction"] / 100
        return v

    def set(self, **values):
        """Set controls as a user would and return the new state. ``hidden`` may be a tuple such as (8, 8);
        ``train_fraction`` a fraction (0.5) as the trainer takes it."""
        unknown = set(values) - set(self.controls)
        if unknown:
            raise KeyError(f"No control named {sorted(unknown)}; this widget has {sorted(self.controls)}.")
        if "hidden" in values and not isinstance(values["hidden"], str):
            values["hidden"] = ", ".join(str(h) for h in values["hidden"])
        if "train_fraction" in values:
            values["train_fraction"] = int(round(100 * values["train_fraction"]))
        if "features" in values:
            values["features"] = tuple(values["features"])
        if "dataset" in values and "problem" not in values:
            values["problem"] = "classification" if values["dataset"] in CLASSIFICATION_SETS else "regression"
        self._holding = True
        try:
            for name, value in values.items():
                self.controls[name].value = value
        finally:
            self._holding = False
        self._apply(set(values))
        return self.state

    def _on_change(self, change):
        if self._holding:
            return
        names = {name for name, c in self.controls.items() if c is change["owner"]}
        if "dataset" in names:           # a new data set brings its natural problem type
            natural = "classification" if change["new"] in CLASSIFICATION_SETS else "regression"
            if self.controls["problem"].value != natural:
                self._holding = True
                self.controls["problem"].value = natural
                self._holding = False
                names.add("problem")
        self._apply(names)

    def _apply(self, names):
        start = time.perf_counter()
        v = self.values()
        structural = {k: v[k] for k in names if k in Trainer.STRUCTURAL}
        training = {k: v[k] for k in names if k in Trainer.TRAINING}
        try:
            if structural:
                self.state = self.trainer.configure(**structural, **training)
            elif training:
                self.state = self.trainer.set(**training)
            self.status.value = ""
        except (ValueError, TypeError, KeyError) as e:       # bad settings: say so, keep the old ones
            self.status.value = f"<span style='color:#D55E00'>⚠ {e}</span>"
            return self.state
        self.redraw()
        self.elapsed_ms = 1000 * (time.perf_counter() - start)
        return self.state

    # -- training ------------------------------------------------------------------------------
    def tick(self, n=1):
        """Train ``n`` ticks (each ``epochs_per_tick`` epochs), then redraw once. Returns the state."""
        start = time.perf_counter()
        for _ in range(n):
            self.state = self.trainer.tick()
        self.redraw()
        self.elapsed_ms = 1000 * (time.perf_counter() - start)
        self._last_tick_end = time.perf_counter()
        return self.state

    step = tick

    def _on_play(self, change):
        # If ticks queue up while one runs (the browser's timer does not wait for the kernel), drop the
        # ones that arrive at once: the display keeps up with the kernel and pause answers quickly.
        if time.perf_counter() - self._last_tick_end < 0.01:
            self._last_tick_end = time.perf_counter()
            return
        self.tick()

    def reset(self):
        self.state = self.trainer.reset()
        self.redraw()
        return self.state

    def regenerate(self):
        self.state = self.trainer.regenerate()
        self.redraw()
        return self.state

    # -- drawing -------------------------------------------------------------------------------
    def redraw(self):
        s = self.state
        self.view.update(s, self.trainer)
        self.image.value = self.view.png()
        self.epoch_label.value = f"<span style='font-size:14px'><b>epoch {s['epoch']:,}</b></span>"
        if s["problem"] == "classification":
            acc = f"test accuracy <b>{100 * s['val_accuracy']:.1f}%</b> · train {100 * s['accuracy']:.1f}% · "
        else:
            acc = ""
        self.stats.value = (f"<span style='font-size:12px;margin-left:10px'>{acc}test loss {s['val_loss']:.4f} · "
                            f"train loss {s['loss']:.4f} · {s['iterations_per_epoch']} iterations per epoch</span>")
        if s["diverged"]:
            self.status.value = f"<span style='color:#D55E00'>⚠ {s['diverged']}</span>"

    def _ipython_display_(self):
        from IPython.display import display
        display(self.box)
