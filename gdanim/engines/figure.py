"""A fixed-size Agg figure and the one-time static drawing both engines share."""
from __future__ import annotations

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure


def new_figure(width: int, height: int, dpi: float) -> Figure:
    """A figure whose Agg canvas is exactly width x height pixels."""
    fig = Figure(figsize=(width / dpi, height / dpi), dpi=dpi)
    FigureCanvasAgg(fig)
    w, h = fig.canvas.get_width_height(physical=True)
    if (w, h) != (width, height):  # float rounding can lose a pixel; a hair more gives it back
        fig.set_size_inches((width + 0.25) / dpi, (height + 0.25) / dpi)
    return fig


def draw_static(view, fig: Figure) -> None:
    """Draw the view's static part and freeze the layout, so frames never shift."""
    view.draw_static(fig)
    engine = fig.get_layout_engine()
    if engine is not None:  # what a draw would do first, without rasterising everything
        engine.execute(fig)
    fig.set_layout_engine("none")
