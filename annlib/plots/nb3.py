"""Figures of notebook 3 (forward pass): the output probabilities as bars and the forward-pass
explorer, which fills the shared network diagram (``_style.draw_network``) with the value of every
neuron for one input.
"""
import numpy as np

from ._style import OKABE_ITO, PALETTE, draw_network


def plot_probability_bars(ax, p, labels=None, title="output probabilities"):
    """One bar per class with its probability written on top (hatched bar = the predicted class)."""
    p = np.asarray(p, dtype=float).ravel()
    labels = labels or ([f"class {k}" for k in range(len(p))] if len(p) <= 3 else [str(k) for k in range(len(p))])
    colors = ([OKABE_ITO["orange"], OKABE_ITO["blue"]] if len(p) == 2 else    # as plot_points and the regions
              [PALETTE[k % len(PALETTE)] for k in range(len(p))])
    bars = ax.bar(labels, p, color=colors, edgecolor="#222222")
    bars[int(np.argmax(p))].set_hatch("//")
    for bar, value in zip(bars, p):
        ax.text(bar.get_x() + bar.get_width() / 2, value + 0.02, f"{value:.3f}", ha="center", va="bottom", fontsize=9)
    ax.set_ylim(0, 1.15)
    ax.set_ylabel("probability ŷ")
    ax.set_xlabel("class" if len(p) > 3 else "")
    ax.tick_params(axis="x", labelsize=8)
    ax.set_title(title, fontsize=10)
    ax.grid(axis="x", visible=False)
    return bars


def plot_forward_pass(ax_net, ax_prob, net, columns, x, prob=None, z=None):
    """The forward-pass explorer's figure: the network diagram with every neuron filled by its value for
    one input ``x`` (``columns``: one 1-D array per column, inputs first) and the value written beside it;
    the output probabilities as bars on ``ax_prob`` (skipped if ``prob`` is None). ``z`` (one array per
    Dense layer) lists the pre-activations under the title."""
    labels = [[f"{v:+.2f}" for v in col] for col in columns]
    draw_network(ax_net, net, node_values=columns, node_labels=labels, value_label="value of the neuron")
    title = f"forward pass for x = ({x[0]:+.2f}, {x[1]:+.2f})"
    if z is not None:
        sep = "   " if len(z) <= 2 else "\n"
        title += "\n" + sep.join(f"z{k + 1} = [" + ", ".join(f"{v:+.2f}" for v in zk[:4])
                                 + (", …" if len(zk) > 4 else "") + "]" for k, zk in enumerate(z))
    ax_net.set_title(title, fontsize=10)
    if prob is not None:
        plot_probability_bars(ax_prob, prob)
    return ax_net
