"""Notebook 6 widgets, headless: surfaces, the learning-rate explorer, the optimizer race and StepFunction."""
import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
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



@pytest.mark.parametrize("settings", [dict(), dict(lr=0.15, steps=40), dict(lr=0.00178, steps=100)])
def test_learning_rate_widget_key_sits_below_the_contour_panel_not_on_it(settings):
    w = widgets.learning_rate_explorer()
    w.set(**settings)
    renderer = w.fig._get_renderer()
    legend = w.axes[0].get_legend()
    box, panel = legend.get_window_extent(renderer), w.axes[0].get_window_extent(renderer)
    xlabel = w.axes[0].xaxis.label.get_window_extent(renderer)
    assert box.y1 <= xlabel.y0 + 1 and box.y1 <= panel.y0            # under the panel and its axis label
    assert box.y0 >= 0 and box.x0 >= 0 and box.x1 <= w.fig.bbox.x1   # not cut off by the figure's edge
    assert all(t.get_fontsize() >= 8 for t in legend.get_texts())

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


# -- your own rule in the race: any problem is said in words, inside the widget ---------------------------
def rule_rebinds(param, grad, state, lr):
    param = param - lr * grad             # noqa: F841  (a new local array: the race's param stays)


def rule_returns(param, grad, state, lr):
    return param - lr * grad


def rule_nan(param, grad, state, lr):
    param -= lr * grad / np.sqrt(-np.abs(grad))          # the square root of a negative number


def rule_divides_by_zero(param, grad, state, lr):
    s = state.setdefault("s", np.zeros_like(param))      # forgot to add g² before dividing
    param -= lr * grad / s


def rule_wrong_shape(param, grad, state, lr):
    param -= lr * np.outer(grad, grad)


def rule_three_arguments(param, grad, lr):
    param -= lr * grad


def rule_reads_empty_state(param, grad, state, lr):
    state["v"] = 0.9 * state["v"] + grad
    param -= lr * state["v"]


def rule_stub(param, grad, state, lr):
    raise NotImplementedError


def rule_float_division(param, grad, state, lr):
    param -= lr / state.get("t", 0) * grad                # Python number / 0: ZeroDivisionError


RULE_PROBLEMS = [
    (rule_rebinds, "has not changed param in 3 steps although the gradient is not 0: `param = param - …`"),
    (rule_returns, "returns the new param, but the optimizer ignores what it returns"),
    (rule_nan, "made param NaN at step 1"),
    (rule_divides_by_zero, "made param inf at step 1"),
    (rule_wrong_shape, "an in-place update (`param -= …`, `v += …`) writes into the array, so the right-hand side "
                       "must have its shape (2,)"),
    (rule_three_arguments, "must take these four arguments"),
    (rule_reads_empty_state, "state is an empty dict at the first step"),
    (rule_stub, "is not implemented yet"),
    (rule_float_division, "ZeroDivisionError"),
    (42, "custom must be a function"),
]


@pytest.mark.parametrize("rule, words", RULE_PROBLEMS, ids=[getattr(r, "__name__", repr(r)) for r, _ in RULE_PROBLEMS])
def test_a_broken_own_rule_is_explained_in_words_not_raised(rule, words):
    st = widgets.race_state("ill-conditioned bowl", 30, custom=rule, use_yours=True, use_sgd=True)
    assert words in st["runs"]["yours"]["error"], st["runs"]["yours"]["error"]
    assert st["final"]["yours"] == np.inf and np.isfinite(st["final"]["SGD"])   # the others race on


@pytest.mark.parametrize("rule, words", RULE_PROBLEMS[:3] + RULE_PROBLEMS[5:6],
                         ids=[r.__name__ for r, _ in RULE_PROBLEMS[:3] + RULE_PROBLEMS[5:6]])
def test_the_race_widget_shows_the_problem_of_your_rule(rule, words):
    import html
    w = widgets.optimizer_race(custom=rule, selected=("SGD", "Adam"))           # building it does not raise
    assert words in html.unescape(w.problems.value) and "yours" in w.problems.value
    assert w.problems in w.box.children                                        # shown inside the widget
    labels = [t.get_text() for t in w.axes[1].get_legend().get_texts()]
    assert any(label.startswith("yours") and "stopped" in label for label in labels)
    state = w.set(use_yours=False)                                              # untick it: the message goes
    assert "yours" not in state["runs"] and w.problems.value == ""


def test_a_rule_whose_first_step_does_nothing_is_not_called_rebinding():
    def old_velocity(param, grad, state, lr):             # moves from step 2 on (v starts at 0)
        v = state.setdefault("v", np.zeros_like(param))
        param -= lr * v
        v *= 0.9
        v += grad

    def in_place_and_returns(param, grad, state, lr):
        param -= lr * grad
        return param

    for rule in (old_velocity, in_place_and_returns):
        st = widgets.race_state("ill-conditioned bowl", 30, custom=rule, use_yours=True, lr_yours=0.01)
        assert st["runs"]["yours"]["error"] is None, rule.__name__


