"""Checks of notebook 6 (optimizers): a student's momentum and Adam step rules run side by side with
annlib's SGD and Adam on a quadratic for a few steps, and the learning-rate exercise on the
ill-conditioned bowl.

How a wrong step rule is recognised: next to the student's rule and annlib's, the check runs the known
wrong rules of the exercise (the EMA momentum form, the old velocity, no bias correction, ...) from the
same start, and names the one whose whole trajectory (the parameter after every step, or the error it
raises and when) the student's equals. A few mistakes are recognised by a property instead (the parameter
never moved: ``param`` was rebound; the state holds a velocity that stayed 0: it was rebound).
"""
import math
import warnings

import numpy as np

from ._check import CORRECT, NOT_IMPLEMENTED, NOT_YET, Mistake, _fmt, _report, explain_error, wrong

_STEPS = 5


def _nb6_quadratic_gradients(p, H):
    return H * p                      # gradient of ½ Σ H_i p_i², element-wise curvatures H


def _error_kind(e):
    """What went wrong, independent of how it was written (numpy array or Python float)."""
    text = str(e)
    if isinstance(e, ZeroDivisionError) or "divide by zero" in text:
        return "division by zero"
    if isinstance(e, FloatingPointError):
        return "invalid value" if "invalid" in text else "overflow" if "overflow" in text else text
    return type(e).__name__


class _Run:
    """One rule run for a few steps: ``path`` (the parameter after each completed step), ``error`` and the
    step ``failed_at`` if it raised, the ``state`` dict at the end, and the last non-None value it returned."""

    def __init__(self, p0):
        self.p0, self.path, self.error, self.kind, self.failed_at = p0, [], None, None, None
        self.state, self.returned, self.reshaped = {}, None, None


def _run(rule, p0, H, hyper, steps=_STEPS, student=False):
    """Run ``rule(param, grad, state, **hyper)`` on the quadratic with curvatures H from p0, numpy errors
    raised. A student's NotImplementedError propagates (the stub); every other error ends the run."""
    p0 = np.array(p0, dtype=float)
    run, p, state = _Run(p0), p0.copy(), {}
    run.state = state
    for t in range(1, steps + 1):
        g = _nb6_quadratic_gradients(p, H)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error", RuntimeWarning)
                with np.errstate(over="raise", invalid="raise", divide="raise"):
                    out = rule(p, g.copy(), state, **hyper)
        except NotImplementedError:
            if student:
                raise
            run.error, run.kind, run.failed_at = NotImplementedError(), "NotImplementedError", t
            break
        except Exception as e:          # the rule failed: part of its outcome
            run.error, run.kind, run.failed_at = e, _error_kind(e), t
            break
        if out is not None:
            run.returned = out
        if p.shape != p0.shape:
            run.reshaped = p.shape
            break
        run.path.append(p.copy())
    return run


def _same_run(a, b, rtol=1e-6, atol=1e-10):
    return (a.kind == b.kind and a.failed_at == b.failed_at and len(a.path) == len(b.path)
            and all(np.allclose(x, y, rtol=rtol, atol=atol) for x, y in zip(a.path, b.path)))


def _never_moved(run, *_):
    return bool(run.path) and all(np.array_equal(p, run.p0) for p in run.path)


def _arrays_in_state(run):
    return [a for a in run.state.values() if isinstance(a, np.ndarray) and a.shape == run.p0.shape]


def _like(rule, says, **override):
    """The mistake whose rule is ``rule``, run with the case's settings (``override`` replacing some)."""
    def test(got, want, args):
        p0, H, hyper = args
        return _same_run(got, _run(rule, p0, H, {**hyper, **override}))
    return Mistake(says, test=test)


def _like_and(rule, state_test, says):
    """Like ``_like``, and the student's state at the end passes ``state_test``."""
    same = _like(rule, says)
    return Mistake(says, test=lambda got, want, args: same.test(got, want, args) and state_test(got))


_PARAM_MISTAKES = [
    Mistake("your function returns the new param, but whoever calls it ignores what it returns: change param in "
            "place (param -= …) and return nothing.",
            test=lambda got, want, args: _never_moved(got) and got.returned is not None),
    Mistake("param did not change: your rule rebinds `param` (param = param - …) instead of changing it in "
            "place, so the caller's array stays as it was. Write param -= … (in place).", test=_never_moved),
]
_PARAM_MISTAKES.append(
    Mistake("an in-place update (param -= …, v += …) needs a right-hand side of the array's own shape: numpy "
            "cannot write a differently shaped result into it. Keep every array (v, m, the step) the shape of param "
            "and grad, e.g. np.zeros_like(param), and sum or index nothing away.",
            error=ValueError, match="non-broadcastable output operand"))
