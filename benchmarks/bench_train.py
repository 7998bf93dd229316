"""Training speed: annlib side by side with a plain numpy MLP, PyTorch (CPU), scikit-learn and a "GEMM
floor", in one run.

    .venv/bin/python benchmarks/bench_train.py              # full run (a few minutes)
    .venv/bin/python benchmarks/bench_train.py --quick      # smoke run: tiny epochs, one repeat
    .venv/bin/python benchmarks/bench_train.py --only W1,W3 --json out.json

Three workloads, each the same MLP, data, batch size, epochs and optimizer in every framework:

    W1  digits (80/20 split), 64-64-10 ReLU, batch 32, 20 epochs, Adam lr 1e-3, float64
    W2  20,000 x 784 synthetic (labels from a random linear teacher), 784-256-256-10 ReLU,
        batch 128, 3 epochs, Adam lr 1e-3, float32
    W3  circle (1,000 training points), 2-8-8-2 tanh, batch 10, 100 epochs, SGD lr 0.03, float32

What each column measures (wall time of training only; data preparation and building the model are
outside the clock; accuracy is on a held-out test set, outside the clock):

    annlib   annlib.fit: per epoch a shuffle and per batch net.forward, the loss, net.backward and
             optimizer.step(net.parameters(), net.gradients()), with fit's checks and its History (the
             loss and accuracy of every epoch, gradient and weight norms).
    numpy    a plain numpy MLP: the from-scratch trainer a student or a CS231n-style assignment writes.
             Lists of W and b arrays; a forward loop (z = a @ W + b, then the activation); softmax
             cross-entropy on the logits with gradient (p - y)/n; a backward loop (dW = aᵀg, db = Σ g,
             g = g Wᵀ times the activation's derivative, not needed below the first layer); textbook
             Adam (m, v, m̂, v̂) or SGD per array; one permutation per epoch, sliced per batch; the epoch's
             loss and accuracy. Idiomatic numpy, no preallocated buffers. It starts from annlib's initial
             weights and shuffles with the same seed, so it ends with annlib's weights (tests check it):
             annlib/numpy is the price of annlib's classes, checks and bookkeeping.
    floor    information only, the "GEMM floor": plain numpy doing only the matrix products annlib's
             step does, with the same shapes and batch sizes: forward x @ W per layer, backward
             dW = xᵀg and dx = gWᵀ per layer. No bias, activation, loss or optimizer, np.dot into
             preallocated arrays: what the products alone cost.
    pytorch  an idiomatic CPU loop: nn.Sequential, nn.CrossEntropyLoss, torch.optim.Adam / SGD, one
             torch.randperm per epoch and tensor slicing per batch (no DataLoader), zero_grad,
             backward, step, and loss.item() per batch for the epoch's mean loss (as annlib records).
             It starts from the same initial weights as annlib.
    sklearn  MLPClassifier with the same sizes, activation, solver, batch size, epochs (max_iter),
             learning rate, alpha=0, momentum=0 for SGD, tol=0 and n_iter_no_change huge so it runs
             every epoch. (For two classes scikit-learn uses one logistic output unit instead of two
             softmax units; that is its design, and it only makes its last layer smaller.)

Targets (the largest allowed ratio annlib time / other time) are in TARGETS: for W1 and W3, at most
0.35x PyTorch, 0.6x scikit-learn and 1.1x the plain numpy MLP. W2 and the floor are information only.

Timing: one warm-up run per framework and workload, then ``--repeats`` (default 5) rounds in which the
frameworks take turns, and the best time of each. Every framework uses the same number of threads
(default: the cores this process may use): numpy's BLAS through threadpoolctl, PyTorch through
torch.set_num_threads. The load average is printed before and after: on a machine where other
processes are busy the times (PyTorch's most of all) are noisy, so judge the targets on a quiet run.

BLAS environment: some machines set OPENBLAS_CORETYPE (forcing an older, slower kernel) or
OPENBLAS_L2_SIZE. OpenBLAS reads them once, when numpy is first imported, so this script removes both
from its *own* environment before importing numpy (it changes nothing outside this process), and
prints which BLAS library, kernel (threadpoolctl's "architecture") and thread count it then uses.
Pass --keep-blas-env to keep them.
"""
import argparse
import json
import math
import os
import sys
import time