def test_step_function_in_fit_raises_the_problem_in_words():
    net = A.mlp([2, 4, 2], "tanh", seed=0)
    X, y = A.make_moons(n=64, noise=0.1, seed=0)
    with pytest.raises(widgets.StepRuleError, match="rebinds the name param"):
        A.fit(net, X, y, loss="softmax_cross_entropy", optimizer=widgets.StepFunction(rule_rebinds, lr=0.01),
              epochs=2, batch_size=32, seed=0, progress=False)


def test_sign_descent_of_the_notebook_reaches_the_valley_then_hops_by_about_lr():
    # notebook 6, section 5: the shipped example runs the whole race, goes downhill, and then hops around the
    # minimum with a step of about η in every coordinate (its step never gets smaller)
    st = widgets.race_state("ill-conditioned bowl", 100, custom=sign_descent, use_yours=True, lr_yours=0.07,
                            use_adam=True)
    yours = st["runs"]["yours"]
    assert yours["error"] is None and not yours["diverged"] and st["final"]["yours"] < 1e-2 * yours["gaps"][0]
    last = np.abs(np.diff(yours["path"][-10:], axis=0))
    assert np.allclose(last, 0.07) and st["final"]["yours"] > 1e-4                # hops, never settles


# -- weight decay figures (plots.plot_weight_norms, plots.plot_decay_per_weight) ---------------------------
def _bboxes_overlap(a, b):
    return a.x0 < b.x1 and b.x0 < a.x1 and a.y0 < b.y1 and b.y0 < a.y1


def test_weight_norm_plot_draws_each_run_and_keeps_the_lines_below_its_legend():
    from annlib import plots
    norms = {"no decay": np.linspace(3, 4.2, 301), "L2": np.r_[3.0, np.full(300, 1.3)],
             "decoupled": np.linspace(3, 3.1, 301)}
    fig, ax = plt.subplots(figsize=(5, 4), layout="constrained")       # as in the notebook
    plots.plot_weight_norms(ax, norms, target=(1.3, "minimum of the penalized loss"))
    lines = [line for line in ax.get_lines() if len(line.get_xdata()) == 301]
    assert [line.get_label() for line in lines] == list(norms)
    assert np.allclose(lines[0].get_ydata(), norms["no decay"]) and np.allclose(lines[0].get_xdata(), np.arange(301))
    assert any(np.allclose(line.get_ydata(), 1.3) and line.get_label().startswith("minimum") for line in ax.get_lines())
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    legend_box = ax.get_legend().get_window_extent(renderer)
    points = ax.transData.transform(np.column_stack([np.arange(301), norms["no decay"]]))
    assert points[:, 1].max() < legend_box.y0                 # the highest line ends under the legend
    assert ax.get_ylim()[0] <= 1.3 and ax.get_ylim()[1] > 4.2
    plt.close(fig)
    fig, ax = plots.figure(figsize=(5, 4))                               # a widget's figure (no pyplot) works too
    plots.plot_weight_norms(ax, norms)
    assert ax.get_legend() is not None and ax.get_ylim()[1] > 4.2


def test_decay_per_weight_plot_is_log_log_and_broadcasts_a_constant_rate():
    from annlib import plots
    scales = np.geomspace(1e-4, 1e2, 25)
    fig, ax = plt.subplots(figsize=(5, 4), layout="constrained")
    plots.plot_decay_per_weight(ax, scales, {"Adam + L2": 1e-5 / scales, "AdamW": 1e-5})
    assert ax.get_xscale() == "log" and ax.get_yscale() == "log"
    adam, adamw = ax.get_lines()[:2]
    assert np.allclose(adam.get_xdata(), scales) and np.allclose(adam.get_ydata(), 1e-5 / scales)
    assert np.allclose(adamw.get_ydata(), 1e-5) and len(adamw.get_ydata()) == 25
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    for text in [ax.xaxis.label, ax.yaxis.label, ax.title]:
        box = text.get_window_extent(renderer)
        assert box.x0 >= 0 and box.x1 <= fig.bbox.x1 and box.y0 >= 0 and box.y1 <= fig.bbox.y1   # not clipped
    legend_box = ax.get_legend().get_window_extent(renderer)
    assert not _bboxes_overlap(ax.title.get_window_extent(renderer), legend_box)
    points = ax.transData.transform(np.column_stack([scales, 1e-5 / scales]))
    assert not any(legend_box.contains(x, y) for x, y in points)          # the legend covers no marker
    plt.close(fig)


