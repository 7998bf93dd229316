"""Notebook 1 widgets, driven headless: set controls in code and check the state they produce."""
import os

os.environ.setdefault("MPLBACKEND", "Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

import annlib as A  # noqa: E402
from annlib import widgets  # noqa: E402


@pytest.fixture(autouse=True)
def quiet(capsys):
    yield
    capsys.readouterr()


# -- initialization histograms -----------------------------------------------------------------------
def test_deep_activations_match_a_hand_built_network():
    state = widgets.deep_activations("he_normal", "relu", depth=3, width=20, n=50, seed=7)
    rng = np.random.default_rng(7)
    layers = [A.Dense(20, 20, init="he_normal", seed=rng) for _ in range(3)]
    a = rng.standard_normal((50, 20))
    for layer, got in zip(layers, state["activations"]):
        a = np.maximum(layer.forward(a), 0)
        np.testing.assert_allclose(got, a)
    np.testing.assert_allclose(state["stds"], [x.std() for x in state["activations"]])
    assert len(state["histograms"]) == 3
    for (counts, edges), acts in zip(state["histograms"], state["activations"]):
        assert counts.sum() == acts.size and len(edges) == 41


def test_headless_assert_tiny_to_xavier_with_tanh():
    w = widgets.init_histograms(initializer="tiny", activation="tanh", depth=8, width=100)
    tiny = w.set(depth=10)
    assert tiny["depth"] == 10 and len(tiny["stds"]) == 10
    assert tiny["ratio_last_first"] < 1e-6                       # vanishing: shrinks ~10x per layer
    assert np.all(np.diff(tiny["stds"]) < 0)
    xavier = w.set(initializer="xavier_uniform")
    assert xavier["initializer"] == "xavier_uniform"
    assert 0.25 < xavier["ratio_last_first"] <= 1                # kept within a factor of 4
    assert w.state is xavier


def test_relu_needs_he_and_large_weights_explode():
    w = widgets.init_histograms(activation="relu", initializer="xavier_uniform", depth=10, width=100)
    assert w.state["ratio_last_first"] < 0.1
    he = w.set(initializer="he_normal")
    assert 0.5 < he["ratio_last_first"] < 2
    large = w.set(initializer="large")
    assert large["ratio_last_first"] > 1e6


def test_tanh_with_large_weights_saturates_and_zeros_are_constant():
    w = widgets.init_histograms(initializer="large", activation="tanh", depth=4, width=100)
    last = w.state["activations"][-1]
    assert np.mean(np.abs(last) > 0.9) > 0.5
    assert all(r == (-1.0, 1.0) for r in w.state["ranges"])          # tanh's own range on every panel
    zeros = w.set(initializer="zeros", activation="sigmoid")
    assert np.all(zeros["activations"][-1] == 0.5) and np.all(zeros["stds"] == 0)


def test_exploding_layers_get_their_own_x_axes():
    w = widgets.init_histograms(activation="relu", initializer="large", depth=10, width=100)
    shown = [ax for ax in w.axes.ravel() if ax.get_visible()]
    assert len(shown) == 10
    for ax, a, r in zip(shown, w.state["activations"], w.state["ranges"]):
        low, high = ax.get_xlim()
        assert (low, high) == r
        assert low <= a.min() and a.max() <= high                  # each panel holds all of its layer's values
        assert high < 1.5 * a.max()                                # ... and fits them: no empty axis far beyond
    widths = [np.subtract(*ax.get_xlim()[::-1]) for ax in shown]
    assert widths[-1] / widths[0] > 1e6                           # exploding: the scales differ by orders of magnitude
    assert "10⁸" in shown[-1].get_title() and shown[-1].get_title().startswith("layer 10: std")
    assert any("10⁹" in t.get_text() for t in shown[-1].get_xticklabels())   # its numbers say how large


def test_vanishing_layers_are_a_spike_on_a_small_axis():
    w = widgets.init_histograms(initializer="tiny", activation="relu", depth=6, width=100)
    for ax, a in zip(w.axes.ravel()[:6], w.state["activations"]):
        assert ax.get_xlim() == (0.0, 1.0)                         # never narrower than the inputs' scale
        assert a.max() < 0.5
    counts, edges = w.state["histograms"][-1]
    assert counts[0] == counts.sum()                               # all of the last layer in the bin at 0


def test_relu_bar_of_exact_zeros_is_cut_and_said():
    w = widgets.init_histograms(initializer="he_normal", activation="relu", depth=3, width=100)
    panel = w.state["panels"][0]
    assert panel["cut"] and 0.4 < panel["zero_fraction"] < 0.6
    assert panel["counts"][0] > panel["top"]                        # the bar at 0 is taller than the axis ...
    assert panel["counts"][1:].max() < panel["top"]                 # ... the rest fits
    note = w.axes.ravel()[0].texts[0].get_text()
    assert f"{panel['zero_fraction']:.0%} are exactly 0" in note
    tanh = w.set(activation="tanh")                                # no exact zeros: nothing cut, no note
    assert not any(p["cut"] for p in tanh["panels"]) and w.axes.ravel()[0].texts[0].get_text() == ""
    zeros = w.set(initializer="zeros", activation="relu")           # all exactly 0: one full bar, not cut
    assert not zeros["panels"][0]["cut"] and zeros["panels"][0]["counts"].max() < zeros["panels"][0]["top"]


def test_short_numbers_for_tick_labels_and_titles():
    from annlib.plots import short_number
    assert [short_number(v) for v in (0, 0.25, 5.83, 288, 2.6e8, 1e9, -1.5e9, 9.4e-9)] == [
        "0", "0.25", "5.8", "288", "2.6·10⁸", "10⁹", "−1.5·10⁹", "9.4·10⁻⁹"]
    assert short_number(5000, scale=1.5e4) == "5·10³"               # one style along one axis


def test_static_histograms_use_per_layer_axes_too():
    from annlib import plots
    state = widgets.deep_activations("large", "relu", depth=4, width=50)
    fig, axes = plots.figure(1, 4, figsize=(10, 2.5))
    plots.plot_activation_histograms(axes, state["activations"], activation="relu")
    for ax, a in zip(axes, state["activations"]):
        assert ax.get_xlim()[0] <= a.min() and a.max() <= ax.get_xlim()[1] < 1.5 * a.max()
    assert axes[-1].get_xlim()[1] / axes[0].get_xlim()[1] > 100


def test_histogram_panels_follow_the_depth():
    w = widgets.init_histograms(depth=3)
    assert [ax.get_visible() for ax in w.axes.ravel()] == [True] * 3 + [False] * 7
    w.set(depth=7, width=30)
    assert [ax.get_visible() for ax in w.axes.ravel()] == [True] * 7 + [False] * 3
    assert w.state["activations"][0].shape == (500, 30)
    assert "std" in w.axes.ravel()[6].get_title()


def test_init_widget_controls_and_bad_values():
    w = widgets.init_histograms()
    assert set(w.controls) == {"initializer", "activation", "depth", "width"}
    assert w.controls["depth"].max >= 10
    assert not w.controls["depth"].continuous_update
    with pytest.raises(ValueError):
        widgets.deep_activations(depth=0)


# -- architecture builder ----------------------------------------------------------------------------
def test_architecture_counts_parameters():
    w = widgets.architecture_builder()
    assert w.state["sizes"] == [2, 4, 3, 1] and w.state["n_parameters"] == 31
    state = w.set(hidden1=8, hidden2=0)
    assert state["sizes"] == [2, 8, 1]
    assert state["n_parameters"] == state["by_hand"] == 2 * 8 + 8 + 8 + 1
    state = w.set(n_inputs=6, hidden1=12, hidden2=5, n_outputs=3)
    assert state["n_parameters"] == (6 * 12 + 12) + (12 * 5 + 5) + (5 * 3 + 3)
    assert state["table"][0] == (6, 12, 72, 12)
    assert [layer.W.shape for layer in state["net"].param_layers] == [(6, 12), (12, 5), (5, 3)]


def test_architecture_diagram_is_drawn_from_the_network():
    w = widgets.architecture_builder()
    ax = w.axes[0]
    n_lines = len(ax.lines)
    assert n_lines == 2 * 4 + 4 * 3 + 3 * 1                       # one line per weight
    w.set(hidden1=5)
    assert len(ax.lines) == 2 * 5 + 5 * 3 + 3 * 1
    assert "23 parameters" not in w.axes[1].texts[0].get_text()
    assert f"total: {w.state['n_parameters']} parameters" in w.axes[1].texts[0].get_text()


# -- issue 15: after the notebook's widget test cells, the widgets show the view the text describes -----
def _view(w):
    """What is on screen: which panels show, the titles and x-ranges of those, and the figure's title."""
    shown = [ax for ax in w.axes.ravel() if ax.get_visible()]
    return ([ax.get_visible() for ax in w.axes.ravel()], [ax.get_title() for ax in shown],
            [ax.get_xlim() for ax in shown], w.fig._suptitle.get_text() if w.fig._suptitle else "")


def test_histograms_set_back_to_the_defaults_show_the_first_view_again():
    w = widgets.init_histograms(initializer="tiny", activation="tanh", depth=8, width=100)   # notebook 1's cell
    first_state, first_view = w.state, _view(w)
    w.set(initializer="tiny", activation="tanh", depth=10)        # what the notebook's test cell does ...
    w.set(initializer="xavier_uniform")
    w.set(activation="relu", initializer="xavier_uniform")
    w.set(initializer="he_normal")
    back = w.set(initializer="tiny", activation="tanh", depth=8, width=100)   # ... and how it ends
    np.testing.assert_allclose(back["stds"], first_state["stds"])
    assert _view(w) == first_view
    assert back["ratio_last_first"] < 1e-6 and sum(first_view[0]) == 8       # the vanishing picture, 8 panels


def test_architecture_set_back_to_the_defaults_draws_the_first_network_again():
    w = widgets.architecture_builder()
    first_text, first_lines = w.axes[1].texts[0].get_text(), len(w.axes[0].lines)
    w.set(n_inputs=2, hidden1=8, hidden2=0, n_outputs=1)
    w.set(n_inputs=3, hidden1=5, hidden2=4, n_outputs=2)
    back = w.set(n_inputs=2, hidden1=4, hidden2=3, n_outputs=1)
    assert back["sizes"] == [2, 4, 3, 1] and back["n_parameters"] == 31
    assert w.axes[1].texts[0].get_text() == first_text and len(w.axes[0].lines) == first_lines


from figure_geometry import renderer  # noqa: E402


def test_histogram_and_architecture_text_is_9pt_and_fits_unscaled():
    """9 pt at 90 dpi shows as 8.4 pt (8 pt would be 7.5); at most 10.4 in wide, the figure is shown 1:1."""
    for w in (widgets.init_histograms(), widgets.architecture_builder()):
        renderer(w.fig)
        sizes = [t.get_fontsize() for t in w.fig.findobj(lambda a: hasattr(a, "get_fontsize") and hasattr(a, "get_text"))
                 if t.get_visible() and t.get_text().strip()]
        assert min(sizes) >= 9 and w.fig.get_figwidth() <= 10.4


def test_help_says_what_lecun_and_zeros_do_and_it_is_so():
    w = widgets.init_histograms()
    help_text = " ".join(c.value for c in w.box.children if hasattr(c, "value") and isinstance(c.value, str))
    assert "LeCun normal: Var(W) = 1/n_in" in help_text and "zeros: every weight 0" in help_text
    net_layers = widgets.deep_activations("lecun_normal", "identity", depth=1, width=400)
    # identity layer on N(0, 1) inputs: Var(a) = n_in · Var(W) · 1 = 1 when Var(W) = 1/n_in
    assert 0.9 < net_layers["stds"][0] ** 2 < 1.1
    assert np.all(widgets.deep_activations("zeros", "tanh", depth=3, width=10)["stds"] == 0)
