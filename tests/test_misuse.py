"""Every mistake a student makes with annlib gets an answer: the exception's type and the words that name
the problem (and the fix). Written the way students misuse things; the last test throws garbage at every
public function and checks that no AttributeError, KeyError, IndexError, ZeroDivisionError or MemoryError
escapes from inside annlib."""
import copy
import io
import json
import os
import zipfile

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import annlib as A

X, Y = A.make_circle(60, noise=0.05, seed=0)


def quiet_fit(net, X, y, **kwargs):
    kwargs.setdefault("loss", "cross_entropy")
    kwargs.setdefault("optimizer", A.Adam(0.01))
    return A.fit(net, X, y, progress=False, **kwargs)


# ----------------------------------------------------------------------------------------------
# Training that blows up stops, and the network keeps finite weights
# ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("make, data, loss, opt", [
    (lambda: A.mlp([64, 64, 10], "relu", output="softmax", seed=0), A.load_digits, "cross_entropy", A.Adam(lr=1e3)),
    (lambda: A.mlp([2, 8, 8, 2], "tanh", output="softmax", seed=0), lambda: (X, Y), "cross_entropy", A.SGD(lr=30)),
    (lambda: A.mlp([1, 16, 16, 1], "tanh", seed=0), lambda: A.make_regression_1d(100, seed=0), "mse", A.Adam(lr=10)),
])
def test_a_loss_that_grows_far_beyond_its_start_stops_training(make, data, loss, opt):
    net = make()
    with pytest.raises(A.DivergenceError, match=r"diverged in epoch \d+: its mean loss grew to .* far above its start"
                                                r".*try .* or smaller.*clip_norm"):
        quiet_fit(net, *data(), loss=loss, optimizer=opt, epochs=10)
    assert all(np.isfinite(p).all() for p in net.parameters())


@pytest.mark.parametrize("make, data, loss, opt", [
    (lambda: A.mlp([64, 64, 10], "relu", output="softmax", seed=0), A.load_digits, "cross_entropy", A.Adam(lr=0.1)),
    (lambda: A.mlp([2, 8, 8, 2], "tanh", output="softmax", seed=0), lambda: (X, Y), "cross_entropy", A.SGD(lr=1)),
    (lambda: A.mlp([1, 16, 16, 1], "tanh", seed=0), lambda: A.make_regression_1d(100, seed=0), "mse", A.Adam(lr=0.3)),
    (lambda: A.mlp([2, 8, 8, 1], "tanh", seed=0), lambda: A.make_multi_gaussian(400, seed=0), "mse", A.SGD(lr=0.5)),
])
def test_a_learning_rate_that_is_merely_high_trains_on(make, data, loss, opt):
    for seed in range(3):
        history = quiet_fit(make(), *data(), loss=loss, optimizer=copy.deepcopy(opt), epochs=10, batch_size=10,
                            seed=seed)
        assert len(history) == 10


def test_the_weights_are_those_of_the_start_of_the_diverging_epoch():
    net = A.mlp([2, 8, 2], "tanh", output="softmax", seed=0)
    quiet_fit(net, X, Y, epochs=2)
    before = [p.copy() for p in net.parameters()]
    with pytest.raises(A.DivergenceError, match="weights from the start of epoch"):
        quiet_fit(net, X, Y, optimizer=A.SGD(lr=1e6), epochs=3)
    for a, b in zip(net.parameters(), before):
        np.testing.assert_array_equal(a, b)


# ----------------------------------------------------------------------------------------------
# A loss that does not fit the output
# ----------------------------------------------------------------------------------------------
def test_probability_losses_refuse_logits_and_name_both_fixes():
    logits = np.array([[2.0, -1.0], [0.5, 3.0]])
    with pytest.raises(ValueError, match=r"expects probabilities.*output='softmax'.*softmax_cross_entropy"):
        A.CategoricalCrossEntropy().forward(logits, [0, 1])
    with pytest.raises(ValueError, match=r"rows that sum to .*output='softmax'"):
        A.CategoricalCrossEntropy().forward(np.array([[0.2, 0.2], [0.5, 0.1]]), [0, 1])
    with pytest.raises(ValueError, match=r"expects probabilities.*output='sigmoid'.*bce_logits"):
        A.BCELoss().forward(np.array([[3.0], [-2.0]]), [1, 0])
    with pytest.raises(ValueError, match="expects probabilities"):     # the network has no softmax
        quiet_fit(A.mlp([2, 4, 2], seed=0), X, Y, loss="cross_entropy", epochs=1)
    with pytest.raises(ValueError, match="expects probabilities"):
        quiet_fit(A.mlp([2, 4, 1], seed=0), X, Y, loss="bce", epochs=1)


