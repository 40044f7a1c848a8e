"""Frame hashes: what regression checks compare.

gdanim hashes the pixels it renders, not the bytes it writes: PNG metadata, zlib
and encoder versions change encoded bytes without changing a single pixel. A frame's
hash is the SHA-256 of ``gdanim-rgba8-v1:{W}x{H}:`` followed by its raw RGBA bytes,
taken before encoding. ``digest`` hashes a whole animation's frame hashes, and
``output_sha256`` an output's bytes, which ties a manifest to the output it describes.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np

from .decode import png_frame_files
from .output import DIRECTORY

HASH_PREFIX = "gdanim-rgba8-v1"


def frame_hash(rgba: np.ndarray) -> str:
    """SHA-256 of ``gdanim-rgba8-v1:{W}x{H}:`` followed by the frame's raw RGBA bytes."""
    h, w = rgba.shape[:2]
    sha = hashlib.sha256(f"{HASH_PREFIX}:{w}x{h}:".encode())
    sha.update(np.ascontiguousarray(rgba, dtype=np.uint8).data)
    return sha.hexdigest()


def digest(hashes) -> str:
    """One hash for a whole animation: SHA-256 of the frame hashes, each followed by a newline."""
    return hashlib.sha256("".join(f"{h}\n" for h in hashes).encode("ascii")).hexdigest()


def output_sha256(path, kind: str) -> str:
    """SHA-256 of an output's bytes (a PNG directory's frame files, concatenated in order).

    It ties a manifest to the output it describes, so a manifest left from an earlier
    render (say, one made with ``--no-manifest`` since) is never taken for the current one.
    """
    files = png_frame_files(path) if kind == DIRECTORY.kind else [Path(path)]
    sha = hashlib.sha256()
    for file in files:
        with open(file, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                sha.update(block)
    return sha.hexdigest()
