"""Every notebook, as a person opens it: JupyterLab in Chromium, Run All, then move a control.

For each notebook in notebooks/ (found at collection time, so new notebooks are covered without
editing this file): open it on a fresh kernel, Run > Run All Cells, wait for every cell, then assert
that no cell shows an error, no widget shows "Error displaying widget" or stays "Loading widget...",
the browser console has no widget errors and the kernel log no traceback; then change the first
widget control (slider by keyboard, dropdown, button, ...) and assert that the figure next to it
changed. A screenshot of each notebook goes to artifacts/screenshots/<name>.png.
"""
import pytest

from . import browser_harness as H

NOTEBOOKS = H.notebooks()


@pytest.mark.parametrize(
    "name",
    [nb.name for nb in NOTEBOOKS]
    or [pytest.param(None, marks=pytest.mark.skip(reason=f"no notebooks in {H.NOTEBOOK_DIR} yet"))],
)
def test_notebook_runs_and_its_widget_reacts(lab, browser, name):
    report = H.check_notebook(lab, browser, name, screenshot=H.SCREENSHOT_DIR / f"{name[:-len('.ipynb')]}.png")
    print(report.summary(), report.seconds, report.control)
    assert not report.problems, report.summary()
