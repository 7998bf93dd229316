"""Drive JupyterLab in a real Chromium, the way a student opens a notebook.

Used by the tests in this folder (see conftest.py for the fixtures):

* ``JupyterLab``      one JupyterLab server for the whole session, on 127.0.0.1 with a token and its own
                      Jupyter config/data/runtime directories; it serves a *copy* of the notebooks,
                      because JupyterLab autosaves outputs into the files it opens.
* ``check_notebook``  opens one notebook on a fresh kernel, runs Run > Run All Cells, waits until every
                      cell has finished, looks for anything a person would see as broken, moves the first
                      widget control and checks that the figure changed. It returns a ``Report`` whose
                      ``problems`` list is empty when all is well (the self-test feeds it a broken
                      notebook and asserts that the problems are found).

Nothing here imports playwright at import time, so the suite can be skipped cleanly without it.
"""
from __future__ import annotations

import atexit
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
NOTEBOOK_DIR = Path(os.environ.get("ANNLIB_NOTEBOOK_DIR") or REPO / "notebooks").resolve()
SCREENSHOT_DIR = Path(os.environ.get("ANNLIB_SCREENSHOT_DIR") or REPO / "artifacts" / "screenshots")
# Seconds for one notebook: open, run all, check, interact. Override with ANNLIB_BROWSER_TIMEOUT.
NOTEBOOK_TIMEOUT = float(os.environ.get("ANNLIB_BROWSER_TIMEOUT", "120"))
# Seconds a figure may take to react to one control change.
REACTION_TIMEOUT = 15.0

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage"]


def find_chromium():
    """Path of the system Chromium (ANNLIB_CHROMIUM, /usr/bin/chromium, or chromium on PATH), or None."""
    for candidate in (os.environ.get("ANNLIB_CHROMIUM"), "/usr/bin/chromium"):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return shutil.which("chromium") or shutil.which("chromium-browser")


def skip_reason():
    """Why the browser tests cannot run here (one line), or None when they can."""
    if find_chromium() is None:
        return "browser tests need Chromium (/usr/bin/chromium or chromium on PATH); `apt-get install chromium`"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "browser tests need the playwright Python package (`pip install -r requirements.txt`)"
    return None


def notebooks():
    """The notebooks the suite covers, discovered at collection time (ANNLIB_NOTEBOOK_DIR overrides)."""
    return sorted(p for p in NOTEBOOK_DIR.glob("*.ipynb") if not p.name.startswith("."))


# ------------------------------------------------------------------------------------------------
# The server
# ------------------------------------------------------------------------------------------------

