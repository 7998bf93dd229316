"""Notebook 7's playground, part 3: the widget (ipywidgets) that ``widgets.playground()`` returns.

``Playground`` lays out the controls (data, network, training), the Play / step / reset / new-data
buttons and the figure, and wires them: controls -> ``Trainer`` (``trainer.py``) -> ``PlaygroundView``
(``view.py``) -> a PNG image. ``HELP`` is the text under "What the controls and colours mean".
"""
import time

import ipywidgets as W
from IPython.display import display

from ..data import CLASSIFICATION_SETS, DATASETS
from .controls import dropdown, int_slider, slider
from .trainer import (ACTIVATION_NAMES, FEATURES, LEARNING_RATES, OPTIMIZER_NAMES, PROBLEMS, REG_RATES,
                      REGULARIZATIONS, Trainer)
from .view import PlaygroundView

# ----------------------------------------------------------------------------------------------
# The widget
# ----------------------------------------------------------------------------------------------
HELP = """
<b>Train a neural network live.</b> Press ▶ to train (each tick = <i>epochs per tick</i> passes over the
training set); while it trains the button shows ❚❚: press it to pause. ■ stops as well (the training so far is
kept). <b>step</b> for one tick, <b>reset</b> for fresh starting weights (same seed, so
the same start), <b>new data</b> for a fresh sample of the data set.<br>
<b>Data:</b> <i>dataset</i> (circle, XOR, Gaussian, spiral, moons; regression: plane, multi-Gaussian),
<i>problem</i> (classification: sigmoid output and binary cross-entropy; regression: linear output and MSE),
<i>noise</i> (std of the noise added), <i>train %</i> (share of points used for training; the rest are <b>validation</b> points, never trained on and
measured after every epoch. They are a validation set, not a test set: watching them while you change settings
is choosing with them, so a final verdict needs fresh points, used once; see notebook 7, section 2).<br>
<b>Network:</b> <i>features</i> (the inputs computed from each point (x₁, x₂); ctrl/shift-click for several),
<i>hidden neurons</i> (one number per hidden layer, e.g. <code>8, 8</code>; empty = no hidden layer),
<i>activation</i> of the hidden layers. These rebuild the network.<br>
<b>Training</b> (change them while it runs, the weights are kept): <i>learning rate</i>, <i>optimizer</i>,
<i>regularization</i> (L1 adds rate·Σ|w|, L2 adds ½·rate·Σw² to the loss) and its <i>rate</i>,
<i>batch size</i> (samples per update).<br>
<b>Colours:</b> points: blue circles class 1, orange squares class 0 (white edge = train, black edge = validation);
background: the network's output P(class 1) (orange 0, white 0.5, blue 1); black line: the decision boundary,
where P(class 1) = 0.5. Regression: a point's colour is its target and the background the network's output, on
the same scale (vermillion −1, white 0, blue +1). Curves: solid = train, dashed = validation. In the network, each square shows that neuron's output over the plane
(blue +, white 0, vermillion −); lines are weights (blue +, vermillion −, thicker = larger |w|); the small square at a neuron's corner is its
bias (colour = sign, size = |b|).<br>
<b>View</b> (the training is not affected): <i>show validation points</i> hides or shows the black-edged
points; <i>discretize output</i> paints the background with the class the network predicts (P ≥ 0.5 blue, else
orange; regression: the sign of the output) instead of the smooth output, so the regions are easier to see.
"""


class Playground:
    """The live trainer widget. Same interface as ``widgets.LiveFigure``: ``.controls``, ``.set(**values)``
    (returns the state), ``.state``, ``.box``, ``.elapsed_ms``; plus ``.tick(n)``, ``.reset()``,
    ``.regenerate()`` and ``.trainer`` (the pure ``Trainer``)."""

    def __init__(self, dataset="circle", hidden=(4, 2), features=("x1", "x2"), activation="tanh", lr=0.03,
                 optimizer="sgd", regularization="none", reg_rate=0.0, batch_size=10, noise=0.0,
                 train_fraction=0.5, epochs_per_tick=5, n_samples=400, seed=0, interval=100,
                 activations=None, optimizers=None, show_validation=True, discretize=False, figsize=None,
                 dpi=None):
        self.trainer = Trainer(dataset=dataset, noise=noise, train_fraction=train_fraction, n_samples=n_samples,
                               features=features, hidden=hidden, activation=activation, lr=lr, optimizer=optimizer,
                               regularization=regularization, reg_rate=reg_rate, batch_size=batch_size,
                               epochs_per_tick=epochs_per_tick, seed=seed, activations=activations,
                               optimizers=optimizers)
        t = self.trainer
        narrow, wide, wider = "210px", "290px", "330px"     # sliders: a track of about 130 px or more
        lrs = sorted(set(LEARNING_RATES) | {lr})
        rates = sorted(set(REG_RATES) | {reg_rate})
        self.controls = {
            "dataset": dropdown(list(DATASETS), dataset, "dataset", width=narrow),
            "problem": dropdown(list(PROBLEMS), t.problem, "problem", width=narrow),
            "noise": slider(noise, 0.0, 0.5, 0.05, "noise", continuous_update=False, width=wide),
            "train_fraction": int_slider(int(round(100 * train_fraction)), 10, 90, "train %", step=10,
                                         continuous_update=False, width=wide),
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
            "batch_size": int_slider(batch_size, 1, 50, "batch size", continuous_update=False, width=wider),
            "epochs_per_tick": int_slider(epochs_per_tick, 1, 10, "epochs per tick", continuous_update=False,
                                          width=wider),
            # the view only: what the output panel shows
            "show_validation": W.Checkbox(value=show_validation, description="show validation points",
                                          indent=False, layout=W.Layout(width=narrow)),
            "discretize": W.Checkbox(value=discretize, description="discretize output", indent=False,
                                     layout=W.Layout(width=narrow)),
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
        # the figure at most at its own pixel size, never enlarged: its text sizes in pt are then sizes on screen
        self.view = PlaygroundView(**{k: v for k, v in (("figsize", figsize), ("dpi", dpi)) if v is not None})
        width = round(self.view.fig.get_figwidth() * self.view.fig.dpi)
        self.image = W.Image(format="png", layout=W.Layout(width="100%", max_width=f"{width}px"))
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
            col(W.HTML("<b>Data</b>"), c["dataset"], c["problem"], c["noise"], c["train_fraction"],
                W.HTML("<b>View</b>"), c["show_validation"], c["discretize"]),
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
        self.view.show_validation, self.view.discretize = show_validation, discretize
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
        self.view.show_validation, self.view.discretize = v["show_validation"], v["discretize"]
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
        # ■ (stop) sets the Play value back to its minimum: that is no tick, so nothing is trained.
        if change["new"] <= change["old"]:
            return
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
            acc = f"validation accuracy <b>{100 * s['val_accuracy']:.1f}%</b> · train {100 * s['accuracy']:.1f}% · "
        else:
            acc = ""
        self.stats.value = (f"<span style='font-size:12px;margin-left:10px'>{acc}validation loss {s['val_loss']:.4g} · "
                            f"train loss {s['loss']:.4g} · {s['iterations_per_epoch']} iterations per epoch</span>")
        if s["diverged"]:
            self.status.value = f"<span style='color:#D55E00'>⚠ {s['diverged']}</span>"

    def _ipython_display_(self):
        display(self.box)
