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
    # v ← μv + lr·g, θ ← θ − v: the same trajectory as the PyTorch form for a constant lr
    v = state.setdefault("v", np.zeros_like(param))
    v *= momentum
    v += lr * grad
    param -= v


def momentum_not_in_place(param, grad, state, lr, momentum=0.9):
    v = state.setdefault("v", np.zeros_like(param))
    v *= momentum
    v += grad
    param = param - lr * v        # noqa: F841  (rebinds the local name only)


def momentum_forgets_velocity(param, grad, state, lr, momentum=0.9):
    v = np.zeros_like(param)      # a new velocity every step: plain SGD
    v = momentum * v + grad
    param -= lr * v


def momentum_ema(param, grad, state, lr, momentum=0.9):
    v = state.setdefault("v", np.zeros_like(param))
    v *= momentum
    v += (1 - momentum) * grad
    param -= lr * v


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


@pytest.mark.parametrize("right", [momentum_right, momentum_sutskever])
def test_momentum_accepts_right_answers(right):
    assert checks.check_momentum_step(right).status == checks.CORRECT


@pytest.mark.parametrize("wrong", [momentum_not_in_place, momentum_forgets_velocity, momentum_ema, momentum_hard_coded,
                                   momentum_plus_sign, explodes, garbage])
def test_momentum_rejects_typical_mistakes(wrong):
    assert checks.check_momentum_step(wrong).status == checks.WRONG


def test_momentum_explains_the_in_place_update():
    assert "in place" in checks.check_momentum_step(momentum_not_in_place).message


def test_momentum_reports_the_step_that_differs():
    assert "after step 2" in checks.check_momentum_step(momentum_forgets_velocity).message


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


def adam_no_bias_correction(param, grad, state, lr, beta1=0.9, beta2=0.999, eps=1e-8):
    m = state.setdefault("m", np.zeros_like(param))
    v = state.setdefault("v", np.zeros_like(param))
    m[...] = beta1 * m + (1 - beta1) * grad
    v[...] = beta2 * v + (1 - beta2) * grad ** 2
    param -= lr * m / (np.sqrt(v) + eps)


def adam_step_count_not_kept(param, grad, state, lr, beta1=0.9, beta2=0.999, eps=1e-8):
    t = 1
    m = state.setdefault("m", np.zeros_like(param))
    v = state.setdefault("v", np.zeros_like(param))
    m[...] = beta1 * m + (1 - beta1) * grad
    v[...] = beta2 * v + (1 - beta2) * grad ** 2
    param -= lr * (m / (1 - beta1 ** t)) / (np.sqrt(v / (1 - beta2 ** t)) + eps)


def adam_no_sqrt(param, grad, state, lr, beta1=0.9, beta2=0.999, eps=1e-8):
    state["t"] = t = state.get("t", 0) + 1
    m = state.setdefault("m", np.zeros_like(param))
    v = state.setdefault("v", np.zeros_like(param))
    m[...] = beta1 * m + (1 - beta1) * grad
    v[...] = beta2 * v + (1 - beta2) * grad ** 2
    param -= lr * (m / (1 - beta1 ** t)) / (v / (1 - beta2 ** t) + eps)


def adam_hard_coded_betas(param, grad, state, lr, beta1=0.9, beta2=0.999, eps=1e-8):
    adam_right(param, grad, state, lr)


def adam_state_not_kept(param, grad, state, lr, beta1=0.9, beta2=0.999, eps=1e-8):
    adam_right(param, grad, {}, lr, beta1, beta2, eps)


def test_adam_accepts_the_right_answer():
    assert checks.check_adam_step(adam_right).status == checks.CORRECT


@pytest.mark.parametrize("wrong", [adam_no_bias_correction, adam_step_count_not_kept, adam_no_sqrt,
                                   adam_hard_coded_betas, adam_state_not_kept, explodes, garbage])
def test_adam_rejects_typical_mistakes(wrong):
    assert checks.check_adam_step(wrong).status == checks.WRONG


def test_adam_without_bias_correction_differs_at_step_1_and_lost_counter_at_step_2():
    assert "after step 1" in checks.check_adam_step(adam_no_bias_correction).message
    assert "after step 2" in checks.check_adam_step(adam_step_count_not_kept).message


def test_adam_stub_is_not_implemented():
    assert checks.check_adam_step(stub).status == checks.NOT_IMPLEMENTED


# -- pick_learning_rate -------------------------------------------------------------------------------
@pytest.mark.parametrize("lr", [0.08, 0.09, 0.095])
def test_learning_rate_accepts_rates_that_converge_in_60_steps(lr):
    assert checks.check_learning_rate(lambda: lr).status == checks.CORRECT


@pytest.mark.parametrize("lr, words", [(0.01, "too small"), (0.05, "too small"), (0.098, "too large"),
                                       (0.1, "too large"), (0.15, "diverged")])
def test_learning_rate_rejects_and_explains(lr, words):
    result = checks.check_learning_rate(lambda: lr)
    assert result.status == checks.WRONG and words in result.message


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
