"""Text drawn as FreeType bitmaps from one glyph cache: for text that changes every frame.

matplotlib's ``Text`` finds its font, lays the string out and rasterises it glyph by
glyph on every draw; laying a string out with FreeType loads and hints every glyph
again, some 50 µs a glyph. ``glyph`` asks FreeType for each character once (cached
per font, size and dpi); ``compose`` sets strings from those bitmaps at FreeType's
own hinted advances, without kerning, word by word (formulas repeat most of their
words), and ``status.GlyphCachedLine`` sets monospace lines from the same cache.

``TextLayer`` draws many such strings a frame (the walkthrough's node values, edge
labels, log and equations): each string is coloured once (cached), after which a
frame only copies pixels. Formulas are plain Unicode (ŷ, ∂, η, ², subscripts), which
DejaVu Sans draws, so no mathtext or LaTeX.
"""
from __future__ import annotations

import math
import os
import unicodedata
from functools import lru_cache
from typing import NamedTuple

import numpy as np
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import get_hinting_flag
from matplotlib.colors import to_rgba
from matplotlib.font_manager import FontProperties, findfont, get_font


class Raster(NamedTuple):
    """A string as FreeType draws it: glyph coverage and where it sits on the pen line."""

    coverage: np.ndarray  # (h, w) uint8, top row first
    left: float  # pixels from the pen's start to the bitmap's left edge
    descent: float  # pixels the bitmap reaches below the baseline
    width: float  # the string's advance width in pixels


SANS, MONO = "DejaVu Sans", "DejaVu Sans Mono"


@lru_cache(maxsize=None)
def font_path(family: str = SANS, bold: bool = False) -> str:
    # a plain str: lru_cache keys hash it on every lookup, and matplotlib's FontPath hashes slowly
    return os.fspath(findfont(FontProperties(family=family, weight="bold" if bold else "normal")))


@lru_cache(maxsize=None)
def middle(path: str, fontsize: float, dpi: float) -> float:
    """Pixels from the baseline up to the middle of the font's ascender and descender."""
    font = get_font(path)
    em_px = fontsize * dpi / 72
    return (font.ascender + font.descender) / 2 / font.units_per_EM * em_px


@lru_cache(maxsize=None)
def glyph(cluster: str, path: str, fontsize: float, dpi: float):
    """(coverage, left, descent, advance) of one character with its combining marks."""
    font = get_font(path)
    font.clear()
    font.set_size(fontsize, dpi)
    # the hinted advance, as set_text places the next glyph (combining marks advance 0)
    advance = sum(font.load_char(ord(c), flags=get_hinting_flag()).horiAdvance for c in cluster) / 64
    font.set_text(cluster, 0.0, flags=get_hinting_flag())
    font.draw_glyphs_to_bitmap(antialiased=True)
    coverage = np.asarray(font.get_image()).copy()
    return coverage, font.get_bitmap_offset()[0] / 64, font.get_descent() / 64, advance


def _clusters(text: str) -> list[str]:
    out = []
    for c in text:
        if out and unicodedata.combining(c):  # ŝ written as s + U+0302 stays one glyph
            out[-1] += c
        else:
            out.append(c)
    return out


def join(pieces) -> Raster:
    """Bitmaps placed at (x, coverage, descent) on one baseline, as one Raster (one empty
    pixel for none)."""
    if not pieces:
        return Raster(np.zeros((1, 1), np.uint8), 0.0, 0.0, 0.0)
    x0 = min(x for x, _, _ in pieces)
    x1 = max(x + c.shape[1] for x, c, _ in pieces)
    descent = max(d for _, _, d in pieces)
    ascent = max(c.shape[0] - d for _, c, d in pieces)
    out = np.zeros((round(ascent + descent), x1 - x0), np.uint8)
    for x, coverage, d in pieces:
        top = round(ascent - (coverage.shape[0] - d))
        region = out[top : top + coverage.shape[0], x - x0 : x - x0 + coverage.shape[1]]
        np.maximum(region, coverage[: region.shape[0]], out=region)
    return Raster(out, float(x0), descent, 0.0)


@lru_cache(maxsize=16384)
def _word(word: str, path: str, fontsize: float, dpi: float) -> Raster:
    """A run of characters without spaces, set from cached glyphs at their hinted advances."""
    pen, placed = 0.0, []
    for cluster in _clusters(word):
        coverage, left, descent, advance = glyph(cluster, path, fontsize, dpi)
        if coverage.size:
            placed.append((math.floor(pen) + math.floor(left), coverage, descent))  # FreeType floors the bitmap edge
        pen += advance
    return join(placed)._replace(width=pen)


