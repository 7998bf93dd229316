"""Step 7 of 7: training, the loop that repeats steps 3 to 6.

    epoch      one pass over the whole training set
    batch      a (mini-)batch: the slice of samples used for one update
    iteration  one update = forward, loss, backward, optimizer step on one batch

So one epoch of n samples with batch size B has ceil(n / B) iterations. (Some slides call a batch an
"epoch"; it is not.)

    history = fit(net, X, y, loss="cross_entropy", optimizer=Adam(1e-3), epochs=20, batch_size=32)
"""
import math
from functools import partial

import numpy as np

from .activations import Sigmoid, Softmax
from .layers import as_rng
from .losses import (BCELoss, BCEWithLogitsLoss, CategoricalCrossEntropy, SoftmaxCrossEntropy, get_loss)
from .metrics import accuracy
from .network import can_skip_input_grad
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
            self.best_params = self.net.flat_params.copy()
            return False
        self.wait += 1
        if self.wait >= self.patience:
            self.history.stopped_early = True
            return True
        return False

    def on_train_end(self):
        if self.restore_best and self.best_params is not None:
            self.net.flat_params[...] = self.best_params


def _training_head(net, loss):
    """The layers to run and the loss to train with. A Softmax output followed by cross-entropy is
    trained as SoftmaxCrossEntropy on the logits (gradient p - y, notebook 4), and a Sigmoid output
    with BCE as BCEWithLogitsLoss: the same maths, faster and stable."""
    last = net.output_activation
    if isinstance(last, Softmax) and isinstance(loss, SoftmaxCrossEntropy):
        raise ValueError("The network already ends in Softmax and SoftmaxCrossEntropy applies softmax again. "
                         "Use loss='cross_entropy' (on probabilities), or build the network without "
                         "output='softmax' so it outputs logits.")
    if isinstance(last, Sigmoid) and isinstance(loss, BCEWithLogitsLoss):
        raise ValueError("The network already ends in Sigmoid and BCEWithLogitsLoss applies the sigmoid again. "
                         "Use loss='bce' (on probabilities), or build the network without output='sigmoid'.")
    if isinstance(last, Softmax) and type(loss) is CategoricalCrossEntropy:
        return net.layers[:-1], SoftmaxCrossEntropy()
    if isinstance(last, Sigmoid) and type(loss) is BCELoss:
        return net.layers[:-1], BCEWithLogitsLoss()
    return net.layers, loss