# Must happen before numpy is imported (see the docstring).
_REMOVED_BLAS_ENV = {}
if "--keep-blas-env" not in sys.argv and "numpy" not in sys.modules:     # (imported by a test: leave it)
    for _name in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):
        if _name in os.environ:
            _REMOVED_BLAS_ENV[_name] = os.environ.pop(_name)

import warnings  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import annlib  # noqa: E402

try:
    import threadpoolctl
except ImportError:
    threadpoolctl = None
try:
    import torch
except ImportError:
    torch = None
try:
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier
except ImportError:
    MLPClassifier = None

FRAMEWORKS = ("annlib", "numpy", "floor", "pytorch", "sklearn")
RATIOS = ("pytorch", "sklearn", "numpy", "floor")     # annlib / each of these

# Targets from the issue: the largest allowed ratio of annlib's time to another framework's time.
TARGETS = {
    "W1": {"pytorch": 0.35, "sklearn": 0.6, "numpy": 1.1},
    "W3": {"pytorch": 0.35, "sklearn": 0.6, "numpy": 1.1},
}


# ----------------------------------------------------------------------------------------------
# Workloads
# ----------------------------------------------------------------------------------------------
def workloads(quick):
    """The three workloads: data (train/test), network sizes, activation, optimizer, dtype."""
    out = []

    X, y = annlib.load_digits()
    Xtr, Xte, ytr, yte = annlib.train_test_split(X, y, test_size=0.2, seed=0)
    out.append(dict(name="W1", title="digits 64-64-10 relu, batch 32, Adam, float64",
                    data=(Xtr, ytr, Xte, yte), sizes=[64, 64, 10], activation="relu",
                    optimizer="adam", lr=1e-3, batch_size=32, epochs=2 if quick else 20, dtype=np.float64))

    rng = np.random.default_rng(0)
    n_train, n_test = (2_000, 1_000) if quick else (20_000, 5_000)
    X = rng.standard_normal((n_train + n_test, 784)).astype(np.float32)
    teacher = rng.standard_normal((784, 10)).astype(np.float32)     # a random linear teacher
    y = (X @ teacher).argmax(axis=1).astype(np.intp)
    out.append(dict(name="W2", title=f"synthetic {n_train:,}x784, 784-256-256-10 relu, batch 128, Adam, float32",
                    data=(X[:n_train], y[:n_train], X[n_train:], y[n_train:]), sizes=[784, 256, 256, 10],
                    activation="relu", optimizer="adam", lr=1e-3, batch_size=128, epochs=1 if quick else 3,
                    dtype=np.float32))

    X, y = annlib.make_circle(1250, noise=0.05, seed=0)
    Xtr, Xte, ytr, yte = annlib.train_test_split(X, y, test_size=0.2, seed=0)    # 1,000 training points
    out.append(dict(name="W3", title="circle 1,000 points, 2-8-8-2 tanh, batch 10, SGD, float32",
                    data=(Xtr.astype(np.float32), ytr, Xte.astype(np.float32), yte), sizes=[2, 8, 8, 2],
                    activation="tanh", optimizer="sgd", lr=0.03, batch_size=10, epochs=5 if quick else 100,
                    dtype=np.float32))
    return out


def make_annlib_net(w):
    return annlib.mlp(w["sizes"], activation=w["activation"], seed=0, dtype=w["dtype"])


# ----------------------------------------------------------------------------------------------
# One training run per framework: returns (seconds, test accuracy)
# ----------------------------------------------------------------------------------------------
def run_annlib(w):
    Xtr, ytr, Xte, yte = w["data"]
    net = make_annlib_net(w)
    opt = annlib.Adam(lr=w["lr"]) if w["optimizer"] == "adam" else annlib.SGD(lr=w["lr"])
    t0 = time.perf_counter()
    annlib.fit(net, Xtr, ytr, loss="softmax_cross_entropy", optimizer=opt, epochs=w["epochs"],
               batch_size=w["batch_size"], seed=0, progress=False)
    seconds = time.perf_counter() - t0
    return seconds, float(np.mean(net.predict(Xte).argmax(axis=1) == yte))    # the net outputs logits


