"""Step 7: fit(). Penalties, history, callbacks, early stopping, schedules, divergence, dtypes, errors."""
import warnings

import numpy as np
import pytest

import annlib
from student_fakes import flat
from annlib import SGD, Adam, fit, mlp, numerical_gradient, relative_error


def quiet_fit(*args, **kwargs):
    return fit(*args, progress=False, **kwargs)


# ----------------------------------------------------------------------------------------------
# The update fit makes, including the L1 and L2 penalties
# ----------------------------------------------------------------------------------------------
def problem(kind):
    if kind == "regression":
        X, y = annlib.make_plane(16, noise=0.1, seed=0)
        return X, y, mlp([2, 5, 1], "tanh", seed=0), annlib.MSELoss()
    if kind == "softmax":
        X, y = annlib.make_spiral(16, seed=0, n_classes=3)
        return X, y, mlp([2, 5, 3], "tanh", output="softmax", seed=0), annlib.CategoricalCrossEntropy()
    X, y = annlib.make_xor(16, seed=0)
    return X, y, mlp([2, 5, 1], "tanh", output="sigmoid", seed=0), annlib.BCELoss()


@pytest.mark.parametrize("kind", ["regression", "softmax", "sigmoid"])
@pytest.mark.parametrize("l1, l2", [(0.0, 0.0), (0.0, 0.3), (0.05, 0.0), (0.05, 0.3)])
def test_one_sgd_step_of_fit_is_minus_lr_times_the_gradient(kind, l1, l2):
    """Total loss L(θ) = loss(net(X), y) + l1·Σ|W| + ½·l2·ΣW² over the weights W (not the biases). One
    full-batch SGD step must move θ by -lr·∇L, with ∇L computed numerically here from that formula."""
    X, y, net, loss = problem(kind)
    y_loss = y.reshape(-1, 1).astype(float) if kind == "sigmoid" else y

    def total_loss():
        weights = [layer.W for layer in net.param_layers]
        return (loss.forward(net.forward(X), y_loss) + l1 * sum(np.abs(W).sum() for W in weights)
                + 0.5 * l2 * sum((W ** 2).sum() for W in weights))

    theta0, L0 = [p.copy() for p in net.parameters()], total_loss()
    numeric = [numerical_gradient(total_loss, p) for p in net.parameters()]
    lr = 0.1
    history = quiet_fit(net, X, y, loss=loss, optimizer=SGD(lr), epochs=1, batch_size=len(X), shuffle=False,
                        l1=l1, l2=l2)
    for before, after, num in zip(theta0, net.parameters(), numeric):
        assert relative_error((before - after) / lr, num) < 1e-6
    assert history.loss[0] == pytest.approx(L0, rel=1e-12), "the recorded loss includes the penalties"


def test_l2_shrinks_weights_but_not_biases():
    X, y, net, loss = problem("regression")
    for p in net.parameters():
        p[...] = 1.0
    X0 = np.zeros_like(X)                           # zero input: the data gradient of W vanishes
    quiet_fit(net, X0, np.ones(len(X)), loss=loss, optimizer=SGD(0.1), epochs=1, batch_size=len(X), l2=0.5)
    np.testing.assert_allclose(net[0].W, 1 - 0.1 * 0.5)


def test_epoch_loss_is_the_sample_weighted_mean_over_batches():
    X, y = annlib.make_plane(20, noise=0.1, seed=0)
    net = mlp([2, 4, 1], "tanh", seed=0)
    expected = annlib.MSELoss().forward(net.forward(X), y)
    # batches of 7, 7 and 6 samples; a learning rate of 1e-300 leaves the weights as they are
    history = quiet_fit(net, X, y, loss="mse", optimizer=SGD(1e-300), epochs=1, batch_size=7)
    assert history.loss[0] == pytest.approx(expected, rel=1e-12)
    assert history.iterations == 3


def test_sigmoid_with_bce_reports_the_bce_of_the_probabilities():
    """fit trains a Sigmoid + BCE network on the logits (stable, same maths): the loss is unchanged."""
    X, y = annlib.make_gaussian(30, seed=1)
    net = mlp([2, 4, 1], "tanh", output="sigmoid", seed=0)
    expected = annlib.BCELoss().forward(net.forward(X), y)
    history = quiet_fit(net, X, y, loss="bce", optimizer=SGD(1e-300), epochs=1, batch_size=30)
    assert history.loss[0] == pytest.approx(expected, rel=1e-9)


