"""Notebook 5 widgets, headless: the gradient-flow bar chart and the backprop stepper react to their controls."""
import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

import annlib as A  # noqa: E402
from annlib import plots, widgets  # noqa: E402


# -- gradient flow -------------------------------------------------------------------------------------
def test_sigmoid_gradient_vanishes_where_relu_he_flows():
    sig = widgets.gradient_flow_state("sigmoid", depth=10, init="xavier_uniform")
    relu = widgets.gradient_flow_state("relu", depth=10, init="he_uniform")
    assert len(sig["norms"]) == len(relu["norms"]) == 11          # 10 hidden + output layer
    assert sig["norms"][0] < 1e-4 * relu["norms"][0]
    assert sig["norms"] == sorted(sig["norms"])                    # shrinks layer by layer towards the input
    assert relu["ratio"] > 1e-2
    assert sig["status"][0] == "vanished" and sig["status"][-1] == "ok"
    assert set(relu["status"]) == {"ok"}


def test_deeper_sigmoid_networks_lose_more_gradient():
    ratios = [widgets.gradient_flow_state("sigmoid", depth=d)["ratio"] for d in (2, 5, 10)]
    assert ratios[0] > ratios[1] > ratios[2]


def test_tiny_weights_starve_every_layer_and_large_ones_do_not():
    small = widgets.gradient_flow_state("relu", depth=6, init="normal_0.01")
    he = widgets.gradient_flow_state("relu", depth=6, init="he_uniform")
    assert max(small["norms"]) < 1e-6 * min(he["norms"])
    assert set(small["status"]) == {"vanished"}                    # starved everywhere, not just at the input


def test_large_weights_make_the_first_layers_explode():
    big = widgets.gradient_flow_state("tanh", depth=20, init="normal_1")
    assert big["status"][0] == "exploding" and big["status"][-1] == "ok"
    assert big["norms"][0] > 1e4 * big["norms"][-1]


def test_uniformly_huge_gradients_count_as_exploding():
    big = widgets.gradient_flow_state("relu", depth=10, init="normal_1")    # ~1e6 in every layer, ratio ~1
    assert min(big["norms"]) > 1e4 and set(big["status"]) == {"exploding"}
    assert big["init_label"] == "normal, std 1 (too large)"                 # the menu's name, for the title


def test_gradient_flow_norms_match_a_direct_backward():
    state = widgets.gradient_flow_state("tanh", depth=3, init="xavier_uniform", seed=4)
    rng = np.random.default_rng(4)
    X, y = rng.standard_normal((64, 32)), rng.integers(0, 4, 64)
    net = A.mlp([32, 32, 32, 32, 4], "tanh", init="xavier_uniform", seed=4)
    loss = A.SoftmaxCrossEntropy()
    loss.forward(net.forward(X), y)
    net.backward(loss.backward())
    assert np.allclose(state["norms"], [np.linalg.norm(layer.dW) for layer in net.param_layers])


def test_gradient_flow_widget_reacts_to_its_controls():
    w = widgets.gradient_flow()
    assert w.state["activation"] == "sigmoid" and w.state["depth"] == 10
    first = w.state["norms"][0]
    state = w.set(activation="relu", init="he_uniform")
    assert state["activation"] == "relu" and state["norms"][0] > 1e4 * first
    state = w.set(depth=3)
    assert len(state["norms"]) == 4
    assert len(w.axes.patches) == 4                                # one bar per Dense layer was drawn
    assert w.elapsed_ms is not None
    for init in widgets.INIT_CHOICES.values():                     # every menu entry gives a valid state
        assert w.set(init=init)["init"] == init and w.status.value == ""


# -- backprop stepper ----------------------------------------------------------------------------------
def test_backprop_steps_accumulate_from_the_loss_to_the_inputs():
    seen = set()
    for step in range(8):
        state = widgets.backprop_steps(step)
        names = set(state["grads"])
        assert seen <= names and set(state["new"]) == names - seen
        seen = names
    assert widgets.backprop_steps(0)["grads"] == {}
    assert seen == {"dyhat", "dz2", "dW2", "db2", "da1", "dz1", "dW1", "db1", "dx"}


def test_backprop_steps_equal_annlib_backward_and_numerical_gradients():
    state = widgets.backprop_steps(7, x=(0.3, 0.9), y=0.0)
    net = widgets.tiny_network()
    x = np.array([[0.3, 0.9]])
    mse = A.MSELoss()
    mse.forward(net.forward(x), np.array([[0.0]]))
    dx = net.backward(mse.backward())
    assert np.allclose(state["grads"]["dW1"], net.layers[0].dW) and np.allclose(state["grads"]["db1"], net.layers[0].db)
    assert np.allclose(state["grads"]["dW2"], net.layers[2].dW) and np.allclose(state["grads"]["dx"], dx[0])
    assert np.isclose(state["forward"]["L"], mse.forward(net.forward(x), np.array([[0.0]])))
    assert A.gradcheck(net, x, np.array([[0.0]]), loss=A.MSELoss()).passed


