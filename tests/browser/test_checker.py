"""The checker itself: it passes a small working notebook and reports every fault of a broken one.

Both notebooks are built here (plain ipywidgets + matplotlib, no annlib, so this proof does not
depend on the lessons) and written into the served copy, never into notebooks/.
Run ``python tests/browser/test_checker.py DIR`` to write them to DIR, e.g. to point
ANNLIB_NOTEBOOK_DIR at them.
"""
import sys
from pathlib import Path

import nbformat

if __package__:
    from . import browser_harness as H

SETUP = """\
import numpy as np
import matplotlib.pyplot as plt
import ipywidgets as W
from IPython.display import display"""

# The pattern of annlib.widgets.LiveFigure: controls -> redraw one figure into an Output widget.
LIVE_FIGURE = """\
fig, ax = plt.subplots(figsize=(4, 2.5))
plt.close(fig)
out = W.Output()
frequency = W.IntSlider(value=3, min=1, max=10, description="frequency")

def draw(change=None):
    {broken}ax.clear()
    x = np.linspace(0, 1, 200)
    ax.plot(x, np.sin(2 * np.pi * frequency.value * x))
    ax.set_title(f"sin(2π·{{frequency.value}}·x)")
    with out:
        out.clear_output(wait=True)
        display(fig)

frequency.observe(draw, names="value")
draw()
W.VBox([frequency, out])"""

# A widget whose model class does not exist in the frontend: "Error displaying widget".
GHOST = """\
from traitlets import Unicode

class Ghost(W.DOMWidget):
    _model_module = Unicode("@jupyter-widgets/controls").tag(sync=True)
    _view_module = Unicode("@jupyter-widgets/controls").tag(sync=True)
    _model_name = Unicode("AnnlibNoSuchModel").tag(sync=True)
    _view_name = Unicode("AnnlibNoSuchView").tag(sync=True)

Ghost()"""


def _notebook(*cells):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    nb.cells = [nbformat.v4.new_markdown_cell("# Checker self-test")] + [nbformat.v4.new_code_cell(c) for c in cells]
    return nb


def good_notebook():
    interact = ("@W.interact(points=W.Dropdown(options=[5, 20, 80], value=20, description='points'))\n"
                "def scatter(points):\n"
                "    rng = np.random.default_rng(points)\n"
                "    plt.figure(figsize=(3, 2)); plt.scatter(*rng.normal(size=(2, points))); plt.show()")
    return _notebook(SETUP, LIVE_FIGURE.format(broken=""), interact)


def broken_notebook():
    raising = "if change is not None:\n        raise RuntimeError('deliberately broken callback')\n    "
    return _notebook(SETUP, GHOST, LIVE_FIGURE.format(broken=raising), "1 / 0")


def test_checker_passes_a_working_notebook(lab, browser):
    path = lab.add_notebook("_selftest/good.ipynb", good_notebook())
    report = H.check_notebook(lab, browser, path, timeout=90)
    assert not report.problems, report.summary()
    assert "the figure changed" in report.control


def test_checker_reports_a_broken_notebook(lab, browser):
    path = lab.add_notebook("_selftest/broken.ipynb", broken_notebook())
    report = H.check_notebook(lab, browser, path, timeout=90, reaction_timeout=5)
    text = report.summary()
    print(text)
    assert "ZeroDivisionError" in text, text                    # an error output
    assert "failed to display" in text, text                    # a widget the frontend cannot show
    assert "no control changed a figure" in text, text          # a callback that raises ...
    assert "the Log Console shows an entry of level 'error'" in text and "RuntimeError: deliberately broken callback" in text, text


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
    target.mkdir(parents=True, exist_ok=True)
    nbformat.write(good_notebook(), target / "good.ipynb")
    nbformat.write(broken_notebook(), target / "broken.ipynb")
    print(f"wrote {target}/good.ipynb and {target}/broken.ipynb")
