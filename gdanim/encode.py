"""Frame encoding and output containers: GIF, MP4 and PNG directories.

Rendering is split between worker processes and the parent. A worker turns each
RGBA frame into a *payload* (``frame_encoder(kind).encode``); the parent appends the
payloads, in order, to a *container* that streams them to disk. A payload depends only
on its frame and the previous one, so a worker that starts at frame ``a > 0`` primes
its encoder with frame ``a - 1`` (without encoding it) and the output is
byte-identical whatever the number of workers.

Outputs are written under a temporary name next to the target and renamed into place
only when complete, so an interrupted or failed run never leaves a truncated file and
never damages the previous one.
"""
from __future__ import annotations

import atexit
import contextlib
import io
import math
import multiprocessing
import os
import re
import secrets
import shutil
import signal
import struct
import subprocess
import tempfile
import threading
from fractions import Fraction

import imageio_ffmpeg
import numpy as np
from PIL import Image

from .errors import ConfigError, GdanimError, OutputError

#: Output kinds by file suffix. A path ending with "/" or an existing directory is a
#: directory of numbered PNG frames ("png"); any other path needs one of these suffixes.
FORMATS = {".gif": "gif", ".mp4": "mp4"}

#: Palette index never produced by ``Palette.index``: GIF frames mark unchanged pixels
#: with it.
TRANSPARENT = 255


# --------------------------------------------------------------------------- paths


def output_kind(path) -> str:
    """The output kind ("gif", "mp4" or "png") that ``path`` asks for."""
    text = os.fspath(path)
    if text.endswith(("/", os.sep)) or os.path.isdir(text):
        return "png"
    suffix = os.path.splitext(text)[1].lower()
    if suffix in FORMATS:
        return FORMATS[suffix]
    problem = f"unknown output suffix {suffix!r}" if suffix else "no suffix"
    raise ConfigError(f"cannot write {text}: {problem}; use {', '.join(FORMATS)}, or end the path with / for PNG frames")


def check_writable(path) -> None:
    """Fail fast, before any rendering, if ``path`` cannot be written.

    A PNG directory that does not exist yet is fine as long as its parent is writable:
    ``PngDirContainer`` creates it.
    """
    text = os.fspath(path)
    directory = os.path.dirname(text) or "."
    if output_kind(text) == "png":
        frames_dir = os.path.normpath(text)
        if os.path.isdir(frames_dir):
            directory = frames_dir
        elif os.path.exists(frames_dir):
            raise OutputError(f"cannot write {text}: {frames_dir} is not a directory")
        else:
            directory = os.path.dirname(frames_dir) or "."
    if not os.path.isdir(directory):
        if os.path.exists(directory):
            raise OutputError(f"cannot write {text}: {directory} is not a directory")
        raise OutputError(f"cannot write {text}: directory {directory} does not exist")
    if not os.access(directory, os.W_OK | os.X_OK):
        raise OutputError(f"cannot write {text}: directory {directory} is not writable")


def _write_error(target, exc: OSError) -> OutputError:
    reason = exc.strerror or (os.strerror(exc.errno) if exc.errno else str(exc))
    return OutputError(f"cannot write {target}: {reason}".replace("\n", " "))


def _temp_path(target: str) -> str:
    """A fresh temporary name beside ``target``; the pid lets later runs spot leftovers."""
    directory, name = os.path.split(target)
    return os.path.join(directory, f".{name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")


_TEMP_NAME = re.compile(r"\.(?P<name>.+)\.(?P<pid>\d+)\.[0-9a-f]+\.tmp")


def remove_stale_temps(directory, name) -> None:
    """Delete ``.{name}.{pid}.*.tmp`` files whose process is gone (e.g. killed with -9)."""
    _remove_dead_temps(directory, lambda temp_name: temp_name == name)


def _remove_dead_temps(directory, accept) -> None:
    directory = os.fspath(directory) or "."
    try:
        entries = os.listdir(directory)
    except OSError:
        return
    for entry in entries:
        match = _TEMP_NAME.fullmatch(entry)
        if match and accept(match["name"]) and not _pid_alive(int(match["pid"])):
            _unlink_quietly(os.path.join(directory, entry))


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid() or os.name == "nt":  # Windows' os.kill cannot merely probe
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    except OverflowError:  # not a pid at all
        return False
    return True


