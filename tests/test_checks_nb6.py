"""The notebook 6 exercise checks accept right answers, reject typical wrong ones, and never raise."""
import numpy as np
import pytest

from annlib import checks
from student_fakes import stub, explodes, garbage


# -- momentum_step ----------------------------------------------------------------------------------
def momentum_right(param, grad, state, lr, momentum=0.9):
    v = state.setdefault("v", np.zeros_like(param))
    v *= momentum
    v += grad
    param -= lr * v


def momentum_sutskever(param, grad, state, lr, momentum=0.9):
    # v ← μv + lr·g, θ ← θ − v: the same trajectory as the PyTorch form for a constant lr (not a mistake)
    v = state.setdefault("v", np.zeros_like(param))
    v *= momentum
    v += lr * grad
    param -= v


def momentum_minus_convention(param, grad, state, lr, momentum=0.9):
    # v ← μv − lr·g, θ ← θ + v: the same rule again, written with the other sign (not a mistake)
    state["v"] = momentum * state.get("v", 0.0) - lr * grad
    param += state["v"]


def momentum_written_back(param, grad, state, lr, momentum=0.9):
    v = state.get("v", np.zeros_like(param))
    v = momentum * v + grad
    state["v"] = v
    param -= lr * v


def momentum_not_in_place(param, grad, state, lr, momentum=0.9):
    v = state.setdefault("v", np.zeros_like(param))
    v *= momentum
    v += grad
    param = param - lr * v        # noqa: F841  (rebinds the local name only)


def momentum_returns_param(param, grad, state, lr, momentum=0.9):
    v = state.setdefault("v", np.zeros_like(param))
    v *= momentum
    v += grad
    return param - lr * v


def momentum_forgets_velocity(param, grad, state, lr, momentum=0.9):
    v = np.zeros_like(param)      # a new velocity every step: plain SGD
    v = momentum * v + grad
    param -= lr * v


def momentum_rebinds_velocity(param, grad, state, lr, momentum=0.9):
    v = state.setdefault("v", np.zeros_like(param))
    v = momentum * v + grad       # a new array: state["v"] stays 0
    param -= lr * v


def momentum_ignores_velocity(param, grad, state, lr, momentum=0.9):
    v = state.setdefault("v", np.zeros_like(param))
    v *= momentum
    v += grad
    param -= lr * grad


def momentum_ema(param, grad, state, lr, momentum=0.9):
    v = state.setdefault("v", np.zeros_like(param))
    v *= momentum
    v += (1 - momentum) * grad
    param -= lr * v


def momentum_old_velocity(param, grad, state, lr, momentum=0.9):
    v = state.setdefault("v", np.zeros_like(param))
    param -= lr * v               # the step before the velocity is updated
    v *= momentum
    v += grad


def momentum_hard_coded(param, grad, state, lr, momentum=0.9):
    v = state.setdefault("v", np.zeros_like(param))
    v *= 0.9
    v += grad
    param -= lr * v


def momentum_plus_sign(param, grad, state, lr, momentum=0.9):
    v = state.setdefault("v", np.zeros_like(param))
    v *= momentum
    v += grad
    param += lr * v


def momentum_nesterov(param, grad, state, lr, momentum=0.9):
    v = state.setdefault("v", np.zeros_like(param))
    v *= momentum
    v += grad
    param -= lr * (grad + momentum * v)


def momentum_starts_at_grad(param, grad, state, lr, momentum=0.9):
    v = state.setdefault("v", grad.copy())
    v *= momentum
    v += grad
    param -= lr * v


def momentum_wrong_shape(param, grad, state, lr, momentum=0.9):
    v = state.setdefault("v", np.zeros(len(param)))
    v *= momentum
    v += grad.sum(axis=-1)
    param -= lr * v[:, None]


def momentum_velocity_per_row(param, grad, state, lr, momentum=0.9):
    v = state.setdefault("v", np.zeros(len(param)))     # one velocity per row: right for a vector only
    v *= momentum
    v += grad
    param -= lr * v


def momentum_minus_in_v(param, grad, state, lr, momentum=0.9):
    v = state.setdefault("v", np.zeros_like(param))
    v *= momentum
    v -= grad                     # the minus of the other convention, with the step of this one
    param -= lr * v


