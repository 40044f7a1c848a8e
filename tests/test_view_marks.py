"""What the views draw over a descent: contour levels, the gradient arrow and the labels it
keeps clear of, the optimum star, scatter by n, batch rings, the divergence inset, 3D labels."""
import matplotlib
import numpy as np
import pytest
from matplotlib.colors import BoundaryNorm, to_rgb

import gdanim
from gdanim.animation import animate
from gdanim.batches import batch_rows_at
from gdanim.engines.stream import FrameRenderer
from gdanim.history import History
from gdanim.objectives import make_objective
from gdanim.surface import cost_grid
from gdanim.views import overlays
from gdanim.views.contour import FIRST_RING, valley_levels as contour_levels
from gdanim.views.overlays import ARROW_LONGEST, arrow_share, arrow_tips, inset_decades
from gdanim.views.panels import point_marks


def rendered(anim):
    """(view, renderer) with the static part drawn, in the animation's rc."""
    with anim._look():
        return FrameRenderer(anim._new_view(), anim.width, anim.height, anim.dpi)


# ---------------------------------------------------------------------------- contour levels


def test_levels_are_the_minimum_then_geometric_from_the_first_ring():
    J = np.arange(101.0).reshape(1, -1)  # quantile 0.01 of 0..100 is 1.0
    levels = contour_levels(J, count=24)
    assert levels[0] == 0.0 and levels[1] == pytest.approx(1.0, rel=1e-14) and levels[-1] == pytest.approx(100.0, rel=1e-14)
    np.testing.assert_allclose(levels[2:] / levels[1:-1], 100 ** (1 / 22), rtol=1e-12)  # 22 equal ratios from 1 to 100
    assert FIRST_RING == 0.01


def test_levels_on_a_flat_floor_and_a_constant_grid():
    J = np.concatenate([np.full(60, 7.0), np.linspace(7.0, 17.0, 40)])  # 60% at the minimum: the quantile is 0
    levels = contour_levels(J, count=5)
    np.testing.assert_allclose(levels, 7.0 + np.concatenate([[0.0], np.geomspace(1e-5, 10.0, 4)]), rtol=1e-14)
    np.testing.assert_array_equal(contour_levels(np.full((3, 3), 5.0)), [5.0, 10.0])


def test_linear_model_contours_colour_each_band_and_ring_the_valley():
    h = gdanim.train("six-points", lr=0.001, init="w=3,b=-1", epochs=200)
    r = rendered(animate(h, "contour", "0,200", size=(160, 120), workers=1))
    filled = next(c for c in r.fig.axes[0].collections if isinstance(c.norm, BoundaryNorm))
    levels = np.asarray(filled.levels)
    np.testing.assert_array_equal(filled.norm.boundaries, levels)
    assert len(levels) == 24 and np.all(np.diff(np.log(levels[1:] - levels[0])) > 0)
    # the lowest level above the minimum rings about 1% of the grid around the optimum
    g = cost_grid(h, resolution=160, ranges=r.view.ranges)
    inside = (g.J <= levels[1]).mean()
    assert 0.008 <= inside <= 0.012


# ---------------------------------------------------------------------------- the arrow


@pytest.mark.parametrize("ratio, share", [(1.0, 1.0), (2.0, 1.0), (0.1, 2 / 3), (0.01, 1 / 3), (1e-3, 0.0), (1e-6, 0.0)])
def test_arrow_share_follows_the_gradient_over_three_decades(ratio, share):
    assert arrow_share(ratio * 7.0, 7.0) == pytest.approx(share, abs=1e-15)


def test_arrow_share_without_a_start_gradient_is_full():
    assert arrow_share(3.0, 0.0) == 1.0 and arrow_share(3.0, float("nan")) == 1.0


def test_arrow_tips_on_a_bowl_by_hand():
    """bowl:kappa=4,angle=0: J = (x^2 + 4 y^2) / 2, grad = (x, 4y). Box spans 4 and 2."""
    bowl = make_objective("bowl:kappa=4,angle=0")
    params = np.array([[2.0, 1.0], [0.2, 0.1], [0.0, 0.0]])
    h = History.from_trace(params, bowl.value(params), objective=bowl)
    tips = arrow_tips(h, [0, 1, 2], (0, 1), [4.0, 2.0])
    start = np.hypot(2.0 / 4, 4.0 / 2)  # |grad / spans| at record 0
    for k, theta in enumerate(params[:2]):
        g = -np.array([theta[0], 4 * theta[1]]) / [4.0, 2.0]
        reach = ARROW_LONGEST * np.clip(1 + np.log10(np.hypot(*g) / start) / 3, 0, 1)
        np.testing.assert_allclose(tips[k], theta + reach * g / np.hypot(*g) * [4.0, 2.0], rtol=1e-14)
    np.testing.assert_array_equal(tips[2], [0.0, 0.0])  # no gradient, no arrow
    assert np.hypot(*((tips[1] - params[1]) / [4.0, 2.0])) == pytest.approx(ARROW_LONGEST * 2 / 3, rel=1e-12)


