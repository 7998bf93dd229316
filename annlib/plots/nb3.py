"""Figures of notebook 3 (forward pass): the output probabilities as bars (or, for a regression network,
the output values on a signed axis) and the forward-pass explorer, which fills the shared network
diagram (``_style.draw_network``) with the value of every neuron for one input, the diagram as large as
its panel allows with round circles; and two-class softmax against the sigmoid of the logit difference.
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


def plot_output_values(ax, values, title="output value ŷ\n(no activation: any real number)"):
    """The outputs of a regression network as bars on a signed axis (0 in the middle), each value written on
    its bar: not probabilities, so no 0…1 axis."""
    v = np.asarray(values, dtype=float).ravel()
    labels = [f"ŷ{k + 1}" if len(v) > 1 else "ŷ" for k in range(len(v))]
    bars = ax.bar(labels, v, color=[PALETTE[k % len(PALETTE)] for k in range(len(v))], edgecolor="#222222")
    top = max(1.0, float(np.max(np.abs(v)))) * 1.3
    for bar, value in zip(bars, v):
        ax.text(bar.get_x() + bar.get_width() / 2, value + (0.03 if value >= 0 else -0.03) * top, f"{value:+.3f}",
                ha="center", va="bottom" if value >= 0 else "top", fontsize=9)
    ax.axhline(0, color="#333333", linewidth=0.8)
    ax.set_ylim(-top, top)
    ax.set_ylabel("output value ŷ")
    ax.tick_params(axis="x", labelsize=8)
    ax.set_title(title, fontsize=10)
    ax.grid(axis="x", visible=False)
    return bars


def _z_lines(z, width=70):
    """The pre-activations of each layer for the title: on one line if it is short, else one line per layer."""
    parts = [f"z{k + 1} = [" + ", ".join(f"{v:+.2f}" for v in zk[:4]) + (", …" if len(zk) > 4 else "") + "]"
             for k, zk in enumerate(z)]
    one_line = "   ".join(parts)
    return one_line if len(one_line) <= width else "\n".join(parts)


def _wrap_key(ax, width):
    """Wrap the key that ``draw_network`` writes under the drawing ("lines: weight ...; squares: bias; fill:
    ...") at its '; ' so that it stays as wide as the panel instead of running into the next one."""
    for text in ax.texts:
        if text.get_transform() == ax.transAxes and text.get_text().startswith("lines:"):
            lines = [""]
            for part in text.get_text().split("; "):
                if lines[-1] and len(lines[-1]) + 2 + len(part) > width:
                    lines.append(part)
                else:
                    lines[-1] = f"{lines[-1]}; {part}" if lines[-1] else part
            text.set_text(";\n".join(lines))
            text.set_position((0.5, -0.01))
            text.set_horizontalalignment("center")
            return text
    return None


def _fill_panel(ax):
    """Let a drawing with round circles fill its whole panel. An equal aspect would shrink the axes box to the
    drawing (a small drawing in a wide empty panel, and a title that constrained layout places wrongly);
    here the box keeps the panel's size and, each time the figure is drawn, the view around the drawing
    widens (only ever from the limits ``draw_network`` chose) until one data unit is as long across as
    up, for the box's size at that moment."""
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    ax.set_aspect("auto")
    ax._annlib_drawing = (x0, x1, y0, y1)
    if "apply_aspect" in vars(ax):          # already hooked (a redraw after ax.clear())
        return

    def apply_aspect(position=None):
        type(ax).apply_aspect(ax, position)                  # aspect "auto": only places the box
        x0, x1, y0, y1 = ax._annlib_drawing
        box = (position if position is not None else ax.get_position(original=True)).transformed(ax.figure.transFigure)
        if box.width <= 0 or box.height <= 0:
            return
        width, height = x1 - x0, y1 - y0
        if height / width < box.height / box.width:          # the box is taller than the drawing: widen y
            grow = (width * box.height / box.width - height) / 2
            ax.set_ylim(y0 - grow, y1 + grow, auto=None)
            ax.set_xlim(x0, x1, auto=None)
        else:                                                # wider: widen x
            grow = (height * box.width / box.height - width) / 2
            ax.set_xlim(x0 - grow, x1 + grow, auto=None)
            ax.set_ylim(y0, y1, auto=None)

    ax.apply_aspect = apply_aspect


def plot_forward_pass(ax_net, ax_prob, net, columns, x, prob=None, z=None, output="probabilities", key_width=90):
    """The forward-pass explorer's figure: the network diagram with every neuron filled by its value for
    one input ``x`` (``columns``: one 1-D array per column, inputs first) and the value written beside it;
    on ``ax_prob`` (skipped if ``prob`` is None) the output probabilities as bars (``output="probabilities"``)
    or, for a network without a softmax or sigmoid at the end, the output values on a signed axis
    (``output="values"``). ``z`` (one array per Dense layer): the pre-activations, listed in the title under
    its first line.

    Layout: the diagram keeps circles round (equal aspect) and its axes fill the whole panel (the view
    widens around the drawing), so the drawing is as large as the panel allows, centred, the title centred
    over it and never cut; the key under the drawing is centred and wrapped to ``key_width`` characters so
    that it never runs into the bars."""
    labels = [[f"{v:+.2f}" for v in col] for col in columns]
    draw_network(ax_net, net, node_values=columns, node_labels=labels, value_label="value of the neuron")
    _fill_panel(ax_net)
    _wrap_key(ax_net, key_width)
    title = f"forward pass for x = ({x[0]:+.2f}, {x[1]:+.2f})"
    if z is not None:
        title += "\n" + _z_lines(z)
    ax_net.set_title(title, fontsize=10)
    if prob is not None:
        if output == "values":
            plot_output_values(ax_prob, prob)
        else:
            plot_probability_bars(ax_prob, prob)
    return ax_net


def plot_softmax_vs_sigmoid(ax, d_logit, p_softmax, p_sigmoid):
    """Two-class softmax against the sigmoid of the logit difference: ``p_softmax`` (softmax(z₀, z₁)₁) as
    a wide pale line and ``p_sigmoid`` (σ(z₁ − z₀)) dashed on top of it, against ``d_logit`` = z₁ − z₀.
    The curves coincide; the legend sits in the upper left, where an S-curve from 0 to 1 never comes."""
    ax.plot(d_logit, p_softmax, color=PALETTE[0], linestyle="-", linewidth=5, alpha=0.45, label="softmax(z₀, z₁)₁")
    ax.plot(d_logit, p_sigmoid, color=PALETTE[3], linestyle="--", label="sigmoid(z₁ − z₀)")
    ax.axhline(0.5, color="#777777", linewidth=1.0, zorder=1.6)      # over the grid: z₁ = z₀ gives 0.5
    ax.axvline(0.0, color="#777777", linewidth=1.0, zorder=1.6)
    ax.set_xlabel("difference of the logits z₁ − z₀")
    ax.set_ylabel("probability of class 1")
    ax.set_ylim(-0.03, 1.03)
    ax.set_title("two-class softmax = sigmoid of the logit difference")
    ax.legend(loc="upper left")
    return ax
