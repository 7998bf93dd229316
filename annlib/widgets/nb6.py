"""Widgets of notebook 6 (optimizers): the 2-D loss ``SURFACES`` the optimizers run on, ``StepFunction``
(your own update rule as an optimizer), ``run_optimizer``, ``learning_rate_explorer`` (gradient descent
and the learning rate; pure compute ``lr_path_state``) and ``optimizer_race`` (optimizers side by side,
each with its own learning rate, ``SUGGESTED_LR``; pure compute ``race_state``).
"""
import math

import ipywidgets as W
import numpy as np

import annlib as A

from ..plots import plot_lr_path, plot_race
from ._live import LiveFigure, dropdown, int_slider, slider

class Surface:
    """A 2-D loss surface f(θ) for the optimizer demos: value, gradient, start point, minimum, view."""

    def __init__(self, name, f, grad, start, minimum, xlim, ylim, formula):
        self.name, self._f, self._grad = name, f, grad
        self.start, self.minimum = np.array(start, dtype=float), np.array(minimum, dtype=float)
        self.xlim, self.ylim, self.formula = xlim, ylim, formula
        self.f_min = float(f(*self.minimum))

    def f(self, p):
        """f at a point p = (x, y), or at an array of points (..., 2)."""
        p = np.asarray(p, dtype=float)
        return self._f(p[..., 0], p[..., 1])

    def grad(self, p):
        p = np.asarray(p, dtype=float)
        return np.array(self._grad(p[0], p[1]), dtype=float)

    def gap(self, p):
        """f(p) − f(minimum): 0 at the minimum, what the loss plots show on a log scale."""
        return self.f(p) - self.f_min

    def __repr__(self):
        return f"Surface({self.name!r}: {self.formula})"


BOWL_KAPPA = 20.0      # curvature ratio (condition number) of the ill-conditioned bowl


def _nb6_beale_f(x, y):
    return (1.5 - x + x * y) ** 2 + (2.25 - x + x * y ** 2) ** 2 + (2.625 - x + x * y ** 3) ** 2


def _nb6_beale_grad(x, y):
    t1, t2, t3 = 1.5 - x + x * y, 2.25 - x + x * y ** 2, 2.625 - x + x * y ** 3
    dx = 2 * t1 * (y - 1) + 2 * t2 * (y ** 2 - 1) + 2 * t3 * (y ** 3 - 1)
    dy = 2 * t1 * x + 2 * t2 * 2 * x * y + 2 * t3 * 3 * x * y ** 2
    return dx, dy


SURFACES = {
    "ill-conditioned bowl": Surface(
        "ill-conditioned bowl", lambda x, y: 0.5 * (x ** 2 + BOWL_KAPPA * y ** 2),
        lambda x, y: (x, BOWL_KAPPA * y), start=(-4.0, 1.0), minimum=(0.0, 0.0), xlim=(-4.5, 1.5),
        ylim=(-1.5, 1.5), formula=f"f(x, y) = ½(x² + {BOWL_KAPPA:g}·y²)"),
    "Rosenbrock": Surface(
        "Rosenbrock", lambda x, y: (1 - x) ** 2 + 100 * (y - x ** 2) ** 2,
        lambda x, y: (-2 * (1 - x) - 400 * x * (y - x ** 2), 200 * (y - x ** 2)), start=(-1.5, 2.0),
        minimum=(1.0, 1.0), xlim=(-2.0, 2.0), ylim=(-1.0, 3.0), formula="f(x, y) = (1 − x)² + 100·(y − x²)²"),
    "Beale": Surface(
        "Beale", _nb6_beale_f, _nb6_beale_grad, start=(-1.0, 1.2), minimum=(3.0, 0.5), xlim=(-2.0, 4.0), ylim=(-1.5, 2.0),
        formula="f = (1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)²"),
    "saddle": Surface(
        "saddle", lambda x, y: 0.5 * x ** 2 + 0.25 * (y ** 2 - 1) ** 2,
        lambda x, y: (x, y * (y ** 2 - 1)), start=(-2.0, 0.001), minimum=(0.0, 1.0), xlim=(-2.5, 1.0),
        ylim=(-1.5, 1.5), formula="f(x, y) = ½x² + ¼(y² − 1)²   (saddle point at the origin)"),
}


def make_optimizer(name, lr):
    """The annlib optimizer raced under ``name`` (see ``RACE_OPTIMIZERS``) with learning rate ``lr``."""
    return {"SGD": lambda: A.SGD(lr), "Momentum": lambda: A.SGD(lr, momentum=0.9),
            "Nesterov": lambda: A.SGD(lr, momentum=0.9, nesterov=True), "AdaGrad": lambda: A.AdaGrad(lr),
            "RMSProp": lambda: A.RMSProp(lr), "Adam": lambda: A.Adam(lr),
            "AdamW": lambda: A.AdamW(lr, weight_decay=0.01)}[name]()