def test_a_state_array_of_the_wrong_shape_is_named():
    # a velocity of shape (3,) for a (3, 2) param that broadcasts into a run: recognised by the state's shape
    from annlib.checks import nb6
    p0, H = np.ones((3, 2)), np.ones((3, 2))
    run = nb6._run(momentum_wrong_shape, p0, H, {"lr": 0.1, "momentum": 0.9})
    assert run.error is None
    named = [m.says for m in nb6._PARAM_MISTAKES if m.shown_by(run, None, (p0, H, {}))]
    assert named and "np.zeros_like(param)" in named[0] and "does not have param's shape" in named[0]


@pytest.mark.parametrize("right", [momentum_right, momentum_sutskever, momentum_minus_convention,
                                   momentum_written_back])
def test_momentum_accepts_right_answers(right):
    assert checks.check_momentum_step(right).status == checks.CORRECT


MOMENTUM_MISTAKES = [
    (momentum_ema, "v = μv + (1 − μ)g; notebook 6 uses PyTorch's v = μv + g"),
    (momentum_old_velocity, "uses the old velocity: update v first"),
    (momentum_not_in_place, "rebinds `param`"),
    (momentum_returns_param, "ignores what it returns"),
    (momentum_forgets_velocity, "the velocity is not kept between steps"),
    (momentum_rebinds_velocity, "state['v'] still holds the old one"),
    (momentum_ignores_velocity, "the velocity is computed but not used"),
    (momentum_plus_sign, "param moves uphill"),
    (momentum_nesterov, "this is Nesterov momentum"),
    (momentum_starts_at_grad, "the velocity starts at the first gradient"),
    (momentum_hard_coded, "ignores the momentum it is given"),
    (momentum_wrong_shape, "an in-place update (param -= …, v += …) needs a right-hand side of the array's own shape"),
    (momentum_velocity_per_row, "an array in state does not have param's shape"),
    (momentum_minus_in_v, "param moves uphill"),
    (explodes, "KeyError"),
    (garbage, "ignores what it returns"),
]


@pytest.mark.parametrize("wrong, words", MOMENTUM_MISTAKES, ids=[f.__name__ for f, _ in MOMENTUM_MISTAKES])
def test_momentum_names_the_typical_mistakes(wrong, words):
    result = checks.check_momentum_step(wrong)
    assert result.status == checks.WRONG and words in result.message, result.message


def test_momentum_evidence_stays_under_the_diagnosis():
    message = checks.check_momentum_step(momentum_forgets_velocity).message
    assert message.index("not kept") < message.index("after step 2") and "param expected" in message
    message = checks.check_momentum_step(momentum_old_velocity).message
    assert "after step 1" in message        # the first step did nothing: shown, but not called rebinding
    assert "rebinds" not in message


def test_momentum_stub_is_not_implemented():
    assert checks.check_momentum_step(stub).status == checks.NOT_IMPLEMENTED


# -- adam_step --------------------------------------------------------------------------------------
def adam_right(param, grad, state, lr, beta1=0.9, beta2=0.999, eps=1e-8):
    state["t"] = t = state.get("t", 0) + 1
    m = state.setdefault("m", np.zeros_like(param))
    v = state.setdefault("v", np.zeros_like(param))
    m[...] = beta1 * m + (1 - beta1) * grad
    v[...] = beta2 * v + (1 - beta2) * grad ** 2
    m_hat, v_hat = m / (1 - beta1 ** t), v / (1 - beta2 ** t)
    param -= lr * m_hat / (np.sqrt(v_hat) + eps)


def adam_written_back(param, grad, state, lr, beta1=0.9, beta2=0.999, eps=1e-8):
    t = state.get("t", 1)                       # t starts at 1 and is counted after use: also right
    m = beta1 * state.get("m", 0.0) + (1 - beta1) * grad
    v = beta2 * state.get("v", 0.0) + (1 - beta2) * grad * grad
    state.update(m=m, v=v, t=t + 1)
    param -= lr * (m / (1 - beta1 ** t)) / ((v / (1 - beta2 ** t)) ** 0.5 + eps)


