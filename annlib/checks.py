"""Self-checks for the exercises. Each ``check_*`` takes the student's function, runs it on several
inputs (ordinary values, edge cases such as 0 and ±1000, a batch) next to annlib's own answer and
prints one of

    ⏳ not yet implemented     (the stub still raises NotImplementedError)
    ✅ correct
    ❌ exactly which input gave what, instead of what, and by how much

A check never raises, so "Run all" passes with the stubs still in place. It returns a ``CheckResult``
(``.status`` is "not implemented", "correct" or "wrong"; ``.message`` is what was printed).
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


# ==============================================================================================
# Notebook 2: activation functions
# ==============================================================================================
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
    from .activations import ReLU
    return run_check("relu", relu, _activation_cases(), ReLU().f)


def check_relu_derivative(relu_derivative):
    """Exercise: relu'(x) = 1 where x > 0, else 0 (0 at x = 0, as PyTorch), element by element."""
    from .activations import ReLU
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
    from .activations import Sigmoid
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
    from .activations import softmax as reference
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


# ==============================================================================================
# Notebook 1 (section owned by the notebook 1 lesson; add its functions below this line)
# ==============================================================================================
def _call(name, fn, *args):
    """Run the student's ``fn(*args)`` the way run_check does. Returns (value, None) or (None, CheckResult)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", RuntimeWarning)
            with np.errstate(over="raise", invalid="raise", divide="raise"):
                return fn(*args), None
    except NotImplementedError:
        return None, _report(name, NOT_IMPLEMENTED, f"⏳ {name}: not yet implemented — replace "
                                                    "`raise NotImplementedError` with your code and run the cell again.")
    except Exception as e:                  # the student's code failed: say how, never raise
        return None, _report(name, WRONG, f"❌ {name}: for input {_fmt_args(args)} your function raised "
                                          f"{type(e).__name__}: {e}")


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
        W, failed = _call(name, xavier_uniform, n_in, n_out, np.random.default_rng(seed))
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
    same = [_call(name, xavier_uniform, 50, 30, np.random.default_rng(42)) for _ in range(2)]
    other, failed = _call(name, xavier_uniform, 50, 30, np.random.default_rng(43))
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


# ==============================================================================================
# Notebook 3 (section owned by the notebook 3 lesson; add its functions below this line)
# ==============================================================================================
def _dense_forward_reference(X, W, b):
    return X @ W + b


def _nb3_dense_forward_cases():
    rng = np.random.default_rng(3)
    return [
        ("one sample X (1, 2), W (2, 3), b (3,)",
         (np.array([[1.0, -2.0]]), np.array([[0.5, -1.0, 0.0], [0.25, 0.5, 2.0]]), np.array([0.1, 0.0, -0.3]))),
        ("a batch X (4, 3), W (3, 2), b (2,)",
         (rng.standard_normal((4, 3)), rng.standard_normal((3, 2)), rng.standard_normal(2))),
        ("a batch X (5, 2), W (2, 4), b = 0", (rng.standard_normal((5, 2)), rng.standard_normal((2, 4)), np.zeros(4))),
        ("a non-square W: X (3, 4), W (4, 1), b (1,)",
         (rng.standard_normal((3, 4)), rng.standard_normal((4, 1)), np.array([2.0]))),
    ]


def check_dense_forward(dense_forward):
    """Exercise: dense_forward(X, W, b) -> Z = X @ W + b, X (n, n_in), W (n_in, n_out), b (n_out,) -> (n, n_out)."""
    return run_check("dense_forward", dense_forward, _nb3_dense_forward_cases(), _dense_forward_reference)


def _two_layer_reference(X, W1, b1, W2, b2):
    from .activations import softmax
    A1 = np.maximum(X @ W1 + b1, 0)          # hidden layer, ReLU
    return softmax(A1 @ W2 + b2)             # output layer, softmax probabilities


def _nb3_two_layer_cases():
    rng = np.random.default_rng(4)
    W1 = np.array([[1.0, -1.0, 0.5], [0.5, 1.0, -1.0]])
    b1 = np.array([0.0, 0.5, 0.1])
    W2 = np.array([[1.0, -1.0], [-0.5, 0.5], [2.0, 0.0]])
    b2 = np.array([0.1, -0.1])
    return [
        ("the 2-3-2 network of this notebook, one sample x = [[1, 2]]", (np.array([[1.0, 2.0]]), W1, b1, W2, b2)),
        ("the same network on a batch of 4 samples", (rng.standard_normal((4, 2)), W1, b1, W2, b2)),
        ("a 3-6-4 network on 5 samples",
         (rng.standard_normal((5, 3)), rng.standard_normal((3, 6)), rng.standard_normal(6),
          rng.standard_normal((6, 4)), rng.standard_normal(4))),
        ("large inputs X = [[500, 1000], [-800, 400]] (logits near ±1000: subtract the row maximum before exp)",
         (np.array([[500.0, 1000.0], [-800.0, 400.0]]), W1, b1, W2, b2)),
    ]


def check_two_layer_forward(two_layer_forward):
    """Exercise: two_layer_forward(X, W1, b1, W2, b2) -> softmax(relu(X @ W1 + b1) @ W2 + b2), shape (n, C)."""
    return run_check("two_layer_forward", two_layer_forward, _nb3_two_layer_cases(), _two_layer_reference)


def _neuron_reference(x, w, b):
    from .activations import _sigmoid
    return _sigmoid(np.dot(x, w) + b)


def check_neuron_output(neuron_output):
    """Exercise: neuron_output(x, w, b) -> sigmoid(x · w + b), x and w of shape (d,), b a number -> a number."""
    cases = [
        ("x = [1, -2], w = [0.5, 0.25], b = 0.1", (np.array([1.0, -2.0]), np.array([0.5, 0.25]), 0.1)),
        ("x = [0, 0, 0] (the output is sigmoid(b))", (np.zeros(3), np.array([1.0, 2.0, 3.0]), -1.0)),
        ("x = [2, 1, -1], w = [0.3, -0.2, 0.4], b = 0", (np.array([2.0, 1.0, -1.0]), np.array([0.3, -0.2, 0.4]), 0.0)),
        ("a strongly negative weighted sum (z = -20)", (np.array([10.0, 10.0]), np.array([-1.0, -1.0]), 0.0)),
    ]
    return run_check("neuron_output", neuron_output, cases, _neuron_reference)


# ==============================================================================================
# Notebook 4 (section owned by the notebook 4 lesson; add its functions below this line)
# ==============================================================================================
def _mse_reference(y_pred, y_true):
    from .losses import MSELoss
    loss = MSELoss()
    return loss.forward(y_pred, y_true), loss.backward()


def check_mse(mse):
    """Exercise: mse(y_pred, y_true) -> (L, dL/dy_pred) with L = mean((y_pred - y_true)²) over all entries
    and dL/dy_pred = 2 (y_pred - y_true) / N, N = y_pred.size; y_pred and y_true have the same shape."""
    rng = np.random.default_rng(5)
    cases = [
        ("y_pred = [[1], [2], [3]], y_true = [[1], [1], [1]]", (np.array([[1.0], [2.0], [3.0]]), np.ones((3, 1)))),
        ("a perfect prediction (L = 0, gradient 0)", (np.array([[0.5], [-0.5]]), np.array([[0.5], [-0.5]]))),
        ("a batch with 2 outputs, shape (4, 2) (divide by all 8 entries)",
         (rng.standard_normal((4, 2)), rng.standard_normal((4, 2)))),
        ("one sample, shape (1, 1)", (np.array([[3.0]]), np.array([[-1.0]]))),
    ]
    return run_check("mse", mse, cases, _mse_reference)


def _bce_reference(p, y, eps=1e-12):
    p = np.clip(p, eps, 1 - eps)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


def check_binary_cross_entropy(binary_cross_entropy):
    """Exercise: binary_cross_entropy(p, y) -> -mean(y ln p + (1 - y) ln(1 - p)) with p clipped to
    [eps, 1 - eps], eps = 1e-12, so that ln never sees 0. p, y of shape (n,) or (n, 1)."""
    cases = [
        ("p = [0.9, 0.2], y = [1, 0]", (np.array([0.9, 0.2]), np.array([1.0, 0.0]))),
        ("p = 0.5 everywhere (L = ln 2)", (np.full(4, 0.5), np.array([1.0, 0.0, 1.0, 0.0]))),
        ("a column (3, 1)", (np.array([[0.7], [0.1], [0.99]]), np.array([[1.0], [1.0], [0.0]]))),
        ("confident and right: p = [1, 0], y = [1, 0]", (np.array([1.0, 0.0]), np.array([1.0, 0.0]))),
        ("confident and wrong: p = [0, 1], y = [1, 0] (clip p, or ln 0 = -inf)",
         (np.array([0.0, 1.0]), np.array([1.0, 0.0]))),
    ]
    return run_check("binary_cross_entropy", binary_cross_entropy, cases, _bce_reference, rtol=1e-5)


def _softmax_ce_reference(z, y):
    from .losses import SoftmaxCrossEntropy
    return SoftmaxCrossEntropy().forward(z, y)


def check_softmax_cross_entropy(softmax_cross_entropy):
    """Exercise: softmax_cross_entropy(z, y) -> mean over the batch of -ln softmax(z)[true class], z logits
    (n, C), y integer labels (n,); stable for logits like ±1000 (log-sum-exp)."""
    rng = np.random.default_rng(6)
    cases = [
        ("z = [[2, 1, 0]], y = [0]", (np.array([[2.0, 1.0, 0.0]]), np.array([0]))),
        ("equal logits (L = ln C)", (np.zeros((3, 4)), np.array([0, 1, 3]))),
        ("a batch of 5 with 3 classes", (rng.standard_normal((5, 3)), np.array([0, 2, 1, 1, 0]))),
        ("huge logits z = [[1000, 0, -1000], [0, 1000, 0]]", (np.array([[1000.0, 0.0, -1000.0], [0.0, 1000.0, 0.0]]),
                                                              np.array([0, 0]))),
    ]
    return run_check("softmax_cross_entropy", softmax_cross_entropy, cases, _softmax_ce_reference)


# ==============================================================================================
# Notebook 5 (section owned by the notebook 5 lesson; add its functions below this line)
# ==============================================================================================

def _nb5_dense_backward_reference(X, W, dZ):
    from .layers import Dense
    layer = Dense(W.shape[0], W.shape[1])
    layer.W[...] = W
    layer.forward(X)
    dX = layer.backward(dZ)
    return layer.dW.copy(), layer.db.copy(), dX


def _nb5_dense_cases():
    rng = np.random.default_rng(5)
    cases = []
    for n, n_in, n_out in ((1, 1, 1), (4, 3, 2), (5, 2, 3), (3, 4, 4)):
        X, W, dZ = rng.standard_normal((n, n_in)), rng.standard_normal((n_in, n_out)), rng.standard_normal((n, n_out))
        cases.append((f"X {X.shape}, W {W.shape}, dZ {dZ.shape} (returns dW, db, dX)", (X, W, dZ)))
    return cases


def check_dense_backward(dense_backward):
    """Exercise: dense_backward(X, W, dZ) -> (dW, db, dX) for z = X·W + b.

    X (n, n_in), W (n_in, n_out), dZ = ∂L/∂z (n, n_out) -> dW (n_in, n_out), db (n_out,), dX (n, n_in).
    After the comparison with annlib, a correct answer is also put through ``annlib.gradcheck``.
    """
    result = run_check("dense_backward", dense_backward, _nb5_dense_cases(), _nb5_dense_backward_reference)
    if result.status != CORRECT:
        return result
    from .gradcheck import gradcheck
    from .layers import Dense

    class StudentDense(Dense):
        def backward(self, grad, input_grad=True):
            dW, db, dX = dense_backward(self.x, self.W, grad)
            self.dW[...] = dW
            self.db[...] = db
            return np.asarray(dX)

    try:
        report = gradcheck(StudentDense(3, 2, seed=1, name="your dense"), np.random.default_rng(2).standard_normal((4, 3)))
    except Exception as e:            # never raise from a check
        return _report("dense_backward", WRONG, f"❌ dense_backward: gradcheck on your layer failed: {type(e).__name__}: {e}")
    status = CORRECT if report.passed else WRONG
    mark = "✅" if report.passed else "❌"
    return _report("dense_backward", status, f"{result.message}\n{mark} gradcheck on a Dense(3, 2) layer that uses "
                                             f"your backward:\n{report}")


def _nb5_sigmoid_backward_reference(z, grad):
    from .activations import Sigmoid
    return grad * Sigmoid().df(z)


def check_sigmoid_backward(sigmoid_backward):
    """Exercise: sigmoid_backward(z, grad) -> ∂L/∂z = grad · σ(z)(1 − σ(z)), element by element.

    z: the sigmoid's input (any shape), grad = ∂L/∂a (same shape) -> same shape. Must not overflow
    for z = ±1000 (use a stable sigmoid, e.g. annlib.Sigmoid().f(z)).
    """
    rng = np.random.default_rng(6)
    cases = [
        ("z = 0, grad = 1", (np.array(0.0), np.array(1.0))),
        ("z = [-2, 0.5, 3], grad = [1, 1, 1]", (np.array([-2.0, 0.5, 3.0]), np.ones(3))),
        ("z = [-1, 1], grad = [2, -3]", (np.array([-1.0, 1.0]), np.array([2.0, -3.0]))),
        ("large z = [-1000, 1000], grad = [1, 1]", (np.array([-1000.0, 1000.0]), np.ones(2))),
        ("a batch of shape (4, 3)", (rng.standard_normal((4, 3)), rng.standard_normal((4, 3)))),
    ]
    return run_check("sigmoid_backward", sigmoid_backward, cases, _nb5_sigmoid_backward_reference)


class TanhDense:
    """The layer of the 'find the bug' exercise: a dense layer with tanh built in, a = tanh(x·W + b).
    Its ``backward`` is the student's function (or the buggy one) plugged in from outside."""

    param_names = ("W", "b")
    training = True
    name = "tanh_dense"

    def __init__(self, n_in, n_out, seed=0, backward=None):
        rng = np.random.default_rng(seed)
        self.W = rng.standard_normal((n_in, n_out)) * 0.8
        self.b = rng.standard_normal(n_out) * 0.1
        self.dW, self.db = np.zeros_like(self.W), np.zeros_like(self.b)
        self._backward = backward

    def forward(self, x):
        self.x = x
        self.a = np.tanh(x @ self.W + self.b)
        return self.a

    def backward(self, grad, input_grad=True):
        return self._backward(self, grad)

    def train(self, mode=True):
        return self

    def eval(self):
        return self


