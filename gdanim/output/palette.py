"""One fixed 256-entry palette for a whole animation, and the lookup from colours to it.

A colour finds its palette index through a lookup table of 6-bit cells per channel,
filled lazily with the palette colour nearest each cell's centre; a pixel that is
exactly a palette colour keeps it.
"""
from __future__ import annotations

import numpy as np
from PIL import Image

#: Palette index never produced by ``Palette.index``: GIF frames mark unchanged pixels
#: with it.
TRANSPARENT = 255

_LUT_BITS = 6  # per channel: 2**18 cells (256 KiB)
_LUT_SHIFT = 8 - _LUT_BITS
_LUT_LEVELS = 1 << _LUT_BITS


def _lut_keys(rgb: np.ndarray) -> np.ndarray:
    """LUT cell of each (..., 3) uint8 colour: red in the low bits, as in ``index``."""
    rgb = rgb.astype(np.intp) >> _LUT_SHIFT
    return rgb[..., 0] | (rgb[..., 1] << _LUT_BITS) | (rgb[..., 2] << 2 * _LUT_BITS)


def _nearest(cells: np.ndarray, colors: np.ndarray) -> np.ndarray:
    """Index of the palette colour nearest (squared RGB distance) to each cell's centre.

    Coordinates are doubled so cell centres are integers; every value stays an exact
    integer in float32, so the result (ties go to the lower index) is exact and
    machine-independent while the search runs as a fast matrix product.
    """
    channels = [(cells >> (shift * _LUT_BITS)) & (_LUT_LEVELS - 1) for shift in range(3)]
    centres = np.stack(channels, axis=1).astype(np.float32) * (2 << _LUT_SHIFT) + ((1 << _LUT_SHIFT) - 1)
    palette = colors.astype(np.float32) * 2
    palette_sq = (palette**2).sum(axis=1)
    nearest = np.empty(len(cells), dtype=np.uint8)
    step = 1 << 12  # 4 MiB of distances at a time keeps the peak memory low
    for start in range(0, len(cells), step):
        # |c - p|^2 - |c|^2: the dropped term is the same for every palette entry.
        distance = palette_sq - 2 * (centres[start : start + step] @ palette.T)
        nearest[start : start + step] = distance.argmin(axis=1)
    return nearest


