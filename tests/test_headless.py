"""tools/headless.py: `make html` without the lost-reply stall of issue 15, and its static widget pictures.

The stall, replayed deterministically on a real socket pair: a client waits (zmq.asyncio poll) for a reply
on its DEALER socket; the reply arrives; before the event loop runs, the client sends another message on
the same socket the way nbclient's Output widget mimic does (jupyter_client's Session.send, through a
synchronous shadow of the socket). That send consumes the socket's edge-triggered wake-up, so the poll only
returns at its timeout. ReplySafeOutputWidget sends through the asyncio socket, and the poll returns at once.
"""
import asyncio
import concurrent.futures
import select
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest
import zmq
import zmq.asyncio
from jupyter_client.channels import AsyncZMQSocketChannel
from jupyter_client.session import Session
from nbclient.output_widget import OutputWidget

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import headless  # noqa: E402

POLL_TIMEOUT = 3.0      # s; the stall lasts this long


def _reply_race(widget_class):
    """How long a client's wait for a reply takes when widget_class sends a comm_msg on the same socket
    just after the reply has arrived (and before the event loop has noticed it)."""
    async def scenario():
        session = Session(key=b"k")
        router = zmq.Context.instance().socket(zmq.ROUTER)
        port = router.bind_to_random_port("tcp://127.0.0.1")
        dealer = zmq.asyncio.Context.instance().socket(zmq.DEALER)
        dealer.connect(f"tcp://127.0.0.1:{port}")
        try:
            await dealer.send_multipart([b"execute_request"])
            ident, _ = router.recv_multipart()
            channel = AsyncZMQSocketChannel(dealer, session)
            kernel_client = SimpleNamespace(session=session, shell_channel=channel)
            widget = widget_class("c0ffee", {"outputs": []}, kernel_client, None)
            widget.parent_header = {}
            waiting = asyncio.ensure_future(channel.get_msg(timeout=POLL_TIMEOUT))   # nbclient's reply wait
            await asyncio.sleep(0.05)
            router.send_multipart([ident, b"execute_reply"])
            assert select.select([dealer.FD], [], [], 5)[0], "the reply did not arrive"   # (does not consume it)
            widget.sync_state()                      # the Output widget mimic sends its outputs back
            start = time.perf_counter()
            try:
                await waiting
            except Exception:
                pass                                 # (the frames are not a Jupyter message; only the time counts)
            elapsed = time.perf_counter() - start
            sent = router.recv_multipart()
            return elapsed, session.deserialize(session.feed_identities(sent[1:])[1])
        finally:
            dealer.close(linger=0)
            router.close(linger=0)

    # a thread of its own: the browser tests' Playwright keeps an event loop running in this one
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, scenario()).result()


def test_nbclients_output_widget_mimic_loses_the_reply_wakeup():
    """The cause of the stall, upstream (jupyter_client#1059, nbclient#312). If this fails, upstream sends
    without consuming the wake-up now, and ReplySafeOutputWidget can go."""
    elapsed, _ = _reply_race(OutputWidget)
    assert elapsed > POLL_TIMEOUT - 0.5, f"the reply was seen after {elapsed:.2f} s: upstream fixed?"


def test_reply_safe_output_widget_keeps_the_reply_wakeup():
    elapsed, msg = _reply_race(headless.ReplySafeOutputWidget)
    assert elapsed < 1.0, f"the reply was seen only after {elapsed:.2f} s"
    assert msg["msg_type"] == "comm_msg"
    assert msg["content"] == {"comm_id": "c0ffee",
                              "data": {"method": "update", "state": {"outputs": []}, "buffer_paths": []}}


def test_the_executors_mimic_output_widgets_reply_safe():
    from nbclient import NotebookClient
    client = headless.ReplySafeNotebookClient(nbformat.v4.new_notebook())
    msg = {"content": {"comm_id": "c1", "data": {"state": {"_model_module": "@jupyter-widgets/output",
                                                            "_model_name": "OutputModel", "outputs": []}}}}
    assert type(client.on_comm_open_jupyter_widget(msg)) is headless.ReplySafeOutputWidget
    assert type(NotebookClient(nbformat.v4.new_notebook()).on_comm_open_jupyter_widget(msg)) is OutputWidget
    assert issubclass(headless.ReplySafeExecutePreprocessor, headless._ReplySafe)


PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg=="


