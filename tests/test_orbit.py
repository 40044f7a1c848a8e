"""The moving camera's shortcuts: a coarser mesh only where it follows the surface,
camera-independent work done once, text laid out once, and the 3D box drawn in one pass
(views/box3d.py), all without changing a pixel."""
import os

import matplotlib
import numpy as np
import pytest
from matplotlib.ticker import AutoMinorLocator

import gdanim
from gdanim.animation import animate
from gdanim.engines import agg_text, stream
from gdanim.engines.figure import new_figure
from gdanim.views import box3d
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
    # each label laid out once (matplotlib 3.11's Agg text path); the frames below show
    # the pixels are those of laying it out on every draw
    laid_out_once = "draw_text" in vars(renderer.fig.canvas.get_renderer())
    assert laid_out_once == (tuple(int(p) for p in matplotlib.__version__.split(".")[:2]) in agg_text.PATH_OF)
    monkeypatch.setattr(stream, "freeze_camera_independent", lambda fig, axes: None)
    _, worked_out = frames()
    for a, b in zip(frozen, worked_out):
        np.testing.assert_array_equal(a, b)


def _camera_frames(anim):
    with anim.style.context():
        renderer = stream.FrameRenderer(anim._new_view(), anim.width, anim.height, anim.dpi)
        return renderer, [renderer.render(i).copy() for i in range(anim.n_frames)]


@pytest.mark.parametrize("style, frames, camera", [
    ("light", "0,20,50,100,3000,6000,9000,12000", dict(orbit=350)),  # a whole turn: every side comes nearest
    ("dark", "0,100,3000,9000,12000", dict(azim=0, orbit=180)),  # azimuths 0, 45, 90, 135 and 180 exactly
    ("article", "0,100,3000,9000,12000", dict(elev=0, orbit=180)),  # edge on
    ("light", "0,100,3000,9000,12000", dict(elev=90, orbit=100)),  # from above: labels crowd and overlap
    ("article", "0,100,3000,9000,12000", dict(elev=-90, azim=0, orbit=180)),
])
def test_a_moving_camera_s_frames_are_plain_matplotlib_s_pixel_for_pixel(article, style, frames, camera, monkeypatch):
    """Box3D and the kept text layouts against mplot3d and matplotlib's own text path."""
    anim = animate(article, "surface", frames, size=(480, 360), workers=1, style=style, **camera)
    renderer, drawn = _camera_frames(anim)
    ax = renderer.view.ax3d
    assert isinstance(renderer.view.box, box3d.Box3D) and ax._axis3don is False
    monkeypatch.setattr(box3d, "install", lambda ax: None)
    monkeypatch.setattr(stream, "freeze_camera_independent", lambda fig, axes: None)
    renderer, by_matplotlib = _camera_frames(anim)
    assert renderer.view.ax3d._axis3don is True
    for a, b in zip(drawn, by_matplotlib):
        np.testing.assert_array_equal(a, b)
    assert not np.array_equal(drawn[0], drawn[-1])


def _bare_axes(setup, camera, with_box: bool) -> np.ndarray:
    fig = new_figure(360, 300, 100)
    ax = fig.add_subplot(projection="3d")
    setup(ax)
    ax.view_init(*camera)
    if with_box:
        assert isinstance(box3d.install(ax), box3d.Box3D)
    fig.canvas.draw()
    return np.asarray(fig.canvas.buffer_rgba()).copy()


def _minor_ticks_and_long_labels(ax):
    ax.set(xlim=(-2, 3), ylim=(0, 1), zlim=(10, 700), xlabel="weight", ylabel="bias", zlabel="cost J")
    ax.zaxis.set_minor_locator(AutoMinorLocator())  # thinner ticks, and grid lines of their own
    ax.tick_params(labelsize=7)


@pytest.mark.parametrize("camera", [(20, 145), (35, 0), (0, 90), (90, -90), (-20, 200)])
def test_minor_ticks_and_labels_along_their_axis_are_mplot3d_s(camera):
    # labels over 4 characters turn with their axis; a fresh axes, never drawn by mplot3d first
    np.testing.assert_array_equal(_bare_axes(_minor_ticks_and_long_labels, camera, with_box=True),
                                  _bare_axes(_minor_ticks_and_long_labels, camera, with_box=False))


def test_axes_it_does_not_cover_stay_mplot3d_s():
    fig = new_figure(400, 300, 100)
    flipped = fig.add_subplot(2, 3, 1, projection="3d")
    flipped.set_xlim(1, 0)
    offset = fig.add_subplot(2, 3, 2, projection="3d")
    offset.set_zlim(1e6, 1e6 + 1)  # tick labels share an offset text, "+1e6", which the box does not draw
    sketched = fig.add_subplot(2, 3, 3, projection="3d")
    sketched.zaxis.line.set_sketch_params(1, 100, 2)  # drawn by Line2D.draw only
    usetex = fig.add_subplot(2, 3, 4, projection="3d")
    usetex.xaxis.label.set_usetex(True)
    boxed = fig.add_subplot(2, 3, 5, projection="3d")
    boxed.yaxis.label.set_bbox(dict(facecolor="white"))
    plain = fig.add_subplot(2, 3, 6, projection="3d")
    for ax in (flipped, offset, sketched, usetex, boxed):
        assert box3d.install(ax) is None and ax._axis3don and not any(isinstance(a, box3d.Box3D) for a in ax.artists)
    assert isinstance(box3d.install(plain), box3d.Box3D) and not plain._axis3don


def test_an_orbit_is_the_same_for_any_number_of_workers(article, tmp_path):
    # forked workers must not draw text with the parent's fonts, whose open files they share
    for n in (1, 2):
        animate(article, "surface", "0:12000:500", orbit=60, size=(480, 360), workers=n).save(tmp_path / f"{n}.gif")
    assert (tmp_path / "1.gif").read_bytes() == (tmp_path / "2.gif").read_bytes()


def test_text_is_laid_out_once_and_again_in_a_forked_process(monkeypatch):
    fig = new_figure(300, 200, 100)
    label = fig.text(0.3, 0.5, "J = −1.25e3", rotation=30, fontsize=11)
    fig.canvas.draw()
    by_matplotlib = np.asarray(fig.canvas.buffer_rgba()).copy()
    renderer = fig.canvas.get_renderer()
    agg_text.lay_text_out_once(renderer)
    prepared = []
    prepare = renderer._prepare_font
    monkeypatch.setattr(renderer, "_prepare_font", lambda prop: prepared.append(prop) or prepare(prop))
    for _ in range(2):
        fig.canvas.restore_region(fig.canvas.copy_from_bbox(fig.bbox))
        fig.canvas.draw()
    assert len(prepared) == 1  # laid out once, at the first draw
    np.testing.assert_array_equal(np.asarray(fig.canvas.buffer_rgba()), by_matplotlib)
    pid = os.getpid()
    monkeypatch.setattr(agg_text.os, "getpid", lambda: pid + 1)  # as in a forked worker
    fig.canvas.draw()
    assert len(prepared) == 2
    np.testing.assert_array_equal(np.asarray(fig.canvas.buffer_rgba()), by_matplotlib)
    assert label.get_text() == "J = −1.25e3"
