"""Live controls for the notebooks (ipywidgets + the inline matplotlib backend).

Every widget follows one pattern, ``LiveFigure``:

    controls (sliders, dropdowns)  ->  compute(**values) -> state   (pure: numbers only, no drawing)
                                   ->  draw(fig, state)             (updates the figure)

``compute`` is what tests and the notebooks' ``assert`` cells call; it runs without a browser. A
notebook changes a control in code and reads back the state it produced:

    w = widgets.activation_explorer()
    w                                   # shows the controls and the figure
    state = w.set(activation="tanh")    # same as moving the control by hand
    assert state["df"].max() == 1.0

The figure is built once (``matplotlib.figure.Figure``, not pyplot, so it never shows twice) and redrawn
into an ``Output`` widget after each change.
"""
import time

import ipywidgets as W
from IPython.display import display

from .plots import figure


def _label(text, width="auto"):
    return W.HTML(f"<span style='font-size:12px;color:#333'>{text}</span>", layout=W.Layout(width=width))


class LiveFigure:
    """Controls -> pure ``compute`` -> ``draw`` on one figure. See the module docstring.

    controls   {name: ipywidgets control}; names are ``compute``'s keyword arguments
    compute    f(**values) -> state (a dict)
    draw       f(fig, axes, state): draw the state (clear and redraw, or update artists)
    help       HTML shown above the controls: what each control does and what the colours mean
    """

    def __init__(self, controls, compute, draw, help="", figsize=(8, 4), nrows=1, ncols=1, title=None,
                 subplot_kw=None, extra=None):
        self.controls, self.compute, self.draw = controls, compute, draw
        self.fig, self.axes = figure(nrows, ncols, figsize=figsize, subplot_kw=subplot_kw)
        self.output = W.Output()
        self.status = W.HTML()
        self._holding = False
        self.elapsed_ms = None
        for control in controls.values():
            control.observe(self._on_change, names="value")
        header = [W.HTML(f"<b>{title}</b>")] if title else []
        help_box = [W.HTML(f"<div style='font-size:12px;line-height:1.4;color:#333'>{help}</div>")] if help else []
        self.box = W.VBox(header + help_box + [W.HBox(list(controls.values()), layout=W.Layout(flex_flow="row wrap")),
                                              *(extra or []), self.status, self.output])
        self.box.add_class("annlib-widget")
        self.state = None
        self.update()

    def values(self):
        return {name: control.value for name, control in self.controls.items()}

    def set(self, **values):
        """Set controls as a user would (one redraw at the end) and return the new state."""
        unknown = set(values) - set(self.controls)
        if unknown:
            raise KeyError(f"No control named {sorted(unknown)}; this widget has {sorted(self.controls)}.")
        self._holding = True
        try:
            for name, value in values.items():
                self.controls[name].value = value
        finally:
            self._holding = False
        self.update()
        return self.state

    def _on_change(self, change):
        if not self._holding:
            self.update()

    def update(self):
        """Recompute the state from the controls and redraw."""
        start = time.perf_counter()
        try:
            self.state = self.compute(**self.values())
            self.status.value = ""
        except (ValueError, TypeError, FloatingPointError) as e:     # bad settings: say so, keep going
            self.status.value = f"<span style='color:#D55E00'>⚠ {e}</span>"
            return
        self.redraw()
        self.elapsed_ms = 1000 * (time.perf_counter() - start)

    def redraw(self):
        self.draw(self.fig, self.axes, self.state)
        with self.output:
            self.output.clear_output(wait=True)
            display(self.fig)

    def _ipython_display_(self):
        display(self.box)


def slider(value, min, max, step, description, log=False, continuous_update=True, readout_format=None, width="300px"):
    """A labelled float slider (``log=True``: the slider moves the exponent, value = 10**exponent)."""
    style = {"description_width": "initial"}
    layout = W.Layout(width=width)
    if log:
        return W.FloatLogSlider(value=value, base=10, min=min, max=max, step=step, description=description,
                                continuous_update=continuous_update, style=style, layout=layout,
                                readout_format=readout_format or ".2g")
    return W.FloatSlider(value=value, min=min, max=max, step=step, description=description,
                         continuous_update=continuous_update, style=style, layout=layout,
                         readout_format=readout_format or ".2f")


def int_slider(value, min, max, description, step=1, continuous_update=True, width="300px"):
    return W.IntSlider(value=value, min=min, max=max, step=step, description=description,
                       continuous_update=continuous_update, style={"description_width": "initial"},
                       layout=W.Layout(width=width))


def dropdown(options, value, description, width="260px"):
    return W.Dropdown(options=options, value=value, description=description,
                      style={"description_width": "initial"}, layout=W.Layout(width=width))


# ==============================================================================================
# Notebook 1 (section owned by the notebook 1 lesson; add its functions below this line)
# ==============================================================================================


# ==============================================================================================
# Notebook 2 (section owned by the notebook 2 lesson; add its functions below this line)
# ==============================================================================================


# ==============================================================================================
# Notebook 3 (section owned by the notebook 3 lesson; add its functions below this line)
# ==============================================================================================


# ==============================================================================================
# Notebook 4 (section owned by the notebook 4 lesson; add its functions below this line)
# ==============================================================================================


# ==============================================================================================
# Notebook 5 (section owned by the notebook 5 lesson; add its functions below this line)
# ==============================================================================================


# ==============================================================================================
# Notebook 6 (section owned by the notebook 6 lesson; add its functions below this line)
# ==============================================================================================


# ==============================================================================================
# Notebook 7 (section owned by the notebook 7 lesson; add its functions below this line)
# ==============================================================================================
def playground(dataset="circle", hidden=(4, 2), features=("x1", "x2"), activation="tanh", lr=0.03,
               optimizer="sgd", regularization="none", reg_rate=0.0, batch_size=10, noise=0.0, train_fraction=0.5,
               epochs_per_tick=5, seed=0, activations=None, optimizers=None, **kwargs):
    """The live trainer of notebook 7 (TensorFlow-Playground style); see ``annlib/playground.py``.

    Press ▶ to train, ❚❚ to pause. In code: ``pg.tick(n)`` trains n ticks of ``epochs_per_tick`` epochs,
    ``pg.set(lr=0.1)`` changes a control (training settings keep the weights), ``pg.reset()`` restarts
    from the same initial weights, ``pg.regenerate()`` draws new data. Each returns the state dict
    (``epoch``, ``loss``, ``val_loss``, ``accuracy``, ``val_accuracy``, ``curves``, ``params``, ...).

    activations  {name: (f, df)} your own activation functions, added to the activation menu
    optimizers   {name: step} your own update rule ``step(param, grad, lr) -> new param`` (or an
                 annlib Optimizer), added to the optimizer menu
    """
    from .playground import Playground
    return Playground(dataset=dataset, hidden=hidden, features=features, activation=activation, lr=lr,
                      optimizer=optimizer, regularization=regularization, reg_rate=reg_rate, batch_size=batch_size,
                      noise=noise, train_fraction=train_fraction, epochs_per_tick=epochs_per_tick, seed=seed,
                      activations=activations, optimizers=optimizers, **kwargs)
