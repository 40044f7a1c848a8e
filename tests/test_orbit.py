"""The moving camera's shortcuts: a coarser mesh only where it follows the surface, and
camera-independent work done once without changing a pixel."""
import numpy as np
import pytest

import gdanim
from gdanim.animation import animate
from gdanim.engines import stream
from gdanim.surface import cost_grid, descent_ranges
from gdanim.views.surface import COARSE_MESH, MESH, smooth_coarser

SMALL = dict(size=(200, 150), workers=1)


@pytest.fixture(scope="module")
def article():
    return gdanim.train("six-points", lr=0.001, init="w=3,b=-1", epochs=12000)


def _grids(history):
    ranges = descent_ranges(history, (0, 1), history.steps)
    fine = cost_grid(history, axes=list(history.names[:2]), resolution=MESH, ranges=ranges)
    return fine, smooth_coarser(history, fine, ranges)


def test_a_quadratic_cost_gets_the_coarser_mesh(article):
    fine, mesh = _grids(article)
    assert mesh.J.shape == (COARSE_MESH, COARSE_MESH)
    # the same ranges, and J itself at the coarse points: the mean squared error of w x + b
    assert (mesh.a[0, 0], mesh.a[0, -1], mesh.b[0, 0], mesh.b[-1, 0]) == (
        fine.a[0, 0], fine.a[0, -1], fine.b[0, 0], fine.b[-1, 0])
    x, y = article.data.X[:, 0], article.data.y
    w, b = mesh.a[5, 7], mesh.b[5, 7]
    assert mesh.J[5, 7] == pytest.approx(np.mean((w * x + b - y) ** 2), rel=1e-12)


def test_a_rugged_surface_keeps_the_fine_mesh():
    rugged = gdanim.train(objective="rastrigin", start="2.2,-1.7", steps=50, lr=0.001)
    fine, mesh = _grids(rugged)
    assert mesh is fine and mesh.J.shape == (MESH, MESH)


def test_freezing_what_the_camera_does_not_change_keeps_every_pixel(article, monkeypatch):
    anim = animate(article, "surface", "0,20,50,100,3000", orbit=200, **SMALL)

    def frames():
        with anim.style.context():
            renderer = stream.FrameRenderer(anim._new_view(), anim.width, anim.height, anim.dpi)
            return renderer, [renderer.render(i).copy() for i in range(anim.n_frames)]

    renderer, frozen = frames()
    ax = renderer.view.ax3d
    assert ax._autotitlepos is False
    axes = (ax.xaxis, ax.yaxis, ax.zaxis)
    assert [type(a.get_major_locator()).__name__ for a in axes] == ["FixedLocator"] * 3
    assert [type(a.get_major_formatter()).__name__ for a in axes] == ["FixedFormatter"] * 3
    from matplotlib.ft2font import FT2Font

    # each label laid out once (matplotlib 3.11's Agg text path); the frames below show
    # the pixels are those of laying it out on every draw
    laid_out_once = "draw_text" in vars(renderer.fig.canvas.get_renderer())
    assert laid_out_once == hasattr(FT2Font, "_layout")
    monkeypatch.setattr(stream, "freeze_camera_independent", lambda fig, axes: None)
    _, worked_out = frames()
    for a, b in zip(frozen, worked_out):
        np.testing.assert_array_equal(a, b)
