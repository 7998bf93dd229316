"""Checks of notebook 2 (activations): ReLU and its derivative, a numerically stable sigmoid, a
row-wise softmax, and ``check_derivative``, which compares any ``df`` with the numerical slope of ``f``.

Each check knows the typical wrong answers of its exercise (``Mistake``s: the mistaken formula's result,
or a property of the student's result) and names the one the student's result shows. Two mistakes give
right numbers and are found before the comparison, by calling the student's function once on its own
(``_probe``): a function that changes the caller's array in place (``z[z < 0] = 0``), and a derivative
returned as True/False instead of numbers.
"""
import warnings

import numpy as np

from ..activations import ReLU, Sigmoid, softmax as _softmax
from ._check import NOT_IMPLEMENTED, Mistake, _fmt, _report, explain_error, run_check, same, wrong

_sigmoid = Sigmoid().f


def _activation_cases():
    rng = np.random.default_rng(0)
    return [
        ("z = 0", (np.array(0.0),)),
        ("z = [-2, -0.5, 0.5, 2]", (np.array([-2.0, -0.5, 0.5, 2.0]),)),
        ("large values z = [-1000, 1000]", (np.array([-1000.0, 1000.0]),)),
        ("a batch of shape (4, 3)", (rng.standard_normal((4, 3)),)),
    ]


def _probe(fn, *args):
    """Call the student's ``fn`` once on copies of ``args``, quietly. Returns (result, the copies as the
    function left them), or None if it raised (run_check then says what went wrong)."""
    copies = [np.array(a, copy=True) for a in args]
    try:
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return fn(*copies), copies
    except Exception:
        return None


def _changed_its_input(name, fn, args, how, instead):
    """The mistake that gives right numbers: ``fn`` writes into the array it was given. None if it does not."""
    probed = _probe(fn, *args)
    if probed is None:
        return None
    for given, after in zip(args, probed[1]):
        if after.shape != given.shape or not np.array_equal(after, given, equal_nan=True):
            return wrong(name, f"your function changed the array it was given: {how} writes into the caller's "
                               f"array, so the caller's input is lost (a layer keeps its input for the backward "
                               f"pass). Compute a new array instead: {instead}.",
                         f"before the call: {_fmt(given)}\nafter the call:  {_fmt(after)}", "changes its input")
    return None


_SHAPE_KEPT = Mistake("one number came back for a whole array: an activation works element by element and returns "
                      "an array of the same shape as z (np.maximum, np.exp and np.where do that; Python's max, "
                      "math.exp and `if` do not).", test=lambda got, want, args: np.ndim(got) == 0 and np.ndim(want) > 0)
_MATH_MODULE = Mistake("the math module works on one number at a time (math.exp, math.tanh); on arrays use numpy's "
                       "element-wise functions: np.exp, np.tanh.", error=TypeError,
                       match=r"only (length-1|0-dimensional|size-1) arrays")
_RELU_MISTAKES = [
    Mistake("Python's max(0, z) asks about one number, but z is an array: use np.maximum(z, 0), which compares "
            "element by element.", error=ValueError, match="truth value of an array"),
    Mistake("np.max(z, 0) is the largest entry of z along axis 0, not max(0, z) element by element: use "
            "np.maximum(z, 0).", error=(ValueError, IndexError), match="axis 0 is out of bounds"),
    Mistake("one number came back, the largest entry of z (np.max(z, 0) is the maximum along axis 0, not "
            "max(0, z) element by element): use np.maximum(z, 0), which keeps the shape of z.",
            result=lambda x: np.max(x, 0)),
    _MATH_MODULE,
    Mistake("this is the mask z > 0 (1 or True where z > 0, else 0): that is ReLU's derivative, not ReLU. "
            "relu(z) keeps the positive values themselves: np.maximum(z, 0).", result=lambda x: x > 0),
    Mistake("this is |z|: negative inputs come out positive. ReLU sets every negative input to 0.", result=np.abs),
    Mistake("negative inputs come out unchanged (this is the identity): ReLU sets every negative input to 0.",
            result=lambda x: x),
    Mistake("np.minimum(z, 0) keeps the negative part; ReLU keeps the positive part: np.maximum(z, 0).",
            result=lambda x: np.minimum(x, 0)),
    Mistake("this is LeakyReLU (slope 0.01 for z < 0); ReLU is exactly 0 for every negative input.",
            result=lambda x: np.where(x > 0, x, 0.01 * x)),
    Mistake("the values were rounded to whole numbers (an integer dtype: 0.5 became 0). Keep floats: "
            "np.maximum(z, 0) on a float array is float.", result=lambda x: np.maximum(x, 0).astype(int)),
    Mistake("the positive values are right, but negative inputs do not give 0: ReLU is 0 for every z < 0.",
            test=lambda got, want, args: np.shape(got) == np.shape(want) and (args[0] < 0).any()
            and (args[0] > 0).any() and np.allclose(np.asarray(got)[args[0] > 0], args[0][args[0] > 0])),
    Mistake("your result is flat (ravel, flatten or a list), not shaped like z: an activation works element by "
            "element and returns an array of the same shape as z.", result=lambda x: np.maximum(x, 0).ravel()),
    _SHAPE_KEPT,
]


