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


# -- your own loss: any change is shown in words, never a traceback ------------------------------------
import json  # noqa: E402
import math  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

BROKEN_LOSSES = [
    (lambda d: 1 / 0, "ZeroDivisionError"),
    (lambda d: math.log(math.cosh(d)), "TypeError"),                     # math works on one number only
    (lambda d: np.mean(d ** 2), "one loss per error"),                  # the mean inside: one number
    (lambda d: np.log(d), "finite"),                                    # NaN for negative errors
    (lambda d: None, "return"),
    (lambda d: max(d, 0), "np.maximum"),                                # `max` of an array
    (lambda d: "forty-two", "not numbers"),
    (3, "not callable"),
]


@pytest.mark.parametrize("my_loss, phrase", BROKEN_LOSSES)
def test_a_broken_own_loss_is_shown_in_the_widget(my_loss, phrase):
    w = widgets.line_fit_explorer(my_loss=my_loss, outlier=True)
    s = w.state
    assert s["your_loss_problem"] and phrase in s["your_loss_problem"], s["your_loss_problem"]
    assert "yours" not in s["best"] and "yours" not in s["losses"]             # the three others still work
    assert set(s["best"]) == {"MSE", "MAE", "Huber"}
    assert phrase.split()[0] in w.status.value or "⚠" in w.status.value        # shown above the figure
    s2 = w.set(slope=0.5, outlier=False)                                        # and the widget keeps working
    assert s2["your_loss_problem"] and np.isclose(s2["slope"], 0.5)


@pytest.mark.parametrize("my_loss, phrase", [
    (lambda d: d, "edge of the lines searched"),                         # signed: no minimum
    (lambda d: -d ** 2, "edge of the lines searched"),
    (lambda d: np.ones_like(d), "the same number for every error"),
    (lambda d: (d - 1) ** 2, "smallest at d = 1"),
])
def test_an_odd_own_loss_gets_a_note(my_loss, phrase):
    w = widgets.line_fit_explorer(my_loss=my_loss, outlier=True)
    assert w.state["your_loss_problem"] is None and "yours" in w.state["best"]
    assert phrase in w.state["your_loss_note"] and "⚠" in w.status.value


def test_your_loss_gets_a_copy_of_the_errors():
    def in_place(d):
        d **= 2                          # changes its argument
        return d
    s = widgets.line_fit_explorer(my_loss=in_place, outlier=True).state
    assert s["best"]["yours"] == s["best"]["MSE"] and s["your_loss_problem"] is None


def _cells():
    nb = json.loads((Path(__file__).resolve().parents[1] / "notebooks" / "04_losses.ipynb").read_text())
    return {c["id"]: "".join(c["source"]) for c in nb["cells"]}


@pytest.mark.parametrize("my_loss", [None] + [f for f, _ in BROKEN_LOSSES] + [lambda d: d, lambda d: np.abs(d) ** 3])
def test_the_notebooks_own_loss_cells_survive_any_loss(my_loss, capsys):
    cells = _cells()
    ns = {"np": np, "widgets": widgets, "line_fit": widgets.line_fit_explorer()}
    exec(cells["04-11"], ns)
    if my_loss is None:                                   # as shipped: log-cosh
        exec(cells["04-13"].rsplit("\n", 1)[0], ns)
    else:
        ns["my_loss"] = my_loss
        exec(cells["04-13"].split("\n\n", 1)[1].rsplit("\n", 1)[0], ns)
    exec(cells["04-15"], ns)
    out = capsys.readouterr().out
    if my_loss is None:
        assert "less than MSE" in out and "lies on Huber's" in out
    else:
        assert "could not be used" in out or "Note:" in out or "as much as MSE" in out, out
    assert ns["line_fit_mine"].state["outlier_index"] is not None      # the view the text describes: with outlier


def test_widget_test_cells_restore_the_default_view():
    cells = _cells()
    ns = {"np": np, "widgets": widgets, "line_fit": widgets.line_fit_explorer(), "ce_mse": widgets.ce_vs_mse_explorer()}
    default_fit, default_p = dict(ns["line_fit"].values()), ns["ce_mse"].values()
    exec(cells["04-11"], ns)
    exec(cells["04-21"], ns)
    assert ns["line_fit"].values() == default_fit and ns["ce_mse"].values() == default_p


# -- layout: legends beside the data, never over it; sliders with a usable track ---------------------------

from figure_geometry import inside as _inside, renderer  # noqa: E402


def _rendered(w):
    return renderer(w.fig)


LINE_FIT_SETTINGS = [{}, {"outlier": True}, {"slope": -1.0, "intercept": 3.0}, {"slope": 2.0, "intercept": -1.0},
                     {"outlier": False, "slope": 2.0, "intercept": 3.0}, {"slope": -1.0, "intercept": -1.0}]


@pytest.mark.parametrize("my_loss", [None, lambda d: np.log(np.cosh(d))])
def test_line_fit_legend_is_beside_the_plot_not_over_it(my_loss):
    w = widgets.line_fit_explorer(my_loss=my_loss)
    for settings in LINE_FIT_SETTINGS:              # cumulative: the outlier stays until it is switched off
        state = w.set(**settings)
        r = _rendered(w)
        ax_fit, ax_bar = w.fig._nb4_axes
        legend = ax_fit.get_legend()
        box = legend.get_window_extent(r)
        assert not box.overlaps(ax_fit.get_window_extent(r)), f"the legend lies over the points and lines: {settings}"
        assert not box.overlaps(ax_bar.get_tightbbox(r)), f"the legend runs into the bar chart: {settings}"
        assert _inside(box, w.fig.bbox), f"the legend is cut at the figure's edge: {settings}"
        labels = [t.get_text() for t in legend.get_texts()]
        assert ("outlier" in labels) == (state["outlier_index"] is not None)
        assert ("best line for yours" in labels) == (my_loss is not None)
        assert _inside(ax_fit.title.get_window_extent(r), w.fig.bbox)
        assert _inside(ax_bar.get_tightbbox(r), w.fig.bbox), "the bar chart is cut"


