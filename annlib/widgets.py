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
def forward_trace(net, X):
    """Run ``net`` on X layer by layer and keep everything: ``z`` (output of each Dense layer, before its
    activation), and ``columns``: the values of every column of neurons of the diagram, inputs first,
    then each layer's output after its activation (a Dense layer with no activation after it is its own
    column). Each entry has shape (n, units)."""
    import numpy as np
    from .activations import Activation
    a = np.asarray(X, dtype=float)
    zs, columns = [], [a]
    layers = net.layers
    for k, layer in enumerate(layers):
        a = layer.forward(a)
        if layer.param_names:
            zs.append(a)
            if k == len(layers) - 1 or not isinstance(layers[k + 1], Activation):
                columns.append(a)
        elif isinstance(layer, Activation):
            columns.append(a)
    return {"z": zs, "columns": columns, "output": a}


def forward_explorer(net=None, x1=0.5, x2=-1.0):
    """Forward-pass explorer: two sliders pick an input point x = (x₁, x₂); the diagram shows the value
    of every neuron for that input and the bars show the output probabilities.

    State: ``x`` (2,), ``z`` (list, one (units,) array per Dense layer), ``a`` (list, the value of each
    column after the input), ``columns`` (inputs first), ``probs`` (output row), ``predicted`` (class).
    """
    import numpy as np
    from .network import mlp
    from . import plots
    net = net if net is not None else mlp([2, 3, 2], "tanh", output="softmax", seed=0)
    controls = {"x1": slider(x1, -2, 2, 0.05, "input x₁"), "x2": slider(x2, -2, 2, 0.05, "input x₂")}

    def compute(x1, x2):
        x = np.array([[x1, x2]], dtype=float)
        trace = forward_trace(net, x)
        columns = [c[0] for c in trace["columns"]]
        probs = columns[-1]
        return {"x": x[0], "z": [z[0] for z in trace["z"]], "a": columns[1:], "columns": columns,
                "probs": probs, "predicted": int(np.argmax(probs))}

    def draw(fig, axes, state):
        if not hasattr(fig, "_nb3_axes"):
            fig.clear()
            gs = fig.add_gridspec(1, 2, width_ratios=[2.4, 1])
            fig._nb3_axes = (fig.add_subplot(gs[0]), fig.add_subplot(gs[1]))
        ax_net, ax_prob = fig._nb3_axes
        ax_net.clear()
        ax_prob.clear()
        plots.plot_forward_pass(ax_net, ax_prob, net, state["columns"], state["x"], state["probs"])

    help_text = ("<b>x₁, x₂</b>: the two input features of one sample. Every circle is a neuron; its fill and the "
                 "number above it are its value for this input: inputs, then each hidden neuron's activation "
                 "a = f(z), then the outputs. Fill: <span style='color:#0072B2'>blue</span> positive, white 0, "
                 "<span style='color:#D55E00'>vermillion</span> negative. Lines are the weights (colour = sign, "
                 "thickness = size), small squares the biases. Right: the output probabilities ŷ "
                 "(the hatched bar is the predicted class).")
    return LiveFigure(controls, compute, draw, help=help_text, figsize=(9, 4),
                      title="Forward-pass explorer: follow one input through the network")


