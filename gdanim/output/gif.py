"""GIF: palette indices of what changed, LZW-compressed in the workers, assembled here.

Each payload after the first covers only the box of pixels whose palette index
changed, unchanged pixels inside it transparent (long runs of one index compress far
better); every frame is drawn over the one before. One palette (``palette.Palette``)
serves the whole animation as the global colour table. Delays are whole centiseconds
(``gif_delays``).
"""
from __future__ import annotations

import struct

import numpy as np
from PIL import Image

from ..errors import ConfigError
from . import timing
from .base import FileContainer
from .palette import TRANSPARENT, Palette, packed_pixels

CENTISECONDS = 100  # GIF delays count hundredths of a second


def gif_delays(n_frames: int, fps: float, end_pause: float) -> list[int]:
    """GIF frame delays in centiseconds, the last one extended by ``end_pause`` seconds.

    Each delay is at least 1. Note that browsers play delays under 2 cs (above 50 fps)
    as 10 cs.
    """
    return timing.delays(n_frames, fps, end_pause, CENTISECONDS)


# --------------------------------------------------------------------------- frames

# Payload header: x, y, width, height of the crop, then flags.
_GIF_HEADER = struct.Struct("<HHHHB")
_FLAG_TRANSPARENT = 1
_FLAG_CLEARS = 2  # the frame before is cleared to the page (GIF disposal 2), not kept under it
#: Alpha from which a pixel of a see-through GIF is drawn (GIF transparency is 1-bit).
OPAQUE_FROM = 128
_GIF_MAX_SIDE = 0xFFFF


#: GIF image data starts with the LZW minimum code size: 8 bits, as the 256-entry palette needs.
_MIN_CODE_SIZE = 8


def _lzw_encode(indices: np.ndarray) -> bytes:
    """GIF image data of palette indices: the minimum code size, the LZW data in
    sub-blocks, and the block terminator.

    Pillow's C GIF encoder writes the sub-blocks (``Image.tobytes("gif", ...)``, with
    what ``Image.save(format="GIF", optimize=False, interlace=False)`` gives it), so the
    indices are encoded exactly as given. Saving a whole file instead would import
    Pillow's format plugins in every render worker and wrap each crop in headers to
    cut off again.
    """
    height, width = indices.shape
    image = Image.frombuffer("P", (width, height), np.ascontiguousarray(indices), "raw", "P", 0, 1)
    data = image.tobytes("gif", "P", _MIN_CODE_SIZE, 0)  # raw mode, bits, interlace off
    return bytes((_MIN_CODE_SIZE,)) + data + b"\x00"


class GifFrameEncoder:
    """Turns frames into GIF payloads, each encoding only what changed since the last.

    Only pixels whose RGBA changed are looked up in the palette, as they were and as
    they are (a frame usually changes in a few percent of its pixels). Inside the
    bounding box of the pixels whose palette index changed, unchanged pixels become
    transparent: long runs of one index compress far better. Lives in a worker process.

    ``see_through``: pixels with alpha under OPAQUE_FROM show the page. A pixel that
    turns see-through cannot be drawn over the frame before, so every frame is whole
    and clears the one before (disposal 2); TRANSPARENT then marks the see-through pixels.
    """

    def __init__(self, palette: Palette, see_through: bool = False):
        self._palette = palette
        self._packed = None  # the previous frame's RGBA as uint32
        self.see_through = see_through
        self.needs_previous = not see_through

    def prime(self, rgba) -> None:
        """Take ``rgba`` as the frame before the next, without encoding it."""
        self._packed = packed_pixels(rgba).copy()

    def encode(self, rgba) -> bytes:
        if self.see_through:
            packed = packed_pixels(rgba)
            indices = self._palette.index_packed(packed)
            indices[(packed >> 24) < OPAQUE_FROM] = TRANSPARENT
            return self._payload(0, 0, indices, transparent=True, clears=True)
        if self._packed is None:
            self.prime(rgba)
            return self._payload(0, 0, self._palette.index_packed(self._packed), transparent=False)
        packed = packed_pixels(rgba)
        if self._packed.shape != packed.shape:
            raise ValueError(f"frame size changed from {self._packed.shape} to {packed.shape}")
        # flatnonzero and divmod: several times faster than a 2-D nonzero
        changed = np.flatnonzero(packed != self._packed)
        now = packed.ravel()[changed]
        # An index depends on its pixel alone, so the frame before keeps no indices of
        # its own (priming a chunk costs a copy): the changed pixels' colours before
        # and now are looked up together, a few percent of a frame.
        new, old = np.split(self._palette.index_packed(np.concatenate([now, self._packed.ravel()[changed]])), 2)
        np.put(self._packed, changed, now)
        differs = new != old
        rows, cols = np.divmod(changed[differs], packed.shape[1])
        new = new[differs]
        if rows.size == 0:  # still a frame of its own: timing must not change
            return self._payload(0, 0, np.full((1, 1), TRANSPARENT, np.uint8), transparent=True)
        top, left = int(rows.min()), int(cols.min())
        crop = np.full((int(rows.max()) + 1 - top, int(cols.max()) + 1 - left), TRANSPARENT, np.uint8)
        crop[rows - top, cols - left] = new
        return self._payload(left, top, crop, transparent=True)

    def _payload(self, x: int, y: int, crop: np.ndarray, transparent: bool, clears: bool = False) -> bytes:
        height, width = crop.shape
        flags = (_FLAG_TRANSPARENT if transparent else 0) | (_FLAG_CLEARS if clears else 0)
        return _GIF_HEADER.pack(x, y, width, height, flags) + _lzw_encode(crop)


