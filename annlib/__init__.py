"""annlib: an artificial neural network built from scratch in numpy, one module per lecture step.

    1 layers.py        Dense layer, weight initializers
    2 activations.py   sigmoid, tanh, ReLU, ... as layers and as plain f(x), df(x)
    3 network.py       Sequential, mlp(), forward propagation, predict
    4 losses.py        MSE, cross-entropy, ...
    5 gradcheck.py     backpropagation checked against numerical gradients
    6 optimizers.py    SGD, momentum, AdaGrad, RMSProp, Adam, AdamW, schedules
    7 training.py      fit(): epochs, mini-batches, history, early stopping

Beside them: callbacks.py (early stopping), data.py (toy and real datasets), metrics.py, saving.py,
validation.py (error messages).
The notebooks also use the floors above this core, each a folder with one module per notebook
(nb1.py ... nb7.py): plots/ (matplotlib), checks/ (exercises), playground/ (notebook 7's trainer) and
widgets/ (ipywidgets). They are imported on their own: ``from annlib import plots, widgets, checks``.
"""
from .activations import (ACTIVATIONS, ELU, GELU, Activation, Custom, Identity, LeakyReLU, ReLU, SiLU,
                          Sigmoid, Softmax, Softplus, Step, Tanh, get_activation, softmax)
from .data import (DATASETS, load_digits, load_iris, make_circle, make_dataset, make_gaussian, make_moons,
                   make_multi_gaussian, make_plane, make_regression_1d, make_spiral, make_xor, one_hot,
                   standardize, train_test_split)
from .gradcheck import gradcheck, numerical_gradient, relative_error
from .layers import (INITIALIZERS, Constant, Dense, Dropout, Initializer, Layer, Linear, Normal, Uniform,
                     VarianceScaling, Zeros, get_initializer)
from .losses import (LOSSES, BCELoss, BCEWithLogitsLoss, CategoricalCrossEntropy, CrossEntropyLoss, HuberLoss,
                     L1Loss, Loss, MAELoss, MSELoss, SoftmaxCrossEntropy, get_loss)
from .metrics import accuracy, confusion_matrix
from .network import Sequential, mlp
from .optimizers import (OPTIMIZERS, SGD, AdaGrad, Adam, AdamW, ConstantLR, CosineLR, ExponentialLR, Momentum,
                         Optimizer, RMSProp, Schedule, StepLR, get_optimizer)
from .saving import load, save
from .callbacks import Callback, EarlyStopping
from .training import History, evaluate, fit
from .validation import DivergenceError, ShapeError

__version__ = "0.1.0"
