"""Text for a moving camera: each string laid out once, each glyph rendered by a font
whose size is set once.

A moving camera redraws its axes' labels every frame. Agg draws a string by laying it
out with FreeType (loading and hinting every glyph), then, glyph by glyph, setting the
font's size, placing the glyph at its sub-pixel position and rendering it. The layout
depends on the string, the font and its size, not on where the string goes; and
setting a size, even the same one, makes FreeType's hinter start afresh, half of a
glyph's time. So layouts are kept, and each (font file, size) gets a font object of
its own whose size is set once: the glyphs are the same ones, hinted and rendered at
the same positions, and the pixels do not change.

This is matplotlib 3.11's Agg text path (``FT2Font._layout``, ``_set_transform`` and
``_render_glyph``, as ``RendererAgg._draw_text_glyphs_and_boxes`` uses them); under
any other matplotlib (PATH_OF), text is drawn as before.
"""
from __future__ import annotations

import math
import os

import matplotlib
import numpy as np
from matplotlib import ft2font
from matplotlib.backends.backend_agg import RendererAgg, get_hinting_flag
from matplotlib.ft2font import FT2Font

PATH_OF = {(3, 11)}  # the matplotlib versions whose text path this is (tests/test_orbit.py checks the pixels)
MAX_KEPT = 4096  # layouts kept (a camera's labels are a few dozen), and fonts


def lay_text_out_once(renderer: RendererAgg) -> None:
    """Replace ``renderer.draw_text`` (plain text) with the memoised path."""
    if tuple(int(part) for part in matplotlib.__version__.split(".")[:2]) not in PATH_OF:
        return
    draw_image = renderer._renderer.draw_text_image
    # FT2Font objects belong to the process that made them (matplotlib reopens its
    # fonts in a forked child): a fork starts afresh
    kept = {"pid": os.getpid(), "layouts": {}, "fonts": {}}

    def draw_text(gc, x, y, s, prop, angle, ismath=False, mtext=None):
        if ismath:
            return renderer.draw_mathtext(gc, x, y, s, prop, angle)
        try:
            glyphs = laid_out(s, prop, mtext)
        except (AttributeError, TypeError):  # another matplotlib's private text path: draw as it does
            del renderer.draw_text
            return renderer.draw_text(gc, x, y, s, prop, angle, ismath, mtext)
        # as RendererAgg._draw_text_glyphs_and_boxes, less setting each glyph's size
        cos, sin = math.cos(math.radians(angle)), math.sin(math.radians(angle))
        matrix = (0x10000 * np.array([[cos, -sin], [sin, cos]])).round().astype(int)
        antialiased = gc.get_antialiased()
        mode = ft2font.RenderMode.NORMAL if antialiased else ft2font.RenderMode.MONO
        flags, height = get_hinting_flag(), renderer.height
        for font, index, dx, dy in glyphs:  # dy is upwards, y downwards
            font._set_transform(matrix, [round(0x40 * (x + dx * cos - dy * sin)),
                                         round(0x40 * (height - y + dx * sin + dy * cos))])
            bitmap = font._render_glyph(index, flags, mode)
            buffer = bitmap.buffer
            if not antialiased:
                buffer *= 0xFF
            draw_image(buffer, bitmap.left, int(height) - bitmap.top + buffer.shape[0], 0, gc)

    def laid_out(s, prop, mtext):
        if kept["pid"] != os.getpid():
            kept.update(pid=os.getpid(), layouts={}, fonts={})
        features = mtext.get_fontfeatures() if mtext is not None else None
        language = mtext.get_language() if mtext is not None else None
        flags = get_hinting_flag()
        # a FontProperties is a key as matplotlib's own font cache uses it: by its hash,
        # which covers the family, style, weight, size and file
        key = (prop, flags, s, repr(features), repr(language))
        layouts = kept["layouts"]
        found = layouts.get(key)
        if found is None:
            if len(layouts) >= MAX_KEPT:
                layouts.clear()
            font, size = renderer._prepare_font(prop), prop.get_size_in_points()
            items = font._layout(s, flags=flags, features=features, language=language)
            found = layouts[key] = [(own_font(item.ft_object, size), item.glyph_index, item.x, item.y) for item in items]
        return found

    def own_font(font, size):
        fonts = kept["fonts"]
        key = (font.fname, font.face_index, size)
        own = fonts.get(key)
        if own is None:
            if len(fonts) >= MAX_KEPT:
                fonts.clear()
            own = fonts[key] = FT2Font(font.fname, face_index=font.face_index)
            own.set_size(size, renderer.dpi)
        return own

    renderer.draw_text = draw_text
