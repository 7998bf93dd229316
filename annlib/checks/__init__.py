"""Self-checks for the exercises: ``checks.check_relu(relu)`` prints "⏳ not yet implemented",
"✅ correct" or "❌" with the input that shows the mistake, and never raises.

One module per notebook: ``nb1.py`` … ``nb7.py`` hold the checks of that notebook's exercises;
``_check.py`` holds what they share (``CheckResult``, the statuses NOT_IMPLEMENTED / CORRECT / WRONG,
``run_check``). Every name is re-exported here, so notebooks write ``checks.check_relu`` without
knowing which module it lives in. The checks use the core (annlib's own answers), never the widgets.
"""
from ._check import CORRECT, NOT_IMPLEMENTED, NOT_YET, WRONG, CheckResult, Mistake, call_student, explain_error, run_check, same, wrong
from .nb1 import check_count_parameters, check_layer_output_shape, check_xavier_uniform
from .nb2 import check_derivative, check_relu, check_relu_derivative, check_sigmoid, check_softmax
from .nb3 import check_dense_forward, check_neuron_output, check_two_layer_forward
from .nb4 import check_binary_cross_entropy, check_mse, check_softmax_cross_entropy
from .nb5 import TanhDense, check_dense_backward, check_fixed_backward, check_sigmoid_backward
from .nb6 import LR_EXERCISE_STEPS, LR_EXERCISE_TOL, check_adam_step, check_learning_rate, check_momentum_step
from .nb7 import check_hyperparameters, check_iterations, check_train_loop
from . import solutions              # the instructor's build: python -m annlib.checks.solutions

__all__ = [
    # _check: statuses, result, the comparison
    "CORRECT", "NOT_IMPLEMENTED", "NOT_YET", "WRONG", "CheckResult", "Mistake", "call_student", "explain_error", "run_check", "same", "wrong",
    # nb1 … nb7
    "check_count_parameters", "check_layer_output_shape", "check_xavier_uniform",
    "check_derivative", "check_relu", "check_relu_derivative", "check_sigmoid", "check_softmax",
    "check_dense_forward", "check_neuron_output", "check_two_layer_forward",
    "check_binary_cross_entropy", "check_mse", "check_softmax_cross_entropy",
    "TanhDense", "check_dense_backward", "check_fixed_backward", "check_sigmoid_backward",
    "LR_EXERCISE_STEPS", "LR_EXERCISE_TOL", "check_adam_step", "check_learning_rate", "check_momentum_step",
    "check_hyperparameters", "check_iterations", "check_train_loop",
    "solutions",
]
