"""Checks of notebook 6 (optimizers): a student's momentum and Adam step rules run side by side with
annlib's SGD and Adam on a quadratic (``_nb6_run_step_check``), and the learning-rate exercise on the
ill-conditioned bowl.
"""
import warnings

import numpy as np

from ._check import CORRECT, NOT_IMPLEMENTED, WRONG, _fmt, _report


def _nb6_quadratic_gradients(p, H):
    return H * p                      # gradient of ½ Σ H_i p_i², element-wise curvatures H


def _nb6_run_step_check(name, student, reference, cases, steps=5, rtol=1e-6, atol=1e-10):
    """Run the student's step rule and annlib's optimizer side by side on a quadratic for a few steps.

    student(param, grad, state, **hyper) must change ``param`` in place. ``reference(**hyper)`` makes
    the annlib optimizer. ``cases``: [(description, p0, H, hyper)]. Prints the first step that differs.
    """
    title = f"{name}:"
    for description, p0, H, hyper in cases:
        mine, theirs = np.array(p0, dtype=float), np.array(p0, dtype=float)
        state, opt = {}, reference(**hyper)
        for t in range(1, steps + 1):
            g_mine, g_theirs = _nb6_quadratic_gradients(mine, H), _nb6_quadratic_gradients(theirs, H)
            before = mine.copy()
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("error", RuntimeWarning)
                    with np.errstate(over="raise", invalid="raise", divide="raise"):
                        student(mine, g_mine.copy(), state, **hyper)
            except NotImplementedError:
                return _report(name, NOT_IMPLEMENTED, f"⏳ {title} not yet implemented — replace "
                                                      "`raise NotImplementedError` with your code and run the cell again.")
            except Exception as e:
                return _report(name, WRONG, f"❌ {title} for {description}, at step {t} your function raised "
                                            f"{type(e).__name__}: {e}")
            opt.step([theirs], [g_theirs])
            if not isinstance(state, dict):
                return _report(name, WRONG, f"❌ {title} state must stay a dict.")
            if mine.shape != theirs.shape:
                return _report(name, WRONG, f"❌ {title} param changed shape to {mine.shape}.")
            if t == 1 and np.array_equal(before, mine) and not np.array_equal(before, theirs):
                return _report(name, WRONG, f"❌ {title} for {description}, param did not change after step 1. "
                                            "Update it in place, e.g. `param -= lr * ...` (a new array assigned "
                                            "to the name `param` is lost when the function returns).")
            if not np.allclose(mine, theirs, rtol=rtol, atol=atol):
                return _report(name, WRONG,
                               f"❌ {title} for {description}, after step {t}:\n"
                               f"   param expected {_fmt(theirs)}\n   got            {_fmt(mine)}\n"
                               f"   (same gradients and settings {hyper}; largest difference "
                               f"{np.max(np.abs(mine - theirs)):.3g})")
    return _report(name, CORRECT, f"✅ {title} matches annlib on all {len(cases)} runs of {steps} steps.")


def _nb6_step_cases(hyper_list):
    p0 = np.array([1.0, -2.0, 0.5])
    H = np.array([1.0, 10.0, 0.1])
    cases = [(f"param {_fmt(p0)} on a quadratic with settings {h}", p0, H, h) for h in hyper_list]
    rng = np.random.default_rng(8)
    P, HH = rng.standard_normal((3, 2)), rng.uniform(0.1, 5, (3, 2))
    cases.append((f"a (3, 2) parameter array with settings {hyper_list[0]}", P, HH, hyper_list[0]))
    return cases


def check_momentum_step(momentum_step):
    """Exercise: momentum_step(param, grad, state, lr, momentum) changes param in place:
    v ← momentum·v + grad (v starts at 0, kept in state), param ← param − lr·v. Checked against
    annlib.SGD(lr, momentum) for 5 steps."""
    from ..optimizers import SGD
    cases = _nb6_step_cases([{"lr": 0.1, "momentum": 0.9}, {"lr": 0.05, "momentum": 0.5}])
    return _nb6_run_step_check("momentum_step", momentum_step, lambda lr, momentum: SGD(lr, momentum=momentum), cases)


def check_adam_step(adam_step):
    """Exercise: adam_step(param, grad, state, lr, beta1, beta2, eps) changes param in place with Adam's
    update including bias correction (step count t kept in state). Checked against annlib.Adam for 5 steps."""
    from ..optimizers import Adam
    cases = _nb6_step_cases([{"lr": 0.1, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8},
                         {"lr": 0.01, "beta1": 0.5, "beta2": 0.9, "eps": 1e-8}])
    return _nb6_run_step_check("adam_step", adam_step,
                           lambda lr, beta1, beta2, eps: Adam(lr, betas=(beta1, beta2), eps=eps), cases)


LR_EXERCISE_STEPS, LR_EXERCISE_TOL = 60, 1e-3


def check_learning_rate(pick_learning_rate):
    """Exercise: pick_learning_rate() -> a float η such that plain gradient descent on the ill-conditioned
    bowl (widgets.SURFACES["ill-conditioned bowl"]) from its start reaches f − f* < 1e-3 within 60 steps."""
    name = "pick_learning_rate"
    try:
        lr = pick_learning_rate()
    except NotImplementedError:
        return _report(name, NOT_IMPLEMENTED, f"⏳ {name}: not yet implemented — return your learning rate.")
    except Exception as e:
        return _report(name, WRONG, f"❌ {name}: your function raised {type(e).__name__}: {e}")
    try:
        lr = float(lr)
    except (TypeError, ValueError):
        return _report(name, WRONG, f"❌ {name}: return a number (the learning rate), got {lr!r}.")
    if not (lr > 0 and np.isfinite(lr)):
        return _report(name, WRONG, f"❌ {name}: a learning rate must be a positive number, got {lr!r}.")
    f = lambda p: 0.5 * (p[0] ** 2 + 20.0 * p[1] ** 2)       # noqa: E731  (the bowl of notebook 6)
    p = np.array([-4.0, 1.0])
    with np.errstate(over="ignore", invalid="ignore"):
        for t in range(1, LR_EXERCISE_STEPS + 1):
            p = p - lr * np.array([p[0], 20.0 * p[1]])
            loss = f(p)
            if not np.isfinite(loss) or loss > 1e6:
                return _report(name, WRONG, f"❌ {name}: with η = {lr:g} gradient descent diverged at step {t} "
                                            f"(f = {loss:.3g}). The rate is too large for the steep direction.")
            if loss < LR_EXERCISE_TOL:
                return _report(name, CORRECT, f"✅ {name}: with η = {lr:g}, f − f* = {loss:.2g} < 1e-3 after {t} "
                                              f"steps (≤ {LR_EXERCISE_STEPS}).")
    if 0.5 * p[0] ** 2 >= 10.0 * p[1] ** 2:
        hint = "too small: it still crawls along the flat x direction"
    else:
        hint = "too large: it still zig-zags across the steep y direction"
    return _report(name, WRONG, f"❌ {name}: with η = {lr:g}, after {LR_EXERCISE_STEPS} steps f − f* = {loss:.3g} "
                                f"is still ≥ 1e-3 ({hint}).")