@pytest.mark.parametrize("p", [0.01, 0.05, 0.3, 0.45, 0.5, 0.7, 0.99])
def test_ce_vs_mse_legends_inside_their_panels_and_clear_of_every_line(p):
    w = widgets.ce_vs_mse_explorer()
    w.set(p=p)
    r = _rendered(w)
    for ax in w.fig.axes:
        legend = ax.get_legend().get_window_extent(r)
        assert _inside(legend, ax.get_window_extent(r)), "the legend sticks out of its panel"
        for line in ax.get_lines():
            xy = line.get_xydata()
            xy = xy[(xy[:, 1] <= ax.get_ylim()[1])]                       # the part in view
            pts = ax.transData.transform(xy)
            inside = ((pts[:, 0] > legend.x0 - 3) & (pts[:, 0] < legend.x1 + 3)
                      & (pts[:, 1] > legend.y0 - 3) & (pts[:, 1] < legend.y1 + 3))
            assert not inside.any(), f"the legend covers {line.get_label() or 'a marker or the drop line'} at p = {p}"
        assert _inside(ax.title.get_window_extent(r), w.fig.bbox)


@pytest.mark.parametrize("my_loss", [lambda d: np.mean(d ** 2), lambda d: (d - 1) ** 2, lambda d: max(d, 0),
                                     lambda d: 1 / 0])
def test_your_loss_warning_sits_beside_the_plot(my_loss):
    w = widgets.line_fit_explorer(my_loss=my_loss, outlier=True)
    w.set(slope=-1.0, intercept=3.0)
    r = _rendered(w)
    ax_fit, ax_bar = w.fig._nb4_axes
    warning = [t for t in ax_fit.texts if t.get_text().startswith("⚠")]
    assert len(warning) == 1
    box = warning[0].get_bbox_patch().get_window_extent(r)
    assert not box.overlaps(ax_fit.get_window_extent(r)), "the warning covers the points and lines"
    assert not box.overlaps(ax_fit.get_legend().get_window_extent(r)), "the warning covers the legend"
    assert not box.overlaps(ax_bar.get_tightbbox(r)) and _inside(box, w.fig.bbox)


def test_a_negative_loss_of_your_own_stays_in_view_with_its_value():
    # a loss below 0 (here -d², which also has no best line) draws its bar left of 0, inside the panel,
    # with its value beside the bar's end and not over the name of the loss
    w = widgets.line_fit_explorer(my_loss=lambda d: -d ** 2, outlier=True)
    r = _rendered(w)
    ax_fit, ax_bar = w.fig._nb4_axes
    value = w.state["losses"]["yours"]
    assert value < 0 and ax_bar.get_xlim()[0] < value
    label = [t for t in ax_bar.texts if t.get_text().strip() == f"{value:.3f}"]
    assert len(label) == 1
    box = label[0].get_window_extent(r)
    assert _inside(box, ax_bar.get_window_extent(r)), "the negative loss's value is written outside its panel"
    assert all(not box.overlaps(t.get_window_extent(r)) for t in ax_bar.get_yticklabels()), "value over the name"
    assert _inside(ax_fit.yaxis.label.get_window_extent(r), w.fig.bbox)
    assert not ax_fit.yaxis.label.get_window_extent(r).overlaps(ax_fit.get_window_extent(r)), "y label squeezed"


def test_your_loss_warning_is_at_least_8_pt():
    w = widgets.line_fit_explorer(my_loss=lambda d: np.mean(d ** 2), outlier=True)
    ax_fit, _ = w.fig._nb4_axes
    warning = [t for t in ax_fit.texts if t.get_text().startswith("⚠")]
    assert len(warning) == 1 and warning[0].get_fontsize() >= 8


def test_ce_vs_mse_calls_it_squared_error_as_the_lesson_does():
    # the notebook compares cross-entropy with "squared error (1 - p)²" for one sample; the figure says the same
    w = widgets.ce_vs_mse_explorer()
    texts = [t.get_text() for ax in w.fig.axes for t in ax.get_legend().get_texts()]
    texts += [ax.get_title() for ax in w.fig.axes]
    assert all("MSE" not in t for t in texts), texts
    assert sum("squared error" in t for t in texts) == 4
    assert f"squared error {w.state['loss_mse']:.2f}" in w.fig.axes[0].get_title()


def test_untrained_losses_plot_shows_every_seed_and_ln_c():
    import matplotlib.pyplot as plt
    from annlib import plots
    fig, ax = plt.subplots()
    losses = [2.35, 2.4, 2.31, 2.5]
    plots.plot_untrained_losses(ax, losses, 10, "digits")
    dots, line = ax.get_lines()
    np.testing.assert_allclose(dots.get_ydata(), losses)
    np.testing.assert_allclose(line.get_ydata(), np.log(10))
    assert "2.303" in line.get_label() and ax.get_title() == "digits"
    r = renderer(fig)
    legend = ax.get_legend().get_window_extent(r)
    pts = ax.transData.transform(dots.get_xydata())
    assert not any(legend.contains(*p) for p in pts), "the legend covers a marker"
    plots.plot_untrained_losses(ax, [9.0], 10, "too big")              # a loss far above 1.5 ln C stays in view
    assert ax.get_ylim()[1] > 9.0
    plt.close(fig)
