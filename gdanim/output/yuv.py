"""RGB to limited-range BT.709 yuv420p, in the render workers, for the video encoders.

Converting here rather than in ffmpeg spreads the work over the workers, halves the
bytes piped (1.5 instead of 3 per pixel) and spares ffmpeg's scaler, whose buffers
at 1920x1080 cost about 75 MB. With Kr = 0.2126, Kb = 0.0722 and
Y' = Kr R + Kg G + Kb B:

    Y  = 16  + 219/255 * Y'
    Cb = 128 + 224/255 * (B - Y') / (2 (1 - Kb))
    Cr = 128 + 224/255 * (R - Y') / (2 (1 - Kr))

Cb and Cr come from the mean colour of each 2x2 block (chroma sited at the block's
centre). The arithmetic is integer, so the bytes are the same on every machine: Y in
uint16 with 8 fractional bits (the weights sum to 220/256 of 255, so white is 235
exactly), Cb and Cr in int32 with 16, rounded half up.
"""
from __future__ import annotations

import multiprocessing

import numpy as np

from ..heap import reuse_freed_frames

KR, KB = 0.2126, 0.0722
KG = 1 - KR - KB
_Y_WEIGHTS = tuple(round(k * 219 / 255 * 256) for k in (KR, KG, KB))  # (47, 157, 16)


def _chroma_weights(red: float, green: float, blue: float) -> tuple[int, ...]:
    """Weights for a sum of four pixels, 16 fractional bits."""
    return tuple(round(k * 224 / 255 / 4 * (1 << 16)) for k in (red, green, blue))


_CB_WEIGHTS = _chroma_weights(-KR / (2 - 2 * KB), -KG / (2 - 2 * KB), 0.5)
_CR_WEIGHTS = _chroma_weights(0.5, -KG / (2 - 2 * KR), -KB / (2 - 2 * KR))


def _luma(rgba: np.ndarray) -> np.ndarray:
    total = rgba[..., 0].astype(np.uint16)
    total *= _Y_WEIGHTS[0]
    for channel in (1, 2):
        part = rgba[..., channel].astype(np.uint16)
        part *= _Y_WEIGHTS[channel]
        total += part
    total += (16 << 8) + 128
    total >>= 8
    return total.astype(np.uint8)


def _block_sums(rgba: np.ndarray) -> np.ndarray:
    """(..., H/2, W/2, 4) sums of each 2x2 block of (..., H, W, 4) pixels; whole RGBA
    pixels keep the reads contiguous."""
    pairs = rgba[..., 0::2, :, :].astype(np.uint16)
    pairs += rgba[..., 1::2, :, :]
    pairs = pairs.reshape(*pairs.shape[:-2], -1, 8)
    return pairs[..., :4] + pairs[..., 4:]


def _chroma(sums: np.ndarray, weights) -> np.ndarray:
    total = sums[..., 0].astype(np.int32) * weights[0]
    total += sums[..., 1].astype(np.int32) * weights[1]
    total += sums[..., 2].astype(np.int32) * weights[2]
    total += (128 << 16) + (1 << 15)
    total >>= 16
    return total.astype(np.uint8)