def test_one_hot_targets_train_exactly_like_labels():
    X, y = annlib.make_spiral(60, seed=0, n_classes=3)
    runs = []
    for target in (y, annlib.one_hot(y)):
        net = mlp([2, 8, 3], "relu", output="softmax", seed=0)
        h = quiet_fit(net, X, target, loss="cross_entropy", optimizer=Adam(0.01), epochs=3, seed=0)
        runs.append((h.loss, flat(net)))
    assert runs[0][0] == runs[1][0]
    np.testing.assert_array_equal(runs[0][1], runs[1][1])


# ----------------------------------------------------------------------------------------------
# History, callbacks, early stopping, schedules
# ----------------------------------------------------------------------------------------------
def test_history_records_every_epoch():
    X, y = annlib.make_circle(100, seed=0)
    Xv, yv = annlib.make_circle(50, seed=1)
    net = mlp([2, 8, 8, 2], "tanh", output="softmax", seed=0)
    h = quiet_fit(net, X, y, loss="cross_entropy", optimizer=Adam(0.01), epochs=4, batch_size=32,
                  validation_data=(Xv, yv), seed=0)
    assert len(h) == 4 and h.epoch == [0, 1, 2, 3]
    for key in ("loss", "accuracy", "val_loss", "val_accuracy", "lr"):
        assert len(h[key]) == 4, key
        assert all(isinstance(v, float) and np.isfinite(v) for v in h[key]), key
    assert h.lr == [0.01] * 4
    assert all(0 <= a <= 1 for a in h.accuracy + h.val_accuracy)
    assert h.loss[-1] < h.loss[0]
    assert h.iterations == 4 * 4                                       # ceil(100 / 32) batches per epoch
    assert set(h.grad_norm) == set(h.weight_norm) == {"dense1", "dense2", "dense3"}
    for layer in net.param_layers:
        assert len(h.grad_norm[layer.name]) == len(h.weight_norm[layer.name]) == 4
        assert h.weight_norm[layer.name][-1] == pytest.approx(np.linalg.norm(layer.W))
        assert h.grad_norm[layer.name][-1] == pytest.approx(np.linalg.norm(layer.dW))
    # the validation metrics belong to the network as fit leaves it
    assert h.val_accuracy[-1] == annlib.accuracy(yv, net.predict(Xv))
    assert h.val_loss[-1] == annlib.evaluate(net, Xv, yv, "cross_entropy")["loss"]
    assert "4 epochs" in repr(h)


def test_regression_history_has_no_accuracy():
    X, y = annlib.make_plane(40, seed=0)
    h = quiet_fit(mlp([2, 4, 1], seed=0), X, y, loss="mse", optimizer=Adam(0.01), epochs=2, validation_data=(X, y))
    assert h.accuracy == [] and h.val_accuracy == [] and len(h.val_loss) == 2


def test_fit_continues_a_history_and_keeps_the_optimizer_state():
    X, y = annlib.make_plane(40, seed=0)
    net, opt = mlp([2, 4, 1], seed=0), Adam(0.01)
    h = quiet_fit(net, X, y, loss="mse", optimizer=opt, epochs=2, batch_size=10)
    h = quiet_fit(net, X, y, loss="mse", optimizer=opt, epochs=3, batch_size=10, history=h)
    assert h.epoch == [0, 1, 2, 3, 4] and len(h.loss) == 5
    assert opt.t == h.iterations == 20


class Recorder(annlib.Callback):
    def __init__(self):
        self.calls = []

    def on_train_begin(self, net, history):
        self.calls.append(("begin", net, history))

    def on_batch_end(self, iteration, logs):
        self.calls.append(("batch", iteration, logs["epoch"], logs["loss"]))

    def on_epoch_end(self, epoch, logs):
        self.calls.append(("epoch", epoch, dict(logs)))

    def on_train_end(self):
        self.calls.append(("end",))


def test_callbacks_are_called():
    X, y = annlib.make_gaussian(50, seed=0)
    net, rec = mlp([2, 4, 1], output="sigmoid", seed=0), Recorder()
    h = quiet_fit(net, X, y, loss="bce", optimizer=Adam(0.01), epochs=3, batch_size=16, callbacks=[rec],
                  validation_data=(X, y))
    kinds = [c[0] for c in rec.calls]
    assert kinds == ["begin"] + (["batch"] * 4 + ["epoch"]) * 3 + ["end"]
    assert rec.calls[0][1] is net and rec.calls[0][2] is h
    assert [c[1] for c in rec.calls if c[0] == "batch"] == list(range(1, 13))
    epoch_logs = [c[2] for c in rec.calls if c[0] == "epoch"]
    assert set(epoch_logs[0]) == {"loss", "lr", "accuracy", "val_loss", "val_accuracy"}
    assert [logs["loss"] for logs in epoch_logs] == h.loss


