"""The machinery every exercise check shares. Each ``check_*`` (in ``nb1.py`` … ``nb7.py``) takes the
student's function, runs it on several inputs (ordinary values, edge cases such as 0 and ±1000, a batch)
next to annlib's own answer and prints one of

    ⏳ not yet implemented     (the stub still raises NotImplementedError)
    ✅ correct
    ❌ exactly which input gave what, instead of what, and by how much

A check never raises, so "Run all" passes with the stubs still in place. It returns a ``CheckResult``
(``.status`` is "not implemented", "correct" or "wrong", the constants NOT_IMPLEMENTED, CORRECT, WRONG;
``.message`` is what was printed). Here: those constants, ``CheckResult``, ``run_check`` (the comparison
most checks are made of) and the helpers that format arrays and report a result.
"""
import warnings

import numpy as np

NOT_IMPLEMENTED, CORRECT, WRONG = "not implemented", "correct", "wrong"


class CheckResult:
    def __init__(self, name, status, message):
        self.name, self.status, self.message = name, status, message

    @property
    def passed(self):
        return self.status == CORRECT

    def __repr__(self):
        return f"CheckResult({self.name!r}, {self.status!r})"

    def _ipython_display_(self):      # already printed; show nothing more when it ends a cell
        pass


def _fmt(a, max_items=6):
    a = np.asarray(a)
    if a.ndim == 0:
        return f"{a.item():.6g}" if np.issubdtype(a.dtype, np.number) else repr(a.item())
    with np.printoptions(precision=4, threshold=max_items, edgeitems=3, suppress=False):
        return np.array2string(a, separator=", ").replace("\n", " ")


def _report(name, status, message):
    print(message)
    return CheckResult(name, status, message)


def run_check(name, student, cases, expected, rtol=1e-6, atol=1e-8, strict_errors=True):
    """Compare ``student(*args)`` with ``expected(*args)`` for every (description, args) in ``cases``.

    The student's function is called with numpy errors raised (``np.errstate(over/invalid="raise")``),
    so an overflowing formula is reported, not hidden behind a warning. The result must have the
    expected shape and match within rtol/atol.
    """
    title = f"{name}:"
    for description, args in cases:
        copies = [np.array(a, copy=True) if isinstance(a, np.ndarray) else a for a in args]
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error", RuntimeWarning)
                if strict_errors:
                    with np.errstate(over="raise", invalid="raise", divide="raise"):
                        got = student(*copies)
                else:
                    got = student(*copies)
        except NotImplementedError:
            return _report(name, NOT_IMPLEMENTED, f"⏳ {title} not yet implemented — replace "
                                                  "`raise NotImplementedError` with your code and run the cell again.")
        except (FloatingPointError, RuntimeWarning) as e:
            return _report(name, WRONG, f"❌ {title} for {description} the computation overflowed or produced NaN "
                                        f"({e}). Use a numerically stable form.")
        except Exception as e:              # the student's code failed: say how, never raise
            return _report(name, WRONG, f"❌ {title} for {description} your function raised "
                                        f"{type(e).__name__}: {e}")
        want = expected(*args)
        if got is None:
            return _report(name, WRONG, f"❌ {title} for {description} your function returned None — "
                                        "did you forget `return`?")
        if isinstance(want, tuple):
            if not isinstance(got, tuple) or len(got) != len(want):
                return _report(name, WRONG, f"❌ {title} for {description} expected {len(want)} values "
                                            f"(a tuple), got {type(got).__name__}.")
            pairs = list(zip(got, want))
        else:
            pairs = [(got, want)]
        for k, (g, w) in enumerate(pairs):
            part = f" (value {k + 1} of {len(pairs)})" if len(pairs) > 1 else ""
            g, w = np.asarray(g), np.asarray(w)
            if g.shape != w.shape:
                return _report(name, WRONG, f"❌ {title} for {description}{part} the result has shape {g.shape}, "
                                            f"expected {w.shape}.")
            if not np.issubdtype(g.dtype, np.number) and g.dtype != bool:
                return _report(name, WRONG, f"❌ {title} for {description}{part} the result has dtype {g.dtype}, "
                                            "expected numbers.")
            if not np.allclose(g, w, rtol=rtol, atol=atol, equal_nan=False):
                diff = np.abs(g.astype(float) - w.astype(float))
                diff = np.where(np.isnan(diff), np.inf, diff)
                where = np.unravel_index(int(np.argmax(diff)), diff.shape) if diff.ndim else ()
                at = f" at index {tuple(int(i) for i in where)}" if where else ""
                return _report(name, WRONG,
                               f"❌ {title} for {description}{part}\n   input:    {_fmt_args(args)}\n"
                               f"   expected: {_fmt(w)}\n   got:      {_fmt(g)}\n"
                               f"   largest difference {np.max(diff):.3g}{at} (got {_fmt(g[where])}, "
                               f"expected {_fmt(w[where])}).")
    return _report(name, CORRECT, f"✅ {title} correct on all {len(cases)} test inputs.")


def _fmt_args(args):
    return ", ".join(_fmt(a) if isinstance(a, (np.ndarray, float, int, np.number)) else repr(a) for a in args)
