"""Save a network to one ``.npz`` file and load it back: the weights as arrays, the architecture as JSON.

No pickle anywhere (``allow_pickle=False``): loading a file cannot run code. ``save`` writes a temporary
file beside the target and renames it into place, so a failed or interrupted save never damages the model
that was there. ``load`` checks the whole file before it builds anything and answers any problem with a
``ValueError`` that names the file and what is wrong.
"""
import json
import os
import tempfile

import numpy as np

from . import activations  # noqa: F401  (registers the activation layers in Layer.types)
from .layers import Layer
from .network import Sequential

FORMAT = "annlib-model-1"
MAX_WEIGHTS = 10**8         # more weights than this in one layer: not a file annlib wrote (checked before allocating)


def save(net, path):
    """Write ``net`` to ``path`` (``.npz`` is added if missing). Custom activations cannot be saved."""
    if not isinstance(net, Sequential):
        raise TypeError(f"save takes a network (Sequential), got {type(net).__name__}; for one layer: "
                        "save(Sequential(layer), path).")
    config = json.dumps({"format": FORMAT, **net.get_config()})        # fails before any file is touched
    path = os.fspath(path)
    path = path if path.endswith(".npz") else path + ".npz"
    fd, tmp = tempfile.mkstemp(suffix=".npz", dir=os.path.dirname(os.path.abspath(path)))
    try:
        with os.fdopen(fd, "wb") as f:
            np.savez(f, __annlib__=np.array(config), **{f"param_{i}": p for i, p in enumerate(net.parameters())})
        os.replace(tmp, path)               # atomic: the old file stays whole until the new one is complete
    except BaseException:
        os.remove(tmp)
        raise


def load(path):
    """Read a network written by ``save``. Raises ValueError for a file that is not a valid annlib model."""
    if isinstance(path, (str, os.PathLike)) and not os.path.exists(path) and os.path.exists(f"{path}.npz"):
        path = f"{path}.npz"                    # save(net, "model") wrote model.npz
    try:
        data = np.load(path, allow_pickle=False)
    except FileNotFoundError:
        raise
    except Exception as e:
        reason = "it is not a .npz archive of arrays" if "pickle" in str(e) else str(e)
        raise ValueError(f"{path} is not an annlib model file (written by annlib.save): {reason}.") from None
    if not isinstance(data, np.lib.npyio.NpzFile):
        raise ValueError(f"{path} is not an annlib model file (written by annlib.save): it holds one array, not a model.")
    with data:
        try:
            net = Sequential([_build_layer(cfg) for cfg in _read_config(data)])
            _read_weights(data, net)
        except ValueError as e:
            raise ValueError(f"{path}{'' if str(e).startswith('is not') else ':'} {e}") from None
    net.eval()
    return net


def _read_config(data):
    """The list of layer configs, after checking the JSON's keys, types and sizes."""
    if "__annlib__" not in data.files:
        raise ValueError("is not an annlib model file: it has no '__annlib__' entry (files written by annlib.save have).")
    try:
        config = json.loads(str(data["__annlib__"]))
    except (ValueError, TypeError) as e:
        raise ValueError(f"the architecture is not valid JSON ({e}); the file is damaged.") from None
    if not isinstance(config, dict) or config.get("format") != FORMAT:
        found = config.get("format") if isinstance(config, dict) else type(config).__name__
        raise ValueError(f"unknown model format {found!r} (expected {FORMAT!r}).")
    layers = config.get("layers")
    if not (isinstance(layers, list) and all(isinstance(c, dict) and isinstance(c.get("type"), str) for c in layers)):
        raise ValueError("'layers' must be a list of layer descriptions, each with a 'type'; the file is damaged.")
    for i, cfg in enumerate(layers):
        sizes = [cfg.get(k) for k in ("n_in", "n_out") if k in cfg]
        if not all(type(n) is int and n > 0 for n in sizes) or np.prod(sizes, dtype=float) > MAX_WEIGHTS:
            raise ValueError(f"layer {i} ({cfg['type']}) has impossible sizes {sizes}; the file is damaged.")
    return layers


def _build_layer(cfg):
    """A layer from its config, through the registry of layer types (every Layer subclass by class name)."""
    cfg = dict(cfg)
    kind = cfg.pop("type")
    if kind not in Layer.types or kind == "Sequential":
        raise ValueError(f"unknown layer type {kind!r}: define (or import) the class {kind} before load.")
    try:
        return Layer.types[kind](**cfg)
    except (TypeError, ValueError) as e:
        raise ValueError(f"the layer type {kind!r} cannot be rebuilt from {cfg}: {e}. A layer's get_config() must "
                         "return its type and exactly the arguments of its constructor.") from None


def _read_weights(data, net):
    """Copy the stored arrays into the network's parameters, checking names, shapes, dtypes and values
    (each array's header is read first, so a damaged size never makes numpy allocate it)."""
    params = net.parameters()
    expected = {f"param_{i}" for i in range(len(params))}
    stored = set(data.files) - {"__annlib__"}
    if stored != expected:
        raise ValueError(f"the stored weights do not fit the stored architecture: it has {len(params)} parameter "
                         f"arrays but the file stores {sorted(stored)}; the file is damaged.")
    for i, p in enumerate(params):
        with data.zip.open(f"param_{i}.npy") as f:
            version = np.lib.format.read_magic(f)
            read_header = {(1, 0): np.lib.format.read_array_header_1_0,
                           (2, 0): np.lib.format.read_array_header_2_0}.get(version)
            if read_header is None:
                raise ValueError(f"param_{i} is stored in an unknown .npy format {version}; the file is damaged.")
            shape, _, dtype = read_header(f)
        if shape != p.shape or dtype != p.dtype:
            raise ValueError(f"param_{i} is {dtype} of shape {shape}, but the architecture needs {p.dtype} of shape "
                             f"{p.shape}; the file is damaged.")
        a = data[f"param_{i}"]
        if not np.isfinite(a).all():
            raise ValueError(f"param_{i} holds NaN or inf weights; the model was saved after training diverged.")
        p[...] = a
