"""Checks of notebook 1 (architecture): counting the parameters of an MLP, the output shape of a layer, and
Xavier-uniform initialization (by its statistics, and by whether the numbers come from the rng it is given).

Each check names the typical mistakes of its exercise in notebook 1's words: the biases (n_out per layer, none
for the input layer), the shapes X (n, n_in), W (n_in, n_out), Z (n, n_out), and the limit sqrt(6 / (n_in + n_out))
of U(-limit, limit), whose variance limit²/3 is Var(W) = 2 / (n_in + n_out).
"""
import contextlib, io, numbers

import numpy as np

from ._check import CORRECT, Mistake, _fmt, _report, call_student, run_check, wrong


def _run_check_then(name, student, cases, expected, mistakes, returned_ok):
    """run_check, and if every value was right, ``returned_ok(values)`` on what the student returned
    (None if fine, else a CheckResult it printed): the "✅ correct" line is printed only when both agree,
    everything else (the student's own prints too) as it came."""
    values = []

    def recording(*args):
        value = student(*args)
        values.append(value)
        return value

    with contextlib.redirect_stdout(io.StringIO()) as printed:
        result = run_check(name, recording, cases, expected, mistakes=mistakes)
    text = printed.getvalue()
    if result.status == CORRECT:
        text = text[:len(text) - len(result.message) - 1] if text.endswith(result.message + "\n") else text
        print(text, end="")
        return returned_ok(values) or _report(name, CORRECT, result.message)
    print(text, end="")
    return result


def _is_int(k):
    return isinstance(k, (numbers.Integral, np.integer)) and not isinstance(k, (bool, np.bool_))


# -- Exercise 1: count_parameters ---------------------------------------------------------------------
def _layers(sizes):
    """The (n_in, n_out) of every layer: one per consecutive pair of sizes."""
    return list(zip(sizes[:-1], sizes[1:]))


def _n_parameters(sizes):
    """Parameters of a stack of Dense layers with these sizes: Σ (n_in·n_out + n_out)."""
    return sum(n_in * n_out + n_out for n_in, n_out in _layers(sizes))


def _n_weights(sizes):
    return sum(n_in * n_out for n_in, n_out in _layers(sizes))


_ALL_LAYERS = "A network with sizes [n_0, n_1, …, n_L] has L layers, one per consecutive pair (n_in, n_out)"

_COUNT_MISTAKES = [
    Mistake("the biases are missing: you counted only the weights n_in·n_out. Every layer also has one bias per "
            "neuron, n_out of them: Σ (n_in·n_out + n_out) over the layers.", result=_n_weights),
    Mistake("you counted n_in biases per layer, one per input; a layer has one bias per neuron, n_out of them "
            "(b has shape (n_out,)): Σ (n_in·n_out + n_out).",
            result=lambda s: sum(i * o + i for i, o in _layers(s))),
    Mistake("the input layer got biases too (n_inputs too many): the input layer is just the data, it computes "
            "nothing and has no parameters. Only the layers after it have biases, n_out each.",
            result=lambda s: _n_parameters(s) + s[0]),
    Mistake("this is the number of neurons (the sum of the sizes), not of parameters: each layer has n_in·n_out "
            "weights and n_out biases.", result=lambda s: sum(s)),
    Mistake("this counts only the biases (one per neuron after the input layer): the weights n_in·n_out of every "
            "layer are missing.", result=lambda s: sum(s[1:])),
    Mistake("this is the product of all the sizes: a weight connects two neighbouring layers only, so multiply "
            "consecutive sizes (n_in·n_out per layer), add n_out biases, and add the layers up.",
            result=lambda s: int(np.prod(s))),
    Mistake("you multiplied the sums, (n_0 + n_1 + …)·(n_1 + n_2 + …), as if every layer were connected to every "
            "other: a weight connects neighbouring layers only. Add up n_in·n_out + n_out, one term per layer.",
            test=lambda got, want, args: np.ndim(got) == 0 and float(got) in (
                sum(args[0][:-1]) * sum(args[0][1:]), sum(args[0][:-1]) * sum(args[0][1:]) + sum(args[0][1:]))),
    Mistake("only the first layer (input → hidden 1) is counted: add up n_in·n_out + n_out over every layer. "
            + _ALL_LAYERS + ".", result=lambda s: _n_parameters(s[:2])),
    Mistake("only the last layer (→ output) is counted: add up n_in·n_out + n_out over every layer. "
            + _ALL_LAYERS + ".", result=lambda s: _n_parameters(s[-2:])),
    Mistake("one layer too few: the last layer (→ output) is missing — does your loop stop at len(sizes) - 2? "
            + _ALL_LAYERS + ": range(len(sizes) - 1), or zip(sizes[:-1], sizes[1:]).",
            result=lambda s: _n_parameters(s[:-1])),
    Mistake("one layer too few: the first layer (input → hidden 1) is missing — does your loop start at 1? "
            + _ALL_LAYERS + ": range(len(sizes) - 1), or zip(sizes[:-1], sizes[1:]).",
            result=lambda s: _n_parameters(s[1:])),
    Mistake("one layer too many: your count has a layer from the output back to the input (sizes[-1] → sizes[0]); "
            "for i = 0, sizes[i - 1] is the last size in Python. " + _ALL_LAYERS + ".",
            result=lambda s: _n_parameters(s) + s[-1] * s[0] + s[0]),
    Mistake("one number per layer came back: that is each layer's n_in·n_out + n_out; the exercise asks for their "
            "total, one int (sum them).",
            test=lambda got, want, args: np.ndim(got) == 1 and list(np.asarray(got, dtype=float)) == [
                i * o + o for i, o in _layers(args[0])]),
    Mistake("the weights and the biases came back separately: the number of parameters is their total, one int "
            "(add them).", test=lambda got, want, args: np.shape(got) == (2,) and float(np.sum(got)) == want),
    Mistake("your loop goes one layer too far: sizes[i + 1] does not exist for the last size. "
            + _ALL_LAYERS + ": range(len(sizes) - 1), or zip(sizes[:-1], sizes[1:]).", error=IndexError),
]


