"""Output formats, by file suffix: a frame encoder for the render workers and a container
that streams the payloads to a file in the parent (see ``output.base``).

Adding a format is one module (its encoder, its container, and the two factories
below) and one line in ``FORMATS``. Every file is written through ``output.atomic``.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Callable

from ..errors import ConfigError, OutputError
from . import gif, mp4, png


#: ``Format.decoded`` of an output whose decoded frames are exactly the rendered ones.
LOSSLESS = "lossless"


@dataclass(frozen=True)
class Format:
    """An output kind and how to make it.

    ``encoder(palette)`` makes its frame encoder (in each render worker);
    ``container(path, *, width, height, fps, end_pause, palette)`` opens its file.
    ``decoded``: how Pillow reads its frames back (``gdanim hash``, ``gdanim check``):
    ``LOSSLESS``, a word for what is lost ("palette-quantised"), or None if it cannot.
    """

    kind: str
    noun: str  # in messages: "a GIF"
    encoder: Callable
    container: Callable
    decoded: str | None = None


#: Output formats by file suffix.
FORMATS = {
    ".gif": Format("gif", "a GIF", gif.frame_encoder, gif.open_container, decoded="palette-quantised"),
    ".mp4": Format("mp4", "an MP4", mp4.frame_encoder, mp4.open_container),
}
#: A path ending with "/", an existing directory or a path without a suffix is a
#: directory of numbered PNG frames.
DIRECTORY = Format("png", "a PNG directory", png.frame_encoder, png.open_container, decoded=LOSSLESS)
KINDS = {f.kind: f for f in (*FORMATS.values(), DIRECTORY)}


def output_kind(path) -> str:
    """The output kind ("gif", "mp4", "png", ...) that ``path`` asks for."""
    text = os.fspath(path)
    if text.endswith(("/", os.sep)) or os.path.isdir(text):
        return DIRECTORY.kind
    suffix = os.path.splitext(text)[1].lower()
    if not suffix:
        return DIRECTORY.kind
    if suffix in FORMATS:
        return FORMATS[suffix].kind
    valid = ", ".join(FORMATS)
    raise ConfigError(
        f"cannot write {text}: unknown output suffix {suffix!r}; "
        f"use {valid} or a directory (PNG frames)"
    )


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


def frame_encoder(kind: str, palette=None):
    """The worker-side payload producer for an output kind (GIF needs the palette)."""
    return _format(kind).encoder(palette)


def open_container(path, kind, *, width, height, fps, end_pause, palette=None):
    """The parent-side container for an output kind."""
    return _format(kind).container(path, width=width, height=height, fps=fps, end_pause=end_pause, palette=palette)
