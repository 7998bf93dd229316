"""The README's first command, `make lab`, really starts JupyterLab on 127.0.0.1 with a token.

(The second, `make test`, is the command running this test.)
"""
import os
import re
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_readme_shows_exactly_the_two_commands():
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Two commands", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"^make (\w+)", section, flags=re.M)
    assert commands == ["lab", "test"]
    assert "make test" in (ROOT / ".ci" / "run").read_text()


def test_make_lab_serves_jupyterlab_with_a_token(tmp_path):
    port = free_port()
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"), "BROWSER": "true"}
    proc = subprocess.Popen(["make", "--no-print-directory", "lab", f"PORT={port}"], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        url, deadline, log = None, time.time() + 90, []
        while url is None and time.time() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            log.append(line)
            m = re.search(rf"(http://127\.0\.0\.1:{port}/lab\?token=\w+)", line)
            url = m.group(1) if m else None
        assert url, "make lab printed no token URL:\n" + "".join(log[-20:])
        page = None
        while page is None and time.time() < deadline:      # the URL may be printed just before it listens
            try:
                page = urllib.request.urlopen(url, timeout=30)
            except urllib.error.URLError:
                time.sleep(0.5)
        assert page is not None and page.status == 200
        assert "JupyterLab" in page.read().decode()
        with pytest.raises(urllib.error.HTTPError) as refused:        # without the token: no access
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/contents", timeout=30)
        assert refused.value.code == 403
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