_PARAM_MISTAKES.append(
    Mistake("an array in state does not have param's shape (one value per parameter is needed): create it "
            "with np.zeros_like(param), not np.zeros(len(param)), so that each parameter has its own v, m, ….",
            test=lambda got, want, args: any(isinstance(a, np.ndarray) and a.ndim > 0 and a.shape != got.p0.shape
                                             for a in got.state.values())))
_MATH_SQRT = Mistake("math.sqrt takes one number; for an array use np.sqrt.", error=TypeError,
                     match="only (length-1|0-dimensional|size-1) arrays")


def _nb6_run_step_check(name, student, reference, cases, mistakes, steps=_STEPS, rtol=1e-6, atol=1e-10):
    """Run the student's step rule and annlib's optimizer side by side on a quadratic for a few steps.

    student(param, grad, state, **hyper) must change ``param`` in place. ``reference(**hyper)`` makes the
    annlib optimizer. ``cases``: [(description, p0, H, hyper)]. ``mistakes(hyper)``: the Mistakes to try on
    the first case the student's rule gets wrong; the first one shown by its run is named, then the step
    that differs as evidence.
    """
    def annlib_rule(param, grad, state, **hyper):
        state.setdefault("optimizer", reference(**hyper)).step([param], [grad])

    for description, p0, H, hyper in cases:
        try:
            got = _run(student, p0, H, hyper, steps, student=True)
        except NotImplementedError:
            return _report(name, NOT_IMPLEMENTED, f"⏳ {name}: {NOT_YET}")
        want = _run(annlib_rule, p0, H, hyper, steps)
        if _same_run(got, want, rtol, atol) and got.reshaped is None:
            continue
        evidence = _evidence(description, got, want, hyper)
        if got.reshaped is not None:
            return wrong(name, f"param changed shape from {np.shape(p0)} to {got.reshaped}: change its values "
                               "in place (param -= …), not its shape.", evidence)
        args = (np.array(p0, dtype=float), H, hyper)
        for m in _PARAM_MISTAKES + mistakes(hyper):
            if m.shown_by(got, want, args) or (got.error is not None and m.raised(got.error)):
                return wrong(name, m.says, evidence, m.says)
        if got.error is not None:
            return wrong(name, f"for {description}, at step {got.failed_at} {explain_error(got.error)}",
                         mistake="error")
        return wrong(name, f"wrong result for {description}.", evidence, "numbers")
    return _report(name, CORRECT, f"✅ {name}: matches annlib on all {len(cases)} runs of {steps} steps.")


def _evidence(description, got, want, hyper):
    if got.error is not None:
        return (f"for {description}, at step {got.failed_at} your function raised "
                f"{type(got.error).__name__}: {got.error}")
    for t, (mine, theirs) in enumerate(zip(got.path, want.path), start=1):
        if not np.allclose(mine, theirs, rtol=1e-6, atol=1e-10):
            return (f"for {description}, after step {t}:\nparam expected {_fmt(theirs)}\ngot            "
                    f"{_fmt(mine)}\n(settings {hyper}; largest difference {np.max(np.abs(mine - theirs)):.3g})")
    return f"for {description}"


def _nb6_step_cases(hyper_list, extra=()):
    p0 = np.array([1.0, -2.0, 0.5])
    H = np.array([1.0, 10.0, 0.1])
    cases = [(f"param {_fmt(p0)} on a quadratic with settings {h}", p0, H, h) for h in hyper_list]
    rng = np.random.default_rng(8)
    P, HH = rng.standard_normal((3, 2)), rng.uniform(0.1, 5, (3, 2))
    cases.append((f"a (3, 2) parameter array with settings {hyper_list[0]}", P, HH, hyper_list[0]))
    return cases + [(f"param {_fmt(p0)} on a quadratic with settings {h}", p0, H, h) for h in extra]


# -- momentum ------------------------------------------------------------------------------------------
def _momentum(param, grad, state, lr, momentum, ema=False, old_velocity=False, sign=-1, nesterov=False,
              start_at_grad=False):
    """SGD with momentum and its known wrong variants (the reference is all defaults)."""
    if "v" not in state:
        state["v"] = grad.copy() if start_at_grad else np.zeros_like(param)
    v = state["v"]
    if old_velocity:
        param += sign * lr * v
    v *= momentum
    v += (1 - momentum) * grad if ema else grad
    if nesterov:
        param += sign * lr * (grad + momentum * v)
    elif not old_velocity:
        param += sign * lr * v


