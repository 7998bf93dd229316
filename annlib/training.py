"""Step 7 of 7: training, the loop that repeats steps 3 to 6.

    epoch      one pass over the whole training set
    batch      a (mini-)batch: the slice of samples used for one update
    iteration  one update = forward, loss, backward, optimizer step on one batch

So one epoch of n samples with batch size B has ceil(n / B) iterations. (Some slides call a batch an
"epoch"; it is not.)

    history = fit(net, X, y, loss="cross_entropy", optimizer=Adam(1e-3), epochs=20, batch_size=32)
"""
import math

import numpy as np

from .activations import Sigmoid, Softmax
from .layers import as_rng
from .losses import (BCELoss, BCEWithLogitsLoss, CategoricalCrossEntropy, SoftmaxCrossEntropy, get_loss)
from .metrics import accuracy, labels
from .optimizers import get_optimizer
from .validation import DivergenceError, ShapeError, as_batch, check_finite, check_positive, class_labels

CLASSIFICATION_LOSSES = (BCELoss, BCEWithLogitsLoss, CategoricalCrossEntropy, SoftmaxCrossEntropy)


class History:
    """What ``fit`` recorded, one entry per epoch. ``history["loss"]`` works as in Keras."""

    def __init__(self):
        self.epoch, self.loss, self.accuracy, self.val_loss, self.val_accuracy, self.lr = [], [], [], [], [], []
        self.grad_norm = {}      # layer name -> [‖dW‖ of the epoch's last batch, ...] (a layer's first parameter)
        self.weight_norm = {}    # layer name -> [‖W‖ at the end of each epoch, ...]
        self.iterations = 0      # updates made so far
        self.stopped_early = False

    def __getitem__(self, key):
        return getattr(self, key)

    def __len__(self):
        return len(self.epoch)

    def __repr__(self):
        last = f", last loss {self.loss[-1]:.4g}" if self.loss else ""
        return f"History({len(self)} epochs{last})"


class Callback:
    """Hooks into ``fit``. Return True from ``on_epoch_end`` to stop training."""

    def on_train_begin(self, net, history):
        pass

    def on_batch_end(self, iteration, logs):
        pass

    def on_epoch_end(self, epoch, logs):
        return False

    def on_train_end(self):
        pass


class _EpochFunction(Callback):
    """Wraps a plain function f(epoch, logs) as an epoch-end callback."""

    def __init__(self, f):
        self.f = f

    def on_epoch_end(self, epoch, logs):
        return bool(self.f(epoch, logs))


class EarlyStopping(Callback):
    """Stop when ``monitor`` (default val_loss) has not improved by ``min_delta`` for ``patience`` epochs;
    with ``restore_best`` the network ends with the weights of its best epoch. ``mode``: "min" (a loss),
    "max" (an accuracy), or "auto": "max" if the name contains "acc"."""

    def __init__(self, monitor="val_loss", patience=5, min_delta=0.0, restore_best=True, mode="auto"):
        if mode not in ("auto", "min", "max"):
            raise ValueError(f"EarlyStopping: mode must be 'auto', 'min' or 'max', got {mode!r}.")
        self.monitor, self.patience, self.min_delta, self.restore_best = monitor, patience, min_delta, restore_best
        self.sign = -1.0 if mode == "max" or (mode == "auto" and "acc" in monitor) else 1.0   # compare sign·value

    def on_train_begin(self, net, history):
        self.net, self.history = net, history
        self.best, self.best_params, self.wait, self.best_epoch = math.inf, None, 0, None

    def on_epoch_end(self, epoch, logs):
        if self.monitor not in logs:
            raise KeyError(f"EarlyStopping monitors {self.monitor!r} but fit logs only {sorted(logs)}; "
                           "pass validation_data=(X_val, y_val) or monitor='loss'.")
        value = self.sign * logs[self.monitor]           # smaller is better after the sign
        if value < self.best - self.min_delta:
            self.best, self.wait, self.best_epoch = value, 0, epoch
            self.best_params = self.net.state_dict()
            return False
        self.wait += 1
        if self.wait >= self.patience:
            self.history.stopped_early = True
            return True
        return False

    def on_train_end(self):
        if self.restore_best and self.best_params is not None:
            self.net.load_state_dict(self.best_params)


def evaluate(net, X, y, loss):
    """{'loss': mean loss, 'accuracy': fraction correct (classification only)} on (X, y), Dropout off."""
    loss = get_loss(loss)
    was_training = net.training
    net.eval()
    try:
        out = net.forward(X)
    finally:
        net.train(was_training)
    result = {"loss": loss.forward(out, y)}
    if isinstance(loss, CLASSIFICATION_LOSSES):
        result["accuracy"] = accuracy(y, labels(out, logits=isinstance(loss, BCEWithLogitsLoss)))
    return result