def check_relu(relu):
    """Exercise: relu(z) = max(0, z), element by element, for any array shape."""
    failed = _changed_its_input("relu", relu, (np.array([-2.0, -0.5, 0.5, 2.0]),), "`z[z < 0] = 0`",
                                "np.maximum(z, 0)")
    return failed or run_check("relu", relu, _activation_cases(), ReLU().f, mistakes=_RELU_MISTAKES)


def _derivative_cases():                 # ordinary values before x = 0: a slope wrong only at the kink is the convention
    cases = _activation_cases()
    return [cases[1], cases[0]] + cases[2:]


_AT_ZERO = ("ReLU has a kink at z = 0 and no derivative there; like PyTorch this notebook uses relu'(0) = 0, "
            "i.e. (z > 0).astype(float)")
_RELU_DERIVATIVE_MISTAKES = [
    Mistake("this is relu(z) itself, not its slope: relu'(z) is 1 where z > 0 and 0 elsewhere.",
            result=lambda x: np.maximum(x, 0)),
    Mistake(f"at z = 0 your slope is 1, i.e. (z >= 0). {_AT_ZERO}.",
            result=lambda x: (x >= 0).astype(float)),
    Mistake(f"at z = 0 your slope is 0.5 (np.heaviside(z, 0.5)). {_AT_ZERO}.",
            result=lambda x: np.heaviside(x, 0.5)),
    Mistake("this is the sigmoid's derivative σ(z)(1 − σ(z)); ReLU's slope is 1 where z > 0 and 0 elsewhere.",
            result=lambda x: _sigmoid(x) * (1 - _sigmoid(x))),
    Mistake("your slope is 1 everywhere (the identity's slope); for z < 0 ReLU is flat, so its slope there is 0.",
            result=np.ones_like),
    Mistake("np.sign(z) is −1 for z < 0; ReLU is flat there, so its slope is 0, not −1.", result=np.sign),
    Mistake("the slope is the other way round: ReLU rises (slope 1) for z > 0 and is flat (slope 0) for z < 0.",
            result=lambda x: (x < 0).astype(float)),
    Mistake("Python's `if z > 0` (or max) asks about one number, but z is an array: work element by element, "
            "(z > 0).astype(float) or np.where(z > 0, 1.0, 0.0).", error=ValueError, match="truth value of an array"),
    _MATH_MODULE,
    _SHAPE_KEPT,
]


def check_relu_derivative(relu_derivative):
    """Exercise: relu'(z) = 1 where z > 0, else 0 (0 at z = 0, as PyTorch), element by element; numbers
    (float or int), not True/False."""
    x = np.array([-2.0, -0.5, 0.5, 2.0])
    failed = _changed_its_input("relu_derivative", relu_derivative, (x,), "`z[z > 0] = 1`",
                                "(z > 0).astype(float)")
    if failed:
        return failed
    probed = _probe(relu_derivative, x)
    if probed is not None and np.asarray(probed[0]).dtype == bool and same(probed[0], ReLU().df(x)):
        return wrong("relu_derivative", "the values are right, but they are True/False (dtype bool): a derivative "
                                        "is a number, the factor the gradient is multiplied by. Return "
                                        "(z > 0).astype(float), i.e. 1.0 and 0.0.",
                     f"for z = [-2, -0.5, 0.5, 2] your function returned {_fmt(probed[0])}", "booleans")
    return run_check("relu_derivative", relu_derivative, _derivative_cases(), ReLU().df,
                     mistakes=_RELU_DERIVATIVE_MISTAKES)


