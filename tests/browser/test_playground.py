"""The playground of notebook 7, driven in the browser: press Play and watch it train.

Skipped while notebooks/07_training.ipynb does not exist. When it does, this test opens it on a fresh
kernel, runs all cells, finds the playground, clicks the Play widget's play button, waits, and asserts
that the epoch counter and the decision-boundary image both changed; then it pauses the Play widget
and checks that nothing broke (error outputs, widget errors, Log Console errors, console errors).
A screenshot goes to artifacts/screenshots/07_training-playground.png.

What the playground must provide in the DOM (notebook 7 / annlib.widgets, built with core ipywidgets):

* its outermost box has the CSS class ``annlib-playground``   (``box.add_class("annlib-playground")``)
* inside it, one ``ipywidgets.Play`` widget (rendered as ``.widget-play``; its first button,
  with the ``fa-play`` icon, starts it and the ``fa-pause`` button pauses it); each tick trains a few
  steps in the kernel and redraws
* inside it, an epoch counter: a ``Label``/``HTML`` (or an ``IntText``) with the CSS class
  ``annlib-epoch`` whose text shows the current epoch, e.g. "epoch 12 / 200"
* inside it, the decision-boundary figure as an image in an ``Output`` widget; give that Output the
  class ``annlib-boundary`` (otherwise the first image inside the playground is taken)

If the playground is split differently, adjust the selectors below (SELECTORS), not the waiting logic.
"""
import time

import pytest

from . import browser_harness as H

NOTEBOOK = "07_training.ipynb"
SELECTORS = {
    "playground": ".annlib-playground",
    "epoch": ".annlib-epoch",
    "boundary_image": ".annlib-boundary img",
    "any_image": "img",
    "play_button": ".widget-play button:has(.fa-play)",
    "pause_button": ".widget-play button:has(.fa-pause)",
}
PLAY_SECONDS = 60          # at most this long for the counter and the figure to move after Play

pytestmark = pytest.mark.skipif(not (H.NOTEBOOK_DIR / NOTEBOOK).exists(),
                                reason=f"{NOTEBOOK} does not exist yet in {H.NOTEBOOK_DIR} (the playground lives there)")

_JS_IMAGE_HASH = r"""
(img) => {
  const s = img.getAttribute('src') || '';
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) { h ^= s.charCodeAt(i); h = Math.imul(h, 0x01000193); }
  return (h >>> 0).toString(16) + ':' + s.length;
}
"""
_JS_TEXT = "el => (el.querySelector('input') ? el.querySelector('input').value : el.textContent).trim()"


def _state(playground):
    epoch = playground.locator(SELECTORS["epoch"]).first.evaluate(_JS_TEXT)
    images = playground.locator(SELECTORS["boundary_image"])
    if not images.count():
        images = playground.locator(SELECTORS["any_image"])
    image = images.first.evaluate(_JS_IMAGE_HASH) if images.count() else None
    return epoch, image


def test_playground_trains_when_play_is_pressed(lab, browser):
    report = H.Report(NOTEBOOK)
    deadline = H.Deadline(H.NOTEBOOK_TIMEOUT + PLAY_SECONDS)
    nb = H.NotebookPage(lab, browser, NOTEBOOK, report)
    try:
        nb.open(deadline)
        nb.run_all()
        nb.wait_until_finished(deadline)
        status = nb.wait_widgets_rendered(deadline)
        problems = nb.collect_problems(status, "after Run All")
        assert not problems, "\n".join(problems)

        playground = nb.page.locator(f".jp-NotebookPanel {SELECTORS['playground']}").first
        assert playground.count(), (f"no element with class {SELECTORS['playground']!r} in {NOTEBOOK}: the playground "
                                    "widget must call add_class('annlib-playground') on its outermost box")
        playground.scroll_into_view_if_needed(timeout=5000)
        assert playground.locator(SELECTORS["epoch"]).count(), (
            f"the playground has no epoch counter with class {SELECTORS['epoch']!r} (label.add_class('annlib-epoch'))")
        play = playground.locator(SELECTORS["play_button"])
        assert play.count(), "the playground has no ipywidgets Play widget (.widget-play with a play button)"
        epoch_before, image_before = _state(playground)
        assert image_before is not None, "the playground shows no image (the decision boundary) before Play"

        play.first.click()
        end = time.monotonic() + PLAY_SECONDS
        epoch_after, image_after = epoch_before, image_before
        while time.monotonic() < end and (epoch_after == epoch_before or image_after == image_before):
            time.sleep(0.5)
            epoch_after, image_after = _state(playground)
        pause = playground.locator(SELECTORS["pause_button"])
        if pause.count():
            pause.first.click()
        nb.settle(deadline)

        assert epoch_after != epoch_before, (f"the epoch counter still reads {epoch_before!r} "
                                             f"{PLAY_SECONDS} s after pressing Play")
        assert image_after != image_before, f"the decision-boundary image did not change {PLAY_SECONDS} s after Play"
        problems = nb.collect_problems(nb.status(), "after playing")
        problems += nb.console_problems()
        H.SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        playground.scroll_into_view_if_needed(timeout=5000)
        nb.page.screenshot(path=str(H.SCREENSHOT_DIR / "07_training-playground.png"))
        problems += nb.log_console_problems()
        assert not problems, "\n".join(problems)
        print(f"playground: {epoch_before!r} -> {epoch_after!r}")
    finally:
        nb.close()