def _unlink_quietly(path: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)


def _fsync_path(path: str) -> None:
    fd = os.open(path, os.O_RDWR)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(directory: str) -> None:
    """Make a rename durable; some platforms and file systems cannot, which is fine."""
    with contextlib.suppress(OSError):
        fd = os.open(directory or ".", os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@contextlib.contextmanager
def atomic_path(target):
    """Yield a temporary path to write; on success it replaces ``target`` atomically.

    On any exception (including KeyboardInterrupt and SystemExit) the temporary file
    is removed and an existing ``target`` is left untouched. ``OSError`` (disk full,
    permissions, ...) is reported as a one-line ``OutputError``.
    """
    target = os.fspath(target)
    temp = _temp_path(target)
    try:
        yield temp
        _fsync_path(temp)
        os.replace(temp, target)
    except BaseException as exc:
        _unlink_quietly(temp)
        if isinstance(exc, OSError) and not isinstance(exc, GdanimError):
            raise _write_error(target, exc) from exc
        raise
    _fsync_dir(os.path.dirname(target))


# Outputs still being written, by this process: key -> (pid, cleanup). A container
# normally aborts itself when an exception leaves its ``with`` block; this catches the
# rest, such as Ctrl-C between opening a container and entering the block.
_unfinished: dict[int, tuple[int, object]] = {}


def _track(owner, cleanup) -> None:
    _unfinished[id(owner)] = (os.getpid(), cleanup)


def _untrack(owner) -> None:
    _unfinished.pop(id(owner), None)


@atexit.register
def _clean_up_unfinished() -> None:
    """At interpreter exit, drop the temporary files of outputs never committed or aborted."""
    for pid, cleanup in list(_unfinished.values()):
        if pid == os.getpid():  # not a fork's copy of its parent's list
            with contextlib.suppress(Exception):
                cleanup()
    _unfinished.clear()


class _AtomicFile:
    """A binary file streamed under a temporary name, renamed onto its target on commit.

    Any write failure discards the temporary file and raises ``OutputError``.
    """

    def __init__(self, target):
        self.target = os.fspath(target)
        self.temp = _temp_path(self.target)
        try:
            self._file = open(self.temp, "xb")
        except OSError as exc:
            raise _write_error(self.target, exc) from exc
        _track(self, self.discard)

    def write(self, data: bytes) -> None:
        try:
            self._file.write(data)
        except OSError as exc:
            self.discard()
            raise _write_error(self.target, exc) from exc

    def commit(self) -> None:
        try:
            self._file.flush()
            os.fsync(self._file.fileno())
            self._file.close()
            os.replace(self.temp, self.target)
        except OSError as exc:
            self.discard()
            raise _write_error(self.target, exc) from exc
        _untrack(self)
        _fsync_dir(os.path.dirname(self.target))

    def discard(self) -> None:
        with contextlib.suppress(OSError):
            self._file.close()
        _unlink_quietly(self.temp)
        _untrack(self)


class _Container:
    """Context manager protocol shared by containers: close on success, abort otherwise
    (also on KeyboardInterrupt and SystemExit)."""

    n_frames = 0  # payloads added so far

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, traceback):
        if exc_type is None:
            self.close()
        else:
            self.abort()
        return False


def _no_frames_error(target) -> OutputError:
    return OutputError(f"cannot write {target}: no frames were rendered")


# --------------------------------------------------------------------------- signals


_signal_owner: int | None = None  # pid of the process that installed the handlers


def _exit_on_signal(signum, frame):
    """SIGTERM: SystemExit in the process that installed the handler, so its ``finally``
    blocks remove temporary files.

    A forked render worker inherits the handler but owns no files, and a pool stops its
    workers with SIGTERM: there the signal takes its default action at once. (Raised as
    SystemExit inside a worker, it can land where the pool's machinery swallows it,
    leaving the worker, and the parent waiting on it, hung.)
    """
    if os.getpid() != _signal_owner:
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)
        return
    raise SystemExit(128 + signum)