@pytest.mark.parametrize("run, first", [
    (dict(data="six-points", lr=0.001, init="w=3,b=-1", epochs=3000), 0),
    # here a label to the lower left of the optimum would be hit by 3 arrows: put it first, it must be passed over
    (dict(data="synthetic:n=200,w=2,b=3,noise=1,seed=1", optimizer="sgd", batch_size=8, lr=0.05, epochs=3), 3),
])
def test_arrow_never_covers_the_optimum_label_and_the_star_is_on_top(run, first, monkeypatch):
    preferred = overlays.LABEL_PLACES[first]
    monkeypatch.setattr(overlays, "LABEL_PLACES", (preferred,) + tuple(p for p in overlays.LABEL_PLACES if p != preferred))
    data = run.pop("data")
    h = gdanim.train(data, **run)
    anim = animate(h, "contour", "log:24", size=(480, 270), workers=1)
    r = rendered(anim)
    view, renderer = r.view, r.fig.canvas.get_renderer()
    star, label = view.marks
    assert star.get_zorder() > view.dot.get_zorder() > view.arrow.get_zorder() and label.get_zorder() > star.get_zorder()
    assert (view.place == preferred) == (first == 0)
    shown = 0
    for i in range(anim.n_frames):
        r.render(i)
        if view.arrow.get_visible():
            shown += 1
            assert not view.arrow.get_window_extent(renderer).overlaps(label.get_window_extent(renderer)), f"frame {i}"
    assert shown >= 5


def test_the_star_shows_over_the_current_point_at_the_optimum():
    bowl = make_objective("bowl:kappa=4,angle=0")
    params = np.array([[1.5, 1.0], [0.5, 0.2], [0.0, 0.0]])
    h = History.from_trace(params, bowl.value(params), objective=bowl)
    anim = animate(h, "contour", "0:3", size=(320, 240), workers=1)
    r = rendered(anim)
    rgba = r.render(2)
    x, y = r.view.ax.transData.transform((0.0, 0.0))
    centre = rgba[int(round(anim.height - y)), int(round(x)), :3] / 255
    np.testing.assert_allclose(centre, to_rgb(anim.style.optimum), atol=0.02)


def test_a_converged_arrow_vanishes():
    h = gdanim.train("six-points", lr=0.001, init="w=3,b=-1", epochs=12000)
    r = rendered(animate(h, "contour", "0,11999", size=(320, 240), workers=1))
    r.render(0)
    assert r.view.arrow.get_visible()
    r.render(1)  # |grad| is 1/14,000 of the start's: more than three decades below
    assert not r.view.arrow.get_visible()


# ---------------------------------------------------------------------------- points and batches


@pytest.mark.parametrize("n, size, alpha", [(6, 1.0, 1.0), (30, 1.0, 1.0), (120, 0.5, 0.8), (480, 0.25, 0.4),
                                            (3000, 0.12, 0.3)])
def test_point_marks(n, size, alpha):
    assert point_marks(n) == pytest.approx((size, alpha), abs=1e-15)


def test_fit_panel_scatter_follows_n():
    h = gdanim.train("synthetic:n=480,w=2,b=3,noise=1,seed=0", lr=0.1, epochs=5)
    r = rendered(animate(h, "params", "0,5", size=(960, 540), workers=1))
    points = r.fig.axes[0].collections[0]
    np.testing.assert_array_equal(points.get_sizes(), [44 * 0.25])
    assert points.get_alpha() == pytest.approx(0.4)