def _overflows(fn, x):
    """Does the student's ``fn`` overflow (numpy errors raised) on ``x``? Quiet; False if it fails otherwise."""
    try:
        with np.errstate(over="raise", invalid="raise", divide="raise"), warnings.catch_warnings():
            warnings.simplefilter("error", RuntimeWarning)
            fn(np.array(x, dtype=float))
    except (FloatingPointError, RuntimeWarning) as e:
        return "overflow" in str(e)
    except Exception:
        return False
    return False


_STABLE = ("use the stable form of section 3: u = np.exp(-np.abs(z)) is never larger than 1, then "
           "np.where(z >= 0, 1 / (1 + u), u / (1 + u)).")


def _overflow_mistake(sigmoid):
    """The overflow, said for the formula that overflows: which side (z = −1000 or +1000) shows which one."""
    negative, positive = _overflows(sigmoid, [-1000.0]), _overflows(sigmoid, [1000.0])
    if negative and positive:
        says = ("np.exp overflowed both for z = -1000 and for z = +1000. If you used np.where(cond, A, B): it "
                "computes both A and B for every element before choosing (Hint 2), so each branch must be safe "
                "for every z. Build both from u = np.exp(-np.abs(z)), which is never larger than 1.")
    elif positive:
        says = ("the form e^z / (1 + e^z) overflows for large positive z (z = 1000: np.exp(1000) = inf); "
                + _STABLE)
    else:
        says = ("the naive formula 1 / (1 + np.exp(-z)) overflows for large negative z (z = -1000: e^1000 = inf); "
                + _STABLE)
    return Mistake(says, error=(FloatingPointError, RuntimeWarning), match="overflow")


def _clipped(got, want, args):
    """σ of z clipped to some ±c that changes the values (|z| beyond c comes out as σ(±c))."""
    x, got = args[0], np.asarray(got, dtype=float)
    inside = (got > 0) & (got < 1)
    if got.shape != x.shape or not inside.any():
        return False
    c = float(np.max(np.abs(np.log(got[inside]) - np.log1p(-got[inside]))))
    return c < 700 and np.allclose(got, _sigmoid(np.clip(x, -c, c)), rtol=1e-6, atol=1e-12)


_SIGMOID_MISTAKES = [
    Mistake("this is tanh(z) (range −1 to 1); the sigmoid is 1 / (1 + e^(−z)), range 0 to 1 "
            "(they are related: σ(z) = (1 + tanh(z / 2)) / 2).", result=np.tanh),
    Mistake("this is σ(−z) = 1 − σ(z): the sign in the exponent is flipped (1 / (1 + e^(+z))), or the numerator "
            "is e^(−z) instead of 1, or the two branches of np.where are swapped (1 / (1 + u) is for z ≥ 0). "
            "σ(z) = 1 / (1 + e^(−z)).", result=lambda x: _sigmoid(-x)),
    Mistake("right for z ≥ 0, but for z < 0 you get σ(|z|) = 1 − σ(z): the branch for z < 0 is u / (1 + u) with "
            "u = e^(−|z|) (multiply numerator and denominator of 1 / (1 + e^(−z)) by e^z).",
            result=lambda x: _sigmoid(np.abs(x))),
    Mistake("right for z < 0, but for z ≥ 0 you get σ(−|z|) = 1 − σ(z): the branch for z ≥ 0 is 1 / (1 + u) with "
            "u = e^(−|z|).", result=lambda x: _sigmoid(-np.abs(x))),
    Mistake("your result is the sigmoid of z clipped to a narrow range: clipping hides the overflow but changes "
            "the values (σ(1000) is 1, σ(−1000) is 0). Use the stable form of section 3, or clip only far out "
            "(np.clip(z, -500, 500)).", test=_clipped),
    Mistake("`if z >= 0:` asks about one number, but z is an array: pick per element with np.where(z >= 0, "
            "..., ...).", error=ValueError, match="truth value of an array"),
    _MATH_MODULE,
    _SHAPE_KEPT,
]


