"""Checks of notebook 1 (architecture): counting the parameters of an MLP, the output shape of a layer,
and Xavier-uniform initialization (checked by its statistics, since random numbers cannot be compared
one by one).
"""
import numpy as np

from ._check import CORRECT, WRONG, _report, call_student, run_check


def _n_parameters(sizes):
    """Parameters of a stack of Dense layers with these sizes: Σ (n_in·n_out + n_out)."""
    return sum(n_in * n_out + n_out for n_in, n_out in zip(sizes[:-1], sizes[1:]))


def check_count_parameters(count_parameters):
    """Exercise: count_parameters(sizes) -> the number of weights and biases of an MLP whose layer sizes
    are ``sizes = [n_inputs, hidden..., n_outputs]`` (a list of ints)."""
    cases = [(f"sizes = {s}", (s,)) for s in ([2, 3, 1], [4, 4], [2, 4, 3, 1], [784, 128, 64, 10], [10, 1])]
    return run_check("count_parameters", count_parameters, cases, _n_parameters)


def check_layer_output_shape(layer_output_shape):
    """Exercise: layer_output_shape(x_shape, W_shape) -> the shape (a tuple) of z = x @ W + b."""
    cases = [(f"x of shape {xs} and W of shape {ws}", (xs, ws))
             for xs, ws in (((32, 2), (2, 8)), ((1, 784), (784, 128)), ((5, 3), (3, 1)), ((100, 10), (10, 10)),
                            ((7, 4), (4, 2)))]
    return run_check("layer_output_shape", layer_output_shape, cases,
                     lambda x_shape, W_shape: np.array((x_shape[0], W_shape[1])))


def check_xavier_uniform(xavier_uniform):
    """Exercise: xavier_uniform(n_in, n_out, rng) -> W of shape (n_in, n_out) drawn from
    U(-limit, limit), limit = sqrt(6 / (n_in + n_out)), using the Generator ``rng``.

    Random numbers cannot be compared one by one, so this checks statistics: the shape, the bounds,
    that the values fill the whole interval evenly, the variance 2 / (n_in + n_out), and that the same
    rng seed gives the same W (and another seed another W)."""
    name = "xavier_uniform"
    for n_in, n_out, seed in ((400, 200, 0), (3, 7, 1)):
        W, failed = call_student(name, xavier_uniform, n_in, n_out, np.random.default_rng(seed))
        if failed:
            return failed
        where = f"for n_in={n_in}, n_out={n_out}"
        if W is None:
            return _report(name, WRONG, f"❌ {name}: {where} your function returned None — did you forget `return`?")
        W = np.asarray(W)
        if W.shape != (n_in, n_out):
            return _report(name, WRONG, f"❌ {name}: {where} W has shape {W.shape}, expected (n_in, n_out) = "
                                        f"{(n_in, n_out)}.")
        if not np.issubdtype(W.dtype, np.floating) or not np.all(np.isfinite(W)):
            return _report(name, WRONG, f"❌ {name}: {where} W must hold finite floats, got dtype {W.dtype}.")
        limit = np.sqrt(6 / (n_in + n_out))
        if np.abs(W).max() > limit * (1 + 1e-9):
            return _report(name, WRONG, f"❌ {name}: {where} W has values up to ±{np.abs(W).max():.4g}, but "
                                        f"U(-limit, limit) with limit = sqrt(6 / (n_in + n_out)) = {limit:.4g} never "
                                        "leaves that interval. Uniform, not normal; check the formula.")
        if W.size >= 1000:
            var, want_var = W.var(), 2 / (n_in + n_out)
            checks = [
                (np.abs(W).max() >= 0.95 * limit,
                 f"the largest |value| is {np.abs(W).max():.4g}, but the values should fill (-{limit:.4g}, {limit:.4g})"),
                (abs(W.mean()) < 0.05 * limit, f"the mean is {W.mean():.4g}, expected about 0 (the interval is symmetric)"),
                (abs(var / want_var - 1) < 0.05,
                 f"the variance is {var:.4g}, expected 2 / (n_in + n_out) = {want_var:.4g} (off by a factor "
                 f"{var / want_var:.3g})"),
                (abs(np.mean(np.abs(W) < limit / 2) - 0.5) < 0.02,
                 f"{np.mean(np.abs(W) < limit / 2):.1%} of the values lie in (-limit/2, limit/2), expected 50% for "
                 "a uniform distribution"),
            ]
            for ok, message in checks:
                if not ok:
                    return _report(name, WRONG, f"❌ {name}: {where} {message}.")
    same = [call_student(name, xavier_uniform, 50, 30, np.random.default_rng(42)) for _ in range(2)]
    other, failed = call_student(name, xavier_uniform, 50, 30, np.random.default_rng(43))
    for _, f in same + [(None, failed)]:
        if f:
            return f
    if not np.array_equal(np.asarray(same[0][0]), np.asarray(same[1][0])):
        return _report(name, WRONG, f"❌ {name}: two calls with np.random.default_rng(42) gave different W. Draw "
                                    "the numbers from the rng you are given (rng.uniform(...)), not from np.random.")
    if np.array_equal(np.asarray(same[0][0]), np.asarray(other)):
        return _report(name, WRONG, f"❌ {name}: seeds 42 and 43 gave the same W. Draw the numbers from the rng "
                                    "you are given (rng.uniform(...)).")
    return _report(name, CORRECT, f"✅ {name}: correct — right shape, bounds ±sqrt(6 / (n_in + n_out)), variance "
                                  "2 / (n_in + n_out), and reproducible with a given rng.")
