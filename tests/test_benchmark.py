"""The benchmark's hand-written numpy trainer must compute what annlib.fit computes, or its column in
benchmarks/bench_train.py would not measure the price of annlib's structure."""
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


@pytest.mark.parametrize("name", ["W1", "W2", "W3"])
def test_the_hand_written_numpy_trainer_ends_with_annlibs_weights(name):
    bench = load_bench()
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
        np.testing.assert_allclose(a, b, rtol=1e-5 if w["dtype"] == np.float32 else 1e-12, atol=1e-7)
    assert not np.allclose(ours[0], bench.make_annlib_net(w).layers[0].W)     # and it did train
