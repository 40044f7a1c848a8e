"""Output formats, by file suffix: a frame encoder for the render workers and a container
that streams the payloads to a file in the parent (see ``output.base``).

Adding a format is one module (its encoder and container, and the two factories a
``Format`` names) and one line in ``FORMATS``. Every file is written through
``output.atomic``.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Callable

from ..errors import ConfigError, OutputError
from . import gif, html, mp4, png, webm, webp
from .base import Settings

#: ``Format.decoded`` of an output whose decoded frames are exactly the rendered ones.
LOSSLESS = "lossless"


@dataclass(frozen=True)
class Format:
    """An output kind and how to make it.

    ``encoder(palette, quality)`` makes its frame encoder (in each render worker);
    ``container(path, settings)`` opens its file (``base.Settings``).
    ``decoded``: how Pillow reads its frames back (``gdanim hash``, ``gdanim check``):
    ``LOSSLESS``, a word for what is lost ("palette-quantised"), or None if it cannot.
    ``palette``: a lossless render samples the animation's palette (GIF colours).
    ``quality``: takes a lossy quality, 0-100. ``video``: the codec, for ffmpeg's
    raw yuv420p frames (even sides; the end pause repeated by ffmpeg).
    ``durations(n_frames, fps, end_pause)``: what the frames last, in milliseconds;
    by default each frame 1/fps. ``opaque``: what the format is called when a
    see-through render (``transparent``) is refused, as its frames are opaque.
    """

    kind: str
    encoder: Callable
    container: Callable
    decoded: str | None = None
    palette: bool = False
    quality: bool = False
    video: str | None = None
    durations: Callable | None = None
    opaque: str | None = None

    def durations_ms(self, n_frames: int, fps: float, end_pause: float) -> list[int]:
        if self.durations is not None:
            return self.durations(n_frames, fps, end_pause)
        pause_frames = round(end_pause * fps) if self.video else 0
        return [round(1000.0 / fps)] * (n_frames + pause_frames)


#: Output formats by file suffix.
FORMATS = {
    ".gif": Format("gif", gif.frame_encoder, gif.open_container, decoded="palette-quantised", palette=True,
                   durations=gif.durations_ms),
    ".mp4": Format("mp4", mp4.frame_encoder, mp4.Mp4Container.open, video=mp4.CODEC, opaque="MP4 (H.264)"),
    ".webp": Format("webp", webp.frame_encoder, webp.open_container, decoded=LOSSLESS, quality=True,
                    durations=webp.durations_ms, opaque="gdanim's animated WebP"),
    ".webm": Format("webm", mp4.frame_encoder, webm.WebmContainer.open, video=webm.CODEC, opaque="WebM (VP9)"),
    ".html": Format("html", html.frame_encoder, html.open_container, palette=True, quality=True,
                    durations=webp.durations_ms, opaque="the HTML player"),
}
#: A path ending with "/" or an existing directory is a directory of numbered PNG
#: frames; any other path needs one of the suffixes above.
DIRECTORY = Format("png", png.frame_encoder, png.open_container, decoded=LOSSLESS)
KINDS = {f.kind: f for f in (*FORMATS.values(), DIRECTORY)}


def output_kind(path) -> str:
    """The output kind ("gif", "mp4", "png", ...) that ``path`` asks for."""
    text = os.fspath(path)
    if text.endswith(("/", os.sep)) or os.path.isdir(text):
        return DIRECTORY.kind
    suffix = os.path.splitext(text)[1].lower()
    if suffix in FORMATS:
        return FORMATS[suffix].kind
    problem = f"unknown output suffix {suffix!r}" if suffix else "no suffix"
    raise ConfigError(f"cannot write {text}: {problem}; use {', '.join(FORMATS)}, or end the path with / for PNG frames")


def check_writable(path) -> None:
    """Fail fast, before any rendering, if ``path`` cannot be written.

    A PNG directory that does not exist yet is fine as long as its parent is writable:
    its container creates it.
    """
    text = os.fspath(path)
    directory = os.path.dirname(text) or "."
    if output_kind(text) == DIRECTORY.kind:
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


def _format(kind: str) -> Format:
    if kind not in KINDS:
        raise ValueError(f"unknown output kind {kind!r}")
    return KINDS[kind]


def frame_encoder(kind: str, palette=None, quality=None, see_through=False):
    """The worker-side payload producer for an output kind (GIF needs the palette;
    ``see_through`` makes a GIF's transparent pixels show the page; PNG frames keep alpha anyway,
    and the formats with ``opaque`` refuse it)."""
    if see_through and kind == "gif":
        return gif.frame_encoder(palette, quality, see_through=True)
    return _format(kind).encoder(palette, quality)


def open_container(path, kind, *, width, height, fps, end_pause, palette=None, quality=None, history=None,
                   records=None):
    """The parent-side container for an output kind (see ``base.Settings``)."""
    settings = Settings(width, height, fps, end_pause, palette, quality, history, records)
    return _format(kind).container(path, settings)
