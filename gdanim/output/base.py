"""What every output format shares: the container protocol and the stateless encoder.

A format is a *frame encoder*, which turns each RGBA frame into a payload in a render
worker, and a *container*, which appends the payloads, in order, to a file in the
parent. An encoder with ``needs_previous`` compares a frame with the one before, so a
worker starting at frame ``a > 0`` first primes it with frame ``a - 1``
(``prime(rgba)``, without encoding it); a payload then depends only on its frame and
the previous one, and any number of workers writes the same bytes.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..errors import OutputError


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


class StatelessEncoder:
    """A frame encoder whose payload depends on the frame alone."""

    needs_previous = False

    def __init__(self, function):
        self.encode = function


def no_frames_error(target) -> OutputError:
    return OutputError(f"cannot write {target}: no frames were rendered")
