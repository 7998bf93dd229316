"""Figures of notebook 5 (backpropagation): a small computational graph with forward values and
gradients (``draw_compgraph``), the gradient norm of every layer on a log scale (``plot_gradient_norms``),
the step-by-step backward pass through a 2-2-1 network (``draw_backprop_step``) and the same pass as one
static table (``backprop_table``), and exploding gradients with clipping by the global norm
(``plot_clipping``, ``plot_norm_by_depth``). Gradients are vermillion, forward values blue.

Every text is at least 9 pt: the figures are shown at 90 dpi, so 9 pt is 11 screen pixels, a little over 8 pt
at the browser's 96 px per inch.
"""
import html

import matplotlib as mpl
import numpy as np
from matplotlib.lines import Line2D
from matplotlib.patches import Circle, Patch, Rectangle

from ._style import LINESTYLES, MARKERS, OKABE_ITO, log_axis

GRAD_COLOR = OKABE_ITO["vermillion"]     # gradients (the backward pass) in the notebook 5 figures
VALUE_COLOR = OKABE_ITO["blue"]          # forward values
_SMALL = 9                                # the smallest text in these figures, in points


def draw_compgraph(ax, nodes, edges, title=None, show_grad=True):
    """Draw a small computational graph: boxes for the values, arrows for the operations. A box is 2.2 data
    units wide: place the nodes about 5 units apart, so the text on an arrow fits between two boxes.

    nodes  {name: {"pos": (x, y), "value": float, "grad": float or None, "label": str (optional)}}
           a box shows "label = value" (forward, blue) and "∂L/∂label = grad" (backward, vermillion)
    edges  [(source, target, text), ...]: an arrow from source to target, the text (e.g. the local
           derivative "∂z/∂w = x = 1.5") written along it
    """
    half = 1.1                                # half the width of a box, in data units
    for src, dst, text in edges:
        (x0, y0), (x1, y1) = nodes[src]["pos"], nodes[dst]["pos"]
        ax.annotate("", xy=(x1 - half - 0.05, y1 + (y0 - y1) * 0.12), xytext=(x0 + half + 0.05, y0 - (y0 - y1) * 0.12),
                    arrowprops=dict(arrowstyle="-|>", color="#555555", lw=1.3), zorder=1)
        if text:
            ax.text((x0 + x1) / 2, (y0 + y1) / 2 + 0.12, text, ha="center", va="bottom", fontsize=_SMALL,
                    color="#333333", bbox=dict(facecolor="white", edgecolor="none", pad=0.5), zorder=2)
    for name, node in nodes.items():
        x, y = node["pos"]
        label = node.get("label", name)
        ax.add_patch(mpl.patches.FancyBboxPatch((x - half, y - 0.4), 2 * half, 0.8, boxstyle="round,pad=0.03",
                                                facecolor="#F4F8FB", edgecolor="#222222", linewidth=1.2, zorder=3))
        ax.text(x, y + 0.15, f"{label} = {node['value']:.4g}", ha="center", va="center", fontsize=10,
                color=VALUE_COLOR, zorder=4)
        grad = node.get("grad")
        if show_grad and grad is not None:
            ax.text(x, y - 0.17, f"∂L/∂{label} = {grad:.4g}", ha="center", va="center", fontsize=_SMALL,
                    color=GRAD_COLOR, fontweight="bold", zorder=4)
    xs = [n["pos"][0] for n in nodes.values()]
    ys = [n["pos"][1] for n in nodes.values()]
    ax.set_xlim(min(xs) - half - 0.2, max(xs) + half + 0.2)
    ax.set_ylim(min(ys) - 0.6, max(ys) + 0.6)
    ax.set_aspect("equal")
    ax.axis("off")
    if title:
        ax.set_title(title)
    ax.text(0.0, -0.02, "blue: forward value;  vermillion: gradient ∂L/∂(node) from the backward pass;  "
            "arrow text: local derivative", transform=ax.transAxes, fontsize=_SMALL, va="top", color="#444444")
    return ax


_FLOW_LOOK = {"ok": (OKABE_ITO["blue"], "", "gradient arrives"),
              "vanished": (OKABE_ITO["vermillion"], "▼", "▼ vanished: < 10⁻⁴ ×\noutput layer's, or < 10⁻⁸"),
              "exploding": (OKABE_ITO["orange"], "▲", "▲ exploding: > 10⁴ ×\noutput layer's, or > 10⁴")}


