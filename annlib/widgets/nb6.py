"""Widgets of notebook 6 (optimizers): the 2-D loss ``SURFACES`` the optimizers run on, ``StepFunction``
(your own update rule as an optimizer), ``run_optimizer``, ``learning_rate_explorer`` (gradient descent
and the learning rate; pure compute ``lr_path_state``) and ``optimizer_race`` (optimizers side by side,
each with its own learning rate, ``SUGGESTED_LR``; pure compute ``race_state``).
"""
import math
import re

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
        ylim=(-1.5, 1.5), formula="f(x, y) = ½x² + ¼(y² − 1)², saddle point at (0, 0)"),
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


class StepRuleError(Exception):
    """A problem of your own step function, said in words (the race shows it instead of raising)."""


STILL_STEPS = 3     # a rule that has not moved param in this many steps, with a gradient that is not 0, rebinds it


def _explain_step_error(e, name):
    """What an error raised by a step function means, for the interface step_fn(param, grad, state, lr)."""
    from ..checks._check import explain_error
    text = str(e)
    shapes = re.search(r"non-broadcastable output operand with shape \(([\d, ]*)\) doesn't match the broadcast "
                       r"shape \(([\d, ]*)\)", text)
    if isinstance(e, ValueError) and shapes:
        return (f"{explain_error(e)}\n   In words: an in-place update (`param -= …`, `v += …`) writes into the array, "
                f"so the right-hand side must have its shape ({shapes.group(1)}); yours broadcasts to "
                f"({shapes.group(2)}). Keep every array of your rule the shape of param and grad "
                "(np.zeros_like(param)).")
    if isinstance(e, TypeError) and re.search(r"positional argument|unexpected keyword", text):
        return (f"{explain_error(e)}\n   In words: the race calls your function as {name}(param, grad, state, lr): "
                "it must take these four arguments, in this order.")
    if isinstance(e, KeyError):
        return (f"{explain_error(e)}\n   In words: state is an empty dict at the first step, so state[{text}] does not "
                f"exist yet: create it there, e.g. state.setdefault({text}, np.zeros_like(param)) or "
                f"state.get({text}, 0).")
    return explain_error(e)


class StepFunction:
    """Your own update rule as an optimizer, so it can race annlib's (and be passed to ``fit``).

    Your function is called as ``step_fn(param, grad, state, lr)`` once per array and step:
        param  the parameter array: change it IN PLACE (``param -= ...``); return nothing
        grad   its gradient, same shape
        state  a dict, empty at the first step, kept between steps: store what you need
               (a velocity, running averages, your own step counter)
        lr     the learning rate (the race's slider)

    A problem of your function is raised as ``StepRuleError``, in words: an error it raised (translated),
    a param that changed shape or became NaN/inf in one step from finite values, or a param that has not
    changed in ``STILL_STEPS`` steps although the gradient is not 0 (``param = param - ...`` rebinds the name
    instead of changing the array).
    """

    def __init__(self, step_fn, lr=0.01, name="yours"):
        if not callable(step_fn):
            raise TypeError("StepFunction needs a function step_fn(param, grad, state, lr).")
        self.step_fn, self.lr, self.name = step_fn, lr, name
        self.reset()

    @property
    def _who(self):
        return f"your step function `{getattr(self.step_fn, '__name__', 'step_fn')}`"

    def step(self, params, grads):
        if self.state is None:
            self.state = [{} for _ in params]
        self.t += 1
        fn = getattr(self.step_fn, "__name__", "step_fn")
        for p, g, s in zip(params, grads, self.state):
            before = p.copy()
            try:
                with np.errstate(all="ignore"):
                    out = self.step_fn(p, g, s, self.lr)
            except NotImplementedError as e:
                raise StepRuleError(f"{self._who} is not implemented yet (it raises NotImplementedError): write "
                                    "your rule in its cell and run the cell again.") from e
            except Exception as e:          # the student's code failed: say how, in words
                raise StepRuleError(f"{self._who} failed at step {self.t}: {_explain_step_error(e, fn)}") from e
            if out is not None:
                self.returned = True
            if p.shape != before.shape:
                raise StepRuleError(f"{self._who} changed the shape of param from {before.shape} to {p.shape} at "
                                    f"step {self.t}: change its values in place (param -= …), not its shape.")
            if not np.all(np.isfinite(p)) and np.all(np.isfinite(before)) and np.all(np.isfinite(g)):
                what = "NaN" if np.any(np.isnan(p)) else "inf"
                raise StepRuleError(f"{self._who} made param {what} at step {self.t}, in one step from finite values: "
                                    "a 0/0, a division by 0 or the square root of a negative number? (add eps where "
                                    "you divide, and take the square root of squares only).")
            self.moved = self.moved or not np.array_equal(p, before)
            self.pushed = self.pushed or bool(np.any(g != 0))
        if self.t >= STILL_STEPS and not self.moved and self.pushed:
            if self.returned:
                raise StepRuleError(f"{self._who} returns the new param, but the optimizer ignores what it returns, "
                                    f"so param has not changed in {self.t} steps: change param in place "
                                    "(param -= …) and return nothing.")
            raise StepRuleError(f"{self._who} has not changed param in {self.t} steps although the gradient is not 0: "
                                "`param = param - …` makes a new array and rebinds the name param to it (the race's "
                                "array stays as it was). Change the array in place: param -= lr * ….")

    def reset(self):
        self.t, self.state = 0, None
        self.moved = self.pushed = self.returned = False

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
            except StepRuleError as e:      # a student's step function: report in words, never raise
                error = str(e)
                break
            except Exception as e:          # (any other failure, too)
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
    controls = {"lr": slider(lr, -3, 0, 0.05, "learning rate η", log=True, readout_format=".3g",
                             continuous_update=False),      # a redraw takes a few 100 ms: on release
                "steps": int_slider(steps, 5, 100, "steps", continuous_update=False)}

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
        if name == "yours" and not callable(custom):
            start = SURFACES[surface].start
            runs[name] = {"path": start[None].copy(), "gaps": np.array([SURFACES[surface].gap(start)]),
                          "diverged": False, "lr": lr,
                          "error": f"custom must be a function step(param, grad, state, lr), got {custom!r}."}
            continue
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

    problems = W.HTML()                 # what went wrong with an optimizer (your step function), in words

    def draw(fig, axes, state):
        plot_race(axes, state, SURFACES[state["surface"]], RACE_OPTIMIZERS + ["yours"])
        problems.value = race_problems_html(state)

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
                               w.status, problems, w.output]
    w.problems = problems
    return w


def race_problems(state):
    """{name: what stopped that optimizer, in words} for the runs of a race state that did not finish."""
    return {name: run["error"] for name, run in state["runs"].items() if run["error"]}


def race_problems_html(state):
    """The race's problems (``race_problems``) as HTML for the widget, one paragraph per optimizer."""
    import html
    parts = []
    for name, message in race_problems(state).items():
        parts.append(f"<div style='color:#D55E00;font-size:12px;white-space:pre-wrap'>⚠ <b>{html.escape(name)}</b> "
                     f"stopped: {html.escape(message)}</div>")
    return "".join(parts)
