"""The playground of notebook 7: a live trainer in the notebook, in the spirit of TensorFlow Playground.

Three parts, one module each, plus the control builders:

    trainer.py   Trainer: the pure training state (numpy + the annlib core only): data, network,
                 optimizer, history. ``tick()`` trains a few epochs; ``reset()``, ``regenerate()``,
                 ``set(lr=...)``; ``snapshot()`` returns everything the figure shows, as numbers. Tests drive this.
    view.py      PlaygroundView: the figure (matplotlib), built once, then only its artists are updated per tick.
    app.py       Playground: the widget (ipywidgets): controls -> Trainer -> PlaygroundView -> a PNG image.
                 A ``Play`` widget advances training a few epochs per tick, so pause works.
    controls.py  the slider and dropdown builders of the Playground and of every other widget.

    pg = widgets.playground()                 # in a notebook: shows the whole trainer
    state = pg.set(dataset="xor")             # change a control from code, get the state back
    state = pg.tick(10)                       # train 10 ticks (what the Play button does)

The student can plug in an activation ``(f, df)`` or an optimizer step of their own, in notebook 6's form
``step(param, grad, state, lr)`` (in place): ``widgets.playground(activations={"mine": (f, df)},
optimizers={"my sgd": step})``.

``from annlib.playground import Trainer`` loads numpy and the core only; ``Playground``, ``PlaygroundView``
and ``HELP`` (matplotlib, ipywidgets) are imported the first time they are asked for.
"""
from .trainer import (ACTIVATION_NAMES, FEATURES, LEARNING_RATES, LIMIT, MAX_LAYERS, MAX_NEURONS,
                      OPTIMIZER_NAMES, PROBLEMS, REG_RATES, REGULARIZATIONS, FunctionOptimizer, Trainer,
                      feature_matrix, parse_hidden)


def __getattr__(name):
    """The parts that need matplotlib and ipywidgets, imported on first use (``annlib.playground.Playground``)."""
    if name in ("Playground", "HELP"):
        from . import app
        return getattr(app, name)
    if name == "PlaygroundView":
        from .view import PlaygroundView
        return PlaygroundView
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
