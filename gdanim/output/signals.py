"""Signals during a render: SIGTERM and Ctrl-C end it cleanly, in the parent only.

SIGTERM becomes ``SystemExit(143)`` so that ``finally`` blocks and aborting containers
remove temporary files; forked render workers, which own no files, let both signals
take their plain course.
"""
from __future__ import annotations

import multiprocessing
import os
import signal
import threading

_signal_owner: int | None = None  # pid of the process that installed the handlers


def _exit_on_signal(signum, frame):
    """SIGTERM: SystemExit in the process that installed the handler, so its ``finally``
    blocks remove temporary files.

    A forked render worker inherits the handler but owns no files, and a pool stops its
    workers with SIGTERM: there the signal takes its default action at once. (Raised as
    SystemExit inside a worker, it can land where the pool's machinery swallows it,
    leaving the worker, and the parent waiting on it, hung.)
    """
    if os.getpid() != _signal_owner:
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)
        return
    raise SystemExit(128 + signum)


def _interrupt(signum, frame):
    """Ctrl-C: KeyboardInterrupt in the process that installed the handler.

    Ctrl-C reaches the whole process group. A forked render worker lets it pass: the
    parent stops its workers itself, so they end quietly instead of each printing a
    KeyboardInterrupt traceback.
    """
    if os.getpid() == _signal_owner or multiprocessing.parent_process() is None:
        raise KeyboardInterrupt


def install_signal_cleanup() -> None:
    """Turn SIGTERM into ``SystemExit(143)`` so ``finally`` blocks remove temp files,
    and keep Ctrl-C from reaching forked render workers as a KeyboardInterrupt.

    Only in the main thread of the main process, and only over the default handlers,
    so an application embedding gdanim keeps its own. Safe to call repeatedly.
    """
    global _signal_owner
    if threading.current_thread() is not threading.main_thread():
        return
    if multiprocessing.parent_process() is not None:
        return
    _signal_owner = os.getpid()
    if signal.getsignal(signal.SIGTERM) == signal.SIG_DFL:
        signal.signal(signal.SIGTERM, _exit_on_signal)
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        signal.signal(signal.SIGINT, _interrupt)