def test_backprop_steps_rejects_a_step_out_of_range():
    with pytest.raises(ValueError):
        widgets.backprop_steps(8)


def test_backprop_stepper_widget_reacts_to_the_slider():
    w = widgets.backprop_stepper()
    assert w.state["step"] == 0 and w.state["grads"] == {}
    state = w.set(step=4)
    assert state["new"] == ["da1"] and "dW1" not in state["grads"]
    assert "step 4" in w.axes.get_title()
    state = w.set(step=7)
    assert "dx" in state["grads"] and "∂L/∂x" in state["equation"]


# -- back to the default view (notebook 5's widget test cells end with it) --------------------------------
def test_gradient_flow_set_back_restores_the_default_view():
    w = widgets.gradient_flow()
    first, png = w.state, w.png
    w.set(activation="relu", init="he_uniform")
    assert w.png != png
    back = w.set(activation="sigmoid", init="xavier_uniform")
    assert np.allclose(back["norms"], first["norms"]) and back["activation"] == "sigmoid" and back["depth"] == 10
    assert w.values() == {"activation": "sigmoid", "depth": 10, "init": "xavier_uniform"}
    assert w.png == png                                              # the same figure the text describes


def test_backprop_stepper_set_back_restores_the_forward_view():
    w = widgets.backprop_stepper()
    png = w.png
    w.set(step=7)
    back = w.set(step=0)
    assert back["step"] == 0 and back["grads"] == {} and w.values() == {"step": 0}
    assert "step 0" in w.axes.get_title() and w.png == png


# -- figures: text size, the key, nothing clipped ----------------------------------------------------------
MIN_PT = 8 * 96 / 90        # 8 pt on a 96 px/inch screen, for figures rendered at 90 dpi: 8.53 pt


def _texts(fig):
    """Every text drawn: titles, axis labels, tick labels in view, legend entries, texts on the axes."""
    texts = list(fig.texts)
    for ax in fig.axes:
        texts += [ax.title, ax._left_title, ax._right_title, ax.xaxis.label, ax.yaxis.label, *ax.texts]
        for axis in (ax.xaxis, ax.yaxis) if ax.axison else ():
            lo, hi = sorted(axis.get_view_interval())
            texts += [label for loc, label in zip(axis.get_majorticklocs(), axis.get_majorticklabels()) if lo <= loc <= hi]
        if ax.get_legend():
            texts += ax.get_legend().get_texts()
    return [t for t in texts if t.get_visible() and t.get_text().strip()]


