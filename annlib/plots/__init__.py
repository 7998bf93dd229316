"""Figures for the notebooks (matplotlib). Pure functions that draw onto an Axes they are given.

    fig, ax = plt.subplots()
    plots.plot_activation(ax, "tanh")

One module per notebook: ``nb1.py`` … ``nb7.py`` hold the figures of that notebook; ``_style.py`` holds
the style (Okabe–Ito palette, ``use_style``, ``figure``) and the pieces several notebooks draw with
(the network diagram, decision regions, log axes). Every name is re-exported here, so notebooks write
``plots.draw_network`` without knowing which module it lives in.
Nothing here changes the network or the data; nothing here imports ipywidgets.
"""
from ._style import (CLASS_CMAP, COLUMN_GAP, LINESTYLES, MARKERS, NEGATIVE, OKABE_ITO, PALETTE, POSITIVE,
                     SIGNED_CMAP, STYLE, draw_network, figure, grid, layer_sizes, log_axis, network_layout,
                     plot_decision_regions, plot_points, short_number, use_style)
from .nb1 import (histogram_panel, layer_activations, layer_histogram, parameter_table, plot_activation_histograms,
                  plot_layer_stds, reference_range)
from .nb2 import boundary_line, plot_activation, plot_neuron_plane, plot_softmax_bars, regions, shade_regions
from .nb3 import plot_forward_pass, plot_output_values, plot_probability_bars, plot_softmax_vs_sigmoid
from .nb4 import (FIT_STYLES, plot_ce_vs_mse, plot_line_fit, plot_loss_values, plot_regression_losses,
                  plot_untrained_losses)
from .nb5 import (GRAD_COLOR, VALUE_COLOR, BackpropTable, backprop_table, draw_backprop_step, draw_compgraph,
                  plot_clipping, plot_gradient_norms, plot_norm_by_depth)
from .nb6 import (plot_contour, plot_decay_per_weight, plot_lr_path, plot_path, plot_race, plot_schedules,
                  plot_surface, plot_weight_norms)
from .nb7 import (LOOP_STEPS, draw_training_loop, plot_confusion_matrix, plot_digit_grid, plot_fit_over_epochs,
                  plot_history, plot_loss_curves, plot_loss_valley)

__all__ = [
    # _style: palette, style, shared helpers
    "CLASS_CMAP", "COLUMN_GAP", "LINESTYLES", "MARKERS", "NEGATIVE", "OKABE_ITO", "PALETTE", "POSITIVE",
    "SIGNED_CMAP", "STYLE", "draw_network", "figure", "grid", "layer_sizes", "log_axis", "network_layout",
    "plot_decision_regions", "plot_points", "short_number", "use_style",
    # nb1 … nb7
    "histogram_panel", "layer_activations", "layer_histogram", "parameter_table", "plot_activation_histograms",
    "plot_layer_stds", "reference_range",
    "boundary_line", "plot_activation", "plot_neuron_plane", "plot_softmax_bars", "regions", "shade_regions",
    "plot_forward_pass", "plot_output_values", "plot_probability_bars", "plot_softmax_vs_sigmoid",
    "FIT_STYLES", "plot_ce_vs_mse", "plot_line_fit", "plot_loss_values", "plot_regression_losses",
    "plot_untrained_losses",
    "GRAD_COLOR", "VALUE_COLOR", "BackpropTable", "backprop_table", "draw_backprop_step", "draw_compgraph",
    "plot_clipping", "plot_gradient_norms", "plot_norm_by_depth",
    "plot_contour", "plot_decay_per_weight", "plot_lr_path", "plot_path", "plot_race", "plot_schedules",
    "plot_surface", "plot_weight_norms",
    "LOOP_STEPS", "draw_training_loop", "plot_confusion_matrix", "plot_digit_grid", "plot_fit_over_epochs",
    "plot_history", "plot_loss_curves", "plot_loss_valley",
]