def untrained_regions_explorer(dataset="circle", hidden=8, activation="tanh", seed=0, resolution=60):
    """An untrained network's decision regions: hidden size, activation and weight seed of
    ``mlp([2, hidden, 2], activation, output="softmax")``; points of a toy dataset on top.

    State: ``P1`` (resolution, resolution) P(class 1) on the grid, ``accuracy`` on the dataset,
    ``frac_class1`` (share of the plane predicted as class 1), ``n_params``, ``net``, ``X``, ``y``.
    """
    import numpy as np
    from . import plots
    from .data import CLASSIFICATION_SETS, make_dataset
    from .metrics import accuracy
    from .network import mlp
    controls = {
        "dataset": dropdown(sorted(CLASSIFICATION_SETS), dataset, "dataset"),
        "hidden": int_slider(hidden, 1, 32, "hidden neurons", continuous_update=False),
        "activation": dropdown(["relu", "tanh", "sigmoid", "leaky_relu", "identity"], activation, "activation"),
        "seed": int_slider(seed, 0, 50, "weight seed", continuous_update=False),
    }
    _, _, pts = plots.grid(resolution=resolution)

    def compute(dataset, hidden, activation, seed):
        X, y = make_dataset(dataset, n=200, noise=0.05, seed=0)
        net = mlp([2, hidden, 2], activation, output="softmax", seed=seed)
        P1 = net.predict_proba(pts)[:, 1].reshape(resolution, resolution)
        return {"P1": P1, "accuracy": accuracy(y, net.predict(X)), "frac_class1": float(np.mean(P1 > 0.5)),
                "n_params": net.num_parameters(), "net": net, "X": X, "y": y, "dataset": dataset}

    def draw(fig, ax, state):
        ax.clear()
        plots.plot_decision_regions(ax, state["net"].predict_proba, state["X"], state["y"], resolution=resolution)
        ax.set_title(f"untrained network on '{state['dataset']}': accuracy {state['accuracy']:.0%} "
                     f"({state['n_params']} parameters)", fontsize=10)
        ax.legend(loc="upper right", fontsize=8)
        ax.set_aspect("equal")

    help_text = ("A network with random weights, <b>not trained</b>. <b>hidden neurons</b>: size of its one hidden "
                 "layer; <b>activation</b>: the hidden layer's f; <b>weight seed</b>: which random weights. "
                 "Background: the network's P(class 1) at every point, <span style='color:#E69F00'>orange</span> "
                 "= class 0, white = 0.5, <span style='color:#0072B2'>blue</span> = class 1; black line: the "
                 "decision boundary P = 0.5. Points: the dataset (orange circles class 0, blue squares class 1).")
    return LiveFigure(controls, compute, draw, help=help_text, figsize=(5.5, 5),
                      title="Decision regions of an untrained network")


# ==============================================================================================
# Notebook 4 (section owned by the notebook 4 lesson; add its functions below this line)
# ==============================================================================================
def line_fit_data(outlier=False):
    """The points of the line-fit widget: 10 points near y = 0.5·x + 1 (x from 0 to 4.5), plus, if
    ``outlier``, one point far below the line. Returns (x, y, outlier_index or None)."""
    import numpy as np
    rng = np.random.default_rng(7)
    x = np.linspace(0, 4.5, 10)
    y = 0.5 * x + 1 + 0.2 * rng.standard_normal(10)
    if not outlier:
        return x, y, None
    return np.append(x, 3.8), np.append(y, -2.0), 10


def regression_losses(r, delta=1.0):
    """Mean MSE, MAE and Huber loss of residuals ``r`` (last axis = the points). Broadcasts over lines."""
    import numpy as np
    a = np.abs(r)
    return {"MSE": np.mean(r ** 2, axis=-1), "MAE": np.mean(a, axis=-1),
            "Huber": np.mean(np.where(a <= delta, 0.5 * r ** 2, delta * (a - 0.5 * delta)), axis=-1)}


def best_lines(x, y, delta=1.0):
    """The best (slope, intercept) for each loss, by brute force on a grid of lines (slope step 0.02,
    intercept step 0.02): no calculus needed, and the same search for every loss."""
    import numpy as np
    slopes = np.arange(-1.0, 2.0 + 1e-9, 0.02)
    intercepts = np.arange(-1.0, 3.0 + 1e-9, 0.02)
    S, B = np.meshgrid(slopes, intercepts, indexing="ij")
    r = S[..., None] * x + B[..., None] - y                  # (n_slopes, n_intercepts, n_points)
    out = {}
    for name, L in regression_losses(r, delta).items():
        i, j = np.unravel_index(int(np.argmin(L)), L.shape)
        out[name] = (round(float(slopes[i]), 4), round(float(intercepts[j]), 4))
    return out


