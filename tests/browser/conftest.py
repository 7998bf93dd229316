"""Fixtures for the browser tests: one JupyterLab server and one headless Chromium per session.

Environment variables:
  ANNLIB_NOTEBOOK_DIR     folder of notebooks to test (default: notebooks/ of this repository)
  ANNLIB_SCREENSHOT_DIR   where screenshots go (default: artifacts/screenshots/)
  ANNLIB_BROWSER_TIMEOUT  seconds per notebook (default 120)
  ANNLIB_CHROMIUM         path of the Chromium executable (default /usr/bin/chromium or `chromium` on PATH)

The whole folder is skipped, with a one-line reason, when Chromium or the playwright package is missing.
"""
import pytest

from . import browser_harness as H


def pytest_collection_modifyitems(config, items):
    reason = H.skip_reason()
    here = str(H.Path(__file__).parent)
    for item in items:
        if str(item.path).startswith(here):
            item.add_marker(pytest.mark.browser)
            # each test's own time limit (pytest-timeout): a notebook's deadline plus starting the server;
            # when it runs out, the session fixtures' teardown still stops JupyterLab and Chromium
            item.add_marker(pytest.mark.timeout(H.NOTEBOOK_TIMEOUT + 180))
            if reason:
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def lab(tmp_path_factory):
    """A JupyterLab server on 127.0.0.1 with a token, serving a copy of the notebooks."""
    server = H.JupyterLab(H.NOTEBOOK_DIR, tmp_path_factory.mktemp("jupyterlab"))
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser(tmp_path_factory):
    """One headless Chromium context (fresh profile) for the session; each test opens its own tab."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        context = H.launch_browser(p, tmp_path_factory.mktemp("chromium-profile"))
        yield context
        context.close()
