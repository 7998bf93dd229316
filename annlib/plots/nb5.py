"""Figures of notebook 5 (backpropagation): a small computational graph with forward values and
gradients (``draw_compgraph``), the gradient norm of every layer on a log scale (``plot_gradient_norms``)
and the step-by-step backward pass through a 2-2-1 network (``draw_backprop_step``). Gradients are
vermillion, forward values blue.
"""
import matplotlib as mpl
import numpy as np
from matplotlib.patches import Circle, Rectangle

from ._style import OKABE_ITO, log_axis, network_layout

GRAD_COLOR = OKABE_ITO["vermillion"]     # gradients (the backward pass) in the notebook 5 figures
VALUE_COLOR = OKABE_ITO["blue"]          # forward values


def draw_compgraph(ax, nodes, edges, title=None, show_grad=True):
    """Draw a small computational graph: boxes for the values, arrows for the operations.

    nodes  {name: {"pos": (x, y), "value": float, "grad": float or None, "label": str (optional)}}
           a box shows "label = value" (forward, blue) and "∂L/∂label = grad" (backward, vermillion)
    edges  [(source, target, text), ...]: an arrow from source to target, the text (e.g. the local
           derivative "∂z/∂w = x = 1.5") written along it
    """
    for src, dst, text in edges:
        (x0, y0), (x1, y1) = nodes[src]["pos"], nodes[dst]["pos"]
        ax.annotate("", xy=(x1 - 0.95, y1 + (y0 - y1) * 0.12), xytext=(x0 + 0.95, y0 - (y0 - y1) * 0.12),
                    arrowprops=dict(arrowstyle="-|>", color="#555555", lw=1.3), zorder=1)
        if text:
            ax.text((x0 + x1) / 2, (y0 + y1) / 2 + 0.12, text, ha="center", va="bottom", fontsize=7.5,
                    color="#333333", bbox=dict(facecolor="white", edgecolor="none", pad=0.5), zorder=2)
    for name, node in nodes.items():
        x, y = node["pos"]
        label = node.get("label", name)
        ax.add_patch(mpl.patches.FancyBboxPatch((x - 0.9, y - 0.4), 1.8, 0.8, boxstyle="round,pad=0.03",
                                                facecolor="#F4F8FB", edgecolor="#222222", linewidth=1.2, zorder=3))
        ax.text(x, y + 0.15, f"{label} = {node['value']:.4g}", ha="center", va="center", fontsize=9,
                color=VALUE_COLOR, zorder=4)
        grad = node.get("grad")
        if show_grad and grad is not None:
            ax.text(x, y - 0.17, f"∂L/∂{label} = {grad:.4g}", ha="center", va="center", fontsize=8,
                    color=GRAD_COLOR, fontweight="bold", zorder=4)
    xs = [n["pos"][0] for n in nodes.values()]
    ys = [n["pos"][1] for n in nodes.values()]
    ax.set_xlim(min(xs) - 1.1, max(xs) + 1.1)
    ax.set_ylim(min(ys) - 0.6, max(ys) + 0.6)
    ax.set_aspect("equal")
    ax.axis("off")
    if title:
        ax.set_title(title)
    ax.text(0.0, -0.02, "blue: forward value; vermillion: gradient ∂L/∂(node) from the backward pass; "
            "arrow text: local derivative", transform=ax.transAxes, fontsize=8, va="top", color="#444444")
    return ax


def plot_gradient_norms(ax, state):
    """Bar chart of ‖∂L/∂W‖ per Dense layer (layer 1 = next to the input), log scale.
    ``state`` is what ``widgets.gradient_flow_state`` returns."""
    norms = np.asarray(state["norms"], dtype=float)
    k = np.arange(1, len(norms) + 1)
    shown = np.maximum(norms, 1e-30)          # a log axis cannot show 0
    look = {"ok": (OKABE_ITO["blue"], ""), "vanished": (OKABE_ITO["vermillion"], "▼"),
            "exploding": (OKABE_ITO["orange"], "▲")}
    status = state.get("status", ["ok"] * len(norms))
    ax.bar(k, shown, color=[look[s][0] for s in status], edgecolor="#222222", linewidth=0.6)
    for kk, v, s in zip(k, shown, status):
        if look[s][1]:
            ax.text(kk, v, look[s][1], ha="center", va="bottom", fontsize=7, color=look[s][0])
    log_axis(ax)
    ax.set_xticks(k if len(k) <= 12 else k[::2])
    ax.set_xlabel("Dense layer (1 = next to the input, last = output layer)")
    ax.set_ylabel("gradient norm ‖∂L/∂W‖ (log scale)")
    ax.set_title(f"{state['activation']} + {state.get('init_label', state['init'])}, {state['depth']} hidden layers: "
                 f"first/last layer gradient ratio {state['ratio']:.1e}")
    ax.set_ylim(min(shown.min() / 20, 1e-8), max(shown.max() * 300, 10.0))      # head room for the note
    ax.text(0.01, 0.98, "blue: gradient flows;  vermillion ▼: vanished (< 10⁻⁴ × output layer's);  "
            "orange ▲: exploding (> 10⁴ × or > 10⁴)",
            transform=ax.transAxes, fontsize=8, va="top", color="#444444")
    return ax


