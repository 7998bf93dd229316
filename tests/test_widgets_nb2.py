"""Notebook 2 widgets, driven headless: set controls in code and check the state they produce."""
import os

os.environ.setdefault("MPLBACKEND", "Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

import annlib as A  # noqa: E402
from annlib import plots, widgets  # noqa: E402


@pytest.fixture(autouse=True)
def quiet(capsys):
    yield
    capsys.readouterr()


# -- activation explorer -----------------------------------------------------------------------------
def test_explorer_derivative_values():
    w = widgets.activation_explorer()
    state = w.set(activations=("sigmoid", "tanh", "relu"), z_max=10)
    z = state["z"]
    assert z[0] == -10 and z[-1] == 10
    np.testing.assert_allclose(state["df"]["sigmoid"], A.Sigmoid().df(z))
    assert np.isclose(state["df"]["sigmoid"].max(), 0.25) and np.isclose(state["df"]["tanh"].max(), 1.0)
    assert np.all(state["df"]["relu"][z < 0] == 0) and np.all(state["df"]["relu"][z > 0] == 1)
    np.testing.assert_allclose(state["f"]["tanh"], np.tanh(z))


def test_explorer_saturation_regions():
    w = widgets.activation_explorer(selected=("sigmoid", "relu", "identity", "leaky_relu"), z_max=10)
    spans = w.state["spans"]
    assert len(spans["sigmoid"]) == 2                                 # both ends
    (l0, l1), (r0, r1) = spans["sigmoid"]
    assert l0 == -10 and r1 == 10 and -6 < l1 < -4 and 4 < r0 < 6
    assert spans["identity"] == []                                    # never saturates
    (start, end), = spans["relu"]
    assert start == -10 and abs(end) < 1e-9
    assert spans["leaky_relu"][0][0] == -10                          # slope 0.01 < 5% of 1
    shaded = [p for p in w.axes[1].patches]
    assert len(shaded) == 2 + 1 + 1                                   # one band per span on the f' panel


def test_explorer_selection_and_range_change_the_state():
    w = widgets.activation_explorer(selected="tanh", z_max=5)
    assert w.state["activations"] == ("tanh",)
    state = w.set(activations=("elu", "gelu"), z_max=2)
    assert set(state["f"]) == {"elu", "gelu"} and state["z"][-1] == 2
    assert len(w.axes[0].lines) == 2 + 2                              # two curves + the two axis lines
    w.set(activations=())                                             # nothing picked: a message, no crash
    assert "pick at least one" in w.status.value
    assert w.state is state


def test_explorer_takes_your_own_activation():
    f = lambda z: z / (1 + np.abs(z))                                 # noqa: E731
    df = lambda z: 1 / (1 + np.abs(z)) ** 2                           # noqa: E731
    w = widgets.activation_explorer(selected=("mine", "relu"), custom={"mine": (f, df),
                                                                        "obj": A.Custom(np.sin, np.cos, "sine")})
    assert "mine" in w.controls["activations"].options and "obj" in w.controls["activations"].options
    z = w.state["z"]
    np.testing.assert_allclose(w.state["f"]["mine"], f(z))
    np.testing.assert_allclose(w.state["df"]["mine"], df(z))
    state = w.set(activations=("obj",))
    np.testing.assert_allclose(state["df"]["obj"], np.cos(state["z"]))


# -- single neuron -----------------------------------------------------------------------------------
def test_neuron_is_a_half_plane():
    w = widgets.neuron_plane()
    state = w.set(w1=1.0, w2=0.0, b=-1.0, activation="step")
    assert np.array_equal(state["a"], (state["x1"] > 1).astype(float))
    assert abs(state["fraction_positive"] - 0.25) < 0.01
    state = w.set(w1=0.0, w2=-2.0, b=0.0, activation="sigmoid")
    np.testing.assert_allclose(state["a"], A.Sigmoid().f(-2.0 * state["x2"]))
    assert np.array_equal(state["a"] > 0.5, state["x2"] < 0)


def test_neuron_line_and_activation():
    w = widgets.neuron_plane()
    state = w.set(w1=2.0, w2=1.0, b=0.5, activation="relu")
    xs, ys = state["line"]
    np.testing.assert_allclose(2.0 * xs + 1.0 * ys + 0.5, 0, atol=1e-12)      # both end points on the line
    assert state["a"].min() == 0 and np.isclose(state["a"].max(), state["z"].max())
    assert w.set(w1=0.0, w2=0.0)["line"] is None                                # no weights: no line
    assert "relu" in w.axes.get_title()


def test_boundary_line_spans_the_box():
    xs, ys = plots.boundary_line((1.0, -1.0), 0.0, (-2, 2, -2, 2))
    np.testing.assert_allclose(xs, ys)
    xs, ys = plots.boundary_line((1.0, 0.0), -1.0, (-2, 2, -2, 2))
    np.testing.assert_allclose(xs, [1, 1])


# -- softmax explorer --------------------------------------------------------------------------------
def test_softmax_explorer_probabilities_and_temperature():
    w = widgets.softmax_explorer()
    base = w.set(z1=2.0, z2=1.0, z3=0.1, z4=-1.0, temperature=1.0)
    z = np.array([2.0, 1.0, 0.1, -1.0])
    np.testing.assert_allclose(base["p"], np.exp(z) / np.exp(z).sum())
    shifted = w.set(z1=5.0, z2=4.0, z3=3.1, z4=2.0)
    np.testing.assert_allclose(shifted["p"], base["p"])
    cold = w.set(temperature=0.1)
    hot = w.set(temperature=10.0)
    assert cold["p"][0] > 0.999 and hot["p"].max() - hot["p"].min() < 0.1
    assert hot["entropy"] > base["entropy"] > cold["entropy"]
    heights = [bar.get_height() for bar in w.axes[1].patches]
    np.testing.assert_allclose(heights, hot["p"])                     # the bars show the state


def test_softmax_explorer_argmax_follows_the_logits():
    w = widgets.softmax_explorer()
    state = w.set(z3=4.0)
    assert state["argmax"] == 2 and state["p"].sum() == pytest.approx(1)
    with pytest.raises(ValueError):
        widgets.softmax_state(temperature=0)


# -- your own activation: its problem is said inside the widget, never raised from it ------------------
def softsign(z):
    return z / (1 + np.abs(z))


def softsign_df(z):
    return 1 / (1 + np.abs(z)) ** 2


def relu_in_place(z):
    z[z < 0] = 0
    return z


class WrongShape(A.Activation):                      # an Activation of one's own, not through Custom
    def f(self, x):
        return x[:-1]

    def df(self, x):
        return np.ones_like(x)


@pytest.mark.parametrize("mine, phrase", [
    ((lambda z: z[:-1], softsign_df), "shape (800,)"),                  # was a raw matplotlib error
    ((lambda z: z.sum(), softsign_df), "shape ()"),
    ((lambda z: np.stack([z, z]), softsign_df), "shape (2, 801)"),
    ((softsign, lambda z: softsign_df(z)[::2]), "df(x)"),
    (WrongShape(), "returned shape (800,) for z of shape (801,)"),
    ((lambda z: 1 / 0, softsign_df), "ZeroDivisionError"),
    ((lambda z: {}["key"], softsign_df), "KeyError"),
    ((lambda z: max(0, z), softsign_df), "np.maximum"),                 # numpy's error, translated
    ((lambda z: None, softsign_df), "it returned object"),
    ((lambda z: "forty-two", softsign_df), "must return an array of numbers"),
    ((lambda z: z * np.nan, softsign_df), "NaN or inf at every point"),
    ((softsign, lambda z: z > 0), "bool"),
])
def test_explorer_shows_the_problem_of_your_activation_and_keeps_working(mine, phrase):
    w = widgets.activation_explorer(selected=("mine", "relu"), custom={"mine": mine})
    assert "⚠" in w.status.value and phrase in w.status.value, w.status.value
    assert "your activation 'mine'" in w.status.value
    state = w.set(activations=("tanh",))                               # the built-ins still work, the message goes
    assert state["activations"] == ("tanh",) and w.status.value == ""
    w.set(activations=("mine", "tanh"))                                # and it comes back when picked again
    assert phrase in w.status.value
    assert w.state is state                                            # a problem keeps the last good state


def test_explorer_draws_an_activation_that_is_nan_somewhere_and_says_where():
    w = widgets.activation_explorer(selected=("log", "relu"), custom={"log": (np.log, lambda z: 1 / z)})
    state = w.state
    z = state["z"]
    assert np.isnan(state["f"]["log"][z < 0]).all() and np.allclose(state["f"]["log"][z > 0], np.log(z[z > 0]))
    assert "NaN or inf at 401 of 801 points" in w.status.value and "left out of the plot" in w.status.value
    ylim = w.axes[0].get_ylim()
    assert np.isfinite(ylim).all()                                     # the figure was drawn
    assert w.png


def test_explorer_says_when_your_activation_changes_its_input_and_draws_the_right_curves():
    w = widgets.activation_explorer(selected=("mine", "tanh"), custom={"mine": (relu_in_place, A.ReLU().df)})
    state = w.state
    assert "changed the array z it was given" in w.status.value
    np.testing.assert_allclose(state["f"]["mine"], np.maximum(state["z"], 0))
    np.testing.assert_allclose(state["f"]["tanh"], np.tanh(state["z"]))       # the other curves are not harmed
    assert state["z"][0] == -5


def test_explorer_survives_values_too_large_to_draw():
    w = widgets.activation_explorer(selected=("huge",), custom={"huge": (lambda z: np.sign(z) * 1.7e308, softsign_df)})
    assert "could not be drawn" in w.status.value
    w.set(activations=("relu",))
    assert w.status.value == "" and len(w.axes[0].lines) == 1 + 2


def test_explorer_with_a_good_activation_of_yours_shows_no_warning():
    w = widgets.activation_explorer(selected=("softsign", "relu", "tanh"), z_max=8,
                                    custom={"softsign": (softsign, softsign_df)})
    assert w.status.value == ""
    np.testing.assert_allclose(w.state["df"]["softsign"], softsign_df(w.state["z"]))


def test_your_own_activations_come_first_in_the_list_so_they_are_in_view():
    w = widgets.activation_explorer(selected=("mine",), custom={"mine": (softsign, softsign_df)})
    options = w.controls["activations"].options
    assert options[0] == "mine" and options.index("mine") < w.controls["activations"].rows
    assert set(options[1:]) == set(widgets.CATALOGUE)


# -- issue 15: one symbol for the pre-activation, z, as in a = f(z) ----------------------------------------
def _texts(ax):
    legend = ax.get_legend()
    return [ax.get_title(), ax.get_xlabel(), ax.get_ylabel()] + ([t.get_text() for t in legend.get_texts()] if legend else [])


def test_explorer_and_catalogue_figure_say_z_not_x():
    w = widgets.activation_explorer(selected=("sigmoid", "tanh", "relu"), z_max=5)
    assert w.controls["z_max"].description == "z range ±" and w.state["z"][-1] == 5
    texts = _texts(w.axes[0]) + _texts(w.axes[1])
    assert "sigmoid(z)" in texts and "relu'(z)" in texts and "activation a = f(z)" in texts
    assert all("x" not in t.replace("max", "") for t in texts), texts
    fig, ax = plots.figure()
    plots.plot_activation(ax, "tanh", z=np.linspace(-3, 3, 61))
    assert _texts(ax)[1:] == ["pre-activation z", "f(z) and f'(z)", "tanh(z)", "tanh'(z)"]
    np.testing.assert_allclose(ax.lines[0].get_xdata(), np.linspace(-3, 3, 61))


def test_neuron_title_writes_signs_not_plus_minus():
    w = widgets.neuron_plane(w1=-3.0, w2=3.0, b=-3.0, activation="relu")
    assert w.axes.get_title() == "a = relu(−3.0·x₁ + 3.0·x₂ − 3.0)"
    w.set(w1=1.0, w2=-0.5, b=0.0)
    assert w.axes.get_title() == "a = relu(1.0·x₁ − 0.5·x₂ + 0.0)"
    assert w.axes.get_legend().get_texts()[0].get_text() == "z = w·x + b = 0"


from figure_geometry import renderer  # noqa: E402


def _smallest_text_pt(fig):
    """The smallest font size (pt) of any visible text of the figure: titles, labels, ticks, legends."""
    renderer(fig)
    sizes = [t.get_fontsize() for t in fig.findobj(lambda a: hasattr(a, "get_fontsize") and hasattr(a, "get_text"))
             if t.get_visible() and t.get_text().strip()]
    return min(sizes)


def test_explorer_text_is_9pt_and_many_curves_get_one_legend_off_the_derivatives():
    w = widgets.activation_explorer()
    assert _smallest_text_pt(w.fig) >= 9                       # 9 pt at 90 dpi: above 8 pt on screen
    ax_f, ax_df = w.axes
    assert ax_f.get_legend() is not None and ax_df.get_legend() is not None
    w.set(activations=tuple(widgets.nb2.CATALOGUE))             # 9 curves: one legend, on f's panel only
    assert ax_df.get_legend() is None
    legend = ax_f.get_legend()
    assert len(legend.get_texts()) == 9 and "both panels" in legend.get_title().get_text()
    assert _smallest_text_pt(w.fig) >= 9
    w.set(activations=("sigmoid", "tanh"))                     # few again: both legends are back
    assert ax_df.get_legend() is not None


def test_widgets_of_notebook_2_fit_the_output_area_unscaled():
    for w in (widgets.activation_explorer(), widgets.neuron_plane(), widgets.softmax_explorer()):
        assert w.fig.get_figwidth() <= 10.4                    # 936 px at 90 dpi: shown 1:1 in JupyterLab
        assert _smallest_text_pt(w.fig) >= 9


def test_neuron_legend_lies_under_the_plane_and_only_when_the_line_is_in_it():
    w = widgets.neuron_plane()
    r = renderer(w.fig)
    legend = w.axes.get_legend()
    assert legend is not None
    assert legend.get_window_extent(r).y1 < w.axes.get_window_extent(r).y0   # below the heatmap
    w.set(w1=0.1, w2=0.0, b=3.0, activation="tanh")           # the line z = 0 is at x₁ = -30, off the plane
    assert w.axes.get_legend() is None
    w.set(w1=1.0, w2=0.5, b=0.0, activation="sigmoid")
    assert w.axes.get_legend() is not None


@pytest.mark.parametrize("activation, w", [("tanh", (1.0, 0.5, 0.0)), ("identity", (-3.0, -3.0, -3.0)),
                                           ("relu", (3.0, 3.0, 3.0))])
def test_neuron_colorbar_label_never_touches_its_tick_labels(activation, w):
    widget = widgets.neuron_plane()
    widget.set(w1=w[0], w2=w[1], b=w[2], activation=activation)
    fig = widget.fig
    r = renderer(fig)
    cbar_ax = [ax for ax in fig.axes if ax is not widget.axes][0]
    label = cbar_ax.yaxis.label.get_window_extent(r)
    ticks = [t.get_window_extent(r) for t in cbar_ax.get_yticklabels() if t.get_text()]
    assert ticks and max(t.x1 for t in ticks) < label.x0       # e.g. "−0.25" ran into "neuron output a"
    assert label.x1 <= fig.bbox.x1                             # and the label is not cut off


def test_widget_pictures_are_shown_at_their_own_size():
    """An Image widget without a width is stretched across the output area (the neuron plane came out twice
    as large and cut off): each widget's picture gets its PNG's width in CSS pixels."""
    import io

    from PIL import Image
    for w in (widgets.activation_explorer(), widgets.neuron_plane(), widgets.softmax_explorer(),
              widgets.init_histograms(), widgets.architecture_builder()):
        assert w.output.layout.width == f"{Image.open(io.BytesIO(w.png)).size[0]}px"
