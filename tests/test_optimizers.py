"""Step 6: optimizers and learning-rate schedules, against their update formulas written out here by hand."""
import math

import numpy as np
import pytest

import annlib
from annlib import SGD, AdaGrad, Adam, AdamW, RMSProp

_rng = np.random.default_rng(0)
P0 = [_rng.standard_normal((2, 3)), _rng.standard_normal(3)]                   # two parameter arrays
GRADS = [[_rng.standard_normal((2, 3)), _rng.standard_normal(3)] for _ in range(3)]   # three steps of gradients
LRS = [0.1, 0.1, 0.1]


def run(opt, lrs=LRS, dtype=np.float64):
    """Three steps of ``opt`` from P0 with GRADS; the learning rate of step t is lrs[t]."""
    params = [p.astype(dtype) for p in P0]
    trajectory = []
    for lr, grads in zip(lrs, GRADS):
        opt.lr = lr
        grads = [g.astype(dtype) for g in grads]
        copies = [g.copy() for g in grads]
        opt.step(params, grads)
        for g, c in zip(grads, copies):
            np.testing.assert_array_equal(g, c, err_msg="step must not change the gradients it is given")
        trajectory.append([p.copy() for p in params])
    return trajectory


# ----------------------------------------------------------------------------------------------
# The formulas, one array at a time, as on the slides
# ----------------------------------------------------------------------------------------------
def sgd(lrs, weight_decay=0.0):
    out, ps = [], [p.copy() for p in P0]
    for lr, gs in zip(lrs, GRADS):
        ps = [p - lr * (g + weight_decay * p) for p, g in zip(ps, gs)]
        out.append(ps)
    return out


def momentum(lrs, mu=0.9, nesterov=False):
    out, ps, vs = [], [p.copy() for p in P0], [np.zeros_like(p) for p in P0]
    for lr, gs in zip(lrs, GRADS):
        vs = [mu * v + g for v, g in zip(vs, gs)]
        if nesterov:
            ps = [p - lr * (g + mu * v) for p, g, v in zip(ps, gs, vs)]
        else:
            ps = [p - lr * v for p, v in zip(ps, vs)]
        out.append(ps)
    return out


def adagrad(lrs, eps=1e-8):
    out, ps, ss = [], [p.copy() for p in P0], [np.zeros_like(p) for p in P0]
    for lr, gs in zip(lrs, GRADS):
        ss = [s + g ** 2 for s, g in zip(ss, gs)]
        ps = [p - lr * g / (np.sqrt(s) + eps) for p, g, s in zip(ps, gs, ss)]
        out.append(ps)
    return out


def rmsprop(lrs, rho=0.9, eps=1e-8):
    out, ps, ss = [], [p.copy() for p in P0], [np.zeros_like(p) for p in P0]
    for lr, gs in zip(lrs, GRADS):
        ss = [rho * s + (1 - rho) * g ** 2 for s, g in zip(ss, gs)]
        ps = [p - lr * g / (np.sqrt(s) + eps) for p, g, s in zip(ps, gs, ss)]
        out.append(ps)
    return out


def adam(lrs, b1=0.9, b2=0.999, eps=1e-8, weight_decay=0.0, decoupled=False):
    out, ps = [], [p.copy() for p in P0]
    ms, vs = [np.zeros_like(p) for p in P0], [np.zeros_like(p) for p in P0]
    for t, (lr, gs) in enumerate(zip(lrs, GRADS), start=1):
        if decoupled:                                         # AdamW: shrink θ, then a plain Adam step
            ps = [p * (1 - lr * weight_decay) for p in ps]
        else:                                                 # Adam with L2: add wd·θ to the gradient
            gs = [g + weight_decay * p for g, p in zip(gs, ps)]
        ms = [b1 * m + (1 - b1) * g for m, g in zip(ms, gs)]
        vs = [b2 * v + (1 - b2) * g ** 2 for v, g in zip(vs, gs)]
        m_hat = [m / (1 - b1 ** t) for m in ms]
        v_hat = [v / (1 - b2 ** t) for v in vs]
        ps = [p - lr * mh / (np.sqrt(vh) + eps) for p, mh, vh in zip(ps, m_hat, v_hat)]
        out.append(ps)
    return out


