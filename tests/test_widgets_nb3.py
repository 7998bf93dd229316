"""Notebook 3 widgets, driven headless: set controls in code and check the state they produce."""
import os

os.environ.setdefault("MPLBACKEND", "Agg")

import numpy as np  # noqa: E402

import annlib as A  # noqa: E402
from annlib import widgets  # noqa: E402


def hand_network():
    net = A.Sequential(A.Dense(2, 3), A.ReLU(), A.Dense(3, 2), A.Softmax())
    net[0].W[...] = [[1.0, -1.0, 0.5], [0.5, 1.0, -1.0]]
    net[0].b[...] = [0.0, 0.5, 0.1]
    net[2].W[...] = [[1.0, -1.0], [-0.5, 0.5], [2.0, 0.0]]
    net[2].b[...] = [0.1, -0.1]
    return net


def test_forward_explorer_follows_the_input():
    net = hand_network()
    w = widgets.forward_explorer(net)
    state = w.set(x1=1.0, x2=2.0)
    x = np.array([1.0, 2.0])
    z1 = x @ net[0].W + net[0].b
    a1 = np.maximum(z1, 0)
    z2 = a1 @ net[2].W + net[2].b
    p = np.exp(z2 - z2.max()) / np.exp(z2 - z2.max()).sum()
    np.testing.assert_allclose(state["x"], x)
    np.testing.assert_allclose(state["z"][0], z1)
    np.testing.assert_allclose(state["a"][0], a1)
    np.testing.assert_allclose(state["z"][1], z2)
    np.testing.assert_allclose(state["probs"], p)
    assert state["predicted"] == int(np.argmax(p))
    assert len(state["columns"]) == 3 and [len(c) for c in state["columns"]] == [2, 3, 2]


def test_forward_explorer_reacts_and_default_net():
    w = widgets.forward_explorer()
    before = w.state["probs"].copy()
    after = w.set(x1=-1.5, x2=1.5)["probs"]
    assert not np.allclose(before, after)
    np.testing.assert_allclose(after.sum(), 1.0)
    assert w.elapsed_ms is not None          # it redrew (its speed is measured by benchmarks/bench_widgets.py)


def test_forward_explorer_without_output_activation():
    net = A.mlp([2, 4, 1], "tanh", seed=1)          # regression: no activation after the last Dense
    state = widgets.forward_explorer(net).set(x1=0.3, x2=-0.2)
    assert [len(c) for c in state["columns"]] == [2, 4, 1]
    np.testing.assert_allclose(state["columns"][-1], net.forward(np.array([[0.3, -0.2]]))[0])


def test_untrained_regions_react_to_every_control():
    w = widgets.untrained_regions_explorer(resolution=30)
    s0 = w.state
    assert s0["P1"].shape == (30, 30) and np.all((s0["P1"] >= 0) & (s0["P1"] <= 1))
    s1 = w.set(seed=1)
    assert not np.allclose(s0["P1"], s1["P1"])
    s2 = w.set(hidden=16)
    assert s2["n_params"] == 2 * 16 + 16 + 16 * 2 + 2
    s3 = w.set(activation="identity")
    assert s3["net"][1].name == "identity"
    s4 = w.set(dataset="moons")
    assert s4["dataset"] == "moons" and s4["X"].shape == (200, 2)
    assert 0 <= s4["accuracy"] <= 1 and 0 <= s4["frac_class1"] <= 1


def test_untrained_network_is_near_chance_on_circle():
    w = widgets.untrained_regions_explorer(resolution=20)
    accs = [w.set(seed=s)["accuracy"] for s in range(5)]
    assert max(abs(a - 0.5) for a in accs) < 0.2      # a ring around a disc: no line separates them


# -- layout: what the student sees (rendered as in the notebook, then measured) ----------------------------

from figure_geometry import inside as _inside, renderer  # noqa: E402
from matplotlib.patches import Circle  # noqa: E402

import pytest  # noqa: E402

NETS = {"hand 2-3-2 relu": hand_network, "default 2-3-2 tanh": lambda: None,
        "deep 2-4-4-3": lambda: A.mlp([2, 4, 4, 3], "tanh", output="softmax", seed=1),
        "regression 2-6-1": lambda: A.mlp([2, 6, 1], "tanh", seed=1),
        "sigmoid 2-5-1": lambda: A.mlp([2, 5, 1], "relu", output="sigmoid", seed=2),
        "big weights": lambda: A.mlp([2, 3, 2], "tanh", output="softmax", init=A.Normal(std=40.0), seed=0)}


def _rendered(w):
    return renderer(w.fig)


CASES = [("hand 2-3-2 relu", (1.0, 2.0)), ("hand 2-3-2 relu", (-2.0, -2.0)), ("default 2-3-2 tanh", (0.5, -1.0)),
         ("default 2-3-2 tanh", (2.0, -2.0)), ("deep 2-4-4-3", (-1.95, 1.95)), ("regression 2-6-1", (-2.0, 2.0)),
         ("sigmoid 2-5-1", (2.0, 2.0)), ("big weights", (-2.0, 2.0)), ("big weights", (2.0, 1.95))]