def die_with_parent():
    """``preexec_fn`` for a server started by a test: on Linux the kernel sends it SIGTERM when the test run
    that started it dies, even by SIGKILL (when no ``finally`` or atexit handler runs). Elsewhere a no-op."""
    if sys.platform.startswith("linux"):
        import ctypes
        PR_SET_PDEATHSIG = 1
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def _free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class JupyterLab:
    """One JupyterLab server in ``workdir``; ``served`` (the root it serves) starts as a copy of ``source``."""

    def __init__(self, source: Path, workdir: Path):
        self.source, self.workdir = Path(source), Path(workdir)
        self.served = self.workdir / "served"
        self.token = secrets.token_hex(24)
        self.port = None
        self.proc = None
        self.log_path = self.workdir / "jupyterlab.log"

    # -- lifecycle ---------------------------------------------------------------------------------
    def start(self, timeout=90):
        if self.source.is_dir():
            shutil.copytree(self.source, self.served,
                            ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
        else:
            self.served.mkdir(parents=True)
        config, data, runtime, ipython = (self.workdir / d for d in ("config", "data", "runtime", "ipython"))
        for d in (config / "labconfig", data, runtime, ipython):
            d.mkdir(parents=True, exist_ok=True)
        # No "would you like news?" toast, no network fetches from the announcements plugin.
        (config / "labconfig" / "page_config.json").write_text(json.dumps(
            {"disabledExtensions": {"@jupyterlab/apputils-extension:announcements": True}}))
        env = dict(os.environ, JUPYTER_CONFIG_DIR=str(config), JUPYTER_DATA_DIR=str(data),
                   JUPYTER_RUNTIME_DIR=str(runtime), IPYTHONDIR=str(ipython), PYDEVD_DISABLE_FILE_VALIDATION="1")
        env.pop("MPLBACKEND", None)          # `make test` sets Agg; a student's kernel uses the inline backend
        env.pop("JUPYTER_TOKEN", None)
        last_error = None
        for _attempt in range(3):            # the free port can be taken between probing and binding
            self.port = _free_port()
            cmd = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={self.port}",
                   "--ServerApp.port_retries=0", f"--IdentityProvider.token={self.token}",
                   f"--ServerApp.root_dir={self.served}", "--LabApp.expose_app_in_browser=True",
                   "--ServerApp.terminals_enabled=False"]
            if hasattr(os, "geteuid") and os.geteuid() == 0:      # CI containers run as root
                cmd.append("--allow-root")
            self._log = open(self.log_path, "ab")
            self.proc = subprocess.Popen(cmd, cwd=self.served, env=env, stdout=self._log, stderr=subprocess.STDOUT,
                                         stdin=subprocess.DEVNULL, start_new_session=True,
                                         preexec_fn=die_with_parent)
            atexit.register(self.stop)
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline and self.proc.poll() is None:
                try:
                    self.api("GET", "api/status", timeout=2)
                    return self
                except (OSError, urllib.error.URLError) as e:
                    last_error = e
                    time.sleep(0.3)
            self.stop()
        raise RuntimeError(f"JupyterLab did not start ({last_error}); log:\n{self.log_tail()}")

    def stop(self):
        """Shut down every kernel, then the server; kill its process group if it lingers."""
        proc, self.proc = self.proc, None
        if proc is None:
            return
        if proc.poll() is None:
            try:
                for session in self.api("GET", "api/sessions", timeout=5):
                    self.api("DELETE", f"api/sessions/{session['id']}", timeout=10)
                for kernel in self.api("GET", "api/kernels", timeout=5):
                    self.api("DELETE", f"api/kernels/{kernel['id']}", timeout=10)
                self.api("POST", "api/shutdown", timeout=5)
            except Exception:                # noqa: BLE001 - best effort, the kill below is the guarantee
                pass
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                pass
        for sig in (signal.SIGTERM, signal.SIGKILL):   # the server's own process group: it and its kernels
            try:
                os.killpg(proc.pid, sig)
            except (ProcessLookupError, PermissionError):
                break
            time.sleep(1)
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass
        self._log.close()

    # -- helpers -------------------------------------------------------------------------------------
    def url(self, path):
        sep = "&" if "?" in path else "?"
        return f"http://127.0.0.1:{self.port}/{path}{sep}token={self.token}"

    def api(self, method, path, body=None, timeout=10):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}/{path}", data=data, method=method,
                                         headers={"Authorization": f"token {self.token}",
                                                  "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=timeout) as response:
            text = response.read()
        return json.loads(text) if text else None

    def shutdown_sessions(self, path):
        """Shut down the kernel of every session on ``path`` (relative to the served root)."""
        for session in self.api("GET", "api/sessions"):
            if session.get("path") == path:
                self.api("DELETE", f"api/sessions/{session['id']}", timeout=20)

    def log_size(self):
        return self.log_path.stat().st_size if self.log_path.exists() else 0

    def log_since(self, offset):
        with open(self.log_path, "rb") as f:
            f.seek(offset)
            return f.read().decode("utf-8", "replace")

    def log_tail(self, n=4000):
        return self.log_since(max(0, self.log_size() - n)) if self.log_path.exists() else ""

    def add_notebook(self, relpath, notebook_json):
        """Write a notebook (a dict) into the served tree, e.g. for the checker's self-test."""
        target = self.served / relpath
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(notebook_json, indent=1))
        return relpath


# ------------------------------------------------------------------------------------------------
# The browser
# ------------------------------------------------------------------------------------------------

def launch_browser(playwright, user_data_dir):
    """Chromium from the system (no downloads), a fresh profile, one context for the whole session."""
    return playwright.chromium.launch_persistent_context(
        str(user_data_dir), executable_path=find_chromium(), headless=True, args=CHROMIUM_ARGS,
        viewport={"width": 1400, "height": 1000}, device_scale_factor=1)


# JavaScript run in the page. ``window.jupyterapp`` exists because the server runs with
# --LabApp.expose_app_in_browser=True; it is used only to *read* the notebook's state.
MIN_TRACK_PX = 100      # a slider's track narrower than this is hard to use (annlib's builders leave 120 px)

