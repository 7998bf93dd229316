"""Headless execution and static pages of the series (`make html`), without the lost-reply stall.

    .venv/bin/python tools/headless.py --output-dir artifacts/html --timeout 300 notebooks/*.ipynb

Why a stall happened (issue 15): nbclient mimics a front end's Output widget. When the kernel writes into
an Output widget (annlib's LiveFigure redraws into one, also while the cell that displays it runs), nbclient
sends the new ``outputs`` back to the kernel as a ``comm_msg`` on the shell socket, while it is waiting on
that same socket for the cell's ``execute_reply``. jupyter_client's ``Session.send`` sends through a plain
(synchronous) shadow of the ``zmq.asyncio`` socket. A libzmq send processes the socket's pending commands,
which consumes the edge-triggered wake-up (ZMQ_FD) of a reply arriving at that moment, and pyzmq's asyncio
layer never learns of the send, so it does not look at ZMQ_EVENTS again: the reply sits in the socket, and
the poll that waits for it only returns when its timeout fires (nbclient then reads the reply and goes on,
one cell timeout late). Upstream: jupyter/jupyter_client#1059 (the shadow send; open), jupyter/nbclient#312;
the kernel-side twin in ipykernel 7 is ipython/ipykernel#1554.

The fix here: the mimicked Output widget sends its message through the ``zmq.asyncio`` socket itself. That
send happens at once (pyzmq tries a non-blocking send first) and is followed by pyzmq's own re-check of
ZMQ_EVENTS, which wakes the poll waiting for the reply. Nothing else about execution changes.

The pages: each widget is replaced by a static picture of it (its figure as an embedded PNG, its title,
help and the values of its controls), so a page needs no widget JavaScript and shows every figure offline.
Equations are typeset by MathJax: from a copy next to the pages if the jupyter-server-mathjax package is
installed, else from a CDN (then, offline, the equations show as TeX source).
"""
import argparse
import base64
import html
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.output_widget import OutputWidget
from nbconvert.preprocessors import ExecutePreprocessor

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


class ReplySafeOutputWidget(OutputWidget):
    """nbclient's Output widget mimic, sending through the asyncio socket (see the module docstring)."""

    def _publish_msg(self, msg_type, data=None, metadata=None, buffers=None, **keys):
        from nbclient.jsonutil import json_clean

        content = json_clean(dict(data={} if data is None else data, comm_id=self.comm_id, **keys))
        session = self.kernel_client.session
        msg = session.msg(msg_type, content=content, parent=self.parent_header,
                          metadata={} if metadata is None else metadata)
        frames = session.serialize(msg) + list(buffers or [])
        # zmq.asyncio.Socket.send_multipart: sent now (non-blocking first try, which succeeds on a DEALER
        # with room), then pyzmq re-reads ZMQ_EVENTS and wakes a pending poll if a reply came in meanwhile.
        sent = self.kernel_client.shell_channel.socket.send_multipart(frames)
        if hasattr(sent, "done") and not sent.done():    # only if the socket was full: let the loop finish it
            sent.add_done_callback(lambda f: f.exception())


class _ReplySafe:
    """Mixin for nbclient's NotebookClient and its subclasses: mimic Output widgets with the class above."""

    def on_comm_open_jupyter_widget(self, msg):
        state = msg["content"]["data"]["state"]
        widget_class = self.widget_registry.get(state["_model_module"], {}).get(state["_model_name"])
        if widget_class is OutputWidget:
            return ReplySafeOutputWidget(msg["content"]["comm_id"], state, self.kc, self)
        return super().on_comm_open_jupyter_widget(msg)


class ReplySafeNotebookClient(_ReplySafe, NotebookClient):
    """nbclient.NotebookClient without the lost-reply stall."""


class ReplySafeExecutePreprocessor(_ReplySafe, ExecutePreprocessor):
    """nbconvert's ExecutePreprocessor without the lost-reply stall."""


# ---- static pictures of the widgets ------------------------------------------------------------------------

def _model_id(ref):
    return ref[len("IPY_MODEL_"):] if isinstance(ref, str) and ref.startswith("IPY_MODEL_") else None


def _output_html(out):
    data = out.get("data", {})
    if "image/png" in data:
        png = data["image/png"].replace("\n", "")
        return f"<img src='data:image/png;base64,{png}' style='max-width:100%' alt='widget figure'>"
    if "text/html" in data:
        text = data["text/html"]
        return "".join(text) if isinstance(text, list) else text
    text = out.get("text") or data.get("text/plain") or ""
    text = "".join(text) if isinstance(text, list) else text
    return f"<pre>{html.escape(text)}</pre>" if text.strip() else ""


