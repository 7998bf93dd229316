"""The small control builders every live widget uses (ipywidgets): a labelled float slider (optionally on a
log scale), an integer slider and a dropdown, all with the same label style. A control is as wide as its
label needs and then some: ``width`` is a minimum, and a long label ("hidden layer 2 (0 = none)") makes the
control wider instead of squeezing the slider's track (at least ``TRACK_PX``) or the dropdown's box. They live on the
playground floor because notebook 7's ``Playground`` (``app.py``) is built from them and may not import
from ``annlib.widgets`` above it; the widgets of notebooks 1 to 6 get them through ``widgets/_live.py``.
"""
import math

import ipywidgets as W

CHAR_PX = 7.5        # the width of one character of a label, in pixels (13 px sans-serif; a little generous)
TRACK_PX = 120       # the least width left for a slider's track beside its label
READOUT_PX = 96      # the number printed right of a slider, and the margins (measured in JupyterLab)


def _layout(description, width, room):
    """A Layout at least ``width`` wide, wide enough for the label plus ``room`` pixels."""
    needed = math.ceil(CHAR_PX * len(description)) + room
    return W.Layout(width=f"{max(int(width.removesuffix('px')), needed)}px")


def slider(value, min, max, step, description, log=False, continuous_update=True, readout_format=None, width="300px"):
    """A labelled float slider (``log=True``: the slider moves the exponent, value = 10**exponent)."""
    style = {"description_width": "initial"}
    layout = _layout(description, width, TRACK_PX + READOUT_PX)
    if log:
        return W.FloatLogSlider(value=value, base=10, min=min, max=max, step=step, description=description,
                                continuous_update=continuous_update, style=style, layout=layout,
                                readout_format=readout_format or ".2g")
    return W.FloatSlider(value=value, min=min, max=max, step=step, description=description,
                         continuous_update=continuous_update, style=style, layout=layout,
                         readout_format=readout_format or ".2f")


def int_slider(value, min, max, description, step=1, continuous_update=True, width="300px"):
    return W.IntSlider(value=value, min=min, max=max, step=step, description=description,
                       continuous_update=continuous_update, style={"description_width": "initial"},
                       layout=_layout(description, width, TRACK_PX + READOUT_PX))


def dropdown(options, value, description, width="260px"):
    return W.Dropdown(options=options, value=value, description=description,
                      style={"description_width": "initial"}, layout=_layout(description, width, _box_px(options)))


def _box_px(options):
    """A dropdown's box: its longest option plus the arrow."""
    labels = [o[0] if isinstance(o, tuple) else o for o in options]
    return math.ceil(CHAR_PX * max(len(str(label)) for label in labels)) + 40
