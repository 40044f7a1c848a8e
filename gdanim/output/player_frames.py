"""The HTML player's frames: what changed in each, as a few boxes.

A lossless frame is the GIF encoder's palette indices (255 keeps the pixel below),
taken band by band rather than in the GIF's one box, which spans the status line and
whatever moves and is mostly unchanged; each box is deflated (zlib). Deflate
compresses the indices about a third smaller than the GIF's LZW, at a fifth of
lossless WebP's time. With a lossy quality the boxes are WebP images. A payload is
the count of boxes, then each box, length first; ``output.html`` writes them into the
page.
"""
from __future__ import annotations

import struct
import zlib

import numpy as np

from .gif import GifFrameEncoder
from .palette import TRANSPARENT
from .webp import WebpFrameEncoder, payload


DEFLATE_LEVEL = 5  # 6, zlib's default, takes a third longer for 2-8% fewer bytes; 9, six times as long for 10%
BAND = 32  # rows: a frame's change is boxed band by band, then neighbouring boxes merge
_MERGE_SLACK = 16384  # pixels a merged box may waste (measured best on the gallery)
_COUNT = struct.Struct("<H")
INDEX_BOX = struct.Struct("<HHHH")  # x, y, width, height of a box of palette indices
_LENGTH = struct.Struct("<I")


def boxes(mask: np.ndarray) -> list[tuple[int, int, int, int]]:
    """(top, bottom, left, right) boxes, bottom and right exclusive, covering the True
    pixels: one per band of BAND rows, merged with the next while that wastes little."""
    found = []
    for top in range(0, mask.shape[0], BAND):
        band = mask[top : top + BAND]
        rows, cols = np.flatnonzero(band.any(axis=1)), np.flatnonzero(band.any(axis=0))
        if rows.size:
            found.append((top + int(rows[0]), top + int(rows[-1]) + 1, int(cols[0]), int(cols[-1]) + 1))
    merged = found[:1]
    for box in found[1:]:
        t, b, l, r = merged[-1]
        union = (t, box[1], min(l, box[2]), max(r, box[3]))
        area = lambda bx: (bx[1] - bx[0]) * (bx[3] - bx[2])  # noqa: E731
        if area(union) <= area(merged[-1]) + area(box) + _MERGE_SLACK:
            merged[-1] = union
        else:
            merged.append(box)
    return merged


def boxed(x: int, y: int, array: np.ndarray, shown: np.ndarray | None, pack, even: bool = False) -> bytes:
    """A player payload of ``array`` (placed at x, y) in the boxes covering ``shown``,
    or whole where ``shown`` is None: the count of boxes, then ``pack(x, y, part)`` of
    each box, length first. ``even``: each box starts on even frame coordinates."""
    if shown is None:
        found = [(0, array.shape[0], 0, array.shape[1])]
    else:
        found = boxes(shown) or [(0, 1, 0, 1)]  # a frame of its own even if nothing changed
    if even:
        found = [(_even(t, y), b, _even(l, x), r) for t, b, l, r in found]
    return _joined([pack(x + l, y + t, array[t:b, l:r]) for t, b, l, r in found])


def _even(start: int, origin: int) -> int:
    """``start``, or the index before it, whichever lies on an even coordinate of the frame."""
    return start - min(start, (origin + start) % 2)


def banded(x: int, y: int, pixels: np.ndarray, options: dict) -> bytes:
    """WebP boxes of ``pixels``: RGB whole, RGBA where it is not see-through. Each box
    starts on even coordinates, as WebP offsets must, taking in the hidden pixel before
    it with its own colour rather than a padding of black, which lossy coding would
    bleed into the pixels beside it."""
    shown = pixels[..., 3] != 0 if pixels.shape[2] == 4 else None
    return boxed(x, y, pixels, shown, lambda bx, by, part: payload(bx, by, part, options), even=True)


def _joined(parts: list[bytes]) -> bytes:
    return _COUNT.pack(len(parts)) + b"".join(_LENGTH.pack(len(p)) + p for p in parts)


def unbanded(data: bytes) -> list[bytes]:
    (count,), pos, parts = _COUNT.unpack_from(data), _COUNT.size, []
    for _ in range(count):
        (length,) = _LENGTH.unpack_from(data, pos)
        parts.append(data[pos + _LENGTH.size : pos + _LENGTH.size + length])
        pos += _LENGTH.size + length
    return parts


def palette_rgba(palette) -> np.ndarray:
    """(256, 4) RGBA of each palette index: opaque, but TRANSPARENT, which keeps the pixel below."""
    rgba = np.zeros((256, 4), np.uint8)
    rgba[: len(palette.colors), :3] = palette.colors
    rgba[:, 3] = 255
    rgba[TRANSPARENT] = 0
    return rgba


def index_box(x: int, y: int, indices: np.ndarray) -> bytes:
    """One box of palette indices: where it goes and its size, then the indices, deflated."""
    height, width = indices.shape
    return INDEX_BOX.pack(x, y, width, height) + zlib.compress(np.ascontiguousarray(indices).data, DEFLATE_LEVEL)


class PlayerFrameEncoder(GifFrameEncoder):
    """The GIF's palette indices, deflated, a few boxes a frame.

    The GIF encoder finds which palette indices changed; the player takes them in
    boxes, band by band, rather than the GIF's one box, which spans the status line
    and whatever moves and is mostly unchanged."""

    def _payload(self, x, y, crop, transparent, clears=False):
        return boxed(x, y, crop, crop != TRANSPARENT if transparent else None, index_box)


class LossyPlayerFrameEncoder(WebpFrameEncoder):
    """Lossy (``quality``) colours, alpha exact, a few boxes a frame."""

    def pack(self, x, y, pixels):
        return banded(x, y, pixels, self.options)
