"""Animated WebP: frames compressed by Pillow (libwebp) in the workers, the RIFF
container assembled here, streamed to disk.

Pillow's own animated writer takes every frame as an image in memory at once and
compresses them one after another in one process. Here each worker compresses its
frames as stills, as it does for GIF, and the parent only copies their image chunks
into ``ANMF`` frames, so memory stays flat and the work spreads over the workers.

Like the GIF, each frame after the first covers only the box of what changed (WebP
needs its offset even), with unchanged pixels transparent and alpha-blended over the
frame before. Lossless frames therefore decode to exactly the rendered pixels; with a
quality (0-100) the changed pixels are compressed lossily (VP8), and alpha stays
exact. A payload depends only on its frame and the one before, so any number of
workers writes the same bytes.

A lossy pixel's error depends on its neighbours (VP8 codes 4x4 blocks, colour at half
resolution), so a pixel next to a moving line takes on its tint. Sent only when it
changed, such a pixel would keep that tint after the line moved on, and every
position of the line would leave a trace (at quality 80, after 120 frames of the
article's residuals, 6.3% of pixels off by more than 16 levels, against 1.6% in the
first frame). So a lossy box shows every pixel within ``LOSSY_REACH`` of a change,
coded again in its new surroundings, and its hidden pixels hold the frame's own
colours rather than black, which would bleed into them (libwebp flattens the blocks
that are hidden whole). The error then stays that of a lossy still: 2.0% after 120
frames.
"""
from __future__ import annotations

import io
import struct

import numpy as np
from PIL import Image

from ..errors import ConfigError
from ..validate import whole
from . import timing
from .base import FileContainer
from .palette import packed_pixels

MAX_SIDE = 16383  # libwebp's limit on either side
#: libwebp effort for lossless frames: method 4 with quality (effort) 50 is within 2%
#: of the smallest files (method 6, quality 100) at a thirtieth of the time.
LOSSLESS = {"lossless": True, "method": 4, "quality": 50, "exact": False}
LOSSY_METHOD = 4
LOSSY_REACH = 4  # pixels: VP8 codes 4x4 blocks, colour at half resolution (2 and 8 measure the same)

# Payload header: x, y, width and height of the box, then flags.
_HEADER = struct.Struct("<HHHHB")
_FLAG_BLEND = 1  # has transparent pixels, to be blended over the frame before
_IMAGE_CHUNKS = (b"ALPH", b"VP8 ", b"VP8L")


def check_quality(quality) -> int | None:
    """None (lossless) or a whole number 0 to 100."""
    if quality is None:
        return None
    return whole("quality", quality, minimum=0, maximum=100)


MILLISECONDS = 1000  # WebP frame durations count thousandths of a second


def durations_ms(n_frames: int, fps: float, end_pause: float) -> list[int]:
    """Each frame's duration in milliseconds, the last one extended by ``end_pause``
    seconds (``output.timing``: rounding errors never accumulate)."""
    return timing.delays(n_frames, fps, end_pause, MILLISECONDS)


# --------------------------------------------------------------------------- payloads


def _chunks(data: bytes, start: int):
    """(fourcc, body) of each RIFF chunk from ``start``."""
    pos = start
    while pos + 8 <= len(data):
        fourcc, size = data[pos : pos + 4], int.from_bytes(data[pos + 4 : pos + 8], "little")
        yield fourcc, data[pos + 8 : pos + 8 + size]
        pos += 8 + size + (size & 1)


def _chunk(fourcc: bytes, body: bytes) -> bytes:
    return fourcc + len(body).to_bytes(4, "little") + body + b"\0" * (len(body) & 1)


def compress(pixels: np.ndarray, options: dict) -> bytes:
    """The image chunks (ALPH + VP8, or VP8L) of ``pixels`` (H, W, 3 or 4) as a WebP still."""
    buffer = io.BytesIO()
    Image.fromarray(np.ascontiguousarray(pixels)).save(buffer, format="WEBP", **options)
    data = buffer.getvalue()
    if data[:4] != b"RIFF" or data[8:12] != b"WEBP":
        raise ValueError("Pillow did not write a WebP file")
    return b"".join(_chunk(fourcc, body) for fourcc, body in _chunks(data, 12) if fourcc in _IMAGE_CHUNKS)


