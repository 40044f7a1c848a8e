"""The stream engine: draw once, blit the moving artists, pipe frames out as they come.

Each process owns one figure with the view's static part drawn once and kept as a
pixel background. A frame restores that background and draws only the moving
artists (a full redraw when the camera moves). Frames go straight to the encoder,
so memory does not grow with the number of frames.

Workers are forked after the parent has drawn the background, so they start with
it. Each renders a contiguous chunk; an encoder may compare a frame with the one
before (GIF frame differencing), so a chunk starting at frame a first primes a fresh
encoder with frame a-1. A frame's bytes therefore depend only on it and its
predecessor, and any number of workers writes the same file.
"""
from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import threading
from collections import deque
from itertools import islice

import numpy as np

from ..encode import close_parent_only_fds
from ..hashing import frame_hash
from .figure import draw_static, new_figure


class FrameRenderer:
    def __init__(self, view, width: int, height: int, dpi: float):
        self.view = view
        self.fig = fig = new_figure(width, height, dpi)
        draw_static(view, fig)
        self.dynamic = view.make_dynamic()
        self.blit = not view.moving_camera
        if self.blit:
            for artist in self.dynamic:
                artist.set_animated(True)
            fig.canvas.draw()
            self.background = fig.canvas.copy_from_bbox(fig.bbox)

    def render(self, i: int) -> np.ndarray:
        """RGBA frame i, a view of the canvas valid until the next call."""
        canvas = self.fig.canvas
        self.view.update(i)
        if self.blit:
            canvas.restore_region(self.background)
            for artist in self.dynamic:
                self.fig.draw_artist(artist)
        else:
            canvas.draw()
        return np.asarray(canvas.buffer_rgba())


# Set in the parent before forking; the workers inherit them.
_renderer: FrameRenderer | None = None
_make_encoder = None
_keep_frames = False


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
def _forked_pool(context, workers: int):
    """A fork pool, started and stopped with signals held back, so a signal is only
    ever raised while the pool runs, and the pool is stopped whatever happens."""
    held = _HeldSignals()
    try:
        pool = context.Pool(workers, initializer=_start_worker)
    except BaseException:
        held.release()
        raise
    try:
        held.release()
        yield pool
    finally:
        held = _HeldSignals()
        try:
            pool.terminate()
        finally:
            held.release()


def _start_worker() -> None:
    """Pool initializer: drop what a forked worker inherits but must not keep.

    A worker leaves its parent's process group, so that signals meant for the whole
    job (Ctrl-C, ``kill -TERM -PGID``) reach only the parent, which stops its workers
    in order: a worker killed while it waits for work holds the task queue's lock,
    and the pool, stopping, waits for that lock for ever. The pool's own SIGTERM then
    takes its default action, ending the worker at once; Ctrl-C is ignored. The
    encoder's pipe stays the parent's alone, so that closing it ends the encoder's
    input whatever becomes of a worker. Signals that arrived meanwhile were blocked
    and are let through last.
    """
    os.setpgid(0, 0)
    close_parent_only_fds()
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOP_SIGNALS)


def _render_chunk(bounds):
    lo, hi = bounds
    encoder = _make_encoder()
    if lo > 0 and encoder.needs_previous:
        encoder.prime(_renderer.render(lo - 1))
    out = []
    for i in range(lo, hi):
        rgba = _renderer.render(i)
        out.append((encoder.encode(rgba), frame_hash(rgba), rgba.copy() if _keep_frames else None))
    return out


def chunk_bounds(n: int, workers: int) -> list[tuple[int, int]]:
    """Contiguous chunks, several per worker so the slowest chunk finishes late in the run."""
    if workers <= 1:
        return [(0, n)]
    size = max(4, -(-n // (workers * 4)))
    return [(lo, min(n, lo + size)) for lo in range(0, n, size)]


def render_stream(renderer: FrameRenderer, n: int, make_encoder, workers: int, keep_frames: bool = False):
    """Yield (payload, hash, rgba or None) for frames 0..n-1, in order."""
    global _renderer, _make_encoder, _keep_frames
    _renderer, _make_encoder, _keep_frames = renderer, make_encoder, keep_frames
    chunks = chunk_bounds(n, workers)
    if len(chunks) == 1 or "fork" not in multiprocessing.get_all_start_methods():
        for chunk in chunks:
            yield from _render_chunk(chunk)
        return
    context = multiprocessing.get_context("fork")
    with _forked_pool(context, workers) as pool:
        # Bounded look-ahead: at most 2 chunks per worker in flight keeps memory flat
        # even when the consumer (an MP4 encoder) is slower than the renderers.
        todo = iter(chunks)
        pending = deque(pool.apply_async(_render_chunk, (c,)) for c in islice(todo, 2 * workers))
        while pending:
            result = pending.popleft().get()
            nxt = next(todo, None)
            if nxt is not None:
                pending.append(pool.apply_async(_render_chunk, (nxt,)))
            yield from result


def default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))