def plot_gradient_norms(ax, state):
    """Bar chart of ‖∂L/∂W‖ per Dense layer (layer 1 = next to the input), log scale, with a key of the
    three colours (and ▼ ▲ marks, so colour is not the only cue) in head room above the bars.
    ``state`` is what ``widgets.gradient_flow_state`` returns."""
    norms = np.asarray(state["norms"], dtype=float)
    k = np.arange(1, len(norms) + 1)
    shown = np.maximum(norms, 1e-30)          # a log axis cannot show 0
    status = state.get("status", ["ok"] * len(norms))
    ax.bar(k, shown, color=[_FLOW_LOOK[s][0] for s in status], edgecolor="#222222", linewidth=0.6)
    for kk, v, s in zip(k, shown, status):
        if _FLOW_LOOK[s][1]:
            ax.text(kk, v, _FLOW_LOOK[s][1], ha="center", va="bottom", fontsize=_SMALL, color=_FLOW_LOOK[s][0])
    log_axis(ax)
    ax.set_xticks(k if len(k) <= 12 else k[::2])
    ax.set_xlim(0.4, len(k) + 0.6)
    ax.set_xlabel("Dense layer (1 = next to the input, last = output layer)")
    ax.set_ylabel("gradient norm ‖∂L/∂W‖ (log scale)")
    layers = "1 hidden layer" if state["depth"] == 1 else f"{state['depth']} hidden layers"
    ax.set_title(f"{state['activation']} + {state.get('init_label', state['init'])}, {layers}\n"
                 f"first layer's gradient / output layer's = {state['ratio']:.1e}")
    lo = np.log10(min(shown.min() / 20, 1e-8))
    hi = np.log10(max(shown.max() * 3, 10.0))
    ax.set_ylim(10 ** lo, 10 ** (hi + 0.3 * (hi - lo)))      # the top quarter stays free for the key
    handles = [Patch(facecolor=color, edgecolor="#222222", label=label) for color, _, label in _FLOW_LOOK.values()]
    ax.legend(handles=handles, loc="upper left", ncol=3, fontsize=_SMALL, handlelength=1.2, columnspacing=1.0,
              borderaxespad=0.3)
    return ax


# -- the 2-2-1 network of the backprop stepper -----------------------------------------------------------
_STEP_POS = {("x", 0): (0.0, 1.15), ("x", 1): (0.0, -1.15), ("h", 0): (3.0, 1.15), ("h", 1): (3.0, -1.15),
             ("o", 0): (6.0, 0.0), ("L", 0): (8.4, 0.0)}