def test_the_reverse_mismatch_is_refused_or_warned_about():
    with pytest.warns(UserWarning, match="takes logits.*probabilities.*loss='cross_entropy'"):
        A.SoftmaxCrossEntropy().forward(np.array([[0.7, 0.3], [0.1, 0.9]]), [0, 1])
    with pytest.raises(ValueError, match="already ends in Softmax.*loss='cross_entropy'"):
        quiet_fit(A.mlp([2, 4, 2], output="softmax", seed=0), X, Y, loss="softmax_cross_entropy", epochs=1)
    with pytest.raises(ValueError, match="already ends in Sigmoid.*loss='bce'"):
        quiet_fit(A.mlp([2, 4, 1], output="sigmoid", seed=0), X, Y, loss="bce_logits", epochs=1)


# ----------------------------------------------------------------------------------------------
# Call order and shapes
# ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("obj, grad", [
    (A.Dense(3, 2, name="hidden"), np.ones((4, 2))), (A.Tanh(), np.ones((4, 2))), (A.Softmax(), np.ones((4, 2))),
    (A.ReLU(), np.ones((4, 2))), (A.mlp([3, 4, 2], seed=0), np.ones((4, 2))),
])
def test_backward_before_forward_says_what_to_call_first(obj, grad):
    with pytest.raises(RuntimeError, match="backward was called before forward. Call forward"):
        obj.backward(grad)


@pytest.mark.parametrize("loss", [A.MSELoss(), A.MAELoss(), A.HuberLoss(), A.BCELoss(), A.BCEWithLogitsLoss(),
                                  A.CategoricalCrossEntropy(), A.SoftmaxCrossEntropy()])
def test_a_loss_backward_before_forward_says_what_to_call_first(loss):
    with pytest.raises(RuntimeError, match=r"backward was called before forward. Call loss.forward\(y_pred, y_true\)"):
        loss.backward()


@pytest.mark.parametrize("layer, x, grad", [
    (A.Dense(3, 2, name="hidden"), np.ones((4, 3)), np.ones((4, 3))),
    (A.Sigmoid(), np.ones((4, 3)), np.ones((5, 3))),
    (A.Softmax(), np.ones((4, 3)), np.ones((4, 2))),
])
def test_a_gradient_of_the_wrong_shape_names_the_layer_and_both_shapes(layer, x, grad):
    out = layer.forward(x)
    with pytest.raises(A.ShapeError, match=rf"{layer.name}: backward expects a gradient of shape .*{out.shape[1]}\).*"
                                           rf"got \({grad.shape[0]}, {grad.shape[1]}\)"):
        layer.backward(grad)


def test_a_weight_copied_from_pytorch_without_transposing_gets_the_fix():
    layer = A.Dense(3, 2, name="fc")
    layer.W = np.ones((2, 3))                 # nn.Linear(3, 2).weight has shape (2, 3)
    with pytest.raises(A.ShapeError, match=r"nn.Linear.weight is \(n_out, n_in\).*\.T"):
        layer.forward(np.ones((5, 3)))


# ----------------------------------------------------------------------------------------------
# Arguments of the wrong kind
# ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("call, kind, words", [
    (lambda: quiet_fit(A.mlp([2, 4, 2], output="softmax"), X, Y, optimizer=A.Adam), TypeError,
     r"optimizer=Adam is the class.*Adam\(lr="),
    (lambda: quiet_fit(A.mlp([2, 4, 2]), X, Y, loss=A.MSELoss), TypeError, r"loss=MSELoss is the class.*MSELoss\(\)"),
    (lambda: A.mlp([2, 4, 1], A.ReLU), TypeError, r"ReLU is the class.*ReLU\(\)"),
    (lambda: A.mlp(2, 8, 1), TypeError, r"one list: mlp\(\[2, 8, 1\]"),
    (lambda: A.Adam(betas=0.9), TypeError, r"betas is a pair.*betas=\(0.9, 0.999\)"),
    (lambda: quiet_fit(A.mlp([2, 4, 2], output="softmax"), X, None), TypeError, r"needs the targets y.*fit\(net, X, y"),
    (lambda: quiet_fit(A.mlp([2, 4, 2], output="softmax"), X, Y, validation_data=X), TypeError,
     r"validation_data is a pair.*\(X_val, y_val\)"),
    (lambda: quiet_fit(A.mlp([2, 4, 2], output="softmax"), np.zeros((0, 2)), np.zeros(0)), ValueError,
     "X has no samples"),
    (lambda: quiet_fit(A.mlp([2, 4, 2], output="softmax"), X, Y + 0.5), TypeError,
     r"integer class labels.*holds 0.5, 1.5.*regression loss"),
    (lambda: quiet_fit(A.mlp([2, 4, 2], output="softmax"), X, np.tile([[1.0, 1.0]], (len(X), 1))), ValueError,
     "rows are not probabilities"),
    (lambda: A.Adam(lr="0.01"), ValueError, "lr .* must be a finite number"),
    (lambda: A.fit(A.mlp([2, 4, 2], output="softmax"), X, Y, loss="crossentropy", optimizer="adam"), ValueError,
     "Did you mean 'cross_entropy'"),
])
def test_arguments_of_the_wrong_kind_name_the_fix(call, kind, words):
    with pytest.raises(kind, match=words):
        call()