def test_a_function_callback_can_stop_training():
    X, y = annlib.make_gaussian(50, seed=0)
    seen = []

    def stop_after_epoch_2(epoch, logs):
        seen.append(epoch)
        return epoch == 2

    h = quiet_fit(mlp([2, 4, 1], output="sigmoid", seed=0), X, y, loss="bce", optimizer=Adam(0.01), epochs=10,
                  callbacks=[stop_after_epoch_2])
    assert seen == [0, 1, 2] and len(h) == 3


def early_stopping_problem():
    """Linear regression from zero weights towards y = (x₁ + x₂)/2, validated against half that target:
    the validation loss falls while the weights pass the midpoint, then rises."""
    X, y = annlib.make_plane(200, seed=0)
    net = annlib.Sequential(annlib.Dense(2, 1, init="zeros"))
    return net, X, y, (X, y / 2)


@pytest.mark.parametrize("restore_best", [True, False])
def test_early_stopping_stops_and_restores_the_best_weights(restore_best):
    net, X, y, val = early_stopping_problem()
    stopper = annlib.EarlyStopping(patience=3, restore_best=restore_best)
    h = quiet_fit(net, X, y, loss="mse", optimizer=SGD(0.05), epochs=50, batch_size=20, shuffle=False,
                  validation_data=val, callbacks=[stopper])
    best = int(np.argmin(h.val_loss))
    assert 0 < best < 10, "the validation loss first falls"
    assert h.stopped_early and len(h) == best + 3 + 1 < 50
    assert stopper.best_epoch == best and stopper.best == h.val_loss[best]
    final = annlib.evaluate(net, *val, "mse")["loss"]
    assert final == (h.val_loss[best] if restore_best else h.val_loss[-1])
    if restore_best:
        np.testing.assert_allclose(net[0].W[:, 0], [0.25, 0.25], atol=0.05)   # about halfway to (0.5, 0.5)


def test_early_stopping_on_the_training_loss_and_its_error_message():
    net, X, y, val = early_stopping_problem()
    h = quiet_fit(net, X, y, loss="mse", optimizer=SGD(0.05), epochs=10, callbacks=[annlib.EarlyStopping("loss")])
    assert not h.stopped_early and len(h) == 10
    with pytest.raises(ValueError, match="monitors 'val_loss'.*validation_data"):
        quiet_fit(net, X, y, loss="mse", optimizer=SGD(0.05), epochs=2, callbacks=[annlib.EarlyStopping()])


def test_schedule_sets_the_learning_rate_of_each_epoch():
    X, y = annlib.make_plane(40, seed=0)
    schedule, opt = annlib.CosineLR(0.1, total=4, warmup=2), SGD(0.5)
    h = quiet_fit(mlp([2, 4, 1], seed=0), X, y, loss="mse", optimizer=opt, epochs=8, schedule=schedule)
    assert h.lr == [schedule(t) for t in range(8)]
    assert opt.lr == schedule(7)


def test_progress_bar_runs(capsys):
    X, y = annlib.make_plane(20, seed=0)
    fit(mlp([2, 4, 1], seed=0), X, y, loss="mse", optimizer=SGD(0.1), epochs=2, progress=True)
    assert "training" in capsys.readouterr().err


# ----------------------------------------------------------------------------------------------
# Reproducibility
# ----------------------------------------------------------------------------------------------
def seeded_run(net_seed, fit_seed):
    X, y = annlib.make_moons(120, noise=0.1, seed=0)
    net = mlp([2, 16, 2], "relu", output="softmax", dropout=0.2, seed=net_seed)
    h = quiet_fit(net, X, y, loss="cross_entropy", optimizer=Adam(0.01), epochs=4, batch_size=16, seed=fit_seed,
                  validation_data=(X, y))
    return h, flat(net)


