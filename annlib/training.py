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
from .losses import BCELoss, BCEWithLogitsLoss, CategoricalCrossEntropy, SoftmaxCrossEntropy, get_loss
from .callbacks import Callback, _EpochFunction
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
    X, y = _check_data(net, X, y, loss)
    if validation_data is not None:
        if not (isinstance(validation_data, (tuple, list)) and len(validation_data) == 2):
            raise TypeError("validation_data is a pair (X_val, y_val): pass validation_data=(X_val, y_val).")
        X_val, y_val = _check_data(net, *validation_data, loss, "X_val", "y_val")
    _check_output(net, loss)
    classify = isinstance(loss, CLASSIFICATION_LOSSES)
    shortcut = bool(net.layers) and (type(net.layers[-1]), type(loss)) in SHORTCUTS
    logits = isinstance(loss, BCEWithLogitsLoss)        # one output that is a score: class 1 where it is > 0
    true_classes = labels(y) if classify else np.zeros(len(y))
    rng, n = as_rng(seed), X.shape[0]
    limit = _loss_limit(net, loss, X, y, l1, l2)        # beyond this loss training has diverged
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
            start_of_epoch = net.state_dict()                           # restored if this epoch diverges
            order = rng.permutation(n) if shuffle else np.arange(n)     # each sample once per epoch
            X_epoch, y_epoch, true_class = X[order], y[order], true_classes[order]   # the epoch's order
            total_loss, correct = 0.0, 0
            with np.errstate(over="ignore", invalid="ignore"):          # a blow-up is caught by the loss
                for batch, start in enumerate(range(0, n, batch_size)):
                    xb, yb = X_epoch[start:start + batch_size], y_epoch[start:start + batch_size]
                    # notebook 7's loop: forward, loss, backward, update
                    out = net.forward(xb)
                    L = loss.forward(out, yb)
                    if shortcut:
                        backward_from_logits(net, loss, out)        # the same gradients, computed stably
                    else:
                        net.backward(loss.backward())
                    if l1 or l2:                                    # regularization: loss and gradients
                        L += penalty(net, l1, l2)
                        add_penalty_gradients(net, l1, l2)
                    if not math.isfinite(L):
                        net.load_state_dict(start_of_epoch)
                        raise DivergenceError(_divergence_message(f"the loss of batch {batch + 1} became {L}", epoch,
                                                                  optimizer), history)
                    optimizer.step(net.parameters(), net.gradients())
                    history.iterations += 1
                    total_loss += L * len(xb)
                    if classify:
                        correct += np.count_nonzero(labels(out, logits) == true_class[start:start + batch_size])
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
                net.load_state_dict(start_of_epoch)
                raise DivergenceError(_divergence_message("the weights grew too large (inf or NaN)", epoch, optimizer),
                                      history)
            if logs["loss"] > limit:
                net.load_state_dict(start_of_epoch)
                raise DivergenceError(_divergence_message(f"its mean loss grew to {logs['loss']:.4g}, far above "
                                                          f"its start (limit {limit:.4g})", epoch, optimizer), history)
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


# A Softmax output with cross-entropy, or a Sigmoid output with BCE: see backward_from_logits.
SHORTCUTS = {(Softmax, CategoricalCrossEntropy), (Sigmoid, BCELoss)}


def backward_from_logits(net, loss, out):
    """What ``net.backward(loss.backward())`` computes, for the pairs in SHORTCUTS, the one shortcut in annlib.

    The loss's gradient and the output activation's multiply to (p - y)/n (notebook 4), so that is handed
    straight to the layer below the output. The same numbers, but stable when a probability p is tiny,
    where the long way divides by p."""
    grad = (out - loss.onehot) / len(out) if type(loss) is CategoricalCrossEntropy else (out - loss.y) / out.size
    for layer in reversed(net.layers[:-1]):
        grad = layer.backward(grad)
    return grad