def check_sigmoid(sigmoid):
    """Exercise: a numerically stable sigmoid 1 / (1 + e^(-z)). Inputs include ±1000, where the naive
    formula overflows (np.exp(1000) = inf); overflow counts as wrong here."""
    cases = _activation_cases() + [("very negative z = [-1000, -745, -50]", (np.array([-1000.0, -745.0, -50.0]),))]
    failed = _changed_its_input("sigmoid", sigmoid, (np.array([-2.0, -0.5, 0.5, 2.0]),), "an assignment such as "
                                "`z[z < 0] = ...` or `z *= -1`", "u = np.exp(-np.abs(z)), then np.where(...)")
    return failed or run_check("sigmoid", sigmoid, cases, _sigmoid,
                               mistakes=[_overflow_mistake(sigmoid)] + _SIGMOID_MISTAKES)


def _softmax_cases():
    rng = np.random.default_rng(2)
    return [
        ("one row z = [[1, 2, 3]]", (np.array([[1.0, 2.0, 3.0]]),)),
        ("equal logits z = [[0, 0, 0, 0]]", (np.zeros((1, 4)),)),
        ("a batch of shape (4, 5)", (rng.standard_normal((4, 5)),)),
        ("a square batch of shape (3, 3)", (rng.standard_normal((3, 3)),)),
        ("large logits z = [[1000, 1001, 1002], [1000, 990, 995]]",
         (np.array([[1000.0, 1001.0, 1002.0], [1000.0, 990.0, 995.0]]),)),
        ("one row with a wide spread z = [[-1000, 0, 1000]]", (np.array([[-1000.0, 0.0, 1000.0]]),)),
        ("very negative logits z = [[-1000, -999, -998]]", (np.array([[-1000.0, -999.0, -998.0]]),)),
        ("a batch of shape (3, 2) with rows on different scales", (np.array([[0.0, 1.0], [10.0, -10.0], [5.0, 5.0]]),)),
    ]


def _rows_sum_to_one(got):
    return np.allclose(np.asarray(got, dtype=float).sum(axis=1), 1)


def _proportional_rows(got, want, args):
    """Right up to a factor per row: e^z (shifted or not), not yet divided by the row's sum."""
    got = np.asarray(got, dtype=float)
    sums = got.sum(axis=1, keepdims=True)
    return (got.shape == want.shape and np.all(np.isfinite(got)) and np.all(sums > 0)
            and np.allclose(got / sums, want) and not _rows_sum_to_one(got))


_ROW_MAX = "subtract each row's maximum before exp, z - z.max(axis=1, keepdims=True)"
_SOFTMAX_MISTAKES = [
    Mistake("each row should sum to 1, but your columns do: this softmax runs over axis 0 (the samples); take it "
            "over axis 1, each sample's row (`axis=1, keepdims=True` in the max and in the sum).",
            test=lambda got, want, args: np.shape(got) == want.shape and not _rows_sum_to_one(got)
            and np.allclose(np.asarray(got, dtype=float).sum(axis=0), 1)),
    Mistake("each row should sum to 1, but your whole batch sums to 1: the sum runs over every entry of the "
            "batch; sum each row, e.sum(axis=1, keepdims=True).",
            test=lambda got, want, args: np.shape(got) == want.shape and want.shape[0] > 1
            and np.isclose(np.sum(got), 1) and not _rows_sum_to_one(got)),
    Mistake("this is the sigmoid of each logit: its rows do not sum to 1. Softmax divides e^z by the sum of its "
            "row, so each row is a probability distribution.", result=_sigmoid),
    Mistake("each row is right up to a factor, but does not sum to 1: divide e^z by the sum of its row, "
            "e / e.sum(axis=1, keepdims=True).", test=_proportional_rows),
    Mistake("the exponential is missing: softmax is e^z / Σ e^z; dividing z by its row sum can give negative "
            "\"probabilities\" (and 0/0 for equal logits).", result=lambda z: z / z.sum(axis=1, keepdims=True)),
    Mistake("the row sums lost their axis: e.sum(axis=1) has shape (n,), and e / e.sum(axis=1) divides column j "
            "by the sum of row j. Keep the axis: e.sum(axis=1, keepdims=True), shape (n, 1).",
            result=lambda z: np.exp(z - z.max(axis=1, keepdims=True)) / np.exp(z - z.max(axis=1, keepdims=True)).sum(axis=1)),
    Mistake("a row maximum or row sum without keepdims=True has shape (n,), which does not line up with the "
            "logits (n, C). Keep the axis: z.max(axis=1, keepdims=True) and e.sum(axis=1, keepdims=True) have "
            "shape (n, 1) and act on each row.", error=ValueError, match=r"broadcast.*\(\d+,\d+\)\s*\(\d+,\)"),
    Mistake(f"np.exp overflowed on logits near 1000 (e^1000 = inf): {_ROW_MAX} (the stable softmax of section 3).",
            error=(FloatingPointError, RuntimeWarning), match="overflow"),
    Mistake(f"your softmax divided 0 by 0 (NaN): for very negative logits every e^z underflows to 0. {_ROW_MAX}: "
            "then the largest term is e^0 = 1 and the row's sum is at least 1.",
            error=(FloatingPointError, RuntimeWarning), match="invalid value|divide by zero"),
    Mistake("axis 1 is each sample's row of logits; your code uses an axis z does not have.",
            error=(ValueError, IndexError), match="out of bounds"),
    _MATH_MODULE,
]


