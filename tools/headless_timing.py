"""Execute notebooks headless the way `make html` does (nbclient, store_widget_state) and report where the
time goes, to find stalls where the client waits for a reply the kernel has already sent.

    .venv/bin/python tools/headless_timing.py --timeout 60 notebooks/04_losses.ipynb [more.ipynb ...]

For every message the client reads it records the kernel's send time (header date) and the client's
receive time; a message read more than --late seconds after it was sent is printed (a missed wake-up in
the client's event loop). Per cell: the kernel's busy time and the client's wait. One line per notebook
with its wall time at the end (and --json FILE to keep the numbers).
"""
import argparse
import asyncio
import datetime as dt
import json
import os
import sys
import time

import nbformat
from jupyter_client.channels import AsyncZMQSocketChannel
from nbclient import NotebookClient

TRACE = True
LOG = []           # (channel, msg_type, parent msg_id, kernel send time, client receive time, poll timeout)


def _now():
    return dt.datetime.now(dt.timezone.utc)


def _instrument():
    original = AsyncZMQSocketChannel.get_msg

    async def get_msg(self, timeout=None):
        msg = await original(self, timeout=timeout)
        sent = msg["header"].get("date")
        kind = msg["header"]["msg_type"]
        detail = msg["content"].get("execution_state") or msg["content"].get("status") or ""
        if kind.startswith("comm"):
            detail = ",".join(sorted(msg["content"].get("data", {}).get("state", {}) or {}))[:60]
        kind = f"{kind}[{detail}] parent={msg['parent_header'].get('msg_type')}:{str(msg['parent_header'].get('msg_id'))[-6:]}"
        LOG.append((getattr(self, "_annlib_name", "?"), kind,
                    msg["parent_header"].get("msg_id"), sent, _now(), timeout))
        return msg

    AsyncZMQSocketChannel.get_msg = get_msg


OPS = []          # (time, operation on the shell socket, result) when tracing


class _TracedShadow:
    """Stands in for a zmq.asyncio socket's shadow socket and records each call on it."""

    def __init__(self, real):
        self._real = real

    def __getattr__(self, name):
        attr = getattr(self._real, name)
        if not callable(attr):
            return attr

        def call(*a, **kw):
            try:
                r = attr(*a, **kw)
            except Exception as e:
                OPS.append((time.time(), name, a[:1] if name == "get" else "", repr(e)[:40]))
                raise
            OPS.append((time.time(), name, a[:1] if name == "get" else "", r if name == "get" else ""))
            return r
        return call


def _trace_socket(sock):
    import zmq
    sock._shadow_sock = _TracedShadow(sock._shadow_sock)
    for meth in ("_handle_events", "_handle_recv", "_schedule_remaining_events", "_add_recv_event",
                 "_add_send_event"):
        real = getattr(sock, meth)

        def wrapped(*a, _real=real, _name=meth, **kw):
            OPS.append((time.time(), _name + ">", a[:1] if _name.startswith("_add") else "",
                        f"state={sock._state} waiting={len(sock._recv_futures)}"))
            r = _real(*a, **kw)
            OPS.append((time.time(), "<" + _name, "", f"state={sock._state} waiting={len(sock._recv_futures)}"))
            return r
        setattr(sock, meth, wrapped)
    # the loop's reader callback was bound at registration: register again so it calls the wrapper
    loop = asyncio.get_running_loop()
    loop.remove_reader(sock._fd)
    loop.add_reader(sock._fd, lambda: (OPS.append((time.time(), "FD readable", "", "")),
                                       sock._handle_events(0, 0)))


def _fd_readable(fd):
    import select
    return bool(select.select([fd], [], [], 0)[0])


async def _watchdog(client, cell_index, after=5.0):
    """While a cell runs: once the client has read nothing for `after` s, print what the client's
    sockets look like (without draining them), then whether a message is waiting."""
    import zmq
    loop = asyncio.get_running_loop()
    reported = False
    while True:
        await asyncio.sleep(0.5)
        quiet = (_now() - LOG[-1][4]).total_seconds() if LOG else 0
        if quiet < after:
            reported = False
            continue
        if reported:
            continue
        reported = True
        for name in ("shell", "iopub"):
            sock = getattr(client.kc, f"{name}_channel").socket
            fd = sock._fd
            key = loop._selector.get_map().get(fd)
            print(f"  WATCH cell {cell_index} quiet {quiet:.1f} s {name}: fd {fd} readable={_fd_readable(fd)} "
                  f"registered={key is not None} in_this_loop={sock._current_loop is loop} state={sock._state} "
                  f"waiting={len(sock._recv_futures)}", flush=True)
        if OPS:
            for t, op, arg, res in OPS[-40:]:
                stamp = dt.datetime.fromtimestamp(t, dt.timezone.utc).strftime("%H:%M:%S.%f")[:-3]
                print(f"    op {stamp} {op} {arg} -> {res}")
        for name in ("shell", "iopub"):
            sock = getattr(client.kc, f"{name}_channel").socket
            print(f"  WATCH cell {cell_index} {name}: EVENTS={sock._shadow_sock.get(zmq.EVENTS)} (1=POLLIN) "
                  f"readable after={_fd_readable(sock._fd)}", flush=True)


