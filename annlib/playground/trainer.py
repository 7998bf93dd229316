"""Notebook 7's playground, part 1: the pure training state (numpy and the annlib core only).

``Trainer`` holds the data, the network, the optimizer and the loss curves, and trains a few epochs per
``tick()``; ``snapshot()`` returns everything the figure shows, as numbers, so tests drive it without a
browser. Beside it: the input ``FEATURES`` computed from a point (x₁, x₂), ``feature_matrix``,
``parse_hidden`` (the "hidden neurons" text box), ``FunctionOptimizer`` (a student's update rule as an
optimizer) and the menus' choices. No matplotlib, no ipywidgets: the figure is ``view.py``, the widget
``app.py``.
"""
import inspect
import math

import numpy as np

from ..activations import Activation, Custom, get_activation
from ..checks._check import explain_error
from ..data import CLASSIFICATION_SETS, DATASETS, make_dataset, train_test_split
from ..network import mlp
from ..optimizers import Optimizer, get_optimizer
from ..training import evaluate, fit

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


class StudentFunctionError(Exception):
    """A problem in the student's own activation or update rule, said in words; the playground stops and
    shows it instead of raising from inside the widget."""


class FunctionOptimizer(Optimizer):
    """An optimizer from a plain function, e.g. a student's update rule from notebook 6. Two forms:

        step(param, grad, state, lr)   changes param in place; state is a dict kept between steps
                                       (notebook 6's convention, as in ``widgets.StepFunction``)
        step(param, grad, lr)          returns the new parameter values
    """

    def __init__(self, step, lr=0.01, name="custom"):
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
        before = p.copy()
        try:
            new = self.fn(p, g, state, self.lr) if self.with_state else self.fn(p.copy(), g, self.lr)
        except Exception as e:              # the student's code failed: say how, in the widget
            raise StudentFunctionError(f"your update rule {self.name!r} failed: {explain_error(e)}") from e
        if new is not None:
            new = np.asarray(new, dtype=p.dtype)
            if new.shape != p.shape:
                raise StudentFunctionError(f"your update rule {self.name!r} returned shape {new.shape}, expected "
                                           f"{p.shape} (the new parameter values).")
            p[...] = new
        elif self.with_state and np.array_equal(p, before) and np.any(g != 0):
            raise StudentFunctionError(
                f"your update rule {self.name!r} left the parameters unchanged although the gradient is not 0: "
                "`param = param - ...` makes a new array, which is lost when the function returns. Change the "
                "array in place: `param -= lr * grad`.")
        if not np.all(np.isfinite(p)):
            raise StudentFunctionError(f"your update rule {self.name!r} made a parameter NaN or inf: check the "
                                       "formula (a division by a number that can be 0, a missing eps?).")

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
        if isinstance(act, (tuple, list)) and len(act) == 2:
            return Custom(*act, name=self.activation)
        return get_activation(act)

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
        self.student_problem = False          # True when what stopped training is the student's own function
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

    def _stopped_by_student(self, e):
        """If ``e`` comes from the student's own activation or update rule, stop training with the problem
        in words (shown in the widget) and return True."""
        if isinstance(e, StudentFunctionError):
            self.diverged = str(e)
        elif self.activation in self.custom_activations:
            self.diverged = str(e) if isinstance(e, ValueError) and "custom activation" in str(e) else \
                f"your activation {self.activation!r} failed: {explain_error(e)}"
        else:
            return False
        self.student_problem = True
        return True

    def tick(self, epochs=None):
        """Train ``epochs`` (default: epochs_per_tick) epochs of mini-batch training, recording train and
        validation loss after every epoch. Returns the snapshot. A diverged run stops and says why."""
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
            except Exception as e:                 # the student's own activation or update rule: say so
                if not self._stopped_by_student(e):
                    raise
                break
            self.epoch += 1
            if not all(np.isfinite(p).all() for p in self.net.parameters()):
                self.diverged = "the weights became inf or NaN: the learning rate is too large. Reset and lower it."
                break
            try:
                self._record()
            except Exception as e:
                if not self._stopped_by_student(e):
                    raise
                break
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
        try:
            with np.errstate(all="ignore"):
                outs = self.neuron_outputs(self.F_grid)
        except Exception as e:              # the student's activation fails on the plane: show it, draw nothing
            if not self._stopped_by_student(e):
                raise
            outs = [np.full((len(self.F_grid), n), np.nan) for n in (*self.hidden, 1)]
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
            "params": np.concatenate([p.ravel() for p in self.net.parameters()]),   # a copy, W1 b1 W2 ...
            "lr": self.optimizer.lr, "optimizer": self.optimizer_name, "regularization": self.regularization,
            "reg_rate": self.reg_rate, "batch_size": self.batch_size,
            "iterations_per_epoch": math.ceil(len(self.F_train) / self.batch_size),
            "features": self.features, "hidden": self.hidden, "dataset": self.dataset,
            "n_train": len(self.X_train), "n_test": len(self.X_test),
            "data_version": self.data_version, "diverged": self.diverged, "student_problem": self.student_problem,
        }
