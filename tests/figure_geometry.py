"""Where things landed in a rendered figure, shared by the widget tests: draw a figure as its PNG is drawn
(with the layout ``render_png`` kept) and ask whether one box lies inside another."""
from matplotlib.backends.backend_agg import FigureCanvasAgg


def renderer(fig):
    """Draw ``fig`` on an Agg canvas (the kept layout, as the widget's PNG) and return the renderer."""
    canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    canvas.draw()
    return canvas.get_renderer()


def inside(inner, outer, tol=1.0):
    """True if the box ``inner`` lies within ``outer`` (pixels, ``tol`` of slack)."""
    return (inner.x0 >= outer.x0 - tol and inner.x1 <= outer.x1 + tol
            and inner.y0 >= outer.y0 - tol and inner.y1 <= outer.y1 + tol)
