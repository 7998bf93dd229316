"""Widget of notebook 7 (training): ``playground(...)``, the live trainer. It only builds the
``Playground`` widget; the trainer, its figure and its controls live in the package ``annlib.playground``.
"""
from ..playground.app import Playground

def playground(dataset="circle", hidden=(4, 2), features=("x1", "x2"), activation="tanh", lr=0.03,
               optimizer="sgd", regularization="none", reg_rate=0.0, batch_size=10, noise=0.0, train_fraction=0.5,
               epochs_per_tick=5, seed=0, activations=None, optimizers=None, **kwargs):
    """The live trainer of notebook 7 (TensorFlow-Playground style); see the package ``annlib.playground``.

    Press ▶ to train; while it trains it shows ❚❚, press that to pause (■ stops too). In code:
    ``pg.tick(n)`` trains n ticks of ``epochs_per_tick`` epochs, ``pg.set(lr=0.1)`` changes a control
    (training settings keep the weights), ``pg.reset()`` restarts from the same initial weights,
    ``pg.regenerate()`` draws new data. Each returns the state dict (``epoch``, ``loss``, ``val_loss``, ``accuracy``, ``val_accuracy``, ``curves``, ``params``, ...).

    activations  {name: (f, df)} your own activation functions, added to the activation menu
    optimizers   {name: step} your own update rule, notebook 6's ``step(param, grad, state, lr)`` changing
                 param in place (or ``step(param, grad, lr) -> new param``, or an annlib Optimizer),
                 added to the optimizer menu
    """
    return Playground(dataset=dataset, hidden=hidden, features=features, activation=activation, lr=lr,
                      optimizer=optimizer, regularization=regularization, reg_rate=reg_rate, batch_size=batch_size,
                      noise=noise, train_fraction=train_fraction, epochs_per_tick=epochs_per_tick, seed=seed,
                      activations=activations, optimizers=optimizers, **kwargs)
