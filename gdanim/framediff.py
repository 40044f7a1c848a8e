"""How two frames differ: per-frame statistics and an image that shows where.

Differences are over RGB on the 0-255 scale (alpha is 255 in rendered frames). A
pixel has changed when one of its channels differs by more than ``CHANGED_LEVEL``:
RMS alone averages a thin line away on a large frame; the changed fraction catches it.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

#: A pixel has changed when one of its channels differs by more than this (0-255).
CHANGED_LEVEL = 8


@dataclass(frozen=True)
class FrameStats:
    frame: int
    rms: float  # over R, G and B, 0-255
    changed: int  # pixels with a channel off by more than CHANGED_LEVEL
    pixels: int

    @property
    def changed_fraction(self) -> float:
        return self.changed / self.pixels


def frame_stats(i: int, new: np.ndarray, base: np.ndarray) -> FrameStats:
    """RMS over RGB and the count of changed pixels of frame ``i``."""
    diff = new[..., :3].astype(np.int32) - base[..., :3].astype(np.int32)
    rms = math.sqrt(int(np.square(diff).sum()) / diff.size)
    changed = int((np.abs(diff) > CHANGED_LEVEL).any(axis=-1).sum())
    return FrameStats(i, rms, changed, diff.shape[0] * diff.shape[1])


def diff_image(new: np.ndarray, base: np.ndarray) -> np.ndarray:
    """Unchanged pixels as a dim grey copy of the baseline, changed ones in red: 64 for a
    difference of 1 up to 255 for 24 or more, so even a one-level change stands out."""
    grey = (base[..., :3].astype(np.uint16).sum(axis=-1) // 12).astype(np.uint8)  # a quarter of the mean
    level = np.abs(new[..., :3].astype(np.int16) - base[..., :3].astype(np.int16)).max(axis=-1)
    out = np.repeat(grey[..., None], 3, axis=-1)
    changed = level > 0
    out[changed] = 0
    out[changed, 0] = np.minimum(255, 64 + 8 * level[changed].astype(np.int32))
    return out