CASES = {
    "sgd": (lambda: SGD(0.1), sgd),
    "sgd weight_decay": (lambda: SGD(0.1, weight_decay=0.1), lambda lrs: sgd(lrs, weight_decay=0.1)),
    "momentum": (lambda: SGD(0.1, momentum=0.9), momentum),
    "Momentum()": (lambda: annlib.Momentum(0.1), momentum),
    "momentum 0.5": (lambda: SGD(0.1, momentum=0.5), lambda lrs: momentum(lrs, mu=0.5)),
    "nesterov": (lambda: SGD(0.1, momentum=0.9, nesterov=True), lambda lrs: momentum(lrs, nesterov=True)),
    "adagrad": (lambda: AdaGrad(0.1), adagrad),
    "rmsprop": (lambda: RMSProp(0.1, rho=0.8), lambda lrs: rmsprop(lrs, rho=0.8)),
    "adam": (lambda: Adam(0.1), adam),
    "adam betas": (lambda: Adam(0.1, betas=(0.5, 0.9), eps=1e-6), lambda lrs: adam(lrs, 0.5, 0.9, 1e-6)),
    "adam weight_decay": (lambda: Adam(0.1, weight_decay=0.1), lambda lrs: adam(lrs, weight_decay=0.1)),
    "adamw": (lambda: AdamW(0.1, weight_decay=0.1), lambda lrs: adam(lrs, weight_decay=0.1, decoupled=True)),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_first_steps_follow_the_formula(case):
    make, formula = CASES[case]
    for step, (got, expected) in enumerate(zip(run(make()), formula(LRS)), start=1):
        for g, e in zip(got, expected):
            np.testing.assert_allclose(g, e, rtol=1e-12, atol=1e-14, err_msg=f"{case}, step {step}")


@pytest.mark.parametrize("case", sorted(CASES))
def test_changing_lr_between_steps_keeps_the_state(case):
    make, formula = CASES[case]
    lrs = [0.1, 0.02, 0.05]
    opt = make()
    got = run(opt, lrs)
    assert opt.t == 3 and opt.lr == 0.05
    for step, (g_step, e_step) in enumerate(zip(got, formula(lrs)), start=1):
        for g, e in zip(g_step, e_step):
            np.testing.assert_allclose(g, e, rtol=1e-12, atol=1e-14, err_msg=f"{case}, step {step}")


@pytest.mark.parametrize("case", sorted(CASES))
def test_float32_parameters_stay_float32(case):
    make, _ = CASES[case]
    got32, got64 = run(make(), dtype=np.float32), run(make())
    for p32, p64 in zip(got32[-1], got64[-1]):
        assert p32.dtype == np.float32
        np.testing.assert_allclose(p32, p64, rtol=1e-4, atol=1e-5)


def test_different_optimizers_really_differ():
    """Guards the tests above: the reference formulas are not all the same function."""
    finals = {case: np.concatenate([p.ravel() for p in formula(LRS)[-1]]) for case, (_, formula) in CASES.items()}
    names = sorted(finals)
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            if {a, b} != {"momentum", "Momentum()"}:
                assert not np.allclose(finals[a], finals[b]), f"{a} and {b} give the same result"


def test_clip_norm_rescales_the_global_gradient_norm():
    norm = math.sqrt(sum(float(np.sum(g ** 2)) for g in GRADS[0]))
    assert norm > 1.0
    params = [p.copy() for p in P0]
    SGD(0.1, clip_norm=1.0).step(params, GRADS[0])
    for p, p0, g in zip(params, P0, GRADS[0]):
        np.testing.assert_allclose(p, p0 - 0.1 * g / norm, rtol=1e-12)
    params = [p.copy() for p in P0]
    SGD(0.1, clip_norm=norm * 2).step(params, GRADS[0])          # below the threshold: unchanged
    for p, p0, g in zip(params, P0, GRADS[0]):
        np.testing.assert_allclose(p, p0 - 0.1 * g, rtol=1e-12)
    params = [p.copy() for p in P0]                                # clipping comes before weight decay
    SGD(0.1, clip_norm=1.0, weight_decay=0.5).step(params, GRADS[0])
    for p, p0, g in zip(params, P0, GRADS[0]):
        np.testing.assert_allclose(p, p0 - 0.1 * (g / norm + 0.5 * p0), rtol=1e-12)


def test_reset_forgets_the_state():
    opt = SGD(0.1, momentum=0.9)
    run(opt)
    opt.reset()
    assert opt.t == 0 and opt.state == [] and opt.arrays == []
    for g, e in zip(run(opt)[0], momentum(LRS)[0]):
        np.testing.assert_allclose(g, e, rtol=1e-12)


def test_each_array_has_its_own_state():
    """Two arrays stepped together give the same result as each stepped alone."""
    together = run(Adam(0.1))[-1]
    for i in range(2):
        alone, opt = P0[i].copy(), Adam(0.1)
        for grads in GRADS:
            opt.step([alone], [grads[i]])
        np.testing.assert_allclose(alone, together[i], rtol=1e-12)


# ----------------------------------------------------------------------------------------------
# Plain arrays: a point on the Rosenbrock function
# ----------------------------------------------------------------------------------------------
def rosenbrock_grad(p):
    x, y = p
    return np.array([-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)])


