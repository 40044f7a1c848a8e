"""Atomic files: written under a temporary name beside the target, renamed onto it when whole.

An interrupted or failed write never leaves a truncated file and never damages the
previous one. A temporary name carries its writer's pid (``.NAME.PID.RANDOM.tmp``), so
a later run can remove those of a process that was killed (``kill -9`` runs no
clean-up); files still unfinished when the interpreter exits are removed then.

``AtomicFile`` is the one way gdanim writes a file: every output (ffmpeg writes the
videos' temporary files), each PNG frame, manifests, kept frames, reports and saved
Histories.
"""
from __future__ import annotations

import atexit
import contextlib
import os
import re
import secrets

from ..errors import GdanimError, OutputError


def write_error(target, exc: OSError) -> OutputError:
    """The one-line error for a failed write of ``target``."""
    reason = exc.strerror or (os.strerror(exc.errno) if exc.errno else str(exc))
    return OutputError(f"cannot write {target}: {reason}".replace("\n", " "))


def temp_path(target: str) -> str:
    """A fresh temporary name beside ``target``; the pid lets later runs spot leftovers."""
    directory, name = os.path.split(target)
    return os.path.join(directory, f".{name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")


_TEMP_NAME = re.compile(r"\.(?P<name>.+)\.(?P<pid>\d+)\.[0-9a-f]+\.tmp")


def remove_stale_temps(directory, name) -> None:
    """Delete ``.{name}.{pid}.*.tmp`` files whose process is gone (e.g. killed with -9)."""
    remove_dead_temps(directory, lambda temp_name: temp_name == name)


def remove_dead_temps(directory, accept) -> None:
    """Delete the temporary files in ``directory`` whose target name ``accept`` takes
    and whose process is gone."""
    directory = os.fspath(directory) or "."
    try:
        entries = os.listdir(directory)
    except OSError:
        return
    for entry in entries:
        match = _TEMP_NAME.fullmatch(entry)
        if match and accept(match["name"]) and not _pid_alive(int(match["pid"])):
            unlink_quietly(os.path.join(directory, entry))


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid() or os.name == "nt":  # Windows' os.kill cannot merely probe
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    except OverflowError:  # not a pid at all
        return False
    return True


def unlink_quietly(path: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)


def _fsync_path(path: str) -> None:
    fd = os.open(path, os.O_RDWR)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(directory: str) -> None:
    """Make a rename durable; some platforms and file systems cannot, which is fine."""
    with contextlib.suppress(OSError):
        fd = os.open(directory or ".", os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


# Outputs still being written, by this process: key -> (pid, cleanup). A writer
# normally aborts itself when an exception leaves its ``with`` block; this catches the
# rest, such as Ctrl-C between opening an output and entering the block.
_unfinished: dict[int, tuple[int, object]] = {}


def track(owner, cleanup) -> None:
    """Have ``cleanup()`` run at interpreter exit unless ``untrack(owner)`` comes first."""
    _unfinished[id(owner)] = (os.getpid(), cleanup)


def untrack(owner) -> None:
    _unfinished.pop(id(owner), None)


@atexit.register
def _clean_up_unfinished() -> None:
    """At interpreter exit, drop the temporary files of outputs never committed or aborted,
    latest first: a container's own clean-up (which stops its encoder) runs before that
    of the file it writes."""
    for pid, cleanup in reversed(list(_unfinished.values())):
        if pid == os.getpid():  # not a fork's copy of its parent's list
            with contextlib.suppress(Exception):
                cleanup()
    _unfinished.clear()


class AtomicFile:
    """A binary file written under a temporary name and renamed onto ``target`` on commit.

    ``opened=False`` leaves the temporary file to someone else (ffmpeg, a caller of
    ``atomic_path``); ``commit`` then only makes it durable and moves it into place.
    Any write failure discards the temporary file and raises a one-line
    ``OutputError``. As a context manager it commits on success and discards on any
    exception (KeyboardInterrupt and SystemExit too).
    """

    def __init__(self, target, *, opened: bool = True):
        self.target = os.fspath(target)
        self.temp = temp_path(self.target)
        self._file = None
        if opened:
            try:
                self._file = open(self.temp, "xb")
            except OSError as exc:
                raise write_error(self.target, exc) from exc
        track(self, self.discard)

    @property
    def stream(self):
        """The open temporary file, for writers that need a file object (``zipfile``)."""
        return self._file

    def write(self, data: bytes) -> None:
        try:
            self._file.write(data)
        except OSError as exc:
            self.discard()
            raise write_error(self.target, exc) from exc

    def size(self) -> int:
        """Bytes written so far."""
        return self._file.tell()

    def patch(self, offset: int, data: bytes) -> None:
        """Rewrite bytes at ``offset`` (a header whose sizes are known only at the end)."""
        try:
            self._file.seek(offset)
            self._file.write(data)
            self._file.seek(0, os.SEEK_END)
        except OSError as exc:
            self.discard()
            raise write_error(self.target, exc) from exc

    def commit(self) -> None:
        try:
            if self._file is None:
                _fsync_path(self.temp)
            else:
                self._file.flush()
                os.fsync(self._file.fileno())
                self._file.close()
            os.replace(self.temp, self.target)
        except OSError as exc:
            self.discard()
            raise write_error(self.target, exc) from exc
        untrack(self)
        _fsync_dir(os.path.dirname(self.target))

    def discard(self) -> None:
        if self._file is not None:
            with contextlib.suppress(OSError):
                self._file.close()
        unlink_quietly(self.temp)
        untrack(self)

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, traceback):
        if exc_type is None:
            self.commit()
            return False
        self.discard()
        if isinstance(exc, OSError) and not isinstance(exc, GdanimError):
            raise write_error(self.target, exc) from exc
        return False


@contextlib.contextmanager
def atomic_path(target):
    """Yield a temporary path to write; on success it replaces ``target`` atomically.

    On any exception the temporary file is removed and an existing ``target`` is left
    untouched. ``OSError`` (disk full, permissions, ...) becomes a one-line ``OutputError``.
    """
    with AtomicFile(target, opened=False) as file:
        yield file.temp