def fit(net, X, y, *, loss, optimizer, epochs=10, batch_size=32, shuffle=True, seed=None,
        validation_data=None, l1=0.0, l2=0.0, schedule=None, callbacks=(), progress=True, history=None):
    """Train ``net`` on (X, y) with mini-batches; returns a ``History``.

    loss         a Loss or its name ("mse", "cross_entropy", ...)
    optimizer    an Optimizer (its state carries over between calls to fit)
    seed         int or Generator for shuffling; pass the same Generator to continue a run
    l1, l2       penalties on the weights (not biases): l1·Σ|W| and ½·l2·ΣW²
    schedule     f(epoch) -> learning rate, e.g. CosineLR(0.1, total=epochs)
    callbacks    Callback objects, or functions f(epoch, logs) that return True to stop
    history      an earlier History to continue (the playground trains a few epochs at a time)
    A non-finite loss raises DivergenceError with a suggestion, instead of training on NaN.
    """
    loss, optimizer = get_loss(loss), get_optimizer(optimizer)
    l1, l2 = check_positive(l1, "l1", allow_zero=True), check_positive(l2, "l2", allow_zero=True)
    for value, what, low in ((epochs, "epochs", 0), (batch_size, "batch_size", 1)):
        if not (isinstance(value, (int, np.integer)) and value >= low):
            raise ValueError(f"{what} must be a whole number >= {low}, got {value!r}.")
    X = as_batch(X, "X", net.dtype)
    y = _check_targets(net, X, y, loss)
    if validation_data is not None:
        X_val = as_batch(validation_data[0], "X_val", net.dtype)
        y_val = _check_targets(net, X_val, validation_data[1], loss, "y_val")
    _check_output(net, loss)
    classify = isinstance(loss, CLASSIFICATION_LOSSES)
    rng, n = as_rng(seed), X.shape[0]
    history = history if history is not None else History()
    callbacks = [c if isinstance(c, Callback) else _EpochFunction(c) for c in callbacks]
    first_epoch = len(history.epoch)
    epoch_range = range(first_epoch, first_epoch + epochs)
    if progress:
        from tqdm.auto import tqdm      # imported here: the core imports nothing but numpy
        epoch_range = tqdm(epoch_range, desc="training", unit="epoch")
    for c in callbacks:
        c.on_train_begin(net, history)
    was_training = net.training
    net.train()
    try:
        for epoch in epoch_range:
            if schedule is not None:
                optimizer.lr = schedule(epoch)
            order = rng.permutation(n) if shuffle else np.arange(n)     # each sample once per epoch
            total_loss, correct = 0.0, 0
            for batch, start in enumerate(range(0, n, batch_size)):
                rows = order[start:start + batch_size]
                xb, yb = X[rows], y[rows]
                with np.errstate(over="ignore", invalid="ignore"):      # a blow-up is caught by the loss
                    # notebook 7's loop: forward, loss, backward, update
                    out = net.forward(xb)
                    L = loss.forward(out, yb)
                    backward(net, loss, out)
                    L += add_penalties(net, l1, l2)
                    if not math.isfinite(L):
                        raise DivergenceError(_divergence_message(f"the loss became {L}", epoch, batch, optimizer,
                                                                  history), history)
                    optimizer.step(net.parameters(), net.gradients())
                history.iterations += 1
                total_loss += L * len(rows)
                if classify:
                    correct += np.count_nonzero(labels(out, logits=isinstance(loss, BCEWithLogitsLoss)) == labels(yb))
                for c in callbacks:
                    c.on_batch_end(history.iterations, {"loss": L, "epoch": epoch})
            logs = {"loss": total_loss / n, "lr": optimizer.lr}
            if classify:
                logs["accuracy"] = float(correct / n)
            with np.errstate(over="ignore", invalid="ignore"):     # the epoch's last update may have blown up
                if validation_data is not None:
                    logs.update({"val_" + k: v for k, v in evaluate(net, X_val, y_val, loss).items()})
                _record(history, net, epoch, logs)
            if not (all(np.isfinite(p).all() for p in net.parameters()) and math.isfinite(logs.get("val_loss", 0))):
                raise DivergenceError(_divergence_message("the weights grew too large (inf or NaN)", epoch,
                                                          batch, optimizer, history), history)
            if progress:
                epoch_range.set_postfix({k: f"{v:.4g}" for k, v in logs.items() if k != "lr"})
            if any([c.on_epoch_end(epoch, logs) for c in callbacks]):
                break
    finally:
        net.train(was_training)         # leave the network in the mode it came in
        for c in callbacks:
            c.on_train_end()
        if progress:
            epoch_range.close()
    return history