def _nb5_tanh_dense_reference(X, W, b, grad):
    a = np.tanh(X @ W + b)
    dz = grad * (1 - a * a)
    return X.T @ dz, dz.sum(axis=0), dz @ W.T


def check_fixed_backward(fixed_backward):
    """Exercise: fixed_backward(layer, grad) -> dX for the TanhDense layer (a = tanh(x·W + b)): store
    layer.dW (n_in, n_out) and layer.db (n_out,), return dX (n, n_in). ``layer.x`` and ``layer.a`` hold
    what forward cached."""
    def student(X, W, b, grad):
        layer = TanhDense(*W.shape, backward=fixed_backward)
        layer.W, layer.b = W.copy(), b.copy()
        layer.forward(X)
        dX = fixed_backward(layer, grad)
        if dX is None:
            return None
        return layer.dW, layer.db, dX

    rng = np.random.default_rng(7)
    cases = []
    for n, n_in, n_out in ((1, 2, 2), (4, 3, 2), (5, 2, 4)):
        cases.append((f"a batch X {(n, n_in)}, W {(n_in, n_out)} (values: layer.dW, layer.db, returned dX)",
                      (rng.standard_normal((n, n_in)), rng.standard_normal((n_in, n_out)),
                       rng.standard_normal(n_out) * 0.1, rng.standard_normal((n, n_out)))))
    return run_check("fixed_backward", student, cases, _nb5_tanh_dense_reference)