@pytest.mark.parametrize("make, steps", [(lambda: Adam(0.05), 3000), (lambda: SGD(1e-3, momentum=0.9), 5000),
                                         (lambda: SGD(1e-3, momentum=0.9, nesterov=True), 5000)],
                         ids=["adam", "momentum", "nesterov"])
def test_optimizer_finds_the_rosenbrock_minimum(make, steps):
    point, opt = np.array([-1.5, 2.0]), make()
    for _ in range(steps):
        opt.step([point], [rosenbrock_grad(point)])
    np.testing.assert_allclose(point, [1.0, 1.0], atol=1e-3)


def test_plain_sgd_is_too_slow_on_rosenbrock():
    """The contrast the lecture draws: the same number of plain SGD steps stays far from (1, 1)."""
    point, opt = np.array([-1.5, 2.0]), SGD(1e-3)
    for _ in range(3000):
        opt.step([point], [rosenbrock_grad(point)])
    assert np.linalg.norm(point - 1) > 0.05


# ----------------------------------------------------------------------------------------------
# Bad hyperparameters and bad calls
# ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("make", [lambda lr: SGD(lr), lambda lr: Adam(lr), lambda lr: AdamW(lr),
                                  lambda lr: RMSProp(lr), lambda lr: AdaGrad(lr)])
@pytest.mark.parametrize("lr", [0, -0.1, float("nan"), float("inf")])
def test_learning_rate_must_be_positive(make, lr):
    with pytest.raises(ValueError, match=r"lr \(the learning rate\) must be a finite number > 0"):
        make(lr)


def test_learning_rate_is_checked_when_changed():
    opt = Adam(0.01)
    with pytest.raises(ValueError, match="learning rate"):
        opt.lr = 0.0
    assert opt.lr == 0.01


@pytest.mark.parametrize("betas, which", [((1.0, 0.999), "beta1"), ((-0.1, 0.999), "beta1"),
                                          ((0.9, 1.0), "beta2"), ((0.9, 1.5), "beta2")])
def test_betas_must_be_in_0_1(betas, which):
    for cls in (Adam, AdamW):
        with pytest.raises(ValueError, match=rf"{which}\) must be in \[0, 1\), got"):
            cls(0.01, betas=betas)


@pytest.mark.parametrize("mu", [1.0, -0.1, 2])
def test_momentum_must_be_in_0_1(mu):
    with pytest.raises(ValueError, match=r"momentum must be in \[0, 1\)"):
        SGD(0.1, momentum=mu)


def test_other_hyperparameters_are_checked():
    with pytest.raises(ValueError, match="nesterov=True needs a momentum"):
        SGD(0.1, nesterov=True)
    with pytest.raises(ValueError, match=r"rho must be in \[0, 1\)"):
        RMSProp(0.1, rho=1.0)
    with pytest.raises(ValueError, match="weight_decay must be a finite number >= 0"):
        SGD(0.1, weight_decay=-1)
    with pytest.raises(ValueError, match="clip_norm must be a finite number > 0"):
        Adam(0.1, clip_norm=0)
    with pytest.raises(ValueError, match="eps must be"):
        Adam(0.1, eps=0)


def test_step_refuses_mismatched_arrays():
    with pytest.raises(ValueError, match="2 parameter arrays but 1 gradients"):
        SGD().step([np.zeros(2), np.zeros(3)], [np.zeros(2)])
    with pytest.raises(ValueError, match=r"gradient of shape \(3,\) for a parameter of shape \(2,\)"):
        SGD().step([np.zeros(2)], [np.zeros(3)])
    with pytest.raises(TypeError, match=r"float numpy arrays.*np.array\(\[...\], dtype=float\)"):
        SGD().step([np.array([1, 2])], [np.array([1, 1])])
    opt = Adam()
    p = np.zeros(2)
    opt.step([p], [np.ones(2)])
    opt.step([p], [np.ones(2)])                           # the same array again: fine
    with pytest.raises(ValueError, match="holds state for other arrays"):
        opt.step([p, np.zeros(2)], [np.ones(2), np.ones(2)])
    with pytest.raises(ValueError, match="holds state for other arrays"):
        opt.step([np.zeros(2)], [np.ones(2)])             # another array of the same shape: refused too
    opt.reset()
    opt.step([np.zeros(2)], [np.ones(2)])                 # after reset it starts afresh
    assert opt.t == 1