def penalty(net, l1, l2):
    """The regularization penalty l1·Σ|W| + ½·l2·ΣW² over the weights (``regularized``: not the biases)."""
    weights = [getattr(layer, name) for layer in net.layers for name in layer.regularized]
    return sum(l1 * float(np.abs(W).sum()) + 0.5 * l2 * float(np.sum(W * W)) for W in weights)


def add_penalty_gradients(net, l1, l2):
    """Add the penalty's gradient l1·sign(W) + l2·W to each weight gradient dW."""
    for layer in net.layers:
        for name in layer.regularized:
            W = getattr(layer, name)
            setattr(layer, "d" + name, getattr(layer, "d" + name) + l1 * np.sign(W) + l2 * W)


def _loss_limit(net, loss, X, y, l1, l2):
    """Training has diverged when an epoch's mean loss exceeds this: 3 times (classification) or 100 times
    (regression: squared errors grow fast) the larger of the untrained loss on the training set and the loss
    of a guess that ignores the input (uniform class probabilities: ln C, or ln 2 per output for BCE; the mean
    target for regression). Measured on digits, circle, sine and two-bump data: runs that learn stay below
    1x (classification) and 12x (regression); learning rates 10 times too large go above it in an epoch or two."""
    with np.errstate(over="ignore", invalid="ignore"):
        start = evaluate(net, X, y, loss)["loss"] + penalty(net, l1, l2)
    if isinstance(loss, (CategoricalCrossEntropy, SoftmaxCrossEntropy)):
        return 3 * max(start, math.log(loss.onehot.shape[1]))         # ln C for C classes
    if isinstance(loss, CLASSIFICATION_LOSSES):
        return 3 * max(start, math.log(2))
    return 100 * max(start, loss.forward(np.broadcast_to(y.mean(axis=0), y.shape), y))


def _check_data(net, X, y, loss, x_name="X", y_name="y"):
    """X as a 2-D float array with at least one sample, and y as the loss wants it."""
    X = as_batch(X, x_name, net.dtype)
    if X.shape[0] == 0:
        raise ValueError(f"{x_name} has no samples (shape {X.shape}); training needs at least one.")
    if y is None:
        raise TypeError(f"fit needs the targets {y_name}, one per sample: fit(net, X, y, ...).")
    return X, _check_targets(net, X, y, loss, y_name)


def _check_targets(net, X, y, loss, name="y"):
    """y as the loss wants it: one-hot rows (n, C) for cross-entropy (labels become one-hot once, here, not in
    the loss at every batch), a float array (n, outputs) otherwise."""
    y = np.asarray(y)
    if y.ndim == 0 or y.shape[0] != X.shape[0]:
        raise ShapeError(f"X has {X.shape[0]} samples but {name} has {len(y) if y.ndim else 0}; give one target per sample.")
    n_out = net.output_features(X.shape[1])
    if isinstance(loss, (CategoricalCrossEntropy, SoftmaxCrossEntropy)):
        if y.ndim == 2 and y.shape[1] == n_out and n_out > 1:
            check_finite(y, name)
            if y.min() < 0 or not np.allclose(y.sum(axis=1), 1):
                raise ValueError(f"{name} has {n_out} columns, so it is read as one-hot (or soft) targets, but its rows "
                                 "are not probabilities (entries >= 0 that sum to 1). Give integer labels (n,) or "
                                 "one-hot rows, e.g. annlib.one_hot(labels).")
            return y.astype(net.dtype, copy=False)
        return np.eye(n_out, dtype=net.dtype)[class_labels(y, n_out, name)]
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


def _divergence_message(what, epoch, optimizer):
    return (f"Training diverged in epoch {epoch + 1}: {what}. The learning rate {optimizer.lr:g} is probably too "
            f"large; try {optimizer.lr / 10:g} or smaller, or clip the gradients (clip_norm=1.0). Training stopped, "
            f"with the weights from the start of epoch {epoch + 1}.")
