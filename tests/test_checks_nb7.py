"""Notebook 7 exercise checks: each accepts a right answer, rejects typical wrong ones with a useful message,
reports a stub as not implemented, and never raises."""
import math

import numpy as np
import pytest

from annlib import checks
from student_fakes import stub


def crash(*args):
    return {}["missing"]          # some other error in the student's code


# ---------------------------------------------------------------------------------------------
# n_iterations
# ---------------------------------------------------------------------------------------------
def test_iterations_accepts_right_answers():
    assert checks.check_iterations(lambda n, b, e: e * math.ceil(n / b)).passed
    assert checks.check_iterations(lambda n, b, e: e * (-(-n // b))).passed


@pytest.mark.parametrize("wrong, words", [
    (lambda n, b, e: e * (n // b), "not floor"),              # drops the last, smaller batch
    (lambda n, b, e: e * n / b, "round it up"),               # not a whole number
    (lambda n, b, e: e, "counts epochs"),                     # one update per epoch
    (lambda n, b, e: n * e, "counts samples"),                # one update per sample
    (lambda n, b, e: math.ceil(n / b), "multiply by the number of epochs"),
    (lambda n, b, e: None, "return"),
    (lambda n, b, e: "many", "dtype"),
])
def test_iterations_rejects_typical_mistakes(wrong, words, capsys):
    result = checks.check_iterations(wrong)
    assert result.status == checks.WRONG
    assert words in result.message


def test_iterations_stub_and_crash():
    assert checks.check_iterations(stub).status == checks.NOT_IMPLEMENTED
    result = checks.check_iterations(crash)
    assert result.status == checks.WRONG and "KeyError" in result.message


# ---------------------------------------------------------------------------------------------
# train_loop
# ---------------------------------------------------------------------------------------------
def make_loop(order="permutation", skip_last=False, per_epoch_update=False, ret="losses", backward=True,
              epoch_loss="weighted mean"):
    """A training loop written the way a student might write it; every argument is one way to get it wrong."""
    def train_loop(net, X, y, loss, optimizer, epochs, batch_size, rng):
        n = len(X)
        losses, once, total = [], rng.permutation(n), 0.0
        own = np.random.default_rng(123)
        for _ in range(epochs):
            idx = {"permutation": lambda: rng.permutation(n),
                   "shuffle in place": lambda: _shuffled(rng, n),
                   "none": lambda: np.arange(n),
                   "with replacement": lambda: rng.choice(n, n),
                   "drawn once": lambda: once,
                   "np.random": lambda: np.random.permutation(n),
                   "own rng": lambda: own.permutation(n),
                   "X only": lambda: rng.permutation(n)}[order]()
            Xs, ys = X[idx], (y if order == "X only" else y[idx])
            if epoch_loss != "running total":
                total = 0.0
            batch_losses = []
            stop = n - n % batch_size if skip_last else n
            for start in range(0, stop, batch_size):
                xb, yb = Xs[start:start + batch_size], ys[start:start + batch_size]
                out = net.forward(xb)
                L = loss.forward(out, yb)
                if backward:
                    net.backward(loss.backward())
                if not per_epoch_update:
                    optimizer.step(net.parameters(), net.gradients())
                total += L * len(xb)
                batch_losses.append(L)
            if per_epoch_update:
                optimizer.step(net.parameters(), net.gradients())
            losses.append({"weighted mean": total / n, "running total": total / n,
                           "mean of batches": np.mean(batch_losses), "last batch": L,
                           "sum of batches": np.sum(batch_losses), "not divided": total}[epoch_loss])
        return {"losses": losses, "none": None, "short": losses[:1]}[ret]
    return train_loop


def _shuffled(rng, n):
    idx = np.arange(n)
    rng.shuffle(idx)
    return idx


@pytest.mark.parametrize("loop", [make_loop(), make_loop(order="shuffle in place"),
                                  make_loop(epoch_loss="mean of batches")],
                         ids=["permutation", "rng.shuffle", "mean of the batch losses"])
def test_train_loop_accepts_a_correct_loop(loop):
    result = checks.check_train_loop(loop)
    assert result.passed, result.message
    assert "test accuracy" in result.message


def test_train_loop_accepts_a_loop_that_also_evaluates_the_full_set():
    inner = make_loop()

    def loop(net, X, y, loss, optimizer, epochs, batch_size, rng):
        losses = inner(net, X, y, loss, optimizer, epochs, batch_size, rng)
        net.forward(X)                # an extra forward over all samples is fine
        return losses
    assert checks.check_train_loop(loop).passed


@pytest.mark.parametrize("loop, words", [
    (make_loop(order="none"), "not shuffled"),
    (make_loop(order="with replacement"), "every sample exactly once"),
    (make_loop(order="drawn once"), "drawn once, before the epochs"),
    (make_loop(order="np.random"), "not from np.random"),
    (make_loop(order="own rng"), "another rng seed gave the same order"),
    (make_loop(order="X only"), "shuffled X but not y"),
    (make_loop(epoch_loss="last batch"), "last batch"),
    (make_loop(epoch_loss="sum of batches"), "sum of the batch losses"),
    (make_loop(epoch_loss="not divided"), "divide it by n"),
    (make_loop(epoch_loss="running total"), "not reset"),
    (make_loop(skip_last=True), "last, smaller batch"),
    (make_loop(per_epoch_update=True), "one update per epoch"),
    (make_loop(ret="none"), "forget `return`"),
    (make_loop(ret="short"), "one mean loss per epoch"),
    (make_loop(backward=False), "without net.backward"),
], ids=lambda v: "" if callable(v) else v)
def test_train_loop_names_each_typical_mistake(loop, words):
    result = checks.check_train_loop(loop)
    assert result.status == checks.WRONG
    assert words in result.message, result.message


def test_train_loop_rejects_a_loop_that_never_steps():
    def loop(net, X, y, loss, optimizer, epochs, batch_size, rng):
        return [1.0] * epochs
    result = checks.check_train_loop(loop)
    assert result.status == checks.WRONG and "never called" in result.message


def test_train_loop_stub_and_crash_never_raise():
    assert checks.check_train_loop(stub).status == checks.NOT_IMPLEMENTED
    result = checks.check_train_loop(crash)
    assert result.status == checks.WRONG and "KeyError" in result.message

    def garbage(net, X, y, loss, optimizer, epochs, batch_size, rng):
        net.forward(np.ones((3, 5)))          # wrong shape: the network raises inside the student's code
    result = checks.check_train_loop(garbage)
    assert result.status == checks.WRONG


# ---------------------------------------------------------------------------------------------
# choose_hyperparameters
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("choice", [(0.3, 8), (1.0, 16), (0.1, 1)])
def test_hyperparameters_accepts_good_choices(choice):
    result = checks.check_hyperparameters(lambda: choice)
    assert result.passed, result.message


@pytest.mark.parametrize("choice, words", [
    ((0.01, 32), "hardly moved"),          # the defaults: too few, too small steps
    ((1e5, 1), "too large"),               # far too large: the loss goes up (or diverges)
    ((0.3, 0), "batch size"),
    ((0.3, 8.5), "batch size"),
    ((-1, 8), "learning rate"),
    ((0.3,), "two values"),
    (None, "two values"),
])
def test_hyperparameters_rejects_bad_choices(choice, words):
    result = checks.check_hyperparameters(lambda: choice)
    assert result.status == checks.WRONG
    assert words in result.message, result.message


def test_hyperparameters_stub_and_crash():
    assert checks.check_hyperparameters(stub).status == checks.NOT_IMPLEMENTED
    assert checks.check_hyperparameters(crash).status == checks.WRONG