RACE_OPTIMIZERS = ["SGD", "Momentum", "Nesterov", "AdaGrad", "RMSProp", "Adam", "AdamW"]

# A good learning rate for each optimizer on each surface, found by trying the rates 10^(k/4) and keeping
# the one with the lowest loss after 150 steps. A fair race gives every optimizer its own good rate.
SUGGESTED_LR = {
    "ill-conditioned bowl": {"SGD": 0.056, "Momentum": 0.0056, "Nesterov": 0.056, "AdaGrad": 3.16, "RMSProp": 0.032,
                             "Adam": 0.1, "AdamW": 3.16, "yours": 0.01},
    "Rosenbrock": {"SGD": 0.0018, "Momentum": 0.0018, "Nesterov": 0.001, "AdaGrad": 1.78, "RMSProp": 0.32,
                   "Adam": 1.78, "AdamW": 1.78, "yours": 0.001},
    "Beale": {"SGD": 0.0056, "Momentum": 0.01, "Nesterov": 0.0056, "AdaGrad": 0.18, "RMSProp": 0.56,
              "Adam": 1.0, "AdamW": 1.0, "yours": 0.01},
    "saddle": {"SGD": 0.56, "Momentum": 0.1, "Nesterov": 0.56, "AdaGrad": 1.78, "RMSProp": 0.032,
               "Adam": 0.1, "AdamW": 1.0, "yours": 0.01},
}


class StepFunction:
    """Your own update rule as an optimizer, so it can race annlib's (and be passed to ``fit``).

    Your function is called as ``step_fn(param, grad, state, lr)`` once per array and step:
        param  the parameter array: change it IN PLACE (``param -= ...``); return nothing
        grad   its gradient, same shape
        state  a dict, empty at the first step, kept between steps: store what you need
               (a velocity, running averages, your own step counter)
        lr     the learning rate (the race's slider)
    """

    def __init__(self, step_fn, lr=0.01, name="yours"):
        if not callable(step_fn):
            raise TypeError("StepFunction needs a function step_fn(param, grad, state, lr).")
        self.step_fn, self.lr, self.name = step_fn, lr, name
        self.t, self.state = 0, None

    def step(self, params, grads):
        if self.state is None:
            self.state = [{} for _ in params]
        self.t += 1
        for p, g, s in zip(params, grads, self.state):
            self.step_fn(p, g, s, self.lr)

    def reset(self):
        self.t, self.state = 0, None

    def __repr__(self):
        return f"StepFunction({getattr(self.step_fn, '__name__', 'step_fn')}, lr={self.lr:g})"


DIVERGED = 1e6    # a path is stopped (and called diverged) once f − f* exceeds this or stops being finite


def run_optimizer(surface, optimizer, steps):
    """Run ``optimizer`` for ``steps`` steps on a surface (a ``Surface`` or a name of ``SURFACES``), from the
    surface's start. Returns (path (k+1, 2), gaps (k+1,) = f − f* per step, diverged, error message);
    a diverging path stops early, so k ≤ steps."""
    surface = SURFACES[surface] if isinstance(surface, str) else surface
    p = surface.start.copy()
    path, gaps = [p.copy()], [surface.gap(p)]
    diverged, error = False, None
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(int(steps)):
            try:
                optimizer.step([p], [surface.grad(p)])
            except NotImplementedError:
                error = "not implemented yet"
                break
            except Exception as e:          # a student's step function: report, never raise
                error = f"{type(e).__name__}: {e}"
                break
            gap = surface.gap(p)
            if not np.all(np.isfinite(p)) or not math.isfinite(gap) or gap > DIVERGED:
                diverged = True
                break
            path.append(p.copy())
            gaps.append(gap)
    return np.array(path), np.array(gaps), diverged, error


# -- gradient descent and the learning rate ------------------------------------------------------
def lr_path_state(lr=0.05, steps=30, surface="ill-conditioned bowl"):
    """Plain gradient descent θ ← θ − lr·∇f(θ) on a surface. State: path, gaps (f − f* per step), lr,
    steps, diverged, converged (f − f* < 1e-3 at the end), final (last f − f*), surface."""
    path, gaps, diverged, _ = run_optimizer(surface, A.SGD(lr), steps)
    return {"path": path, "gaps": gaps, "lr": lr, "steps": int(steps), "diverged": diverged,
            "converged": (not diverged) and gaps[-1] < 1e-3, "final": float(gaps[-1]), "surface": surface}


