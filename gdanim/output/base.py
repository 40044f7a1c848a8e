"""What every output format shares: the container protocol and the stateless encoder.

A format is a *frame encoder*, which turns each RGBA frame into a payload in a render
worker, and a *container*, which appends the payloads, in order, to a file in the
parent. An encoder with ``needs_previous`` compares a frame with the one before, so a
worker starting at frame ``a > 0`` first primes it with frame ``a - 1``
(``prime(rgba)``, without encoding it); a payload then depends only on its frame and
the previous one, and any number of workers writes the same bytes.
"""
from __future__ import annotations

import os
from dataclasses import dataclass

from ..errors import OutputError
from .atomic import AtomicFile, remove_stale_temps


@dataclass(frozen=True)
class Settings:
    """What a format's container may need to know of the render; each reads its own."""

    width: int
    height: int
    fps: float
    end_pause: float  # seconds the last frame is held
    palette: object = None  # the animation's ``Palette`` (GIF; the HTML player unless lossy)
    quality: int | None = None  # lossy quality 0-100 (WebP, HTML); None is lossless
    history: object = None  # the run and the records the frames show (the HTML player's readout)
    records: object = None


class Container:
    """What containers share: ``close`` on success, ``abort`` otherwise (also on
    KeyboardInterrupt and SystemExit), and no output without a frame.

    A container names its output ``target``, counts its payloads in ``n_frames`` and
    ends its output in ``_finish`` (called by ``close`` once there is a frame), which
    sets ``_closed``.
    """

    n_frames = 0  # payloads added so far
    target = ""
    _closed = False

    def close(self) -> None:
        """End the output and move it into place; with no frames, abort and say so."""
        if self._closed:
            return
        if self.n_frames == 0:
            self.abort()
            raise OutputError(f"cannot write {self.target}: no frames were rendered")
        self._finish()

    def _finish(self) -> None:
        raise NotImplementedError

    def abort(self) -> None:
        raise NotImplementedError

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, traceback):
        if exc_type is None:
            self.close()
        else:
            self.abort()
        return False


class FileContainer(Container):
    """A container that streams one file through an ``AtomicFile``: ``_write_end`` writes
    what ends it, then it is moved into place; ``abort`` drops it."""

    def __init__(self, path):
        self.target = os.fspath(path)
        remove_stale_temps(os.path.dirname(self.target), os.path.basename(self.target))
        self._file = AtomicFile(self.target)

    def _write(self, data: bytes) -> None:
        try:
            self._file.write(data)
        except BaseException:  # the file is discarded: nothing is left to abort
            self._closed = True
            raise

    def _finish(self) -> None:
        self._write_end()
        self._closed = True
        self._file.commit()

    def _write_end(self) -> None:
        raise NotImplementedError

    def abort(self) -> None:
        """Drop the temporary file; a previous output stays untouched."""
        if not self._closed:
            self._closed = True
            self._file.discard()


class StatelessEncoder:
    """A frame encoder whose payload depends on the frame alone."""

    needs_previous = False

    def __init__(self, function):
        self.encode = function