def test_a_custom_activation_that_returns_the_wrong_shape_says_so():
    act = A.Custom(lambda x: x.sum(), lambda x: None, name="mine")
    with pytest.raises(ValueError, match=r"'mine': f\(x\) must return an array of numbers shaped like x, \(2, 3\); it "
                                         r"returned float64 of shape \(\)"):
        act.forward(np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"df\(x\) must return .* returned object of shape \(\)"):
        act.df(np.ones((2, 3)))


@pytest.mark.parametrize("name", ["relu", "leaky_relu", "elu", "gelu", "step", "sigmoid", "tanh", "softplus", "silu"])
def test_activations_take_python_lists(name):
    act = A.get_activation(name)
    np.testing.assert_allclose(act.f([-1.0, 2.0]), act.f(np.array([-1.0, 2.0])))
    np.testing.assert_allclose(act.df([-1.0, 2.0]), act.df(np.array([-1.0, 2.0])))
    np.testing.assert_allclose(A.softmax([[1.0, 2.0]]), A.softmax(np.array([[1.0, 2.0]])))


# ----------------------------------------------------------------------------------------------
# Model files
# ----------------------------------------------------------------------------------------------
@pytest.fixture
def saved(tmp_path):
    path = tmp_path / "model.npz"
    A.save(A.mlp([2, 3, 1], seed=0), path)
    return path


def rewrite(path, change):
    """A copy of the model file at path with its members changed by change(members), as a damaged file."""
    with zipfile.ZipFile(path) as z:
        members = {n: z.read(n) for n in z.namelist()}
    change(members)
    bad = path.with_name("bad.npz")
    with zipfile.ZipFile(bad, "w") as z:
        for n, b in members.items():
            z.writestr(n, b)
    return bad


def npy(array):
    buf = io.BytesIO()
    np.save(buf, array)
    return buf.getvalue()


def edit_config(edit):
    def change(members):
        config = json.loads(str(np.load(io.BytesIO(members["__annlib__.npy"]))))
        members["__annlib__.npy"] = npy(np.array(edit(config)))
    return change


def set_member(name, value):
    def change(members):
        members[name] = value
    return change


@pytest.mark.parametrize("change, words", [
    (edit_config(lambda c: "{not json"), "not valid JSON"),
    (edit_config(lambda c: json.dumps({k: v for k, v in c.items() if k != "layers"})), "'layers' must be a list"),
    (edit_config(lambda c: json.dumps({**c, "layers": [{"type": "Conv9"}]})), "unknown layer type 'Conv9'.*define"),
    (edit_config(lambda c: json.dumps({**c, "layers": [{**c["layers"][0], "n_in": 10**9, "n_out": 10**9}]})),
     "impossible sizes"),
    (edit_config(lambda c: json.dumps({**c, "format": "keras"})), "unknown model format 'keras'"),
    (lambda m: m.pop("param_3.npy"), "do not fit the stored architecture"),
    (lambda m: m.__setitem__("param_0.npy", m["param_0.npy"].replace(b"(2, 3)", b"(99999999, 99999999)")),
     r"param_0 is float64 of shape \(99999999, 99999999\).*needs float64 of shape \(2, 3\)"),
    (lambda m: m.__setitem__("param_0.npy", npy(np.full((2, 3), np.nan))), "NaN or inf weights"),
    (lambda m: m.__setitem__("param_0.npy", npy(np.ones((2, 3), np.float32))), "param_0 is float32"),
    (lambda m: m.__setitem__("param_0.npy", npy(np.array([object()], dtype=object))), "param_0"),
])
def test_a_damaged_model_file_is_a_value_error_naming_the_file_and_the_problem(saved, change, words):
    bad = rewrite(saved, change)
    with pytest.raises(ValueError, match=f"bad.npz.*{words}"):
        A.load(bad)


