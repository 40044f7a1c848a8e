"""Outputs decoded back into RGBA frames: an animation Pillow reads (GIF, WebP) or a PNG directory.

Animation frames are Pillow's composited frames (each frame drawn over the ones
before, as viewers show them), converted to RGBA; an opaque animation, such as
gdanim's, gives alpha 255 everywhere, as rendered frames have. PNG frames are
converted to RGBA the same way; they, and lossless WebP frames, decode to exactly the
rendered pixels. Which outputs decode is the output registry's ``Format.decoded``.
"""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from . import output
from .errors import GdanimError

_PNG_FRAME = re.compile(r"frame_(\d+)\.png")


class DecodeError(GdanimError, ValueError):
    """An output that cannot be decoded into frames."""


def png_frame_files(directory) -> list[Path]:
    """A PNG directory's frames in order: ``frame_N.png`` by N if there are any (gdanim's
    own), otherwise every ``*.png`` in natural order (img2.png before img10.png)."""
    directory = Path(directory)
    files = [p for p in directory.iterdir() if p.suffix.lower() == ".png" and p.is_file()]
    numbered = [p for p in files if _PNG_FRAME.fullmatch(p.name)]
    if numbered:
        return sorted(numbered, key=lambda p: int(_PNG_FRAME.fullmatch(p.name)[1]))
    return sorted(files, key=lambda p: [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", p.name)])


def decodable(path) -> bool:
    """Whether a file of this name decodes (a directory is PNG frames, which do)."""
    found = output.FORMATS.get(Path(path).suffix.lower())
    return found is not None and found.decoded is not None


def decode(path, only=None):
    """(kind, generator of (i, RGBA, duration in ms or None)) for a decodable output.

    ``only``: increasing frame indices to yield (an animation still decodes the frames
    between, since each is drawn over the one before).
    """
    path = Path(path)
    if not path.exists():
        raise DecodeError(f"{path}: no such file or directory")
    if path.is_dir():
        files = png_frame_files(path)
        if not files:
            raise DecodeError(f"{path}: no PNG frames in this directory")
        return output.DIRECTORY.kind, _png_frames(files, range(len(files)) if only is None else only)
    if decodable(path):
        kind = output.FORMATS[path.suffix.lower()].kind
        return kind, _animation_frames(path, only, kind.upper())
    files = " and ".join(f.kind.upper() for f in output.FORMATS.values() if f.decoded is not None)
    raise DecodeError(f"{path}: only {files} files and PNG directories can be decoded and hashed "
                      f"({_why_not_decoded(path)})")


def _why_not_decoded(path) -> str:
    suffix = Path(path).suffix.lower()
    found = output.FORMATS.get(suffix)
    if suffix == ".png":
        return "one PNG is one frame: pass the directory of frames"
    if found is not None and found.video:
        return "video decoding is lossy and differs between decoders; check its manifest instead"
    if found is not None:
        return f"the {found.kind.upper()} player is a page, not an image to decode; check its manifest instead"
    return "gdanim writes no such file"


def _png_frames(files, indices):
    from PIL import Image

    for i in indices:
        if i >= len(files):
            raise DecodeError(f"{files[0].parent}: has no frame {i} (only {len(files)} PNG frames)")
        try:
            with Image.open(files[i]) as image:
                rgba = np.asarray(image.convert("RGBA"))
        except (OSError, ValueError, SyntaxError) as exc:
            raise DecodeError(f"{files[i]}: not a readable PNG ({exc})") from None
        yield i, rgba, None


def _animation_frames(path, only, format_name: str):
    """Pillow's composited frames of an animation whose format Pillow names ``format_name``."""
    from PIL import Image, ImageSequence

    unreadable = (OSError, ValueError, SyntaxError, EOFError)  # what Pillow raises for damaged files
    wanted = None if only is None else set(only)
    last = None if only is None else max(wanted, default=-1)
    try:
        image = Image.open(path)
    except unreadable as exc:
        raise DecodeError(f"{path}: not a readable {format_name} ({exc})") from None
    with image:
        if image.format != format_name:
            raise DecodeError(f"{path}: not a {format_name} (Pillow reads it as {image.format})")
        try:
            for i, frame in enumerate(ImageSequence.Iterator(image)):
                if last is not None and i > last:
                    return
                if wanted is None or i in wanted:
                    yield i, np.asarray(frame.convert("RGBA")), frame.info.get("duration")
        except unreadable as exc:
            raise DecodeError(f"{path}: not a readable {format_name} ({exc})") from None