def payload(x: int, y: int, pixels: np.ndarray, options: dict) -> bytes:
    """A frame's payload: its box and compressed pixels. An odd offset (WebP stores it
    halved) gains a transparent row or column before the box."""
    if x % 2 or y % 2:
        padded = np.zeros((pixels.shape[0] + y % 2, pixels.shape[1] + x % 2, 4), np.uint8)
        padded[y % 2 :, x % 2 :] = pixels
        pixels, x, y = padded, x - x % 2, y - y % 2
    height, width, channels = pixels.shape
    flags = _FLAG_BLEND if channels == 4 else 0
    return _HEADER.pack(x, y, width, height, flags) + compress(pixels, options)


def lossy_options(quality: int) -> dict:
    return {"quality": quality, "method": LOSSY_METHOD, "alpha_quality": 100, "exact": False}


class WebpFrameEncoder:
    """Turns frames into WebP payloads: the first whole, then the box of changed pixels.

    ``quality`` None is lossless; 0-100 is lossy (VP8) for the colours, alpha exact.
    """

    needs_previous = True

    def __init__(self, quality: int | None = None):
        self.options = LOSSLESS if quality is None else lossy_options(quality)
        self.lossy = quality is not None
        self._packed = None

    def pack(self, x: int, y: int, pixels: np.ndarray) -> bytes:
        return payload(x, y, pixels, self.options)

    def prime(self, rgba) -> None:
        self._packed = packed_pixels(rgba).copy()

    def encode(self, rgba) -> bytes:
        rgba = np.asarray(rgba)
        if self._packed is None:
            self.prime(rgba)
            return self.pack(0, 0, rgba[..., :3])
        packed = packed_pixels(rgba)
        if self._packed.shape != packed.shape:
            raise ValueError(f"frame size changed from {self._packed.shape} to {packed.shape}")
        changed = packed != self._packed
        rows, cols = np.divmod(np.flatnonzero(changed), packed.shape[1])
        np.copyto(self._packed, packed)
        if rows.size == 0:  # still a frame of its own: timing must not change
            return self.pack(0, 0, np.zeros((1, 1, 4), np.uint8))
        top, left = int(rows.min()), int(cols.min())
        if self.lossy:
            return self._lossy_box(rgba, changed, top, int(rows.max()) + 1, left, int(cols.max()) + 1)
        box = np.zeros((int(rows.max()) + 1 - top, int(cols.max()) + 1 - left, 4), np.uint8)
        box[rows - top, cols - left, :3] = rgba[rows, cols, :3]
        box[rows - top, cols - left, 3] = 255
        return self.pack(left, top, box)

    def _lossy_box(self, rgba, changed, top, bottom, left, right) -> bytes:
        """The frame's own pixels around the change, shown within LOSSY_REACH of it; the
        box starts on even coordinates, as WebP offsets must, so no black pads it."""
        height, width = changed.shape
        top, left = max(0, top - LOSSY_REACH) & ~1, max(0, left - LOSSY_REACH) & ~1
        bottom, right = min(height, bottom + LOSSY_REACH), min(width, right + LOSSY_REACH)
        box = np.empty((bottom - top, right - left, 4), np.uint8)
        box[..., :3] = rgba[top:bottom, left:right, :3]
        box[..., 3] = np.where(near(changed[top:bottom, left:right], LOSSY_REACH), 255, 0)
        return self.pack(left, top, box)


def near(mask: np.ndarray, reach: int) -> np.ndarray:
    """Pixels within ``reach`` rows and columns of a True pixel of ``mask`` (a square
    dilation), from running counts along each axis."""
    for axis in (0, 1):
        length = mask.shape[axis]
        counts = np.cumsum(mask, axis=axis, dtype=np.int32)
        counts = np.concatenate([np.zeros_like(np.take(counts, [0], axis=axis)), counts], axis=axis)
        index = np.arange(length)
        upto = np.take(counts, np.minimum(index + reach + 1, length), axis=axis)
        before = np.take(counts, np.maximum(index - reach, 0), axis=axis)
        mask = upto > before
    return mask


