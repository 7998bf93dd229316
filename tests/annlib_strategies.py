"""Hypothesis strategies and small helpers shared by the annlib core tests."""
import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

DTYPES = st.sampled_from([np.float64, np.float32])
SEEDS = st.integers(0, 2**32 - 1)


def batch_shapes(max_rows=4, max_cols=5):
    """(n_samples, n_features) with both at least 1."""
    return st.tuples(st.integers(1, max_rows), st.integers(1, max_cols))


def values(low=-5.0, high=5.0, away_from_zero=0.0):
    """Finite floats in [low, high]; with ``away_from_zero`` > 0 no value lies in (-a, a), which keeps a
    central difference (h = 1e-5) from straddling a kink at 0 (ReLU, LeakyReLU, |x|).

    Tiny non-zero values (|v| < 1e-3, e.g. 1e-38) become 0: a gradient made only of such values is below
    what a central difference can resolve, and the relative error then reports a correct gradient as
    wrong (a limit of the relative error, not a bug in backward)."""
    if away_from_zero:
        return st.one_of(st.floats(low, -away_from_zero), st.floats(away_from_zero, high))
    return st.floats(low, high, allow_nan=False, allow_infinity=False).map(lambda v: v if abs(v) >= 1e-3 else 0.0)


def float_arrays(shape, elements=None):
    """float64 arrays of ``shape`` (an int tuple or a strategy giving one)."""
    return hnp.arrays(np.float64, shape, elements=elements if elements is not None else values())


def assert_float_dtype(a, dtype, what):
    assert np.asarray(a).dtype == np.dtype(dtype), f"{what}: dtype {np.asarray(a).dtype}, expected {np.dtype(dtype)}"


def f32_close(a32, a64, what, rtol=1e-4, atol=1e-5):
    """A float32 computation agrees with its float64 twin (to float32 precision) and stayed float32."""
    assert_float_dtype(a32, np.float32, what)
    scale = max(1.0, float(np.max(np.abs(a64), initial=0.0)))
    np.testing.assert_allclose(a32, a64, rtol=rtol, atol=atol * scale, err_msg=what)


def assert_gradcheck_passed(report, atol=1e-9):
    """Every array of an annlib.gradcheck report passed: relative error below the report's tolerance, or,
    for an array whose whole gradient is tiny (a saturated unit: ~1e-8 and below), every entry within
    ``atol`` of the numerical one. A central difference resolves only ~1e-10 in absolute terms, so the
    relative error of a tiny gradient measures rounding noise, not the backward pass."""
    bad = [name for name, _, rel, ana, num in report.rows
           if not (rel < report.tol or np.max(np.abs(np.asarray(ana) - num), initial=0.0) < atol)]
    assert not bad, f"gradient check failed for {bad}\n{report}"
