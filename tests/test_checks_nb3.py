"""The notebook 3 exercise checks accept right answers, reject typical wrong ones, and never raise."""
import numpy as np
import pytest

from annlib import checks
from student_fakes import assert_right_passes_and_each_mistake_is_named, assert_stub_and_broken_functions_never_raise


# -- dense_forward ---------------------------------------------------------------------------------
def dense_right(X, W, b):
    return X @ W + b


def dense_no_bias(X, W, b):
    return X @ W


def dense_transposed(X, W, b):
    return (W.T @ X.T).T + b            # also right: a different but equal formula


def dense_bias_wrong_axis(X, W, b):
    return X @ W + b[:, None].sum()     # one number for every entry


def dense_elementwise(X, W, b):
    return X * W[:, 0] + b[0]           # element-wise product instead of a matrix product


# -- two_layer_forward ----------------------------------------------------------------------------
def softmax_stable(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def two_layer_right(X, W1, b1, W2, b2):
    return softmax_stable(np.maximum(X @ W1 + b1, 0) @ W2 + b2)


def two_layer_naive_softmax(X, W1, b1, W2, b2):
    z = np.maximum(X @ W1 + b1, 0) @ W2 + b2
    return np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)


def two_layer_no_relu(X, W1, b1, W2, b2):
    return softmax_stable((X @ W1 + b1) @ W2 + b2)


def two_layer_logits(X, W1, b1, W2, b2):
    return np.maximum(X @ W1 + b1, 0) @ W2 + b2


def two_layer_softmax_over_batch(X, W1, b1, W2, b2):
    z = np.maximum(X @ W1 + b1, 0) @ W2 + b2
    e = np.exp(z - z.max())
    return e / e.sum(axis=0, keepdims=True)


# -- neuron_output ---------------------------------------------------------------------------------
def neuron_right(x, w, b):
    return 1 / (1 + np.exp(-(x @ w + b)))


def neuron_no_activation(x, w, b):
    return x @ w + b


def neuron_tanh(x, w, b):
    return np.tanh(x @ w + b)


def neuron_bias_forgotten(x, w, b):
    return 1 / (1 + np.exp(-(x @ w)))


def neuron_elementwise(x, w, b):
    return 1 / (1 + np.exp(-(x * w + b)))     # (d,) instead of one number


def dense_bias_subtracted(X, W, b):
    return X @ W - b


def dense_W_first(X, W, b):
    return W @ X + b                    # the factors in the wrong order: a matmul shape error


def dense_star(X, W, b):
    return X * W + b                    # * is element-wise: a broadcast error


def dense_output_transposed(X, W, b):
    return W.T @ X.T + b[:, None]       # (n_out, n): samples in columns


def two_layer_sigmoid_output(X, W1, b1, W2, b2):
    return 1 / (1 + np.exp(-np.clip(np.maximum(X @ W1 + b1, 0) @ W2 + b2, -500, 500)))


def two_layer_no_b1(X, W1, b1, W2, b2):
    return softmax_stable(np.maximum(X @ W1, 0) @ W2 + b2)


def two_layer_softmax_all(X, W1, b1, W2, b2):
    z = np.maximum(X @ W1 + b1, 0) @ W2 + b2
    e = np.exp(z - z.max())
    return e / e.sum()


def two_layer_sum_without_keepdims(X, W1, b1, W2, b2):
    z = np.maximum(X @ W1 + b1, 0) @ W2 + b2
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1)            # (n, C) / (n,): broadcast error for n != C


def neuron_sign_flipped(x, w, b):
    return 1 / (1 + np.exp(x @ w + b))


CASES = [
    (checks.check_dense_forward, [dense_right, dense_transposed], [
        (dense_no_bias, "the bias is missing"),
        (dense_bias_subtracted, "the bias is subtracted"),
        (dense_bias_wrong_axis, "as one number"),
        (dense_output_transposed, "one row per sample"),
        (dense_W_first, "as many columns in A as rows in B"),
        (dense_star, "a matrix product is @, not *"),
        (dense_elementwise, "shape"),
    ]),
    (checks.check_two_layer_forward, [two_layer_right], [
        (two_layer_naive_softmax, "subtract each row's maximum"),
        (two_layer_no_relu, "the ReLU of the hidden layer is missing"),
        (two_layer_logits, "the softmax is missing"),
        (two_layer_softmax_over_batch, "over axis 0"),
        (two_layer_softmax_all, "your whole batch sums to 1"),
        (two_layer_sum_without_keepdims, "keepdims=True"),
        (two_layer_no_b1, "a bias is missing"),
        (two_layer_sigmoid_output, "uses softmax"),
    ]),
    (checks.check_neuron_output, [neuron_right], [
        (neuron_no_activation, "the sigmoid is missing"),
        (neuron_tanh, "this is tanh"),
        (neuron_bias_forgotten, "the bias is missing"),
        (neuron_elementwise, "np.dot(x, w)"),
        (neuron_sign_flipped, "the sign in the exponent is flipped"),
    ]),
]


@pytest.mark.parametrize("check, rights, wrongs", CASES, ids=lambda v: getattr(v, "__name__", ""))
def test_accepts_right_and_names_each_mistake(check, rights, wrongs, capsys):
    assert_right_passes_and_each_mistake_is_named(check, rights, wrongs)


@pytest.mark.parametrize("check", [c[0] for c in CASES], ids=lambda c: c.__name__)
def test_stub_and_broken_functions_never_raise(check, capsys):
    assert_stub_and_broken_functions_never_raise(check, capsys)


def test_the_numbers_stay_as_evidence_under_the_diagnosis(capsys):
    result = checks.check_dense_forward(dense_no_bias)
    diagnosis, evidence = result.message.split("\n", 1)
    assert "bias is missing" in diagnosis
    assert "expected" in evidence and "got" in evidence and "largest difference" in evidence
    result = checks.check_two_layer_forward(two_layer_naive_softmax)
    assert "overflow" in result.message and "large inputs" in result.message
    result = checks.check_neuron_output(neuron_elementwise)
    assert "shape (2,)" in result.message
