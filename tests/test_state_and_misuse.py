"""Things students really do with a network that must either work or fail loudly: copy it, replace a
weight array, nest it, reuse an optimizer, monitor accuracy, write their own first layer."""
import copy
import pickle

import numpy as np
import pytest

import annlib as A
from annlib.network import default_init
from student_fakes import flat

X = np.random.default_rng(0).standard_normal((40, 2))
Y = (X[:, 0] * X[:, 1] > 0).astype(int)


def train(net, epochs=30, **kwargs):
    kwargs.setdefault("optimizer", A.Adam(0.05))
    return A.fit(net, X, Y, loss="cross_entropy", epochs=epochs, batch_size=8, seed=0, progress=False, **kwargs)


def test_a_deep_copy_trains_on_its_own_and_leaves_the_original_alone():
    net = A.mlp([2, 8, 2], "tanh", output="softmax", seed=0)
    before = flat(net)
    clone = copy.deepcopy(net)
    history = train(clone)
    assert history.loss[-1] < 0.8 * history.loss[0]                  # the copy learned
    np.testing.assert_array_equal(flat(net), before)                  # the original did not move


def test_an_assigned_weight_array_or_a_replaced_layer_trains():
    net = A.mlp([2, 8, 2], "tanh", output="softmax", seed=0)
    new_W = net[0].W * 0.5
    start = new_W.copy()
    net[0].W = new_W                                                   # the layer now uses this array
    history = train(net)
    assert history.loss[-1] < 0.8 * history.loss[0]
    assert net[0].W is new_W and not np.array_equal(new_W, start)     # ... and the optimizer trained it
    net.layers[0] = A.Dense(2, 8, seed=1)
    history = train(net)
    assert history.loss[-1] < 0.8 * history.loss[0]


def test_an_optimizer_with_state_refuses_a_replaced_array_with_the_fix():
    net = A.mlp([2, 8, 2], "tanh", output="softmax", seed=0)
    opt = A.Adam(0.05)
    train(net, epochs=1, optimizer=opt)
    net[0].W = net[0].W.copy()
    with pytest.raises(ValueError, match=r"holds state for other arrays.*opt.reset\(\)"):
        train(net, epochs=1, optimizer=opt)
    opt.reset()
    train(net, epochs=1, optimizer=opt)


def test_nested_sequential_is_refused_with_the_fix():
    inner = A.Sequential(A.Dense(2, 3), A.Tanh())
    with pytest.raises(TypeError, match=r"pass its layers instead: Sequential\(\*inner.layers"):
        A.Sequential(inner, A.Dense(3, 2))


def test_early_stopping_on_accuracy_keeps_the_best_accuracy():
    X_val, y_val = X[:20], Y[:20]
    stop = A.EarlyStopping(monitor="val_accuracy", patience=3)
    history = train(A.mlp([2, 8, 2], "tanh", output="softmax", seed=0), epochs=40,
                    validation_data=(X_val, y_val), callbacks=[stop])
    assert stop.sign == -1.0
    assert max(history.val_accuracy) == pytest.approx(-stop.best)
    net_acc = A.accuracy(y_val, stop.net.predict(X_val))
    assert net_acc == pytest.approx(max(history.val_accuracy))        # restored to its best epoch


def test_sigmoid_output_with_a_logits_loss_is_refused():
    net = A.mlp([2, 4, 1], "tanh", output="sigmoid", seed=0)
    with pytest.raises(ValueError, match="already ends in Sigmoid"):
        A.fit(net, X, Y, loss="bce_logits", optimizer=A.SGD(0.1), progress=False)


def test_nan_in_one_hot_targets_and_bad_penalties_are_refused_as_such():
    net = A.mlp([2, 4, 2], output="softmax", seed=0)
    onehot = A.one_hot(Y).astype(float)
    onehot[3, 1] = np.nan
    with pytest.raises(ValueError, match=r"y contains 1 non-finite"):
        A.fit(net, X, onehot, loss="cross_entropy", optimizer=A.SGD(0.1), progress=False)
    with pytest.raises(ValueError, match="l2 must be a finite number >= 0"):
        A.fit(net, X, Y, loss="cross_entropy", optimizer=A.SGD(0.1), l2=float("nan"), progress=False)
    with pytest.raises(ValueError, match="epochs must be a whole number"):
        A.fit(net, X, Y, loss="cross_entropy", optimizer=A.SGD(0.1), epochs=2.5, progress=False)