def _global_max_note(softmax):
    """Passing with the batch's maximum subtracted is fine; say where it would still fail. None otherwise."""
    far = np.array([[1000.0, 1001.0, 1002.0], [-1000.0, -999.0, -998.0]])
    probed = _probe(softmax, far)
    if probed is not None and same(probed[0], _softmax(far, axis=1)):
        return None
    return ("   note: you subtract one number for the whole batch (its maximum). That is allowed: softmax does not "
            "change when the same number is subtracted from a whole row. But a row whose logits are all more than "
            "~745 below it underflows to 0 / 0, e.g. z = [[1000, 1001, 1002], [-1000, -999, -998]]; each row's "
            "own maximum, z.max(axis=1, keepdims=True), never fails.")


def check_softmax(softmax):
    """Exercise: softmax of a batch of logits z (n, C), row by row: each row sums to 1, stable for
    large logits (subtract a maximum; each row's own one is the safe choice)."""
    failed = _changed_its_input("softmax", softmax, (np.array([[1.0, 2.0, 3.0], [0.0, -1.0, 4.0]]),),
                                "`z -= z.max(...)`", "z = z - z.max(axis=1, keepdims=True)")
    if failed:
        return failed
    result = run_check("softmax", softmax, _softmax_cases(), lambda z: _softmax(z, axis=1), mistakes=_SOFTMAX_MISTAKES)
    if result.passed:
        note = _global_max_note(softmax)
        if note:
            print(note)
            result.message += "\n" + note
    return result


def _derivative_mistakes(f):
    def multiple(got, want, args):
        got, want = np.asarray(got, dtype=float), np.asarray(want, dtype=float)
        big = np.abs(want) > 1e-3
        if got.shape != want.shape or not big.any() or not np.all(np.isfinite(got)):
            return False
        c = float(np.median(got[big] / want[big]))
        return not np.isclose(c, 1, rtol=1e-3) and np.allclose(got, c * want, rtol=1e-3, atol=1e-5)

    return [
        Mistake("df must return an array of numbers, one slope per point (True/False are not slopes: use .astype(float)).",
                test=lambda got, want, args: not np.issubdtype(np.asarray(got).dtype, np.number)),
        Mistake("df(z) must return one slope per point, an array shaped like z.",
                test=lambda got, want, args: np.shape(got) != np.shape(want)),
        Mistake("your df gives NaN or inf at some of these points (a division by 0, or np.log / np.sqrt of a "
                "negative number?).", test=lambda got, want, args: not np.all(np.isfinite(np.asarray(got, float)))),
        Mistake("on these points your df returns f itself, not its derivative: df(z) is the slope of f at z.",
                result=lambda x: f(x)),
        Mistake("your df has the wrong sign: it is minus the slope of f measured numerically.",
                test=lambda got, want, args: np.allclose(got, -np.asarray(want), rtol=1e-3, atol=1e-5)),
        Mistake("your df is a constant multiple of the slope of f measured numerically: a factor (such as 2 or "
                "½) is missing or too many.", test=multiple),
        Mistake("your df does not match the slope of f measured numerically, (f(z + h) − f(z − h)) / 2h with "
                "h = 1e-5 (\"expected\" below): check your formula for f'(z) on these points.",
                test=lambda got, want, args: True),
    ]


