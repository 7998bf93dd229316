"""Widgets of notebook 2 (activations): ``activation_explorer`` (f and f' side by side, saturated regions
shaded, your own activations added), ``neuron_plane`` (one neuron's output over the input plane; pure
compute ``neuron_state``) and ``softmax_explorer`` (logits and temperature -> probabilities; pure compute
``softmax_state``).
"""
import warnings

import ipywidgets as W
import numpy as np
from matplotlib.ticker import MaxNLocator

from .. import plots
from ..activations import Custom, get_activation, softmax
from ..checks._check import explain_error
from ._live import LiveFigure, dropdown, slider


CATALOGUE = ["sigmoid", "tanh", "relu", "leaky_relu", "elu", "gelu", "softplus", "silu", "identity"]
# Colours in order of use, the hard-to-see yellow last; past 8 activations, markers tell lines apart.
EXPLORER_COLORS = [plots.OKABE_ITO[c] for c in ("blue", "orange", "green", "vermillion", "purple", "sky", "black")] + [
    "#777777", plots.OKABE_ITO["yellow"]]
SATURATION = 0.05      # "saturated": |f'(z)| below 5% of its largest value on the plotted range


def _activation_table(custom):
    """{name: Activation}: the student's own first (custom: {name: (f, df) or Activation}), so the list shows
    them without scrolling, then the catalogue."""
    table = {name: Custom(*act, name=name) if isinstance(act, tuple) and len(act) == 2 else get_activation(act)
             for name, act in (custom or {}).items()}
    for name in CATALOGUE:
        table.setdefault(name, get_activation(name))
    return table


class ActivationProblem(ValueError):
    """A problem of the student's own activation (it raised, returned the wrong shape, or no numbers at all),
    said in words; the explorer shows it above the figure instead of raising from inside the widget."""


def _student_values(act, which, z, name):
    """``act.f(z)`` or ``act.df(z)`` of the student's own activation, as floats shaped like z, and the notes
    on what is odd but drawable (NaN at some points, z changed in place). Raises ActivationProblem."""
    label = f"your activation {name!r}: {which}(z)"
    given = z.copy()
    try:
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out = getattr(act, which)(given)
    except ValueError as e:
        if str(e).startswith("The custom activation"):   # annlib's Custom says what came back
            raise ActivationProblem(f"your activation {name!r}: " + str(e).split(": ", 1)[1]) from e
        raise ActivationProblem(f"{label} failed: {explain_error(e)}") from e
    except Exception as e:                              # any error of the student's code: say it, keep going
        raise ActivationProblem(f"{label} failed: {explain_error(e)}") from e
    try:
        values = np.asarray(out, dtype=float)
    except (TypeError, ValueError):
        raise ActivationProblem(f"{label} must return an array of numbers; it returned {type(out).__name__}.") from None
    if values.shape != z.shape:
        raise ActivationProblem(f"{label} returned shape {values.shape} for z of shape {z.shape}: an activation works "
                                "element by element and returns an array shaped like z.")
    notes = []
    if not np.array_equal(given, z):
        notes.append(f"{label} changed the array z it was given (e.g. z[z < 0] = 0); the explorer gave it a copy, "
                     "but in a network that overwrites the layer's input. Compute a new array instead.")
    bad = ~np.isfinite(values)
    if bad.all():
        raise ActivationProblem(f"{label} is NaN or inf at every point: nothing to draw. A division by 0, or the "
                                "log or square root of a negative number?")
    if bad.any():
        notes.append(f"{label} is NaN or inf at {int(bad.sum())} of {len(z)} points (e.g. z = {z[bad][0]:.3g}); those "
                     "points are left out of the plot. A division by 0, or the log or square root of a negative "
                     "number?")
        values = np.where(bad, np.nan, values)
    return values, notes


