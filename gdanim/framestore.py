"""Kept frames: ``NAME.frames.npz``, the rendered RGBA frames of a ``--keep-frames`` render,
for tolerance comparisons and diff images.

The file is an ordinary ``np.load``-able .npz (a zip of ``frame_00000.npy``, ...,
each deflated), streamed one member at a time, in constant memory, through an
``AtomicFile``. Frames read back are checked against their manifest's hashes.
"""
from __future__ import annotations

import os
import zipfile
import zlib

import numpy as np

from .hashing import frame_hash
from .manifest import ManifestError, frames_path
from .output.atomic import AtomicFile, remove_stale_temps, write_error


class FrameKeeper:
    """Streams rendered RGBA frames into ``NAME.frames.npz`` beside ``output``.

    ``close`` moves the file into place; ``abort`` drops it and leaves any earlier
    file untouched.
    """

    def __init__(self, output):
        self.path = frames_path(output)
        target = os.fspath(self.path)
        remove_stale_temps(os.path.dirname(target), os.path.basename(target))
        self._count = 0
        self._file = AtomicFile(target)
        self._zip = zipfile.ZipFile(self._file.stream, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True)

    def add(self, rgba: np.ndarray) -> None:
        try:
            with self._zip.open(f"frame_{self._count:05d}.npy", "w", force_zip64=True) as member:
                np.lib.format.write_array(member, np.ascontiguousarray(rgba, dtype=np.uint8), allow_pickle=False)
        except OSError as exc:
            self.abort()
            raise write_error(self.path, exc) from exc
        self._count += 1

    def close(self) -> None:
        try:
            self._zip.close()
        except OSError as exc:
            self.abort()
            raise write_error(self.path, exc) from exc
        self._file.commit()

    def abort(self) -> None:
        try:
            self._zip.close()
        except (OSError, ValueError):
            pass
        self._file.discard()


def read_npz_frames(path, manifest: dict, indices):
    """Yield (i, RGBA) from a ``.frames.npz`` for the increasing frame ``indices``.

    Each frame is checked against the manifest's hash, so frames left from an earlier
    render (this one made without ``--keep-frames``) are never compared.
    """
    try:
        archive = np.load(path, allow_pickle=False)
    except (OSError, ValueError, zipfile.BadZipFile) as exc:
        raise ManifestError(f"{path}: not a readable gdanim frames file ({exc})") from None
    with archive:
        for i in indices:
            try:
                rgba = archive[f"frame_{i:05d}"]
            except KeyError:
                raise ManifestError(f"{path}: has no frame {i}; it does not belong to {manifest['output']['file']}'s "
                                    "manifest (render again with --keep-frames)") from None
            except (OSError, ValueError, EOFError, zipfile.BadZipFile, zlib.error) as exc:
                raise ManifestError(f"{path}: frame {i} is damaged ({exc})") from None
            if frame_hash(rgba) != manifest["frame_hashes"][i]:
                raise ManifestError(f"{path}: frame {i} does not match the manifest's hash; the file is left from "
                                    "an earlier render (render again with --keep-frames)")
            yield i, rgba