def run_floor(w):
    """Only the matrix products of annlib's training step, same shapes, same batch sizes: forward x @ W
    per layer, backward dW = xᵀg and dx = gWᵀ per layer (annlib's Dense computes dx in every layer).
    Written as fast as plain numpy allows: np.dot (less call overhead than @ on tiny arrays) into
    preallocated outputs. Information only: it does none of the rest of a training step."""
    Xtr = np.ascontiguousarray(w["data"][0], dtype=w["dtype"])
    n, bs, sizes = Xtr.shape[0], w["batch_size"], w["sizes"]
    rng = np.random.default_rng(0)
    Ws = [(rng.standard_normal((a, b)) / math.sqrt(a)).astype(w["dtype"]) for a, b in zip(sizes[:-1], sizes[1:])]
    dWs = [np.empty_like(W) for W in Ws]
    zs = [np.empty((bs, b), w["dtype"]) for b in sizes[1:]]         # layer outputs (forward)
    gs = [np.empty((bs, a), w["dtype"]) for a in sizes[:-1]]        # input gradients (backward)
    t0 = time.perf_counter()
    for _ in range(w["epochs"]):
        for start in range(0, n, bs):
            x = Xtr[start:start + bs]
            m = x.shape[0]                              # the last batch may be smaller
            xs = [x]
            for W, z in zip(Ws, zs):                    # forward: one product per layer
                xs.append(np.dot(xs[-1], W, out=z[:m]))
            g = xs[-1]                                  # stands in for dL/d(output)
            for i in range(len(Ws) - 1, -1, -1):        # backward: two products per layer
                np.dot(xs[i].T, g, out=dWs[i])          # dW = xᵀ g
                g = np.dot(g, Ws[i].T, out=gs[i][:m])   # dx = g Wᵀ
    return time.perf_counter() - t0, None


def train_numpy(w):
    """A plain numpy MLP, written the way anyone writes one from scratch. It starts from annlib's initial
    weights and shuffles with the same seed, so it computes what annlib.fit computes.
    Returns (seconds, [W1, b1, W2, b2, ...])."""
    X = np.asarray(w["data"][0], dtype=w["dtype"])
    y = w["data"][1]
    n, n_classes = X.shape[0], w["sizes"][-1]
    Y = np.eye(n_classes, dtype=w["dtype"])[y]                      # one-hot targets
    dense = [layer for layer in make_annlib_net(w).layers if isinstance(layer, annlib.Dense)]
    Ws = [d.W.copy() for d in dense]
    bs = [d.b.copy() for d in dense]
    relu = w["activation"] == "relu"
    lr, batch_size = w["lr"], w["batch_size"]
    beta1, beta2, eps = 0.9, 0.999, 1e-8
    params = Ws + bs                                                # the optimizer's view: one list of arrays
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    t = 0
    rng = np.random.default_rng(0)

    t0 = time.perf_counter()
    for epoch in range(w["epochs"]):
        order = rng.permutation(n)
        X_shuffled, Y_shuffled, y_shuffled = X[order], Y[order], y[order]
        total_loss, correct = 0.0, 0
        for start in range(0, n, batch_size):
            xb = X_shuffled[start:start + batch_size]
            yb = Y_shuffled[start:start + batch_size]
            k = len(xb)

            # forward
            activations = [xb]
            a = xb
            for i in range(len(Ws)):
                z = a @ Ws[i] + bs[i]
                if i < len(Ws) - 1:
                    a = np.maximum(z, 0) if relu else np.tanh(z)
                    activations.append(a)

            # softmax cross-entropy on the logits z
            shifted = z - z.max(axis=1, keepdims=True)
            log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
            p = np.exp(log_p)
            total_loss += -np.sum(yb * log_p)
            correct += np.sum(z.argmax(axis=1) == y_shuffled[start:start + batch_size])

            # backward
            g = (p - yb) / k
            dWs, dbs = [None] * len(Ws), [None] * len(Ws)
            for i in range(len(Ws) - 1, -1, -1):
                dWs[i] = activations[i].T @ g
                dbs[i] = g.sum(axis=0)
                if i > 0:
                    a = activations[i]
                    g = g @ Ws[i].T * ((a > 0) if relu else (1 - a ** 2))

            # update
            grads = dWs + dbs
            if w["optimizer"] == "adam":
                t += 1
                for j in range(len(params)):
                    m[j] = beta1 * m[j] + (1 - beta1) * grads[j]
                    v[j] = beta2 * v[j] + (1 - beta2) * grads[j] ** 2
                    m_hat = m[j] / (1 - beta1 ** t)
                    v_hat = v[j] / (1 - beta2 ** t)
                    params[j] -= lr * m_hat / (np.sqrt(v_hat) + eps)
            else:
                for j in range(len(params)):
                    params[j] -= lr * grads[j]
        epoch_loss, epoch_accuracy = total_loss / n, correct / n    # noqa: F841 (what a training log prints)
    seconds = time.perf_counter() - t0
    return seconds, [a for pair in zip(Ws, bs) for a in pair]