def learning_rate_explorer(lr=0.05, steps=30):
    """Widget: gradient descent on the ill-conditioned bowl; a log-scale learning-rate slider."""
    controls = {"lr": slider(lr, -3, 0, 0.05, "learning rate η", log=True, readout_format=".3g"),
                "steps": int_slider(steps, 5, 100, "steps")}

    def draw(fig, axes, state):
        plot_lr_path(axes, state, SURFACES[state["surface"]])

    s = SURFACES["ill-conditioned bowl"]
    help_text = (f"Gradient descent θ ← θ − η·∇f(θ) on the bowl {s.formula}, starting at the black star "
                 f"({s.start[0]:g}, {s.start[1]:g}); the minimum (0, 0) is the white cross. <b>learning rate η</b> "
                 "(log scale, 0.001 to 1): how far each step goes along the negative gradient. <b>steps</b>: how "
                 "many updates. Left: the path on the contour lines of f (darker = lower). Right: f − f* after each "
                 "step, log scale (a straight falling line = steady convergence). A path that leaves the picture "
                 "has diverged and is drawn in vermillion.")
    return LiveFigure(controls, lr_path_state, draw, help=help_text, figsize=(10, 3.8), ncols=2,
                      title="Gradient descent and the learning rate")


# -- the optimizer race --------------------------------------------------------------------------
def race_state(surface="ill-conditioned bowl", steps=100, custom=None, **settings):
    """Race optimizers from the same start. ``settings``: ``use_<name>`` (bool) and ``lr_<name>`` (float)
    for each name in ``RACE_OPTIMIZERS`` (lower case) and for ``yours`` when ``custom`` (a step function,
    see ``StepFunction``) is given. State: runs {name: {path, gaps, diverged, error, lr}}, final
    {name: f − f* at the end, inf if diverged}, surface, steps."""
    runs = {}
    names = RACE_OPTIMIZERS + (["yours"] if custom is not None else [])
    for name in names:
        key = name.lower()
        if not settings.get(f"use_{key}", False):
            continue
        lr = float(settings.get(f"lr_{key}", SUGGESTED_LR[surface][name]))
        opt = StepFunction(custom, lr) if name == "yours" else make_optimizer(name, lr)
        path, gaps, diverged, error = run_optimizer(surface, opt, steps)
        runs[name] = {"path": path, "gaps": gaps, "diverged": diverged, "error": error, "lr": lr}
    final = {name: (math.inf if r["diverged"] or r["error"] else float(r["gaps"][-1])) for name, r in runs.items()}
    return {"runs": runs, "final": final, "surface": surface, "steps": int(steps)}


def optimizer_race(surface="ill-conditioned bowl", steps=150, custom=None, selected=("SGD", "Momentum", "Adam")):
    """Widget: race optimizers on a 2-D surface. ``custom``: your own step function
    ``custom(param, grad, state, lr)`` (see ``StepFunction``), raced as "yours"."""
    names = RACE_OPTIMIZERS + (["yours"] if custom is not None else [])
    controls = {"surface": dropdown(list(SURFACES), surface, "surface"),
                "steps": int_slider(steps, 10, 300, "steps", continuous_update=False)}
    for name in names:
        key = name.lower()
        controls[f"use_{key}"] = W.Checkbox(value=name in selected or name == "yours", description=name, indent=False,
                                            layout=W.Layout(width="110px"))
        controls[f"lr_{key}"] = slider(SUGGESTED_LR[surface][name], -4, 0.5, 0.25, "lr", log=True,
                                       continuous_update=False, readout_format=".2g", width="230px")

    def compute(**values):
        return race_state(custom=custom, **values)

    def draw(fig, axes, state):
        plot_race(axes, state, SURFACES[state["surface"]], RACE_OPTIMIZERS + ["yours"])

    button = W.Button(description="use suggested rates", tooltip="set every learning rate to a good value "
                      "for this surface", layout=W.Layout(width="180px"))
    help_text = ("Every ticked optimizer starts at the same point (black star) and takes <b>steps</b> updates "
                 "on the chosen <b>surface</b> (ill-conditioned bowl: a long narrow valley; Rosenbrock: a curved "
                 "banana valley; Beale: flat plateaus and steep walls; saddle: starts on a ridge next to a saddle "
                 "point). Each optimizer has its own <b>lr</b> (learning rate, log scale). Left: paths on the "
                 "contour lines of the loss (white cross = minimum); right: f − f* per step, log scale. Colours, "
                 "line styles and markers identify the optimizers (legend). A path that ends early diverged. "
                 "<b>A fair race gives each optimizer its own good learning rate</b>: the button sets them.")
    w = LiveFigure(controls, compute, draw, help=help_text, figsize=(10.5, 4.2), ncols=2, title="Optimizer race")
    rows = [W.HBox([controls[f"use_{n.lower()}"], controls[f"lr_{n.lower()}"]]) for n in names]
    grid = W.GridBox(rows, layout=W.Layout(grid_template_columns="repeat(auto-fill, minmax(340px, 1fr))"))

    def suggested(_=None):
        return w.set(**{f"lr_{n.lower()}": SUGGESTED_LR[controls["surface"].value][n] for n in names})

    button.on_click(suggested)
    w.use_suggested_rates = suggested
    header = list(w.box.children[:-3])          # title and help
    w.box.children = header + [W.HBox([controls["surface"], controls["steps"], button]), grid,
                               w.status, w.output]
    return w