def check_count_parameters(count_parameters):
    """Exercise: count_parameters(sizes) -> the number of weights and biases of an MLP whose layer sizes
    are ``sizes = [n_inputs, hidden..., n_outputs]`` (a list of ints), as an int.

    The first input, the notebook's [2, 4, 3, 1] (31 parameters), tells every mistake of the table apart."""
    name = "count_parameters"
    sizes = ([2, 4, 3, 1], [2, 3, 1], [4, 4], [784, 128, 64, 10], [10, 1], [3, 5, 4, 2])
    cases = [(f"sizes = {s}", (s,)) for s in sizes]

    def student(s):                     # a fresh list each time: a function that changes its list changes no case
        return count_parameters(list(s))

    def all_ints(values):
        k = next((k for k, v in enumerate(values) if not _is_int(v)), None)
        if k is not None:
            bad = values[k]
            return wrong(name, f"the count is right, but it is a {type(bad).__name__}, {bad}, not an int: a number "
                               "of parameters is a whole number. Count with ints (no `/`, no float arrays), or "
                               "return int(...) of it.", f"for {cases[k][0]}, expected {_n_parameters(sizes[k])}",
                         "not an int")

    return _run_check_then(name, student, cases, _n_parameters, _COUNT_MISTAKES, all_ints)


# -- Exercise 2: layer_output_shape -------------------------------------------------------------------
_SHAPE_MISTAKES = [
    Mistake("this is the shape of W, (n_in, n_out): Z = XW + b has one row per sample and one column per neuron, "
            "(n, n_out).", result=lambda x, w: tuple(w)),
    Mistake("this is the shape of X, (n, n_in): the matrix product removes the inner dimension n_in and puts n_out, "
            "one column per neuron, in its place: (n, n_out).", result=lambda x, w: tuple(x)),
    Mistake("the two entries are swapped: (n_out, n) is the shape of Zᵀ. Z = XW + b keeps one row per sample and "
            "one column per neuron: (n, n_out).", result=lambda x, w: (w[1], x[0])),
    Mistake("(n_in, n_in) are the inner dimensions, the ones the product removes: in (n, n_in)·(n_in, n_out) the "
            "result keeps the outer ones, (n, n_out).", result=lambda x, w: (x[1], w[0])),
    Mistake("this is the shape of Wᵀ, (n_out, n_in): Z = XW + b has shape (n, n_out), x_shape[0] rows and "
            "W_shape[1] columns.", result=lambda x, w: (w[1], w[0])),
    Mistake("the two shapes are joined: for tuples, x_shape + W_shape glues them together. Build a new tuple from "
            "one entry of each, (x_shape[0], W_shape[1]).", result=lambda x, w: tuple(x) + tuple(w)),
    Mistake("(n_out,) is the shape of b, or of z for one sample; a batch of n samples gives one row per sample: "
            "(n, n_out).", result=lambda x, w: (w[1],)),
    Mistake("one number came back (the number of entries of Z?): a shape has one entry per dimension, here two, "
            "(n, n_out).", test=lambda got, want, args: np.ndim(got) == 0),
]


