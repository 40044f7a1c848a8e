"""The celluloid engine: ``Camera.snap()`` per frame, giving a matplotlib Animation.

celluloid photographs the artists added since the last snap, so every frame gets
fresh moving artists from the view. The static artists are drawn once and added to
every frame's photo so that the animation keeps them visible. This engine is slower
than the stream engine and its memory grows with the frame count (every frame's
artists are kept); it is here for notebooks and for any matplotlib writer.
"""
from __future__ import annotations

import numpy as np
from celluloid import Camera
from matplotlib.animation import ArtistAnimation

from .figure import draw_static, new_figure


def snap_all(view, width: int, height: int, dpi: float):
    """(figure, photos): one list of artists per frame, the static artists in each."""
    fig = new_figure(width, height, dpi)
    draw_static(view, fig)
    camera = Camera(fig)
    photos, static = [], []
    for i in range(len(view.records)):
        dynamic = view.make_dynamic()
        view.update(i)
        photo = camera.snap()
        if i == 0:  # the first photo also takes everything drawn before it
            static = [a for a in photo if not any(a is d for d in dynamic)]
        else:
            photo = photo + static
        photos.append(photo)
    return fig, photos


def animation(view, width: int, height: int, dpi: float, fps: float) -> ArtistAnimation:
    fig, photos = snap_all(view, width, height, dpi)
    return ArtistAnimation(fig, photos, interval=1000.0 / fps, blit=False)


def frames(view, width: int, height: int, dpi: float):
    """Show one photo at a time, as ArtistAnimation does, and yield each full redraw (RGBA)."""
    fig, photos = snap_all(view, width, height, dpi)
    for photo in photos:
        for artist in photo:
            artist.set_visible(False)
    previous = []
    for photo in photos:
        for artist in previous:
            artist.set_visible(False)
        for artist in photo:
            artist.set_visible(True)
        fig.canvas.draw()
        yield np.asarray(fig.canvas.buffer_rgba())
        previous = photo