@pytest.mark.parametrize("order", ["sequential", "shuffle", "sample"])
def test_batches_replayed_from_the_config_are_the_ones_trained_on(order):
    h = gdanim.train("synthetic:n=50,w=2,b=3,noise=1.5,seed=0", optimizer="sgd", batch_size=8, order=order, lr=0.02,
                     epochs=4, seed=3)
    rows = batch_rows_at(h, range(h.steps))
    assert sorted(rows) == list(range(28)) and all(len(r) == (8 if (k % 7) < 6 else 2) or order == "sample"
                                                   for k, r in rows.items())
    for k in range(h.steps):
        J, grad = h.objective.batch_value_and_gradient(h.params[k], rows[k])
        assert J == h.batch_J[k]
        np.testing.assert_array_equal(grad, h.grads[k])
    some = batch_rows_at(h, [20, 7, 3])
    for k in (3, 7, 20):
        np.testing.assert_array_equal(some[k], rows[k])


def test_fit_panel_rings_the_batch_behind_each_record():
    h = gdanim.train("synthetic:n=60,w=2,b=3,noise=1,seed=0", optimizer="sgd", batch_size=5, order="shuffle", lr=0.05,
                     epochs=2)
    anim = animate(h, "residuals", "0,1,13", size=(320, 240), workers=1)
    r = rendered(anim)
    rows = batch_rows_at(h, [0, 12])
    expected = {0: np.empty((0, 2)), 1: rows[0], 2: rows[12]}
    for i in range(3):
        r.render(i)
        offsets = np.asarray(r.view.fit.batch.get_offsets())
        want = expected[i] if i == 0 else np.column_stack([h.data.X[expected[i], 0], h.data.y[expected[i]]])
        np.testing.assert_array_equal(offsets.reshape(-1, 2), want)


# ---------------------------------------------------------------------------- 3D labels, shading, divergence


def test_surface_and_plane_label_their_vertical_axis_inside_the_frame():
    for data, view, label in [("six-points", "surface", "J"), ("six-points-2d", "plane", "y")]:
        h = gdanim.train(data, lr=0.01, epochs=10)
        r = rendered(animate(h, view, "0,10", size=(960, 540), workers=1))
        ax = r.view.ax3d
        assert ax.get_zlabel() == label
        box = ax.zaxis.label.get_window_extent(r.fig.canvas.get_renderer())
        assert 0 <= box.x0 and box.x1 <= 960 and 0 <= box.y0 and box.y1 <= 540


def test_article_surface_is_colour_mapped_and_shaded():
    h = gdanim.train("six-points", lr=0.001, init="w=3,b=-1", epochs=50)
    r = rendered(animate(h, "surface", "0,50", size=(320, 240), style="article", workers=1))
    surface = next(c for c in r.view.ax3d.collections if len(c.get_facecolors()) > 100)
    assert len(np.unique(np.round(surface.get_facecolors(), 3), axis=0)) > 200  # not one flat blue


def test_inset_decades():
    middle, half = np.array([0.0, 10.0]), np.array([1.0, 2.0])
    assert inset_decades(np.array([[0.5, 11.0]]), middle, half) == 1
    assert inset_decades(np.array([[-2345.0, 10.0]]), middle, half) == 4  # 2345 half-spans: 10**4 holds it
    assert inset_decades(np.array([[3.0, 10.0 + 2 * 100.0]]), middle, half) == 2


def test_a_diverged_run_is_followed_in_an_inset():
    h = gdanim.train("six-points", lr=0.05, epochs=100)
    assert h.diverged_at == 61
    for view in ("contour", "surface"):
        anim = animate(h, view, "0,30,60", size=(480, 270), workers=1)
        r = rendered(anim)
        inset = r.view.inset
        lo, hi = np.array([inset.ax.get_xlim(), inset.ax.get_ylim()]).T
        path = h.params[:, list(r.view.pair)]
        assert np.all(path >= lo) and np.all(path <= hi)  # the whole blow-up fits
        assert inset.ax.get_xscale() == "symlog" and inset.ax.get_yscale() == "symlog"
        r.render(2)
        np.testing.assert_array_equal(np.column_stack(inset.path.get_data())[-1], path[60])
        np.testing.assert_array_equal(np.column_stack(inset.dot.get_data()), path[[60]])
    assert gdanim.train("six-points", lr=0.01, epochs=10).diverged_at is None


def test_no_inset_without_divergence():
    h = gdanim.train("six-points", lr=0.01, epochs=10)
    assert rendered(animate(h, "contour", "0,10", size=(160, 120), workers=1)).view.inset is None
    assert matplotlib.rcParams["axes.linewidth"] == matplotlib.rcParamsDefault["axes.linewidth"]  # the rc is restored