def _value_text(state):
    value = state.get("value")
    if "options" in state or "_options_labels" in state:
        labels = state.get("_options_labels") or state.get("options") or []
        index = state.get("index")
        if isinstance(index, (list, tuple)):
            return ", ".join(str(labels[i]) for i in index if i < len(labels))
        if isinstance(index, int) and index < len(labels):
            return str(labels[index])
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, (list, tuple)):
        return " to ".join(f"{v:.4g}" if isinstance(v, float) else str(v) for v in value)
    return html.escape(str(value))


def widget_html(model_id, models, buffers, seen=None):
    """A static HTML picture of the widget ``model_id`` from the saved widget state: boxes as boxes, text
    as text, an Output widget's outputs (its figure) as they are, each control as "label: value"."""
    seen = set() if seen is None else seen
    if model_id in seen or model_id not in models:
        return ""
    seen.add(model_id)
    model = models[model_id]
    name, state = model.get("model_name", ""), model.get("state", {})
    if state.get("layout") and _model_id(state["layout"]) in models:
        if models[_model_id(state["layout"])].get("state", {}).get("display") == "none":
            return ""
    children = [widget_html(_model_id(c), models, buffers, seen) for c in state.get("children", [])]
    if name in ("HBoxModel", "GridBoxModel"):
        return ("<div style='display:flex;flex-wrap:wrap;gap:4px 16px;align-items:center'>"
                + "".join(children) + "</div>")
    if name.endswith("BoxModel") or name in ("AccordionModel", "TabModel", "StackModel"):
        return "<div>" + "".join(children) + "</div>"
    if name == "OutputModel":
        return "".join(_output_html(o) for o in state.get("outputs", []))
    if name in ("HTMLModel", "HTMLMathModel", "LabelModel"):
        text = state.get("value", "")
        return f"<div>{text if name != 'LabelModel' else html.escape(text)}</div>" if text else ""
    if name == "ImageModel" and model_id in buffers:
        png = base64.b64encode(buffers[model_id]).decode()
        return f"<img src='data:image/png;base64,{png}' style='max-width:100%' alt='widget figure'>"
    if name in ("ButtonModel", "PlayModel"):
        return ""                  # a button does nothing on a static page
    label = html.escape(state.get("description", ""))
    if name in ("FloatProgressModel", "IntProgressModel"):
        lo, hi, value = state.get("min", 0), state.get("max", 100), state.get("value", 0)
        share = 100 * (value - lo) / (hi - lo) if hi > lo else 0
        return (f"<span style='font-size:12px'>{label} <span style='display:inline-block;width:160px;height:10px;"
                f"background:#e6e6e6;vertical-align:middle'><span style='display:block;height:100%;"
                f"width:{share:.0f}%;background:#0072B2'></span></span></span>")
    if "value" in state or "index" in state:
        return (f"<span class='annlib-control' style='font-size:12px;color:#333;border:1px solid #ccc;"
                f"border-radius:3px;padding:1px 6px'>{label + ': ' if label else ''}<b>{_value_text(state)}</b></span>")
    return ""


def _buffers(entry):
    for buf in entry.get("buffers", []) or []:
        if buf.get("path") == ["value"] and buf.get("encoding") == "base64":
            return base64.b64decode(buf["data"])
    return None


def static_widgets(nb):
    """Replace each widget view in the executed notebook ``nb`` by a static picture of it, and drop the
    widget state, so the page loads no widget JavaScript. Returns how many views were replaced."""
    models = nb.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    buffers = {k: b for k, v in models.items() if (b := _buffers(v)) is not None}
    replaced = 0
    for cell in nb.cells:
        for i, out in enumerate(cell.get("outputs", [])):
            view = out.get("data", {}).get(WIDGET_VIEW)
            if not view:
                continue
            body = widget_html(view.get("model_id"), models, buffers)
            note = ("<div style='font-size:11px;color:#666;margin-top:4px'>A picture of the widget at its "
                    "default settings: open the notebook in JupyterLab to move its controls.</div>"
                    if "annlib-control" in body else "")
            page = (f"<div class='annlib-static-widget' style='border:1px solid #ddd;border-radius:4px;"
                    f"padding:8px;background:#fff'>{body}{note}</div>")
            cell.outputs[i] = nbformat.v4.new_output("display_data", data={"text/html": page,
                                                                          "text/plain": "(widget)"})
            replaced += 1
    nb.metadata.pop("widgets", None)
    return replaced