# A prototype of LiveFigure drawing into an ipywidgets.Image instead of an Output widget (as the playground
# does), run in the kernel before the notebook: with it nbclient has no Output widget to mimic, so it sends
# nothing to the kernel while a cell runs.
IMAGE_PROTOTYPE = """
import ipywidgets as _ipw
from annlib.widgets import _live as _l
class _WProxy:
    def __getattr__(self, name):
        return getattr(_ipw, name)
    @staticmethod
    def Output():
        return _ipw.Image(format="png")
_l.W = _WProxy()
def _redraw(self):
    self.draw(self.fig, self.axes, self.state)
    self.png = _l.render_png(self.fig)
    self.output.value = self.png
_l.LiveFigure.redraw = _redraw
"""


def run(path, timeout, late, kernel_name, fixed=False, image_prototype=False):
    nb = nbformat.read(path, as_version=4)
    if image_prototype:
        nb.cells.insert(0, nbformat.v4.new_code_cell(IMAGE_PROTOTYPE))
    if fixed:
        sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
        from headless import ReplySafeNotebookClient as Client
    else:
        Client = NotebookClient
    client = Client(nb, timeout=timeout, store_widget_state=True, kernel_name=kernel_name,
                            resources={"metadata": {"path": os.path.dirname(path) or "."}})
    start_log = len(LOG)
    orig_start = client.async_start_new_kernel_client

    async def start_client(**kw):
        kc = await orig_start(**kw)
        kc.shell_channel._annlib_name, kc.iopub_channel._annlib_name = "shell", "iopub"
        if TRACE:
            _trace_socket(kc.shell_channel.socket)
        return kc

    client.async_start_new_kernel_client = start_client
    orig_exec_cell = client.async_execute_cell

    async def exec_cell(cell, cell_index, **kw):
        dog = asyncio.ensure_future(_watchdog(client, cell_index))
        try:
            return await orig_exec_cell(cell, cell_index, **kw)
        finally:
            dog.cancel()

    client.async_execute_cell = exec_cell
    t0 = time.perf_counter()
    client.execute()
    wall = time.perf_counter() - t0
    msgs = LOG[start_log:]
    # a reply on the shell channel read late is a stall; an iopub message can be read late without one
    # (it came after its cell's idle status, e.g. the kernel's echo of a widget update, and is read when
    # the next cell starts)
    lates = [(ch, kind, (recv - sent).total_seconds(), tmo) for ch, kind, _, sent, recv, tmo in msgs
             if ch == "shell" and sent is not None and (recv - sent).total_seconds() > late]
    if lates and TRACE:
        first_late = min(i for i, m in enumerate(msgs)
                         if m[0] == "shell" and m[3] is not None and (m[4] - m[3]).total_seconds() > late)
        for ch, kind, _, sent, recv, tmo in msgs[max(0, first_late - 25):first_late + 15]:
            print(f"    {ch:5} sent {sent.strftime('%H:%M:%S.%f')[:-3]} read {recv.strftime('%H:%M:%S.%f')[:-3]} {kind}")
    for ch, kind, delay, tmo in lates:
        print(f"  LATE {os.path.basename(path)}: {ch} {kind} read {delay:.1f} s after the kernel sent it "
              f"(poll timeout {tmo})", flush=True)
    cells = []
    for i, cell in enumerate(nb.cells):
        ex = cell.get("metadata", {}).get("execution")
        if cell.cell_type == "code" and ex:
            times = {k: dt.datetime.fromisoformat(v.replace("Z", "+00:00")) for k, v in ex.items()}
            busy = (times["shell.execute_reply"] - times["iopub.execute_input"]).total_seconds()
            cells.append((i, busy))
    return wall, lates, cells


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("notebooks", nargs="+")
    ap.add_argument("--timeout", type=int, default=60)
    ap.add_argument("--late", type=float, default=2.0, help="report messages read this many s after sending")
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--kernel", default="python3")
    ap.add_argument("--json", default=None)
    ap.add_argument("--fixed", action="store_true", help="use tools/headless.py's ReplySafeNotebookClient")
    ap.add_argument("--image-prototype", action="store_true",
                    help="run the notebook with LiveFigure drawing into an Image widget (see IMAGE_PROTOTYPE)")
    ap.add_argument("--no-trace", action="store_true", help="no socket tracing or message dumps")
    args = ap.parse_args()
    global TRACE
    TRACE = not args.no_trace
    _instrument()
    results = []
    for r in range(args.repeat):
        for path in args.notebooks:
            wall, lates, cells = run(path, args.timeout, args.late, args.kernel, args.fixed,
                                     args.image_prototype)
            slow = max(cells, key=lambda c: c[1]) if cells else (None, 0)
            print(f"{r} {os.path.basename(path)}: {wall:.1f} s wall, {len(lates)} late reply(ies), "
                  f"slowest cell {slow[0]} busy {slow[1]:.1f} s", flush=True)
            results.append({"round": r, "notebook": os.path.basename(path), "wall": wall,
                            "late": [list(l) for l in lates]})
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=1)


if __name__ == "__main__":
    sys.exit(main())