# ==============================================================================================
# Notebook 6 (section owned by the notebook 6 lesson; add its functions below this line)
# ==============================================================================================

def _nb6_quadratic_gradients(p, H):
    return H * p                      # gradient of ½ Σ H_i p_i², element-wise curvatures H


def _nb6_run_step_check(name, student, reference, cases, steps=5, rtol=1e-6, atol=1e-10):
    """Run the student's step rule and annlib's optimizer side by side on a quadratic for a few steps.

    student(param, grad, state, **hyper) must change ``param`` in place. ``reference(**hyper)`` makes
    the annlib optimizer. ``cases``: [(description, p0, H, hyper)]. Prints the first step that differs.
    """
    title = f"{name}:"
    for description, p0, H, hyper in cases:
        mine, theirs = np.array(p0, dtype=float), np.array(p0, dtype=float)
        state, opt = {}, reference(**hyper)
        for t in range(1, steps + 1):
            g_mine, g_theirs = _nb6_quadratic_gradients(mine, H), _nb6_quadratic_gradients(theirs, H)
            before = mine.copy()
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("error", RuntimeWarning)
                    with np.errstate(over="raise", invalid="raise", divide="raise"):
                        student(mine, g_mine.copy(), state, **hyper)
            except NotImplementedError:
                return _report(name, NOT_IMPLEMENTED, f"⏳ {title} not yet implemented — replace "
                                                      "`raise NotImplementedError` with your code and run the cell again.")
            except Exception as e:
                return _report(name, WRONG, f"❌ {title} for {description}, at step {t} your function raised "
                                            f"{type(e).__name__}: {e}")
            opt.step([theirs], [g_theirs])
            if not isinstance(state, dict):
                return _report(name, WRONG, f"❌ {title} state must stay a dict.")
            if mine.shape != theirs.shape:
                return _report(name, WRONG, f"❌ {title} param changed shape to {mine.shape}.")
            if t == 1 and np.array_equal(before, mine) and not np.array_equal(before, theirs):
                return _report(name, WRONG, f"❌ {title} for {description}, param did not change after step 1. "
                                            "Update it in place, e.g. `param -= lr * ...` (a new array assigned "
                                            "to the name `param` is lost when the function returns).")
            if not np.allclose(mine, theirs, rtol=rtol, atol=atol):
                return _report(name, WRONG,
                               f"❌ {title} for {description}, after step {t}:\n"
                               f"   param expected {_fmt(theirs)}\n   got            {_fmt(mine)}\n"
                               f"   (same gradients and settings {hyper}; largest difference "
                               f"{np.max(np.abs(mine - theirs)):.3g})")
    return _report(name, CORRECT, f"✅ {title} matches annlib on all {len(cases)} runs of {steps} steps.")