def line_fit_explorer(slope=0.2, intercept=0.5, outlier=False, delta=1.0):
    """Fit a line by hand: sliders for slope and intercept, each squared error drawn as a square, and the
    MSE, MAE and Huber loss of the line. The outlier box adds one bad point: the best MSE line swings
    towards it, the MAE and Huber lines hardly move.

    State: ``residuals`` (ŷ − y per point), ``losses`` {"MSE", "MAE", "Huber"} of your line, ``best``
    {loss: (slope, intercept)} best line per loss, ``outlier_share`` {loss: fraction of that loss that
    comes from the outlier (0 without it)}, ``x``, ``y``, ``outlier_index``.
    """
    import numpy as np
    from . import plots
    controls = {"slope": slider(slope, -1, 2, 0.05, "slope"), "intercept": slider(intercept, -1, 3, 0.05, "intercept"),
                "outlier": W.Checkbox(value=outlier, description="add an outlier", indent=False)}
    cache = {}

    def compute(slope, intercept, outlier):
        if outlier not in cache:
            x, y, k = line_fit_data(outlier)
            cache[outlier] = (x, y, k, best_lines(x, y, delta))
        x, y, k, best = cache[outlier]
        r = slope * x + intercept - y
        losses = {name: float(v) for name, v in regression_losses(r, delta).items()}
        per_point = regression_losses(r[:, None], delta)          # each point's own loss
        share = {name: (float(v[k]) / float(np.sum(v)) if k is not None and np.sum(v) > 0 else 0.0)
                 for name, v in per_point.items()}
        return {"residuals": r, "losses": losses, "best": best, "outlier_share": share, "x": x, "y": y,
                "outlier_index": k, "slope": slope, "intercept": intercept}

    def draw(fig, axes, state):
        if not hasattr(fig, "_nb4_axes"):
            fig.clear()
            gs = fig.add_gridspec(1, 2, width_ratios=[2.2, 1])
            fig._nb4_axes = (fig.add_subplot(gs[0]), fig.add_subplot(gs[1]))
        ax_fit, ax_bar = fig._nb4_axes
        ax_fit.clear()
        ax_bar.clear()
        plots.plot_line_fit(ax_fit, state["x"], state["y"], state["slope"], state["intercept"], fits=state["best"],
                            outlier_index=state["outlier_index"])
        ax_fit.set_title("fit a line: each square's area is one squared error")
        plots.plot_loss_values(ax_bar, state["losses"])

    help_text = ("<b>slope</b>, <b>intercept</b>: your line ŷ = slope·x + intercept (black). Each "
                 "<span style='color:#0072B2'>blue square</span> has side |ŷ − y|, so its area is that point's "
                 "squared error; the MSE is their mean area. The thin lines are the best lines for MSE "
                 "(blue dashed), MAE (orange dotted) and Huber with δ = 1 (green dash-dot). <b>add an outlier</b>: one "
                 "point far off (red ✕). Right: the three losses of your line.")
    return LiveFigure(controls, compute, draw, help=help_text, figsize=(9.5, 4.6),
                      title="Fit a line by hand: MSE, MAE and Huber")


def ce_vs_mse_explorer(p=0.3):
    """Slide the predicted probability p of the true class: cross-entropy −ln p against the MSE (1 − p)²,
    and the gradient each sends to the logit z behind p = sigmoid(z): cross-entropy's |p − 1| stays large
    for confident mistakes, the MSE's 2(1 − p)·p(1 − p) vanishes as p → 0.

    State: ``p``, ``loss_ce``, ``loss_mse``, ``grad_ce`` (dL/dz), ``grad_mse`` (dL/dz), and the curves
    ``p_grid``, ``ce_curve``, ``mse_curve``, ``ce_grad_curve``, ``mse_grad_curve``.
    """
    import numpy as np
    controls = {"p": slider(p, 0.01, 0.99, 0.01, "p = predicted probability of the true class", width="420px")}
    p_grid = np.linspace(0.005, 0.995, 199)

    def ce(q):
        return -np.log(q), q - 1.0                         # loss, dL/dz for p = sigmoid(z), y = 1

    def mse(q):
        return (1.0 - q) ** 2, -2.0 * (1.0 - q) * q * (1.0 - q)

    ce_curve, ce_grad_curve = ce(p_grid)
    mse_curve, mse_grad_curve = mse(p_grid)

    def compute(p):
        loss_ce, grad_ce = ce(p)
        loss_mse, grad_mse = mse(p)
        return {"p": float(p), "loss_ce": float(loss_ce), "grad_ce": float(grad_ce), "loss_mse": float(loss_mse),
                "grad_mse": float(grad_mse), "p_grid": p_grid, "ce_curve": ce_curve, "mse_curve": mse_curve,
                "ce_grad_curve": ce_grad_curve, "mse_grad_curve": mse_grad_curve}

    def draw(fig, axes, state):
        for ax in axes:
            ax.clear()
        from . import plots
        plots.plot_ce_vs_mse(axes[0], axes[1], state)

    help_text = ("The true class is 1; the network says it has probability <b>p</b> = sigmoid(z). Left: the loss "
                 "for that prediction, cross-entropy −ln p (blue, solid, circle) and squared error (1 − p)² "
                 "(vermillion, dashed, square). Right: how strongly each loss pushes the logit z, |dL/dz|. "
                 "Small p = a confident mistake.")
    return LiveFigure(controls, compute, draw, help=help_text, figsize=(10, 4), ncols=2,
                      title="Cross-entropy or squared error for a probability?")


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
