"""MP4: H.264 through the ffmpeg that imageio-ffmpeg bundles, fed raw frames on a pipe.

The workers convert each frame to yuv420p (``output.yuv``); ffmpeg (single-threaded,
bit-exact, no metadata) writes a temporary file that is renamed into place when it
succeeds, so the same frames give the same bytes. The end pause is the last frame
repeated by ffmpeg (``yuv.ffmpeg_input``). ``Mp4Container`` serves any ffmpeg video:
WebM is the same with another command (``output.webm``).
"""
from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile

import imageio_ffmpeg

from ..errors import ConfigError, OutputError
from ..heap import widen_pipe
from .atomic import AtomicFile, remove_stale_temps, track, untrack
from .base import Container
from .timing import check_timing
from .yuv import BITEXACT, Yuv420Encoder, ffmpeg_input

CODEC = "MP4 (H.264 yuv420p)"  # yuv420p halves the chroma, so both sides must be even

# The write ends of encoder pipes: only this process may hold them. A child forked
# while one is open (a render worker) closes it at once: if the child outlived the
# render, it would keep the encoder from ever seeing the end of its input.
_parent_only_fds: set[int] = set()


def _close_parent_only_fds() -> None:
    for fd in _parent_only_fds:
        with contextlib.suppress(OSError):
            os.close(fd)
    _parent_only_fds.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_close_parent_only_fds)

def find_ffmpeg(target: str, what: str = "MP4") -> str:
    """imageio-ffmpeg's bundled binary, or the one IMAGEIO_FFMPEG_EXE names."""
    try:
        exe = imageio_ffmpeg.get_ffmpeg_exe()
    except RuntimeError as exc:
        raise OutputError(
            f"cannot write {target}: {what} needs ffmpeg and none was found (reinstall imageio-ffmpeg); "
            "a .gif needs no ffmpeg"
        ) from exc
    found = shutil.which(exe)
    if found is None:
        where = " (set by IMAGEIO_FFMPEG_EXE)" if os.environ.get("IMAGEIO_FFMPEG_EXE") else ""
        raise OutputError(
            f"cannot write {target}: {what} needs ffmpeg, and {exe}{where} is not an executable ffmpeg; "
            "a .gif needs no ffmpeg"
        )
    return found


def ffmpeg_command(exe: str, width: int, height: int, fps: float, output: str, pause_frames: int = 0) -> list[str]:
    """Single-threaded, bit-exact H.264 with no metadata: same input, same bytes.

    Tagged BT.709 (primaries, transfer, matrix; limited range) in the H.264 stream and
    in an MP4 ``colr`` box (``yuv.ffmpeg_input``); untagged, browsers take it for
    BT.601. x264's ``veryfast`` preset with a one-frame lookahead and no B-frames holds
    few frames: at 1920x1080 ffmpeg peaks near 150 MB (``medium``: 450 MB) whatever the
    frame count, at 4x the speed and, for these flat-coloured plots, about the same size.
    Sub-pixel refinement 1 instead of the preset's 2 takes a fifth off x264's time for
    7% more bytes (the article's 120 frames at 1920x1080: 349 KB instead of 326 KB).
    """
    return [
        *ffmpeg_input(exe, width, height, fps, pause_frames),
        "-c:v", "libx264", "-preset", "veryfast", "-x264-params", "subme=1", "-rc-lookahead", "1", "-bf", "0",
        "-crf", "18", "-pix_fmt", "yuv420p", "-threads", "1", *BITEXACT, "-movflags", "+faststart", "-f", "mp4", output,
    ]


class Mp4Container(Container):
    """Pipes yuv420p payloads to ffmpeg (libx264), which writes a temporary file.

    ffmpeg runs in its own session so Ctrl-C reaches only Python, which then aborts it.
    Its stderr goes to a temporary file (a pipe could fill up and stall it) and its last
    line becomes the ``OutputError`` message if it fails.
    """

    label = "MP4"
    codec = CODEC
    command = staticmethod(ffmpeg_command)

    def __init__(self, path, width, height, fps, end_pause_frames: int = 0):
        if width % 2 or height % 2:
            raise ConfigError(f"{self.codec} needs an even width and height; got {width}x{height}")
        check_timing(fps, 0.0)
        if end_pause_frames < 0:
            raise ConfigError(f"end pause must be zero or more frames; got {end_pause_frames}")
        self.target = os.fspath(path)
        exe = find_ffmpeg(self.target, self.label)
        self._frame_size = width * height * 3 // 2
        remove_stale_temps(os.path.dirname(self.target), os.path.basename(self.target))
        self._file = AtomicFile(self.target, opened=False)  # ffmpeg writes it
        self._stderr = tempfile.TemporaryFile()
        try:
            self._process = subprocess.Popen(
                self.command(exe, width, height, fps, self._file.temp, end_pause_frames),
                stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=self._stderr,
                start_new_session=True,
            )
        except OSError as exc:
            self._stderr.close()
            self._file.discard()
            raise OutputError(f"cannot write {self.target}: cannot run ffmpeg: {exc.strerror}") from exc
        _parent_only_fds.add(self._process.stdin.fileno())
        widen_pipe(self._process.stdin.fileno())
        track(self, self.abort)  # after the file: at exit, ffmpeg stops before its file goes

    @classmethod
    def open(cls, path, settings):
        """The container for a render's ``Settings``: the end pause as repeated frames."""
        check_timing(settings.fps, settings.end_pause)
        pause_frames = round(settings.end_pause * settings.fps)
        return cls(path, settings.width, settings.height, settings.fps, end_pause_frames=pause_frames)

    def add(self, payload: bytes) -> None:
        if self._closed:
            raise ValueError(f"the {self.label} container is closed")
        if len(payload) != self._frame_size:
            raise ValueError(f"{self.label} payload has {len(payload)} bytes; expected {self._frame_size}")
        self._pipe(payload)
        self.n_frames += 1

    def _pipe(self, payload: bytes) -> None:
        try:
            self._process.stdin.write(payload)
        except OSError:  # ffmpeg died; its stderr says why
            raise self._abort_with_ffmpeg_error() from None

    def _finish(self) -> None:
        """End ffmpeg's input (it adds the end pause), wait for it, move the file into place."""
        self._close_pipe()
        if self._process.wait() != 0:
            raise self._abort_with_ffmpeg_error()
        self._closed = True
        self._stderr.close()
        untrack(self)
        self._file.commit()

    def _abort_with_ffmpeg_error(self) -> OutputError:
        """Abort; the error names the last line ffmpeg printed."""
        self._stop_ffmpeg()
        self._stderr.seek(0)
        lines = self._stderr.read().decode(errors="replace").strip().splitlines()
        self.abort()
        reason = lines[-1].strip() if lines else f"ffmpeg exited with status {self._process.returncode}"
        return OutputError(f"cannot write {self.target}: {reason}")

    def _close_pipe(self) -> None:
        """Close ffmpeg's input, which tells it the frames have ended."""
        stdin = self._process.stdin
        if not stdin.closed:
            _parent_only_fds.discard(stdin.fileno())  # before the number can be reused
        with contextlib.suppress(OSError):
            stdin.close()

    def _stop_ffmpeg(self) -> None:
        if self._process.poll() is None:
            self._process.kill()
        self._close_pipe()
        self._process.wait()

    def abort(self) -> None:
        """Kill ffmpeg and drop its temporary file; a previous output stays untouched."""
        if self._closed:
            return
        self._closed = True
        self._stop_ffmpeg()
        self._stderr.close()
        self._file.discard()
        untrack(self)


def frame_encoder(palette, quality):
    return Yuv420Encoder()


