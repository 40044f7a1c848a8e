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

from functools import lru_cache
from typing import NamedTuple

import numpy as np
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import get_hinting_flag
from matplotlib.colors import to_rgba
from matplotlib.font_manager import FontProperties, findfont, get_font

FAMILY = "DejaVu Sans Mono"
ADVANCE_EM = 0.6  # DejaVu Sans Mono's advance width, in ems


class Raster(NamedTuple):
    """A string as FreeType draws it: glyph coverage and where it sits on the pen line."""

    coverage: np.ndarray  # (h, w) uint8, top row first
    left: float  # pixels from the pen's start to the bitmap's left edge
    descent: float  # pixels the bitmap reaches below the baseline
    width: float  # the string's advance width in pixels


@lru_cache(maxsize=4096)
def rasterize(text: str, font_path: str, fontsize: float, dpi: float) -> Raster:
    """The whole string as one bitmap (about 1 ms; cached, as frames repeat most strings)."""
    font = get_font(font_path)
    font.clear()
    font.set_size(fontsize, dpi)
    font.set_text(text, 0.0, flags=get_hinting_flag())
    font.draw_glyphs_to_bitmap(antialiased=True)
    coverage = np.asarray(font.get_image()).copy()
    return Raster(coverage, font.get_bitmap_offset()[0] / 64, font.get_descent() / 64, font.get_width_height()[0] / 64)


class StatusLine(Artist):
    """Monospace text centred as ``widest`` would be at (x, y) in figure coordinates."""

    def __init__(self, fig, x: float, y: float, widest: str, fontsize: float, color):
        super().__init__()
        self.set_figure(fig)
        self._anchor = (x, y)
        self._widest = widest
        self._fontsize = fontsize
        self._color = np.array([round(255 * c) for c in to_rgba(color)], dtype=np.uint8)
        self._font_path = findfont(FontProperties(family=FAMILY))
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

    def _origin(self, font, dpi: float) -> tuple[float, float]:
        """(left, baseline) in pixels: measured once, as the widest line never changes."""
        if self._origin_at[0] != dpi:
            font.set_text(self._widest, 0.0, flags=get_hinting_flag())
            widest_px = font.get_width_height()[0] / 64
            # the baseline sits half the font's ascender + descender below the anchor
            em_px = self._fontsize * dpi / 72
            middle = (font.ascender + font.descender) / 2 / font.units_per_EM * em_px
            x_px, y_px = self.figure.transFigure.transform(self._anchor)
            self._origin_at = (dpi, (x_px - widest_px / 2, y_px - middle))
            font.clear()
        return self._origin_at[1]

    def draw(self, renderer) -> None:
        if not self.get_visible() or not self._text:
            return
        left, baseline = self._origin(self._font(renderer.dpi), renderer.dpi)
        raster = rasterize(self._text, self._font_path, self._fontsize, renderer.dpi)
        image = np.empty(raster.coverage.shape + (4,), dtype=np.uint8)
        image[..., :3] = self._color[:3]
        image[..., 3] = (raster.coverage.astype(np.uint16) * self._color[3] + 127) // 255
        gc = renderer.new_gc()
        # draw_image takes rows bottom first
        renderer.draw_image(gc, round(left + raster.left), round(baseline - raster.descent), image[::-1])
        gc.restore()
        self.stale = False