class _ExplorerFigure(LiveFigure):
    """LiveFigure that also shows, above the figure, the notes of a state that could be drawn
    (``state["problems"]``: the student's activation is NaN somewhere, or changed its input), and that
    says so when an own activation's values cannot be drawn at all (e.g. near ±1e308)."""

    def update(self):
        before = self.state
        self._drawing_failed = None
        super().update()
        if self.state is before:                    # compute failed: the status already says why
            return
        notes = list(self.state.get("problems", ()))
        if self._drawing_failed:
            notes.append(f"the figure could not be drawn: {self._drawing_failed}. Are some values of your "
                         "activation enormous (beyond about 1e300)?")
        if notes:
            self.status.value = "<span style='color:#D55E00'>" + "<br>".join(f"⚠ {n}" for n in notes) + "</span>"

    def redraw(self):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                super().redraw()
        except Exception as e:                      # only values of a student's own function get here
            self._drawing_failed = f"{type(e).__name__}: {e}"
            for ax in self.axes:
                ax.clear()


def activation_explorer(selected=("sigmoid", "tanh", "relu"), z_max=5.0, custom=None):
    """Widget (notebook 2): pick one or several activations and the range of the pre-activation z; see
    a = f(z) (left) and its derivative f'(z) (right), with the regions where f' is almost 0 (saturation) shaded.
    ``custom``: your own activations, {name: (f, df)} or {name: annlib.Custom(...)}, at the top of the list.
    A problem of your own activation (an error, a wrong shape, NaN) is shown above the figure, never raised."""
    table = _activation_table(custom)
    own = set(custom or ())
    names = list(table)
    if isinstance(selected, str):
        selected = (selected,)
    controls = {
        "activations": W.SelectMultiple(options=names, value=tuple(selected), rows=min(len(names), 6),
                                        description="activations", style={"description_width": "initial"},
                                        layout=W.Layout(width="260px")),
        "z_max": slider(z_max, 1.0, 20.0, 0.5, "z range ±"),
    }

    def compute(activations, z_max):
        if not activations:
            raise ValueError("pick at least one activation (Ctrl/Cmd-click to pick several)")
        z = np.linspace(-z_max, z_max, 801)
        f, df, saturated, spans, problems = {}, {}, {}, {}, []
        with np.errstate(over="ignore", invalid="ignore"):
            for name in activations:
                act = table[name]
                if name in own:                      # the student's code: any problem is said in the widget
                    (f[name], notes_f), (df[name], notes_df) = (_student_values(act, which, z, name)
                                                                for which in ("f", "df"))
                    problems += notes_f + notes_df
                else:
                    f[name] = np.asarray(act.f(z), dtype=float)
                    df[name] = np.asarray(act.df(z), dtype=float)
                slope = np.abs(df[name])
                top = np.nanmax(slope)
                saturated[name] = slope < SATURATION * top if top > 0 else np.ones_like(z, bool)
                spans[name] = plots.regions(z, saturated[name])
        return {"z": z, "f": f, "df": df, "saturated": saturated, "spans": spans, "activations": tuple(activations),
                "problems": problems}

    def draw(fig, axes, state):
        ax_f, ax_df = axes
        for ax in axes:
            ax.clear()
        z = state["z"]
        for name in state["activations"]:
            k = names.index(name)
            color, style = EXPLORER_COLORS[k % len(EXPLORER_COLORS)], plots.LINESTYLES[k % len(plots.LINESTYLES)]
            marker = dict(marker=plots.MARKERS[k % 8], markevery=100) if k >= len(plots.LINESTYLES) else {}
            ax_f.plot(z, state["f"][name], color=color, linestyle=style, label=f"{name}(z)", **marker)
            ax_df.plot(z, state["df"][name], color=color, linestyle=style, label=f"{name}'(z)", **marker)
            few = len(state["activations"]) <= 3            # with many curves, a legend entry per band is too much
            alpha = 0.1 if few else 0.04                     # ... and many bands on top of each other turn grey
            plots.shade_regions(ax_f, state["spans"][name], color, alpha=alpha)
            plots.shade_regions(ax_df, state["spans"][name], color, alpha=alpha, label=f"{name}: f' ≈ 0" if few else None)
        for ax, title, ylabel in ((ax_f, "activation a = f(z)", "output a = f(z)"),
                                  (ax_df, "derivative f'(z)  (shaded: |f'| < 5% of its max)", "slope f'(z)")):
            ax.axhline(0, color="#888888", linewidth=0.8)
            ax.axvline(0, color="#888888", linewidth=0.8)
            ax.set_title(title)
            ax.set_xlabel("pre-activation z")
            ax.set_ylabel(ylabel)
            ax.set_xlim(z[0], z[-1])
            many = len(state["activations"]) > 4
            if ax is ax_df and many:     # a second legend of 5+ curves would cover the derivatives near z = 0
                continue
            # f' of the identity (and of ReLU's relatives for z > 0) runs along the top: the legend finds a free place
            ax.legend(loc="upper left" if ax is ax_f else "best", fontsize=9,      # 9 pt: 8.4 pt on screen at 90 dpi
                      ncol=2 if many else 1, title="line styles of both panels" if many else None, title_fontsize=9)
        fmin = min(np.nanmin(v) for v in state["f"].values())
        fmax = max(np.nanmax(v) for v in state["f"].values())
        with np.errstate(over="ignore"):
            pad = 0.05 * (fmax - fmin or 1)
        if np.isfinite([fmin - pad, fmax + pad]).all():          # an own activation may reach ±1e308
            ax_f.set_ylim(fmin - pad, fmax + pad)

    help = ("<b>activations</b>: pick one or several (Ctrl/Cmd-click); each keeps its colour and line style. "
            "<b>z range</b>: the plot shows the pre-activation z (the neuron's weighted sum) from −range to +range. "
            "Left: the activation's output a = f(z); right: its derivative f'(z), the factor by which "
            "backpropagation multiplies the gradient. Shaded bands (in the "
            "activation's colour): where |f'(z)| is below 5% of its largest value, i.e. where the unit is "
            "saturated (or dead) and almost no gradient flows through it.")
    return _ExplorerFigure(controls, compute, draw, help=help, figsize=(10.4, 4.2), ncols=2,
                           title="Activation explorer: f and f' side by side")