def test_adam_with_l2_decays_weights_with_small_gradients_more_than_adamw():
    """The claim of the figure: Adam divides the L2 gradient λθ by √v̂, AdamW shrinks every weight by ηλ."""
    scales = np.array([1e-4, 1.0, 1e2])
    rng = np.random.default_rng(1)
    theta, adam = np.ones(3), A.Adam(1e-3, weight_decay=0.01)
    for _ in range(200):
        adam.step([theta], [scales * rng.standard_normal(3)])
    v_hat = adam.state[0]["v"] / (1 - adam.beta2 ** adam.t)
    ratio = 1 / (np.sqrt(v_hat) + adam.eps)                # Adam + L2's pull over AdamW's ηλ
    assert ratio[0] > 50 and 0.5 < ratio[1] < 2 and ratio[2] < 1 / 50
    p, q = np.ones(3), np.ones(3)
    A.AdamW(1e-3, weight_decay=0.01).step([p], [np.zeros(3)])
    A.SGD(1e-3, weight_decay=0.01).step([q], [np.zeros(3)])
    assert np.allclose(p, 1 - 1e-5) and np.allclose(q, 1 - 1e-5)   # the same fraction ηλ for every weight


# -- the widgets' figures at extreme settings ---------------------------------------------------------------
def _labelled_yticks(ax):
    """The y tick labels in view that show text, major and minor."""
    lo, hi = ax.get_ylim()
    shown = []
    for ticks in (ax.yaxis.get_major_ticks(), ax.yaxis.get_minor_ticks()):
        shown += [t.label1.get_text() for t in ticks if lo <= t.get_loc() <= hi and t.label1.get_text()]
    return shown


def test_race_legend_sits_beside_the_loss_panel_inside_the_figure_at_any_setting():
    w = widgets.optimizer_race()
    every = {f"use_{n.lower()}": True for n in widgets.RACE_OPTIMIZERS}
    settings = [dict(steps=300, **every, **{f"lr_{n.lower()}": 10 ** 0.5 for n in widgets.RACE_OPTIMIZERS}),
                dict(surface="Rosenbrock"),                                      # three of them diverge
                dict(steps=10, **{f"lr_{n.lower()}": 1e-4 for n in widgets.RACE_OPTIMIZERS})]   # longer labels
    for values in settings:
        w.set(**values)
        renderer = w.fig._get_renderer()
        legend = w.axes[1].get_legend().get_window_extent(renderer)
        panel = w.axes[1].get_window_extent(renderer)
        assert legend.x0 >= panel.x1                                 # beside the curves, never over them
        assert legend.x1 <= w.fig.bbox.x1 and legend.y0 >= 0        # and not cut off by the figure's edge
        assert all(t.get_fontsize() >= 8 for t in w.axes[1].get_legend().get_texts())   # readable: >= 8 pt
    assert not any("(diverged)" in t.get_text() for t in w.axes[1].get_legend().get_texts())   # 10 steps: none
    w.set(surface="Rosenbrock", steps=300, **{f"lr_{n.lower()}": 10 ** 0.5 for n in widgets.RACE_OPTIMIZERS})
    labels = [t.get_text() for t in w.axes[1].get_legend().get_texts()]
    assert sum("(diverged)" in t for t in labels) == 3 and all("\n" not in t for t in labels)


def test_a_loss_axis_spanning_less_than_two_decades_still_has_labels():
    w = widgets.optimizer_race()
    w.set(surface="Rosenbrock", steps=10, lr_sgd=1e-4, lr_momentum=1e-4, lr_adam=1e-4)    # f − f* from 12 to 6
    lo, hi = w.axes[1].get_ylim()
    assert hi / lo < 10
    assert len(_labelled_yticks(w.axes[1])) >= 3
    w.set(surface="ill-conditioned bowl", steps=150, use_sgd=True)
    w.use_suggested_rates()                                           # many decades: only the powers of ten
    assert all(label.startswith("10") for label in _labelled_yticks(w.axes[1]))


def test_learning_rate_widget_says_where_a_diverged_run_stopped():
    w = widgets.learning_rate_explorer()
    state = w.set(lr=1.0, steps=100)
    assert state["diverged"] and len(state["gaps"]) < 5
    assert f"diverged at step {len(state['gaps'])}" in w.axes[1].get_title()
    w.set(lr=0.05, steps=30)
    assert "diverged" not in w.axes[1].get_title()


def test_sliders_redraw_on_release_not_on_every_pixel_of_a_drag():
    """A redraw takes a few hundred ms on a busy machine: while dragging, events would queue up."""
    for w in (widgets.learning_rate_explorer(), widgets.optimizer_race()):
        sliders = [c for c in w.controls.values() if hasattr(c, "continuous_update")]
        assert sliders and not any(c.continuous_update for c in sliders)