def _interrupt(signum, frame):
    """Ctrl-C: KeyboardInterrupt in the process that installed the handler.

    Ctrl-C reaches the whole process group. A forked render worker lets it pass: the
    parent stops its workers itself, so they end quietly instead of each printing a
    KeyboardInterrupt traceback.
    """
    if os.getpid() == _signal_owner or multiprocessing.parent_process() is None:
        raise KeyboardInterrupt


def install_signal_cleanup() -> None:
    """Turn SIGTERM into ``SystemExit(143)`` so ``finally`` blocks remove temp files,
    and keep Ctrl-C from reaching forked render workers as a KeyboardInterrupt.

    Only in the main thread of the main process, and only over the default handlers,
    so an application embedding gdanim keeps its own. Safe to call repeatedly.
    """
    global _signal_owner
    if threading.current_thread() is not threading.main_thread():
        return
    if multiprocessing.parent_process() is not None:
        return
    _signal_owner = os.getpid()
    if signal.getsignal(signal.SIGTERM) == signal.SIG_DFL:
        signal.signal(signal.SIGTERM, _exit_on_signal)
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        signal.signal(signal.SIGINT, _interrupt)


# --------------------------------------------------------------------------- timing


def _check_timing(fps: float, end_pause: float) -> None:
    if not (math.isfinite(fps) and fps > 0):
        raise ConfigError(f"fps must be a positive number; got {fps}")
    if not (math.isfinite(end_pause) and end_pause >= 0):
        raise ConfigError(f"end pause must be zero or more seconds; got {end_pause}")


def _frame_end_cs(i: int, fps: float) -> int:
    """When frame ``i`` ends, in whole centiseconds from the start: ``round()`` (half to
    even) of the exact value, free of float error."""
    return round(Fraction(100 * (i + 1)) / Fraction(fps))


def _frame_delay_cs(i: int, fps: float) -> int:
    """Frame ``i``'s GIF delay: the difference of rounded end times, so rounding errors
    never accumulate over a long animation."""
    start = _frame_end_cs(i - 1, fps) if i else 0
    return max(1, _frame_end_cs(i, fps) - start)


def _pause_cs(end_pause: float) -> int:
    return round(Fraction(end_pause) * 100)


def gif_delays(n_frames: int, fps: float, end_pause: float) -> list[int]:
    """GIF frame delays in centiseconds, the last one extended by ``end_pause`` seconds.

    Each delay is at least 1. Note that browsers play delays under 2 cs (above 50 fps)
    as 10 cs.
    """
    _check_timing(fps, end_pause)
    delays = [_frame_delay_cs(i, fps) for i in range(n_frames)]
    if delays:
        delays[-1] += _pause_cs(end_pause)
    return delays


# --------------------------------------------------------------------------- palette

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
    def from_frames(cls, frames) -> "Palette":
        """The sample frames' own colours if they have at most 255, else a deterministic
        median-cut palette of 255 colours. Median cut sees every other row: enough to
        weigh each colour (antialiasing spreads every edge over several rows) at half
        the cost."""
        sample = np.concatenate([np.asarray(f)[..., :3] for f in frames], axis=0)
        few = Image.fromarray(np.ascontiguousarray(sample)).getcolors(TRANSPARENT)
        if few is not None:
            counts, colors = zip(*sorted(few, key=lambda count_color: count_color[1]))
            return cls(colors, counts)
        quantized = Image.fromarray(np.ascontiguousarray(sample[::2])).quantize(
            colors=TRANSPARENT, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE
        )
        colors = np.array(quantized.getpalette("RGB"), dtype=np.uint8).reshape(-1, 3)
        return cls(colors, quantized.histogram()[: len(colors)])

    def index(self, rgba) -> np.ndarray:
        """(H, W) palette indices of an (H, W, 4) uint8 RGBA frame (alpha ignored)."""
        return self.index_packed(_packed_pixels(rgba))

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
            cells = np.unique(key[unknown])
            self.lut[cells] = _nearest(cells, self._used)
            indices[unknown] = self.lut[key[unknown]]
        return indices