def check_layer_output_shape(layer_output_shape):
    """Exercise: layer_output_shape(x_shape, W_shape) -> the shape (a tuple) of z = x @ W + b.

    The exercise does not ask for an error when n_in does not match, so no such input is given. A list
    with the right numbers passes, with a note that numpy's shapes are tuples."""
    name = "layer_output_shape"
    cases = [(f"x of shape {xs} and W of shape {ws}", (xs, ws))
             for xs, ws in (((32, 2), (2, 8)), ((1, 784), (784, 128)), ((5, 3), (3, 1)), ((100, 10), (10, 10)),
                            ((7, 4), (4, 2)))]
    def a_tuple_of_ints(values):
        got = values[0]
        if not all(_is_int(k) for v in values for k in v):
            return wrong(name, f"the sizes are right but not ints: {got!r}. The entries of a shape count rows and "
                               "columns, whole numbers (numpy refuses np.zeros((32.0, 8.0))).",
                         "for x of shape (32, 2) and W of shape (2, 8), expected (32, 8)", "not ints")
        if not isinstance(got, tuple):
            message = (f"✅ {name}: correct on all {len(cases)} test inputs.\n   Note: you returned a "
                       f"{type(got).__name__}, {got!r}; numpy's shapes are tuples, and in Python [32, 8] == (32, 8) "
                       "is False. tuple(...) or (a, b) makes one.")
            return _report(name, CORRECT, message)

    return _run_check_then(name, layer_output_shape, cases,
                           lambda x_shape, W_shape: np.array((x_shape[0], W_shape[1])), _SHAPE_MISTAKES,
                           a_tuple_of_ints)


# -- Exercise 3: xavier_uniform -----------------------------------------------------------------------
_XAVIER = "sqrt(6 / (n_in + n_out))"
# Limits a beginner puts in place of sqrt(6 / (n_in + n_out)), with what each one is.
_WRONG_LIMITS = [
    (lambda i, o: np.sqrt(2 / (i + o)),
     "your limit is sqrt(2 / (n_in + n_out)), the standard deviation of Xavier's weights, used as the limit of the "
     "uniform distribution. U(-limit, limit) has variance limit²/3, so Var(W) = 2 / (n_in + n_out) needs limit = "
     f"{_XAVIER} (section 7.3)."),
    (lambda i, o: np.sqrt(1 / i),
     "your limit is sqrt(1 / n_in): the standard deviation of Var(W) = 1 / n_in (section 7.2) used as a limit. "
     f"Xavier uniform's limit is {_XAVIER}: both n_in and n_out, and the factor 6 = 3 · 2 because U(-limit, limit) "
     "has variance limit²/3."),
    (lambda i, o: np.sqrt(6 / i),
     "your limit is sqrt(6 / n_in): that is He uniform (for ReLU), which uses n_in only. Xavier's compromise "
     f"between forwards and backwards uses both: {_XAVIER}."),
    (lambda i, o: np.sqrt(3 / i),
     "your limit is sqrt(3 / n_in), LeCun uniform (Var(W) = 1 / n_in, n_in only). Xavier's compromise between "
     f"forwards and backwards uses both: {_XAVIER}."),
    (lambda i, o: np.sqrt(6 / o),
     f"your limit is sqrt(6 / n_out): n_in is missing. Xavier's limit uses both, {_XAVIER}."),
    (lambda i, o: np.sqrt(2 / i),
     "your limit is sqrt(2 / n_in), the standard deviation of He initialization. Xavier uniform's limit is "
     f"{_XAVIER}."),
    (lambda i, o: 6 / (i + o),
     f"the square root is missing: your limit is 6 / (n_in + n_out); it is {_XAVIER}, np.sqrt(6 / (n_in + n_out))."),
    (lambda i, o: 2 / (i + o),
     "your limit is 2 / (n_in + n_out), the variance Var(W) itself. The limit of U(-limit, limit) is "
     f"{_XAVIER} (its variance limit²/3 is then 2 / (n_in + n_out))."),
    (lambda i, o: np.sqrt(6) / (i + o),
     "the square root covers only the 6: your limit is sqrt(6) / (n_in + n_out). Put the whole fraction under "
     "the root: np.sqrt(6 / (n_in + n_out))."),
    (lambda i, o: np.sqrt(6 / i + o),
     "the parentheses are missing: 6 / n_in + n_out means (6 / n_in) + n_out. Write np.sqrt(6 / (n_in + n_out))."),
    (lambda i, o: np.sqrt(6 / i * o),
     "the parentheses are missing: 6 / n_in * n_out means (6 / n_in) · n_out. Write np.sqrt(6 / (n_in + n_out))."),
    (lambda i, o: np.sqrt(6 / (i * o)),
     f"your limit is sqrt(6 / (n_in · n_out)): a product where the formula has a sum, {_XAVIER}."),
    (lambda i, o: np.sqrt(6 / (i + o)) / 2,
     "your values fill only (-limit/2, limit/2): rng.random() - 0.5 spans (-0.5, 0.5), a width of 1. "
     "Use (2 * rng.random(...) - 1) * limit, or rng.uniform(-limit, limit, size=(n_in, n_out))."),
    (lambda i, o: 1.0,
     "your values fill (-1, 1): they are not scaled by the limit. Use rng.uniform(-limit, limit, "
     f"size=(n_in, n_out)) with limit = {_XAVIER}."),
]
# Standard deviations of normal draws, with what each one is.
_NORMAL_STDS = [
    (lambda i, o: np.sqrt(2 / (i + o)), "Xavier *normal*, N(0, 2 / (n_in + n_out)), the other Xavier of section 7.3"),
    (lambda i, o: np.sqrt(2 / i), "He normal, N(0, 2 / n_in), the initialization for ReLU"),
    (lambda i, o: np.sqrt(1 / i), "a normal distribution with Var(W) = 1 / n_in"),
    (lambda i, o: np.sqrt(6 / (i + o)), "a normal distribution whose standard deviation is the limit"),
    (lambda i, o: 1.0, "the standard normal N(0, 1), not even scaled"),
]