def read_payload(data: bytes) -> tuple[int, int, int, int, bool, bytes]:
    """(x, y, width, height, blend, image chunks) of a payload."""
    x, y, width, height, flags = _HEADER.unpack_from(data)
    return x, y, width, height, bool(flags & _FLAG_BLEND), data[_HEADER.size :]


def still(chunks: bytes, width: int, height: int) -> bytes:
    """A standalone WebP file of a payload's image chunks (ALPH + VP8 needs the
    extended format's VP8X header; VP8 or VP8L alone are simple files)."""
    body = b"WEBP" + (_vp8x(width, height, alpha=True) if chunks[:4] == b"ALPH" else b"") + chunks
    return b"RIFF" + len(body).to_bytes(4, "little") + body


def _vp8x(width: int, height: int, alpha: bool, animation: bool = False) -> bytes:
    flags = (0x10 if alpha else 0) | (0x02 if animation else 0)
    size = (width - 1).to_bytes(3, "little") + (height - 1).to_bytes(3, "little")
    return _chunk(b"VP8X", bytes([flags, 0, 0, 0]) + size)


# --------------------------------------------------------------------------- container


class WebpContainer(FileContainer):
    """Assembles WebP payloads into an animated WebP, streamed to a temporary file.

    Frame durations are ``durations_ms(fps, end_pause)``; the frame count need not be
    known in advance: each frame is written when the next arrives, so the last one can
    receive the end pause. The RIFF size is filled in on close.
    """

    def __init__(self, path, width, height, *, fps, end_pause=0.0, loop=True):
        if not (0 < width <= MAX_SIDE and 0 < height <= MAX_SIDE):
            raise ConfigError(f"a WebP can be at most {MAX_SIDE} pixels a side; got {width}x{height}")
        timing.check_timing(fps, end_pause)
        self._size = (width, height)
        self._fps, self._end_pause = fps, end_pause
        self._pending = None
        super().__init__(path)
        # Background transparent black (viewers may ignore it); loop count 0 = forever.
        anim = _chunk(b"ANIM", bytes(4) + (0 if loop else 1).to_bytes(2, "little"))
        self._write(b"RIFF" + bytes(4) + b"WEBP" + _vp8x(width, height, alpha=True, animation=True) + anim)

    def add(self, data: bytes) -> None:
        if self._closed:
            raise ValueError("the WebP container is closed")
        x, y, width, height, blend, _ = read_payload(data)
        if self.n_frames == 0 and ((x, y, width, height) != (0, 0, *self._size) or blend):
            raise ValueError("the first WebP payload must cover the whole frame, opaque")
        if x % 2 or y % 2 or x + width > self._size[0] or y + height > self._size[1]:
            raise ValueError(f"WebP payload {width}x{height}+{x}+{y} does not fit the frame")
        if self._pending is not None:
            self._write_frame(self._pending, self.n_frames - 1, last=False)
        self._pending = data
        self.n_frames += 1

    def _write_frame(self, data: bytes, index: int, last: bool) -> None:
        x, y, width, height, blend, chunks = read_payload(data)
        pause = timing.pause(self._end_pause, MILLISECONDS) if last else 0
        duration = timing.frame_delay(index, self._fps, MILLISECONDS) + pause
        flags = 0 if blend else 0x02  # bit 1 set: do not blend; bit 0 clear: do not dispose
        fields = b"".join(v.to_bytes(3, "little") for v in (x // 2, y // 2, width - 1, height - 1, duration))
        self._write(_chunk(b"ANMF", fields + bytes([flags]) + chunks))

    def _write_end(self) -> None:
        """The last frame, with the end pause; then the RIFF size is filled in."""
        self._write_frame(self._pending, self.n_frames - 1, last=True)
        self._file.patch(4, (self._file.size() - 8).to_bytes(4, "little"))


def frame_encoder(palette, quality):
    return WebpFrameEncoder(quality)


def open_container(path, settings):
    return WebpContainer(path, settings.width, settings.height, fps=settings.fps, end_pause=settings.end_pause)
