"""The benchmark's plain numpy MLP must compute what annlib.fit computes (same initial weights, same
shuffle, same maths), or its column in benchmarks/bench_train.py would not measure the same training."""
import importlib.util
import pathlib

import numpy as np
import pytest

import annlib

pytest.importorskip("sklearn")          # the benchmark's first workload is scikit-learn's digits


def load_bench():
    path = pathlib.Path(__file__).resolve().parents[1] / "benchmarks" / "bench_train.py"
    spec = importlib.util.spec_from_file_location("bench_train", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def bench():
    return load_bench()


@pytest.mark.parametrize("name", ["W1", "W2", "W3"])
def test_the_plain_numpy_mlp_ends_with_annlibs_weights(bench, name):
    w = next(w for w in bench.workloads(quick=True) if w["name"] == name)
    _, weights = bench.train_numpy(w)
    net = bench.make_annlib_net(w)
    opt = annlib.Adam(lr=w["lr"]) if w["optimizer"] == "adam" else annlib.SGD(lr=w["lr"])
    annlib.fit(net, w["data"][0], w["data"][1], loss="softmax_cross_entropy", optimizer=opt,
               epochs=w["epochs"], batch_size=w["batch_size"], seed=0, progress=False)
    ours = [a for layer in net.layers if isinstance(layer, annlib.Dense) for a in (layer.W, layer.b)]
    assert len(ours) == len(weights)
    for a, b in zip(ours, weights):
        assert a.dtype == b.dtype == w["dtype"]
        if w["dtype"] == np.float64:
            np.testing.assert_allclose(b, a, rtol=1e-9, atol=1e-12)
        else:
            np.testing.assert_allclose(b, a, rtol=1e-4, atol=1e-6)
    assert not np.allclose(ours[0], bench.make_annlib_net(w).layers[0].W)     # and it did train


def test_the_targets_are_the_issues(bench):
    assert bench.TARGETS == {"W1": {"pytorch": 0.35, "sklearn": 0.6, "numpy": 1.1},
                             "W3": {"pytorch": 0.35, "sklearn": 0.6, "numpy": 1.1}}
    assert bench.FRAMEWORKS == ("annlib", "numpy", "floor", "pytorch", "sklearn")