def test_a_seeded_run_is_reproducible():
    (h1, w1), (h2, w2) = seeded_run(1, 1), seeded_run(1, 1)
    for key in ("loss", "accuracy", "val_loss", "val_accuracy"):
        assert h1[key] == h2[key], key
    assert h1.grad_norm == h2.grad_norm and h1.weight_norm == h2.weight_norm
    np.testing.assert_array_equal(w1, w2)
    for other in (seeded_run(2, 1), seeded_run(1, 2)):          # another network seed, another shuffle
        assert other[0].loss != h1.loss
        assert not np.array_equal(other[1], w1)


class SampleRecorder(annlib.Layer):
    """A first layer that passes its input through and records it: which samples each batch held."""

    def __init__(self):
        self.seen = []

    def forward(self, x):
        if self.training:
            self.seen.append(x[:, 0].astype(int).tolist())
        return x

    def backward(self, grad):
        return grad


@pytest.mark.parametrize("shuffle", [True, False])
def test_each_epoch_uses_every_sample_once_in_batches_of_batch_size(shuffle):
    X = np.stack([np.arange(20.0), np.zeros(20)], axis=1)     # column 0: the sample's number
    recorder = SampleRecorder()
    net = annlib.Sequential(recorder, annlib.Dense(2, 1, seed=0))
    h = quiet_fit(net, X, np.zeros(20), loss="mse", optimizer=SGD(1e-6), epochs=3, batch_size=6, shuffle=shuffle,
                  seed=0)
    assert [len(b) for b in recorder.seen] == [6, 6, 6, 2] * 3 and h.iterations == 12
    epochs = [sum(recorder.seen[i:i + 4], []) for i in (0, 4, 8)]
    for order in epochs:
        assert sorted(order) == list(range(20))                    # every sample exactly once
    if shuffle:
        assert epochs[0] != epochs[1] != epochs[2] and epochs[0] != list(range(20))    # a new order each epoch
    else:
        assert epochs == [list(range(20))] * 3


# ----------------------------------------------------------------------------------------------
# float32 stays float32
# ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("make_opt", [lambda: Adam(0.01, weight_decay=1e-3, clip_norm=1.0),
                                      lambda: SGD(0.1, momentum=0.9, nesterov=True, weight_decay=1e-3),
                                      lambda: annlib.AdamW(0.01), lambda: annlib.RMSProp(0.01)],
                         ids=["adam", "sgd", "adamw", "rmsprop"])
@pytest.mark.parametrize("output, loss, n_out", [("softmax", "cross_entropy", 2), (None, "softmax_cross_entropy", 2),
                                                 ("sigmoid", "bce", 1), (None, "bce_logits", 1), (None, "mse", 1),
                                                 (None, "huber", 1), (None, "mae", 1)])
def test_float32_end_to_end_in_fit(make_opt, output, loss, n_out):
    X, y = annlib.make_circle(64, seed=0)
    net = mlp([2, 8, n_out], "tanh", output=output, dropout=0.1, seed=0, dtype=np.float32)
    h = quiet_fit(net, X, y, loss=loss, optimizer=make_opt(), epochs=2, batch_size=16, l1=1e-4, l2=1e-4,
                  validation_data=(X, y), schedule=annlib.ExponentialLR(0.01))
    assert all(p.dtype == np.float32 for p in net.parameters() + net.gradients())
    assert net.forward(X).dtype == np.float32
    assert all(np.isfinite(h.loss)) and h.loss[-1] < h.loss[0] * 1.5


