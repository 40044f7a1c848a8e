"""Work done in a forked child while this process does other work: two cores for two
independent jobs.

``gdanim render`` trains a model and imports the renderer (matplotlib's figure, Agg
and the view): neither needs the other, each takes a few tenths of a second, and
until the render's workers start one of the two cores is idle. ``beside`` runs the
training in a forked child and the imports here, and takes the History back through
a pipe, pickled as it goes (neither process holds a second copy of it).

Nothing changes but the time. The child computes exactly what this process would
(same code, same inputs, seeded); if it fails in any way, or its result cannot be
pickled, this process does the work itself, so an error is raised here, as it would
have been, with its usual message. The child exits without running exit handlers or
flushing what it inherited; it is killed if this process is interrupted, and (on
Linux) if this process dies.
"""
from __future__ import annotations

import os
import pickle
import signal
from typing import Callable, TypeVar

T = TypeVar("T")

_PR_SET_PDEATHSIG = 1  # prctl(2): a signal for this process when its parent dies


def beside(work: Callable[[], T], meanwhile: Callable[[], object]) -> T:
    """``work()``, computed in a forked child while this process runs ``meanwhile()``
    (where there is no fork, one after the other)."""
    if not hasattr(os, "fork"):
        meanwhile()
        return work()
    parent = os.getpid()
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        _child(work, parent, read, write)
    os.close(write)
    result, received = None, False
    try:
        with os.fdopen(read, "rb") as pipe:
            meanwhile()
            try:
                result, received = pickle.load(pipe), True
            except Exception:  # the child failed or could not pickle its result
                pass
    finally:
        _reap(pid, kill=not received)
    return result if received else work()


def _child(work, parent: int, read: int, write: int) -> None:
    """Run in the child: send ``work()`` pickled (nothing, or a part, if it fails) and exit."""
    code = 1
    try:
        os.close(read)
        _die_with(parent)
        result = work()
        with os.fdopen(write, "wb") as pipe:
            pickle.dump(result, pipe, protocol=pickle.HIGHEST_PROTOCOL)
        code = 0
    except BaseException:  # the parent does the work again and meets the same end
        pass
    finally:
        os._exit(code)


def _die_with(parent: int) -> None:
    """Have the kernel kill this process when ``parent`` dies (Linux), so a render
    stopped by SIGTERM leaves no training behind."""
    try:
        import ctypes

        ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # no prctl here: the child ends with its training
        return
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def _reap(pid: int, kill: bool) -> None:
    if kill:  # interrupted, or the child may be stuck writing to a pipe nobody reads
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    os.waitpid(pid, 0)
