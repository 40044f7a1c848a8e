"""Test doubles shared by the encoder and fault tests."""
import errno
import os


class FullDisk:
    """A file whose writes fail with ENOSPC once ``budget`` bytes have been written."""

    def __init__(self, file, budget):
        self._file, self._budget = file, budget

    def write(self, data):
        if len(data) > self._budget:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        self._budget -= len(data)
        return self._file.write(data)

    def __getattr__(self, name):
        return getattr(self._file, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._file.close()