@lru_cache(maxsize=8192)
def compose(text: str, path: str, fontsize: float, dpi: float) -> Raster:
    """The string as one bitmap, set word by word (formulas repeat most of their words)."""
    space = glyph(" ", path, fontsize, dpi)[3]
    pen, placed = 0.0, []
    for word in text.split(" "):
        if word:
            raster = _word(word, path, fontsize, dpi)
            placed.append((math.floor(pen + raster.left + 0.5), raster.coverage, raster.descent))
            pen += raster.width
        pen += space
    pen -= space
    return join(placed)._replace(width=pen)


@lru_cache(maxsize=65536)
def text_width(text: str, fontsize: float, dpi: float, family: str = SANS, bold: bool = False) -> float:
    """The string's width (advance) in pixels, as ``compose`` sets it, from the glyphs' advances alone."""
    path = font_path(family, bold)
    return sum(glyph(cluster, path, fontsize, dpi)[3] for cluster in _clusters(text))


@lru_cache(maxsize=4096)
def _sprite(text, path, fontsize, dpi, color, ha, va, background, pad):
    """(RGBA image bottom row first, x and y offsets of its corner from the anchor in pixels)."""
    raster = compose(text, path, fontsize, dpi)
    coverage = raster.coverage.astype(np.uint16)
    rgba = np.array([round(255 * c) for c in to_rgba(color)], dtype=np.uint16)
    pad_px = round(pad * fontsize * dpi / 72) if background is not None else 0
    h, w = coverage.shape
    image = np.zeros((h + 2 * pad_px, w + 2 * pad_px, 4), dtype=np.uint8)
    if background is None:
        image[..., :3] = rgba[:3]
        image[..., 3] = (coverage * rgba[3] + 127) // 255
    else:
        back = np.array([round(255 * c) for c in to_rgba(background)], dtype=np.uint16)
        image[...] = back
        alpha = (coverage * rgba[3] + 127) // 255
        inner = image[pad_px : pad_px + h, pad_px : pad_px + w]
        inner[..., :3] = ((rgba[:3] * alpha[..., None] + back[:3] * (255 - alpha[..., None]) + 127) // 255).astype(np.uint8)
    shift_x = {"left": 0.0, "center": -raster.width / 2, "right": -raster.width}[ha]
    shift_y = -middle(path, fontsize, dpi) if va == "center" else 0.0
    return image[::-1].copy(), shift_x + raster.left - pad_px, shift_y - raster.descent - pad_px


class TextLayer(Artist):
    """Many strings at figure-fraction anchors; ``clear`` and ``add`` them every frame.

    ha: left, center or right of the string's advance; va: baseline or center (the
    middle of the font's ascender and descender, so labels of any content line up).
    background: a colour to fill a box ``pad`` ems around the string, or None.
    """

    def __init__(self, fig):
        super().__init__()
        self.set_figure(fig)
        self._items = []

    def clear(self) -> None:
        self._items = []
        self.stale = True

    def add(self, x: float, y: float, text: str, fontsize: float, color, *, family: str = SANS, bold: bool = False,
            ha: str = "left", va: str = "baseline", background=None, pad: float = 0.25) -> None:
        if text:
            self._items.append((x, y, text, font_path(family, bold), fontsize, color, ha, va, background, pad))
            self.stale = True

    def texts(self) -> list[str]:
        """The strings of this frame, in the order added (for tests)."""
        return [item[2] for item in self._items]

    def draw(self, renderer) -> None:
        if not self.get_visible() or not self._items:
            return
        to_pixels = self.figure.transFigure.transform
        anchors = to_pixels(np.array([item[:2] for item in self._items], dtype=float))
        gc = renderer.new_gc()
        for (x_px, y_px), (_, _, text, path, size, color, ha, va, background, pad) in zip(anchors, self._items):
            image, dx, dy = _sprite(text, path, size, renderer.dpi, _key(color), ha, va, _key(background), pad)
            renderer.draw_image(gc, round(x_px + dx), round(y_px + dy), image)
        gc.restore()
        self.stale = False


def _key(color):
    """A hashable colour for the sprite cache."""
    return tuple(color) if isinstance(color, (list, np.ndarray)) else color