def check_derivative(f, df, name="your activation", x=None, h=1e-5):
    """Bring your own activation: compares ``df(z)`` with the slope of ``f`` measured numerically,
    (f(z + h) - f(z - h)) / 2h, at 80 points from -4 to 4 (0 itself is left out: kinks live there).
    Whatever f and df do (raise, return the wrong shape, NaN, None), it prints what happened and never raises."""
    x = np.linspace(-4, 4, 80) if x is None else np.asarray(x, dtype=float)
    problem = _function_problem(f, x, h)
    if problem == NOT_IMPLEMENTED:
        return _report(name, NOT_IMPLEMENTED, f"⏳ {name}: f is not yet implemented.")
    if problem:
        return wrong(name, problem, mistake="f")
    failed = _changed_its_input(name, df, (x,), "an assignment such as `z[z < 0] = 0` or `z *= 2` in df",
                                "e.g. np.where(z > 0, 1.0, 0.0)")
    if failed:
        return failed
    probed = _probe(df, x)
    if probed is not None and np.asarray(probed[0]).dtype == bool:
        return wrong(name, "df returned True/False (dtype bool): a derivative is a number, the factor the gradient is "
                           "multiplied by, and annlib's layers accept only numbers. Return e.g. (z > 0).astype(float).",
                     mistake="booleans")
    cases = [(f"{len(part)} points z {'< 0' if k == 0 else '≥ 0'} in [{x.min():g}, {x.max():g}]", (part,))
             for k, part in enumerate((x[x < 0], x[x >= 0])) if len(part)]

    def numerical_slope(part):
        with np.errstate(all="ignore"):
            return (np.asarray(f(part + h), dtype=float) - np.asarray(f(part - h), dtype=float)) / (2 * h)

    return run_check(f"{name}: df against the numerical slope of f", df, cases, numerical_slope, rtol=1e-4,
                     atol=1e-6, mistakes=_derivative_mistakes(f))


def _function_problem(f, x, h):
    """What is wrong with the student's f on the points x (in words), NOT_IMPLEMENTED, or None."""
    outputs = []
    for points in (x, x + h, x - h):
        try:
            with np.errstate(all="ignore"), warnings.catch_warnings():
                warnings.simplefilter("ignore")
                given = points.copy()
                out = f(given)
        except NotImplementedError:
            return NOT_IMPLEMENTED
        except Exception as e:
            return f"calling f on an array of {len(x)} points: {explain_error(e)}"
        if out is None:
            return "f returned None — did you forget `return`?"
        if given.shape != points.shape or not np.array_equal(given, points, equal_nan=True):
            return ("f changed the array it was given (an assignment such as `z[z < 0] = 0` or `z *= 2` writes into "
                    "the caller's array, so a layer would lose its input): compute a new array instead, e.g. "
                    "np.maximum(z, 0).")
        if np.asarray(out).dtype == bool:
            return "f returned True/False (dtype bool): an activation returns numbers; use .astype(float)."
        try:
            out = np.asarray(out, dtype=float)
        except (TypeError, ValueError):
            return f"f must return an array of numbers; it returned {type(out).__name__}."
        if out.shape != x.shape:
            return (f"f(z) has shape {out.shape} for z of shape {x.shape}; an activation works element by element, "
                    "so the shapes must match.")
        outputs.append(out)
    bad = ~np.isfinite(outputs[0])
    if bad.any():
        return (f"f(z) is NaN or inf at {int(bad.sum())} of {len(x)} points, e.g. z = {x[bad][0]:.3g}: an activation "
                "must give a number for every input (a division by 0, or np.log / np.sqrt of a negative number?).")
    return None