def _nb6_step_cases(hyper_list):
    p0 = np.array([1.0, -2.0, 0.5])
    H = np.array([1.0, 10.0, 0.1])
    cases = [(f"param {_fmt(p0)} on a quadratic with settings {h}", p0, H, h) for h in hyper_list]
    rng = np.random.default_rng(8)
    P, HH = rng.standard_normal((3, 2)), rng.uniform(0.1, 5, (3, 2))
    cases.append((f"a (3, 2) parameter array with settings {hyper_list[0]}", P, HH, hyper_list[0]))
    return cases


def check_momentum_step(momentum_step):
    """Exercise: momentum_step(param, grad, state, lr, momentum) changes param in place:
    v ← momentum·v + grad (v starts at 0, kept in state), param ← param − lr·v. Checked against
    annlib.SGD(lr, momentum) for 5 steps."""
    from .optimizers import SGD
    cases = _nb6_step_cases([{"lr": 0.1, "momentum": 0.9}, {"lr": 0.05, "momentum": 0.5}])
    return _nb6_run_step_check("momentum_step", momentum_step, lambda lr, momentum: SGD(lr, momentum=momentum), cases)


def check_adam_step(adam_step):
    """Exercise: adam_step(param, grad, state, lr, beta1, beta2, eps) changes param in place with Adam's
    update including bias correction (step count t kept in state). Checked against annlib.Adam for 5 steps."""
    from .optimizers import Adam
    cases = _nb6_step_cases([{"lr": 0.1, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8},
                         {"lr": 0.01, "beta1": 0.5, "beta2": 0.9, "eps": 1e-8}])
    return _nb6_run_step_check("adam_step", adam_step,
                           lambda lr, beta1, beta2, eps: Adam(lr, betas=(beta1, beta2), eps=eps), cases)


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
        return _report(name, WRONG, f"❌ {name}: your function raised {type(e).__name__}: {e}")
    try:
        lr = float(lr)
    except (TypeError, ValueError):
        return _report(name, WRONG, f"❌ {name}: return a number (the learning rate), got {lr!r}.")
    if not (lr > 0 and np.isfinite(lr)):
        return _report(name, WRONG, f"❌ {name}: a learning rate must be a positive number, got {lr!r}.")
    f = lambda p: 0.5 * (p[0] ** 2 + 20.0 * p[1] ** 2)       # noqa: E731  (the bowl of notebook 6)
    p = np.array([-4.0, 1.0])
    with np.errstate(over="ignore", invalid="ignore"):
        for t in range(1, LR_EXERCISE_STEPS + 1):
            p = p - lr * np.array([p[0], 20.0 * p[1]])
            loss = f(p)
            if not np.isfinite(loss) or loss > 1e6:
                return _report(name, WRONG, f"❌ {name}: with η = {lr:g} gradient descent diverged at step {t} "
                                            f"(f = {loss:.3g}). The rate is too large for the steep direction.")
            if loss < LR_EXERCISE_TOL:
                return _report(name, CORRECT, f"✅ {name}: with η = {lr:g}, f − f* = {loss:.2g} < 1e-3 after {t} "
                                              f"steps (≤ {LR_EXERCISE_STEPS}).")
    if 0.5 * p[0] ** 2 >= 10.0 * p[1] ** 2:
        hint = "too small: it still crawls along the flat x direction"
    else:
        hint = "too large: it still zig-zags across the steep y direction"
    return _report(name, WRONG, f"❌ {name}: with η = {lr:g}, after {LR_EXERCISE_STEPS} steps f − f* = {loss:.3g} "
                                f"is still ≥ 1e-3 ({hint}).")


