"""Checks of notebook 7 (training): the number of iterations of a training run, the student's own
training loop (trained on the moons data, watched by a counting optimizer and a spy on forward), and
the choice of learning rate and batch size for plain SGD.
"""
import warnings

import numpy as np

from ._check import CORRECT, WRONG, _fmt, _report, call_student, run_check


def check_iterations(n_iterations):
    """Exercise: n_iterations(n_samples, batch_size, epochs) -> the number of updates (iterations) that
    ``epochs`` passes over ``n_samples`` samples make with mini-batches of ``batch_size`` (the last batch
    of an epoch may be smaller and still counts)."""
    import math
    cases = [
        ("n_samples = 100, batch_size = 10, epochs = 5", (100, 10, 5)),
        ("n_samples = 1000, batch_size = 32, epochs = 1 (the last batch has 8 samples)", (1000, 32, 1)),
        ("n_samples = 1437, batch_size = 64, epochs = 20", (1437, 64, 20)),
        ("batch_size = 1 (plain stochastic gradient descent)", (50, 1, 3)),
        ("batch_size larger than the data (full-batch gradient descent)", (200, 500, 7)),
    ]
    return run_check("n_iterations", n_iterations, cases, lambda n, b, e: e * math.ceil(n / b), strict_errors=False)


class _CountingOptimizer:
    """Wraps an optimizer and counts the calls to ``step`` (the updates a training loop makes)."""

    def __init__(self, inner):
        self.inner, self.steps = inner, 0

    def step(self, params, grads):
        self.steps += 1
        return self.inner.step(params, grads)

    def __getattr__(self, name):
        return getattr(self.inner, name)