def draw_backprop_step(ax, state):
    """The 2-2-1 network of ``widgets.backprop_steps``: inputs, hidden sigmoid neurons, output sigmoid and
    the loss. Every node shows its forward value (blue); every gradient computed so far is written in
    vermillion beside its node or connection, the ones computed in the current step with an orange
    ring. Connections show their weight w and, once computed, ∂L/∂w. The current step's formula with its
    numbers is in the box under the network (room for four lines, inside the axes, so no step is clipped)."""
    fv, g, new = state["forward"], state["grads"], set(state["new"])
    ax.clear()
    ax.axis("off")
    pos, r, ring = _STEP_POS, 0.32, OKABE_ITO["orange"]

    def gtext(key, idx):
        return f"{g[key][idx]:+.3f}" if key in g else "?"

    for src, dst, W, dW in (("x", "h", fv["W1"], "dW1"), ("h", "o", fv["W2"], "dW2")):
        for i in range(W.shape[0]):
            for j in range(W.shape[1]):
                (x0, y0), (x1, y1) = pos[(src, i)], pos[(dst, j)]
                done = dW in g
                ax.plot([x0 + r, x1 - r], [y0, y1], color=GRAD_COLOR if done else "#999999",
                        linewidth=2.4 if dW in new else 1.2, linestyle="-" if done else "--", zorder=1)
                t = 0.5 if y0 == y1 or src == "h" else 0.3     # crossing lines: labels apart, near their source
                xm, ym = x0 + r + t * (x1 - x0 - 2 * r), y0 + t * (y1 - y0)
                text = f"w = {W[i, j]:+.2f}" + (f"\n∂L/∂w = {g[dW][i, j]:+.3f}" if done else "")
                ax.text(xm, ym, text, ha="center", va="center", fontsize=_SMALL, zorder=2,
                        color=GRAD_COLOR if done else "#444444",
                        bbox=dict(facecolor="white", edgecolor=ring if dW in new else "none", pad=0.8))
    (xo, yo), (xl, yl) = pos[("o", 0)], pos[("L", 0)]
    ax.annotate("", xy=(xl - 0.75, yl), xytext=(xo + r, yo), arrowprops=dict(arrowstyle="-|>", color="#555555"))
    rows = [(("x", i), f"x{i + 1}", f"x = {fv['x'][i]:+.2f}", [("∂L/∂x", gtext("dx", i), "dx")]) for i in range(2)]
    rows += [(("h", i), f"h{i + 1}", f"z = {fv['z1'][i]:+.2f}\na = {fv['a1'][i]:.3f}",
              [("∂L/∂a", gtext("da1", i), "da1"), ("∂L/∂z", gtext("dz1", i), "dz1"),
               ("∂L/∂b", gtext("db1", i), "db1")]) for i in range(2)]
    rows += [(("o", 0), "ŷ", f"z = {fv['z2'][0]:+.2f}\nŷ = {fv['yhat'][0]:.3f}",
              [("∂L/∂ŷ", gtext("dyhat", 0), "dyhat"), ("∂L/∂z", gtext("dz2", 0), "dz2"),
               ("∂L/∂b", gtext("db2", 0), "db2")])]
    for key, name, value_text, grad_items in rows:
        x, y = pos[key]
        touched = any(k in new for _, _, k in grad_items)
        ax.add_patch(Circle((x, y), r, facecolor="#F4F8FB", edgecolor=ring if touched else "#222222",
                            linewidth=3 if touched else 1.2, zorder=3))
        ax.text(x, y, name, ha="center", va="center", fontsize=11, zorder=4)
        ax.text(x, y + r + 0.05, value_text, ha="center", va="bottom", fontsize=_SMALL, color=VALUE_COLOR, zorder=4)
        lines = [f"{label} = {val}" for label, val, k in grad_items if k in g]
        if lines:
            ax.text(x, y - r - 0.05, "\n".join(lines), ha="center", va="top", fontsize=_SMALL, color=GRAD_COLOR,
                    fontweight="bold", zorder=4)
    ax.add_patch(Rectangle((xl - 0.75, yl - 0.3), 1.5, 0.6, facecolor="#FFF6E0", edgecolor="#222222", zorder=3))
    ax.text(xl, yl, f"L = {fv['L']:.4f}", ha="center", va="center", fontsize=10, zorder=4)
    ax.text(xl, yl - 0.4, f"target y = {fv['y'][0]:g}\nL = (ŷ − y)²", ha="center", va="top", fontsize=_SMALL, zorder=4)
    ax.text(-0.95, -2.4, state["equation"], ha="left", va="top", fontsize=_SMALL, family="monospace", zorder=4,
            bbox=dict(facecolor="#FFF6E0", edgecolor="#CCCCCC", pad=4))
    ax.set_xlim(-1.1, xl + 0.9)
    ax.set_ylim(-3.1, 2.0)
    ax.set_aspect("equal")
    ax.set_title(f"step {state['step']} of {state['n_steps']}: {state['title']}", fontsize=11)
    return ax


# -- the same backward pass as one static table ------------------------------------------------------------
def _num(v, d=4):
    """An array as nested brackets with d decimals ([[+0.1234, -0.5000]]), a scalar as a number."""
    v = np.asarray(v, dtype=float)
    if v.ndim == 0:
        return f"{float(v):.{d}f}"
    return "[" + ", ".join(_num(row, d) if v.ndim > 1 else f"{row:+.{d}f}" for row in v) + "]"


