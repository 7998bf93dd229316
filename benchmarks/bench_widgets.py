"""How fast the notebooks' widgets respond (the speed goals of NOTEBOOKS.md and of the playground issue).

    .venv/bin/python benchmarks/bench_widgets.py

For every LiveFigure widget: the time of one update (compute the state, redraw, render the PNG that the
notebook shows), best of 5, against the goal of about 100 ms. For the playground: ticks per second
(one tick = train a 2-8-8-1 network on the circle set for a few epochs, update the figure, render it),
against the goal of at least 5 per second. Times are wall-clock on this machine; the load average is
printed because other busy programs slow everything down.
"""
import contextlib
import io
import os
import time

os.environ.setdefault("MPLBACKEND", "Agg")

from annlib import widgets  # noqa: E402

LIVE_FIGURES = ["init_histograms", "architecture_builder", "activation_explorer", "neuron_plane",
                "softmax_explorer", "forward_explorer", "untrained_regions_explorer", "line_fit_explorer",
                "ce_vs_mse_explorer", "gradient_flow", "backprop_stepper", "learning_rate_explorer",
                "optimizer_race"]
GOAL_MS = 100
GOAL_TICKS = 5


def main():
    print(f"load average (1 min): {os.getloadavg()[0]:.2f} on {os.cpu_count()} core(s)")
    print(f"{'widget':30s} {'update':>9s}   goal ~{GOAL_MS} ms")
    for name in LIVE_FIGURES:
        with contextlib.redirect_stdout(io.StringIO()):     # its first drawing goes to no page
            w = getattr(widgets, name)()
        # what a redraw does in a notebook, without sending the picture to a page that is not there
        w.redraw = lambda w=w: (w.draw(w.fig, w.axes, w.state), widgets.render_png(w.fig))
        times = []
        for _ in range(5):
            w.update()
            times.append(w.elapsed_ms)
        best = min(times)
        print(f"{name:30s} {best:7.0f} ms   {'ok' if best <= 1.2 * GOAL_MS else 'SLOW'}")
    pg = widgets.playground(dataset="circle", hidden=(8, 8), epochs_per_tick=5)
    pg.tick(2)                                      # warm-up: the first full draw
    start, n = time.perf_counter(), 0
    while n < 40:
        pg.tick(1)
        n += 1
    rate = n / (time.perf_counter() - start)
    print(f"{'playground 2-8-8-1, circle':30s} {rate:7.1f} ticks/s (5 epochs each)   goal >= {GOAL_TICKS}: "
          f"{'met' if rate >= GOAL_TICKS else 'MISSED'}")


if __name__ == "__main__":
    main()