# --------------------------------------------------------------------------- container


class GifContainer(FileContainer):
    """Assembles GIF payloads into a GIF89a file, streamed to a temporary file.

    Timing comes either from ``delays`` (centiseconds, one per frame, used verbatim) or
    from ``fps`` and ``end_pause`` (as ``gif_delays``). In the latter case the frame
    count need not be known in advance: each frame is written when the next arrives,
    so the last one can receive the end pause.
    """

    def __init__(self, path, width, height, palette, delays=None, loop=True, *, fps=None, end_pause=0.0):
        if not (0 < width <= _GIF_MAX_SIDE and 0 < height <= _GIF_MAX_SIDE):
            raise ConfigError(f"a GIF can be at most {_GIF_MAX_SIDE} pixels a side; got {width}x{height}")
        if (delays is None) == (fps is None):
            raise ValueError("give exactly one of delays and fps")
        if fps is not None:
            timing.check_timing(fps, end_pause)
        self._size = (width, height)
        self._delays, self._fps, self._end_pause = delays, fps, end_pause
        self._pending = None
        super().__init__(path)
        self._write(self._file_header(palette, loop))

    def _file_header(self, palette: Palette, loop: bool) -> bytes:
        width, height = self._size
        # Global colour table present, 8-bit colour resolution, 256 entries.
        header = b"GIF89a" + struct.pack("<HHBBB", width, height, 0xF7, 0, 0)
        header += palette.colors.tobytes()
        if loop:  # NETSCAPE2.0 application extension, loop count 0 = forever
            header += b"\x21\xff\x0bNETSCAPE2.0\x03\x01\x00\x00\x00"
        return header

    def add(self, payload: bytes) -> None:
        self._check_payload(payload)
        if self._pending is not None:
            self._write_frame(self._pending, last=False)
        self._pending = payload
        self.n_frames += 1

    def _check_payload(self, payload: bytes) -> None:
        if self._closed:
            raise ValueError("the GIF container is closed")
        if self._delays is not None and self.n_frames >= len(self._delays):
            raise ValueError(f"more frames than the {len(self._delays)} delays given")
        x, y, width, height, _ = _GIF_HEADER.unpack_from(payload)
        if self.n_frames == 0 and (x, y, width, height) != (0, 0, *self._size):
            raise ValueError("the first GIF payload must cover the whole frame")
        if x + width > self._size[0] or y + height > self._size[1]:
            raise ValueError(f"GIF payload {width}x{height}+{x}+{y} lies outside the frame")

    def _delay(self, i: int, last: bool) -> int:
        if self._delays is not None:
            return self._delays[i]
        pause = timing.pause(self._end_pause, CENTISECONDS) if last else 0
        return timing.frame_delay(i, self._fps, CENTISECONDS) + pause

    def _write_frame(self, payload: bytes, last: bool) -> None:
        x, y, width, height, flags = _GIF_HEADER.unpack_from(payload)
        index = self.n_frames - 1  # the pending frame is always the latest added
        transparent = flags & _FLAG_TRANSPARENT
        disposal = 2 if flags & _FLAG_CLEARS else 1  # 1: leave the frame for the next to draw on
        control = struct.pack(
            "<BBBBHBB",
            0x21, 0xF9, 4,  # graphic control extension
            (disposal << 2) | transparent,
            self._delay(index, last),
            TRANSPARENT if transparent else 0,
            0,
        )
        descriptor = struct.pack("<BHHHHB", 0x2C, x, y, width, height, 0)  # no local palette
        self._write(control + descriptor + payload[_GIF_HEADER.size :])

    def _write_end(self) -> None:
        """The last frame, with the end pause, and the trailer."""
        self._write_frame(self._pending, last=True)
        self._write(b"\x3b")


def durations_ms(n_frames: int, fps: float, end_pause: float) -> list[int]:
    """What a GIF's frames last, in milliseconds: its delays, in whole centiseconds."""
    return [10 * d for d in gif_delays(n_frames, fps, end_pause)]


def frame_encoder(palette, quality, see_through=False):
    if palette is None:
        raise ValueError("a GIF frame encoder needs a palette")
    return GifFrameEncoder(palette, see_through)


def open_container(path, settings):
    if settings.palette is None:
        raise ValueError("a GIF container needs a palette")
    return GifContainer(path, settings.width, settings.height, settings.palette, fps=settings.fps,
                        end_pause=settings.end_pause)
