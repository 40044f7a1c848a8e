"""Work done in a forked child while this process does other work: two cores for two
independent jobs.

``gdanim render`` trains a model and imports the renderer (matplotlib's figure, Agg
and the view): neither needs the other, each takes a few tenths of a second, and
until the render's workers start one of the two cores is idle. ``beside`` runs the
training in a forked child and the imports here, and takes the History back through
a pipe, pickled.

Nothing changes but the time. The child computes exactly what this process would
(same code, same inputs, seeded); if it fails in any way, or its result cannot be
pickled, this process does the work itself, so an error is raised here, as it would
have been, with its usual message. The child exits without running exit handlers or
flushing what it inherited, and a child left behind by an interrupt is killed.
"""
from __future__ import annotations

import os
import pickle
import signal
from typing import Callable, TypeVar

T = TypeVar("T")


def beside(work: Callable[[], T], meanwhile: Callable[[], object]) -> T:
    """``work()``, computed in a forked child while this process runs ``meanwhile()``
    (where there is no fork, one after the other)."""
    if not hasattr(os, "fork"):
        meanwhile()
        return work()
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        _child(work, read, write)
    os.close(write)
    done = False
    try:
        meanwhile()
        with os.fdopen(read, "rb") as pipe:
            data = pipe.read()
        done = True
    finally:
        _reap(pid, kill=not done)
    return pickle.loads(data) if data else work()


def _child(work, read: int, write: int) -> None:
    """Run in the child: send ``work()`` pickled, or nothing if it fails, and exit."""
    code = 1
    try:
        os.close(read)
        try:
            data = pickle.dumps(work(), protocol=pickle.HIGHEST_PROTOCOL)
        except BaseException:  # the parent does the work again and meets the same end
            data = b""
        with os.fdopen(write, "wb") as pipe:
            pipe.write(data)
        code = 0
    finally:
        os._exit(code)


def _reap(pid: int, kill: bool) -> None:
    if kill:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    os.waitpid(pid, 0)
