"""Frame hashes (the manifest and pytest plugin build on these)."""
from __future__ import annotations

import hashlib

import numpy as np

HASH_PREFIX = "gdanim-rgba8-v1"


def frame_hash(rgba: np.ndarray) -> str:
    """SHA-256 of ``gdanim-rgba8-v1:{W}x{H}:`` followed by the frame's raw RGBA bytes."""
    h, w = rgba.shape[:2]
    digest = hashlib.sha256(f"{HASH_PREFIX}:{w}x{h}:".encode())
    digest.update(np.ascontiguousarray(rgba, dtype=np.uint8).data)
    return digest.hexdigest()
