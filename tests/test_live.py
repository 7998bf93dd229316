"""The shared pieces of every live widget (annlib/widgets/_live.py, annlib/playground/controls.py):
a redraw never clips text that grew after the first layout, and a slider's label never squeezes its track."""
from pathlib import Path

import numpy as np
import pytest

from annlib.plots import figure
from annlib.widgets import render_png


def right_edge_overflow(fig):
    """How many pixels the figure's text reaches past its right edge (0 if it fits)."""
    box = fig.get_tightbbox().transformed(fig.dpi_scale_trans)
    return max(0.0, box.x1 - fig.bbox.x1)


def test_a_tick_label_that_grows_after_the_first_render_is_not_clipped():
    fig, axes = figure(1, 2, figsize=(6, 3))
    line, = axes[1].plot(np.arange(9), np.arange(9))
    render_png(fig)                                   # the first render lays out for ticks 0 … 8
    for n in (10, 100, 100_000):                      # the race runs longer: "10", "100", "100000" at the edge
        line.set_data(np.arange(n), np.arange(n))
        axes[1].set_xlim(0, n)
        render_png(fig)
        assert right_edge_overflow(fig) <= 1.0, f"x range 0..{n}: the last tick label is clipped"


def test_without_growth_the_kept_layout_is_reused():
    fig, axes = figure(1, 1, figsize=(4, 3))
    line, = axes.plot([0, 1], [0, 1])
    render_png(fig)
    assert fig.get_layout_engine() is None            # laid out once, then kept
    before = axes.get_position().bounds
    line.set_data([0, 1], [1, 0])                     # same limits, same labels
    render_png(fig)
    assert fig.get_layout_engine() is None and axes.get_position().bounds == before


@pytest.mark.parametrize("make", ["slider", "int_slider"])
def test_a_long_label_widens_the_slider_instead_of_squeezing_its_track(make):
    from annlib.playground import controls
    build = getattr(controls, make)
    short = build(1, 0, 10, 1, "lr") if make == "slider" else build(1, 0, 10, "lr")
    label = "p = predicted probability of the true class"
    long = build(1, 0, 10, 1, label) if make == "slider" else build(1, 0, 10, label)
    px = lambda control: int(control.layout.width.removesuffix("px"))
    assert px(short) == 300                           # a short label keeps the asked-for width
    assert px(long) - controls.CHAR_PX * len(label) >= controls.TRACK_PX + controls.READOUT_PX


def test_a_dropdown_is_wide_enough_for_its_longest_option():
    from annlib.playground import controls
    box = controls.dropdown([("a very long option name", 1), ("b", 2)], 1, "choice", width="100px")
    assert int(box.layout.width.removesuffix("px")) >= controls.CHAR_PX * (len("choice") + len("a very long option name"))


def label_px(text):
    """A control label's width in pixels: 13 px DejaVu Sans, a little wider than JupyterLab's UI font."""
    import matplotlib
    from PIL import ImageFont
    font = ImageFont.truetype(str(Path(matplotlib.get_data_path()) / "fonts/ttf/DejaVuSans.ttf"), 13)
    return font.getlength(text)


SERIES_WIDGETS = ["init_histograms", "architecture_builder", "activation_explorer", "neuron_plane", "softmax_explorer",
                  "forward_explorer", "untrained_regions_explorer", "line_fit_explorer", "ce_vs_mse_explorer",
                  "gradient_flow", "backprop_stepper", "learning_rate_explorer", "optimizer_race", "playground"]


@pytest.mark.parametrize("name", SERIES_WIDGETS)
def test_every_slider_of_the_series_leaves_its_track_room_beside_the_label(name):
    """In JupyterLab a slider's readout and margins take about 96 px; the rest beside the label is the track.
    (The browser test measures the real tracks after Run All; this catches a squeezed one without a browser.)"""
    import ipywidgets as W
    from annlib import widgets
    w = getattr(widgets, name)()
    sliders = [c for c in w.controls.values() if isinstance(c, (W.IntSlider, W.FloatSlider, W.FloatLogSlider))]
    for c in sliders:
        track = int(c.layout.width.removesuffix("px")) - label_px(c.description) - 96
        assert track >= 110, f"{name}: slider {c.description!r} ({c.layout.width}) leaves a {track:.0f} px track"


@pytest.mark.parametrize("name", [n for n in SERIES_WIDGETS if n != "playground"])
def test_every_live_figure_is_shown_at_its_own_size(name):
    """One PNG pixel per CSS pixel: an Image widget without a width is stretched across the output area
    (a 558 px figure showed twice as large, its labels cut off)."""
    from annlib import widgets
    w = getattr(widgets, name)()
    png_width = int.from_bytes(w.output.value[16:20], "big")          # the PNG header's IHDR width
    assert w.output.layout.width == f"{png_width}px" and w.output.layout.max_width == "100%"