def _adam_variant(**change):
    """adam_right with one thing changed the way a beginner gets it wrong."""
    def step(param, grad, state, lr, beta1=0.9, beta2=0.999, eps=1e-8):
        if change.get("swap"):
            beta1, beta2 = beta2, beta1
        t = state.get("t", 0) + (0 if change.get("t_after") else 1)
        if change.get("t_fixed"):
            t = 1
        elif not change.get("t_lost"):
            state["t"] = t + (1 if change.get("t_after") else 0)
        m = state.setdefault("m", np.zeros_like(param))
        v = state.setdefault("v", np.zeros_like(param))
        if change.get("rebind_mv"):
            m = beta1 * m + (1 - beta1) * grad
            v = beta2 * v + (1 - beta2) * grad ** 2
        else:
            m[...] = beta1 * m + (1 - beta1) * grad
            v[...] = beta2 * v + (1 - beta2) * (grad if change.get("g_not_squared") else grad ** 2)
        m_hat = m if change.get("no_correction") else m / (1 - beta1 ** t)
        v_hat = v if change.get("no_correction") else v / (1 - beta2 ** t)
        if change.get("no_sqrt"):
            param -= lr * m_hat / (v_hat + eps)
        elif change.get("eps_inside"):
            param -= lr * m_hat / np.sqrt(v_hat + eps)
        elif change.get("math_sqrt"):
            import math
            param -= lr * m_hat / (math.sqrt(v_hat) + eps)
        elif change.get("rebind_param"):
            param = param - lr * m_hat / (np.sqrt(v_hat) + eps)      # noqa: F841
        else:
            param -= lr * m_hat / (np.sqrt(v_hat) + eps)
    return step


def adam_step_count_not_kept(param, grad, state, lr, beta1=0.9, beta2=0.999, eps=1e-8):
    t = 1
    m = state.setdefault("m", np.zeros_like(param))
    v = state.setdefault("v", np.zeros_like(param))
    m[...] = beta1 * m + (1 - beta1) * grad
    v[...] = beta2 * v + (1 - beta2) * grad ** 2
    param -= lr * (m / (1 - beta1 ** t)) / (np.sqrt(v / (1 - beta2 ** t)) + eps)


def adam_stores_hats(param, grad, state, lr, beta1=0.9, beta2=0.999, eps=1e-8):
    state["t"] = t = state.get("t", 0) + 1
    m = beta1 * state.get("m", 0.0) + (1 - beta1) * grad
    v = beta2 * state.get("v", 0.0) + (1 - beta2) * grad ** 2
    state["m"], state["v"] = m / (1 - beta1 ** t), v / (1 - beta2 ** t)
    param -= lr * state["m"] / (np.sqrt(state["v"]) + eps)


def adam_hard_coded_betas(param, grad, state, lr, beta1=0.9, beta2=0.999, eps=1e-8):
    adam_right(param, grad, state, lr, eps=eps)


def adam_hard_coded_eps(param, grad, state, lr, beta1=0.9, beta2=0.999, eps=1e-8):
    adam_right(param, grad, state, lr, beta1, beta2)


def adam_state_not_kept(param, grad, state, lr, beta1=0.9, beta2=0.999, eps=1e-8):
    adam_right(param, grad, {}, lr, beta1, beta2, eps)


def adam_mv_not_kept(param, grad, state, lr, beta1=0.9, beta2=0.999, eps=1e-8):
    state["t"] = t = state.get("t", 0) + 1
    m = (1 - beta1) * grad
    v = (1 - beta2) * grad ** 2
    param -= lr * (m / (1 - beta1 ** t)) / (np.sqrt(v / (1 - beta2 ** t)) + eps)


def test_adam_accepts_the_right_answers():
    assert checks.check_adam_step(adam_right).status == checks.CORRECT
    assert checks.check_adam_step(adam_written_back).status == checks.CORRECT


ADAM_MISTAKES = [
    (_adam_variant(no_correction=True), "without bias correction the first steps are too large"),
    (_adam_variant(t_after=True), "t is 0 when the bias correction uses it"),
    (_adam_variant(t_lost=True), "t is not counted between steps (it is not stored in state)"),
    (_adam_variant(t_fixed=True), "t is not counted between steps"),
    (adam_step_count_not_kept, "t is not counted between steps"),
    (_adam_variant(no_sqrt=True), "the square root is missing"),
    (_adam_variant(eps_inside=True), "ε is inside the square root"),
    (_adam_variant(g_not_squared=True), "v must average the squared gradient"),
    (_adam_variant(swap=True), "β₁ and β₂ are swapped"),
    (_adam_variant(rebind_mv=True), "still hold the old zeros"),
    (adam_mv_not_kept, "m and v are not kept between steps"),
    (adam_state_not_kept, "nothing is kept between steps"),
    (adam_stores_hats, "you store m̂ and v̂ in state"),
    (_adam_variant(rebind_param=True), "rebinds `param`"),
    (_adam_variant(math_sqrt=True), "math.sqrt takes one number"),
    (adam_hard_coded_betas, "ignores the beta1 and beta2"),
    (adam_hard_coded_eps, "ignores the eps"),
    (explodes, "KeyError"),
    (garbage, "ignores what it returns"),
]


