"""The stream engine: draw once, blit the moving artists, hand frames out as they come.

Each process owns one figure with the view's static part drawn once and kept as a
pixel background. A frame restores that background and draws only the moving
artists, and, when the camera moves, the axes it looks through (``camera_axes``),
in full. The engine knows nothing of files or hashes: each RGBA frame goes to a
*frame step* that the caller passes in (for a render, encode the frame and hash it),
in the process that drew it, and the engine yields the steps' results in frame
order, so memory does not grow with the number of frames.

Workers are forked after the parent has drawn the background, so they start with
it. Each renders a contiguous chunk; a step may compare a frame with the one before
(GIF frame differencing), so a chunk starting at frame a first primes a fresh step
with frame a-1. A result therefore depends only on its frame and its predecessor,
and any number of workers gives the same results.
"""
from __future__ import annotations

import multiprocessing
import os
from collections import deque
from itertools import islice

import numpy as np

from .figure import draw_static, freeze_camera_independent, new_figure
from .pool import forked_pool, frozen_gc

MIN_CHUNK = 4  # frames: below this, priming and handing out a chunk cost more than they balance
MAX_CHUNK = 64  # frames: a chunk's results are held whole, so this bounds memory whatever the frame count


class FrameRenderer:
    def __init__(self, view, width: int, height: int, dpi: float):
        self.view = view
        self.fig = fig = new_figure(width, height, dpi)
        draw_static(view, fig)
        self.dynamic = view.make_dynamic()
        # With a moving camera only the camera's axes are redrawn in full; the rest of
        # the figure stays a pixel background, as everything static does otherwise.
        self.redrawn = list(view.camera_axes()) if view.moving_camera else []
        for artist in self.dynamic:
            artist.set_animated(True)
        for ax in self.redrawn:
            ax.set_visible(False)
        fig.canvas.draw()
        self.background = fig.canvas.copy_from_bbox(fig.bbox)
        for ax in self.redrawn:
            ax.set_visible(True)
        freeze_camera_independent(fig, self.redrawn)
        self.order = list(self.dynamic)
        if self.redrawn:  # as a full draw: moving artists of axes before the camera's go under it
            first = min(fig.axes.index(ax) for ax in self.redrawn)
            under = [artist for artist in self.dynamic if artist.axes in fig.axes[:first]]
            self.order = under + self.redrawn + [a for a in self.dynamic if all(a is not u for u in under)]

    def render(self, i: int) -> np.ndarray:
        """RGBA frame i, a view of the canvas valid until the next call."""
        canvas = self.fig.canvas
        self.view.update(i)
        canvas.restore_region(self.background)
        for artist in self.order:
            self.fig.draw_artist(artist)
        return np.asarray(canvas.buffer_rgba())


class _Job:
    """One render's state for its workers: the renderer and the factory of its frame
    steps. Forked workers inherit it (it is never pickled), so two renders in one
    process never share anything."""

    def __init__(self, renderer: FrameRenderer, make_step):
        self.renderer, self.make_step = renderer, make_step
        self._step = None

    def run(self, bounds):
        """The step's results for frames lo..hi-1.

        A step without ``needs_previous`` gives the same result for a frame whatever it
        saw before, so one serves all the chunks of a process and may keep what it
        learnt (the video encoder's last frame); one that compares with the frame
        before is made afresh and primed for each chunk."""
        lo, hi = bounds
        step = self._step
        if step is None or step.needs_previous:
            step = self._step = self.make_step()
        if lo > 0 and step.needs_previous:
            step.prime(self.renderer.render(lo - 1))
        return [step(self.renderer.render(i)) for i in range(lo, hi)]


# In a pool worker only: the job it was forked for (each pool forks its own workers).
_worker_job: _Job | None = None


def _adopt(job: _Job) -> None:
    """Pool initializer: the worker keeps the job it inherited."""
    global _worker_job
    _worker_job = job


def _run_chunk(bounds):
    return _worker_job.run(bounds)


def chunk_bounds(n: int, workers: int, max_size: int | None = None) -> list[tuple[int, int]]:
    """Contiguous chunks of at most MAX_CHUNK frames, or ``max_size`` where results are
    big (raw video frames): a chunk's results are held whole in memory.

    Guided: each chunk is a share of the frames still left, so the first are long and
    the last short, and the workers finish together (equal chunks left one idle for
    up to a chunk's time at the end). A step that compares frames is primed with the
    frame before its chunk: one extra frame drawn per chunk."""
    if workers <= 1:
        return [(0, n)]
    most = MAX_CHUNK if max_size is None else max(1, min(MAX_CHUNK, max_size))
    bounds, lo = [], 0
    while lo < n:
        size = min(most, max(MIN_CHUNK, -(-(n - lo) // (2 * workers))))
        bounds.append((lo, min(n, lo + size)))
        lo += size
    return bounds


def render_stream(renderer: FrameRenderer, n: int, make_step, workers: int, max_chunk: int | None = None):
    """Yield ``step(rgba)`` for frames 0..n-1, in order, where ``step = make_step()`` in
    each worker; a step with ``needs_previous`` is first primed (``step.prime(rgba)``)
    with the frame before its chunk. Chunks hold at most ``max_chunk`` frames."""
    job = _Job(renderer, make_step)
    chunks = chunk_bounds(n, workers, max_chunk)
    if len(chunks) == 1 or "fork" not in multiprocessing.get_all_start_methods():
        for chunk in chunks:
            yield from job.run(chunk)
        return
    # frozen: what the parent drew is left out of the workers' garbage collections
    with frozen_gc(), forked_pool(workers, _adopt, (job,)) as pool:
        # Bounded look-ahead: at most 2 chunks per worker in flight keeps memory flat
        # even when the consumer (an MP4 encoder) is slower than the renderers.
        todo = iter(chunks)
        pending = deque(pool.apply_async(_run_chunk, (c,)) for c in islice(todo, 2 * workers))
        while pending:
            result = pending.popleft().get()
            nxt = next(todo, None)
            if nxt is not None:
                pending.append(pool.apply_async(_run_chunk, (nxt,)))
            yield from result


def default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))
