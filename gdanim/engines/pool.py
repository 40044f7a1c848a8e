"""A pool of forked render workers that never hangs a render, however it is stopped.

A pool stops its workers with SIGTERM at the end of every parallel render. A worker
that kept the parent's Python-level handlers could miss that signal and wait on the
pool's task queue for ever, with the parent waiting on it; so pools start and stop
with the stop signals held back, and each worker resets them as it starts.
"""
from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import signal
import threading

from ..heap import widen_pipe

# Signals that end a render: the parent turns them into exceptions, workers must not.
_STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


class _HeldSignals:
    """SIGTERM and Ctrl-C held back while a pool starts or stops, then let through.

    Blocked in this thread, they stay blocked in the workers forked meanwhile until
    ``_start_worker`` has reset what they do. Otherwise a worker could catch the pool's
    SIGTERM with the parent's Python-level handler, which runs only between bytecodes,
    before the initializer drops it: the worker would wait on the task-queue lock for
    ever, and the parent on it. Another thread can still catch them for Python, and
    an exception raised halfway through starting or stopping a pool leaves workers
    that no one stops; so in the main thread the handlers only note them meanwhile,
    and ``release`` raises them again.
    """

    def __init__(self):
        self._mask = signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)
        self._handlers, self._noted = {}, set()
        if threading.current_thread() is threading.main_thread():
            for signum in _STOP_SIGNALS:
                handler = signal.getsignal(signum)
                if handler is not None:  # None: set outside Python, which cannot restore it
                    self._handlers[signum] = signal.signal(signum, self._note)

    def _note(self, signum, frame):
        self._noted.add(signum)

    def release(self) -> None:
        for signum, handler in self._handlers.items():
            signal.signal(signum, handler)
        signal.pthread_sigmask(signal.SIG_SETMASK, self._mask)
        for signum in sorted(self._noted):
            signal.raise_signal(signum)


@contextlib.contextmanager
def forked_pool(workers: int, initializer, initargs: tuple):
    """A fork pool whose workers each run ``initializer(*initargs)`` as they start,
    started and stopped with signals held back, so a signal is only ever raised
    while the pool runs, and the pool is stopped whatever happens."""
    context = multiprocessing.get_context("fork")
    held = _HeldSignals()
    try:
        pool = context.Pool(workers, initializer=_start_worker, initargs=(initializer, initargs))
    except BaseException:
        held.release()
        raise
    try:
        held.release()
        _widen_results(pool)
        yield pool
    finally:
        held = _HeldSignals()
        try:
            _stop(pool)
        finally:
            held.release()


def _widen_results(pool) -> None:
    """Results can be raw video frames of megabytes: they pass a wider pipe in fewer turns."""
    reader = getattr(getattr(pool, "_outqueue", None), "_reader", None)
    if reader is not None:
        widen_pipe(reader.fileno())


STOP_WITHIN = 3.0  # seconds a pool has to stop before its workers are killed (it takes milliseconds)


def _stop(pool) -> None:
    """``pool.terminate()``, which cannot hang the render.

    multiprocessing's pool can wait for ever as it stops when a worker ended in the
    middle of a message: a result half sent, or a queue's lock held (a render
    interrupted while workers send frames of megabytes). So it stops in a thread of
    its own; if that takes longer than STOP_WITHIN, the workers are killed, and a
    thread still waiting is left behind (it holds nothing the render needs)."""
    stopper = threading.Thread(target=pool.terminate, name="gdanim-pool-stop", daemon=True)
    stopper.start()
    stopper.join(STOP_WITHIN)
    if stopper.is_alive():
        for worker in getattr(pool, "_pool", []):
            with contextlib.suppress(OSError):
                os.kill(worker.pid, signal.SIGKILL)
        stopper.join(1.0)


@contextlib.contextmanager
def frozen_gc():
    """Objects that exist already are left out of garbage collection meanwhile.

    A render allocates many short-lived objects, and each full collection would walk
    every object the imports made (matplotlib's alone are hundreds of thousands) for
    nothing; workers forked meanwhile inherit them frozen, so their collections do
    not write to those pages either, which stay shared with the parent (the
    ``gc.freeze`` recipe for forking). They are collectable again afterwards.
    """
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _start_worker(initializer, initargs: tuple) -> None:
    """Pool initializer: drop what a forked worker inherits but must not keep, then
    run the caller's ``initializer``.

    A worker leaves its parent's process group, so that signals meant for the whole
    job (Ctrl-C, ``kill -TERM -PGID``) reach only the parent, which stops its workers
    in order: a worker killed while it waits for work holds the task queue's lock,
    and the pool, stopping, waits for that lock for ever. The pool's own SIGTERM then
    takes its default action, ending the worker at once; Ctrl-C is ignored. (An
    encoder's pipe stays the parent's alone: ``output.mp4`` closes it in every forked
    child.) Signals that arrived meanwhile were blocked and are let through last.
    """
    os.setpgid(0, 0)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOP_SIGNALS)
    initializer(*initargs)
