"""Notebook 4 widgets, driven headless: set controls in code and check the state they produce."""
import os

os.environ.setdefault("MPLBACKEND", "Agg")

import numpy as np  # noqa: E402

import annlib as A  # noqa: E402
from annlib import widgets  # noqa: E402


def test_line_fit_losses_match_annlib():
    w = widgets.line_fit_explorer()
    state = w.set(slope=0.3, intercept=0.7)
    x, y = state["x"], state["y"]
    y_pred = (0.3 * x + 0.7)[:, None]
    assert np.isclose(state["losses"]["MSE"], A.MSELoss().forward(y_pred, y[:, None]))
    assert np.isclose(state["losses"]["MAE"], A.MAELoss().forward(y_pred, y[:, None]))
    assert np.isclose(state["losses"]["Huber"], A.HuberLoss(1.0).forward(y_pred, y[:, None]))
    np.testing.assert_allclose(state["residuals"], y_pred[:, 0] - y)


def test_best_mse_line_is_least_squares():
    state = widgets.line_fit_explorer().set(outlier=True)
    x, y = state["x"], state["y"]
    slope, intercept = np.polyfit(x, y, 1)
    assert abs(state["best"]["MSE"][0] - slope) < 0.02 and abs(state["best"]["MSE"][1] - intercept) < 0.02


def test_outlier_moves_mse_line_more_than_mae_and_huber():
    w = widgets.line_fit_explorer()
    clean = w.set(outlier=False)["best"]
    dirty = w.set(outlier=True)["best"]
    shift = {k: np.hypot(dirty[k][0] - clean[k][0], dirty[k][1] - clean[k][1]) for k in clean}
    assert shift["MSE"] > 2 * shift["Huber"] and shift["MSE"] > 2 * shift["MAE"]
    assert w.state["outlier_index"] == len(w.state["x"]) - 1
    assert w.set(outlier=False)["outlier_share"]["MSE"] == 0.0


def test_line_fit_reacts_to_sliders():
    w = widgets.line_fit_explorer()
    best = w.state["best"]["MSE"]
    at_best = w.set(slope=best[0], intercept=best[1])["losses"]["MSE"]
    off = w.set(slope=best[0] + 0.5)["losses"]["MSE"]
    assert off > at_best


def test_ce_vs_mse_gradients():
    w = widgets.ce_vs_mse_explorer()
    s = w.set(p=0.01)
    assert np.isclose(s["loss_ce"], -np.log(0.01)) and np.isclose(s["loss_mse"], 0.99 ** 2)
    assert np.isclose(s["grad_ce"], 0.01 - 1)
    # a confident mistake: cross-entropy still pushes hard, MSE through a sigmoid hardly at all
    assert abs(s["grad_ce"]) > 10 * abs(s["grad_mse"])
    # numerical derivative of both losses with respect to the logit z, p = sigmoid(z)
    z, h = np.log(0.01 / 0.99), 1e-6
    sig = lambda t: 1 / (1 + np.exp(-t))  # noqa: E731
    num_ce = (-np.log(sig(z + h)) + np.log(sig(z - h))) / (2 * h)
    num_mse = ((1 - sig(z + h)) ** 2 - (1 - sig(z - h)) ** 2) / (2 * h)
    assert np.isclose(num_ce, s["grad_ce"], rtol=1e-4) and np.isclose(num_mse, s["grad_mse"], rtol=1e-4)
    s2 = w.set(p=0.9)
    assert s2["loss_ce"] < s["loss_ce"] and abs(s2["grad_ce"]) < abs(s["grad_ce"])


def test_line_fit_with_your_own_loss():
    w = widgets.line_fit_explorer(my_loss=lambda d: d ** 2, outlier=True)     # "yours" = MSE again
    s = w.state
    assert np.isclose(s["losses"]["yours"], s["losses"]["MSE"]) and s["best"]["yours"] == s["best"]["MSE"]
    w2 = widgets.line_fit_explorer(my_loss=lambda d: np.log(np.cosh(d)), outlier=True)
    clean_fit = widgets.line_fit_explorer(my_loss=lambda d: np.log(np.cosh(d))).state["best"]["yours"]
    moved = np.hypot(*np.subtract(w2.state["best"]["yours"], clean_fit))
    moved_mse = np.hypot(*np.subtract(w2.state["best"]["MSE"], widgets.line_fit_explorer().state["best"]["MSE"]))
    assert moved < moved_mse            # log-cosh is linear for large errors, like Huber: robust