# --------------------------------------------------------------------------- GIF

# Payload header: x, y, width, height of the crop, then flags.
_GIF_HEADER = struct.Struct("<HHHHB")
_FLAG_TRANSPARENT = 1
_GIF_MAX_SIDE = 0xFFFF


def _skip_sub_blocks(data: bytes, pos: int) -> int:
    """Position just after the data sub-blocks (and their terminator) starting at pos."""
    while True:
        size = data[pos]
        pos += 1 + size
        if size == 0:
            return pos


def _gif_image_data(gif: bytes) -> bytes:
    """The first image's LZW data (min code size + sub-blocks + terminator), parsed
    from a complete, non-interlaced GIF file."""
    if gif[:6] not in (b"GIF87a", b"GIF89a"):
        raise ValueError("not a GIF file")
    screen_flags = gif[10]
    pos = 13
    if screen_flags & 0x80:
        pos += 3 << ((screen_flags & 7) + 1)
    while True:
        block = gif[pos]
        if block == 0x21:  # extension: label, then sub-blocks
            pos = _skip_sub_blocks(gif, pos + 2)
        elif block == 0x2C:  # image descriptor
            image_flags = gif[pos + 9]
            if image_flags & 0x40:
                raise ValueError("unexpected interlaced GIF image")
            pos += 10
            if image_flags & 0x80:
                pos += 3 << ((image_flags & 7) + 1)
            return gif[pos : _skip_sub_blocks(gif, pos + 1)]
        else:
            raise ValueError(f"unexpected GIF block 0x{block:02x} at byte {pos}")


def _lzw_encode(indices: np.ndarray, palette_bytes: bytes) -> bytes:
    """LZW-compress palette indices with Pillow's C encoder.

    Pillow cannot emit bare image data, so the crop is saved as a one-frame GIF and the
    data is cut out by parsing the standard format (no Pillow internals). With
    ``optimize=False`` Pillow keeps the indices exactly as given.
    """
    height, width = indices.shape
    image = Image.frombytes("P", (width, height), np.ascontiguousarray(indices).tobytes())
    image.putpalette(palette_bytes)
    buffer = io.BytesIO()
    image.save(buffer, format="GIF", optimize=False, interlace=False)
    return _gif_image_data(buffer.getvalue())


def _packed_pixels(rgba) -> np.ndarray:
    """An (H, W, 4) uint8 RGBA frame as (H, W) little-endian uint32, R in the low byte."""
    rgba = np.ascontiguousarray(rgba, dtype=np.uint8)
    if rgba.ndim != 3 or rgba.shape[2] != 4:
        raise ValueError(f"expected an (H, W, 4) RGBA frame; got shape {rgba.shape}")
    return rgba.view("<u4")[..., 0]


class GifFrameEncoder:
    """Turns frames into GIF payloads, each encoding only what changed since the last.

    Only pixels whose RGBA changed are mapped to the palette (a frame usually changes
    in a few percent of its pixels). Inside the bounding box of the pixels whose palette
    index changed, unchanged pixels become transparent: long runs of one index compress
    far better. Lives in a worker process.
    """

    def __init__(self, palette: Palette):
        self._palette = palette
        self._palette_bytes = palette.colors.tobytes()
        self._packed = None  # the previous frame's RGBA as uint32, and its indices
        self._indices = None

    needs_previous = True

    def prime(self, rgba) -> None:
        """Take ``rgba`` as the frame before the next, without encoding it."""
        packed = _packed_pixels(rgba)
        self._packed, self._indices = packed.copy(), self._palette.index_packed(packed)

    def encode(self, rgba) -> bytes:
        if self._packed is None:
            self.prime(rgba)
            return self._payload(0, 0, self._indices, transparent=False)
        packed = _packed_pixels(rgba)
        if self._packed.shape != packed.shape:
            raise ValueError(f"frame size changed from {self._packed.shape} to {packed.shape}")
        # flatnonzero and divmod: several times faster than a 2-D nonzero
        rows, cols = np.divmod(np.flatnonzero(packed != self._packed), packed.shape[1])
        np.copyto(self._packed, packed)
        new = self._palette.index_packed(packed[rows, cols])
        differs = new != self._indices[rows, cols]
        rows, cols, new = rows[differs], cols[differs], new[differs]
        if rows.size == 0:  # still a frame of its own: timing must not change
            return self._payload(0, 0, np.full((1, 1), TRANSPARENT, np.uint8), transparent=True)
        self._indices[rows, cols] = new
        top, left = int(rows.min()), int(cols.min())
        crop = np.full((int(rows.max()) + 1 - top, int(cols.max()) + 1 - left), TRANSPARENT, np.uint8)
        crop[rows - top, cols - left] = new
        return self._payload(left, top, crop, transparent=True)

    def _payload(self, x: int, y: int, crop: np.ndarray, transparent: bool) -> bytes:
        height, width = crop.shape
        flags = _FLAG_TRANSPARENT if transparent else 0
        return _GIF_HEADER.pack(x, y, width, height, flags) + _lzw_encode(crop, self._palette_bytes)


