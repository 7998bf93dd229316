"""Callbacks: hooks into ``fit`` (step 7), called at the start, after every batch, after every epoch and at
the end. ``EarlyStopping`` stops training when the validation loss stops improving.

    fit(net, X, y, ..., validation_data=(X_val, y_val), callbacks=[EarlyStopping(patience=5)])

A plain function ``f(epoch, logs)`` also works as a callback: return True from it to stop training.
"""
import math


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
            raise ValueError(f"EarlyStopping monitors {self.monitor!r} but fit logs only {sorted(logs)}; "
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
