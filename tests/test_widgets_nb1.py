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
    assert w.state["range"] == (-1.0, 1.0)
    zeros = w.set(initializer="zeros", activation="sigmoid")
    assert np.all(zeros["activations"][-1] == 0.5) and np.all(zeros["stds"] == 0)


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