_JS_PANEL = r"""
function annlibPanel(path) {
  const app = window.jupyterapp;
  if (!app) return null;
  for (const w of Array.from(app.shell.widgets('main'))) {
    if (w.context && w.context.path === path && w.content && w.sessionContext) return w;
  }
  return null;
}
function annlibHash(s) {            // FNV-1a, enough to tell two images apart
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) { h ^= s.charCodeAt(i); h = Math.imul(h, 0x01000193); }
  return (h >>> 0).toString(16) + ':' + s.length;
}
"""

_JS_STATUS = r"""
(path) => {
""" + _JS_PANEL + f"const MIN_TRACK_PX = {MIN_TRACK_PX};" + r"""
  const panel = annlibPanel(path);
  if (!panel) return {found: false};
  const cells = panel.content.widgets.map((cell, index) => {
    const model = cell.model;
    const info = {index, type: model.type, empty: model.sharedModel.getSource().trim() === ''};
    if (model.type === 'code') {
      const prompt = cell.node.querySelector('.jp-InputPrompt');
      info.running = !!prompt && prompt.textContent.includes('*');
      info.count = model.executionCount;
      info.errors = model.outputs.toJSON().filter(o => o.output_type === 'error')
                         .map(o => `${o.ename}: ${o.evalue}`);
    }
    return info;
  });
  const text = panel.content.node.textContent;
  const tracebacks = [];
  for (const node of panel.content.node.querySelectorAll(
        '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')) {
    const t = node.textContent;
    if (t.includes('Traceback (most recent call last)') || /^\s*-{20,}\s*\n?\s*\w+(Error|Exception)/.test(t)) {
      const cell = node.closest('.jp-Cell');
      const index = panel.content.widgets.findIndex(c => c.node === cell);
      tracebacks.push({index, text: t.slice(-400)});
    }
  }
  const errorWidgets = Array.from(panel.content.node.querySelectorAll('.jupyter-widgets-error-widget')).map(
      node => panel.content.widgets.findIndex(c => c.node === node.closest('.jp-Cell')));
  // Sliders whose label leaves the track too little room to use (a track of 0 px is not laid out: skipped).
  const narrowSliders = [];
  for (const track of panel.content.node.querySelectorAll('.widget-slider .slider-container')) {
    const width = track.getBoundingClientRect().width;
    if (width > 0 && width < MIN_TRACK_PX) {
      const row = track.closest('.widget-slider');
      const label = row.querySelector('.widget-label');
      narrowSliders.push({index: panel.content.widgets.findIndex(c => c.node === row.closest('.jp-Cell')),
                          label: label ? label.textContent.trim() : '', width: Math.round(width)});
    }
  }
  const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
  return {
    errorWidgets,
    narrowSliders,
    found: true,
    ready: panel.context.isReady,
    kernelStatus: kernel ? kernel.status : 'none',
    kernelDisplayStatus: panel.sessionContext.kernelDisplayStatus,
    cells,
    tracebacks,
    loadingWidgets: (text.match(/Loading widget\.\.\./g) || []).length,
    widgetErrors: (text.match(/Error (displaying|rendering|creating) widget[^\n]{0,80}/g) || []),
  };
}
"""

_JS_CANDIDATES = r"""
(path) => {
""" + _JS_PANEL + r"""
  const panel = annlibPanel(path);
  if (!panel) return [];
  const kinds = [
    ['slider', '.widget-slider .noUi-handle'],
    ['dropdown', '.widget-dropdown select'],
    ['toggle-buttons', '.widget-toggle-buttons button'],
    ['checkbox', '.widget-checkbox input[type=checkbox]'],
    ['radio', '.widget-radio-box input[type=radio]'],
    ['button', 'button.jupyter-button'],
  ];
  const selector = kinds.map(k => '.jp-OutputArea ' + k[1]).join(', ');
  const found = [];
  for (const el of panel.content.node.querySelectorAll(selector)) {
    if (el.closest('.widget-play') || el.disabled || el.closest('.jp-mod-hidden')) continue;
    const kind = kinds.find(k => el.matches(k[1]))[0];
    if (kind === 'button' && el.closest('.widget-toggle-buttons')) continue;
    const cell = el.closest('.jp-Cell');
    const index = panel.content.widgets.findIndex(c => c.node === cell);
    const row = el.closest('.widget-inline-hbox') || el.parentElement;
    const labelNode = row && row.querySelector('.widget-label');
    const label = (labelNode && labelNode.textContent.trim()) || el.textContent.trim() || el.title || '';
    el.setAttribute('data-annlib-candidate', String(found.length));
    found.push({n: found.length, kind, cell: index, label});
  }
  // Last resort: a Play widget's play button (pressed, then paused again once the figure changed).
  for (const icon of panel.content.node.querySelectorAll('.jp-OutputArea .widget-play button .fa-play')) {
    const el = icon.closest('button');
    if (el.disabled) continue;
    const index = panel.content.widgets.findIndex(c => c.node === el.closest('.jp-Cell'));
    el.setAttribute('data-annlib-candidate', String(found.length));
    found.push({n: found.length, kind: 'play', cell: index, label: 'play'});
  }
  return found;
}
"""

