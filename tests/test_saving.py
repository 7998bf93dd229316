"""Saving a network to .npz and loading it back: bit-exact, and clear errors for anything else."""
import json

import numpy as np
import pytest

import annlib
from student_fakes import flat
from annlib import Dense, Sequential, load, save


def trained(net, loss, n_out):
    X, y = annlib.make_spiral(60, seed=0, n_classes=max(n_out, 2))
    if n_out == 1:
        y = y % 2
    annlib.fit(net, X, y, loss=loss, optimizer=annlib.Adam(0.01), epochs=2, seed=0, progress=False)
    return net, X


NETWORKS = {
    "softmax, leaky_relu, dropout": lambda dtype: trained(
        annlib.mlp([2, 8, 8, 3], annlib.LeakyReLU(alpha=0.2), output="softmax", dropout=0.25, seed=0, dtype=dtype),
        "cross_entropy", 3),
    "sigmoid, elu": lambda dtype: trained(
        annlib.mlp([2, 6, 1], annlib.ELU(alpha=0.5), output="sigmoid", seed=1, dtype=dtype), "bce", 1),
    "hand-built, every activation": lambda dtype: trained(Sequential(
        Dense(2, 5, name="first", dtype=dtype), annlib.GELU(), Dense(5, 5, dtype=dtype), annlib.Softplus(),
        Dense(5, 5, dtype=dtype), annlib.SiLU(), Dense(5, 5, dtype=dtype), annlib.Tanh(), annlib.Dropout(0.1),
        Dense(5, 4, dtype=dtype), annlib.Sigmoid(), Dense(4, 4, dtype=dtype), annlib.ReLU(),
        Dense(4, 1, name="last", dtype=dtype), annlib.Identity()), "mse", 1),
}


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("which", sorted(NETWORKS))
def test_round_trip_is_bit_exact(tmp_path, which, dtype):
    net, X = NETWORKS[which](dtype)
    path = tmp_path / "model.npz"
    save(net, path)
    loaded = load(path)
    assert [type(a) for a in loaded] == [type(b) for b in net]
    assert loaded.get_config() == net.get_config()                # names, sizes, dtype, p, alpha
    for a, b in zip(loaded.parameters(), net.parameters()):
        assert a.dtype == b.dtype == np.dtype(dtype)
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(loaded.predict(X), net.predict(X))
    net.eval()
    out = net.forward(X)
    assert loaded.forward(X).dtype == out.dtype
    np.testing.assert_array_equal(loaded.forward(X), out)
    assert not loaded.training, "a loaded network is ready for predictions (Dropout off)"


def test_kept_hyperparameters(tmp_path):
    net, _ = NETWORKS["softmax, leaky_relu, dropout"](np.float64)
    save(net, tmp_path / "m.npz")
    loaded = load(tmp_path / "m.npz")
    assert [layer.alpha for layer in loaded if isinstance(layer, annlib.LeakyReLU)] == [0.2, 0.2]
    assert [layer.p for layer in loaded if isinstance(layer, annlib.Dropout)] == [0.25, 0.25]
    assert [layer.name for layer in loaded.param_layers] == ["dense1", "dense2", "dense3"]


def test_a_loaded_network_can_train_on(tmp_path):
    net, X = NETWORKS["sigmoid, elu"](np.float32)
    save(net, str(tmp_path / "m.npz"))                              # a str path works as well as a Path
    loaded = load(str(tmp_path / "m.npz"))
    y = annlib.make_spiral(60, seed=0)[1] % 2
    h = annlib.fit(loaded, X, y, loss="bce", optimizer=annlib.Adam(0.01), epochs=2, progress=False)
    assert loaded.parameters()[0].dtype == np.float32 and np.isfinite(h.loss).all()


def test_save_adds_npz_and_load_finds_it(tmp_path):
    net = annlib.mlp([2, 3, 1], seed=0)
    save(net, tmp_path / "model")                                   # numpy's savez writes model.npz
    assert (tmp_path / "model.npz").exists()
    for path in (tmp_path / "model", str(tmp_path / "model"), tmp_path / "model.npz"):
        np.testing.assert_array_equal(flat(load(path)), flat(net))


def test_custom_activation_cannot_be_saved(tmp_path):
    net = annlib.mlp([2, 3, 1], (np.tanh, lambda x: 1 - np.tanh(x) ** 2), seed=0)
    path = tmp_path / "custom.npz"
    with pytest.raises(ValueError, match="custom activation 'custom' is Python code and cannot be saved"):
        save(net, path)
    assert not path.exists(), "nothing is written"


def test_loading_something_else_is_a_clear_error(tmp_path):
    np.savez(tmp_path / "other.npz", weights=np.ones(3))
    with pytest.raises(ValueError, match="is not an annlib model file.*no '__annlib__' entry"):
        load(tmp_path / "other.npz")
    (tmp_path / "notes.txt").write_text("these are not weights\n")
    with pytest.raises(ValueError, match="is not an annlib model file"):
        load(tmp_path / "notes.txt")
    np.save(tmp_path / "array.npy", np.ones(3))
    with pytest.raises(ValueError, match="is not an annlib model file"):
        load(tmp_path / "array.npy")
    with pytest.raises(FileNotFoundError):
        load(tmp_path / "missing.npz")


def test_damaged_or_foreign_model_files(tmp_path):
    net = annlib.mlp([2, 3, 1], seed=0)
    config = {"format": "annlib-model-1", **net.get_config()}
    np.savez(tmp_path / "short.npz", __annlib__=np.array(json.dumps(config)), param_0=np.ones((2, 3)))
    with pytest.raises(ValueError, match="stored weights do not fit the stored architecture"):
        load(tmp_path / "short.npz")
    config["format"] = "annlib-model-99"
    np.savez(tmp_path / "future.npz", __annlib__=np.array(json.dumps(config)),
             **{f"param_{i}": p for i, p in enumerate(net.parameters())})
    with pytest.raises(ValueError, match="unknown model format 'annlib-model-99'"):
        load(tmp_path / "future.npz")