@pytest.mark.parametrize("wrong, words", ADAM_MISTAKES, ids=[f"{k}" for k in range(len(ADAM_MISTAKES))])
def test_adam_names_the_typical_mistakes(wrong, words):
    result = checks.check_adam_step(wrong)
    assert result.status == checks.WRONG and words in result.message, result.message


def test_adam_evidence_names_the_step_that_differs():
    assert "after step 1" in checks.check_adam_step(_adam_variant(no_correction=True)).message
    assert "after step 2" in checks.check_adam_step(adam_step_count_not_kept).message
    assert "at step 1" in checks.check_adam_step(_adam_variant(t_after=True)).message


def test_adam_stub_is_not_implemented():
    assert checks.check_adam_step(stub).status == checks.NOT_IMPLEMENTED


@pytest.mark.parametrize("kind", ["momentum", "adam"])
def test_the_mistaken_rules_can_be_told_apart(kind):
    # on every test input, the known wrong rules give different runs (from each other and from annlib), so a
    # match names one mistake; only the plain-SGD ones agree and are told apart by the state they leave
    from annlib.checks import nb6
    if kind == "momentum":
        cases = nb6._nb6_step_cases([{"lr": 0.1, "momentum": 0.9}, {"lr": 0.05, "momentum": 0.5}])
        mistakes, right = nb6._momentum_mistakes, momentum_right
    else:
        cases = nb6._nb6_step_cases([{"lr": 0.1, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8},
                                     {"lr": 0.01, "beta1": 0.5, "beta2": 0.9, "eps": 1e-8}],
                                    extra=[{"lr": 0.05, "beta1": 0.8, "beta2": 0.99, "eps": 1e-3}])
        mistakes, right = nb6._adam_mistakes, adam_right
    fakes = [f for f, _ in (MOMENTUM_MISTAKES if kind == "momentum" else ADAM_MISTAKES)
             if f not in (explodes, garbage)]
    for description, p0, H, hyper in cases:
        runs = [nb6._run(f, p0, H, hyper) for f in fakes]
        ref = nb6._run(right, p0, H, hyper)
        for f, run in zip(fakes, runs):
            if nb6._same_run(run, ref):
                continue                    # this mistake does not show on this input (e.g. μ = 0.9 hard-coded)
            named = [m.says for m in nb6._PARAM_MISTAKES + mistakes(hyper)
                     if m.shown_by(run, None, (np.array(p0, dtype=float), H, hyper))
                     or (run.error is not None and m.raised(run.error))]
            assert named, (f.__name__, description)

# -- pick_learning_rate -------------------------------------------------------------------------------
@pytest.mark.parametrize("lr", [0.08, 0.09, 0.095])
def test_learning_rate_accepts_rates_that_converge_in_60_steps(lr):
    assert checks.check_learning_rate(lambda: lr).status == checks.CORRECT


@pytest.mark.parametrize("lr, words", [(0.01, "too small: gradient descent crawls along the flat x axis"),
                                       (0.05, "too small: gradient descent crawls along the flat x axis"),
                                       (0.098, "too large: y zig-zags across the steep y axis"),
                                       (0.1, "with η ≥ 2/20 = 0.1 the steep y axis does not settle"),
                                       (0.102, "with η ≥ 2/20 = 0.1 the steep y axis does not settle"),
                                       (0.15, "diverged: η is too large for the steep y axis")])
def test_learning_rate_rejects_and_explains(lr, words):
    result = checks.check_learning_rate(lambda: lr)
    assert result.status == checks.WRONG and words in result.message, result.message
    assert "η = 2/21 ≈ 0.095" in result.message             # the best constant rate is named
    assert "1 − 20η" in result.message                      # ... and why: the factor of the steep axis


def test_learning_rate_accepts_the_optimum():
    assert checks.check_learning_rate(lambda: 2 / 21).status == checks.CORRECT


def test_learning_rate_agrees_with_the_widget_surface():
    # the check's bowl is the notebook's bowl: the same rate converges in the widget's pure function
    from annlib import widgets
    assert widgets.lr_path_state(lr=0.09, steps=60)["converged"]
    assert not widgets.lr_path_state(lr=0.05, steps=60)["converged"]


@pytest.mark.parametrize("bad", [lambda: -0.1, lambda: "fast", lambda: None, lambda: float("nan"), explodes])
def test_learning_rate_rejects_non_rates_without_raising(bad):
    assert checks.check_learning_rate(bad).status == checks.WRONG


def test_learning_rate_stub_is_not_implemented():
    assert checks.check_learning_rate(stub).status == checks.NOT_IMPLEMENTED