_JS_IMAGES = r"""
([path, cellIndex]) => {
""" + _JS_PANEL + r"""
  const panel = annlibPanel(path);
  if (!panel) return null;
  const hashes = (root) => Array.from(root.querySelectorAll('.jp-OutputArea img, .jp-OutputArea svg'))
      .map(el => annlibHash(el.tagName === 'IMG' ? (el.getAttribute('src') || '') : el.outerHTML));
  const cell = panel.content.widgets[cellIndex];
  let images = cell ? hashes(cell.node) : [];
  let scope = 'cell';
  if (images.length === 0) { images = hashes(panel.content.node); scope = 'notebook'; }
  return {scope, images};
}
"""

_JS_LOG_CONSOLE = r"""
async (path) => {
  const app = window.jupyterapp;
  if (!app) return null;
  await app.commands.execute('logconsole:open', {source: path, insertMode: 'split-bottom', activate: false});
  for (let i = 0; i < 40; i++) {
    const area = document.getElementById('source:' + path);
    if (area) {
      return Array.from(area.querySelectorAll(':scope > .jp-OutputArea-child')).map(child => {
        const prompt = child.querySelector('[data-log-level]');
        const output = child.querySelector('.jp-OutputArea-output');
        return {level: prompt ? prompt.getAttribute('data-log-level') : '', text: output ? output.textContent : ''};
      });
    }
    await new Promise(r => setTimeout(r, 100));
  }
  return null;
}
"""

_JS_SCROLL_TO_OUTPUT = r"""
([path, index]) => {
""" + _JS_PANEL + r"""
  const panel = annlibPanel(path);
  const cell = panel && panel.content.widgets[index];
  const target = cell && (cell.node.querySelector('.jp-Cell-outputWrapper') || cell.node);
  if (target) target.scrollIntoView({block: 'start'});
}
"""

_JS_SLIDER_READOUT = r"""
(el) => {
  const row = el.closest('.widget-slider');
  const readout = row && row.querySelector('.widget-readout');
  return readout ? readout.textContent : el.getAttribute('aria-valuenow');
}
"""


@dataclass
class Report:
    notebook: str
    problems: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    console_errors: list = field(default_factory=list)
    control: str | None = None
    seconds: dict = field(default_factory=dict)
    screenshot: str | None = None

    def summary(self):
        lines = [f"{self.notebook}: {len(self.problems)} problem(s)"]
        lines += [f"  - {p}" for p in self.problems]
        lines += [f"  (note) {n}" for n in self.notes]
        if self.console_errors:
            lines.append("  browser console errors:")
            lines += [f"    {e[:300]}" for e in self.console_errors[:10]]
        if self.screenshot:
            lines.append(f"  screenshot: {self.screenshot}")
        return "\n".join(lines)


class Deadline:
    def __init__(self, seconds):
        self.end = time.monotonic() + seconds

    def left(self):
        return self.end - time.monotonic()

    def expired(self):
        return self.left() <= 0


# Browser console messages that say a widget failed (the rest are reported as notes only).
_WIDGET_ERROR = re.compile(r"widget|jupyter-widgets|ipywidgets|\bcomm\b|Class \w+ not found|\bmodel\b", re.I)