def _plain_sgd(param, grad, state, lr, momentum):
    param -= lr * grad


def _momentum_mistakes(hyper):
    zeros = lambda run: any(not a.any() for a in _arrays_in_state(run))         # noqa: E731
    moving = lambda run: any(a.any() for a in _arrays_in_state(run))            # noqa: E731
    return [
        _like(lambda *a, **k: _momentum(*a, **k, ema=True),
              "this is the momentum form v = μv + (1 − μ)g; notebook 6 uses PyTorch's v = μv + g (no factor 1 − μ)."),
        _like(lambda *a, **k: _momentum(*a, **k, old_velocity=True),
              "the step uses the old velocity: update v first (v = μv + g), then param -= lr * v with the new v. "
              "(With the old one the first step does nothing, since v starts at 0.)"),
        _like_and(_plain_sgd, zeros,
                  "v = … makes a new array; state['v'] still holds the old one (zeros), so every step starts from "
                  "v = 0 and this is plain SGD: write it back (state['v'] = v) or update in place "
                  "(v *= momentum; v += grad)."),
        _like_and(_plain_sgd, moving,
                  "the velocity is computed but not used: the step is param -= lr * v, not lr * grad."),
        _like(_plain_sgd, "the velocity is not kept between steps (every step starts from v = 0, which is plain "
                          "SGD): store it in state, e.g. v = state.setdefault('v', np.zeros_like(param))."),
        _like(lambda *a, **k: _momentum(*a, **k, sign=+1),
              "param moves uphill: the step is param -= lr * v (minus), not +=."),
        _like(lambda *a, **k: _momentum(*a, **k, nesterov=True),
              "this is Nesterov momentum (param -= lr·(g + μv)); the exercise is plain momentum: param -= lr * v."),
        _like(lambda *a, **k: _momentum(*a, **k, start_at_grad=True),
              "the velocity starts at the first gradient; it starts at 0 (np.zeros_like(param)), then v = μv + g."),
        _like(_momentum, f"your function ignores the momentum it is given (momentum = {hyper['momentum']:g} here, "
                         "but it behaves like 0.9): use the argument `momentum`, not a fixed number.", momentum=0.9),
        _like(_momentum, f"your function ignores the lr it is given (lr = {hyper['lr']:g} here, but it behaves "
                         "like 0.1): use the argument `lr`, not a fixed number.", lr=0.1),
    ]


def check_momentum_step(momentum_step):
    """Exercise: momentum_step(param, grad, state, lr, momentum) changes param in place:
    v ← momentum·v + grad (v starts at 0, kept in state), param ← param − lr·v. Checked against
    annlib.SGD(lr, momentum) for 5 steps. (v ← μv + lr·g, param ← param − v is the same rule for a constant
    lr, and passes.)"""
    from ..optimizers import SGD
    cases = _nb6_step_cases([{"lr": 0.1, "momentum": 0.9}, {"lr": 0.05, "momentum": 0.5}])
    return _nb6_run_step_check("momentum_step", momentum_step, lambda lr, momentum: SGD(lr, momentum=momentum),
                               cases, _momentum_mistakes)


# -- Adam -----------------------------------------------------------------------------------------------
def _adam(param, grad, state, lr, beta1, beta2, eps, correct_m=True, correct_v=True, sqrt=True, eps_inside=False,
          g_not_squared=False, swap=False, swap_averages=False, t_first=1, keep_t=True, keep_mv=True,
          store_hat=False, eps_paper=False):
    """Adam and its known wrong variants (the reference is all defaults)."""
    if swap:
        beta1, beta2 = beta2, beta1
    t = state.get("t", t_first - 1) + 1 if keep_t else t_first      # t_first: t at the first step (1 is right)
    if keep_t:
        state["t"] = t
    zeros = np.zeros_like(param)
    m, v = (state.get("m", zeros), state.get("v", zeros)) if keep_mv else (zeros, zeros)
    b_m, b_v = (beta2, beta1) if swap_averages else (beta1, beta2)
    m = b_m * m + (1 - b_m) * grad
    v = b_v * v + (1 - b_v) * (grad if g_not_squared else grad ** 2)
    m_hat = m / (1 - beta1 ** t) if correct_m else m
    v_hat = v / (1 - beta2 ** t) if correct_v else v
    state["m"], state["v"] = (m_hat, v_hat) if store_hat else (m, v)
    if eps_paper:
        param -= lr * math.sqrt(1 - beta2 ** t) / (1 - beta1 ** t) * m / (np.sqrt(v) + eps)
    elif eps_inside:
        param -= lr * m_hat / np.sqrt(v_hat + eps)
    else:
        param -= lr * m_hat / ((np.sqrt(v_hat) if sqrt else v_hat) + eps)