def _check_targets(net, X, y, loss, name="y"):
    """y as the loss wants it: class labels (n,) for classification, a float array otherwise."""
    y = np.asarray(y)
    if y.shape[0] != X.shape[0]:
        raise ShapeError(f"X has {X.shape[0]} samples but {name} has {y.shape[0]}; give one target per sample.")
    n_out = net.output_features(X.shape[1])
    if isinstance(loss, (CategoricalCrossEntropy, SoftmaxCrossEntropy)):
        if y.ndim == 2 and y.shape[1] == n_out and n_out > 1:
            check_finite(y, name)
            return y.argmax(axis=1) if np.all(y.sum(axis=1) == 1) and np.all((y == 0) | (y == 1)) else y
        return class_labels(y, n_out, name)
    y = as_batch(y.reshape(-1, 1) if y.ndim == 1 else y, name, net.dtype)
    if y.shape[1] != n_out:
        raise ShapeError(f"{name} has {y.shape[1]} column(s) but the network has {n_out} output(s).")
    return y


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
        # a single logit (BCEWithLogitsLoss) means class 1 where it is > 0; accuracy() takes outputs as probabilities
        result["accuracy"] = accuracy(y, out > 0 if isinstance(loss, BCEWithLogitsLoss) else out)
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
    if not (isinstance(epochs, (int, np.integer)) and epochs >= 0):
        raise ValueError(f"epochs must be a whole number >= 0, got {epochs!r}.")
    if not net.is_packed():             # a layer in net.layers was replaced: attach it to the flat arrays
        net._pack()
    X = as_batch(X, "X", net.dtype)
    y = _check_targets(net, X, y, loss)
    if validation_data is not None:
        X_val = as_batch(validation_data[0], "X_val", net.dtype)
        y_val = _check_targets(net, X_val, validation_data[1], loss, "y_val")
    if not (isinstance(batch_size, (int, np.integer)) and batch_size > 0):
        raise ValueError(f"batch_size must be a positive integer, got {batch_size!r}.")
    body, head = _training_head(net, loss)
    classify = isinstance(head, CLASSIFICATION_LOSSES)
    threshold = 0.5 if isinstance(head, BCELoss) else 0.0
    rng = as_rng(seed)
    history = history if history is not None else History()
    callbacks = [c if isinstance(c, Callback) else _EpochFunction(c) for c in callbacks]
    regularized = net.regularized_parameters()            # [(W, dW), ...]: biases are not regularized
    params, grads = [net.flat_params], [net.flat_grads]    # the whole network as one array (see network.py)
    n = X.shape[0]
    if classify:
        true_class = _true_class(y)                         # (n,) class of every sample, for the accuracy
        predicted = np.empty(n, dtype=np.intp)              # filled batch by batch, compared once per epoch
    if isinstance(head, (CategoricalCrossEntropy, SoftmaxCrossEntropy)) and y.ndim == 1:
        # Integer labels become one-hot rows once, here, rather than in the loss at every batch: the loss
        # then needs no indexing per batch, and its gradient p - y is a single subtraction.
        y = np.eye(net.output_features(X.shape[1]), dtype=net.dtype)[y]
    backward_layers = body[:0:-1]       # body[1:] in reverse order: the first layer's backward is called last
    first_epoch = len(history.epoch)
    epoch_range = range(first_epoch, first_epoch + epochs)
    if progress:
        from tqdm.auto import tqdm      # imported here: the core imports nothing but numpy
        epoch_range = tqdm(epoch_range, desc="training", unit="epoch")
    # The first layer's input gradient is not needed (nothing lies below it): Dense can skip it.
    backward_first = partial(body[0].backward, input_grad=False) if can_skip_input_grad(body[0]) else body[0].backward
    for c in callbacks:
        c.on_train_begin(net, history)
    was_training = net.training
    net.train()
    try:
        for epoch in epoch_range:
            if schedule is not None:
                optimizer.lr = schedule(epoch)
            order = rng.permutation(n) if shuffle else np.arange(n)
            total_loss = 0.0
            with np.errstate(over="ignore", invalid="ignore"):     # a blow-up is caught below, by the loss
                for start, xb, yb in batches(X, y, batch_size, order):
                    # forward: every layer, then the loss
                    out = xb
                    for layer in body:
                        out = layer.forward(out)
                    L = head.forward(out, yb)
                    # backward: the loss's gradient through every layer in reverse
                    grad = head.backward()
                    for layer in backward_layers:
                        grad = layer.backward(grad)
                    backward_first(grad)
                    # regularization adds to the loss and to the weights' gradients
                    if l1 or l2:
                        L += add_penalties(regularized, l1, l2)
                    if not math.isfinite(L):
                        raise DivergenceError(_divergence_message(f"the loss became {L}", epoch, start // batch_size,
                                                                  optimizer, history), history)
                    optimizer.step(params, grads)
                    history.iterations += 1
                    total_loss += L * len(xb)
                    if classify:
                        _predict_class(out, threshold, predicted[start:start + batch_size])
                    for c in callbacks:
                        c.on_batch_end(history.iterations, {"loss": L, "epoch": epoch})
            logs = {"loss": total_loss / n, "lr": optimizer.lr}
            if classify:
                logs["accuracy"] = np.count_nonzero(predicted == true_class[order]) / n
            with np.errstate(over="ignore", invalid="ignore"):     # the epoch's last update may have blown up
                if validation_data is not None:
                    logs.update({"val_" + k: v for k, v in evaluate(net, X_val, y_val, loss).items()})
                    net.train()
                _record(history, net, epoch, logs)
            if not (np.isfinite(net.flat_params).all() and math.isfinite(logs.get("val_loss", 0.0))):
                raise DivergenceError(_divergence_message("the weights grew too large (inf or NaN)", epoch,
                                                          (n - 1) // batch_size, optimizer, history), history)
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


def add_penalties(regularized, l1, l2):
    """The penalty l1·Σ|W| + ½·l2·ΣW² over the weights (returned, for the loss), and its gradient
    l1·sign(W) + l2·W added to each dW. ``regularized`` is [(W, dW), ...]."""
    penalty = 0.0
    for W, dW in regularized:
        if l2:
            penalty += 0.5 * l2 * float(np.vdot(W, W))
            dW += l2 * W
        if l1:
            penalty += l1 * float(np.abs(W).sum())
            dW += l1 * np.sign(W)
    return penalty


# Above this size (bytes) the training data no longer fits in a CPU's cache: see batches.
LARGE_DATA = 4 * 2**20


def batches(X, y, batch_size, order):
    """The mini-batches of one epoch: yields ``(start, xb, yb)`` with the samples ``order[start:start + batch_size]``.

    Both ways give the same batches; only the speed differs. Small data is put in the new order once per
    epoch, and then every batch is a slice of it (no copy). Large data (over ``LARGE_DATA`` bytes, about a
    CPU cache) is gathered batch by batch instead: each batch is then copied just before the forward pass
    reads it, while it is still in the cache, and no shuffled copy of the whole data set is written to
    memory and read back every epoch.
    """
    if X.nbytes <= LARGE_DATA:
        X, y = X[order], y[order]
        for start in range(0, len(order), batch_size):
            yield start, X[start:start + batch_size], y[start:start + batch_size]
    else:
        for start in range(0, len(order), batch_size):
            rows = order[start:start + batch_size]
            yield start, X[rows], y[rows]


def _predict_class(out, threshold, dest):
    """Write the predicted class of each row of a batch's output into ``dest``. One output: class 1
    where out > threshold (0 for a logit, 0.5 for a probability). Several: the largest output."""
    if out.shape[1] == 1:
        np.greater(out[:, 0], threshold, out=dest)
    else:
        out.argmax(axis=1, out=dest)


def _true_class(y):
    """The class of every target: labels (n,) as they are, one-hot or soft rows (n, C) by their largest
    entry, a single 0/1 column (n, 1) by whether it exceeds 0.5."""
    if y.ndim == 1:
        return y
    if y.shape[1] == 1:
        return (y[:, 0] > 0.5).astype(np.intp)
    return y.argmax(axis=1)


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