class NotebookPage:
    """One notebook open in one browser tab."""

    def __init__(self, lab: JupyterLab, context, path: str, report: Report):
        self.lab, self.context, self.path, self.report = lab, context, path, report
        self.page = None
        self.console = []

    # -- opening and running ---------------------------------------------------------------------
    def open(self, deadline: Deadline):
        self.lab.shutdown_sessions(self.path)            # a fresh kernel, whatever ran before
        self.page = self.context.new_page()
        self.page.on("console", lambda m: m.type == "error" and self.console.append(f"console: {m.text}"))
        self.page.on("pageerror", lambda e: self.console.append(f"pageerror: {e}"))
        workspace = re.sub(r"[^A-Za-z0-9]+", "-", self.path).strip("-")
        self.page.goto(self.lab.url(f"lab/workspaces/{workspace}/tree/{self.path}?reset"),
                       timeout=max(1, deadline.left()) * 1000)
        self.page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell",
                                    timeout=max(1, deadline.left()) * 1000)
        # Wait for the panel and its kernel; accept a kernel-selection dialog if one appears.
        while True:
            dialog = self.page.locator(".jp-Dialog .jp-mod-accept")
            if dialog.count() and dialog.first.is_visible():
                dialog.first.click()
            status = self.status()
            if status.get("found") and status.get("ready") and status.get("kernelStatus") == "idle":
                return status
            if deadline.expired():
                raise TimeoutError(f"{self.path}: the notebook or its kernel did not become ready "
                                   f"(last status {status.get('kernelDisplayStatus')})")
            time.sleep(0.3)

    def status(self):
        return self.page.evaluate(_JS_STATUS, self.path)

    def run_all(self):
        """Run > Run All Cells, through the menu bar as a person would."""
        self.page.locator(".jp-NotebookPanel .jp-Notebook").first.click(position={"x": 5, "y": 5})
        menu = self.page.locator(".lm-MenuBar-item", has_text=re.compile(r"^\s*Run\s*$"))
        menu.first.click()
        item = self.page.locator(".lm-Menu-item:not(.lm-mod-hidden)", has_text=re.compile(r"^\s*Run All Cells\s*"))
        item.first.click()

    def wait_until_finished(self, deadline: Deadline, settle=1.0):
        """Until no cell is queued or running and the kernel has been idle for ``settle`` seconds."""
        quiet_since = None
        while True:
            status = self.status()
            code = [c for c in status["cells"] if c["type"] == "code" and not c["empty"]]
            running = any(c["running"] for c in code)
            errored = any(c["errors"] for c in code)
            all_ran = all(c["count"] for c in code)
            if status["kernelStatus"] == "idle" and not running and (all_ran or errored):
                quiet_since = quiet_since or time.monotonic()
                if time.monotonic() - quiet_since >= settle:
                    return status
            else:
                quiet_since = None
            if deadline.expired():
                busy = [c["index"] for c in code if c["running"]]
                raise TimeoutError(f"{self.path}: cells still running or queued at the timeout: {busy}, "
                                   f"kernel {status['kernelStatus']}")
            time.sleep(0.25)

    def wait_widgets_rendered(self, deadline: Deadline, limit=20.0):
        end = min(deadline.end, time.monotonic() + limit)
        while True:
            status = self.status()
            if status["loadingWidgets"] == 0 or time.monotonic() > end:
                return status
            time.sleep(0.25)

    # -- what a person would see as broken ---------------------------------------------------------
    def collect_problems(self, status, when):
        problems = []
        code = [c for c in status["cells"] if c["type"] == "code" and not c["empty"]]
        for c in code:
            for error in c["errors"]:
                problems.append(f"{when}: cell {c['index']} shows an error output: {error}")
        first_error = min((c["index"] for c in code if c["errors"]), default=None)
        not_run = [c["index"] for c in code if not c["count"] and (first_error is None or c["index"] < first_error)]
        if not_run:
            problems.append(f"{when}: cells {not_run} did not run")
        for tb in status["tracebacks"]:
            if not any(c["index"] == tb["index"] and c["errors"] for c in code):
                problems.append(f"{when}: cell {tb['index']} shows a traceback (e.g. inside a widget's output): "
                                f"...{tb['text'][-200:]!r}")
        for index in status["errorWidgets"]:
            problems.append(f"{when}: cell {index} shows a widget that failed to display (Error displaying widget: "
                            "ipywidgets error widget; its JavaScript error is in the browser console)")
        for message in status["widgetErrors"]:
            problems.append(f"{when}: the page shows {message!r}")
        for slider in status.get("narrowSliders", []):
            problems.append(f"{when}: cell {slider['index']}'s slider {slider['label']!r} has a track of only "
                            f"{slider['width']} px (at least {MIN_TRACK_PX} px is usable): widen the control")
        if status["loadingWidgets"]:
            problems.append(f"{when}: {status['loadingWidgets']} widget(s) still show 'Loading widget...'")
        return problems

    def log_console_problems(self):
        """Errors in JupyterLab's Log Console: where a widget callback's traceback goes (View > Show Log Console)."""
        entries = self.page.evaluate(_JS_LOG_CONSOLE, self.path)
        if entries is None:
            return ["could not open the Log Console to look for widget callback errors"]
        problems = []
        for entry in entries:
            if entry["level"] in ("error", "critical") or "Traceback (most recent call last)" in entry["text"]:
                lines = [line.strip() for line in entry["text"].splitlines() if line.strip()]
                problems.append(f"the Log Console shows an entry of level {entry['level']!r} (a widget callback raised?): "
                                f"{lines[-1] if lines else ''}")
        return problems

    def console_problems(self):
        widget_errors = [e for e in self.console if _WIDGET_ERROR.search(e)]
        return [f"JavaScript console error from widgets: {e[:300]}" for e in widget_errors]

    # -- moving a control ----------------------------------------------------------------------------
    def images(self, cell):
        return self.page.evaluate(_JS_IMAGES, [self.path, cell])

    def candidates(self):
        return self.page.evaluate(_JS_CANDIDATES, self.path)

    def _operate(self, candidate):
        """Change one control as a person would. Returns a description of what was done."""
        control = self.page.locator(f'[data-annlib-candidate="{candidate["n"]}"]')
        control.scroll_into_view_if_needed(timeout=5000)
        kind = candidate["kind"]
        if kind == "slider":
            before = control.evaluate(_JS_SLIDER_READOUT)
            control.focus()
            self.page.keyboard.press("ArrowRight")
            time.sleep(0.4)
            if control.evaluate(_JS_SLIDER_READOUT) == before:      # already at its maximum
                self.page.keyboard.press("ArrowLeft")
                self.page.keyboard.press("ArrowLeft")
                time.sleep(0.4)
            after = control.evaluate(_JS_SLIDER_READOUT)
            return f"slider {candidate['label']!r}: {before} -> {after} (keyboard)"
        if kind == "dropdown":
            options = control.evaluate("el => Array.from(el.options).map(o => o.textContent)")
            current = control.evaluate("el => el.selectedIndex")
            if len(options) < 2:
                return None
            new = (current + 1) % len(options)
            control.select_option(index=new)
            return f"dropdown {candidate['label']!r}: {options[current]!r} -> {options[new]!r}"
        if kind == "toggle-buttons":
            if "mod-active" in (control.get_attribute("class") or ""):
                siblings = control.locator("xpath=../button[not(contains(@class,'mod-active'))]")
                if not siblings.count():
                    return None
                control = siblings.first
            control.click()
            return f"toggle button {control.text_content().strip()!r}"
        control.click()
        if kind == "play":
            return "Play widget's play button clicked"
        return f"{kind} {candidate['label']!r} clicked"

    def change_a_control(self, deadline: Deadline, max_tries=4, reaction_timeout=REACTION_TIMEOUT):
        """Move the first controls, in page order, until one changes the figure near it."""
        candidates = self.candidates()
        if not candidates:
            return False, ["no ipywidgets control (slider, dropdown, button, ...) found in the outputs"]
        tried = []
        for candidate in candidates[:max_tries]:
            if deadline.expired():
                break
            before = self.images(candidate["cell"])
            if not before["images"]:
                tried.append(f"{candidate['kind']} {candidate['label']!r} in cell {candidate['cell']}: no figure near it")
                continue
            action = self._operate(candidate)
            if action is None:
                continue
            end = min(deadline.end, time.monotonic() + reaction_timeout)
            while time.monotonic() < end:
                after = self.images(candidate["cell"])
                if after["images"] and after["images"] != before["images"]:
                    if candidate["kind"] == "play":
                        self.pause(f'[data-annlib-candidate="{candidate["n"]}"]')
                    self.settle(deadline)
                    self.report.control = f"{action}, cell {candidate['cell']}: the figure changed"
                    self.changed_cell = candidate["cell"]
                    return True, []
                time.sleep(0.25)
            if candidate["kind"] == "play":
                self.pause(f'[data-annlib-candidate="{candidate["n"]}"]')
            tried.append(f"{action} in cell {candidate['cell']}: the figure ({before['scope']}) did not change "
                         f"within {reaction_timeout:.0f} s")
        return False, ["no control changed a figure: " + "; ".join(tried)]

    def pause(self, play_button_selector):
        """Press the pause button of the Play widget that holds ``play_button_selector``."""
        pause = self.page.locator(play_button_selector).locator(
            "xpath=ancestor::*[contains(concat(' ', @class, ' '), ' widget-play ')][1]//button[.//*[contains(@class, 'fa-pause')]]")
        if pause.count():
            pause.first.click()

    def settle(self, deadline: Deadline, quiet=0.75):
        quiet_since = None
        while not deadline.expired():
            if self.status()["kernelStatus"] == "idle":
                quiet_since = quiet_since or time.monotonic()
                if time.monotonic() - quiet_since >= quiet:
                    return
            else:
                quiet_since = None
            time.sleep(0.2)

    def screenshot(self, target: Path, cell=None):
        """A screenshot of the window, scrolled so that the outputs of ``cell`` (the widget) are at the top."""
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            if cell is not None:
                self.page.evaluate(_JS_SCROLL_TO_OUTPUT, [self.path, cell])
                time.sleep(0.5)
            self.page.screenshot(path=str(target))
            return str(target)
        except Exception as e:  # noqa: BLE001 - a screenshot must never hide the real result
            self.report.notes.append(f"screenshot failed: {e}")
            return None

    def close(self):
        try:
            self.lab.shutdown_sessions(self.path)
        finally:
            if self.page is not None:
                self.page.close()