class Palette:
    """A fixed 256-entry palette for the whole animation; index 255 is transparent.

    One palette for every frame keeps colours from flickering between frames and lets
    all frames share the GIF's global colour table. Picklable, so it can be built once
    in the parent and sent to worker processes.
    """

    def __init__(self, colors, counts=None):
        """``colors``: up to 255 RGB colours; ``counts``: how often each occurs, used to
        decide which colour owns a LUT cell that several exact palette colours share."""
        colors = np.asarray(colors, dtype=np.uint8).reshape(-1, 3)
        if not 1 <= len(colors) <= TRANSPARENT:
            raise ValueError(f"a palette needs 1 to {TRANSPARENT} colours; got {len(colors)}")
        self.colors = np.zeros((256, 3), dtype=np.uint8)
        self.colors[: len(colors)] = colors
        self._used = colors
        # Filled in as colours turn up (a run meets a few thousand of the 2**18 cells);
        # TRANSPARENT, which no colour maps to, marks a cell not yet looked up.
        self.lut = np.full(_LUT_LEVELS**3, TRANSPARENT, dtype=np.uint8)
        # A pixel that is exactly a palette colour (the background, a line colour) maps
        # to that colour, not to a neighbour that happens to be nearer its cell centre.
        counts = np.ones(len(colors)) if counts is None else np.asarray(counts)
        keys = _lut_keys(colors)
        for i in np.argsort(counts, kind="stable"):
            self.lut[keys[i]] = i

    @classmethod
    def from_frames(cls, frames, key_colors=()) -> "Palette":
        """A palette for frames like the sample ``frames``.

        ``key_colors`` ((n, 3) uint8, distinct) are the colours of what the viewer
        watches: markers, lines, points. Each gets an exact entry, which owns its LUT
        cell, so a pixel of that colour decodes as that colour (and so does any colour
        within the cell, 4 levels a channel: two key colours that close would not both
        be exact; gdanim's styles have none). A deterministic median cut of the sample
        fills the other entries, unless the sample and the key colours have at most 255
        colours together: then they are the palette. Median cut sees every other row:
        enough to weigh each colour (antialiasing spreads every edge over several rows)
        at half the cost.
        """
        sample = np.concatenate([np.asarray(f)[..., :3] for f in frames], axis=0)
        keys = np.asarray(key_colors, dtype=np.uint8).reshape(-1, 3)
        # Key colours own their cells over any other colour: count them above the sample's pixels.
        key_counts = _key_counts(sample, keys)
        few = Image.fromarray(np.ascontiguousarray(sample)).getcolors(TRANSPARENT)
        if few is not None:
            known = {tuple(key) for key in keys.tolist()}
            rest = [(count, color) for count, color in sorted(few, key=lambda count_color: count_color[1])
                    if color not in known]
            if len(keys) + len(rest) <= TRANSPARENT:
                counts, colors = [count for count, _ in rest], [color for _, color in rest]
                return cls(np.concatenate([keys, np.array(colors, np.uint8).reshape(-1, 3)]), key_counts + counts)
        quantized = Image.fromarray(np.ascontiguousarray(sample[::2])).quantize(
            colors=TRANSPARENT - len(keys), method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE
        )
        colors = np.array(quantized.getpalette("RGB"), dtype=np.uint8).reshape(-1, 3)
        return cls(np.concatenate([keys, colors]), key_counts + quantized.histogram()[: len(colors)])

    def index(self, rgba) -> np.ndarray:
        """(H, W) palette indices of an (H, W, 4) uint8 RGBA frame (alpha ignored)."""
        return self.index_packed(packed_pixels(rgba))

    def index_packed(self, packed: np.ndarray) -> np.ndarray:
        """Palette indices of RGBA pixels packed as little-endian uint32 (R in the low byte).

        A few whole-array integer ops build the LUT key instead of per-channel arithmetic.
        """
        key = packed >> _LUT_SHIFT
        key &= _LUT_LEVELS - 1
        part = packed >> (8 + _LUT_SHIFT - _LUT_BITS)
        part &= (_LUT_LEVELS - 1) << _LUT_BITS
        key |= part
        np.right_shift(packed, 16 + _LUT_SHIFT - 2 * _LUT_BITS, out=part)
        part &= (_LUT_LEVELS - 1) << (2 * _LUT_BITS)
        key |= part
        indices = self.lut[key]
        unknown = indices == TRANSPARENT
        if unknown.any():
            # the distinct cells, in order: marked in a table of all cells, where np.unique
            # would sort the keys of every unknown pixel (most of the first frame's)
            seen = np.zeros(self.lut.size, dtype=bool)
            seen[key[unknown]] = True
            cells = np.flatnonzero(seen)
            self.lut[cells] = _nearest(cells, self._used)
            indices[unknown] = self.lut[key[unknown]]
        return indices


def _key_counts(sample: np.ndarray, keys: np.ndarray) -> list[int]:
    """Each key colour's pixels in ``sample``, plus the sample's size (so that key
    colours outrank every other colour)."""
    packed = _packed_rgb(sample)
    return [packed.size + int(np.count_nonzero(packed == key)) for key in _packed_rgb(keys).tolist()]


def _packed_rgb(rgb: np.ndarray) -> np.ndarray:
    """(..., 3) uint8 colours as little-endian uint32, one compare per pixel instead of
    three; built in place, 4 bytes a pixel at the peak (a frame's sample is large)."""
    rgbx = np.zeros(rgb.shape[:-1] + (4,), dtype=np.uint8)
    rgbx[..., :3] = rgb
    return rgbx.view("<u4")[..., 0]


def packed_pixels(rgba) -> np.ndarray:
    """An (H, W, 4) uint8 RGBA frame as (H, W) little-endian uint32, R in the low byte."""
    rgba = np.ascontiguousarray(rgba, dtype=np.uint8)
    if rgba.ndim != 3 or rgba.shape[2] != 4:
        raise ValueError(f"expected an (H, W, 4) RGBA frame; got shape {rgba.shape}")
    return rgba.view("<u4")[..., 0]
