"""A fixed-size Agg figure and the one-time static drawing both engines share."""
from __future__ import annotations

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FixedFormatter, FixedLocator

from .agg_text import lay_text_out_once


def new_figure(width: int, height: int, dpi: float) -> Figure:
    """A figure whose Agg canvas is exactly width x height pixels."""
    fig = Figure(figsize=(width / dpi, height / dpi), dpi=dpi)
    FigureCanvasAgg(fig)
    w, h = fig.canvas.get_width_height(physical=True)
    if (w, h) != (width, height):  # float rounding can lose a pixel; a hair more gives it back
        fig.set_size_inches((width + 0.25) / dpi, (height + 0.25) / dpi)
    return fig


LAYOUT_DIGITS = 12  # decimals of a figure fraction kept from the layout


def draw_static(view, fig: Figure) -> None:
    """Draw the view's static part and freeze the layout, so frames never shift.

    The constrained layout's solver (kiwisolver) adds up in an order that follows
    where its variables sit in memory, so its positions can differ in the last bits
    from one process to the next; an edge that falls on a half pixel (0.825 of 180
    pixels) then lands on one pixel or the other. Rounded to LAYOUT_DIGITS decimals,
    the positions are the same in every process.
    """
    view.draw_static(fig)
    engine = fig.get_layout_engine()
    if engine is not None:  # what a draw would do first, without rasterising everything
        engine.execute(fig)
        for ax in fig.axes:
            bounds = ax.get_position(original=True).bounds
            ax.set_position([round(v, LAYOUT_DIGITS) for v in bounds], which="original")
    fig.set_layout_engine("none")


def freeze_camera_independent(fig: Figure, axes: list) -> None:
    """Keep what a moving camera does not change from being worked out again every frame.

    Draws ``axes`` once, then pins their titles where matplotlib placed them (placing
    a title measures the axes' tick labels, which in 3D means laying all of them out)
    and fixes their tick locations and labels (those without an offset such as
    "1e6", which a fixed formatter would drop): all depend on the limits and the axes'
    size, not on the camera, so every frame looks the same, only drawn sooner.
    """
    lay_text_out_once(fig.canvas.get_renderer())
    for ax in axes:
        fig.draw_artist(ax)
        ax._autotitlepos = False  # matplotlib's own switch, set when a title is given a y
        for axis in (getattr(ax, name) for name in ("xaxis", "yaxis", "zaxis") if hasattr(ax, name)):
            locations = axis.get_majorticklocs()
            labels = axis.major.formatter.format_ticks(locations)
            axis.set_major_locator(FixedLocator(locations))
            if not axis.major.formatter.get_offset():
                axis.set_major_formatter(FixedFormatter(labels))