def _renderer(fig):
    """Draw the figure (as the widget's PNG is drawn, with its kept layout) and return the renderer."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    canvas.draw()
    return canvas.get_renderer()


def _assert_readable_and_inside(fig):
    """Every text at least 8 pt on screen, and inside the figure (nothing clipped at an edge)."""
    renderer = _renderer(fig)
    width, height = fig.bbox.width, fig.bbox.height
    for t in _texts(fig):
        assert t.get_fontsize() >= MIN_PT, f"{t.get_text()!r} is {t.get_fontsize()} pt"
        box = t.get_window_extent(renderer)
        assert box.x0 >= -1 and box.y0 >= -1 and box.x1 <= width + 1 and box.y1 <= height + 1, t.get_text()


@pytest.mark.parametrize("settings", [dict(), dict(activation="relu", init="he_uniform"),
                                      dict(activation="tanh", init="normal_1", depth=20),
                                      dict(activation="relu", init="normal_0.01", depth=1)])
def test_gradient_flow_figure_is_readable_and_its_key_is_above_the_bars(settings):
    w = widgets.gradient_flow()
    w.set(**settings)
    _assert_readable_and_inside(w.fig)
    legend = w.axes.get_legend()
    assert [t.get_text().split(":")[0] for t in legend.get_texts()] == ["gradient arrives", "▼ vanished", "▲ exploding"]
    renderer = _renderer(w.fig)
    key = legend.get_window_extent(renderer)
    assert all(bar.get_window_extent(renderer).y1 < key.y0 for bar in w.axes.patches)   # never over the data
    if settings.get("depth") == 1:
        assert "1 hidden layer\n" in w.axes.get_title()


@pytest.mark.parametrize("step", range(8))
def test_backprop_stepper_is_readable_at_every_step_and_its_formula_fits(step):
    w = widgets.backprop_stepper()
    w.set(step=step)
    _assert_readable_and_inside(w.fig)
    renderer = _renderer(w.fig)
    formula = next(t for t in w.axes.texts if t.get_text() == w.state["equation"])
    box = formula.get_bbox_patch().get_window_extent(renderer)
    axes = w.axes.get_window_extent(renderer)
    assert axes.y0 - 1 <= box.y0 and box.x1 <= axes.x1 + 1              # the formula box lies inside the axes
    nodes = [t.get_window_extent(renderer) for t in w.axes.texts if t is not formula]
    assert all(box.y1 < n.y0 or not box.overlaps(n) for n in nodes)     # and runs into no other text


def test_backprop_table_lists_every_step_in_order_with_annlib_shapes_and_values():
    state = widgets.backprop_steps(7, x=(0.3, 0.9), y=0.0)
    table = plots.backprop_table(state)
    steps = [row["step"] for row in table.rows]
    assert steps == sorted(steps) and steps[0] == 0 and steps[-1] == 7 and set(steps) == set(range(8))
    assert list(table.grads) == ["dyhat", "dz2", "dW2", "db2", "da1", "dz1", "dW1", "db1", "dx"]
    net = widgets.tiny_network()
    x, y = np.array([[0.3, 0.9]]), np.array([[0.0]])
    mse = A.MSELoss()
    L = mse.forward(net.forward(x), y)
    dx = net.backward(mse.backward())
    assert table.grads["dW1"].shape == (2, 2) and np.allclose(table.grads["dW1"], net.layers[0].dW)
    assert table.grads["db2"].shape == (1,) and np.allclose(table.grads["db2"], net.layers[2].db)
    assert table.grads["dx"].shape == (1, 2) and np.allclose(table.grads["dx"], dx)
    assert np.isclose(table.values["L"], L) and table.values["z1"].shape == (1, 2)
    html_text, text = table._repr_html_(), str(table)
    assert html_text.count("<tr>") == len(table.rows) + 1 and "x = (0.3, 0.9)" in html_text
    assert f"{net.layers[0].dW[1, 1]:+.4f}" in text                     # the numbers shown are annlib's
    assert "∂L/∂W₁ = xᵀ · ∂L/∂z₁" in text and "[[+0.30], [+0.90]] · " in text   # equation, then its numbers


def test_backprop_table_needs_the_last_step():
    with pytest.raises(ValueError, match="last step"):
        plots.backprop_table(widgets.backprop_steps(3))


def test_clipping_figures_show_the_same_factor_and_the_threshold():
    import matplotlib.pyplot as plt
    before, g = np.array([3e4, 1e5, 2e5]), 4e5
    after = before / g                                                   # clipped at c = 1
    fig, axes = plt.subplots(1, 2, figsize=(10, 4), layout="constrained")
    plots.plot_clipping(axes[0], before, after, g, 1.0, max_norm=1.0)
    plots.plot_norm_by_depth(axes[1], [1, 2, 4], {"std 1": [6.0, 43.0, 1e3], "He": [1.2, 2.6, 2.9]}, max_norm=1.0)
    heights = [p.get_height() for p in axes[0].patches]
    assert np.allclose(heights, [*before, g, *after, 1.0])              # before + global, then after + global
    assert np.allclose(np.log10(heights[:4]) - np.log10(heights[4:]), np.log10(g))   # one shift on the log axis
    assert axes[0].get_yscale() == "log" and axes[1].get_yscale() == "log"
    assert "2.5e-06" in axes[0].get_title()                              # the factor c/‖g‖, in the title
    assert [line.get_ydata()[0] for line in axes[0].lines] == [1.0]     # the threshold line at c
    assert [t.get_text() for t in axes[1].get_legend().get_texts()] == ["std 1", "He", "clipping threshold c = 1"]
    _assert_readable_and_inside(fig)
    renderer = _renderer(fig)
    key = axes[0].get_legend().get_window_extent(renderer)
    assert all(p.get_window_extent(renderer).y1 < key.y0 for p in axes[0].patches)   # the key above the bars
    plt.close(fig)


def test_compgraph_text_is_readable():
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(10, 3.6), layout="constrained")
    nodes = {"w": {"pos": (0, 0), "value": 0.8, "grad": -0.22}, "z": {"pos": (5, 0), "value": 0.7, "grad": -0.147}}
    plots.draw_compgraph(ax, nodes, [("w", "z", "∂z/∂w = x = 1.5")], title="one link")
    _assert_readable_and_inside(fig)
    plt.close(fig)
