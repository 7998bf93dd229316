"""Checks of notebook 7 (training): the number of iterations of a training run, the student's own
training loop (trained on the moons data, every update watched by ``_Watch``), and
the choice of learning rate and batch size for plain SGD.
"""
import math
import warnings

import numpy as np

from ._check import CORRECT, WRONG, Mistake, _fmt, _report, call_student, run_check, wrong


def _iterations(n, b, e):
    return e * math.ceil(n / b)


_ITERATION_MISTAKES = [
    Mistake("the last, smaller batch of each epoch is not counted: it is still an update, so an epoch has "
            "ceil(n / batch_size) batches (math.ceil), not floor (n // batch_size).",
            result=lambda n, b, e: e * (n // b)),
    Mistake("n / batch_size is not a whole number of batches: round it up, math.ceil(n_samples / batch_size).",
            result=lambda n, b, e: e * n / b),
    Mistake("this is the number of updates of one epoch: multiply by the number of epochs.",
            result=lambda n, b, e: math.ceil(n / b)),
    Mistake("this counts samples, not updates: an update (iteration) uses a whole batch, so divide by the batch "
            "size, rounded up.", result=lambda n, b, e: e * n),
    Mistake("this counts epochs, not updates: each epoch makes ceil(n / batch_size) updates, one per batch.",
            result=lambda n, b, e: e),
    Mistake("the batches are counted from the epochs: there are ceil(n / batch_size) batches per epoch, times "
            "the number of epochs (n_samples / epochs is not a batch count).",
            result=lambda n, b, e: math.ceil(n / e)),
]


def check_iterations(n_iterations):
    """Exercise: n_iterations(n_samples, batch_size, epochs) -> the number of updates (iterations) that
    ``epochs`` passes over ``n_samples`` samples make with mini-batches of ``batch_size`` (the last batch
    of an epoch may be smaller and still counts)."""
    cases = [
        ("n_samples = 100, batch_size = 10, epochs = 5", (100, 10, 5)),
        ("n_samples = 1000, batch_size = 32, epochs = 1 (the last batch has 8 samples)", (1000, 32, 1)),
        ("n_samples = 1437, batch_size = 64, epochs = 20", (1437, 64, 20)),
        ("batch_size = 1 (plain stochastic gradient descent)", (50, 1, 3)),
        ("batch_size larger than the data (full-batch gradient descent)", (200, 500, 7)),
    ]
    return run_check("n_iterations", n_iterations, cases, _iterations, strict_errors=False,
                     mistakes=_ITERATION_MISTAKES)


class _Watch:
    """Watches the pieces a training loop calls. At every ``optimizer.step`` it records the update: the
    rows of X that went through ``net.forward`` last, the targets ``loss.forward`` got last with the loss
    it returned, and whether ``net.backward`` ran since the previous update."""

    def __init__(self, net, loss, optimizer):
        self.net, self.loss, self.inner = net, loss, optimizer
        self.updates, self.x, self.y, self.value, self.backward_ran = [], None, None, None, False
        forward, backward, compute_loss = net.forward, net.backward, loss.forward

        def net_forward(x):
            self.x = np.array(x, copy=True)
            return forward(x)

        def net_backward(grad):
            self.backward_ran = True
            return backward(grad)

        def loss_forward(y_pred, y_true):
            self.y, self.value = np.array(y_true, copy=True), compute_loss(y_pred, y_true)
            return self.value

        net.forward, net.backward, loss.forward = net_forward, net_backward, loss_forward

    def step(self, params, grads):
        self.updates.append((self.x, self.y, self.value, self.backward_ran))
        self.backward_ran = False
        return self.inner.step(params, grads)

    def __getattr__(self, name):
        return getattr(self.inner, name)

    def stop(self):
        del self.net.forward, self.net.backward, self.loss.forward


_TRAIN_SETUP = dict(epochs=20, batch_size=20)


def _moons():
    from ..data import make_moons, train_test_split
    X, y = make_moons(300, noise=0.1, seed=7)
    return train_test_split(X, y, test_size=0.3, seed=7)


def _run_train_loop(name, train_loop, seed):
    """Train a fresh 2-16-16-2 network on the moons with the student's loop and the rng ``seed``.
    Returns (returned losses, watch, net, None) or (None, None, None, CheckResult) if the loop raised."""
    from ..losses import SoftmaxCrossEntropy
    from ..network import mlp
    from ..optimizers import Adam
    X_train, _, y_train, _ = _moons()
    net = mlp([2, 16, 16, 2], activation="relu", seed=0)         # outputs logits: use SoftmaxCrossEntropy
    watch = _Watch(net, SoftmaxCrossEntropy(), Adam(lr=0.03))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            losses, failed = call_student(name, train_loop, net, X_train.copy(), y_train.copy(), watch.loss, watch,
                                          _TRAIN_SETUP["epochs"], _TRAIN_SETUP["batch_size"],
                                          np.random.default_rng(seed), strict=False)
    finally:
        watch.stop()
    return (None, None, None, failed) if failed else (losses, watch, net, None)


def _epoch_orders(watch, X, per_epoch):
    """The sample indices of every update, epoch by epoch: a list of index arrays, or None where a batch
    holds rows that are not rows of X."""
    row_index = {row.tobytes(): i for i, row in enumerate(X)}
    orders = []
    for e in range(len(watch.updates) // per_epoch):
        idx = []
        for x, _, _, _ in watch.updates[e * per_epoch:(e + 1) * per_epoch]:
            if x is None or x.ndim != 2 or x.shape[1] != X.shape[1]:
                return None
            found = [row_index.get(np.ascontiguousarray(row, dtype=X.dtype).tobytes()) for row in x]
            if None in found:
                return None
            idx.extend(found)
        orders.append(np.array(idx))
    return orders


def _targets_follow_inputs(watch, y, orders, per_epoch):
    """Did loss.forward get, at every update, the labels of exactly the samples that went forward?"""
    for e, order in enumerate(orders):
        ys = [u[1] for u in watch.updates[e * per_epoch:(e + 1) * per_epoch]]
        if any(v is None for v in ys):
            return False
        got = np.concatenate([v.argmax(axis=1) if v.ndim == 2 else v.ravel() for v in ys])
        if got.shape != order.shape or not np.array_equal(got, y[order]):
            return False
    return True


def _loss_mistake(returned, batch_losses, sizes):
    """Which wrong number per epoch the returned losses are, or None if they are the epoch means."""
    weighted = [float(np.dot(L, s) / np.sum(s)) for L, s in zip(batch_losses, sizes)]
    plain = [float(np.mean(L)) for L in batch_losses]
    if np.allclose(returned, weighted, rtol=1e-6) or np.allclose(returned, plain, rtol=1e-6):
        return None
    candidates = [
        ([L[-1] for L in batch_losses], "these are the losses of each epoch's last batch, not the epoch means: "
                                         "add up the batch losses over the epoch (times the batch size) and "
                                         "divide by n at its end."),
        ([L[0] for L in batch_losses], "these are the losses of each epoch's first batch, not the epoch means."),
        ([np.sum(L) for L in batch_losses], "this is the sum of the batch losses: divide by the number of batches "
                                            "(or weight by batch size and divide by n) for the mean."),
        ([np.dot(L, s) for L, s in zip(batch_losses, sizes)],
         "this is the sum of loss × batch size: divide it by n, the number of samples, for the epoch mean."),
        (np.cumsum([np.dot(L, s) / np.sum(s) for L, s in zip(batch_losses, sizes)]),
         "the running total is not reset at the start of each epoch: set it to 0 inside the epoch loop."),
    ]
    for values, says in candidates:
        if np.allclose(returned, values, rtol=1e-6):
            return says
    return ("each entry should be the mean training loss of one epoch (the mean of that epoch's batch losses); "
            "your numbers are none of the usual mix-ups (the last batch, a sum, a running total).")


def check_train_loop(train_loop, target=0.95):
    """Exercise: train_loop(net, X, y, loss, optimizer, epochs, batch_size, rng) -> list of the mean training
    loss of every epoch. Each epoch shuffles the samples (``rng.permutation``), then for every mini-batch
    runs forward, loss, backward and ``optimizer.step(net.parameters(), net.gradients())``.

    The check trains a 2-16-16-2 ReLU network on the moons data (210 training samples, 20 epochs, batches
    of 20, Adam) with your loop, watching every update, and checks: the number of updates, that backward
    ran before each; that every epoch uses every sample exactly once, in a new order, drawn from the rng
    you are given (the same seed gives the same order); that the labels go with their inputs; that each
    returned loss is its epoch's mean; and a test accuracy of at least ``target``."""
    name = "train_loop"
    X_train, X_test, y_train, y_test = _moons()
    epochs, batch_size, n = _TRAIN_SETUP["epochs"], _TRAIN_SETUP["batch_size"], len(X_train)
    per_epoch = math.ceil(n / batch_size)
    setup = f"(n = {n} samples, batch_size = {batch_size}, epochs = {epochs})"
    losses, watch, net, failed = _run_train_loop(name, train_loop, seed=0)
    if failed:
        return failed
    steps = len(watch.updates)
    if steps != epochs * per_epoch:
        if steps == 0:
            why = "optimizer.step was never called: after backward, call optimizer.step(net.parameters(), net.gradients())."
        elif steps == epochs:
            why = "that is one update per epoch: update after every mini-batch, not once per pass."
        elif steps == epochs * (n // batch_size):
            why = "the last, smaller batch of each epoch was skipped: range(0, n, batch_size) covers it."
        elif steps == per_epoch:
            why = "that is one epoch: repeat the pass over the data `epochs` times."
        else:
            why = "one epoch of n samples has ceil(n / batch_size) mini-batches, one update each."
        return wrong(name, why, f"{setup}: expected {epochs * per_epoch} updates ({per_epoch} per epoch), "
                                f"your loop made {steps}.")
    if not all(u[3] for u in watch.updates):
        return wrong(name, "optimizer.step ran without net.backward before it, so it used stale or zero "
                           "gradients: call net.backward(loss.backward()) after the loss and before every step.")
    orders = _epoch_orders(watch, X_train, per_epoch)
    if orders is None:
        return wrong(name, "the batches that went through net.forward are not rows of X: feed the network "
                           "X[order[start:start + batch_size]], the rows of the data as given.")
    for e, order in enumerate(orders):
        if len(order) != n or len(np.unique(order)) != n:
            unseen = n - len(np.unique(order))
            return wrong(name, "an epoch uses every sample exactly once: your epoch drew samples with replacement "
                               "(rng.choice(n, n) or rng.integers), so some appear twice and others never. "
                               "Use order = rng.permutation(n).",
                         f"epoch {e + 1}: {len(order)} samples went forward, {unseen} of the {n} were never used.")
    if not _targets_follow_inputs(watch, y_train, orders, per_epoch):
        return wrong(name, "the labels given to the loss are not the labels of the inputs that went forward: you "
                           "shuffled X but not y (or sliced them differently). Index both with the same order: "
                           "X[idx] and y[idx].")
    if np.array_equal(orders[0], np.arange(n)):
        return wrong(name, "the data is not shuffled: epoch 1 takes the samples in their stored order. Draw "
                           "order = rng.permutation(n) at the start of every epoch and index X[order], y[order].")
    if all(np.array_equal(o, orders[0]) for o in orders[1:]):
        return wrong(name, "every epoch uses the same order: the permutation is drawn once, before the epochs. "
                           "Draw a new order = rng.permutation(n) at the start of every epoch.")
    reference = np.random.default_rng(0)
    if not all(np.array_equal(o, reference.permutation(n)) for o in orders):
        again = _run_train_loop(name, train_loop, seed=0)
        other = _run_train_loop(name, train_loop, seed=1)
        if again[3] or other[3]:
            return again[3] or other[3]
        if _epoch_orders(again[1], X_train, per_epoch)[0].tolist() != orders[0].tolist():
            return wrong(name, "two runs with the same rng gave different orders: draw the order from the rng you "
                               "are given (rng.permutation(n)), not from np.random, so a seed reproduces the run.")
        if _epoch_orders(other[1], X_train, per_epoch)[0].tolist() == orders[0].tolist():
            return wrong(name, "another rng seed gave the same order: draw the order from the rng argument "
                               "(rng.permutation(n)), not from a generator you make inside the loop.")
    if losses is None or not hasattr(losses, "__len__") or len(losses) != epochs:
        got = "None (did you forget `return`?)" if losses is None else f"{type(losses).__name__}"
        if hasattr(losses, "__len__"):
            got += f" of length {len(losses)}"
        return wrong(name, f"return a list with one mean loss per epoch ({epochs} numbers); got {got}.")
    try:
        losses = np.asarray(losses, dtype=float)
    except (TypeError, ValueError):
        return wrong(name, "return a list of numbers (one mean loss per epoch), e.g. float(total / n).")
    batch_losses = [np.array([float(u[2]) for u in watch.updates[e * per_epoch:(e + 1) * per_epoch]])
                    for e in range(epochs)]
    sizes = [np.array([len(u[0]) for u in watch.updates[e * per_epoch:(e + 1) * per_epoch]]) for e in range(epochs)]
    says = _loss_mistake(losses, batch_losses, sizes)
    if says:
        means = [float(np.dot(L, s) / np.sum(s)) for L, s in zip(batch_losses, sizes)]
        return wrong(name, says, f"returned:    {_fmt(losses)}\nepoch means: {_fmt(np.array(means))}")
    if not np.all(np.isfinite(losses)) or not losses[-1] < 0.9 * losses[0]:
        return wrong(name, f"the epoch losses should be finite and go down; got {_fmt(losses)}.")
    with np.errstate(all="ignore"):
        acc = float(np.mean(net.predict(X_test).argmax(axis=1) == y_test))     # logits -> class
    if acc < target:
        return wrong(name, f"the loop runs correctly but the network reached only {100 * acc:.1f}% test accuracy "
                           f"(target {100 * target:.0f}%).")
    return _report(name, CORRECT, f"✅ {name}: correct — {steps} updates in {epochs} epochs, every sample once per "
                                  f"epoch in a new order from your rng, loss {losses[0]:.3f} → {losses[-1]:.3f}, "
                                  f"test accuracy {100 * acc:.1f}%.")


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
