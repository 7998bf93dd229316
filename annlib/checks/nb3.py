"""Checks of notebook 3 (forward pass): one dense layer X @ W + b, a two-layer network (ReLU, then
softmax) and the output of a single sigmoid neuron.
"""
import numpy as np

from ._check import run_check


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
    from ..activations import softmax
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
    from ..activations import _sigmoid
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
