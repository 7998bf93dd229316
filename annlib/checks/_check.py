"""The machinery every exercise check shares. Each ``check_*`` (in ``nb1.py`` … ``nb7.py``) takes the
student's function, runs it on several inputs (ordinary values, edge cases such as 0 and ±1000, a batch)
next to annlib's own answer and prints one of

    ⏳ not yet implemented     (the stub still raises NotImplementedError)
    ✅ correct
    ❌ the mistake by name ("the bias is missing"), then the input, the expected and the actual result

A check never raises, so "Run all" passes with the stubs still in place. It returns a ``CheckResult``
(``.status`` is "not implemented", "correct" or "wrong", the constants NOT_IMPLEMENTED, CORRECT, WRONG;
``.message`` is what was printed; ``.mistake`` the name of the recognised mistake, or None).

How a mistake is recognised: each check lists the typical wrong answers of its exercise as ``Mistake``s.
A Mistake either computes what that wrong answer returns (``result``: the student's result equals it),
or tests a property of the student's result (``test``), or names an error the student's code raised
(``error``). Nothing is guessed: a diagnosis is printed only when the student's result matches it.
An error raised by the student's code is translated (``explain_error``): which line, which shapes.
"""
import linecache
import os
import re
import warnings

import numpy as np

NOT_IMPLEMENTED, CORRECT, WRONG = "not implemented", "correct", "wrong"
NOT_YET = "not yet implemented — replace `raise NotImplementedError` with your code and run the cell again."


class CheckResult:
    def __init__(self, name, status, message, mistake=None):
        self.name, self.status, self.message, self.mistake = name, status, message, mistake

    @property
    def passed(self):
        return self.status == CORRECT

    def __repr__(self):
        return f"CheckResult({self.name!r}, {self.status!r})"

    def _ipython_display_(self):      # already printed; show nothing more when it ends a cell
        pass


class Mistake:
    """A typical wrong answer of an exercise, and how to recognise it.

    says:   what the mistake is, in the lesson's words ("the bias is missing: Z = X @ W + b").
    result: ``result(*args)`` returns what the mistaken code returns; the student's result matching it
            (same shape, same values) shows the mistake.
    test:   ``test(got, want, args)`` -> True when the student's result ``got`` shows the mistake.
    error:  an exception type (or tuple): the student's code raising it shows the mistake; ``match``
            optionally a regular expression the error's text must contain.
    output: for functions that return several values, the name of the one this mistake is about.
    """

    def __init__(self, says, result=None, test=None, error=None, match=None, output=None):
        self.says, self.result, self.test, self.error, self.match, self.output = says, result, test, error, match, output

    def shown_by(self, got, want, args, output=None, index=None, rtol=1e-6, atol=1e-8):
        """Does the student's result ``got`` show this mistake? For a function that returns several values,
        ``got`` is the one named ``output``, at position ``index`` of the tuple."""
        if self.error is not None or (self.output is not None and self.output != output):
            return False
        try:
            with np.errstate(all="ignore"), warnings.catch_warnings():
                warnings.simplefilter("ignore")
                if self.test is not None:
                    return bool(self.test(got, want, args))
                theirs = self.result(*_copies(args))
                if isinstance(theirs, tuple) and index is not None:
                    theirs = theirs[index]
                return same(got, theirs, rtol, atol)
        except Exception:           # a mistake that cannot be computed for this input is not shown by it
            return False

    def raised(self, e):
        return (self.error is not None and isinstance(e, self.error)
                and (self.match is None or re.search(self.match, str(e)) is not None))


def same(a, b, rtol=1e-6, atol=1e-8):
    """Equal shapes and values (NaN never equals anything)."""
    try:
        a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    except (TypeError, ValueError):
        return False
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=rtol, atol=atol))


def _copies(args):
    return [np.array(a, copy=True) if isinstance(a, np.ndarray) else a for a in args]


def _fmt(a, max_items=6):
    a = np.asarray(a)
    if a.ndim == 0:
        return f"{a.item():.6g}" if np.issubdtype(a.dtype, np.number) else repr(a.item())
    with np.printoptions(precision=4, threshold=max_items, edgeitems=3, suppress=False):
        return np.array2string(a, separator=", ").replace("\n", " ")


def _fmt_args(args):
    return ", ".join(_fmt(a) if isinstance(a, (np.ndarray, float, int, np.number)) else repr(a) for a in args)


def _report(name, status, message, mistake=None):
    print(message)
    return CheckResult(name, status, message, mistake)