# ==============================================================================================
# Notebook 7 (section owned by the notebook 7 lesson; add its functions below this line)
# ==============================================================================================
def check_iterations(n_iterations):
    """Exercise: n_iterations(n_samples, batch_size, epochs) -> the number of updates (iterations) that
    ``epochs`` passes over ``n_samples`` samples make with mini-batches of ``batch_size`` (the last batch
    of an epoch may be smaller and still counts)."""
    import math
    cases = [
        ("n_samples = 100, batch_size = 10, epochs = 5", (100, 10, 5)),
        ("n_samples = 1000, batch_size = 32, epochs = 1 (the last batch has 8 samples)", (1000, 32, 1)),
        ("n_samples = 1437, batch_size = 64, epochs = 20", (1437, 64, 20)),
        ("batch_size = 1 (plain stochastic gradient descent)", (50, 1, 3)),
        ("batch_size larger than the data (full-batch gradient descent)", (200, 500, 7)),
    ]
    return run_check("n_iterations", n_iterations, cases, lambda n, b, e: e * math.ceil(n / b), strict_errors=False)


class _CountingOptimizer:
    """Wraps an optimizer and counts the calls to ``step`` (the updates a training loop makes)."""

    def __init__(self, inner):
        self.inner, self.steps = inner, 0

    def step(self, params, grads):
        self.steps += 1
        return self.inner.step(params, grads)

    def __getattr__(self, name):
        return getattr(self.inner, name)


