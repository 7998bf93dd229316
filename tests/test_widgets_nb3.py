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
