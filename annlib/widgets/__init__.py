"""Live controls for the notebooks (ipywidgets + the inline matplotlib backend), one module per notebook.

    _live.py   LiveFigure (controls -> pure compute -> draw), render_png, the control builders
    nb1.py     init_histograms, architecture_builder
    nb2.py     activation_explorer, neuron_plane, softmax_explorer
    nb3.py     forward_explorer, untrained_regions_explorer
    nb4.py     line_fit_explorer, ce_vs_mse_explorer
    nb5.py     gradient_flow, backprop_stepper
    nb6.py     learning_rate_explorer, optimizer_race (and the loss SURFACES they run on)
    nb7.py     playground (the live trainer; its parts are in the package annlib.playground)

Every widget has a pure function under it (``deep_activations``, ``neuron_state``, ``race_state``, ...) that
tests and the notebooks' ``assert`` cells call without a browser. All names are re-exported here, so a
notebook writes ``from annlib import widgets`` and then ``widgets.activation_explorer()``.
"""
from ._live import LiveFigure, dropdown, int_slider, render_png, slider
from .nb1 import (HIDDEN_ACTIVATIONS, NB1_INIT_CHOICES, architecture_builder, architecture_state, deep_activations,
                  init_histograms)
from .nb2 import (CATALOGUE, EXPLORER_COLORS, NEURON_ACTIVATIONS, SATURATION, activation_explorer, neuron_plane,
                  neuron_state, softmax_explorer, softmax_state)
from .nb3 import forward_explorer, forward_trace, untrained_regions_explorer
from .nb4 import best_lines, ce_vs_mse_explorer, line_fit_data, line_fit_explorer, regression_losses
from .nb5 import (BACKPROP_STEPS, INIT_CHOICES, TINY_NET, backprop_stepper, backprop_steps, gradient_flow,
                  gradient_flow_state, tiny_network)
from .nb6 import (BOWL_KAPPA, DIVERGED, RACE_OPTIMIZERS, SUGGESTED_LR, SURFACES, StepFunction, StepRuleError, Surface,
                  learning_rate_explorer, lr_path_state, make_optimizer, optimizer_race, race_state, run_optimizer)
from .nb7 import playground
