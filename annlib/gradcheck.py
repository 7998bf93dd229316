"""Step 5 of 7: check backpropagation against numbers computed the slow, obvious way.

For each parameter θ_i, the central difference

    ∂L/∂θ_i ≈ (L(θ_i + h) - L(θ_i - h)) / 2h          (error O(h²); h = 1e-5 in float64)

is compared with the gradient ``backward`` produced, by the relative error

    rel = ‖analytic - numeric‖ / (‖analytic‖ + ‖numeric‖)

Rules of thumb (CS231n): rel < 1e-7 good; < 1e-4 fine where the function has kinks (ReLU);
< 1e-2 suspicious; above, the backward is wrong.

    report = gradcheck(net, X, y, loss=SoftmaxCrossEntropy())
    print(report); assert report.passed
"""
import numpy as np

from .layers import as_rng


def numerical_gradient(f, x, h=1e-5, indices=None):
    """Central-difference gradient of a scalar function ``f()`` with respect to the array ``x``.

    ``x`` is nudged in place (and restored), so ``f`` must read it: e.g. ``x`` is a layer's ``W``.
    ``indices`` restricts the check to some entries (the others stay 0).
    """
    grad = np.zeros_like(x, dtype=np.float64)
    for idx in (np.ndindex(x.shape) if indices is None else indices):
        old = x[idx]
        x[idx] = old + h
        f_plus = f()
        x[idx] = old - h
        f_minus = f()
        x[idx] = old
        grad[idx] = (f_plus - f_minus) / (2 * h)
    return grad


def relative_error(analytic, numeric):
    """‖a - n‖ / (‖a‖ + ‖n‖), 0 when both are 0."""
    a, n = np.asarray(analytic, np.float64), np.asarray(numeric, np.float64)
    denom = np.linalg.norm(a) + np.linalg.norm(n)
    return 0.0 if denom == 0 else float(np.linalg.norm(a - n) / denom)


def verdict(rel):
    if rel < 1e-7:
        return "good"
    if rel < 1e-4:
        return "ok (fine if the function has kinks, e.g. ReLU)"
    if rel < 1e-2:
        return "suspicious"
    return "WRONG"


class GradcheckReport:
    """One row per checked array: name, shape, relative error, verdict. ``passed`` if every row has a
    relative error below ``tol``, or agrees to ``atol`` entry by entry: when a gradient is ≈ 0 (a
    saturated unit, a perfect prediction) the relative error only measures rounding noise."""

    def __init__(self, rows, tol, atol=1e-9):
        self.rows, self.tol, self.atol = rows, tol, atol   # rows: (name, shape, rel_error, analytic, numeric)

    def _near_zero(self, analytic, numeric):
        return np.max(np.abs(analytic - numeric), initial=0.0) < self.atol

    @property
    def passed(self):
        return all(rel < self.tol or self._near_zero(a, n) for _, _, rel, a, n in self.rows)

    @property
    def max_error(self):
        return max((rel for _, _, rel, _, _ in self.rows), default=0.0)

    def errors(self):
        """{name: relative error}"""
        return {name: rel for name, _, rel, _, _ in self.rows}

    def __str__(self):
        width = max([len(r[0]) for r in self.rows] + [9])
        lines = [f"{'parameter':<{width}}  {'shape':<12} {'rel. error':>10}  verdict"]
        for name, shape, rel, a, n in self.rows:
            note = "good (both ≈ 0: agree to 1e-9)" if rel >= 1e-7 and self._near_zero(a, n) else verdict(rel)
            lines.append(f"{name:<{width}}  {str(shape):<12} {rel:>10.2e}  {note}")
        status = "PASSED" if self.passed else "FAILED"
        lines.append(f"gradient check {status}: largest relative error {self.max_error:.2e} (tolerance {self.tol:g})")
        return "\n".join(lines)

    __repr__ = __str__


def _named_parameters(model):
    """[(name, param, grad), ...] of a network or of a single layer, as they are now."""
    if hasattr(model, "named_parameters"):
        return model.named_parameters()
    return [(f"{model.name or type(model).__name__}.{p}", getattr(model, p), getattr(model, "d" + p))
            for p in model.param_names]


def gradcheck(model, X, y=None, loss=None, h=1e-5, tol=1e-6, check_input=True, samples=None, seed=0):
    """Check every parameter gradient (and dL/dX) of ``model`` — a layer or a network — at input ``X``.

    With ``loss`` and targets ``y``: L = loss(model(X), y). Without: L = Σ model(X) ⊙ R for a fixed
    random R, which checks a single layer on its own. Needs float64 (float32 rounding swamps the
    differences). ``samples`` checks that many random entries per array instead of all of them.
    Dropout is switched off during the check.
    """
    X = np.array(X, dtype=np.float64)
    params = _named_parameters(model)
    for name, p, _ in params:
        if p.dtype != np.float64:
            raise TypeError(f"gradcheck needs float64 parameters; {name} is {p.dtype}. "
                            "Build the layer or network with dtype=np.float64.")
    rng = as_rng(seed)
    was_training = model.training
    model.eval()
    try:
        if loss is None:
            R = rng.standard_normal(model.forward(X).shape)

            def L():
                return float(np.sum(model.forward(X) * R))

            def dL_dout():
                return R
        else:
            def L():
                return loss.forward(model.forward(X), y)

            def dL_dout():
                return loss.backward()

        L()
        dX = model.backward(dL_dout())
        # read the gradients after backward: a layer may store new arrays instead of writing in place
        analytic = [(name, np.array(g, dtype=np.float64)) for name, _, g in _named_parameters(model)]
        rows = []
        targets = [(name, p, g) for (name, p, _), (_, g) in zip(params, analytic)]
        if check_input and dX is not None:
            targets.append(("input X", X, dX))
        for name, p, g in targets:
            idx = None
            if samples is not None and p.size > samples:
                flat = rng.choice(p.size, size=samples, replace=False)
                idx = [np.unravel_index(i, p.shape) for i in flat]
            num = numerical_gradient(L, p, h, idx)
            ana = g if idx is None else np.array([g[i] for i in idx])
            num_sel = num if idx is None else np.array([num[i] for i in idx])
            rows.append((name, p.shape, relative_error(ana, num_sel), ana, num_sel))
        return GradcheckReport(rows, tol)
    finally:
        model.train(was_training)