_XAVIER_ERRORS = [
    Mistake("rng.uniform(low, high, size) takes the shape as one tuple: size=(n_in, n_out), not n_in, n_out as two "
            "arguments.", error=TypeError, match="positional argument"),
    Mistake("rng.random(size) takes the shape as one tuple: rng.random((n_in, n_out)) (its second argument is the "
            "dtype). Or use rng.uniform(-limit, limit, size=(n_in, n_out)).", error=TypeError,
            match="as a data type"),
    Mistake("rng is a numpy.random.Generator: its methods are rng.uniform, rng.random, rng.normal (np.random.rand "
            "and randn belong to the old interface). Use rng.uniform(-limit, limit, size=(n_in, n_out)).",
            error=AttributeError, match="Generator"),
    Mistake("rng is a Generator, not a function: call its method, rng.uniform(-limit, limit, size=(n_in, n_out)).",
            error=TypeError, match="Generator' object is not callable"),
    Mistake("a size in size=(n_in, n_out) is a float: the sizes are ints, the limit is the float.",
            error=TypeError, match="'float' object cannot be interpreted as an integer"),
]


def _close(a, b, rtol):
    return abs(a - b) <= rtol * abs(b)


def _draw(name, fn, n_in, n_out, seed):
    """(W as a float array, None), or (None, CheckResult) when the result is no (n_in, n_out) matrix of floats."""
    where = f"for n_in={n_in}, n_out={n_out}"
    W, failed = call_student(name, fn, n_in, n_out, np.random.default_rng(seed), mistakes=_XAVIER_ERRORS,
                             description=f"n_in={n_in}, n_out={n_out}")
    if failed:
        return None, failed
    if W is None:
        return None, wrong(name, f"{where} your function returned None — did you forget `return`?")
    try:
        W = np.asarray(W)
    except Exception:
        return None, wrong(name, f"{where} your function returned {type(W).__name__}, not one matrix W.")
    if W.shape == (n_out, n_in):
        return None, wrong(name, f"W has shape (n_out, n_in) = {W.shape}, the transpose. In this series W is "
                                 "(n_in, n_out): one row per input, one column per neuron (section 4).",
                           f"{where}, expected shape (n_in, n_out) = {(n_in, n_out)}", "transposed")
    if W.ndim == 0:
        return None, wrong(name, "one number came back, not a matrix: give the shape, rng.uniform(-limit, limit, "
                                 "size=(n_in, n_out)).", f"{where} your function returned {_fmt(W)}", "one number")
    if W.shape != (n_in, n_out):
        return None, wrong(name, f"W has shape {W.shape}, expected (n_in, n_out) = {(n_in, n_out)}: one row per "
                                 "input, one column per neuron.", where, "shape")
    if not np.issubdtype(W.dtype, np.floating) or not np.all(np.isfinite(W)):
        return None, wrong(name, f"W must hold finite floats, got dtype {W.dtype}"
                                 + (" (rng.integers draws whole numbers; rng.uniform draws floats)"
                                    if np.issubdtype(W.dtype, np.integer) else "") + ".", where, "not floats")
    if np.ptp(W) == 0:
        what = ("W is all zeros" if np.all(W == 0) else f"every entry of W is the same number, {_fmt(W.flat[0])}")
        return None, wrong(name, f"{what}: then every neuron of the layer computes the same thing and stays a copy "
                                 "of the others (section 7.1, symmetry). The weights must start random: "
                                 "rng.uniform(-limit, limit, size=(n_in, n_out)).", where, "constant")
    return W.astype(float), None


