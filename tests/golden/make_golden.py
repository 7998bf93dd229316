"""Record what annlib computes on fixed inputs, so a refactor of the maths can prove it keeps the numbers.

    .venv/bin/python tests/golden/make_golden.py      # writes tests/golden/numbers.npz

Run once, on the code whose numbers are the reference (main before the plain-core rewrite, v1), and
commit the file; tests/test_golden_numbers.py recomputes every entry with today's code and compares.
Only the public API is used, so the same script runs on the old and on the new code.
"""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
import annlib as A  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))

ACTIVATIONS = ["identity", "sigmoid", "tanh", "relu", "leaky_relu", "elu", "gelu", "softplus", "silu", "softmax"]
LOSSES = {
    "mse": (A.MSELoss, "regression"), "mae": (A.MAELoss, "regression"), "huber": (A.HuberLoss, "regression"),
    "bce": (A.BCELoss, "probability"), "bce_logits": (A.BCEWithLogitsLoss, "binary_logits"),
    "cross_entropy": (A.CategoricalCrossEntropy, "probabilities"),
    "softmax_cross_entropy": (A.SoftmaxCrossEntropy, "logits"),
}
OPTIMIZERS = {
    "sgd": lambda: A.SGD(lr=0.1), "momentum": lambda: A.SGD(lr=0.1, momentum=0.9),
    "nesterov": lambda: A.SGD(lr=0.1, momentum=0.9, nesterov=True),
    "sgd_wd": lambda: A.SGD(lr=0.1, weight_decay=0.01), "sgd_clip": lambda: A.SGD(lr=0.1, clip_norm=0.5),
    "adagrad": lambda: A.AdaGrad(lr=0.1), "rmsprop": lambda: A.RMSProp(lr=0.01),
    "adam": lambda: A.Adam(lr=0.01), "adam_wd": lambda: A.Adam(lr=0.01, weight_decay=0.01),
    "adamw": lambda: A.AdamW(lr=0.01, weight_decay=0.1),
}
STEPS = 3           # optimizer steps recorded (the first, and two more so the state matters)


def inputs():
    rng = np.random.default_rng(12345)
    return {"x": rng.standard_normal((6, 4)) * 2, "grad": rng.standard_normal((6, 4)),
            "regression_pred": rng.standard_normal((6, 3)), "regression_true": rng.standard_normal((6, 3)),
            "probability": rng.uniform(0.02, 0.98, (6, 1)), "binary_logits": rng.standard_normal((6, 1)) * 3,
            "binary_true": rng.integers(0, 2, (6, 1)).astype(float),
            "probabilities": A.softmax(rng.standard_normal((6, 5))), "logits": rng.standard_normal((6, 5)) * 2,
            "labels": rng.integers(0, 5, 6),
            "params": [rng.standard_normal((4, 3)), rng.standard_normal(3)],
            "param_grads": [[rng.standard_normal((4, 3)), rng.standard_normal(3)] for _ in range(STEPS)]}


def record_single():
    """Every single computation: layer, activations, losses, a small network's gradients, optimizer steps."""
    d, out = inputs(), {}
    # a Dense layer: output, dW, db, dx
    layer = A.Dense(4, 3, seed=7)
    z = layer.forward(d["x"])
    g = np.random.default_rng(1).standard_normal(z.shape)
    dx = layer.backward(g)
    out.update({"dense.W": layer.W.copy(), "dense.b": layer.b.copy(), "dense.z": z, "dense.dW": layer.dW.copy(),
                "dense.db": layer.db.copy(), "dense.dx": dx})
    # every activation: f, df (element-wise ones), forward and backward
    for name in ACTIVATIONS:
        act = A.get_activation(name)
        out[f"act.{name}.forward"] = act.forward(d["x"])
        out[f"act.{name}.backward"] = act.backward(d["grad"])
        if name != "softmax":
            out[f"act.{name}.f"] = act.f(d["x"])
            out[f"act.{name}.df"] = act.df(d["x"])
    # every loss: value and gradient
    for name, (cls, kind) in LOSSES.items():
        pred = d["regression_pred"] if kind == "regression" else d[kind]
        true = (d["regression_true"] if kind == "regression" else
                d["binary_true"] if kind in ("probability", "binary_logits") else d["labels"])
        loss = cls()
        out[f"loss.{name}.value"] = np.array(loss.forward(pred, true))
        out[f"loss.{name}.grad"] = loss.backward()
    # a small network: forward and every gradient
    net = A.mlp([4, 5, 5], "tanh", output="softmax", seed=3)
    p = net.forward(d["x"])
    ce = A.CategoricalCrossEntropy()
    out["net.loss"] = np.array(ce.forward(p, d["labels"]))
    out["net.dX"] = net.backward(ce.backward())
    for i, grad in enumerate(net.gradients()):
        out[f"net.grad{i}"] = grad.copy()
    # every optimizer: the parameters after each of STEPS steps
    for name, make in OPTIMIZERS.items():
        opt, params = make(), [q.copy() for q in d["params"]]
        for t in range(STEPS):
            opt.step(params, [gq.copy() for gq in d["param_grads"][t]])
            for i, q in enumerate(params):
                out[f"opt.{name}.step{t + 1}.param{i}"] = q.copy()
    return out


def record():
    """record_single() plus short and whole trainings."""
    out = record_single()
    # short trainings of the benchmark's W1 and W3 (first epochs' losses, final weights, accuracy)
    for name, run in TRAININGS.items():
        history, net, acc = run()
        out[f"train.{name}.loss"] = np.array(history.loss)
        out[f"train.{name}.accuracy"] = np.array(acc)
        for i, q in enumerate(net.parameters()):
            out[f"train.{name}.param{i}"] = q.copy()
    for name, epochs in FULL.items():
        out[f"full.{name}.accuracy"] = np.array(TRAININGS[name](epochs)[2])
    return out


def train_w1(epochs=2):
    """W1: digits 64-64-10 ReLU (softmax output, cross-entropy), batch 32, Adam 1e-3, float64."""
    X, y = A.load_digits()
    Xtr, Xte, ytr, yte = A.train_test_split(X, y, test_size=0.2, seed=0)
    net = A.mlp([64, 64, 10], "relu", output="softmax", seed=0)
    h = A.fit(net, Xtr, ytr, loss="cross_entropy", optimizer=A.Adam(lr=1e-3), epochs=epochs, batch_size=32,
              seed=0, progress=False)
    return h, net, A.accuracy(yte, net.predict(Xte))


def train_w3(epochs=3):
    """W3: circle, 2-8-8-2 tanh (softmax output, cross-entropy), batch 10, SGD 0.03, float32."""
    X, y = A.make_circle(1250, noise=0.05, seed=0)
    Xtr, Xte, ytr, yte = A.train_test_split(X, y, test_size=0.2, seed=0)
    net = A.mlp([2, 8, 8, 2], "tanh", output="softmax", seed=0, dtype=np.float32)
    h = A.fit(net, Xtr.astype(np.float32), ytr, loss="cross_entropy", optimizer=A.SGD(lr=0.03), epochs=epochs,
              batch_size=10, seed=0, progress=False)
    return h, net, A.accuracy(yte, net.predict(Xte.astype(np.float32)))


TRAININGS = {"w1": train_w1, "w3": train_w3}
FULL = {"w1": 20, "w3": 100}        # whole trainings (the benchmark's epochs): their accuracy is recorded

if __name__ == "__main__":
    numbers = record()
    np.savez(os.path.join(HERE, "numbers.npz"), **numbers)
    print(f"wrote {len(numbers)} arrays to {os.path.join(HERE, 'numbers.npz')}")