# (step, key, symbol, equation, shape (annlib's, for a batch of n = 1 sample), the equation with its numbers:
# inputs and parameters to 2 decimals, computed values to 3; the value column has 4)
_TABLE_ROWS = [
    (0, "z1", "z₁", "x · W₁ + b₁", (1, 2),
     lambda f, g: f"{_num(f['x'][None], 2)}\n  · {_num(f['W1'], 2)}\n  + {_num(f['b1'], 2)}"),
    (0, "a1", "a₁", "σ(z₁)", (1, 2), lambda f, g: f"σ({_num(f['z1'][None], 3)})"),
    (0, "z2", "z₂", "a₁ · W₂ + b₂", (1, 1),
     lambda f, g: f"{_num(f['a1'][None], 3)} · {_num(f['W2'], 2)}\n  + {_num(f['b2'], 2)}"),
    (0, "yhat", "ŷ", "σ(z₂)", (1, 1), lambda f, g: f"σ({_num(f['z2'][None], 3)})"),
    (0, "L", "L", "(ŷ − y)²", (), lambda f, g: f"({f['yhat'][0]:.3f} − {f['y'][0]:g})²"),
    (1, "dyhat", "∂L/∂ŷ", "2 (ŷ − y)", (1, 1), lambda f, g: f"2 · ({f['yhat'][0]:.3f} − {f['y'][0]:g})"),
    (2, "dz2", "∂L/∂z₂", "∂L/∂ŷ ⊙ ŷ(1 − ŷ)", (1, 1),
     lambda f, g: f"{g['dyhat'][0]:+.3f} · {f['yhat'][0]:.3f} · (1 − {f['yhat'][0]:.3f})"),
    (3, "dW2", "∂L/∂W₂", "a₁ᵀ · ∂L/∂z₂", (2, 1),
     lambda f, g: f"{_num(f['a1'][:, None], 3)} · {_num(g['dz2'][None], 3)}"),
    (3, "db2", "∂L/∂b₂", "sum of the rows of ∂L/∂z₂", (1,),
     lambda f, g: f"column sums of {_num(g['dz2'][None], 3)}"),
    (4, "da1", "∂L/∂a₁", "∂L/∂z₂ · W₂ᵀ", (1, 2),
     lambda f, g: f"{_num(g['dz2'][None], 3)} · {_num(f['W2'].T, 2)}"),
    (5, "dz1", "∂L/∂z₁", "∂L/∂a₁ ⊙ a₁(1 − a₁)", (1, 2),
     lambda f, g: f"{_num(g['da1'][None], 3)} ⊙ {_num((f['a1'] * (1 - f['a1']))[None], 3)}"),
    (6, "dW1", "∂L/∂W₁", "xᵀ · ∂L/∂z₁", (2, 2),
     lambda f, g: f"{_num(f['x'][:, None], 2)} · {_num(g['dz1'][None], 3)}"),
    (6, "db1", "∂L/∂b₁", "sum of the rows of ∂L/∂z₁", (2,),
     lambda f, g: f"column sums of {_num(g['dz1'][None], 3)}"),
    (7, "dx", "∂L/∂x", "∂L/∂z₁ · W₁ᵀ", (1, 2),
     lambda f, g: f"{_num(g['dz1'][None], 3)}\n  · {_num(f['W1'].T, 2)}"),
]


class BackpropTable:
    """The forward and backward pass of the 2-2-1 network as a table: one row per array computed, in the
    order they are computed. ``rows``: dicts with step (0 = forward), key, symbol, equation, numbers (the
    equation with the numbers put in), shape, value (an array of that shape). ``values[key]`` is the array of
    a row, ``grads`` the backward rows only ({"dW1": ..., ...}). Shown as HTML in a notebook, as text by print."""

    def __init__(self, rows, x, y):
        self.rows, self.x, self.y = rows, x, y
        self.values = {row["key"]: row["value"] for row in rows}
        self.grads = {row["key"]: row["value"] for row in rows if row["step"] > 0}

    def _cells(self, row):
        step = "forward" if row["step"] == 0 else str(row["step"])
        shape = "scalar" if row["shape"] == () else str(row["shape"])
        value = row["value"]                  # a matrix one row per line, as it is written on paper
        if value.ndim == 2 and len(value) > 1:
            value = "[" + ",\n ".join(_num(r) for r in value) + "]"
        else:
            value = _num(value)
        return [step, f"{row['symbol']} = {row['equation']}", f"= {row['numbers']}", shape, value]

    def __str__(self):
        head = ["step", "equation", "with the numbers", "shape", "value"]
        cells = [[" ".join(c.split()) for c in self._cells(row)] for row in self.rows]     # one line per row
        return "\n".join(" | ".join(line) for line in [head] + cells)

    __repr__ = __str__

    def _repr_html_(self):
        td = "style='text-align:left;vertical-align:top;padding:2px 8px;font-size:13px;white-space:nowrap'"
        mono = "font-family:monospace;font-size:12px;white-space:pre"    # keeps a matrix's rows on their own lines
        head = "".join(f"<th {td}>{h}</th>" for h in ("step", "equation", "with the numbers", "shape", "value"))
        body = []
        for row in self.rows:
            cells = [html.escape(c) for c in self._cells(row)]
            colour = VALUE_COLOR if row["step"] == 0 else GRAD_COLOR
            body.append("<tr>" + f"<td {td}>{cells[0]}</td>" + f"<td {td}><span style='color:{colour}'>{cells[1]}</span></td>"
                        + "".join(f"<td {td}><span style='{mono}'>{c}</span></td>" for c in cells[2:]) + "</tr>")
        x = ", ".join(f"{v:g}" for v in self.x)
        caption = (f"<caption style='text-align:left;font-size:13px'>The 2-2-1 network, one sample x = ({x}), "
                   f"target y = {self.y:g}: forward pass (blue), then the backward pass step by step (vermillion)"
                   "</caption>")
        return f"<table>{caption}<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def backprop_table(state):
    """The table of the whole forward and backward pass, from the state of ``widgets.backprop_steps`` at its
    last step (every gradient computed). Values get annlib's shapes for a batch of one sample, e.g. x (1, 2)."""
    fv, g = state["forward"], state["grads"]
    if "dx" not in g:
        raise ValueError(f"backprop_table needs the state of the last step ({state['n_steps']}), "
                         f"where every gradient is computed; this one is step {state['step']}.")
    known = {**fv, **g}
    rows = [{"step": step, "key": key, "symbol": symbol, "equation": eq, "numbers": numbers(fv, g), "shape": shape,
             "value": np.asarray(known[key], dtype=float).reshape(shape)}
            for step, key, symbol, eq, shape, numbers in _TABLE_ROWS]
    return BackpropTable(rows, fv["x"], float(fv["y"][0]))