@pytest.mark.parametrize("name, x", CASES)
def test_forward_explorer_title_whole_key_clear_network_fills_panel(name, x):
    w = widgets.forward_explorer(NETS[name](), x1=x[0], x2=x[1])
    r = _rendered(w)
    ax_net, ax_prob = w.fig._nb3_axes
    fig_box = w.fig.bbox
    title = ax_net.title
    lines = title.get_text().split("\n")
    assert lines[0].startswith("forward pass for x = (") and lines[1].startswith("z1 = [")
    assert _inside(title.get_window_extent(r), fig_box), "the title is cut at the figure's edge"
    assert _inside(ax_prob.get_tightbbox(r), fig_box), "the bar panel is cut"
    key = [t for t in ax_net.texts if t.get_text().startswith("lines:")]
    assert len(key) == 1
    key_box = key[0].get_window_extent(r)
    assert _inside(key_box, fig_box) and not key_box.overlaps(ax_prob.get_tightbbox(r)), "the key runs into the bars"
    # the drawing (neurons, their values, the column headers) fills its panel in one direction, and nothing of
    # it is outside the panel
    drawing = [p.get_window_extent(r) for p in ax_net.patches if isinstance(p, Circle)]
    drawing += [t.get_window_extent(r) for t in ax_net.texts if t is not key[0]]
    x0, x1 = min(b.x0 for b in drawing), max(b.x1 for b in drawing)
    y0, y1 = min(b.y0 for b in drawing), max(b.y1 for b in drawing)
    box = ax_net.get_window_extent(r)
    assert x0 >= box.x0 - 1 and x1 <= box.x1 + 1 and y0 >= box.y0 - 1 and y1 <= box.y1 + 1
    assert max((x1 - x0) / box.width, (y1 - y0) / box.height) > 0.75
    # and the panel is the net's share of the figure, not a small box in a wide empty space
    assert box.width > 0.55 * fig_box.width
    # circles stay round: one data unit as long across as up
    (a, b), (c, d) = ax_net.get_xlim(), ax_net.get_ylim()
    assert np.isclose((box.width / (b - a)) / (box.height / (d - c)), 1.0, rtol=0.02)


def test_forward_explorer_title_stays_whole_after_the_inputs_change():
    w = widgets.forward_explorer(hand_network(), x1=0.0, x2=0.0)
    for x in [(2.0, 2.0), (-2.0, -2.0), (1.0, 2.0)]:
        w.set(x1=x[0], x2=x[1])
        r = _rendered(w)
        assert _inside(w.fig._nb3_axes[0].title.get_window_extent(r), w.fig.bbox)


def test_forward_explorer_output_panel_fits_the_output_layer():
    reg = widgets.forward_explorer(A.mlp([2, 6, 1], "tanh", seed=1), x1=-2.0, x2=2.0)
    assert reg.state["output"] == "values" and reg.state["predicted"] is None
    ax = reg.fig._nb3_axes[1]
    assert "probabilit" not in ax.get_title() and "probabilit" not in ax.get_ylabel()
    lo, hi = ax.get_ylim()
    assert lo < reg.state["probs"][0] < hi and lo < 0 < hi                # a negative output is in view
    sig = widgets.forward_explorer(A.mlp([2, 5, 1], "relu", output="sigmoid", seed=2))
    p = sig.state["probs"][0]
    heights = [bar.get_height() for bar in sig.fig._nb3_axes[1].patches]
    np.testing.assert_allclose(heights, [1 - p, p])                        # P(class 0), P(class 1)
    assert sig.state["output"] == "sigmoid" and sig.state["predicted"] == int(p > 0.5)
    soft = widgets.forward_explorer(hand_network(), x1=1.0, x2=2.0)
    assert soft.state["output"] == "softmax" and soft.state["predicted"] == 0


def test_untrained_regions_legend_never_covers_a_point():
    w = widgets.untrained_regions_explorer(resolution=20)
    for dataset in sorted(A.data.CLASSIFICATION_SETS):
        state = w.set(dataset=dataset)
        r = _rendered(w)
        ax = w.fig.axes[0]
        legend = ax.get_legend().get_window_extent(r)
        points = ax.transData.transform(state["X"])
        inside = ((points[:, 0] > legend.x0 - 4) & (points[:, 0] < legend.x1 + 4)
                  & (points[:, 1] > legend.y0 - 4) & (points[:, 1] < legend.y1 + 4))
        assert not inside.any(), f"the legend covers {inside.sum()} points of {dataset}"


def test_softmax_vs_sigmoid_figure_draws_both_curves_and_keeps_the_legend_off_them():
    import matplotlib.pyplot as plt
    from annlib import plots
    d = np.linspace(-6, 6, 241)
    p_softmax = A.softmax(np.column_stack([np.zeros_like(d), d]))[:, 1]
    p_sigmoid = A.Sigmoid().f(d)
    fig, ax = plt.subplots(figsize=(6, 3.6), layout="constrained")
    plots.plot_softmax_vs_sigmoid(ax, d, p_softmax, p_sigmoid)
    soft, sig = ax.get_lines()[:2]
    np.testing.assert_allclose(soft.get_ydata(), p_softmax)
    np.testing.assert_allclose(sig.get_ydata(), p_sigmoid)
    assert soft.get_linestyle() != sig.get_linestyle()          # not colour alone
    r = renderer(fig)
    legend = ax.get_legend().get_window_extent(r)
    for line in (soft, sig):
        pts = ax.transData.transform(line.get_xydata())
        assert not any(legend.contains(*p) for p in pts), "the legend covers a curve"
    assert ax.get_title() and ax.get_xlabel() and ax.get_ylabel()
    plt.close(fig)
