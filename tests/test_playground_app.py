"""The playground as a standalone app: Voila serves notebooks/playground.ipynb with no code cells showing.

Starts `voila notebooks/playground.ipynb` on a free 127.0.0.1 port, fetches the page over HTTP, checks that it
is served (status 200), that it carries Voila's widget manager and the rendered playground widget, and that
no code is shown; then shuts the server down. Skipped when Voila is not installed.

The test has a time limit of its own (pytest-timeout); when it runs out, or the run is interrupted, the
``finally`` stops the server; when the whole run is killed, the server gets SIGTERM from the kernel
(``die_with_parent``). Nothing is left running.
"""
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from browser.browser_harness import die_with_parent

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "playground.ipynb"


def _voila():
    exe = Path(sys.executable).with_name("voila")
    return str(exe) if exe.exists() else shutil.which("voila")


pytestmark = pytest.mark.skipif(_voila() is None, reason="voila is not installed (pip install 'voila>=0.5,<0.6')")


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url, timeout):
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.status, response.read().decode("utf-8", "replace")


TIME_LIMIT = 240     # seconds for the whole test: start Voila, run the app notebook, serve the page


@pytest.mark.timeout(TIME_LIMIT)
def test_voila_serves_the_playground(tmp_path):
    port = _free_port()
    log = open(tmp_path / "voila.log", "w+")
    env = {**os.environ, "MPLBACKEND": "module://matplotlib_inline.backend_inline"}
    server = subprocess.Popen([_voila(), str(NOTEBOOK), f"--port={port}", "--Voila.ip=127.0.0.1", "--no-browser"],
                              cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True,
                              preexec_fn=die_with_parent)
    try:
        url = f"http://127.0.0.1:{port}/"
        deadline = time.monotonic() + TIME_LIMIT - 60
        status, page = None, ""
        while time.monotonic() < deadline:
            if server.poll() is not None:
                break
            try:
                # Voila runs the notebook while it streams the page: the request returns when it is done
                status, page = _get(url, timeout=110)
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError, socket.timeout):
                time.sleep(0.5)
        log.seek(0)
        assert status == 200, f"voila did not serve {url} (status {status}); its log:\n{log.read()[-3000:]}"
        assert "jupyter-widgets" in page or "widgets-manager" in page, "no widget manager markup in the page"
        assert "application/vnd.jupyter.widget-view+json" in page, "the playground widget was not rendered"
        assert "annlib playground" in page
        assert "widgets.playground(" not in page, "the page shows the notebook's code; Voila should hide it"
        assert '"output_type": "error"' not in page, "a cell of the app notebook raised an error"
    finally:
        os.killpg(server.pid, signal.SIGTERM)        # voila and the kernel it started
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=10)
        log.close()
