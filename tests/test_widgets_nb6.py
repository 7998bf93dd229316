"""Notebook 6 widgets, headless: surfaces, the learning-rate explorer, the optimizer race and StepFunction."""
import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

import annlib as A  # noqa: E402
from annlib import widgets  # noqa: E402


# -- surfaces ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", list(widgets.SURFACES))
def test_surface_gradients_match_central_differences(name):
    s = widgets.SURFACES[name]
    rng = np.random.default_rng(0)
    for p in [s.start] + [rng.uniform([s.xlim[0], s.ylim[0]], [s.xlim[1], s.ylim[1]]) for _ in range(3)]:
        h = 1e-6
        numeric = [(s.f(p + h * e) - s.f(p - h * e)) / (2 * h) for e in np.eye(2)]
        assert np.allclose(s.grad(p), numeric, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("name", list(widgets.SURFACES))
def test_surface_minimum_is_stationary_and_lowest_on_a_grid(name):
    s = widgets.SURFACES[name]
    assert np.allclose(s.grad(s.minimum), 0, atol=1e-12)
    xx, yy = np.meshgrid(np.linspace(*s.xlim, 60), np.linspace(*s.ylim, 60))
    assert s.gap(np.stack([xx, yy], axis=-1)).min() >= -1e-12


# -- learning-rate explorer ---------------------------------------------------------------------------
def test_learning_rate_too_large_diverges_moderate_converges_small_crawls():
    assert widgets.lr_path_state(lr=0.12, steps=30)["diverged"]          # above 2 / 20
    good = widgets.lr_path_state(lr=0.08, steps=100)
    assert good["converged"] and np.all(np.diff(good["gaps"]) <= 0)
    slow = widgets.lr_path_state(lr=0.005, steps=100)
    assert not slow["converged"] and not slow["diverged"] and slow["final"] > 1.0


def test_gradient_descent_path_follows_the_update_rule():
    state = widgets.lr_path_state(lr=0.03, steps=5)
    p = widgets.SURFACES["ill-conditioned bowl"].start.copy()
    for k in range(1, 6):
        p = p - 0.03 * np.array([p[0], widgets.BOWL_KAPPA * p[1]])
        assert np.allclose(state["path"][k], p)


def test_learning_rate_widget_reacts_and_draws_the_path():
    w = widgets.learning_rate_explorer()
    assert not w.state["diverged"]
    state = w.set(lr=0.15, steps=40)
    assert state["diverged"] and state["lr"] == pytest.approx(0.15, rel=1e-6)
    state = w.set(lr=0.08, steps=100)
    assert state["converged"] and len(state["path"]) == 101
    ax = w.axes[0]
    drawn = [line for line in ax.get_lines() if len(line.get_xdata()) == 101]
    assert drawn and np.allclose(drawn[0].get_xdata(), state["path"][:, 0])


# -- optimizer race -----------------------------------------------------------------------------------
def test_momentum_beats_sgd_at_the_same_rate_on_the_bowl():
    st = widgets.race_state("ill-conditioned bowl", 100, use_sgd=True, use_momentum=True, lr_sgd=0.01,
                            lr_momentum=0.01)
    assert set(st["runs"]) == {"SGD", "Momentum"}
    assert st["final"]["Momentum"] < 1e-2 * st["final"]["SGD"]


@pytest.mark.parametrize("surface", list(widgets.SURFACES))
def test_suggested_rates_do_not_diverge_and_make_progress(surface):
    settings = {}
    for name in widgets.RACE_OPTIMIZERS:
        settings[f"use_{name.lower()}"] = True
        settings[f"lr_{name.lower()}"] = widgets.SUGGESTED_LR[surface][name]
    st = widgets.race_state(surface, 150, **settings)
    start = widgets.SURFACES[surface].gap(widgets.SURFACES[surface].start)
    for name, gap in st["final"].items():
        assert np.isfinite(gap) and gap < start, name


def test_a_too_large_rate_is_reported_as_diverged_not_raised():
    st = widgets.race_state("Rosenbrock", 50, use_sgd=True, lr_sgd=0.1)
    assert st["runs"]["SGD"]["diverged"] and st["final"]["SGD"] == np.inf
    assert len(st["runs"]["SGD"]["path"]) < 51


def sign_descent(param, grad, state, lr):
    param -= lr * np.sign(grad)


def counting_momentum(param, grad, state, lr):
    state["t"] = state.get("t", 0) + 1
    v = state.setdefault("v", np.zeros_like(param))
    v *= 0.9
    v += grad
    param -= lr * v


def test_a_custom_step_races_like_the_builtin_it_copies():
    st = widgets.race_state("ill-conditioned bowl", 60, custom=counting_momentum, use_momentum=True,
                            lr_momentum=0.01, use_yours=True, lr_yours=0.01)
    assert np.allclose(st["runs"]["yours"]["path"], st["runs"]["Momentum"]["path"])


@pytest.mark.parametrize("broken, text", [(lambda p, g, s, lr: (_ for _ in ()).throw(NotImplementedError()),
                                           "not implemented"),
                                          (lambda p, g, s, lr: 1 / 0, "ZeroDivisionError")])
def test_a_failing_custom_step_is_reported_not_raised(broken, text):
    st = widgets.race_state("saddle", 20, custom=broken, use_yours=True, use_sgd=True)
    assert text in st["runs"]["yours"]["error"] and st["final"]["yours"] == np.inf
    assert np.isfinite(st["final"]["SGD"])


def test_race_widget_reacts_to_its_controls_and_the_button():
    w = widgets.optimizer_race(custom=sign_descent, selected=("SGD",))
    assert set(w.state["runs"]) == {"SGD", "yours"}
    state = w.set(use_adam=True, use_yours=False, steps=40)
    assert set(state["runs"]) == {"SGD", "Adam"} and len(state["runs"]["Adam"]["gaps"]) == 41
    w.set(surface="Beale", lr_sgd=1e-4)
    state = w.use_suggested_rates()
    assert state["runs"]["SGD"]["lr"] == pytest.approx(widgets.SUGGESTED_LR["Beale"]["SGD"], rel=1e-6)
    assert w.controls["lr_adam"].value == pytest.approx(widgets.SUGGESTED_LR["Beale"]["Adam"], rel=1e-6)
    assert len(w.axes[1].get_lines()) == 2                           # one loss curve per ticked optimizer


# -- StepFunction ------------------------------------------------------------------------------------------
def test_step_function_keeps_one_state_per_array_and_uses_lr():
    opt = widgets.StepFunction(counting_momentum, lr=0.1)
    a, b = np.ones(3), np.ones((2, 2))
    for _ in range(3):
        opt.step([a, b], [np.ones(3), 2 * np.ones((2, 2))])
    assert opt.t == 3 and [s["t"] for s in opt.state] == [3, 3]
    ref_a, ref_b = np.ones(3), np.ones((2, 2))
    ref = A.SGD(0.1, momentum=0.9)
    for _ in range(3):
        ref.step([ref_a, ref_b], [np.ones(3), 2 * np.ones((2, 2))])
    assert np.allclose(a, ref_a) and np.allclose(b, ref_b)


def test_step_function_trains_a_network_with_fit():
    net = A.mlp([2, 8, 2], "tanh", seed=0)
    X, y = A.make_moons(n=100, noise=0.1, seed=0)
    hist = A.fit(net, X, y, loss="softmax_cross_entropy", optimizer=widgets.StepFunction(sign_descent, lr=0.01),
                 epochs=8, batch_size=32, seed=0, progress=False)
    assert hist.loss[-1] < hist.loss[0]