NEURON_ACTIVATIONS = ["sigmoid", "tanh", "relu", "step", "identity"]


def _crosses_the_box(line, extent):
    """Whether the line through the two points ``line`` (from ``plots.boundary_line``) passes through the box."""
    (xa, xb), (ya, yb) = line
    x0, x1, y0, y1 = extent
    return bool(min(xa, xb) <= x1 and max(xa, xb) >= x0 and min(ya, yb) <= y1 and max(ya, yb) >= y0)


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
            artists["colorbar"].ax.yaxis.set_label_coords(3.6, 0.5)
        else:
            artists["colorbar"].update_normal(img)
        # at most 5 short ticks ("−0.5", not "−0.25"): they stay left of the label's fixed place
        artists["colorbar"].set_ticks(MaxNLocator(5, steps=[1, 2, 5, 10]))
        (w1, w2), b = state["w"], state["b"]
        def signed(v, first=False):      # "−3.0" first, then " − 3.0" / " + 0.5": no "+ -3.0"
            return f"{'−' if v < 0 else ''}{abs(v):.1f}" if first else f" {'−' if v < 0 else '+'} {abs(v):.1f}"
        ax.set_title(f"a = {state['activation']}({signed(w1, True)}·x₁{signed(w2)}·x₂{signed(b)})")
        if state["line"] is not None and _crosses_the_box(state["line"], state["extent"]):
            ax.legend(loc="upper right", bbox_to_anchor=(1.0, -0.11), fontsize=9)    # under the plane, beside x₁: never over it

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