def backward(net, loss, out):
    """``net.backward(loss.backward())``: the loss's gradient through every layer, last to first.

    The one shortcut in annlib, for a Softmax output with cross-entropy (or a Sigmoid output with BCE):
    the two gradients multiply to (p - y)/n (notebook 4), so that is handed straight to the layer below
    the output. The same numbers, but stable when a probability p is tiny (the long way divides by p)."""
    last = net.layers[-1] if net.layers else None
    if isinstance(last, Softmax) and type(loss) is CategoricalCrossEntropy:
        grad = (out - loss.onehot) / len(out)
    elif isinstance(last, Sigmoid) and type(loss) is BCELoss:
        grad = (out - loss.y) / out.size
    else:
        return net.backward(loss.backward())
    for layer in reversed(net.layers[:-1]):
        grad = layer.backward(grad)
    return grad


def add_penalties(net, l1, l2):
    """The penalty l1·Σ|W| + ½·l2·ΣW² over the weights (returned, for the loss), and its gradient
    l1·sign(W) + l2·W added to each dW. Biases are not penalized."""
    penalty = 0.0
    for layer in net.layers:
        for name in layer.regularized:                    # ("W",) for Dense
            W, dW = getattr(layer, name), getattr(layer, "d" + name)
            if l2:
                penalty += 0.5 * l2 * float(np.sum(W * W))
                dW += l2 * W
            if l1:
                penalty += l1 * float(np.abs(W).sum())
                dW += l1 * np.sign(W)
    return penalty


def _check_targets(net, X, y, loss, name="y"):
    """y as the loss wants it: class labels (n,) for classification, a float array otherwise."""
    y = np.asarray(y)
    if y.shape[0] != X.shape[0]:
        raise ShapeError(f"X has {X.shape[0]} samples but {name} has {y.shape[0]}; give one target per sample.")
    n_out = net.output_features(X.shape[1])
    if isinstance(loss, (CategoricalCrossEntropy, SoftmaxCrossEntropy)):
        if y.ndim == 2 and y.shape[1] == n_out and n_out > 1:
            check_finite(y, name)
            return y
        return class_labels(y, n_out, name)
    y = as_batch(y.reshape(-1, 1) if y.ndim == 1 else y, name, net.dtype)
    if y.shape[1] != n_out:
        raise ShapeError(f"{name} has {y.shape[1]} column(s) but the network has {n_out} output(s).")
    return y


def _check_output(net, loss):
    """Refuse a loss that applies the output activation a second time."""
    last = net.output_activation
    if isinstance(last, Softmax) and isinstance(loss, SoftmaxCrossEntropy):
        raise ValueError("The network already ends in Softmax and SoftmaxCrossEntropy applies softmax again. "
                         "Use loss='cross_entropy' (on probabilities), or build the network without "
                         "output='softmax' so it outputs logits.")
    if isinstance(last, Sigmoid) and isinstance(loss, BCEWithLogitsLoss):
        raise ValueError("The network already ends in Sigmoid and BCEWithLogitsLoss applies the sigmoid again. "
                         "Use loss='bce' (on probabilities), or build the network without output='sigmoid'.")


def _record(history, net, epoch, logs):
    history.epoch.append(epoch)
    for key in ("loss", "accuracy", "val_loss", "val_accuracy", "lr"):
        if key in logs:
            getattr(history, key).append(logs[key])
    for layer in net.param_layers:
        first = layer.param_names[0]                # W for a Dense layer
        history.grad_norm.setdefault(layer.name, []).append(float(np.linalg.norm(getattr(layer, "d" + first))))
        history.weight_norm.setdefault(layer.name, []).append(float(np.linalg.norm(getattr(layer, first))))


def _divergence_message(what, epoch, batch, optimizer, history):
    start = f" (the loss was {history.loss[0]:.4g} after the first epoch)" if history.loss else ""
    return (f"Training diverged in epoch {epoch + 1}, batch {batch + 1}: {what}{start}. "
            f"The learning rate {optimizer.lr:g} is probably too large for this problem; try "
            f"{optimizer.lr / 10:g} or smaller (or clip gradients with clip_norm=1.0). Training stopped.")