def draw_backprop_step(ax, state):
    """The 2-2-1 network of ``widgets.backprop_steps``: inputs, hidden sigmoid neurons, output sigmoid and
    the loss. Every node shows its forward value (blue); every gradient computed so far is written in
    vermillion beside its node or connection, the ones computed in the current step with an orange
    ring. Connections show their weight w and, once computed, ∂L/∂w."""
    fv, g, new = state["forward"], state["grads"], set(state["new"])
    ax.clear()
    ax.axis("off")
    layout = network_layout([2, 2, 1])
    sy = 1.9                                  # more room between neurons for the numbers
    pos = {("x", i): (x, sy * y) for i, x, y in layout[0]}
    pos.update({("h", i): (x, sy * y) for i, x, y in layout[1]})
    pos.update({("o", 0): (layout[2][0][1], sy * layout[2][0][2])})
    pos[("L", 0)] = (pos[("o", 0)][0] + 2.2, pos[("o", 0)][1])
    r = 0.3
    ring = OKABE_ITO["orange"]

    def gtext(key, idx):
        return f"{g[key][idx]:+.3f}" if key in g else "?"

    # connections: weight, and its gradient once computed
    for layer, (src, dst, W, dW) in enumerate((("x", "h", fv["W1"], "dW1"), ("h", "o", fv["W2"], "dW2"))):
        for i in range(W.shape[0]):
            for j in range(W.shape[1]):
                (x0, y0), (x1, y1) = pos[(src, i)], pos[(dst, j)]
                done = dW in g
                ax.plot([x0 + r, x1 - r], [y0, y1], color=GRAD_COLOR if done else "#999999",
                        linewidth=2.4 if dW in new else 1.2, linestyle="-" if done else "--", zorder=1)
                t = 0.5 if i == j else (0.28 if i < j else 0.72)    # keep the labels of crossing lines apart
                xm, ym = x0 + r + t * (x1 - x0 - 2 * r), y0 + t * (y1 - y0)
                text = f"w={W[i, j]:+.2f}" + (f"\n∂L/∂w={g[dW][i, j]:+.3f}" if done else "")
                ax.text(xm, ym, text, ha="center", va="center", fontsize=7.5, zorder=2,
                        color=GRAD_COLOR if done else "#444444",
                        bbox=dict(facecolor="white", edgecolor=ring if dW in new else "none", pad=0.8))
    xo, yo = pos[("o", 0)]
    xl, yl = pos[("L", 0)]
    ax.annotate("", xy=(xl - 0.45, yl), xytext=(xo + r, yo), arrowprops=dict(arrowstyle="-|>", color="#555555"))
    # nodes
    node_rows = [(("x", i), f"x{i + 1}", f"x = {fv['x'][i]:+.2f}", [("∂L/∂x", gtext("dx", i), "dx")]) for i in range(2)]
    node_rows += [(("h", i), f"h{i + 1}", f"z = {fv['z1'][i]:+.2f}\na = {fv['a1'][i]:.3f}",
                   [("∂L/∂a", gtext("da1", i), "da1"), ("∂L/∂z", gtext("dz1", i), "dz1"),
                    ("∂L/∂b", gtext("db1", i), "db1")]) for i in range(2)]
    node_rows += [(("o", 0), "ŷ", f"z = {fv['z2'][0]:+.2f}\nŷ = {fv['yhat'][0]:.3f}",
                   [("∂L/∂ŷ", gtext("dyhat", 0), "dyhat"), ("∂L/∂z", gtext("dz2", 0), "dz2"),
                    ("∂L/∂b", gtext("db2", 0), "db2")])]
    for key, name, value_text, grad_items in node_rows:
        x, y = pos[key]
        touched = any(k in new for _, _, k in grad_items)
        ax.add_patch(Circle((x, y), r, facecolor="#F4F8FB", edgecolor=ring if touched else "#222222",
                            linewidth=3 if touched else 1.2, zorder=3))
        ax.text(x, y, name, ha="center", va="center", fontsize=10, zorder=4)
        ax.text(x, y + r + 0.05, value_text, ha="center", va="bottom", fontsize=7.5, color=VALUE_COLOR, zorder=4)
        lines = [f"{label} = {val}" for label, val, k in grad_items if k in g]
        if lines:
            ax.text(x, y - r - 0.05, "\n".join(lines), ha="center", va="top", fontsize=7.5, color=GRAD_COLOR,
                    fontweight="bold", zorder=4)
    ax.add_patch(Rectangle((xl - 0.45, yl - 0.3), 0.9, 0.6, facecolor="#FFF6E0", edgecolor="#222222", zorder=3))
    ax.text(xl, yl, f"L = {fv['L']:.4f}", ha="center", va="center", fontsize=8.5, zorder=4)
    ax.text(xl, yl - 0.4, f"target y = {fv['y'][0]:g}\nL = (ŷ − y)²", ha="center", va="top", fontsize=7.5, zorder=4)
    ax.set_xlim(-0.9, xl + 0.7)
    ax.set_ylim(-2.3, 1.75)
    ax.set_aspect("equal")
    ax.set_title(f"step {state['step']} of {state['n_steps']}: {state['title']}", fontsize=11)
    ax.text(0.015, 0.0, state["equation"], transform=ax.transAxes, fontsize=9, va="top", family="monospace",
            bbox=dict(facecolor="#FFF6E0", edgecolor="#CCCCCC", pad=4))
    return ax