def _statistics(W, n_in, n_out):
    limit = np.sqrt(6 / (n_in + n_out))
    top, var = np.abs(W).max(), W.var()
    want_var = 2 / (n_in + n_out)
    middle = np.mean(np.abs(W) < limit / 2)
    evidence = (f"for n_in={n_in}, n_out={n_out}: limit = {_XAVIER} = {limit:.4g}\n"
                f"largest |W|: {top:.4g} (U(-limit, limit) never leaves ±limit, and its values fill the whole "
                f"interval)\n"
                f"smallest and largest W: {W.min():.4g}, {W.max():.4g}; mean {W.mean():.3g} (expected about 0)\n"
                f"variance: {var:.4g} (expected 2 / (n_in + n_out) = {want_var:.4g}, a factor {var / want_var:.3g})\n"
                f"values in the middle half (-limit/2, limit/2): {middle:.1%} (a uniform distribution: 50%)")
    return limit, evidence


def _kurtosis(W):
    """Excess kurtosis: −1.2 for a uniform distribution, 0 for a normal one, −0.6 for a triangular one."""
    d = W - W.mean()
    return float(np.mean(d ** 4) / np.mean(d ** 2) ** 2 - 3)


def _diagnose_xavier(W, n_in, n_out):
    """None if W (n_in, n_out floats) looks like U(-limit, limit), else (says, evidence, mistake)."""
    limit, evidence = _statistics(W, n_in, n_out)
    low, high = W.min(), W.max()
    kurt = _kurtosis(W)
    if low >= 0 or high <= 0:
        sign = "≥ 0" if low >= 0 else "≤ 0"
        return (f"all values are {sign}: the interval is (-limit, limit), symmetric around 0, not (0, limit). "
                "rng.random() draws from (0, 1): use rng.uniform(-limit, limit, size=(n_in, n_out)), or "
                "(2 * rng.random(...) - 1) * limit.", evidence, "one side only")
    if abs(kurt) < 0.25:
        std = W.std()
        what = next((f"this is {w}" for f, w in _NORMAL_STDS if _close(std, f(n_in, n_out), 0.03)),
                    f"a normal distribution with standard deviation {std:.3g}")
        return (f"W is normally distributed (bell-shaped: most values near 0, some beyond ±limit), not uniform — "
                f"{what}. Xavier *uniform* draws every value evenly from (-limit, limit): rng.uniform(-limit, limit, "
                "size=(n_in, n_out)), not rng.normal.", evidence, "normal")
    if abs(kurt + 1.2) < 0.1:                               # uniform-shaped: which interval?
        if abs(low + high) > 0.05 * (high - low):
            return (f"your values are spread evenly over ({low:.3g}, {high:.3g}), which is not centred at 0: the "
                    "interval is (-limit, limit). With rng.random(): (2 * rng.random(...) - 1) * limit.",
                    evidence, "not centred")
        half = (high - low) / 2
        if not _close(half, limit, 0.01):
            says = next((s for f, s in _WRONG_LIMITS if _close(half, f(n_in, n_out), 0.01)),
                        f"your values are uniform on about (-{half:.3g}, {half:.3g}), but the limit is {_XAVIER} = "
                        f"{limit:.4g}. Check the formula of the limit.")
            return says, evidence, "wrong limit"
    elif np.abs(W).max() > limit * (1 + 1e-9):
        return ("some values lie beyond ±limit, and they are not spread evenly either: draw from the uniform "
                "distribution, rng.uniform(-limit, limit, size=(n_in, n_out)).", evidence, "not uniform")
    else:
        crowd = "near 0" if kurt > -1.2 else "near ±limit"
        return (f"W stays within ±limit, but it is not uniform: too many values {crowd}. Xavier uniform draws every "
                "value evenly from (-limit, limit), one rng.uniform(-limit, limit, size=(n_in, n_out)) and nothing "
                "added, multiplied or transformed afterwards.", evidence, "not uniform")
    # right interval and shape: what is still off?
    checks = [
        (np.abs(W).max() <= limit * (1 + 1e-9), "some values lie beyond ±limit"),
        (np.abs(W).max() >= 0.95 * limit, "the values do not fill (-limit, limit)"),
        (abs(W.mean()) < 0.05 * limit, "the mean is not about 0, but the interval is symmetric"),
        (abs(W.var() * (n_in + n_out) / 2 - 1) < 0.05, "the variance is not 2 / (n_in + n_out)"),
        (abs(np.mean(np.abs(W) < limit / 2) - 0.5) < 0.02, "the values are not spread evenly over the interval"),
    ]
    for ok, says in checks:
        if not ok:
            return (f"{says}: draw from U(-limit, limit), rng.uniform(-limit, limit, size=(n_in, n_out)).",
                    evidence, says)
    return None