class GifContainer(_Container):
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
            _check_timing(fps, end_pause)
        self._size = (width, height)
        self._delays, self._fps, self._end_pause = delays, fps, end_pause
        self._pending = None
        self._closed = False
        target = os.fspath(path)
        remove_stale_temps(os.path.dirname(target), os.path.basename(target))
        self._file = _AtomicFile(target)
        try:
            self._file.write(self._file_header(palette, loop))
        except BaseException:
            self.abort()
            raise

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
        return _frame_delay_cs(i, self._fps) + (_pause_cs(self._end_pause) if last else 0)

    def _write_frame(self, payload: bytes, last: bool) -> None:
        x, y, width, height, flags = _GIF_HEADER.unpack_from(payload)
        index = self.n_frames - 1  # the pending frame is always the latest added
        transparent = flags & _FLAG_TRANSPARENT
        control = struct.pack(
            "<BBBBHBB",
            0x21, 0xF9, 4,  # graphic control extension
            (1 << 2) | transparent,  # disposal 1: leave the frame for the next to draw on
            self._delay(index, last),
            TRANSPARENT if transparent else 0,
            0,
        )
        descriptor = struct.pack("<BHHHHB", 0x2C, x, y, width, height, 0)  # no local palette
        self._file.write(control + descriptor + payload[_GIF_HEADER.size :])

    def close(self) -> None:
        """Write the last frame and the trailer, then move the file into place."""
        if self._closed:
            return
        if self._pending is None:
            self.abort()
            raise _no_frames_error(self._file.target)
        self._write_frame(self._pending, last=True)
        self._file.write(b"\x3b")
        self._closed = True
        self._file.commit()

    def abort(self) -> None:
        """Drop the temporary file; a previous output stays untouched."""
        if not self._closed:
            self._closed = True
            self._file.discard()


# --------------------------------------------------------------------------- MP4


def rgb_payload(rgba) -> bytes:
    """An MP4 payload: the frame's raw RGB24 bytes, as ffmpeg reads them."""
    return np.asarray(rgba)[..., :3].tobytes()


def _find_ffmpeg(target: str) -> str:
    """imageio-ffmpeg's bundled binary, or the one IMAGEIO_FFMPEG_EXE names."""
    try:
        exe = imageio_ffmpeg.get_ffmpeg_exe()
    except RuntimeError as exc:
        raise OutputError(
            f"cannot write {target}: MP4 needs ffmpeg and none was found (reinstall imageio-ffmpeg); "
            "a .gif needs no ffmpeg"
        ) from exc
    found = shutil.which(exe)
    if found is None:
        where = " (set by IMAGEIO_FFMPEG_EXE)" if os.environ.get("IMAGEIO_FFMPEG_EXE") else ""
        raise OutputError(
            f"cannot write {target}: MP4 needs ffmpeg, and {exe}{where} is not an executable ffmpeg; "
            "a .gif needs no ffmpeg"
        )
    return found


