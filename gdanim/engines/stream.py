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

import multiprocessing
import os
from collections import deque
from itertools import islice

import numpy as np

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


def chunk_bounds(n: int, workers: int, max_size: int | None = None) -> list[tuple[int, int]]:
    """Contiguous chunks, several per worker so the slowest chunk finishes late in the run,
    of at most ``max_size`` frames (chunks of big payloads, such as raw video frames,
    are held whole in memory)."""
    if workers <= 1:
        return [(0, n)]
    size = max(4, -(-n // (workers * 4)))
    if max_size is not None:
        size = min(size, max_size)
    return [(lo, min(n, lo + size)) for lo in range(0, n, size)]


def render_stream(renderer: FrameRenderer, n: int, make_encoder, workers: int, keep_frames: bool = False,
                  max_chunk: int | None = None):
    """Yield (payload, hash, rgba or None) for frames 0..n-1, in order, in chunks of at
    most ``max_chunk`` frames."""
    global _renderer, _make_encoder, _keep_frames
    _renderer, _make_encoder, _keep_frames = renderer, make_encoder, keep_frames
    chunks = chunk_bounds(n, workers, max_chunk)
    if len(chunks) == 1 or "fork" not in multiprocessing.get_all_start_methods():
        for chunk in chunks:
            yield from _render_chunk(chunk)
        return
    context = multiprocessing.get_context("fork")
    with context.Pool(workers) as pool:
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
