"""The numbers stay: what annlib v1 computed on fixed inputs (recorded by tests/golden/make_golden.py before
the plain-core rewrite, in tests/golden/numbers.npz) is what today's code computes.

Single computations (every layer's, activation's and loss's output and gradient, each optimizer's first
steps) agree to 1e-12 in float64. Short trainings agree to rounding: v1 fused softmax and cross-entropy
into one gradient and packed the weights into one array, so the same maths is summed in another order.
Whole trainings reach the same test accuracy.
"""
import os

import numpy as np
import pytest

from golden import make_golden as golden

RECORDED = np.load(os.path.join(os.path.dirname(__file__), "golden", "numbers.npz"))


@pytest.fixture(scope="module")
def today():
    return golden.record_single()


SINGLE = [k for k in RECORDED.files if not k.startswith(("train.", "full."))]


@pytest.mark.parametrize("key", SINGLE)
def test_single_computation_matches_v1(today, key):
    np.testing.assert_allclose(today[key], RECORDED[key], rtol=1e-12, atol=1e-12, err_msg=key)


@pytest.mark.parametrize("name, rtol", [("w1", 1e-9), ("w3", 2e-4)])    # float64, float32
def test_short_training_matches_v1(name, rtol):
    history, net, acc = golden.TRAININGS[name]()
    np.testing.assert_allclose(history.loss, RECORDED[f"train.{name}.loss"], rtol=rtol)
    for i, p in enumerate(net.parameters()):
        np.testing.assert_allclose(p, RECORDED[f"train.{name}.param{i}"], rtol=rtol * 10, atol=rtol * 10)
    assert acc == pytest.approx(float(RECORDED[f"train.{name}.accuracy"]), abs=0.005)


@pytest.mark.parametrize("name", ["w1", "w3"])
def test_whole_training_reaches_v1_accuracy(name):
    acc = golden.TRAININGS[name](golden.FULL[name])[2]
    assert acc >= float(RECORDED[f"full.{name}.accuracy"]) - 0.005
