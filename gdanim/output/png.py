"""PNG frames: a directory of ``frame_00000.png``, ``frame_00001.png``, ..., lossless.

The workers compress each frame as a PNG (RGB when opaque, no metadata); the parent
writes each file atomically. A path ending with "/", an existing directory or a path
without a suffix asks for this kind of output.
"""
from __future__ import annotations

import io
import os
import re

import numpy as np
from PIL import Image

from ..errors import OutputError
from .atomic import AtomicFile, remove_dead_temps, write_error
from .base import Container, StatelessEncoder

def png_payload(rgba) -> bytes:
    """A PNG payload: the lossless frame, RGB when fully opaque, without metadata."""
    rgba = np.asarray(rgba)
    pixels = rgba[..., :3] if (rgba[..., 3] == 255).all() else rgba
    buffer = io.BytesIO()
    Image.fromarray(np.ascontiguousarray(pixels)).save(buffer, format="PNG")
    return buffer.getvalue()


_FRAME_NAME = re.compile(r"frame_(\d{5,})\.png")


class PngDirContainer(Container):
    """Writes payloads as ``frame_00000.png``, ``frame_00001.png``, ... in a directory.

    Each frame file is replaced atomically; the directory as a whole is not, so an
    aborted render leaves complete frames, some new and some from before. ``close``
    removes frames left over from an earlier, longer render.
    """

    def __init__(self, path):
        self.target = os.path.normpath(os.fspath(path))
        try:
            os.mkdir(self.target)
        except FileExistsError:
            if not os.path.isdir(self.target):
                raise OutputError(f"cannot write {self.target}: it is not a directory") from None
        except OSError as exc:
            raise write_error(self.target, exc) from exc
        remove_dead_temps(self.target, _FRAME_NAME.fullmatch)

    def add(self, payload: bytes) -> None:
        if self._closed:
            raise ValueError("the PNG container is closed")
        with AtomicFile(os.path.join(self.target, f"frame_{self.n_frames:05d}.png")) as file:
            file.write(payload)
        self.n_frames += 1

    def _finish(self) -> None:
        """Remove the frames left from an earlier, longer render."""
        self._closed = True
        for entry in os.listdir(self.target):
            match = _FRAME_NAME.fullmatch(entry)
            if match and int(match[1]) >= self.n_frames:
                stale = os.path.join(self.target, entry)
                try:
                    os.unlink(stale)
                except FileNotFoundError:  # already gone
                    pass
                except OSError as exc:
                    raise write_error(stale, exc) from exc

    def abort(self) -> None:
        """Stop; frames written so far are complete files and stay."""
        self._closed = True


def frame_encoder(palette, quality):
    return StatelessEncoder(png_payload)


def open_container(path, settings):
    """A PNG directory has no timing."""
    return PngDirContainer(path)