def test_a_students_own_first_layer_with_the_plain_backward_signature_trains():
    class MyDense(A.Dense):
        def backward(self, grad):                                      # the documented two-argument form
            return super().backward(grad)

    net = A.Sequential(MyDense(2, 8, seed=0), A.Tanh(), A.Dense(8, 2, seed=1), A.Softmax())
    history = train(net)
    assert history.loss[-1] < history.loss[0]


@pytest.mark.parametrize("call, message", [
    (lambda: A.SGD(lr="0.1"), "lr .* must be a finite number > 0"),
    (lambda: A.SGD(momentum=None), "momentum must be in"),
    (lambda: A.Dropout("0.5"), "Dropout: p"),
    (lambda: A.fit(A.mlp([2, 2], output="softmax"), X, Y, loss="cross_entropy", optimizer="adamm", progress=False),
     "Unknown optimizer 'adamm'"),
])
def test_bad_hyperparameters_give_a_clear_message(call, message):
    with pytest.raises((ValueError, TypeError), match=message):
        call()


def test_fit_takes_an_optimizer_by_name_and_a_dense_layer_takes_lists():
    history = A.fit(A.mlp([2, 8, 2], "tanh", output="softmax", seed=0), X, Y, loss="cross_entropy",
                    optimizer="adam", epochs=3, progress=False)
    assert len(history.loss) == 3
    assert A.Dense(2, 3, seed=0).forward([[1.0, 2.0]]).shape == (1, 3)


@pytest.mark.parametrize("activation", ["ReLU", "leaky-relu", A.LeakyReLU(0.1), "elu", "gelu", "silu"])
def test_the_relu_family_gets_he_initialization_however_it_is_spelled(activation):
    assert default_init(activation) == "he_uniform"
    assert default_init("tanh") == "xavier_uniform"


def test_layers_with_the_same_name_get_their_own_history_entries():
    net = A.Sequential(A.Dense(2, 8, seed=0), A.Tanh(), A.Dense(8, 8, seed=1), A.Tanh(), A.Dense(8, 8, seed=2),
                       A.Tanh(), A.Dense(8, 2, seed=3), A.Softmax())
    history = train(net, epochs=3)
    assert len(history.grad_norm) == 4 and all(len(v) == 3 for v in history.grad_norm.values())


def test_fit_leaves_the_network_in_the_mode_it_found():
    net = A.mlp([2, 8, 2], "tanh", output="softmax", dropout=0.2, seed=0).train()
    train(net, epochs=2)
    assert net.training and all(layer.training for layer in net.layers)
    net.eval()
    train(net, epochs=2)
    assert not net.training


def test_step_schedule_and_confusion_matrix_refuse_bad_arguments_clearly():
    with pytest.raises(ValueError, match="step_size is a whole number of epochs"):
        A.StepLR(1.0, step_size=0.5)
    with pytest.raises(ValueError, match=r"y_true has labels outside 0..1"):
        A.confusion_matrix([0, 2], [0, 1], n_classes=2)


def test_the_same_layer_object_twice_is_refused_with_the_fix():
    relu = A.ReLU()
    with pytest.raises(TypeError, match=r"item 3 is the same layer object as an earlier item.*not one ReLU twice"):
        A.Sequential(A.Dense(2, 4), relu, A.Dense(4, 4), relu)
    dense = A.Dense(4, 4)
    with pytest.raises(TypeError, match="item 2 is the same layer object"):
        A.Sequential(dense, A.Tanh(), dense)


def test_a_pickled_network_predicts_the_same_and_a_student_dW_assignment_trains():
    net = A.mlp([2, 64, 2], "relu", output="softmax", seed=0)
    clone = pickle.loads(pickle.dumps(net))
    np.testing.assert_array_equal(clone.predict(X), net.predict(X))

    class MyDense(A.Dense):                     # a student's backward that assigns dW and db
        def backward(self, grad):
            self.dW = self.x.T @ grad
            self.db = grad.sum(axis=0)
            return grad @ self.W.T
    net = A.Sequential(MyDense(2, 8, seed=0), A.Tanh(), A.Dense(8, 2, seed=1), A.Softmax())
    history = train(net)
    assert history.loss[-1] < 0.8 * history.loss[0]                  # the assigned gradients reached the optimizer