def run_numpy(w):
    seconds, weights = train_numpy(w)
    a = np.asarray(w["data"][2], dtype=w["dtype"])
    for i in range(0, len(weights), 2):
        a = a @ weights[i] + weights[i + 1]
        if i < len(weights) - 2:
            a = np.maximum(a, 0) if w["activation"] == "relu" else np.tanh(a)
    return seconds, float(np.mean(a.argmax(axis=1) == w["data"][3]))


def run_pytorch(w):
    Xtr, ytr, Xte, yte = w["data"]
    tdtype = torch.float64 if w["dtype"] == np.float64 else torch.float32
    torch.manual_seed(0)
    layers = []
    sizes = w["sizes"]
    for i, (a, b) in enumerate(zip(sizes[:-1], sizes[1:])):
        layers.append(torch.nn.Linear(a, b))
        if i < len(sizes) - 2:
            layers.append(torch.nn.ReLU() if w["activation"] == "relu" else torch.nn.Tanh())
    model = torch.nn.Sequential(*layers).to(tdtype)
    with torch.no_grad():                              # start from annlib's initial weights
        dense = [layer for layer in make_annlib_net(w).layers if isinstance(layer, annlib.Dense)]
        linear = [layer for layer in model if isinstance(layer, torch.nn.Linear)]
        for d, lin in zip(dense, linear):
            lin.weight.copy_(torch.from_numpy(d.W.T.copy()))
            lin.bias.copy_(torch.from_numpy(d.b.copy()))
    X = torch.from_numpy(np.ascontiguousarray(Xtr, dtype=w["dtype"]))
    y = torch.from_numpy(ytr.astype(np.int64))
    loss_fn = torch.nn.CrossEntropyLoss()
    if w["optimizer"] == "adam":
        opt = torch.optim.Adam(model.parameters(), lr=w["lr"])
    else:
        opt = torch.optim.SGD(model.parameters(), lr=w["lr"])
    gen = torch.Generator().manual_seed(0)
    n, bs = X.shape[0], w["batch_size"]
    t0 = time.perf_counter()
    model.train()
    for _ in range(w["epochs"]):
        perm = torch.randperm(n, generator=gen)
        Xe, ye = X[perm], y[perm]
        running = 0.0
        for start in range(0, n, bs):
            xb, yb = Xe[start:start + bs], ye[start:start + bs]
            opt.zero_grad()
            loss = loss_fn(model(xb), yb)
            loss.backward()
            opt.step()
            running += loss.item() * xb.shape[0]
        _epoch_loss = running / n                  # noqa: F841 (what a training log would print)
    seconds = time.perf_counter() - t0
    model.eval()
    with torch.no_grad():
        pred = model(torch.from_numpy(np.ascontiguousarray(Xte, dtype=w["dtype"]))).argmax(dim=1).numpy()
    return seconds, float(np.mean(pred == yte))