# -- exploding gradients and clipping -----------------------------------------------------------------------
def plot_clipping(ax, before, after, global_before, global_after, max_norm, title=None):
    """Exploding gradients, clipped by the global norm: per Dense layer ‖∂L/∂W‖ before (orange, hatched) and
    after clipping (blue), and at the right the global norm ‖g‖ over all parameters, with a dotted line at
    the threshold c = ``max_norm``. Log scale: clipping multiplies every gradient by the same factor c/‖g‖, so
    the blue bars are the orange ones moved down by one distance."""
    before, after = np.asarray(before, dtype=float), np.asarray(after, dtype=float)
    k = np.arange(1, len(before) + 1)
    kg = len(before) + 1.6                                   # the global norm, a little apart
    orange, blue = OKABE_ITO["orange"], OKABE_ITO["blue"]
    ax.bar(np.r_[k, kg] - 0.2, np.r_[before, global_before], width=0.4, color=orange, hatch="//",
           edgecolor="#222222", linewidth=0.6, label="before clipping")
    ax.bar(np.r_[k, kg] + 0.2, np.r_[after, global_after], width=0.4, color=blue, edgecolor="#222222",
           linewidth=0.6, label="after clipping")
    ax.axhline(max_norm, color="#222222", linestyle=":", linewidth=1.4, label=f"threshold c = {max_norm:g}")
    log_axis(ax)
    ax.set_xticks(np.r_[k, kg], [str(v) for v in k] + ["global\n‖g‖"])
    ax.set_xlim(0.4, kg + 0.6)
    ax.set_xlabel("Dense layer (1 = next to the input)")
    ax.set_ylabel("gradient norm (log scale)")
    values = np.r_[before, after, global_before, global_after, max_norm]
    lo, hi = np.log10(values.min() / 5), np.log10(values.max() * 3)
    ax.set_ylim(10 ** lo, 10 ** (hi + 0.25 * (hi - lo)))     # head room for the legend
    handles, labels = ax.get_legend_handles_labels()
    order = [labels.index(t) for t in ("before clipping", "after clipping")] + [labels.index(labels[0])]
    ax.legend([handles[i] for i in order], [labels[i] for i in order], loc="upper left", ncol=3, fontsize=_SMALL,
              borderaxespad=0.3)
    ax.set_title(title or f"Clipping by the global norm at c = {max_norm:g}:\n"
                 f"every gradient multiplied by c / ‖g‖ = {global_after / global_before:.2g}")
    return ax


def plot_norm_by_depth(ax, depths, curves, max_norm=None):
    """The global gradient norm ‖g‖ against the number of hidden layers, one line per initializer
    (``curves`` {label: [norm for each depth]}), log scale: a straight rising line is exponential growth."""
    for n, (label, norms) in enumerate(curves.items()):
        ax.plot(depths, norms, marker=MARKERS[n % len(MARKERS)], linestyle=LINESTYLES[n % len(LINESTYLES)],
                color=[OKABE_ITO["orange"], OKABE_ITO["blue"], OKABE_ITO["green"], OKABE_ITO["purple"]][n % 4],
                label=label)
    if max_norm is not None:
        ax.axhline(max_norm, color="#222222", linestyle=":", linewidth=1.4, label=f"clipping threshold c = {max_norm:g}")
    log_axis(ax)
    ax.set_xticks(depths)
    ax.set_xlabel("hidden layers (depth)")
    ax.set_ylabel("global gradient norm ‖g‖ (log scale)")
    ax.set_title("Before clipping:\nthe global norm against depth")
    ax.legend(loc="upper left", fontsize=_SMALL)
    return ax