def wrong(name, says, evidence="", mistake=None):
    """Report a wrong answer: the diagnosis first, then the numbers that show it (indented)."""
    message = f"❌ {name}: {says}"
    if evidence:
        message += "\n" + "\n".join("   " + line for line in evidence.strip("\n").split("\n"))
    return _report(name, WRONG, message, mistake or says)


# -- running the student's code ---------------------------------------------------------------------
_LIBRARY_DIRS = tuple(os.path.dirname(os.path.dirname(m.__file__)) + os.sep
                      for m in (np,)) + (os.path.dirname(os.path.dirname(__file__)) + os.sep,)

_TRANSLATIONS = [
    (r"matmul: Input operand \d has a mismatch in its core dimension \d.*\(size (\d+) is different from (\d+)\)",
     "a matrix product A @ B needs as many columns in A as rows in B, here {1} and {0}. Check the order of "
     "the factors and whether one of them needs .T (the shapes in the docstring tell which)."),
    (r"shapes \(([\d, ]*)\) and \(([\d, ]*)\) not aligned",
     "a matrix product A @ B (np.dot) needs as many columns in A as rows in B; the shapes are ({0}) and ({1}). "
     "Check the order of the factors and whether one of them needs .T."),
    (r"operands could not be broadcast together with (?:remapped )?shapes (.*\S)",
     "element-wise arithmetic (+ - * /) on arrays whose shapes do not line up: {0}. If one of them comes from "
     "a sum, mean or max over an axis, keep that axis with keepdims=True; a matrix product is @, not *."),
    (r"truth value of an array with more than one element is ambiguous",
     "`if`, `and`, `or`, `max()` and `min()` ask about one number, but got a whole array. Work element by "
     "element instead: np.maximum, np.minimum, np.where, `&`, `|`."),
    (r"axis (-?\d+) is out of bounds for array of dimension (\d+)",
     "axis {0} does not exist in an array with {1} dimension(s). Axis 0 runs over the samples (rows), axis 1 "
     "over the features or classes (columns)."),
    (r"overflow encountered",
     "a number grew past the largest float (np.exp(x) is inf for x > 709). Use a numerically stable form."),
    (r"invalid value encountered|divide by zero",
     "the computation produced NaN or ±inf (e.g. ln 0, 0/0, inf - inf). Use a numerically stable form."),
    (r"'NoneType' object",
     "a value is None: a function you call (or wrote) is missing its `return`."),
    (r"name '(\w+)' is not defined",
     "the name `{0}` is not defined inside your function: use the function's own arguments, or define "
     "`{0}` first."),
]


def explain_error(e):
    """What an error raised by the student's code means, in words: the line of the student's code that
    raised it, the shapes of the arrays named on that line, and numpy's message translated."""
    text = str(e)
    meaning = next((why.format(*m.groups()) for pattern, why in _TRANSLATIONS
                    for m in [re.search(pattern, text)] if m), None)
    where = _student_line(e)
    parts = [f"your function raised {type(e).__name__}"]
    if where:
        parts[0] += f" in the line `{where[0]}`" + (f" ({where[1]})" if where[1] else "")
    if meaning:
        return f"{parts[0]}: {meaning}\n   ({type(e).__name__}: {text})"
    return f"{parts[0]}: {text}"


