"""GlyphText: short labels that change every frame, drawn straight from FreeType.

A matplotlib ``Text`` finds its font, lays the string out and rasterises it glyph by
glyph on every draw: some 5 ms a label. A network diagram prints a dozen or more
numbers a frame, so that was most of its frame time. ``GlyphText`` keeps its font,
asks FreeType for each line as one bitmap, and draws the lines (centred on a point
given in data coordinates, shifted by an offset in points) as one image, optionally
on a solid background box. Like ``status.StatusLine``, which does the same for one
monospace line at a fixed place.
"""
from __future__ import annotations

import numpy as np
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import get_hinting_flag
from matplotlib.colors import to_rgba
from matplotlib.font_manager import FontProperties, findfont, get_font

FAMILY = "DejaVu Sans"
LINE_SPACING = 1.2  # line height in ems
PAD = 0.2  # background box margin in ems
DESCENT = 0.25  # room below the last baseline, in ems


class GlyphText(Artist):
    """Text at data point ``xy`` + ``offset`` points; ``va`` 'center', 'top' or 'bottom'; centred across."""

    def __init__(self, ax, xy, fontsize: float, color, offset=(0.0, 0.0), va: str = "center", background=None):
        super().__init__()
        self.axes = ax
        self.set_figure(ax.figure)
        self._xy, self._offset, self._va = xy, offset, va
        self._fontsize = fontsize
        self._font_path = findfont(FontProperties(family=FAMILY))
        self._text = ""
        self.set_color(color)
        self._background = None if background is None else np.array([round(255 * c) for c in to_rgba(background)],
                                                                     dtype=np.uint8)

    def set_text(self, text: str) -> None:
        self._text = text
        self.stale = True

    def get_text(self) -> str:
        return self._text

    def set_color(self, color) -> None:
        self._color = np.array([round(255 * c) for c in to_rgba(color)], dtype=np.uint8)
        self.stale = True

    def _lines(self, dpi: float) -> tuple[list[tuple[np.ndarray, int]], float]:
        """Each line's coverage bitmap (rows top first) with its rows below the baseline; the font's ascent."""
        font = get_font(self._font_path)
        lines = []
        for line in self._text.split("\n"):
            font.clear()
            font.set_size(self._fontsize, dpi)
            font.set_text(line, 0.0, flags=get_hinting_flag())
            font.draw_glyphs_to_bitmap(antialiased=True)
            lines.append((np.asarray(font.get_image()), round(font.get_descent() / 64)))
        return lines, font.ascender / font.units_per_EM * self._fontsize * dpi / 72

    def image(self, dpi: float) -> np.ndarray:
        """The text as one RGBA image, rows top first, lines centred on each other."""
        em = self._fontsize * dpi / 72
        lines, ascent = self._lines(dpi)
        pad = round(PAD * em) if self._background is not None else 0
        step = round(LINE_SPACING * em)
        width = max(bitmap.shape[1] for bitmap, _ in lines) + 2 * pad
        height = step * (len(lines) - 1) + round(ascent + DESCENT * em) + 2 * pad
        coverage = np.zeros((height, width), dtype=np.uint16)
        for i, (bitmap, descent) in enumerate(lines):
            baseline = pad + i * step + round(ascent)  # every line on its own baseline, a line apart
            top = max(0, baseline + descent - bitmap.shape[0])
            left = pad + (width - 2 * pad - bitmap.shape[1]) // 2
            rows = min(bitmap.shape[0], height - top)
            coverage[top : top + rows, left : left + bitmap.shape[1]] = bitmap[:rows]
        rgba = np.empty((height, width, 4), dtype=np.uint8)
        if self._background is None:
            rgba[..., :3] = self._color[:3]
            rgba[..., 3] = (coverage * self._color[3] + 127) // 255
            return rgba
        ink = coverage * self._color[3] // 255  # text over the box, blended in 0..255
        for c in range(3):
            rgba[..., c] = (ink * self._color[c] + (255 - ink) * self._background[c] + 127) // 255
        rgba[..., 3] = np.maximum(ink, self._background[3])
        return rgba

    def draw(self, renderer) -> None:
        if not self.get_visible() or not self._text:
            return
        rgba = self.image(renderer.dpi)
        height, width = rgba.shape[:2]
        x, y = self.axes.transData.transform(self._xy)
        x += self._offset[0] * renderer.dpi / 72
        y += self._offset[1] * renderer.dpi / 72
        bottom = {"center": y - height / 2, "top": y - height, "bottom": y}[self._va]
        gc = renderer.new_gc()
        renderer.draw_image(gc, round(x - width / 2), round(bottom), rgba[::-1])  # rows bottom first
        gc.restore()
        self.stale = False