def _student_call(name, fn, *args):
    """(result, None) or (None, CheckResult) if the student's function raised."""
    try:
        return fn(*args), None
    except NotImplementedError:
        return None, _report(name, NOT_IMPLEMENTED, f"⏳ {name}: not yet implemented — replace "
                                                    "`raise NotImplementedError` with your code and run the cell again.")
    except Exception as e:              # the student's code failed: say how, never raise
        return None, _report(name, WRONG, f"❌ {name}: your function raised {type(e).__name__}: {e}")


def check_train_loop(train_loop, target=0.95):
    """Exercise: train_loop(net, X, y, loss, optimizer, epochs, batch_size, rng) -> list of the mean training
    loss of every epoch. Each epoch shuffles the samples (``rng.permutation``), then for every mini-batch
    runs forward, loss, backward and ``optimizer.step(net.parameters(), net.gradients())``.

    The check trains a 2-16-16-2 ReLU network on the moons data (210 training samples, 20 epochs, batches
    of 20, Adam) with your loop and checks: the number of updates, that every sample is used once per epoch, that
    the order is shuffled, the returned losses, and a test accuracy of at least ``target``."""
    import math

    from .data import make_moons, train_test_split
    from .losses import SoftmaxCrossEntropy
    from .network import mlp
    from .optimizers import Adam
    name = "train_loop"
    X, y = make_moons(300, noise=0.1, seed=7)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, seed=7)
    net = mlp([2, 16, 16, 2], activation="relu", seed=0)         # outputs logits: use SoftmaxCrossEntropy
    epochs, batch_size, n = 20, 20, len(X_train)
    per_epoch = math.ceil(n / batch_size)
    optimizer = _CountingOptimizer(Adam(lr=0.03))
    batches = []
    forward = net.forward

    def spy(x):                          # records every batch the loop feeds forward
        x = np.asarray(x)
        if x.ndim == 2 and len(x) <= batch_size:
            batches.append(x.copy())
        return forward(x)

    net.forward = spy
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            losses, failed = _student_call(name, train_loop, net, X_train.copy(), y_train.copy(),
                                           SoftmaxCrossEntropy(), optimizer, epochs, batch_size,
                                           np.random.default_rng(0))
    finally:
        del net.forward
    if failed:
        return failed
    setup = f"(n = {n} samples, batch_size = {batch_size}, epochs = {epochs})"
    if optimizer.steps != epochs * per_epoch:
        if optimizer.steps == 0:
            why = "optimizer.step was never called: after backward, call optimizer.step(net.parameters(), net.gradients())."
        elif optimizer.steps == epochs:
            why = "that is one update per epoch: update after every mini-batch, not once per pass."
        elif optimizer.steps == epochs * (n // batch_size):
            why = "the last, smaller batch of each epoch was skipped: range(0, n, batch_size) covers it."
        else:
            why = "one epoch of n samples has ceil(n / batch_size) mini-batches, one update each."
        return _report(name, WRONG, f"❌ {name}: {setup} expected {epochs * per_epoch} updates "
                                    f"({per_epoch} per epoch), your loop made {optimizer.steps}; {why}")
    seen = sum(len(b) for b in batches)
    if seen != epochs * n:
        return _report(name, WRONG, f"❌ {name}: {setup} the network saw {seen} samples in batches of at most "
                                    f"{batch_size}, expected {epochs * n}: every epoch uses every sample exactly once.")
    if len(batches) >= 2 * per_epoch and np.array_equal(batches[0], batches[per_epoch]):
        return _report(name, WRONG, f"❌ {name}: the first batch of epoch 2 equals the first batch of epoch 1, so "
                                    "the data is not shuffled. Draw order = rng.permutation(n) at the start of every "
                                    "epoch and index X[order], y[order].")
    if losses is None or not hasattr(losses, "__len__") or len(losses) != epochs:
        got = "None (did you forget `return`?)" if losses is None else f"{type(losses).__name__}"
        if hasattr(losses, "__len__"):
            got += f" of length {len(losses)}"
        return _report(name, WRONG, f"❌ {name}: return a list with one mean loss per epoch ({epochs} numbers); "
                                    f"got {got}.")
    losses = np.asarray(losses, dtype=float)
    if not np.all(np.isfinite(losses)) or not losses[-1] < 0.9 * losses[0]:
        return _report(name, WRONG, f"❌ {name}: the epoch losses should be finite and go down; got "
                                    f"{_fmt(losses)}. If they stay the same, the weights never change: call "
                                    "net.backward(loss.backward()) before optimizer.step(...).")
    with np.errstate(all="ignore"):
        acc = float(np.mean(net.predict(X_test).argmax(axis=1) == y_test))     # logits -> class
    if acc < target:
        return _report(name, WRONG, f"❌ {name}: the loop runs correctly but the network reached only "
                                    f"{100 * acc:.1f}% test accuracy (target {100 * target:.0f}%). Check that you "
                                    "call net.backward(loss.backward()) before the optimizer step.")
    return _report(name, CORRECT, f"✅ {name}: correct — {optimizer.steps} updates in {epochs} epochs, shuffled, "
                                  f"loss {losses[0]:.3f} → {losses[-1]:.3f}, test accuracy {100 * acc:.1f}%.")


def check_hyperparameters(choose, epochs=20, target=0.95):
    """Exercise: choose() -> (learning_rate, batch_size) with which plain SGD trains a 2-8-1 tanh network on
    the noisy circle data (210 training points) to at least ``target`` test accuracy in ``epochs`` epochs."""
    from .data import make_circle, train_test_split
    from .network import mlp
    from .optimizers import SGD
    from .training import fit
    from .validation import DivergenceError
    name = "choose_hyperparameters"
    result, failed = _student_call(name, choose)
    if failed:
        return failed
    if not (isinstance(result, tuple) and len(result) == 2):
        return _report(name, WRONG, f"❌ {name}: return two values, (learning_rate, batch_size); got {result!r}.")
    lr, batch_size = result
    X, y = make_circle(300, noise=0.1, seed=3)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, seed=3)
    if not (isinstance(lr, (int, float, np.number)) and 0 < lr < 1e6):
        return _report(name, WRONG, f"❌ {name}: the learning rate must be a positive number, got {lr!r}.")
    if not (isinstance(batch_size, (int, np.integer)) and 1 <= batch_size <= len(X_train)):
        return _report(name, WRONG, f"❌ {name}: the batch size must be a whole number from 1 to {len(X_train)}, "
                                    f"got {batch_size!r}.")
    net = mlp([2, 8, 1], activation="tanh", output="sigmoid", seed=0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            history = fit(net, X_train, y_train, loss="bce", optimizer=SGD(lr=float(lr)), epochs=epochs,
                          batch_size=int(batch_size), seed=0, progress=False)
    except DivergenceError:
        return _report(name, WRONG, f"❌ {name}: with learning rate {lr:g} the loss became inf/NaN (training "
                                    "diverged). Try a smaller learning rate.")
    except Exception as e:           # e.g. an unusable value: report it, never raise
        return _report(name, WRONG, f"❌ {name}: training with ({lr!r}, {batch_size!r}) failed: {type(e).__name__}: {e}")
    acc = float(np.mean(net.predict(X_test) == y_test))
    updates = history.iterations
    if acc >= target:
        return _report(name, CORRECT, f"✅ {name}: correct — learning rate {lr:g}, batch size {batch_size}: "
                                      f"{updates} updates in {epochs} epochs, test accuracy {100 * acc:.1f}%.")
    hint = (" The loss went up: the learning rate is too large, the steps overshoot." if not
            history.loss[-1] < history.loss[0] else
            " The loss hardly moved: the steps are too small or too few (a larger learning rate, or a smaller "
            "batch size for more updates per epoch)." if history.loss[-1] > 0.6 * history.loss[0] else
            " The loss went down but not far enough: try a nearby learning rate or batch size.")
    return _report(name, WRONG, f"❌ {name}: learning rate {lr:g}, batch size {batch_size}: {updates} updates in "
                                f"{epochs} epochs reached {100 * acc:.1f}% test accuracy (target "
                                f"{100 * target:.0f}%); training loss {history.loss[0]:.3f} → {history.loss[-1]:.3f}."
                                + hint)