def _adam_mistakes(hyper):
    b1, b2 = hyper["beta1"], hyper["beta2"]
    factor = (1 - b1) / math.sqrt(1 - b2)
    size = f"{factor:.2g}× too large" if factor > 1 else f"{1 / factor:.2g}× too small"
    zeros = lambda run: any(not a.any() for a in _arrays_in_state(run))         # noqa: E731

    def adam(says, **variant):
        return _like(lambda *a, **k: _adam(*a, **k, **variant), says)

    return [
        adam(f"without bias correction the first steps are too large or too small (here the first one is {size}): "
             "m and v start at 0, so divide, m̂ = m / (1 − β₁ᵗ) and v̂ = v / (1 − β₂ᵗ).",
             correct_m=False, correct_v=False),
        adam("only m is bias-corrected: v needs it too, v̂ = v / (1 − β₂ᵗ), else the first steps are too large.",
             correct_v=False),
        adam("only v is bias-corrected: m needs it too, m̂ = m / (1 − β₁ᵗ), else the first steps are too small.",
             correct_m=False),
        adam("t is 0 when the bias correction uses it, so 1 − β₁ᵗ = 0 and it divides by zero: count the step "
             "before using it (state['t'] = state.get('t', 0) + 1), so that t = 1 at the first step.", t_first=0),
        adam("the step count t is not counted between steps (it is not stored in state): it is 1 at every step, so "
             "the bias correction stays that of the first step. Keep it in state: "
             "state['t'] = state.get('t', 0) + 1.", keep_t=False),
        adam("t is one ahead: at the first step t must be 1 (start from 0 and add 1 before using it).", t_first=2),
        adam("the square root is missing: divide by √v̂ + ε (np.sqrt(v_hat) + eps), not by v̂ + ε.", sqrt=False),
        adam("ε is inside the square root: the formula is m̂ / (√v̂ + ε), with ε added after np.sqrt.",
             eps_inside=True),
        adam("this is the paper's shortcut lr·√(1 − β₂ᵗ)/(1 − β₁ᵗ)·m/(√v + ε), where ε is not bias-corrected; "
             "the exercise's formula is m̂ / (√v̂ + ε).", eps_paper=True),
        adam("v must average the squared gradient: v = β₂·v + (1 − β₂)·g² (grad ** 2), not g (a negative v has "
             "no square root).", g_not_squared=True),
        adam("β₁ and β₂ are swapped: m (the average of g) uses β₁, v (the average of g²) uses β₂.", swap=True),
        adam("β₁ and β₂ are swapped: m (the average of g) uses β₁, v (the average of g²) uses β₂.",
             swap_averages=True),
        adam("you store m̂ and v̂ in state: keep the raw m and v there and compute m̂, v̂ from them at each step.",
             store_hat=True),
        Mistake("m = β₁·m + … makes a new array; state['m'] and state['v'] still hold the old zeros: write them "
                "back (state['m'] = m) or update in place (m *= beta1; m += (1 - beta1) * grad).",
                test=lambda got, want, args: zeros(got) and _like(lambda *a, **k: _adam(*a, **k, keep_mv=False),
                                                                  "").test(got, want, args)),
        adam("m and v are not kept between steps, so each step starts them from 0: store them in state.",
             keep_mv=False),
        adam("nothing is kept between steps: m, v and t start afresh at every call, so every step is a first "
             "step. Store them in state (and count t there).", keep_mv=False, keep_t=False),
        _like(_adam, "your function ignores the beta1 and beta2 it is given (it behaves like 0.9 and 0.999): use "
                     "the arguments, not fixed numbers.", beta1=0.9, beta2=0.999),
        _like(_adam, f"your function ignores the eps it is given (eps = {hyper['eps']:g} here, but it behaves like "
                     "1e-8): use the argument `eps`.", eps=1e-8),
        _like(_adam, "your function ignores the beta1, beta2 and eps it is given: use the arguments, not fixed "
                     "numbers.", beta1=0.9, beta2=0.999, eps=1e-8),
        _MATH_SQRT,
    ]


