"""The small control builders every live widget uses (ipywidgets): a labelled float slider (optionally on a
log scale), an integer slider and a dropdown, all with the same label style and width. They live on the
playground floor because notebook 7's ``Playground`` (``app.py``) is built from them and may not import
from ``annlib.widgets`` above it; the widgets of notebooks 1 to 6 get them through ``widgets/_live.py``.
"""
import ipywidgets as W


def slider(value, min, max, step, description, log=False, continuous_update=True, readout_format=None, width="300px"):
    """A labelled float slider (``log=True``: the slider moves the exponent, value = 10**exponent)."""
    style = {"description_width": "initial"}
    layout = W.Layout(width=width)
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
                       layout=W.Layout(width=width))


def dropdown(options, value, description, width="260px"):
    return W.Dropdown(options=options, value=value, description=description,
                      style={"description_width": "initial"}, layout=W.Layout(width=width))
