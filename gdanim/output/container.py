"""A container that streams one output file: written under a temporary name as the
frames come, renamed onto its target on close (``encode._AtomicFile``)."""
from __future__ import annotations

import os

from ..encode import _AtomicFile, _Container, _no_frames_error, _write_error, remove_stale_temps


class PatchableFile(_AtomicFile):
    """An atomic file whose header can be rewritten once the total size is known."""

    def size(self) -> int:
        return self._file.tell()

    def patch(self, offset: int, data: bytes) -> None:
        try:
            self._file.seek(offset)
            self._file.write(data)
            self._file.seek(0, os.SEEK_END)
        except OSError as exc:
            self.discard()
            raise _write_error(self.target, exc) from exc


class StreamedContainer(_Container):
    """One output file, written as the frames come under a temporary name and renamed
    onto its target on close; a failed write drops it and closes the container."""

    label = "output"

    def __init__(self, path, file_class=_AtomicFile):
        target = os.fspath(path)
        remove_stale_temps(os.path.dirname(target), os.path.basename(target))
        self._closed = False
        self._file = file_class(target)

    def _check_open(self) -> None:
        if self._closed:
            raise ValueError(f"the {self.label} container is closed")

    def _write(self, data: bytes) -> None:
        self._check_open()
        try:
            self._file.write(data)
        except BaseException:
            self._closed = True
            raise

    def _commit(self, last: bytes, empty: bool) -> None:
        """Write ``last`` and move the file into place; no frames at all is an error."""
        if empty:
            self.abort()
            raise _no_frames_error(self._file.target)
        self._write(last)
        self._closed = True
        self._file.commit()

    def abort(self) -> None:
        """Drop the temporary file; a previous output stays untouched."""
        if not self._closed:
            self._closed = True
            self._file.discard()