def check_adam_step(adam_step):
    """Exercise: adam_step(param, grad, state, lr, beta1, beta2, eps) changes param in place with Adam's
    update including bias correction (step count t kept in state). Checked against annlib.Adam for 5 steps."""
    from ..optimizers import Adam
    cases = _nb6_step_cases([{"lr": 0.1, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8},
                             {"lr": 0.01, "beta1": 0.5, "beta2": 0.9, "eps": 1e-8}],
                            extra=[{"lr": 0.05, "beta1": 0.8, "beta2": 0.99, "eps": 1e-3}])
    return _nb6_run_step_check("adam_step", adam_step,
                               lambda lr, beta1, beta2, eps: Adam(lr, betas=(beta1, beta2), eps=eps), cases,
                               _adam_mistakes)


# -- the learning rate -------------------------------------------------------------------------------------
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
        return wrong(name, explain_error(e), mistake="error")
    if lr is None:
        return wrong(name, "your function returned None — did you forget `return`? Return the learning rate, "
                           "e.g. return 0.05.")
    if isinstance(lr, str):
        return wrong(name, f"return the number itself, not the text {lr!r}: write it without quotes.",
                     mistake="a string")
    if isinstance(lr, (bool, np.bool_)) or not isinstance(lr, (int, float, np.integer, np.floating)) and not (
            isinstance(lr, np.ndarray) and lr.ndim == 0 and np.issubdtype(lr.dtype, np.number)):
        return wrong(name, f"return one number (the learning rate η), got {lr!r}.", mistake="not a number")
    lr = float(lr)
    if not np.isfinite(lr) or lr <= 0:
        return wrong(name, f"a learning rate must be a positive number (a negative one walks uphill), got {lr!r}.")
    f = lambda p: 0.5 * (p[0] ** 2 + 20.0 * p[1] ** 2)       # noqa: E731  (the bowl of notebook 6)
    p = np.array([-4.0, 1.0])
    best = ("The best constant rate balances the two factors, |1 − η| = |1 − 20η|, at η = 2/21 ≈ 0.095.")
    with np.errstate(over="ignore", invalid="ignore"):
        for t in range(1, LR_EXERCISE_STEPS + 1):
            p = p - lr * np.array([p[0], 20.0 * p[1]])
            loss = f(p)
            if not np.isfinite(loss) or loss > 1e6:
                return wrong(name, f"with η = {lr:g} gradient descent diverged: η is too large for the steep y "
                                   f"axis. Each step multiplies y by 1 − 20η = {1 - 20 * lr:.3g}, and |1 − 20η| > 1 "
                                   f"once η > 2/20 = 0.1, so y jumps further out at every step. {best}",
                             f"f = {loss:.3g} at step {t}", "diverged")
            if loss < LR_EXERCISE_TOL:
                return _report(name, CORRECT, f"✅ {name}: with η = {lr:g}, f − f* = {loss:.2g} < 1e-3 after {t} "
                                              f"steps (≤ {LR_EXERCISE_STEPS}).")
    evidence = (f"after {LR_EXERCISE_STEPS} steps f − f* = {loss:.3g} is still ≥ 1e-3 (at x = {p[0]:.3g}, "
                f"y = {p[1]:.3g}; per step x is multiplied by 1 − η = {1 - lr:.3g}, y by 1 − 20η = {1 - 20 * lr:.3g})")
    if 0.5 * p[0] ** 2 >= 10.0 * p[1] ** 2:
        return wrong(name, f"η = {lr:g} is too small: gradient descent crawls along the flat x axis (x is "
                           f"multiplied by 1 − η = {1 - lr:.3g} per step, so it shrinks slowly). Take η larger, but "
                           f"below 2/20 = 0.1, where the steep y axis starts to diverge. {best}",
                     evidence, "too small")
    if abs(1 - 20 * lr) >= 1:
        return wrong(name, f"η = {lr:g} is too large: with η ≥ 2/20 = 0.1 the steep y axis does not settle (y is "
                           f"multiplied by 1 − 20η = {1 - 20 * lr:.3g} per step, |1 − 20η| ≥ 1, so it zig-zags at "
                           f"least as far out each time). Take η below 0.1. {best}",
                     evidence, "too large")
    return wrong(name, f"η = {lr:g} is too large: y zig-zags across the steep y axis (it is multiplied by "
                       f"1 − 20η = {1 - 20 * lr:.3g} per step, |1 − 20η| close to 1, so it settles slowly). Take η a "
                       f"little smaller. {best}",
                 evidence, "too large")