def _ffmpeg_command(exe: str, width: int, height: int, fps: float, output: str) -> list[str]:
    """Single-threaded, bit-exact H.264 with no metadata: same input, same bytes."""
    return [
        exe, "-hide_banner", "-loglevel", "error", "-y",
        "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{width}x{height}",
        "-framerate", repr(float(fps)), "-i", "pipe:0",
        "-an",
        "-vf", "scale=out_color_matrix=bt709:out_range=tv"
               ":flags=bicubic+accurate_rnd+full_chroma_int+bitexact",
        "-c:v", "libx264", "-preset", "medium", "-crf", "18", "-pix_fmt", "yuv420p",
        "-colorspace", "bt709", "-color_primaries", "bt709", "-color_trc", "bt709",
        "-color_range", "tv",
        "-threads", "1", "-flags:v", "+bitexact", "-fflags", "+bitexact",
        "-map_metadata", "-1", "-movflags", "+faststart",
        "-f", "mp4", output,
    ]


class Mp4Container(_Container):
    """Pipes RGB24 payloads to ffmpeg (libx264), which writes a temporary file.

    ffmpeg runs in its own session so Ctrl-C reaches only Python, which then aborts it.
    Its stderr goes to a temporary file (a pipe could fill up and stall it) and its last
    line becomes the ``OutputError`` message if it fails.
    """

    def __init__(self, path, width, height, fps, end_pause_frames: int = 0):
        if width % 2 or height % 2:
            raise ConfigError(f"MP4 (H.264 yuv420p) needs an even width and height; got {width}x{height}")
        _check_timing(fps, 0.0)
        if end_pause_frames < 0:
            raise ConfigError(f"end pause must be zero or more frames; got {end_pause_frames}")
        self._target = os.fspath(path)
        exe = _find_ffmpeg(self._target)
        self._frame_size = width * height * 3
        self._end_pause_frames = end_pause_frames
        self._last = None
        self._closed = False
        remove_stale_temps(os.path.dirname(self._target), os.path.basename(self._target))
        self._temp = _temp_path(self._target)
        self._stderr = tempfile.TemporaryFile()
        try:
            self._process = subprocess.Popen(
                _ffmpeg_command(exe, width, height, fps, self._temp),
                stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=self._stderr,
                start_new_session=True,
            )
        except OSError as exc:
            self._stderr.close()
            raise OutputError(f"cannot write {self._target}: cannot run ffmpeg: {exc.strerror}") from exc
        _track(self, self.abort)

    def add(self, payload: bytes) -> None:
        if self._closed:
            raise ValueError("the MP4 container is closed")
        if len(payload) != self._frame_size:
            raise ValueError(f"MP4 payload has {len(payload)} bytes; expected {self._frame_size}")
        self._pipe(payload)
        self._last = payload
        self.n_frames += 1

    def _pipe(self, payload: bytes) -> None:
        try:
            self._process.stdin.write(payload)
        except OSError:  # ffmpeg died; its stderr says why
            raise self._abort_with_ffmpeg_error() from None

    def close(self) -> None:
        """Repeat the last frame for the end pause, wait for ffmpeg, move the file into place."""
        if self._closed:
            return
        if self._last is None:
            self.abort()
            raise _no_frames_error(self._target)
        for _ in range(self._end_pause_frames):
            self._pipe(self._last)
        with contextlib.suppress(OSError):
            self._process.stdin.close()
        if self._process.wait() != 0:
            raise self._abort_with_ffmpeg_error()
        self._closed = True
        self._stderr.close()
        _untrack(self)
        try:
            _fsync_path(self._temp)
            os.replace(self._temp, self._target)
        except OSError as exc:
            _unlink_quietly(self._temp)
            raise _write_error(self._target, exc) from exc
        _fsync_dir(os.path.dirname(self._target))

    def _abort_with_ffmpeg_error(self) -> OutputError:
        """Abort; the error names the last line ffmpeg printed."""
        self._stop_ffmpeg()
        self._stderr.seek(0)
        lines = self._stderr.read().decode(errors="replace").strip().splitlines()
        self.abort()
        reason = lines[-1].strip() if lines else f"ffmpeg exited with status {self._process.returncode}"
        return OutputError(f"cannot write {self._target}: {reason}")

    def _stop_ffmpeg(self) -> None:
        if self._process.poll() is None:
            self._process.kill()
        with contextlib.suppress(OSError):
            self._process.stdin.close()
        self._process.wait()

    def abort(self) -> None:
        """Kill ffmpeg and drop its temporary file; a previous output stays untouched."""
        if self._closed:
            return
        self._closed = True
        self._stop_ffmpeg()
        self._stderr.close()
        _unlink_quietly(self._temp)
        _untrack(self)