# ----------------------------------------------------------------------------------------------
# Divergence
# ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("validation", [False, True])
@pytest.mark.parametrize("lr", [1e2, 1e6, 1e12])
def test_a_diverging_fit_raises_divergence_error(lr, validation):
    X, y = annlib.make_plane(200, seed=0)
    net = mlp([2, 16, 1], "tanh", seed=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")                       # no RuntimeWarning (overflow, ...) may leak out
        with pytest.raises(annlib.DivergenceError, match="learning rate") as e:
            quiet_fit(net, X, y, loss="mse", optimizer=SGD(lr), epochs=30,
                      validation_data=(X, y) if validation else None)
    assert f"{lr:g}" in str(e.value) and f"{lr / 10:g}" in str(e.value)
    assert isinstance(e.value.history, annlib.History)
    assert isinstance(e.value, FloatingPointError)


def test_divergence_in_the_very_last_update_is_caught():
    """One update, with a learning rate so large that it turns the weights into inf: the loss computed
    before the update was finite, but fit must not return a broken network as if all went well."""
    X, y = annlib.make_plane(50, seed=0)
    net = mlp([2, 4, 1], "relu", seed=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(annlib.DivergenceError, match="weights grew too large.*learning rate"):
            quiet_fit(net, X, 1e3 * y, loss="mse", optimizer=SGD(1e307), epochs=1, batch_size=50)


# ----------------------------------------------------------------------------------------------
# Evaluate, and bad arguments to fit
# ----------------------------------------------------------------------------------------------
def test_evaluate_thresholds_logits_at_zero():
    net = annlib.Sequential(annlib.Dense(1, 1, init="zeros"))
    net[0].W[...] = 1.0                                      # the logit is x itself
    X, y = np.array([[0.2], [0.3], [-0.2], [-3.0]]), np.array([1, 1, 0, 0])
    result = annlib.evaluate(net, X, y, "bce_logits")
    assert result["accuracy"] == 1.0
    assert result["loss"] == pytest.approx(annlib.BCEWithLogitsLoss().forward(X, y.reshape(-1, 1)))
    net = annlib.Sequential(annlib.Dense(1, 1, init="zeros"), annlib.Sigmoid())
    net[0].W[...] = 1.0
    assert annlib.evaluate(net, X, y, "bce")["accuracy"] == 1.0


def test_val_accuracy_of_a_logit_network():
    X, y = annlib.make_gaussian(100, seed=0)
    net = mlp([2, 4, 1], "tanh", seed=0)
    h = quiet_fit(net, X, y, loss="bce_logits", optimizer=SGD(0.01), epochs=1, validation_data=(X, y))
    assert h.val_accuracy[-1] == annlib.accuracy(y, net.forward(X)[:, 0] > 0)


def test_softmax_cross_entropy_on_a_softmax_network_is_refused():
    X, y = annlib.make_circle(20, seed=0)
    net = mlp([2, 4, 2], output="softmax", seed=0)
    for loss in ("softmax_cross_entropy", annlib.SoftmaxCrossEntropy(), annlib.CrossEntropyLoss()):
        with pytest.raises(ValueError, match="already ends in Softmax.*loss='cross_entropy'"):
            quiet_fit(net, X, y, loss=loss, optimizer=SGD(0.1), epochs=1)


def test_labels_out_of_range_in_fit_name_the_bad_values():
    X, y = annlib.make_circle(20, seed=0)
    y = y.copy()
    y[[3, 7]] = [3, 5]
    net = mlp([2, 4, 3], output="softmax", seed=0)
    with pytest.raises(ValueError, match=r"y has labels outside 0\.\.2: \[3, 5\]"):
        quiet_fit(net, X, y, loss="cross_entropy", optimizer=SGD(0.1), epochs=1)
    with pytest.raises(ValueError, match=r"y_val has labels outside 0\.\.2: \[-1\]"):
        quiet_fit(net, X, y % 3, loss="cross_entropy", optimizer=SGD(0.1), epochs=1, validation_data=(X[:2], [0, -1]))
    with pytest.raises(ValueError, match=r"targets must be in \[0, 1\].*to 5"):
        quiet_fit(mlp([2, 4, 1], output="sigmoid"), X, y, loss="bce", optimizer=SGD(0.1), epochs=1)


def test_fit_refuses_bad_arguments():
    X, y = annlib.make_plane(10, seed=0)
    net, opt = mlp([2, 4, 1], seed=0), SGD(0.1)
    with pytest.raises(annlib.ShapeError, match="X has 10 samples but y has 9"):
        quiet_fit(net, X, y[:9], loss="mse", optimizer=opt)
    with pytest.raises(annlib.ShapeError, match=r"y has 2 column\(s\) but the network has 1 output"):
        quiet_fit(net, X, np.hstack([y, y]), loss="mse", optimizer=opt)
    bad_y = y.copy()
    bad_y[4] = np.nan
    with pytest.raises(ValueError, match=r"y contains 1 non-finite value.*y\[4, 0\]"):
        quiet_fit(net, X, bad_y, loss="mse", optimizer=opt)
    for batch_size in (0, -3, 2.5):
        with pytest.raises(ValueError, match="batch_size must be a whole number >= 1"):
            quiet_fit(net, X, y, loss="mse", optimizer=opt, batch_size=batch_size)
    with pytest.raises(ValueError, match="Unknown loss 'msqe'"):
        quiet_fit(net, X, y, loss="msqe", optimizer=opt)
    with pytest.raises(annlib.ShapeError, match=r"dense1: expects 2 input features .* but X has 3 features"):
        quiet_fit(net, np.ones((10, 3)), y, loss="mse", optimizer=opt)
