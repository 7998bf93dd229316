"""Every notebook of the series in JupyterLab after Run All, as a student sees it: page by page screenshots.

    .venv/bin/python tools/screenshot_series.py [--out artifacts/pages] [notebook names ...]

Opens each notebook in headless Chromium (the browser tests' harness: tests/browser/browser_harness.py),
runs all cells, waits for the widgets, then scrolls through the notebook one window height at a time and
saves artifacts/pages/<notebook>/page-NN.png. For reading, not for asserting: the browser tests assert.
"""
import argparse
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
from tests.browser import browser_harness as H  # noqa: E402

_JS_SCROLL = r"""
([path, step]) => {
""" + H._JS_PANEL + r"""
  const panel = annlibPanel(path);
  const scroller = panel.content.node.querySelector('.jp-WindowedPanel-outer') || panel.content.node;
  const before = scroller.scrollTop;
  scroller.scrollTop = before + step * scroller.clientHeight * 0.9;
  return {before, after: scroller.scrollTop};
}
"""


def pages(lab, context, name, out):
    report = H.Report(name)
    nb = H.NotebookPage(lab, context, name, report)
    deadline = H.Deadline(H.NOTEBOOK_TIMEOUT)
    nb.open(deadline)
    nb.run_all()
    nb.wait_until_finished(deadline)
    nb.wait_widgets_rendered(deadline)
    problems = nb.collect_problems(nb.status(), "after Run All")
    folder = out / name.removesuffix(".ipynb")
    folder.mkdir(parents=True, exist_ok=True)
    nb.page.evaluate(_JS_SCROLL, [name, -1000])
    for k in range(200):
        time.sleep(0.6)                       # let lazily rendered cells and images appear
        nb.page.screenshot(path=str(folder / f"page-{k:02d}.png"))
        moved = nb.page.evaluate(_JS_SCROLL, [name, 1])
        if moved["after"] == moved["before"]:
            break
    nb.close()
    return k + 1, problems


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "artifacts" / "pages")
    parser.add_argument("names", nargs="*")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright
    names = args.names or [p.name for p in H.notebooks()]
    with tempfile.TemporaryDirectory() as tmp:
        lab = H.JupyterLab(H.NOTEBOOK_DIR, Path(tmp) / "lab")
        lab.start()
        try:
            with sync_playwright() as p:
                context = H.launch_browser(p, Path(tmp) / "profile")
                for name in names:
                    n, problems = pages(lab, context, name, args.out)
                    print(f"{name}: {n} pages in {args.out / name.removesuffix('.ipynb')}", *problems, sep="\n  ")
                context.close()
        finally:
            lab.stop()


if __name__ == "__main__":
    main()