# --------------------------------------------------------------------------- PNG


def png_payload(rgba) -> bytes:
    """A PNG payload: the lossless frame, RGB when fully opaque, without metadata."""
    rgba = np.asarray(rgba)
    pixels = rgba[..., :3] if (rgba[..., 3] == 255).all() else rgba
    buffer = io.BytesIO()
    Image.fromarray(np.ascontiguousarray(pixels)).save(buffer, format="PNG")
    return buffer.getvalue()


_FRAME_NAME = re.compile(r"frame_(\d{5,})\.png")


class PngDirContainer(_Container):
    """Writes payloads as ``frame_00000.png``, ``frame_00001.png``, ... in a directory.

    Each frame file is replaced atomically; the directory as a whole is not, so an
    aborted render leaves complete frames, some new and some from before. ``close``
    removes frames left over from an earlier, longer render.
    """

    def __init__(self, path):
        self._dir = os.path.normpath(os.fspath(path))
        self._closed = False
        try:
            os.mkdir(self._dir)
        except FileExistsError:
            if not os.path.isdir(self._dir):
                raise OutputError(f"cannot write {self._dir}: it is not a directory") from None
        except OSError as exc:
            raise _write_error(self._dir, exc) from exc
        _remove_dead_temps(self._dir, _FRAME_NAME.fullmatch)

    def add(self, payload: bytes) -> None:
        if self._closed:
            raise ValueError("the PNG container is closed")
        target = os.path.join(self._dir, f"frame_{self.n_frames:05d}.png")
        with atomic_path(target) as temp, open(temp, "wb") as file:
            file.write(payload)
        self.n_frames += 1

    def close(self) -> None:
        if self._closed:
            return
        if self.n_frames == 0:
            self.abort()
            raise _no_frames_error(self._dir)
        self._closed = True
        for entry in os.listdir(self._dir):
            match = _FRAME_NAME.fullmatch(entry)
            if match and int(match[1]) >= self.n_frames:
                stale = os.path.join(self._dir, entry)
                try:
                    os.unlink(stale)
                except FileNotFoundError:  # already gone
                    pass
                except OSError as exc:
                    raise _write_error(stale, exc) from exc

    def abort(self) -> None:
        """Stop; frames written so far are complete files and stay."""
        self._closed = True


# --------------------------------------------------------------------------- dispatch


class _StatelessEncoder:
    """A frame encoder whose payload depends on the frame alone."""

    needs_previous = False

    def __init__(self, function):
        self.encode = function


def frame_encoder(kind: str, palette: Palette | None = None):
    """The worker-side payload producer for an output kind (GIF needs the palette)."""
    if kind == "gif":
        if palette is None:
            raise ValueError("a GIF frame encoder needs a palette")
        return GifFrameEncoder(palette)
    if kind == "mp4":
        return _StatelessEncoder(rgb_payload)
    if kind == "png":
        return _StatelessEncoder(png_payload)
    raise ValueError(f"unknown output kind {kind!r}")


def open_container(path, kind, *, width, height, fps, end_pause, palette=None):
    """The parent-side container for an output kind; a PNG directory has no timing."""
    if kind == "gif":
        if palette is None:
            raise ValueError("a GIF container needs a palette")
        return GifContainer(path, width, height, palette, fps=fps, end_pause=end_pause)
    if kind == "mp4":
        _check_timing(fps, end_pause)
        return Mp4Container(path, width, height, fps, end_pause_frames=round(end_pause * fps))
    if kind == "png":
        return PngDirContainer(path)
    raise ValueError(f"unknown output kind {kind!r}")
