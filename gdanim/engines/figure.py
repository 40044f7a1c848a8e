"""A fixed-size Agg figure and the one-time static drawing both engines share."""
from __future__ import annotations

from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg, get_hinting_flag
from matplotlib.figure import Figure
from matplotlib.ft2font import FT2Font
from matplotlib.ticker import FixedFormatter, FixedLocator


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


def freeze_camera_independent(fig: Figure, axes: list) -> None:
    """Keep what a moving camera does not change from being worked out again every frame.

    Draws ``axes`` once, then pins their titles where matplotlib placed them (placing
    a title measures the axes' tick labels, which in 3D means laying all of them out)
    and fixes their tick locations and labels (those without an offset such as
    "1e6", which a fixed formatter would drop): all depend on the limits and the axes'
    size, not on the camera, so every frame looks the same, only drawn sooner.
    """
    _lay_text_out_once(fig.canvas.get_renderer())
    for ax in axes:
        fig.draw_artist(ax)
        ax._autotitlepos = False  # matplotlib's own switch, set when a title is given a y
        for axis in (getattr(ax, name) for name in ("xaxis", "yaxis", "zaxis") if hasattr(ax, name)):
            locations = axis.get_majorticklocs()
            labels = axis.major.formatter.format_ticks(locations)
            axis.set_major_locator(FixedLocator(locations))
            if not axis.major.formatter.get_offset():
                axis.set_major_formatter(FixedFormatter(labels))


MAX_LAYOUTS = 4096  # strings laid out and kept; a camera's labels are a few dozen


def _lay_text_out_once(renderer: RendererAgg) -> None:
    """Lay each string out once per font and size, not on every draw.

    A moving camera redraws its axes' labels every frame, and Agg lays each string
    out again with FreeType (loading and hinting every glyph), a tenth of an orbit's
    time. The layout depends on the string, the font and its size, not on where the
    string goes, so the glyphs are the same ones at the same offsets: the pixels do
    not change. Only for matplotlib's Agg text path of 3.11 on (``FT2Font._layout``);
    elsewhere text is drawn as before.
    """
    draw_glyphs = getattr(renderer, "_draw_text_glyphs_and_boxes", None)
    prepare = getattr(renderer, "_prepare_font", None)
    if draw_glyphs is None or prepare is None or not hasattr(FT2Font, "_layout"):
        return
    layouts = {}

    def draw_text(gc, x, y, s, prop, angle, ismath=False, mtext=None):
        if ismath:
            return renderer.draw_mathtext(gc, x, y, s, prop, angle)
        try:
            glyphs = laid_out(s, prop, mtext)
        except (AttributeError, TypeError):  # another matplotlib's private text path: draw as it does
            del renderer.draw_text
            return renderer.draw_text(gc, x, y, s, prop, angle, ismath, mtext)
        draw_glyphs(gc, x, y, angle, glyphs, [])

    def laid_out(s, prop, mtext):
        font = prepare(prop)
        size = prop.get_size_in_points()
        features = mtext.get_fontfeatures() if mtext is not None else None
        language = mtext.get_language() if mtext is not None else None
        flags = get_hinting_flag()
        key = (id(font), size, flags, s, repr(features), repr(language))
        found = layouts.get(key)
        if found is None:
            if len(layouts) >= MAX_LAYOUTS:
                layouts.clear()
            items = font._layout(s, flags=flags, features=features, language=language)
            glyphs = [(item.ft_object, size, item.glyph_index, 0, 1, item.x, item.y) for item in items]
            found = layouts[key] = (font, glyphs)  # the font kept alive, so its id stays its own
        return found[1]

    renderer.draw_text = draw_text