def run_sklearn(w):
    Xtr, ytr, Xte, yte = w["data"]
    kwargs = dict(hidden_layer_sizes=tuple(w["sizes"][1:-1]), activation=w["activation"],
                  solver=w["optimizer"], batch_size=w["batch_size"], max_iter=w["epochs"],
                  learning_rate_init=w["lr"], shuffle=True, tol=0.0, n_iter_no_change=10**9, alpha=0.0,
                  early_stopping=False, random_state=0)
    if w["optimizer"] == "sgd":
        kwargs.update(momentum=0.0, nesterovs_momentum=False, learning_rate="constant")
    clf = MLPClassifier(**kwargs)
    X = np.ascontiguousarray(Xtr, dtype=w["dtype"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)     # "max_iter reached": that is the point
        t0 = time.perf_counter()
        clf.fit(X, ytr)
        seconds = time.perf_counter() - t0
    return seconds, float(np.mean(clf.predict(np.ascontiguousarray(Xte, dtype=w["dtype"])) == yte))


RUNNERS = {"annlib": run_annlib, "numpy": run_numpy, "floor": run_floor, "pytorch": run_pytorch,
           "sklearn": run_sklearn}


def available():
    return {"annlib": True, "numpy": True, "floor": True, "pytorch": torch is not None, "sklearn": MLPClassifier is not None}


def measure(frameworks, w, repeats):
    """Warm up every framework once (imports, BLAS buffers, caches), then time them in turns, round
    after round, so that a burst of load from other processes hits all of them alike."""
    runs = {fw: [] for fw in frameworks}
    for fw in frameworks:
        RUNNERS[fw](w)
    for _ in range(repeats):
        for fw in frameworks:
            runs[fw].append(RUNNERS[fw](w))
    out = {}
    for fw, rs in runs.items():
        times = [t for t, _ in rs]
        out[fw] = {"best": min(times), "median": float(np.median(times)), "times": times, "accuracy": rs[0][1]}
    return out


# ----------------------------------------------------------------------------------------------
# Report
# ----------------------------------------------------------------------------------------------
def blas_description():
    if threadpoolctl is None:
        return "threadpoolctl not installed: BLAS kernel unknown"
    infos = [i for i in threadpoolctl.threadpool_info() if i.get("user_api") == "blas"]
    if not infos:
        return "no BLAS found by threadpoolctl"
    def owner(path):        # which package ships this BLAS: numpy's own, or scipy's (loaded by sklearn)
        parent = os.path.basename(os.path.dirname(path))
        return parent[:-len(".libs")] if parent.endswith(".libs") else os.path.basename(path)
    return "; ".join(f"{owner(i.get('filepath', ''))}: {i.get('internal_api')} {i.get('version')}, "
                     f"kernel {i.get('architecture')}, {i.get('num_threads')} thread(s)" for i in infos)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="smoke run: few epochs, one repeat")
    parser.add_argument("--repeats", type=int, default=None, help="timed runs per entry (default 5, quick 1)")
    parser.add_argument("--threads", type=int, default=None,
                        help="threads for numpy's BLAS and PyTorch (default: the usable cores)")
    parser.add_argument("--only", default=None, help="comma-separated workloads to run, e.g. W1,W3")
    parser.add_argument("--json", metavar="PATH", default=None, help="also write the results as JSON")
    parser.add_argument("--keep-blas-env", action="store_true",
                        help="keep OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE if they are set")
    args = parser.parse_args(argv)
    repeats = args.repeats or (1 if args.quick else 5)
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:
        cores = os.cpu_count() or 1
    threads = args.threads or cores

    limiter = threadpoolctl.threadpool_limits(limits=threads, user_api="blas") if threadpoolctl else None
    if torch is not None:
        torch.set_num_threads(threads)

    print(f"annlib training benchmark ({'quick smoke run' if args.quick else 'full run'}, "
          f"best of {repeats} after a warm-up)")
    print(f"python {sys.version.split()[0]}, numpy {np.__version__}, cores usable {cores}, threads used {threads}")
    print(f"BLAS: {blas_description()}")
    load_before = os.getloadavg() if hasattr(os, "getloadavg") else None
    if load_before:
        print(f"load average (1 min) before: {load_before[0]:.2f} on {cores} core(s)"
              + ("  -- other processes are busy: times will be noisy" if load_before[0] > 0.5 * cores else ""))
    if _REMOVED_BLAS_ENV:
        print("removed from this process's environment before importing numpy: "
              + ", ".join(f"{k}={v}" for k, v in _REMOVED_BLAS_ENV.items()))
    else:
        print("OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE: " +
              ("kept as set (--keep-blas-env)" if args.keep_blas_env else "not set"))
    have = available()
    print("pytorch: " + (f"{torch.__version__}, {torch.get_num_threads()} thread(s)" if have["pytorch"]
                         else "not installed, skipped"))
    if have["sklearn"]:
        import sklearn
        print(f"scikit-learn: {sklearn.__version__}")
    else:
        print("scikit-learn: not installed, skipped")
    print()

    results = {"quick": args.quick, "repeats": repeats, "threads": threads, "blas": blas_description(),
               "removed_env": _REMOVED_BLAS_ENV, "workloads": {}}
    only = set(args.only.upper().split(",")) if args.only else None
    for w in workloads(args.quick):
        if only and w["name"] not in only:
            continue
        n_train = w["data"][0].shape[0]
        steps = w["epochs"] * -(-n_train // w["batch_size"])
        print(f"{w['name']}: {w['title']}, {w['epochs']} epoch(s), "
              f"{n_train:,} training samples, {steps:,} steps")
        res = measure([fw for fw in FRAMEWORKS if have[fw]], w, repeats)
        for fw in FRAMEWORKS:
            if not have[fw]:
                print(f"  {fw:<8} not installed, skipped")
                continue
            acc = res[fw]["accuracy"]
            print(f"  {fw:<8} {res[fw]['best']:8.3f} s  (median {res[fw]['median']:.3f} s, "
                  f"{res[fw]['best'] / steps * 1e6:7.1f} µs/step)"
                  + (f"   test accuracy {acc:6.1%}" if acc is not None else "   (products only)"))
        checks = []
        for other in RATIOS:
            if other not in res:
                continue
            ratio = res["annlib"]["best"] / res[other]["best"]
            target = TARGETS.get(w["name"], {}).get(other)
            verdict = "" if target is None else ("met" if ratio <= target else "missed")
            if target is not None and args.quick:
                verdict += " (quick run: not a real measurement)"
            # The plain numpy MLP against the same framework: how far plain numpy code gets at all.
            numpy_ratio = res["numpy"]["best"] / res[other]["best"] if other not in ("numpy", "floor") else None
            checks.append({"vs": other, "ratio": ratio, "target": target, "verdict": verdict,
                           "numpy_ratio": numpy_ratio})
            tgt = f"target <= {target:g}x  {verdict}" if target is not None else "(no target)"
            if numpy_ratio is not None:
                tgt += f"   (the plain numpy MLP: {numpy_ratio:.3f}x)"
            print(f"  annlib/{other:<8} {ratio:6.3f}x   {tgt}")
        print()
        results["workloads"][w["name"]] = {
            "title": w["title"], "epochs": w["epochs"], "steps": steps, "results": res, "ratios": checks}

    # Summary table
    print("Summary (best time in seconds; ratio = annlib time / other time; target = largest allowed ratio)")
    header = (f"{'':4}" + "".join(f"{fw:>9}" for fw in FRAMEWORKS) + "  "
              + "".join(f"{'/' + other:>16}" for other in RATIOS) + f"  {'accuracy annlib/numpy/torch/sklearn':>36}")
    print(header)
    for name, r in results["workloads"].items():
        res = r["results"]
        times = "".join(f"{res[fw]['best']:9.3f}" if fw in res else f"{'—':>9}" for fw in FRAMEWORKS)
        ratios = ""
        for other in RATIOS:
            c = next((c for c in r["ratios"] if c["vs"] == other), None)
            if c is None:
                ratios += f"{'skipped':>16}"
            elif c["target"] is None:
                ratios += f"{c['ratio']:>7.2f}x{'':9}"
            else:
                mark = "ok" if c["ratio"] <= c["target"] else "MISS"
                ratios += f"{c['ratio']:>7.2f}x<={c['target']:<4g}{mark:>4}"
        accs = "/".join(f"{res[fw]['accuracy']:.1%}" if fw in res else "—"
                        for fw in ("annlib", "numpy", "pytorch", "sklearn"))
        print(f"{name:4}{times}  {ratios}  {accs:>36}")
    print("numpy = a plain from-scratch numpy MLP (same weights, shuffle and maths as annlib.fit); "
          "floor = the matrix products alone (information only).")
    if args.quick:
        print("(quick run: times are too short to judge the targets)")
    if load_before:
        load_after = os.getloadavg()
        print(f"load average (1 min) after: {load_after[0]:.2f} on {cores} core(s)")
        results["loadavg"] = {"before": load_before[0], "after": load_after[0]}

    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=2)
        print(f"results written to {args.json}")
    if limiter is not None:
        limiter.restore_original_limits()
    return results


if __name__ == "__main__":
    main()