def check_xavier_uniform(xavier_uniform):
    """Exercise: xavier_uniform(n_in, n_out, rng) -> W of shape (n_in, n_out) drawn from
    U(-limit, limit), limit = sqrt(6 / (n_in + n_out)), using the Generator ``rng``.

    Random numbers cannot be compared one by one, so this checks statistics of a 200 × 290 draw: the shape,
    the bounds, that the values fill the whole interval evenly (a normal or triangular shape is told apart by
    its kurtosis), the limit (a wrong formula is named by the limit it gives), the variance 2 / (n_in + n_out);
    then that the numbers come from the rng given: the same seed gives the same W, another seed another W,
    and the rng has moved on after the call."""
    name = "xavier_uniform"
    for n_in, n_out, seed in ((200, 290, 0), (3, 7, 1)):
        W, failed = _draw(name, xavier_uniform, n_in, n_out, seed)
        if failed:
            return failed
        if W.size >= 1000:
            problem = _diagnose_xavier(W, n_in, n_out)
            if problem:
                return wrong(name, *problem)
        else:
            limit, evidence = _statistics(W, n_in, n_out)
            if np.abs(W).max() > limit * (1 + 1e-9):
                return wrong(name, f"some values lie beyond ±limit = {_XAVIER}: U(-limit, limit) never leaves that "
                                   "interval.", evidence, "beyond the limit")
    twice = []
    for _ in range(2):
        W, failed = call_student(name, xavier_uniform, 50, 30, np.random.default_rng(42), mistakes=_XAVIER_ERRORS)
        if failed:
            return failed
        twice.append(np.asarray(W))
    if not np.array_equal(twice[0], twice[1]):
        return wrong(name, "two calls with np.random.default_rng(42) gave different W: your numbers do not come from "
                           "the rng you are given. np.random.uniform(...) draws from numpy's global generator and "
                           "np.random.default_rng() makes a new one at every call; draw with rng.uniform(...).",
                     "for n_in=50, n_out=30", "not the given rng")
    rng = np.random.default_rng(43)
    other, failed = call_student(name, xavier_uniform, 50, 30, rng, mistakes=_XAVIER_ERRORS)
    if failed:
        return failed
    if np.array_equal(twice[0], np.asarray(other)):
        return wrong(name, "seeds 42 and 43 gave the same W: your function ignores the rng it is given (a generator "
                           "of its own with a fixed seed, np.random.default_rng(0)?). Draw with rng.uniform(...), so "
                           "that the caller's seed decides the weights.", "for n_in=50, n_out=30", "ignores rng")
    if rng.bit_generator.state == np.random.default_rng(43).bit_generator.state:
        return wrong(name, "W does not come from the rng you are given: after your function the rng is in the same "
                           "state as before, so it drew nothing from it. Draw with rng.uniform(...).",
                     "for n_in=50, n_out=30", "rng unused")
    return _report(name, CORRECT, f"✅ {name}: correct — right shape, bounds ±{_XAVIER}, values spread evenly, "
                                  "variance 2 / (n_in + n_out), and drawn from the rng you are given.")
