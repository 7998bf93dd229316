"""Checks of notebook 3 (forward pass): one dense layer X @ W + b, a two-layer network (ReLU, then
softmax) and the output of a single sigmoid neuron.
"""
import numpy as np

from ..activations import Sigmoid, softmax
from ._check import Mistake, run_check

_sigmoid = Sigmoid().f


def _softmax_of_everything(z):
    """The mistaken softmax whose sum runs over the whole batch, not each row."""
    e = np.exp(z - z.max())
    return e / e.sum()


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


_DENSE_FORWARD_MISTAKES = [
    Mistake("your output differs from the answer by exactly b: the bias is missing (Z = X @ W + b).",
            result=lambda X, W, b: X @ W),
    Mistake("your output differs from the answer by exactly -2b: the bias is subtracted; add it (Z = X @ W + b).",
            result=lambda X, W, b: X @ W - b),
    Mistake("your result is Zᵀ, shape (n_out, n): keep one row per sample, Z = X @ W + b (not W.T @ X.T).",
            result=lambda X, W, b: (X @ W + b).T),
    Mistake("the bias is added as one number (its sum) to every entry: b has one entry per output neuron, "
            "and `X @ W + b` adds b[j] to column j.", result=lambda X, W, b: X @ W + np.sum(b)),
]


def check_dense_forward(dense_forward):
    """Exercise: dense_forward(X, W, b) -> Z = X @ W + b, X (n, n_in), W (n_in, n_out), b (n_out,) -> (n, n_out)."""
    return run_check("dense_forward", dense_forward, _nb3_dense_forward_cases(), _dense_forward_reference,
                     mistakes=_DENSE_FORWARD_MISTAKES)


def _two_layer_reference(X, W1, b1, W2, b2):
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


def _logits(X, W1, b1, W2, b2):
    return np.maximum(X @ W1 + b1, 0) @ W2 + b2


_TWO_LAYER_MISTAKES = [
    Mistake("the softmax is missing: these are the logits Z2, not probabilities (each row should sum to 1).",
            result=_logits),
    Mistake("each row should sum to 1: this softmax normalises over axis 0 (the samples); take it over axis 1, "
            "each sample's row (`axis=1, keepdims=True`).",
            result=lambda X, W1, b1, W2, b2: softmax(_logits(X, W1, b1, W2, b2), axis=0)),
    Mistake("each row should sum to 1, but your whole batch sums to 1: the sum in the softmax runs over every "
            "entry; sum each row (`axis=1, keepdims=True`).",
            result=lambda *args: _softmax_of_everything(_logits(*args))),
    Mistake("the ReLU of the hidden layer is missing: A1 = np.maximum(X @ W1 + b1, 0) before the second layer.",
            result=lambda X, W1, b1, W2, b2: softmax((X @ W1 + b1) @ W2 + b2)),
    Mistake("a bias is missing: both layers add theirs (X @ W1 + b1, then A1 @ W2 + b2).",
            test=lambda got, want, args: any(np.allclose(got, softmax(z), atol=1e-8) for z in (
                np.maximum(args[0] @ args[1], 0) @ args[3] + args[4],
                np.maximum(args[0] @ args[1] + args[2], 0) @ args[3]))),
    Mistake("a sigmoid is used on the output: the output layer of a classifier uses softmax, whose rows sum to 1.",
            result=lambda X, W1, b1, W2, b2: _sigmoid(_logits(X, W1, b1, W2, b2))),
    Mistake("np.exp overflowed on logits near 1000: subtract each row's maximum before exp (the stable softmax, "
            "Hint 2).", error=FloatingPointError, match="overflow"),
    Mistake("the softmax divides inf by inf (NaN) on logits near 1000: subtract each row's maximum before exp "
            "(the stable softmax, Hint 2).", error=FloatingPointError, match="invalid"),
]


def check_two_layer_forward(two_layer_forward):
    """Exercise: two_layer_forward(X, W1, b1, W2, b2) -> softmax(relu(X @ W1 + b1) @ W2 + b2), shape (n, C)."""
    return run_check("two_layer_forward", two_layer_forward, _nb3_two_layer_cases(), _two_layer_reference,
                     mistakes=_TWO_LAYER_MISTAKES)


def _neuron_reference(x, w, b):
    return _sigmoid(np.dot(x, w) + b)


_NEURON_MISTAKES = [
    Mistake("the sigmoid is missing: this is the weighted sum z = x · w + b; the neuron's output is a = σ(z).",
            result=lambda x, w, b: np.dot(x, w) + b),
    Mistake("your output is σ(x · w): the bias is missing (a = σ(x · w + b)).",
            result=lambda x, w, b: _sigmoid(np.dot(x, w))),
    Mistake("the sign in the exponent is flipped: this is 1 / (1 + e^(+z)) = σ(−z); σ(z) = 1 / (1 + e^(−z)).",
            result=lambda x, w, b: _sigmoid(-(np.dot(x, w) + b))),
    Mistake("this is tanh(z); the exercise's activation is the sigmoid σ(z) = 1 / (1 + e^(−z)).",
            result=lambda x, w, b: np.tanh(np.dot(x, w) + b)),
    Mistake("one number per input came back: x * w multiplies element by element; the weighted sum is one "
            "number, np.dot(x, w) (or x @ w).", test=lambda got, want, args: np.shape(got) == np.shape(args[0])),
]


def check_neuron_output(neuron_output):
    """Exercise: neuron_output(x, w, b) -> sigmoid(x · w + b), x and w of shape (d,), b a number -> a number."""
    cases = [
        ("x = [1, -2], w = [0.5, 0.25], b = 0.1", (np.array([1.0, -2.0]), np.array([0.5, 0.25]), 0.1)),
        ("x = [0, 0, 0] (the output is sigmoid(b))", (np.zeros(3), np.array([1.0, 2.0, 3.0]), -1.0)),
        ("x = [2, 1, -1], w = [0.3, -0.2, 0.4], b = 0", (np.array([2.0, 1.0, -1.0]), np.array([0.3, -0.2, 0.4]), 0.0)),
        ("a strongly negative weighted sum (z = -20)", (np.array([10.0, 10.0]), np.array([-1.0, -1.0]), 0.0)),
    ]
    return run_check("neuron_output", neuron_output, cases, _neuron_reference, mistakes=_NEURON_MISTAKES)