def _student_line(e):
    """(source line, "X (4, 3), W (3, 2)") of the last frame of the traceback that is the student's
    code (not numpy's or annlib's), or None."""
    tb, mine = e.__traceback__, None
    while tb is not None:
        if not tb.tb_frame.f_code.co_filename.startswith(_LIBRARY_DIRS):
            mine = tb
        tb = tb.tb_next
    if mine is None:
        return None
    line = linecache.getline(mine.tb_frame.f_code.co_filename, mine.tb_lineno).strip()
    if not line:
        return None
    names = dict.fromkeys(re.findall(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)?", line))
    shapes = []
    for name in names:
        value = _lookup(mine.tb_frame.f_locals, name)
        if isinstance(value, np.ndarray):
            shapes.append(f"{name} has shape {value.shape}")
    return line, ", ".join(shapes)


def _lookup(scope, dotted):
    """The value of ``name`` or ``obj.attribute`` (e.g. ``layer.x``) in a frame's variables, or None."""
    base, _, attr = dotted.partition(".")
    value = scope.get(base)
    if not attr:
        return value
    return None if isinstance(value, type(np)) else getattr(value, "__dict__", {}).get(attr)


def call_student(name, fn, *args, strict=True, mistakes=(), description=None):
    """Run the student's ``fn(*args)``. Returns (value, None), or (None, CheckResult) if it raised:
    "not yet implemented" for the stub, a named mistake when one of ``mistakes`` names the error,
    else the error explained. With ``strict``, numpy's overflow and NaN warnings are errors."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error" if strict else "ignore", RuntimeWarning)
            with np.errstate(**({"over": "raise", "invalid": "raise", "divide": "raise"} if strict else {"all": "ignore"})):
                return fn(*args), None
    except NotImplementedError:
        return None, _report(name, NOT_IMPLEMENTED, f"⏳ {name}: {NOT_YET}")
    except Exception as e:              # the student's code failed: say how, never raise
        where = f"for {description}, " if description else ""
        for m in mistakes:
            if m.raised(e):
                return None, wrong(name, m.says, f"{where}your function raised {type(e).__name__}: {e}", m.says)
        return None, wrong(name, where + explain_error(e), mistake="error")


def run_check(name, student, cases, expected, rtol=1e-6, atol=1e-8, strict_errors=True, mistakes=(),
              outputs=None):
    """Compare ``student(*args)`` with ``expected(*args)`` for every (description, args) in ``cases``.

    The student's function is called with numpy errors raised (``np.errstate(over/invalid="raise")``),
    so an overflowing formula is reported, not hidden behind a warning. The result must have the
    expected shape and match within rtol/atol. On the first input where it does not, the ``mistakes``
    (a list of ``Mistake``) are tried in order and the first one the result shows is named; the input,
    the expected and the actual values follow as evidence. ``outputs`` names the values of a function
    that returns a tuple, e.g. ("dW", "db", "dX"), so a message says "db", not "value 2 of 3".
    """
    for description, args in cases:
        got, failed = call_student(name, student, *_copies(args), strict=strict_errors, mistakes=mistakes,
                                   description=description)
        if failed:
            return failed
        want = expected(*args)
        if got is None:
            return wrong(name, f"for {description} your function returned None — did you forget `return`?")
        if isinstance(want, tuple):
            names = tuple(outputs or (f"value {k + 1} of {len(want)}" for k in range(len(want))))
            if not isinstance(got, tuple) or len(got) != len(want):
                shape = f"({', '.join(outputs)})" if outputs else "a tuple"
                return wrong(name, f"return {len(want)} values, {shape}; for {description} your function "
                                   f"returned {_what(got)}.")
            pairs = list(zip(names, got, want))
        else:
            pairs = [(None, got, want)]
        for index, (output, g, w) in enumerate(pairs):
            problem = _difference(g, w, rtol, atol)
            if problem is None:
                continue
            label = f"{output}: " if output else ""
            evidence = f"for {description}\n{label}{problem}\ninput: {_fmt_args(args)}"
            for m in mistakes:
                if m.shown_by(g, w, args, output, index if len(pairs) > 1 else None, rtol, atol):
                    return wrong(name, (f"{output}: " if output else "") + m.says, evidence, m.says)
            return wrong(name, f"{label}wrong result for {description}.", f"{problem}\ninput: {_fmt_args(args)}",
                         "numbers")
    inputs = {1: "the test input", 2: "both test inputs"}.get(len(cases), f"all {len(cases)} test inputs")
    return _report(name, CORRECT, f"✅ {name}: correct on {inputs}.")


def _what(got):
    if isinstance(got, tuple):
        return f"a tuple of {len(got)}"
    shape = getattr(got, "shape", None)
    return f"one {type(got).__name__}" + (f" of shape {shape}" if shape is not None else "")


def _difference(g, w, rtol=1e-6, atol=1e-8):
    """None if g matches w, else the evidence: expected and got (and where they differ most)."""
    w = np.asarray(w)
    try:
        g = np.asarray(g)
    except Exception:                   # e.g. a ragged list
        return f"expected an array of shape {w.shape}, got {type(g).__name__}"
    if g.shape != w.shape:
        return f"the result has shape {g.shape}, expected {w.shape}"
    if not np.issubdtype(g.dtype, np.number) and g.dtype != bool:
        return f"the result has dtype {g.dtype}, expected numbers"
    if np.allclose(g, w, rtol=rtol, atol=atol, equal_nan=False):
        return None
    diff = np.abs(g.astype(float) - w.astype(float))
    diff = np.where(np.isnan(diff), np.inf, diff)
    where = np.unravel_index(int(np.argmax(diff)), diff.shape) if diff.ndim else ()
    at = f" at index {tuple(int(i) for i in where)}" if where else ""
    return (f"expected: {_fmt(w)}\ngot:      {_fmt(g)}\nlargest difference {np.max(diff):.3g}{at} "
            f"(got {_fmt(g[where])}, expected {_fmt(w[where])})")