def test_an_optimizer_cannot_silently_carry_state_to_a_second_network():
    X, y = np.random.default_rng(0).standard_normal((20, 2)), np.arange(20) % 2
    opt = Adam(0.01)
    annlib.fit(annlib.mlp([2, 4, 2], output="softmax", seed=0), X, y, loss="cross_entropy", optimizer=opt,
               epochs=2, progress=False)
    with pytest.raises(ValueError, match="new optimizer per network"):
        annlib.fit(annlib.mlp([2, 4, 2], output="softmax", seed=1), X, y, loss="cross_entropy", optimizer=opt,
                   epochs=2, progress=False)


def test_optimizer_registry():
    assert isinstance(annlib.get_optimizer("adam", lr=0.1), Adam)
    nesterov = annlib.get_optimizer("nesterov", lr=0.1)
    assert nesterov.nesterov and nesterov.momentum == 0.9 and nesterov.lr == 0.1
    assert annlib.get_optimizer("momentum").momentum == 0.9
    opt = SGD()
    assert annlib.get_optimizer(opt) is opt
    with pytest.raises(ValueError, match="Unknown optimizer 'adamm'") as e:
        annlib.get_optimizer("adamm")
    for name in annlib.OPTIMIZERS:
        assert name in str(e.value)


# ----------------------------------------------------------------------------------------------
# Learning-rate schedules
# ----------------------------------------------------------------------------------------------
def test_constant_and_step_schedules():
    assert [annlib.ConstantLR(0.1)(t) for t in (0, 5, 100)] == [0.1, 0.1, 0.1]
    s = annlib.StepLR(0.1, step_size=3, gamma=0.5)
    for t in range(12):
        assert s(t) == pytest.approx(0.1 * 0.5 ** (t // 3))


def test_exponential_schedule():
    s = annlib.ExponentialLR(0.2, gamma=0.9)
    for t in range(10):
        assert s(t) == pytest.approx(0.2 * 0.9 ** t)


def test_cosine_schedule_with_warmup():
    lr, total, warmup, min_lr = 0.1, 10, 4, 0.005
    s = annlib.CosineLR(lr, total=total, min_lr=min_lr, warmup=warmup)
    for t in range(warmup):
        assert s(t) == pytest.approx(lr * (t + 1) / warmup)           # linear warm-up to lr
    for t in range(warmup, warmup + total + 5):
        tc = min(t - warmup, total)
        assert s(t) == pytest.approx(min_lr + 0.5 * (lr - min_lr) * (1 + math.cos(math.pi * tc / total)))
    assert s(warmup) == pytest.approx(lr)
    assert s(warmup + total // 2) == pytest.approx((lr + min_lr) / 2)
    assert s(warmup + total) == s(1000) == pytest.approx(min_lr)
    assert annlib.CosineLR(lr, total=5)(5) == pytest.approx(lr / 100), "default min_lr is lr/100"


def test_warmup_works_for_every_schedule():
    for s in (annlib.StepLR(0.1, 2, warmup=2), annlib.ExponentialLR(0.1, warmup=2), annlib.ConstantLR(0.1, warmup=2)):
        assert [s(0), s(1), s(2)] == pytest.approx([0.05, 0.1, 0.1])


def test_schedule_arguments_are_checked():
    with pytest.raises(ValueError, match=r"gamma must be in \(0, 1\)"):
        annlib.StepLR(0.1, step_size=2, gamma=1.0)
    with pytest.raises(ValueError, match=r"gamma must be in \(0, 1\)"):
        annlib.ExponentialLR(0.1, gamma=0)
    with pytest.raises(ValueError, match="warmup must be a whole number"):
        annlib.CosineLR(0.1, total=10, warmup=-1)
    with pytest.raises(ValueError, match="step_size is a whole number of epochs >= 1"):
        annlib.StepLR(0.1, step_size=0)
    with pytest.raises(ValueError, match="lr must be"):
        annlib.CosineLR(0, total=10)
