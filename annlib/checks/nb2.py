"""Checks of notebook 2 (activations): ReLU and its derivative, a numerically stable sigmoid, a
row-wise softmax, and ``check_derivative``, which compares any ``df`` with the numerical slope of ``f``.
"""
import warnings

import numpy as np

from ._check import NOT_IMPLEMENTED, WRONG, _report, run_check


def _activation_cases():
    rng = np.random.default_rng(0)
    return [
        ("x = 0", (np.array(0.0),)),
        ("x = [-2, -0.5, 0.5, 2]", (np.array([-2.0, -0.5, 0.5, 2.0]),)),
        ("large values x = [-1000, 1000]", (np.array([-1000.0, 1000.0]),)),
        ("a batch of shape (4, 3)", (rng.standard_normal((4, 3)),)),
    ]


def check_relu(relu):
    """Exercise: relu(x) = max(0, x), element by element, for any array shape."""
    from ..activations import ReLU
    return run_check("relu", relu, _activation_cases(), ReLU().f)


def check_relu_derivative(relu_derivative):
    """Exercise: relu'(x) = 1 where x > 0, else 0 (0 at x = 0, as PyTorch), element by element."""
    from ..activations import ReLU
    result = run_check("relu_derivative", relu_derivative, _activation_cases(), ReLU().df)
    if not result.passed and result.status == WRONG:
        try:                                # right everywhere but at the kink? say which convention we use
            with np.errstate(all="ignore"), warnings.catch_warnings():
                warnings.simplefilter("ignore")
                at_zero = float(np.asarray(relu_derivative(np.array([0.0]))).ravel()[0])
                elsewhere = np.asarray(relu_derivative(np.array([-2.0, -0.5, 0.5, 2.0])), dtype=float)
            if at_zero == 1.0 and np.array_equal(elsewhere, [0.0, 0.0, 1.0, 1.0]):
                note = ("   note: only x = 0 differs. ReLU has no derivative at its kink; like PyTorch we use "
                        "relu'(0) = 0, i.e. (x > 0), not (x >= 0).")
                print(note)
                result.message += "\n" + note
        except Exception:                   # the message above already says what went wrong
            pass
    return result


def check_sigmoid(sigmoid):
    """Exercise: a numerically stable sigmoid 1 / (1 + e^(-x)). Inputs include ±1000, where the naive
    formula overflows (np.exp(1000) = inf); overflow counts as wrong here."""
    from ..activations import Sigmoid
    cases = _activation_cases() + [("very negative x = [-1000, -745, -50]", (np.array([-1000.0, -745.0, -50.0]),))]
    return run_check("sigmoid", sigmoid, cases, Sigmoid().f)


def _softmax_cases():
    rng = np.random.default_rng(2)
    return [
        ("one row z = [[1, 2, 3]]", (np.array([[1.0, 2.0, 3.0]]),)),
        ("equal logits z = [[0, 0, 0, 0]]", (np.zeros((1, 4)),)),
        ("a batch of shape (4, 5)", (rng.standard_normal((4, 5)),)),
        ("large logits z = [[1000, 1001, 1002], [-1000, -999, -998]]",
         (np.array([[1000.0, 1001.0, 1002.0], [-1000.0, -999.0, -998.0]]),)),
        ("a batch of shape (3, 2) with rows on different scales", (np.array([[0.0, 1.0], [10.0, -10.0], [5.0, 5.0]]),)),
    ]


def check_softmax(softmax):
    """Exercise: softmax of a batch of logits z (n, C), row by row: each row sums to 1, stable for
    large logits (subtract each row's maximum)."""
    from ..activations import softmax as reference
    return run_check("softmax", softmax, _softmax_cases(), lambda z: reference(z, axis=1))


def check_derivative(f, df, name="your activation", x=None, h=1e-5):
    """Bring your own activation: compares ``df(x)`` with the slope of ``f`` measured numerically,
    (f(x + h) - f(x - h)) / 2h, at 80 points from -4 to 4 (0 itself is left out: kinks live there)."""
    x = np.linspace(-4, 4, 80) if x is None else np.asarray(x, dtype=float)
    try:
        with np.errstate(over="raise", invalid="raise", divide="raise"):
            slope = (np.asarray(f(x + h), dtype=float) - np.asarray(f(x - h), dtype=float)) / (2 * h)
    except NotImplementedError:
        return _report(name, NOT_IMPLEMENTED, f"⏳ {name}: f is not yet implemented.")
    except Exception as e:                  # never raise: say what went wrong
        return _report(name, WRONG, f"❌ {name}: calling f on an array of 80 points raised {type(e).__name__}: {e}")
    if slope.shape != x.shape:
        return _report(name, WRONG, f"❌ {name}: f(x) has shape {slope.shape} for x of shape {x.shape}; "
                                    "an activation works element by element, so the shapes must match.")
    cases = [(f"{len(part)} points x {'< 0' if k == 0 else '≥ 0'} in [-4, 4]", (part,))
             for k, part in enumerate((x[x < 0], x[x >= 0])) if len(part)]

    def numerical_slope(part):
        return (np.asarray(f(part + h), dtype=float) - np.asarray(f(part - h), dtype=float)) / (2 * h)

    return run_check(f"{name}: df against the numerical slope of f", df, cases, numerical_slope, rtol=1e-4, atol=1e-6)
