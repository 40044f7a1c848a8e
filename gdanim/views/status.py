"""The status line: one line of monospace text that changes every frame.

matplotlib's ``Text`` lays out and rasterises a string glyph by glyph; for a line of
about fifty characters that is some 10 ms a frame at 1000 px, more than everything
else in a frame together. ``StatusLine`` asks FreeType for the whole string as one
bitmap (about 1 ms) and draws it as one image.

The line starts at a fixed column, where the widest possible line would start if it
were centred. Monospace digits are all one width, so each field stays put while the
numbers change: nothing jitters sideways, and only the glyphs that change differ
from one frame to the next (which also keeps GIF frames small).
"""
from __future__ import annotations

import numpy as np
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import get_hinting_flag
from matplotlib.colors import to_rgba
from matplotlib.font_manager import get_font

from .text import MONO, font_path, glyph, join

FAMILY = MONO
ADVANCE_EM = 0.6  # DejaVu Sans Mono's advance width, in ems


class StatusLine(Artist):
    """Monospace text centred as ``widest`` would be at (x, y) in figure coordinates.

    ``transform`` places (x, y) in other coordinates (an axes' ``transAxes``, say);
    ``align="left"`` starts the text at x instead of centring it.
    """

    def __init__(self, fig, x: float, y: float, widest: str, fontsize: float, color, *, transform=None,
                 align: str = "center"):
        super().__init__()
        self.set_figure(fig)
        self._anchor = (x, y)
        self._place = fig.transFigure if transform is None else transform
        self._align = align
        self._widest = widest
        self._fontsize = fontsize
        self._color = np.array([round(255 * c) for c in to_rgba(color)], dtype=np.uint8)
        self._font_path = font_path(FAMILY)
        self._text = ""
        self._origin_at = (None, None)  # (dpi, (left, baseline)) once measured

    def set_text(self, text: str) -> None:
        self._text = text
        self.stale = True

    def get_text(self) -> str:
        return self._text

    def _font(self, dpi: float):
        font = get_font(self._font_path)
        font.clear()
        font.set_size(self._fontsize, dpi)
        return font

    def _origin(self, dpi: float) -> tuple[float, float]:
        """(left, baseline) in pixels: measured once, as the widest line never changes."""
        if self._origin_at[0] != dpi:
            font = self._font(dpi)
            font.set_text(self._widest, 0.0, flags=get_hinting_flag())
            widest_px = font.get_width_height()[0] / 64
            # the baseline sits half the font's ascender + descender below the anchor
            em_px = self._fontsize * dpi / 72
            middle = (font.ascender + font.descender) / 2 / font.units_per_EM * em_px
            x_px, y_px = self._place.transform(self._anchor)
            left = x_px if self._align == "left" else x_px - widest_px / 2
            self._origin_at = (dpi, (left, y_px - middle))
            font.clear()
        return self._origin_at[1]

    def draw(self, renderer) -> None:
        if not self.get_visible() or not self._text:
            return
        left, baseline = self._origin(renderer.dpi)
        coverage, offset_x, descent = self._coverage(self._text, renderer.dpi)
        image = np.empty(coverage.shape + (4,), dtype=np.uint8)
        image[..., :3] = self._color[:3]
        image[..., 3] = (coverage.astype(np.uint16) * self._color[3] + 127) // 255
        gc = renderer.new_gc()
        # draw_image takes rows bottom first
        renderer.draw_image(gc, round(left + offset_x), round(baseline - descent), image[::-1])
        gc.restore()
        self.stale = False

    def _coverage(self, text: str, dpi: float) -> tuple[np.ndarray, float, float]:
        """(coverage, rows top first; its left edge right of the pen's start and its bottom
        below the baseline, in pixels) of ``text``, laid out by FreeType."""
        font = self._font(dpi)
        font.set_text(text, 0.0, flags=get_hinting_flag())
        font.draw_glyphs_to_bitmap(antialiased=True)
        return np.asarray(font.get_image()), font.get_bitmap_offset()[0] / 64, font.get_descent() / 64


class GlyphCachedLine(StatusLine):
    """A StatusLine that builds its text from glyphs rasterised once each (``text.glyph``,
    the cache the walkthrough's text shares).

    For many short lines a frame (a race's scoreboard): laying out a string costs
    FreeType about half a millisecond, copying a dozen cached glyphs a few
    microseconds. In a monospace font glyph i starts i advances from the pen's start;
    each is placed at the nearest pixel, so the text differs from FreeType's own
    layout by at most a pixel per glyph, and is the same in every frame.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._advance_at = (None, None)  # (dpi, advance in pixels)

    def _advance(self, dpi: float) -> float:
        if self._advance_at[0] != dpi:
            flags, font = get_hinting_flag(), self._font(dpi)
            font.set_text("0", 0.0, flags=flags)
            one = font.get_width_height()[0]
            font.set_text("0" * 11, 0.0, flags=flags)
            self._advance_at = (dpi, (font.get_width_height()[0] - one) / 64 / 10)
        return self._advance_at[1]

    def _coverage(self, text: str, dpi: float) -> tuple[np.ndarray, float, float]:
        advance, path = self._advance(dpi), self._font_path
        placed = []
        for i, char in enumerate(text):
            coverage, left, descent, _ = glyph(char, path, self._fontsize, dpi)
            if coverage.size:
                placed.append((round(i * advance + left), coverage, descent))
        raster = join(placed)
        return raster.coverage, raster.left, raster.descent