def test_a_file_that_is_not_a_model_is_named_as_such(tmp_path):
    (tmp_path / "notes.npz").write_text("hello")
    with pytest.raises(ValueError, match="notes.npz is not an annlib model file.*not a .npz archive"):
        A.load(tmp_path / "notes.npz")
    np.save(tmp_path / "one.npy", np.ones(3))
    with pytest.raises(ValueError, match="holds one array, not a model"):
        A.load(tmp_path / "one.npy")


def test_a_failing_or_interrupted_save_keeps_the_old_model(saved, monkeypatch):
    before = saved.read_bytes()
    with pytest.raises(ValueError, match="custom activation 'mine' is Python code.*built-in activation"):
        A.save(A.mlp([2, 3, 1], A.Custom(np.tanh, np.cos, name="mine")), saved)

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt
    monkeypatch.setattr(np, "savez", interrupted)
    with pytest.raises(KeyboardInterrupt):
        A.save(A.mlp([2, 3, 1], seed=1), saved)
    assert saved.read_bytes() == before and os.listdir(saved.parent) == ["model.npz"]     # no temporary file left
    with pytest.raises(TypeError, match=r"save takes a network.*Sequential\(layer\)"):
        A.save(A.Dense(2, 3), saved)


# ----------------------------------------------------------------------------------------------
# No internal error type escapes on garbage
# ----------------------------------------------------------------------------------------------
INTERNAL = (AttributeError, KeyError, IndexError, ZeroDivisionError, MemoryError)
GARBAGE = st.one_of(st.none(), st.integers(-3, 3), st.floats(allow_nan=True), st.text(max_size=3),
                    st.lists(st.floats(-5, 5), max_size=4), st.just(np.zeros((0, 2))), st.just(np.ones((3, 5))),
                    st.just(np.array([[np.nan, 1.0]])), st.just(np.ones(4)), st.just({"a": 1}), st.just(A.Adam),
                    st.just(np.array(["a", "b"])))
CALLS = {
    "fit X": lambda g: A.fit(A.mlp([2, 3, 2], output="softmax"), g, Y[:3], loss="cross_entropy",
                             optimizer="sgd", progress=False),
    "fit y": lambda g: A.fit(A.mlp([2, 3, 2], output="softmax"), X[:4], g, loss="cross_entropy",
                             optimizer="sgd", progress=False),
    "fit validation_data": lambda g: A.fit(A.mlp([2, 3, 2], output="softmax"), X, Y, loss="cross_entropy",
                                           optimizer="sgd", epochs=1, validation_data=g, progress=False),
    "fit optimizer": lambda g: A.fit(A.mlp([2, 3, 1]), X, Y, loss="mse", optimizer=g, progress=False),
    "fit loss": lambda g: A.fit(A.mlp([2, 3, 1]), X, Y, loss=g, optimizer="sgd", progress=False),
    "mlp sizes": lambda g: A.mlp(g),
    "mlp activation": lambda g: A.mlp([2, 3, 1], g),
    "Dense": lambda g: A.Dense(g, 3),
    "Dense.forward": lambda g: A.Dense(2, 3).forward(g),
    "Sequential.forward": lambda g: A.mlp([2, 3, 1]).forward(g),
    "predict": lambda g: A.mlp([2, 3, 2], output="softmax").predict(g),
    "loss forward": lambda g: A.MSELoss().forward(g, np.ones((3, 5))),
    "cross-entropy": lambda g: A.CategoricalCrossEntropy().forward(g, [0, 1, 0]),
    "softmax cross-entropy targets": lambda g: A.SoftmaxCrossEntropy().forward(np.ones((3, 5)), g),
    "optimizer step": lambda g: A.SGD(0.1).step([np.ones(4)], [g]),
    "Adam lr": lambda g: A.Adam(lr=g),
    "get_activation": lambda g: A.get_activation(g),
    "get_loss": lambda g: A.get_loss(g),
    "get_optimizer": lambda g: A.get_optimizer(g),
    "accuracy": lambda g: A.accuracy([0, 1, 1], g),
    "one_hot": lambda g: A.one_hot(g),
    "train_test_split": lambda g: A.train_test_split(g, Y),
    "load": lambda g: A.load(g),
}


@pytest.mark.parametrize("name", sorted(CALLS))
@given(garbage=GARBAGE)
def test_no_internal_error_escapes_on_garbage(name, garbage):
    try:
        CALLS[name](garbage)
    except INTERNAL as e:
        raise AssertionError(f"{name}({garbage!r}) let {type(e).__name__} escape: {e}") from e
    except Exception:
        pass
