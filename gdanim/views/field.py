"""FieldImage: a function sampled on a grid, drawn over a whole axes, fast.

matplotlib's ``imshow`` resamples its data to the screen on every draw through a
general affine resampler: some 15 ms a frame for a 500 x 500 pixel panel, more than
the rest of a boundary frame together. Here the grid always fills the axes, so
bilinear interpolation is separable: along y, then along x, each row or column of
pixels a blend of its two nearest samples (index and weight found once per panel
size). A 256-entry table turns levels into colours, and the pixels go straight to
the renderer. (Written as two matrix products the blend would be shorter, but
OpenBLAS's threads make such mid-sized products erratic on a busy machine.)
"""
from __future__ import annotations

import numpy as np
from matplotlib.artist import Artist


def blend_positions(pixels: int, samples: int) -> tuple[np.ndarray, np.ndarray]:
    """For each pixel centre, the sample left of it and the weight of the one right of it;
    the samples are spaced evenly from the first pixel's edge to the last one's."""
    where = (np.arange(pixels) + 0.5) / pixels * (samples - 1)
    left = np.clip(np.floor(where).astype(np.intp), 0, samples - 2)
    return left, (where - left).astype(np.float32)


class FieldImage(Artist):
    """Values on a (G, G) grid spanning the axes' limits, shown through a colour map."""

    def __init__(self, ax, cmap, vmin: float, vmax: float, bands: int = 256):
        """bands: the colours the range is cut into (256: smooth; fewer: even bands, like contourf's)."""
        super().__init__()
        self.axes = ax
        self.set_figure(ax.figure)
        # one uint32 per colour: a gather of whole pixels is several times faster than of RGBA bytes
        colours = cmap((np.arange(256) * bands // 256 + 0.5) / bands)  # each level the colour of its band's middle
        self._table = np.round(colours * 255).astype(np.uint8).view(np.uint32).ravel()
        self._vmin, self._span = np.float32(vmin), np.float32((vmax - vmin) or 1.0)
        self._values = None
        self._positions = {}  # (width, height, grid shape) -> (rows, columns) blend positions

    def set_values(self, values: np.ndarray) -> None:
        """values[row, column]: row along y (bottom first), column along x."""
        self._values = np.asarray(values, dtype=np.float32)
        self.stale = True

    def rgba(self, width: int, height: int) -> np.ndarray:
        """The picture at width x height pixels, bottom row first (as the renderer takes it)."""
        z = self._values
        key = (width, height, z.shape)
        if key not in self._positions:
            self._positions[key] = (blend_positions(height, z.shape[0]), blend_positions(width, z.shape[1]))
        (top, dy), (right, dx) = self._positions[key]
        level = np.clip(np.nan_to_num((z - self._vmin) * (1 / self._span)), 0, 1)
        # below 2^-20 a level is 0 at 8-bit depth; zeroing it keeps out float32 denormals
        # (a sigmoid far from its boundary gives them), on which arithmetic crawls
        level[level < 2**-20] = 0
        rows = level[top]
        rows += dy[:, None] * (level[top + 1] - rows)
        # pixels + dx * (next - pixels), then * 255 + 0.5, in place: the same float32
        # arithmetic without allocating a panel's worth of floats five times a frame
        pixels = rows[:, right]
        step = rows[:, right + 1]
        step -= pixels
        step *= dx
        pixels += step
        pixels *= 255
        pixels += 0.5
        index = pixels.astype(np.uint8)
        return np.take(self._table, index).view(np.uint8).reshape(height, width, 4)

    def draw(self, renderer) -> None:
        if not self.get_visible() or self._values is None:
            return
        x0, y0, x1, y1 = (int(round(v)) for v in self.axes.bbox.extents)
        if x1 <= x0 or y1 <= y0:
            return
        gc = renderer.new_gc()
        renderer.draw_image(gc, x0, y0, self.rgba(x1 - x0, y1 - y0))
        gc.restore()
        self.stale = False
