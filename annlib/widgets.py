"""Live controls for the notebooks (ipywidgets + the inline matplotlib backend).

Every widget follows one pattern, ``LiveFigure``:

    controls (sliders, dropdowns)  ->  compute(**values) -> state   (pure: numbers only, no drawing)
                                   ->  draw(fig, state)             (updates the figure)

``compute`` is what tests and the notebooks' ``assert`` cells call; it runs without a browser. A
notebook changes a control in code and reads back the state it produced:

    w = widgets.activation_explorer()
    w                                   # shows the controls and the figure
    state = w.set(activations=("tanh",))    # same as moving the control by hand
    assert state["df"]["tanh"].max() == 1.0

The figure is built once (``matplotlib.figure.Figure``, not pyplot, so it never shows twice) and redrawn
into an ``Output`` widget after each change.
"""
import io
import time

import ipywidgets as W
from IPython.display import Image, display

from .plots import figure


def render_png(fig):
    """The figure as PNG bytes, rendered once. The layout is computed on the first render and then
    kept, so later redraws skip it (together that roughly halves the time of a redraw; the inline
    backend's display(fig) would render twice, once only to find a tight bounding box)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", pil_kwargs={"compress_level": 1})    # light compression: faster
    if fig.get_layout_engine() is not None:
        fig.set_layout_engine(None)     # None, not "none": any engine makes savefig render a second time
    return buf.getvalue()


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
        self.png = render_png(self.fig)
        with self.output:
            self.output.clear_output(wait=True)
            display(Image(data=self.png, format="png"))

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
import numpy as np  # noqa: E402  (imports of the notebook 1 and 2 widgets, kept in their section)

from . import plots  # noqa: E402
from .activations import get_activation, softmax  # noqa: E402
from .layers import Dense, Normal  # noqa: E402
from .network import Sequential, mlp  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

# Choices of the initialization widget: key -> (label, initializer).
NB1_INIT_CHOICES = {
    "tiny": ("normal, std 0.01 (too small)", lambda: Normal(0.01)),
    "large": ("normal, std 1 (too large)", lambda: Normal(1.0)),
    "xavier_uniform": ("Xavier/Glorot uniform", lambda: "xavier_uniform"),
    "xavier_normal": ("Xavier/Glorot normal", lambda: "xavier_normal"),
    "he_normal": ("He normal", lambda: "he_normal"),
    "he_uniform": ("He uniform", lambda: "he_uniform"),
    "lecun_normal": ("LeCun normal", lambda: "lecun_normal"),
    "zeros": ("zeros", lambda: "zeros"),
}
HIDDEN_ACTIVATIONS = ["tanh", "sigmoid", "relu", "leaky_relu", "elu", "gelu", "silu", "identity"]


def deep_activations(initializer="tiny", activation="tanh", depth=8, width=100, n=500, seed=0):
    """Pure compute of the initialization widget: a stack of ``depth`` layers Dense(width, width) +
    activation, initialized with ``initializer`` (a key of NB1_INIT_CHOICES, a name or an Initializer), fed a
    batch of n standard-normal inputs (n, width). Returns a state dict with every layer's activations
    (n, width) and their standard deviations."""
    if not (1 <= depth <= 20 and 1 <= width <= 1000):
        raise ValueError(f"depth must be 1..20 and width 1..1000, got depth={depth}, width={width}.")
    init = NB1_INIT_CHOICES[initializer][1]() if initializer in NB1_INIT_CHOICES else initializer
    rng = np.random.default_rng(seed)
    layers = []
    for _ in range(depth):
        layers += [Dense(width, width, init=init, seed=rng), get_activation(activation)]
    net = Sequential(layers)
    X = rng.standard_normal((n, width))
    acts = plots.layer_activations(net, X)
    stds = np.array([a.std() for a in acts])
    bounded = {"tanh": (-1.0, 1.0), "sigmoid": (0.0, 1.0)}
    if activation in bounded:
        value_range = bounded[activation]
    else:
        low = min(float(a.min()) for a in acts)
        high = max(float(a.max()) for a in acts)
        value_range = (low, high) if high > low else (low - 1, high + 1)
    histograms = [np.histogram(a, bins=40, range=value_range) for a in acts]     # (counts, edges) per layer
    return {"initializer": initializer, "activation": activation, "depth": depth, "width": width,
            "activations": acts, "stds": stds, "range": value_range, "histograms": histograms,
            "ratio_last_first": float(stds[-1] / stds[0]) if stds[0] > 0 else float("nan")}


def init_histograms(initializer="tiny", activation="tanh", depth=8, width=100):
    """Widget (notebook 1): choose the initializer, activation, depth and width of a deep network and see
    the histogram of each layer's activations for a batch of random inputs (vanishing / exploding)."""
    controls = {
        "initializer": dropdown([(label, key) for key, (label, _) in NB1_INIT_CHOICES.items()], initializer,
                                "initializer", width="330px"),
        "activation": dropdown(HIDDEN_ACTIVATIONS, activation, "activation", width="220px"),
        "depth": int_slider(depth, 1, 10, "depth (layers)", continuous_update=False, width="260px"),
        "width": int_slider(width, 10, 250, "width (neurons per layer)", step=10, continuous_update=False,
                            width="330px"),
    }

    bars = []       # one filled step histogram per panel, made once and then updated (fast redraw)

    def draw(fig, axes, state):
        flat = axes.ravel()
        if not bars:
            for k, ax in enumerate(flat):
                bars.append(ax.stairs(np.zeros(40), np.linspace(0, 1, 41), fill=True, color=plots.PALETTE[0],
                                      alpha=0.85))
                ax.set_yticks([])
                if k % (len(flat) // 2) == 0:
                    ax.set_ylabel("count", fontsize=8)      # number of activations per bin (first panel of a row)
                ax.grid(False)
                ax.tick_params(labelsize=7)
                ax.ticklabel_format(axis="x", style="sci", scilimits=(-3, 4))
                ax.xaxis.get_offset_text().set_fontsize(7)
                ax.xaxis.set_major_locator(MaxNLocator(4, steps=[1, 2, 2.5, 5, 10]))   # few labels: text is most of the drawing time
        for k, ax in enumerate(flat):
            ax.set_visible(k < state["depth"])
            # the x-axis is shared: numbers only under the lowest visible panel of each column (less to render)
            lowest = k + len(flat) // 2 >= state["depth"] or k >= len(flat) // 2
            ax.tick_params(labelbottom=lowest)
            ax.set_xlabel("activation a" if lowest else "", fontsize=8)
            if k < state["depth"]:
                counts, edges = state["histograms"][k]
                bars[k].set_data(counts, edges)
                ax.set_xlim(*state["range"])
                ax.set_ylim(0, 1.05 * counts.max())
                ax.set_title(f"layer {k + 1}\nstd {state['stds'][k]:.2g}", fontsize=9)
        label = NB1_INIT_CHOICES.get(state["initializer"], (str(state["initializer"]),))[0]
        fig.suptitle(f"Activations of each layer ({state['activation']}, {label}, width {state['width']}, "
                     f"500 random inputs): last/first std = {state['ratio_last_first']:.2g}", fontsize=11)

    help = ("Each panel is one hidden layer (left to right, then the second row): the histogram of its "
            "activations a = f(z) for 500 random inputs x ~ N(0, 1). All panels share one x-axis, and the title "
            "gives each layer's standard deviation (its spread). <b>initializer</b>: how the weights W start; "
            "<b>activation</b>: f in every layer; <b>depth</b>: number of layers (1–10); <b>width</b>: neurons per "
            "layer. A spike at 0 in the later layers = <i>vanishing</i> activations; piles at ±1 (tanh) or huge "
            "values = <i>saturating / exploding</i> ones. Depth and width apply when you release the slider.")
    return LiveFigure(controls, deep_activations, draw, help=help, figsize=(11, 4.6), nrows=2, ncols=5,
                      title="Initialization: what happens to the activations layer by layer")


def architecture_state(n_inputs=2, hidden1=4, hidden2=3, n_outputs=1):
    """Pure compute of the architecture widget: the real annlib network for these layer sizes
    (hidden2 = 0: no second hidden layer) and its parameter count, per layer and in total."""
    sizes = [n_inputs, hidden1] + ([hidden2] if hidden2 else []) + [n_outputs]
    net = mlp(sizes, activation="tanh", seed=0)
    table = plots.parameter_table(sizes)
    return {"sizes": sizes, "net": net, "table": table, "by_hand": sum(w + b for *_, w, b in table),
            "n_parameters": net.num_parameters()}


def architecture_builder(n_inputs=2, hidden1=4, hidden2=3, n_outputs=1):
    """Widget (notebook 1): sliders for the layer sizes of a small network -> its diagram and parameter count."""
    controls = {
        "n_inputs": int_slider(n_inputs, 1, 6, "inputs"),
        "hidden1": int_slider(hidden1, 1, 12, "hidden layer 1"),
        "hidden2": int_slider(hidden2, 0, 12, "hidden layer 2 (0 = none)"),
        "n_outputs": int_slider(n_outputs, 1, 5, "outputs"),
    }

    def draw(fig, axes, state):
        ax, ax_text = axes
        ax.clear()
        ax_text.clear()
        plots.draw_network(ax, state["net"])
        ax.set_title(" → ".join(map(str, state["sizes"])) + " network")
        lines = ["parameters per layer", "n_in·n_out weights + n_out biases", ""]
        lines += [f"layer {k + 1}: {i}·{o} + {o} = {w + b}" for k, (i, o, w, b) in enumerate(state["table"])]
        lines += ["", f"total: {state['n_parameters']} parameters"]
        ax_text.text(0.02, 0.95, "\n".join(lines), transform=ax_text.transAxes, ha="left", va="top", fontsize=11,
                     family="monospace", linespacing=1.5)
        ax_text.axis("off")

    help = ("Move the sliders to change how many neurons each layer has. The diagram is drawn from the real "
            "annlib network (<code>mlp(sizes)</code>): circles are neurons, lines are weights (blue solid positive, "
            "vermillion dashed negative, thicker = larger |w|), small squares are biases (all 0 at the start). Layers "
            "with more than 8 neurons are summarised ('+k more'). The box counts the parameters layer by layer: "
            "n_in·n_out weights + n_out biases.")
    return LiveFigure(controls, architecture_state, draw, help=help, figsize=(11, 4.6), ncols=2,
                      title="Build a network: diagram and parameter count")



# ==============================================================================================
# Notebook 2 (section owned by the notebook 2 lesson; add its functions below this line)
# ==============================================================================================
CATALOGUE = ["sigmoid", "tanh", "relu", "leaky_relu", "elu", "gelu", "softplus", "silu", "identity"]
# Colours in order of use, the hard-to-see yellow last; past 8 activations, markers tell lines apart.
EXPLORER_COLORS = [plots.OKABE_ITO[c] for c in ("blue", "orange", "green", "vermillion", "purple", "sky", "black")] + [
    "#777777", plots.OKABE_ITO["yellow"]]
SATURATION = 0.05      # "saturated": |f'(x)| below 5% of its largest value on the plotted range


def _activation_table(custom):
    """{name: Activation} for the catalogue plus the student's own (custom: {name: (f, df) or Activation})."""
    table = {name: get_activation(name) for name in CATALOGUE}
    for name, act in (custom or {}).items():
        table[name] = get_activation(act)
    return table


def activation_explorer(selected=("sigmoid", "tanh", "relu"), x_max=5.0, custom=None):
    """Widget (notebook 2): pick one or several activations and the x-range; see f (left) and its
    derivative f' (right), with the regions where f' is almost 0 (saturation) shaded.
    ``custom``: your own activations, {name: (f, df)} or {name: annlib.Custom(...)}, added to the list."""
    table = _activation_table(custom)
    names = list(table)
    if isinstance(selected, str):
        selected = (selected,)
    controls = {
        "activations": W.SelectMultiple(options=names, value=tuple(selected), rows=min(len(names), 6),
                                        description="activations", style={"description_width": "initial"},
                                        layout=W.Layout(width="260px")),
        "x_max": slider(x_max, 1.0, 20.0, 0.5, "x range ±"),
    }

    def compute(activations, x_max):
        if not activations:
            raise ValueError("pick at least one activation (Ctrl/Cmd-click to pick several)")
        x = np.linspace(-x_max, x_max, 801)
        f, df, saturated, spans = {}, {}, {}, {}
        with np.errstate(over="ignore", invalid="ignore"):
            for name in activations:
                act = table[name]
                f[name] = np.asarray(act.f(x), dtype=float)
                df[name] = np.asarray(act.df(x), dtype=float)
                top = np.nanmax(np.abs(df[name]))
                saturated[name] = np.abs(df[name]) < SATURATION * top if top > 0 else np.ones_like(x, bool)
                spans[name] = plots.regions(x, saturated[name])
        return {"x": x, "f": f, "df": df, "saturated": saturated, "spans": spans, "activations": tuple(activations)}

    def draw(fig, axes, state):
        ax_f, ax_df = axes
        for ax in axes:
            ax.clear()
        x = state["x"]
        for name in state["activations"]:
            k = names.index(name)
            color, style = EXPLORER_COLORS[k % len(EXPLORER_COLORS)], plots.LINESTYLES[k % len(plots.LINESTYLES)]
            marker = dict(marker=plots.MARKERS[k % 8], markevery=100) if k >= len(plots.LINESTYLES) else {}
            ax_f.plot(x, state["f"][name], color=color, linestyle=style, label=name, **marker)
            ax_df.plot(x, state["df"][name], color=color, linestyle=style, label=f"{name}'", **marker)
            plots.shade_regions(ax_f, state["spans"][name], color, alpha=0.1)
            few = len(state["activations"]) <= 3            # with many curves, a legend entry per band is too much
            plots.shade_regions(ax_df, state["spans"][name], color, alpha=0.1, label=f"{name}: f' ≈ 0" if few else None)
        for ax, title, ylabel in ((ax_f, "activation f(x)", "output a = f(x)"),
                                  (ax_df, "derivative f'(x)  (shaded: |f'| < 5% of its max)", "slope f'(x)")):
            ax.axhline(0, color="#888888", linewidth=0.8)
            ax.axvline(0, color="#888888", linewidth=0.8)
            ax.set_title(title)
            ax.set_xlabel("input x (pre-activation z)")
            ax.set_ylabel(ylabel)
            ax.set_xlim(x[0], x[-1])
            ax.legend(loc="upper left", fontsize=8 if len(state["activations"]) <= 4 else 7,
                      ncol=1 if len(state["activations"]) <= 4 else 2)
        fmin = min(np.nanmin(v) for v in state["f"].values())
        fmax = max(np.nanmax(v) for v in state["f"].values())
        pad = 0.05 * (fmax - fmin or 1)
        ax_f.set_ylim(fmin - pad, fmax + pad)

    help = ("<b>activations</b>: pick one or several (Ctrl/Cmd-click); each keeps its colour and line style. "
            "<b>x range</b>: the plot shows x from −range to +range. Left: the activation f(x); right: its "
            "derivative f'(x), the factor by which backpropagation multiplies the gradient. Shaded bands (in the "
            "activation's colour): where |f'(x)| is below 5% of its largest value, i.e. where the unit is "
            "saturated (or dead) and almost no gradient flows through it.")
    return LiveFigure(controls, compute, draw, help=help, figsize=(11, 4.2), ncols=2,
                      title="Activation explorer: f and f' side by side")


NEURON_ACTIVATIONS = ["sigmoid", "tanh", "relu", "step", "identity"]


def neuron_state(w1=1.0, w2=0.5, b=0.0, activation="sigmoid", extent=(-2.0, 2.0, -2.0, 2.0), resolution=121):
    """Pure compute of the single-neuron widget: a = f(w₁x₁ + w₂x₂ + b) on a grid over the plane."""
    act = get_activation(activation)
    xs = np.linspace(extent[0], extent[1], resolution)
    ys = np.linspace(extent[2], extent[3], resolution)
    x1, x2 = np.meshgrid(xs, ys)
    z = w1 * x1 + w2 * x2 + b
    a = act.f(z)
    return {"w": (w1, w2), "b": b, "activation": activation, "x1": x1, "x2": x2, "z": z, "a": a,
            "extent": extent, "line": plots.boundary_line((w1, w2), b, extent),
            "fraction_positive": float(np.mean(z > 0))}


def neuron_plane(w1=1.0, w2=0.5, b=0.0, activation="sigmoid"):
    """Widget (notebook 2): one neuron with two inputs. Sliders for w₁, w₂, b and a dropdown for f ->
    heatmap of its output over the input plane with the line w·x + b = 0."""
    controls = {
        "w1": slider(w1, -3, 3, 0.1, "weight w₁"),
        "w2": slider(w2, -3, 3, 0.1, "weight w₂"),
        "b": slider(b, -3, 3, 0.1, "bias b"),
        "activation": dropdown(NEURON_ACTIVATIONS, activation, "activation f", width="220px"),
    }
    artists = {}
    ranges = {"sigmoid": (0, 1), "tanh": (-1, 1), "step": (0, 1)}

    def draw(fig, ax, state):
        ax.clear()
        vmin, vmax = ranges.get(state["activation"], (float(state["a"].min()), float(state["a"].max())))
        if vmax <= vmin:
            vmax = vmin + 1
        img = plots.plot_neuron_plane(ax, state["a"], state["extent"], state["w"], state["b"], vmin=vmin, vmax=vmax)
        if "colorbar" not in artists:
            artists["colorbar"] = fig.colorbar(img, ax=ax, label="neuron output a")
            # a fixed place for the label, right of the widest tick labels ("-12.5"): the layout is fixed after the
            # first draw, and a label placed after the ticks would move off the figure when they grow wider
            artists["colorbar"].ax.yaxis.set_label_coords(4.5, 0.5)
        else:
            artists["colorbar"].update_normal(img)
        (w1, w2), b = state["w"], state["b"]
        ax.set_title(f"a = {state['activation']}({w1:.1f}·x₁ + {w2:.1f}·x₂ + {b:.1f})")
        if state["line"] is not None:
            ax.legend(loc="lower left", fontsize=8)

    help = ("One neuron with two inputs computes z = w₁x₁ + w₂x₂ + b and outputs a = f(z). The colour is a at "
            "each point (x₁, x₂) of the plane (yellow high, dark blue low; scale on the right). The dashed black "
            "line is where z = 0; the white arrow is the weight vector w = (w₁, w₂), pointing to where z grows. "
            "<b>w₁, w₂</b> turn and steepen the boundary, <b>b</b> shifts it, <b>activation f</b> decides "
            "whether the change across the line is sharp (step), soft (sigmoid, tanh) or a ramp (ReLU).")
    return LiveFigure(controls, neuron_state, draw, help=help, figsize=(6.2, 4.8),
                      title="A single neuron splits the plane in two")


def softmax_state(z1=2.0, z2=1.0, z3=0.1, z4=-1.0, temperature=1.0):
    """Pure compute of the softmax widget: p = softmax(z / T) for the logits z and temperature T."""
    if not temperature > 0:
        raise ValueError(f"the temperature must be > 0, got {temperature}")
    z = np.array([z1, z2, z3, z4], dtype=float)
    p = softmax(z[None, :] / temperature)[0]
    entropy = float(-np.sum(p * np.log(np.maximum(p, 1e-300))))
    return {"z": z, "temperature": temperature, "p": p, "entropy": entropy, "argmax": int(np.argmax(p))}


def softmax_explorer(z=(2.0, 1.0, 0.1, -1.0), temperature=1.0):
    """Widget (notebook 2): sliders for 4 logits and a temperature -> bar charts of z and softmax(z / T)."""
    controls = {f"z{k + 1}": slider(v, -5, 5, 0.1, f"logit z{k + 1}", width="260px") for k, v in enumerate(z)}
    controls["temperature"] = slider(temperature, -1, 1, 0.05, "temperature T", log=True)
    labels = [f"class {k + 1}" for k in range(4)]

    def draw(fig, axes, state):
        ax_z, ax_p = axes
        for ax in axes:
            ax.clear()
        colors = [plots.PALETTE[k] for k in range(4)]
        for bar, hatch in zip(ax_z.bar(labels, state["z"], color=colors, edgecolor="#222222"), ["", "//", "..", "xx"]):
            bar.set_hatch(hatch)
        ax_z.axhline(0, color="#888888", linewidth=0.8)
        ax_z.set_ylim(-5.5, 5.5)
        ax_z.set_ylabel("logit z (any real number)")
        ax_z.set_title("logits z")
        bars = plots.plot_softmax_bars(ax_p, state["p"], labels)
        for bar, color, hatch in zip(bars, colors, ["", "//", "..", "xx"]):
            bar.set_facecolor(color)
            bar.set_hatch(hatch)
        ax_p.set_title(f"p = softmax(z / T), T = {state['temperature']:.2g}  (sums to {state['p'].sum():.3f})")

    help = ("<b>logit z1…z4</b>: the scores a network's last layer gives four classes. <b>temperature T</b> "
            "(log scale, 0.1 to 10): softmax is applied to z / T. Left: the logits; right: the probabilities "
            "p_k = e^(z_k/T) / Σ_j e^(z_j/T) (each class keeps its colour and pattern). Adding the same number to "
            "every logit changes nothing; a small T sharpens p towards the largest logit, a large T flattens it.")
    return LiveFigure(controls, softmax_state, draw, help=help, figsize=(10, 3.8), ncols=2,
                      title="Softmax explorer: from scores to probabilities")



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
        plots.plot_forward_pass(ax_net, ax_prob, net, state["columns"], state["x"], state["probs"], z=state["z"])

    help_text = ("<b>x₁, x₂</b>: the two input features of one sample. Every circle is a neuron; its fill and the "
                 "number above it are its value for this input: inputs, then each hidden neuron's activation "
                 "a = f(z), then the outputs (the pre-activations z of each layer are listed under the title). Fill: <span style='color:#0072B2'>blue</span> positive, white 0, "
                 "<span style='color:#D55E00'>vermillion</span> negative. Lines are the weights (colour = sign, "
                 "thickness = size), small squares the biases. Right: the output probabilities ŷ "
                 "(the hatched bar is the predicted class; bar colours are the classes, orange class 0 and blue class 1 as "
                 "in the decision-region plots, not signs).")
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


def regression_losses(r, delta=1.0, my_loss=None):
    """Mean MSE, MAE and Huber loss of residuals ``r`` (last axis = the points). Broadcasts over lines.
    ``my_loss``: your own loss of one error, ℓ(d) element by element; added as "yours"."""
    import numpy as np
    a = np.abs(r)
    out = {"MSE": np.mean(r ** 2, axis=-1), "MAE": np.mean(a, axis=-1),
           "Huber": np.mean(np.where(a <= delta, 0.5 * r ** 2, delta * (a - 0.5 * delta)), axis=-1)}
    if my_loss is not None:
        out["yours"] = np.mean(np.asarray(my_loss(r), dtype=float), axis=-1)
    return out


def best_lines(x, y, delta=1.0, my_loss=None):
    """The best (slope, intercept) for each loss, by brute force on a grid of lines (slope step 0.02,
    intercept step 0.02): no calculus needed, and the same search for every loss."""
    import numpy as np
    slopes = np.arange(-1.0, 2.0 + 1e-9, 0.02)
    intercepts = np.arange(-1.0, 3.0 + 1e-9, 0.02)
    S, B = np.meshgrid(slopes, intercepts, indexing="ij")
    r = S[..., None] * x + B[..., None] - y                  # (n_slopes, n_intercepts, n_points)
    out = {}
    for name, L in regression_losses(r, delta, my_loss).items():
        i, j = np.unravel_index(int(np.argmin(L)), L.shape)
        out[name] = (round(float(slopes[i]), 4), round(float(intercepts[j]), 4))
    return out


def line_fit_explorer(slope=0.2, intercept=0.5, outlier=False, delta=1.0, my_loss=None):
    """Fit a line by hand: sliders for slope and intercept, each squared error drawn as a square, and the
    MSE, MAE and Huber loss of the line. The outlier box adds one bad point: the best MSE line swings
    towards it, the MAE and Huber lines hardly move. ``my_loss``: a loss of one error of your own, ℓ(d)
    applied element by element (e.g. ``lambda d: np.log(np.cosh(d))``), shown as "yours".

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
            cache[outlier] = (x, y, k, best_lines(x, y, delta, my_loss))
        x, y, k, best = cache[outlier]
        r = slope * x + intercept - y
        losses = {name: float(v) for name, v in regression_losses(r, delta, my_loss).items()}
        per_point = regression_losses(r[:, None], delta, my_loss)          # each point's own loss
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
                 "(blue dashed), MAE (orange dotted) and Huber with δ = 1 (green dash-dot)"
                 + (", and for your loss (purple)" if my_loss else "")
                 + ". <b>add an outlier</b>: one point far off (vermillion ✕). Right: the losses of your line.")
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

import numpy as np  # noqa: E402

INIT_CHOICES = {      # label shown in the dropdown -> what annlib.mlp(init=...) receives
    "Xavier (Glorot)": "xavier_uniform",
    "He (Kaiming)": "he_uniform",
    "normal, std 0.01 (too small)": "normal_0.01",
    "normal, std 1 (too large)": "normal_1",
}


def _nb5_initializer(name):
    import annlib as A
    if name.startswith("normal_"):
        return A.Normal(std=float(name.split("_")[1]))
    return A.get_initializer(name)


def gradient_flow_state(activation="sigmoid", depth=10, init="xavier_uniform", width=32, batch=64, seed=0):
    """One forward and one backward pass of a deep MLP on a random batch; returns the gradient norm
    ‖∂L/∂W‖ of every Dense layer (first = next to the input).

    Network: ``depth`` hidden layers of ``width`` units with ``activation``, 4 output logits and softmax
    cross-entropy on random labels. ``init`` is an initializer name or a key of ``INIT_CHOICES``' values.
    State: norms (list), ratio = norms[0] / norms[-1], status per layer ("vanished": below 10⁻⁴ × the output
    layer's or below 10⁻⁸; "exploding": above 10⁴ × the output layer's or above 10⁴; else "ok"), activation,
    init, init_label (the menu's name for init), depth.
    """
    import annlib as A
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((batch, width))
    y = rng.integers(0, 4, batch)
    net = A.mlp([width] + [width] * int(depth) + [4], activation, init=_nb5_initializer(init), seed=seed)
    loss = A.SoftmaxCrossEntropy()
    L = loss.forward(net.forward(X), y)
    net.backward(loss.backward())
    norms = [float(np.linalg.norm(layer.dW)) for layer in net.param_layers]
    ratio = norms[0] / norms[-1] if norms[-1] > 0 else 0.0
    out = norms[-1]                      # the output layer gets the gradient first: compare with it
    status = ["vanished" if v < 1e-4 * out or v < 1e-8 else "exploding" if v > 1e4 * out or v > 1e4 else "ok"
              for v in norms]
    label = {value: name for name, value in INIT_CHOICES.items()}.get(init, init)
    return {"norms": norms, "ratio": ratio, "status": status, "loss": L, "activation": activation, "init": init,
            "init_label": label, "depth": int(depth)}


def gradient_flow(activation="sigmoid", depth=10, init="xavier_uniform"):
    """Widget: how large is the gradient of each layer after one backward pass? Vanishing gradients with
    sigmoid in deep networks; healthy flow with ReLU + He. Controls: activation, depth, initializer."""
    controls = {
        "activation": dropdown(["sigmoid", "tanh", "relu"], activation, "hidden activation"),
        "depth": int_slider(depth, 1, 20, "hidden layers (depth)", continuous_update=False),
        "init": dropdown(INIT_CHOICES, init, "weight initializer"),
    }

    def draw(fig, ax, state):
        ax.clear()
        from .plots import plot_gradient_norms
        plot_gradient_norms(ax, state)

    help_text = ("One batch of 64 random inputs goes forward through a network of <i>depth</i> hidden layers "
                 "(32 units each) and the softmax cross-entropy loss is backpropagated once. Each bar is the size "
                 "(norm) of one layer's weight gradient ∂L/∂W, the amount that layer would learn; the axis is "
                 "logarithmic, so each grid line is a factor of 10. <b>hidden activation</b>: the non-linearity "
                 "after every hidden layer. <b>depth</b>: number of hidden layers. <b>weight initializer</b>: how "
                 "the weights start (Xavier suits sigmoid/tanh, He suits ReLU). Blue bars: the gradient arrives; "
                 "vermillion bars with ▼: vanished (below 10⁻⁴ × the output layer's gradient, or below 10⁻⁸), the "
                 "layer has practically stopped learning; orange bars with ▲: exploding (above 10⁴ × the output "
                 "layer's, or above 10⁴ outright, as when all weights are too large).")
    return LiveFigure(controls, gradient_flow_state, draw, help=help_text, figsize=(8, 3.8),
                      title="Gradient flow through depth")


BACKPROP_STEPS = [
    ("forward pass done: every node holds its value", ()),
    ("loss → output:  ∂L/∂ŷ = 2(ŷ − y)", ("dyhat",)),
    ("through the output sigmoid:  ∂L/∂z₂ = ∂L/∂ŷ · ŷ(1 − ŷ)", ("dz2",)),
    ("output layer parameters:  ∂L/∂W₂ = a₁ᵀ·∂L/∂z₂,  ∂L/∂b₂ = ∂L/∂z₂", ("dW2", "db2")),
    ("back to the hidden neurons:  ∂L/∂a₁ = ∂L/∂z₂ · W₂ᵀ", ("da1",)),
    ("through the hidden sigmoids:  ∂L/∂z₁ = ∂L/∂a₁ ⊙ a₁(1 − a₁)", ("dz1",)),
    ("hidden layer parameters:  ∂L/∂W₁ = xᵀ·∂L/∂z₁,  ∂L/∂b₁ = ∂L/∂z₁", ("dW1", "db1")),
    ("down to the inputs:  ∂L/∂x = ∂L/∂z₁ · W₁ᵀ", ("dx",)),
]

TINY_NET = {"W1": [[0.5, -0.4], [0.3, 0.8]], "b1": [0.1, -0.1], "W2": [[0.7], [-0.6]], "b2": [0.2]}


def tiny_network():
    """The 2-2-1 network of the backprop stepper (sigmoid hidden layer, sigmoid output) with the fixed
    weights of ``TINY_NET``, as an annlib ``Sequential``."""
    import annlib as A
    net = A.mlp([2, 2, 1], "sigmoid", output="sigmoid", seed=0)
    for layer, (w, b) in zip(net.param_layers, (("W1", "b1"), ("W2", "b2"))):
        layer.W[...] = TINY_NET[w]
        layer.b[...] = TINY_NET[b]
    return net


def backprop_steps(step=0, x=(1.0, -0.5), y=1.0):
    """Backpropagation on the 2-2-1 network for one sample, stopped after ``step`` steps (0 = only the
    forward pass, 7 = all gradients down to the inputs). Loss L = (ŷ − y)².

    State: step, n_steps, title, equation (the current step with its numbers), forward (x, z1, a1, z2,
    yhat, L, W1, b1, W2, b2), grads (only those computed so far: dyhat, dz2, dW2, db2, da1, dz1, dW1, db1,
    dx; vectors for one sample), new (names computed in this step).
    """
    step = int(step)
    if not 0 <= step < len(BACKPROP_STEPS):
        raise ValueError(f"step must be between 0 and {len(BACKPROP_STEPS) - 1}, got {step}.")
    W1, b1 = np.array(TINY_NET["W1"]), np.array(TINY_NET["b1"])
    W2, b2 = np.array(TINY_NET["W2"]), np.array(TINY_NET["b2"])
    x, y = np.asarray(x, dtype=float), np.array([float(y)])

    def sig(z):
        return 1 / (1 + np.exp(-z))

    z1 = x @ W1 + b1
    a1 = sig(z1)
    z2 = a1 @ W2 + b2
    yhat = sig(z2)
    L = float(((yhat - y) ** 2).sum())
    fv = dict(x=x, z1=z1, a1=a1, z2=z2, yhat=yhat, y=y, L=L, W1=W1, b1=b1, W2=W2, b2=b2)
    full = {}
    full["dyhat"] = 2 * (yhat - y)
    full["dz2"] = full["dyhat"] * yhat * (1 - yhat)
    full["dW2"] = np.outer(a1, full["dz2"])
    full["db2"] = full["dz2"].copy()
    full["da1"] = full["dz2"] @ W2.T
    full["dz1"] = full["da1"] * a1 * (1 - a1)
    full["dW1"] = np.outer(x, full["dz1"])
    full["db1"] = full["dz1"].copy()
    full["dx"] = full["dz1"] @ W1.T
    names = [k for _, keys in BACKPROP_STEPS[:step + 1] for k in keys]
    grads = {k: full[k] for k in names}
    title, new = BACKPROP_STEPS[step]
    f = lambda v: np.array2string(np.asarray(v), precision=3, suppress_small=True, separator=", ")   # noqa: E731
    eq = {
        0: f"z₁ = x·W₁ + b₁ = {f(z1)},  a₁ = σ(z₁) = {f(a1)}\nz₂ = a₁·W₂ + b₂ = {f(z2)},  ŷ = σ(z₂) = {f(yhat)},  "
           f"L = (ŷ − y)² = {L:.4f}",
        1: f"∂L/∂ŷ = 2·({yhat[0]:.3f} − {y[0]:g}) = {full['dyhat'][0]:+.4f}",
        2: f"∂L/∂z₂ = {full['dyhat'][0]:+.4f} · {yhat[0]:.3f}·(1 − {yhat[0]:.3f}) = {full['dz2'][0]:+.4f}",
        3: f"∂L/∂W₂ = a₁ᵀ·∂L/∂z₂ = {f(a1)}ᵀ · {full['dz2'][0]:+.4f} = {f(full['dW2'][:, 0])}ᵀ\n"
           f"∂L/∂b₂ = ∂L/∂z₂ = {full['db2'][0]:+.4f}",
        4: f"∂L/∂a₁ = ∂L/∂z₂ · W₂ᵀ = {full['dz2'][0]:+.4f} · {f(W2[:, 0])} = {f(full['da1'])}",
        5: f"∂L/∂z₁ = ∂L/∂a₁ ⊙ a₁(1 − a₁) = {f(full['da1'])} ⊙ {f(a1 * (1 - a1))} = {f(full['dz1'])}",
        6: f"∂L/∂W₁ = xᵀ·∂L/∂z₁ = {f(x)}ᵀ · {f(full['dz1'])} =\n   {f(full['dW1'])}\n"
           f"∂L/∂b₁ = ∂L/∂z₁ = {f(full['db1'])}",
        7: f"∂L/∂x = ∂L/∂z₁ · W₁ᵀ = {f(full['dx'])}   (the gradient an earlier layer would receive)",
    }[step]
    return {"step": step, "n_steps": len(BACKPROP_STEPS) - 1, "title": title, "equation": eq, "forward": fv,
            "grads": grads, "new": list(new)}


def backprop_stepper(step=0):
    """Widget: step through the backward pass of a 2-2-1 network, from the loss back to the inputs."""
    controls = {"step": int_slider(step, 0, len(BACKPROP_STEPS) - 1, "backward step")}

    def draw(fig, ax, state):
        from .plots import draw_backprop_step
        draw_backprop_step(ax, state)

    help_text = ("A network with 2 inputs, 2 hidden sigmoid neurons and 1 sigmoid output, one sample x = (1, −0.5) "
                 "with target y = 1 and loss L = (ŷ − y)². The weights are written on the connections; the biases, "
                 f"b₁ = ({TINY_NET['b1'][0]:g}, {TINY_NET['b1'][1]:g}) and b₂ = {TINY_NET['b2'][0]:g}, are not drawn. "
                 "<b>backward step</b>: 0 shows the forward pass only; each "
                 "step moves one stage further from the loss towards the inputs and computes the next gradients. "
                 "Blue text: forward values (z, a, ŷ). Vermillion text and solid vermillion connections: gradients "
                 "∂L/∂(…) already computed; dashed grey: not reached yet. An orange ring marks what the current step "
                 "computed; the box at the bottom shows its formula with the numbers.")
    return LiveFigure(controls, backprop_steps, draw, help=help_text, figsize=(9.5, 5.0),
                      title="Backpropagation, one step at a time")


# ==============================================================================================
# Notebook 6 (section owned by the notebook 6 lesson; add its functions below this line)
# ==============================================================================================

import math  # noqa: E402

import numpy as np  # noqa: E402


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
    import annlib as A
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
    import annlib as A
    path, gaps, diverged, _ = run_optimizer(surface, A.SGD(lr), steps)
    return {"path": path, "gaps": gaps, "lr": lr, "steps": int(steps), "diverged": diverged,
            "converged": (not diverged) and gaps[-1] < 1e-3, "final": float(gaps[-1]), "surface": surface}


def learning_rate_explorer(lr=0.05, steps=30):
    """Widget: gradient descent on the ill-conditioned bowl; a log-scale learning-rate slider."""
    from .plots import plot_lr_path
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
    import ipywidgets as W
    from .plots import plot_race
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
    optimizers   {name: step} your own update rule, notebook 6's ``step(param, grad, state, lr)`` changing
                 param in place (or ``step(param, grad, lr) -> new param``, or an annlib Optimizer),
                 added to the optimizer menu
    """
    from .playground import Playground
    return Playground(dataset=dataset, hidden=hidden, features=features, activation=activation, lr=lr,
                      optimizer=optimizer, regularization=regularization, reg_rate=reg_rate, batch_size=batch_size,
                      noise=noise, train_fraction=train_fraction, epochs_per_tick=epochs_per_tick, seed=seed,
                      activations=activations, optimizers=optimizers, **kwargs)