def _executed_widget_notebook():
    """A notebook as nbclient leaves it: one widget view, the widget state in the metadata."""
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("w")
    cell.outputs = [nbformat.v4.new_output("display_data", data={
        headless.WIDGET_VIEW: {"model_id": "box", "version_major": 2, "version_minor": 0},
        "text/plain": "VBox(...)"})]
    nb.cells = [nbformat.v4.new_markdown_cell("# Title"), cell]
    models = {
        "box": {"model_name": "VBoxModel", "state": {"children": ["IPY_MODEL_title", "IPY_MODEL_row", "IPY_MODEL_out"]}},
        "title": {"model_name": "HTMLModel", "state": {"value": "<b>Activation explorer</b>"}},
        "row": {"model_name": "HBoxModel", "state": {"children": ["IPY_MODEL_lr", "IPY_MODEL_act", "IPY_MODEL_go"]}},
        "lr": {"model_name": "FloatSliderModel", "state": {"description": "learning rate", "value": 0.1}},
        "act": {"model_name": "DropdownModel", "state": {"description": "activation", "index": 1,
                                                          "_options_labels": ["relu", "tanh"]}},
        "go": {"model_name": "ButtonModel", "state": {"description": "Train"}},
        "out": {"model_name": "OutputModel", "state": {"outputs": [
            {"output_type": "display_data", "data": {"image/png": PNG, "text/plain": "<Image>"}, "metadata": {}}]}},
    }
    nb.metadata["widgets"] = {headless.WIDGET_STATE: {"state": models, "version_major": 2, "version_minor": 0}}
    return nb


def test_static_widgets_draw_each_widget_as_a_picture_of_its_state():
    nb = _executed_widget_notebook()
    assert headless.static_widgets(nb) == 1
    out = nb.cells[1].outputs[0]
    assert headless.WIDGET_VIEW not in out["data"]
    page = out["data"]["text/html"]
    assert f"data:image/png;base64,{PNG}" in page
    assert "<b>Activation explorer</b>" in page
    assert "learning rate: <b>0.1</b>" in page and "activation: <b>tanh</b>" in page
    assert "Train" not in page                     # a button does nothing on a static page
    assert "widgets" not in nb.metadata            # so the page loads no widget manager
    assert "open the notebook in JupyterLab to move its controls" in page


def test_a_progress_bar_is_drawn_as_a_bar_without_the_controls_note():
    nb = _executed_widget_notebook()
    nb.metadata["widgets"][headless.WIDGET_STATE]["state"] = {
        "box": {"model_name": "HBoxModel", "state": {"children": ["IPY_MODEL_bar", "IPY_MODEL_text"]}},
        "bar": {"model_name": "FloatProgressModel", "state": {"description": "training:", "min": 0, "max": 20,
                                                              "value": 5}},
        "text": {"model_name": "HTMLModel", "state": {"value": "5/20 epochs"}}}
    headless.static_widgets(nb)
    page = nb.cells[1].outputs[0]["data"]["text/html"]
    assert "width:25%" in page and "5/20 epochs" in page and "training:" in page
    assert "move its controls" not in page


def test_a_rendered_page_shows_the_widget_figure_without_widget_javascript(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("Equation $z = Wx + b$"), nbformat.v4.new_code_cell(
        "import io, ipywidgets as W\n"
        "from IPython.display import Image, display\n"
        "import matplotlib; matplotlib.use('Agg')\n"
        "from matplotlib.figure import Figure\n"
        "fig = Figure(figsize=(2, 1)); fig.add_subplot().plot([0, 1]); buf = io.BytesIO(); fig.savefig(buf)\n"
        "out = W.Output()\n"
        "with out:\n"
        "    display(Image(data=buf.getvalue(), format='png'))\n"
        "W.VBox([W.HTML('<b>My widget</b>'), W.FloatSlider(description='lr', value=0.5), out])")]
    path = tmp_path / "nb.ipynb"
    nbformat.write(nb, path)
    headless.render([path], tmp_path / "html", timeout=120)
    page = (tmp_path / "html" / "nb.html").read_text(encoding="utf-8")
    assert "data:image/png;base64," in page and "<b>My widget</b>" in page and "lr: <b>0.5</b>" in page
    assert "html-manager" not in page and "application/vnd.jupyter.widget-state+json" not in page
    assert "z = Wx + b" in page


def test_mathjax_is_copied_next_to_the_pages_when_installed(tmp_path, monkeypatch):
    package = tmp_path / "site" / "jupyter_server_mathjax"
    (package / "static").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "static" / "MathJax.js").write_text("// MathJax")
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    monkeypatch.delitem(sys.modules, "jupyter_server_mathjax", raising=False)
    url = headless.local_mathjax(tmp_path / "html")
    assert url.startswith("mathjax/MathJax.js?config=")                      # relative: the pages can move
    assert (tmp_path / "html" / "mathjax" / "MathJax.js").read_text() == "// MathJax"


def test_without_a_local_mathjax_the_page_takes_it_from_the_cdn(tmp_path, monkeypatch):
    import importlib.util
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "jupyter_server_mathjax" else real(name, *a))
    assert headless.local_mathjax(tmp_path) is None
    assert not (tmp_path / "mathjax").exists()