def local_mathjax(output_dir):
    """A relative URL of MathJax 2 copied next to the pages from the jupyter-server-mathjax package, if it
    is installed (so the pages typeset their equations offline, also when copied elsewhere), else None."""
    import importlib.util
    import shutil

    spec = importlib.util.find_spec("jupyter_server_mathjax")
    if spec is None or not spec.submodule_search_locations:
        return None
    static = Path(list(spec.submodule_search_locations)[0]) / "static"
    if not (static / "MathJax.js").exists():
        return None
    target = Path(output_dir) / "mathjax"
    if not (target / "MathJax.js").exists():
        shutil.copytree(static, target, dirs_exist_ok=True)
    return "mathjax/MathJax.js?config=TeX-AMS-MML_HTMLorMML-full,Safe"


# nbconvert's lab page, without the scripts a page of this series does not use (each loads from a CDN,
# and offline each is a failed request): require.js (for JavaScript outputs), mermaid (for diagrams). A local
# MathJax (jupyter-server-mathjax ships the STIX-Web fonts only, no TeX fonts) is told to use STIX-Web.
PAGE_TEMPLATE = """{%- extends 'lab/index.html.j2' -%}
{%- block html_head_js_requirejs -%}{%- if 'requirejs' in resources.annlib_needs -%}{{ super() }}{%- endif -%}
{%- endblock html_head_js_requirejs -%}
{%- block html_head_js_mathjax -%}{%- if resources.annlib_local_mathjax -%}
<script type="text/x-mathjax-config">MathJax.Hub.Config({"HTML-CSS": {availableFonts: ["STIX-Web"],
  preferredFont: "STIX-Web", webFont: "STIX-Web", imageFont: null}});</script>
{%- endif -%}{{ super() }}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- if 'mermaid' in resources.annlib_needs -%}{{ super() }}{%- endif -%}
{%- endblock html_head_js_mermaidjs -%}
"""


def _needs(nb):
    """Which of the page's optional scripts the notebook ``nb`` uses."""
    needs = set()
    for cell in nb.cells:
        if cell.cell_type == "markdown" and "```mermaid" in cell.source:
            needs.add("mermaid")
        for out in cell.get("outputs", []):
            if "application/javascript" in out.get("data", {}) or WIDGET_VIEW in out.get("data", {}):
                needs.add("requirejs")
    return needs


def render(paths, output_dir, timeout, kernel_name="python3"):
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter

    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    mathjax = local_mathjax(output_dir)
    exporter = HTMLExporter(extra_loaders=[DictLoader({"annlib.html.j2": PAGE_TEMPLATE})],
                            template_file="annlib.html.j2", **({"mathjax_url": mathjax} if mathjax else {}))
    for path in paths:
        path = Path(path)
        start = time.perf_counter()
        nb = nbformat.read(path, as_version=4)
        ReplySafeExecutePreprocessor(timeout=timeout, kernel_name=kernel_name, store_widget_state=True).preprocess(
            nb, {"metadata": {"path": str(path.parent)}})
        n = static_widgets(nb)
        resources = {"metadata": {"name": path.stem}, "annlib_needs": _needs(nb), "annlib_local_mathjax": bool(mathjax)}
        body, _ = exporter.from_notebook_node(nb, resources=resources)
        (output_dir / f"{path.stem}.html").write_text(body, encoding="utf-8")
        print(f"{path.name}: {time.perf_counter() - start:.1f} s, {n} widget(s) as pictures -> "
              f"{output_dir / (path.stem + '.html')}", flush=True)
    if not mathjax:
        print("MathJax: from a CDN (equations need a connection; `pip install jupyter-server-mathjax` for a "
              "local copy)")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("notebooks", nargs="+")
    ap.add_argument("--output-dir", default="artifacts/html")
    ap.add_argument("--timeout", type=int, default=120, help="cell timeout in seconds")
    ap.add_argument("--kernel", default="python3")
    args = ap.parse_args(argv)
    render(args.notebooks, args.output_dir, args.timeout, args.kernel)


if __name__ == "__main__":
    sys.exit(main())
