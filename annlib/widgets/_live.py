"""The pattern every widget of notebooks 1 to 6 follows: ``LiveFigure`` (controls -> pure compute -> draw
on one figure), ``render_png`` (a figure as PNG bytes, rendered once), and the control builders
(``slider``, ``int_slider``, ``dropdown``, from ``annlib.playground.controls``, and ``_label``).

    controls (sliders, dropdowns)  ->  compute(**values) -> state   (pure: numbers only, no drawing)
                                   ->  draw(fig, state)             (updates the figure)

``compute`` is what tests and the notebooks' ``assert`` cells call; it runs without a browser. A
notebook changes a control in code and reads back the state it produced:

    w = widgets.activation_explorer()
    w                                   # shows the controls and the figure
    state = w.set(activations=("tanh",))    # same as moving the control by hand
    assert state["df"]["tanh"].max() == 1.0

The figure is built once (``matplotlib.figure.Figure``, not pyplot, so it never shows twice) and redrawn
into an ``Image`` widget after each change.
"""
import io
import time
import weakref

import ipywidgets as W
from IPython.display import display

from ..playground.controls import dropdown, int_slider, slider  # noqa: F401  (the nbN modules take them from here)
from ..plots import figure


def render_png(fig):
    """The figure as PNG bytes, rendered once. The layout is computed on the first render and then
    kept, so later redraws skip it (together that roughly halves the time of a redraw; the inline
    backend's display(fig) would render twice, once only to find a tight bounding box). A redraw whose
    text outgrew the kept layout (a tick label "10" that became "100", a longer title) is laid out again,
    so nothing is clipped or runs into its neighbour."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", pil_kwargs={"compress_level": 1})    # light compression: faster
    engine = fig.get_layout_engine()
    if engine is not None:
        _KEPT_LAYOUT[fig] = (engine, _text_lengths(fig))
        fig.set_layout_engine(None)     # None, not "none": any engine makes savefig render a second time
    elif fig in _KEPT_LAYOUT and _outgrew(_text_lengths(fig), _KEPT_LAYOUT[fig][1]):
        fig.set_layout_engine(_KEPT_LAYOUT[fig][0])
        return render_png(fig)
    return buf.getvalue()


_KEPT_LAYOUT = weakref.WeakKeyDictionary()     # figure -> (its layout engine, the text lengths it made room for)


def _text_lengths(fig):
    """The longest tick label in view on each axis, and the title, axis labels and legend entries, in
    characters: what the layout made room for. (Counting characters takes 2 ms; measuring the text
    would take as long as the render itself.)"""
    def longest(texts):                   # a two-line label is as wide as its longer line
        return max((len(line) for t in texts for line in t.get_text().split("\n")), default=0)

    def longest_tick(axis):
        lo, hi = sorted(axis.get_view_interval())
        shown = [label for loc, label in zip(axis.get_majorticklocs(), axis.get_majorticklabels()) if lo <= loc <= hi]
        return longest(shown)

    lengths = []
    for ax in fig.axes:
        legend = ax.get_legend()
        lengths += [longest_tick(ax.xaxis), longest_tick(ax.yaxis), longest([ax.title]), longest([ax.xaxis.label]),
                    longest([ax.yaxis.label]), longest(legend.get_texts()) if legend else 0]
    return lengths + [longest(fig.texts)]


def _outgrew(now, kept):
    return len(now) != len(kept) or any(n > k for n, k in zip(now, kept))


def _label(text, width="auto"):
    return W.HTML(f"<span style='font-size:12px;color:#333'>{text}</span>", layout=W.Layout(width=width))


class LiveFigure:
    """Controls -> pure ``compute`` -> ``draw`` on one figure. See the module docstring.

    controls   {name: ipywidgets control}; names are ``compute``'s keyword arguments
    compute    f(**values) -> state (a dict)
    draw       f(fig, axes, state): draw the state (clear and redraw, or update artists)
    help       HTML shown above the controls: what each control does and what the colours mean
    """

    def __init__(self, controls, compute, draw, help="", figsize=(8, 4), nrows=1, ncols=1, title=None,
                 subplot_kw=None, extra=None):
        self.controls, self.compute, self.draw = controls, compute, draw
        self.fig, self.axes = figure(nrows, ncols, figsize=figsize, subplot_kw=subplot_kw)
        # the figure (an Image widget, not an Output: see redraw), shown at its own size, one PNG pixel per
        # CSS pixel (an Image without a width is stretched across the output area), narrower only if the
        # window is
        px = round(self.fig.get_figwidth() * self.fig.dpi)
        self.output = W.Image(format="png", layout=W.Layout(width=f"{px}px", max_width="100%", height="auto"))
        self.status = W.HTML()
        self._holding = False
        self.elapsed_ms = None
        for control in controls.values():
            control.observe(self._on_change, names="value")
        header = [W.HTML(f"<b>{title}</b>")] if title else []
        help_box = [W.HTML(f"<div style='font-size:12px;line-height:1.4;color:#333'>{help}</div>")] if help else []
        self.box = W.VBox(header + help_box + [W.HBox(list(controls.values()), layout=W.Layout(flex_flow="row wrap")),
                                              *(extra or []), self.status, self.output])
        self.box.add_class("annlib-widget")
        self.state = None
        self.update()

    def values(self):
        return {name: control.value for name, control in self.controls.items()}

    def set(self, **values):
        """Set controls as a user would (one redraw at the end) and return the new state."""
        unknown = set(values) - set(self.controls)
        if unknown:
            raise KeyError(f"No control named {sorted(unknown)}; this widget has {sorted(self.controls)}.")
        self._holding = True
        try:
            for name, value in values.items():
                self.controls[name].value = value
        finally:
            self._holding = False
        self.update()
        return self.state

    def _on_change(self, change):
        if not self._holding:
            self.update()

    def update(self):
        """Recompute the state from the controls and redraw."""
        start = time.perf_counter()
        try:
            self.state = self.compute(**self.values())
            self.status.value = ""
        except (ValueError, TypeError, FloatingPointError) as e:     # bad settings: say so, keep going
            self.status.value = f"<span style='color:#D55E00'>⚠ {e}</span>"
            return
        self.redraw()
        self.elapsed_ms = 1000 * (time.perf_counter() - start)

    def redraw(self):
        self.draw(self.fig, self.axes, self.state)
        self.png = render_png(self.fig)
        # An Image widget, not an Output widget that displays the PNG: headless runners (nbclient, so
        # nbconvert --execute and the solutions build) answer each write into an Output widget on the
        # shell socket while they wait there for the cell's reply, and jupyter_client can then miss the
        # reply until the cell timeout (jupyter/jupyter_client#1059; tools/headless.py has the details).
        self.output.value = self.png

    def _ipython_display_(self):
        display(self.box)
