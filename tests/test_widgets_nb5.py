"""Notebook 5 widgets, headless: the gradient-flow bar chart and the backprop stepper react to their controls."""
import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

import annlib as A  # noqa: E402
from annlib import widgets  # noqa: E402


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