def _planes(rgba: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Y (..., H, W), Cb and Cr (..., H/2, W/2) of (..., H, W, 4) pixels."""
    sums = _block_sums(rgba)
    return _luma(rgba), _chroma(sums, _CB_WEIGHTS), _chroma(sums, _CR_WEIGHTS)


def _frame(rgba) -> np.ndarray:
    rgba = np.ascontiguousarray(rgba, dtype=np.uint8)
    if rgba.ndim != 3 or rgba.shape[0] % 2 or rgba.shape[1] % 2 or rgba.shape[2] != 4:
        raise ValueError(f"yuv420p needs an RGBA frame of even width and height; got {rgba.shape}")
    return rgba


def yuv420_payload(rgba) -> bytes:
    """The frame as raw yuv420p bytes (Y, then Cb, then Cr), as ffmpeg reads them."""
    return b"".join(plane.tobytes() for plane in _planes(_frame(rgba)))


TILE_ROWS, TILE_COLUMNS = 8, 128  # at most; a tile's sides are even and divide the frame's
NARROWEST_TILE = 16  # columns; below this a frame's tiles are whole rows


def tile_shape(height: int, width: int) -> tuple[int, int]:
    """(rows, columns) of the tiles an even-sided frame is cut into."""
    rows = next(n for n in range(TILE_ROWS, 0, -2) if height % n == 0)
    columns = next((n for n in range(TILE_COLUMNS, NARROWEST_TILE - 1, -2) if width % n == 0), width)
    return rows, columns


def _tiles(plane: np.ndarray, rows: int, columns: int) -> np.ndarray:
    """(H/rows, W/columns, rows, columns, ...) view of a (H, W, ...) plane."""
    height, width = plane.shape[:2]
    return plane.reshape(height // rows, rows, width // columns, columns, *plane.shape[2:]).swapaxes(1, 2)


class Yuv420Encoder:
    """yuv420p payloads (``yuv420_payload``) that convert only what changed since the
    encoder's last frame.

    Most of a plot stays still between frames: at 1920x1080 about 5% of the 8x128
    tiles change, and converting the whole frame was most of a video's time. A tile
    whose pixels equal the last frame's keeps its Y, Cb and Cr. Every plane value
    depends on its own pixel or 2x2 block alone (tiles have even sides), so a payload
    is exactly ``yuv420_payload(rgba)`` whatever came before: chunks and workers
    change nothing, and the encoder needs no priming.
    """

    needs_previous = False

    def __init__(self):
        if multiprocessing.parent_process() is not None:  # a render worker, never the caller's own process
            reuse_freed_frames()
        self._last = None  # the last frame's pixels as (H, W) uint32
        self._planes = None

    def encode(self, rgba) -> bytes:
        rgba = _frame(rgba)
        pixels = rgba.view(np.uint32)[..., 0]
        if self._last is None or self._last.shape != pixels.shape:
            self._last, self._planes = pixels.copy(), _planes(rgba)
            self._tile = tile_shape(*pixels.shape)
        else:
            self._update(rgba, pixels)
        return b"".join(plane.tobytes() for plane in self._planes)

    def _update(self, rgba: np.ndarray, pixels: np.ndarray) -> None:
        rows, columns = self._tile
        changed = _tiles(pixels != self._last, rows, columns).any(axis=(2, 3))
        at = np.nonzero(changed)
        if not at[0].size:
            return
        y, cb, cr = _planes(_tiles(rgba, rows, columns)[at])
        _tiles(self._planes[0], rows, columns)[at] = y
        for plane, values in zip(self._planes[1:], (cb, cr)):
            _tiles(plane, rows // 2, columns // 2)[at] = values
        _tiles(self._last, rows, columns)[at] = _tiles(pixels, rows, columns)[at]  # the rest is equal already


def ffmpeg_input(exe: str, width: int, height: int, fps: float, pause_frames: int = 0) -> list[str]:
    """ffmpeg's arguments up to the codec's: raw yuv420p frames on stdin, tagged BT.709
    (primaries, transfer, matrix), limited range and centred chroma in the codec's and
    the container's colour fields. ``-thread_queue_size 1`` limits the read-ahead of
    ffmpeg before 7; from 7 on it changes nothing, as ffmpeg's queues between its threads
    hold 8 packets or frames each, whatever the options.

    The end pause is the last frame repeated ``pause_frames`` times by ffmpeg itself
    (``tpad`` clones it without copying): piped, the copies came all at once and
    filled ffmpeg's queues, about 45 MB at 1920x1080."""
    tags = "setparams=color_primaries=bt709:color_trc=bt709:colorspace=bt709:range=tv:chroma_location=center"
    pause = f",tpad=stop_mode=clone:stop={pause_frames}" if pause_frames else ""
    return [
        exe, "-hide_banner", "-loglevel", "error", "-y", "-thread_queue_size", "1",
        "-f", "rawvideo", "-pix_fmt", "yuv420p", "-s", f"{width}x{height}",
        "-framerate", repr(float(fps)), "-i", "pipe:0", "-an", "-vf", tags + pause,
        "-colorspace", "bt709", "-color_primaries", "bt709", "-color_trc", "bt709", "-color_range", "tv",
    ]


#: Same input, same bytes: no encoder or muxer version strings, dates or random IDs.
BITEXACT = ["-flags:v", "+bitexact", "-fflags", "+bitexact", "-map_metadata", "-1"]
