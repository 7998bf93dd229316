"""Save a network to one ``.npz`` file and load it back: the weights as arrays, the architecture as JSON.

No pickle anywhere (``allow_pickle=False``): loading a file cannot run code.
"""
import json
import os

import numpy as np

from . import activations  # noqa: F401  (registers the activation layers in Layer.types)
from .layers import Layer
from .network import Sequential

FORMAT = "annlib-model-1"


def save(net, path):
    """Write ``net`` to ``path`` (.npz). Custom activations cannot be saved (they are Python code)."""
    config = {"format": FORMAT, **net.get_config()}
    arrays = {f"param_{i}": p for i, p in enumerate(net.parameters())}
    np.savez(path, __annlib__=np.array(json.dumps(config)), **arrays)


def _build_layer(cfg):
    """A layer from its config, through the registry of layer types (every Layer subclass by class name)."""
    cfg = dict(cfg)
    kind = cfg.pop("type", None)
    if kind not in Layer.types:
        raise ValueError(f"unknown layer type {kind!r} in the file: define (or import) the class {kind} before load.")
    try:
        return Layer.types[kind](**cfg)
    except TypeError as e:
        raise ValueError(f"the layer type {kind!r} cannot be rebuilt from {cfg}: {e}. A layer's get_config() must "
                         "return its type and exactly the arguments of its constructor.") from None


def load(path):
    """Read a network written by ``save``. Raises ValueError for a file that is not an annlib model."""
    if isinstance(path, (str, os.PathLike)) and not os.path.exists(path) and os.path.exists(f"{path}.npz"):
        path = f"{path}.npz"                    # save(net, "model") wrote model.npz (numpy adds the .npz)
    not_model = (f"{path} is not an annlib model file. Models are .npz files written by annlib.save(net, path)")
    try:
        data = np.load(path, allow_pickle=False)
    except FileNotFoundError:
        raise
    except Exception as e:
        raise ValueError(f"{not_model}; reading it failed with: {e}") from None
    if not isinstance(data, np.lib.npyio.NpzFile) or "__annlib__" not in data.files:
        raise ValueError(f"{not_model}; it has no '__annlib__' entry.")
    with data:
        config = json.loads(str(data["__annlib__"]))
        arrays = [data[f"param_{i}"] for i in range(len(data.files) - 1)]
    if config.get("format") != FORMAT:
        raise ValueError(f"{path}: unknown model format {config.get('format')!r} (expected {FORMAT!r}).")
    net = Sequential([_build_layer(c) for c in config["layers"]])
    params = net.parameters()
    if len(params) != len(arrays) or any(p.shape != a.shape for p, a in zip(params, arrays)):
        raise ValueError(f"{path}: the stored weights do not fit the stored architecture; the file is damaged.")
    for p, a in zip(params, arrays):
        p[...] = a
    net.eval()
    return net