def check_notebook(lab: JupyterLab, context, path: str, screenshot: Path | None = None,
                   timeout: float = NOTEBOOK_TIMEOUT, interact: bool = True,
                   reaction_timeout: float = REACTION_TIMEOUT) -> Report:
    """Open ``path`` (relative to the served root) on a fresh kernel, run all, check, change a control."""
    report = Report(path)
    deadline = Deadline(timeout)
    nb = NotebookPage(lab, context, path, report)
    nb.changed_cell = None
    log_offset = lab.log_size()
    t0 = time.monotonic()
    try:
        nb.open(deadline)
        report.seconds["open"] = round(time.monotonic() - t0, 1)
        t1 = time.monotonic()
        nb.run_all()
        status = nb.wait_until_finished(deadline)
        status = nb.wait_widgets_rendered(deadline)
        report.seconds["run_all"] = round(time.monotonic() - t1, 1)
        report.problems += nb.collect_problems(status, "after Run All")
        if interact:
            t2 = time.monotonic()
            ok, problems = nb.change_a_control(deadline, reaction_timeout=reaction_timeout)
            report.problems += problems
            seen = {p.split(": ", 1)[-1] for p in report.problems}
            report.problems += [p for p in nb.collect_problems(nb.status(), "after changing a control")
                                if p.split(": ", 1)[-1] not in seen]
            report.seconds["interact"] = round(time.monotonic() - t2, 1)
    except Exception as e:  # noqa: BLE001 - report, with the screenshot, rather than lose the context
        report.problems.append(f"{type(e).__name__}: {e}")
    finally:
        if nb.page is not None:
            if screenshot is not None:
                report.screenshot = nb.screenshot(screenshot, nb.changed_cell)
            try:
                report.problems += nb.log_console_problems()
            except Exception as e:  # noqa: BLE001
                report.notes.append(f"reading the Log Console: {e}")
        report.console_errors = list(nb.console)
        report.problems += nb.console_problems()
        log = lab.log_since(log_offset)          # before closing: closing tabs and kernels logs noise
        try:
            nb.close()
        except Exception as e:  # noqa: BLE001
            report.notes.append(f"closing: {e}")
        match = re.search(r"Traceback \(most recent call last\)|Exception in comm_msg", log)
        if match:
            lines = log[match.start(): match.start() + 4000].splitlines()
            last = next((line.strip() for line in lines[1:] if re.match(r"^[A-Za-z_][\w.]*(Error|Exception)\b", line)),
                        lines[-1].strip() if lines else "")
            report.problems.append(f"the kernel/server log shows a traceback (e.g. from a widget callback): "
                                   f"{lines[0].strip()} ... {last}")
        report.seconds["total"] = round(time.monotonic() - t0, 1)
    return report