def check_train_loop(train_loop, target=0.95):
    """Exercise: train_loop(net, X, y, loss, optimizer, epochs, batch_size, rng) -> list of the mean training
    loss of every epoch. Each epoch shuffles the samples (``rng.permutation``), then for every mini-batch
    runs forward, loss, backward and ``optimizer.step(net.parameters(), net.gradients())``.

    The check trains a 2-16-16-2 ReLU network on the moons data (210 training samples, 20 epochs, batches
    of 20, Adam) with your loop and checks: the number of updates, that every sample is used once per epoch, that
    the order is shuffled, the returned losses, and a test accuracy of at least ``target``."""
    import math

    from ..data import make_moons, train_test_split
    from ..losses import SoftmaxCrossEntropy
    from ..network import mlp
    from ..optimizers import Adam
    name = "train_loop"
    X, y = make_moons(300, noise=0.1, seed=7)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, seed=7)
    net = mlp([2, 16, 16, 2], activation="relu", seed=0)         # outputs logits: use SoftmaxCrossEntropy
    epochs, batch_size, n = 20, 20, len(X_train)
    per_epoch = math.ceil(n / batch_size)
    optimizer = _CountingOptimizer(Adam(lr=0.03))
    batches = []
    forward = net.forward

    def spy(x):                          # records every batch the loop feeds forward
        x = np.asarray(x)
        if x.ndim == 2 and len(x) <= batch_size:
            batches.append(x.copy())
        return forward(x)

    net.forward = spy
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            losses, failed = call_student(name, train_loop, net, X_train.copy(), y_train.copy(),
                                           SoftmaxCrossEntropy(), optimizer, epochs, batch_size,
                                           np.random.default_rng(0), strict=False)
    finally:
        del net.forward
    if failed:
        return failed
    setup = f"(n = {n} samples, batch_size = {batch_size}, epochs = {epochs})"
    if optimizer.steps != epochs * per_epoch:
        if optimizer.steps == 0:
            why = "optimizer.step was never called: after backward, call optimizer.step(net.parameters(), net.gradients())."
        elif optimizer.steps == epochs:
            why = "that is one update per epoch: update after every mini-batch, not once per pass."
        elif optimizer.steps == epochs * (n // batch_size):
            why = "the last, smaller batch of each epoch was skipped: range(0, n, batch_size) covers it."
        else:
            why = "one epoch of n samples has ceil(n / batch_size) mini-batches, one update each."
        return _report(name, WRONG, f"❌ {name}: {setup} expected {epochs * per_epoch} updates "
                                    f"({per_epoch} per epoch), your loop made {optimizer.steps}; {why}")
    seen = sum(len(b) for b in batches)
    if seen != epochs * n:
        return _report(name, WRONG, f"❌ {name}: {setup} the network saw {seen} samples in batches of at most "
                                    f"{batch_size}, expected {epochs * n}: every epoch uses every sample exactly once.")
    if len(batches) >= 2 * per_epoch and np.array_equal(batches[0], batches[per_epoch]):
        return _report(name, WRONG, f"❌ {name}: the first batch of epoch 2 equals the first batch of epoch 1, so "
                                    "the data is not shuffled. Draw order = rng.permutation(n) at the start of every "
                                    "epoch and index X[order], y[order].")
    if losses is None or not hasattr(losses, "__len__") or len(losses) != epochs:
        got = "None (did you forget `return`?)" if losses is None else f"{type(losses).__name__}"
        if hasattr(losses, "__len__"):
            got += f" of length {len(losses)}"
        return _report(name, WRONG, f"❌ {name}: return a list with one mean loss per epoch ({epochs} numbers); "
                                    f"got {got}.")
    losses = np.asarray(losses, dtype=float)
    if not np.all(np.isfinite(losses)) or not losses[-1] < 0.9 * losses[0]:
        return _report(name, WRONG, f"❌ {name}: the epoch losses should be finite and go down; got "
                                    f"{_fmt(losses)}. If they stay the same, the weights never change: call "
                                    "net.backward(loss.backward()) before optimizer.step(...).")
    with np.errstate(all="ignore"):
        acc = float(np.mean(net.predict(X_test).argmax(axis=1) == y_test))     # logits -> class
    if acc < target:
        return _report(name, WRONG, f"❌ {name}: the loop runs correctly but the network reached only "
                                    f"{100 * acc:.1f}% test accuracy (target {100 * target:.0f}%). Check that you "
                                    "call net.backward(loss.backward()) before the optimizer step.")
    return _report(name, CORRECT, f"✅ {name}: correct — {optimizer.steps} updates in {epochs} epochs, shuffled, "
                                  f"loss {losses[0]:.3f} → {losses[-1]:.3f}, test accuracy {100 * acc:.1f}%.")


def check_hyperparameters(choose, epochs=20, target=0.95):
    """Exercise: choose() -> (learning_rate, batch_size) with which plain SGD trains a 2-8-1 tanh network on
    the noisy circle data (210 training points) to at least ``target`` test accuracy in ``epochs`` epochs."""
    from ..data import make_circle, train_test_split
    from ..network import mlp
    from ..optimizers import SGD
    from ..training import fit
    from ..validation import DivergenceError
    name = "choose_hyperparameters"
    result, failed = call_student(name, choose, strict=False)
    if failed:
        return failed
    if not (isinstance(result, tuple) and len(result) == 2):
        return _report(name, WRONG, f"❌ {name}: return two values, (learning_rate, batch_size); got {result!r}.")
    lr, batch_size = result
    X, y = make_circle(300, noise=0.1, seed=3)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, seed=3)
    if not (isinstance(lr, (int, float, np.number)) and 0 < lr < 1e6):
        return _report(name, WRONG, f"❌ {name}: the learning rate must be a positive number, got {lr!r}.")
    if not (isinstance(batch_size, (int, np.integer)) and 1 <= batch_size <= len(X_train)):
        return _report(name, WRONG, f"❌ {name}: the batch size must be a whole number from 1 to {len(X_train)}, "
                                    f"got {batch_size!r}.")
    net = mlp([2, 8, 1], activation="tanh", output="sigmoid", seed=0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            history = fit(net, X_train, y_train, loss="bce", optimizer=SGD(lr=float(lr)), epochs=epochs,
                          batch_size=int(batch_size), seed=0, progress=False)
    except DivergenceError:
        return _report(name, WRONG, f"❌ {name}: with learning rate {lr:g} training diverged (the loss blew "
                                    "up): the learning rate is too large. Try a smaller one.")
    except Exception as e:           # e.g. an unusable value: report it, never raise
        return _report(name, WRONG, f"❌ {name}: training with ({lr!r}, {batch_size!r}) failed: {type(e).__name__}: {e}")
    acc = float(np.mean(net.predict(X_test) == y_test))
    updates = history.iterations
    if acc >= target:
        return _report(name, CORRECT, f"✅ {name}: correct — learning rate {lr:g}, batch size {batch_size}: "
                                      f"{updates} updates in {epochs} epochs, test accuracy {100 * acc:.1f}%.")
    hint = (" The loss went up: the learning rate is too large, the steps overshoot." if not
            history.loss[-1] < history.loss[0] else
            " The loss hardly moved: the steps are too small or too few (a larger learning rate, or a smaller "
            "batch size for more updates per epoch)." if history.loss[-1] > 0.6 * history.loss[0] else
            " The loss went down but not far enough: try a nearby learning rate or batch size.")
    return _report(name, WRONG, f"❌ {name}: learning rate {lr:g}, batch size {batch_size}: {updates} updates in "
                                f"{epochs} epochs reached {100 * acc:.1f}% test accuracy (target "
                                f"{100 * target:.0f}%); training loss {history.loss[0]:.3f} → {history.loss[-1]:.3f}."
                                + hint)
