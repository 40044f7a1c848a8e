"""surface: the fitted line beside the descent over the 3D cost surface (the surface alone
for objectives without predictions).

The simple-regression article's third animation.
Static: data points; the cost surface J(a, b) over a grid, others held at the optimum.
Per frame: line, the path so far and the current point over the surface, the status
line; with ``orbit`` the camera turns too, so each frame redraws the 3D axes in full
(the left panel stays a pixel background).
"""
from __future__ import annotations

import matplotlib
import numpy as np
from matplotlib.colors import LightSource, PowerNorm

from ..surface import choose_axes, cost_grid, descent_ranges
from ..validate import finite
from . import box3d
from .base import View, layer, require_objective, short_label
from .overlays import DivergenceInset
from .panels import FitPanel, decimated, inside_box

MESH = 40  # grid points a side of the surface
# With a moving camera every frame draws the whole mesh, a cost that grows with its
# faces: a smooth surface (within SMOOTH of J's range, bilinearly) gets a coarser one.
COARSE_MESH, SMOOTH = 28, 0.005
TALL = 0.8  # height / width from which the fit panel goes above the surface, not beside it
BOX_ASPECT_WIDE = (4, 4, 2.2)  # the 3D box in a cell much wider than tall (matplotlib's is 4, 4, 3)


class SurfaceView(View):
    name = "surface"

    def __init__(self, history, records, style, *, axes=None, elev: float = 20.0, azim: float = 145.0, orbit: float = 0.0):
        require_objective(history, self.name)
        self.pair = choose_axes(history.names, axes)  # before the status line is measured
        super().__init__(history, records, style)
        self.elev, self.azim, self.orbit = (finite(k, v, unit="degrees") for k, v in
                                            (("elev", elev), ("azim", azim), ("orbit", orbit)))
        self.moving_camera = self.orbit != 0.0

    def draw_static(self, fig):
        self.setup_figure(fig, labels_3d=True)
        st, h = self.style, self.history
        self.fit = None
        wide_cell = False
        if h.has_predictions:
            width, height = fig.get_size_inches()
            wide_cell = height / width >= TALL
            if wide_cell:  # the fit above the surface, each as wide as the canvas
                grid = fig.add_gridspec(2, 1, height_ratios=(1, 1.6))
            else:
                grid = fig.add_gridspec(1, 2, width_ratios=(1, 1.25))
            self.fit = FitPanel(self, fig.add_subplot(grid[0]))
            self.fit.draw_static()
            ax = fig.add_subplot(grid[1], projection="3d", computed_zorder=False)
        else:
            ax = fig.add_subplot(projection="3d", computed_zorder=False)
        i, j = self.pair
        ranges = descent_ranges(h, self.pair, self.last_record)
        g = cost_grid(h, axes=[h.names[i], h.names[j]], resolution=MESH, ranges=ranges)
        mesh = smooth_coarser(h, g, ranges) if self.moving_camera else g
        painted_surface(ax, mesh, shaded(mesh.J, st.surface_cmap), alpha=st.surface_alpha, zorder=1)
        ax.set_xlim(*ranges[0]); ax.set_ylim(*ranges[1])
        # a coarse grid's lowest point lies above the true minimum, where the path ends
        low = float(g.J.min()) if h.optimum_J is None else min(float(g.J.min()), h.optimum_J)
        self.zlim = (low - 0.02 * (float(g.J.max()) - low), float(g.J.max()))
        ax.set_zlim(*self.zlim)
        ax.set_xlabel(h.names[i], fontsize=self.fontsize("label"))
        ax.set_ylabel(h.names[j], fontsize=self.fontsize("label"))
        ax.set_zlabel("J", fontsize=self.fontsize("label"))
        ax.tick_params(labelsize=self.fontsize("text") * 0.75)
        title = ("Cost surface" if h.data is not None else short_label(h.label)) + g.held_text()
        ax.set_title(title, fontsize=self.fontsize("title"))
        ax.view_init(elev=self.elev, azim=self.azim)
        self.finish_3d(ax)
        # a flatter, larger box fills a wide cell; matplotlib's default leaves wide empty margins
        ax.set_box_aspect(BOX_ASPECT_WIDE if wide_cell else None, zoom=1.45 if wide_cell else 1.1)
        self.ax3d, self.ranges = ax, ranges
        self.path_index = decimated(self.last_record)
        self.history.J_at(self.path_index)  # the path's heights, where training skipped J (J_every)
        self.fig = fig
        self.box = None
        self.inset = None
        if h.diverged_at is not None:
            self.inset = DivergenceInset(self, ax, self.pair, ranges)
            self.inset.draw_static()

    def camera_axes(self) -> list:
        return [self.ax3d]

    def _inside(self, a, b, J):
        return inside_box(self.ranges, self.zlim, a, b, J)

    def key_colors(self):
        return super().key_colors() + self.fit_key_colors() + [self.style.path, self.style.current]

    def make_dynamic(self):
        st, ax = self.style, self.ax3d
        if self.moving_camera and self.box is None:  # after the layout, which measured mplot3d's labels
            self.box = box3d.install(ax)
        (self.path,) = ax.plot([], [], [], ls="--", lw=2 * self.scale, color=st.path)
        (self.dot,) = ax.plot([], [], [], marker="o", ms=12 * self.scale, color=st.current, ls="none", mec=st.foreground, mew=0.6)
        fit = [] if self.fit is None else self.fit.make_dynamic()
        inset = [] if self.inset is None else self.inset.make_dynamic()
        return layer(fit + [self.path, self.dot] + inset + self.make_status(self.fig))

    def update(self, i):
        k = self.record(i)
        h, (a, b) = self.history, self.pair
        if self.fit is not None:
            self.fit.update(k)
        cut = np.searchsorted(self.path_index, k, side="left")
        idx = np.append(self.path_index[:cut], k)
        self.path.set_data_3d(*self._inside(h.params[idx, a], h.params[idx, b], h.J[idx]))
        self.dot.set_data_3d(*self._inside(h.params[[k], a], h.params[[k], b], h.J[[k]]))
        if self.moving_camera:
            turn = self.orbit * i / max(len(self.records) - 1, 1)
            self.ax3d.view_init(elev=self.elev, azim=self.azim + turn)
        if self.inset is not None:
            self.inset.update(k)
        self.update_status(k)


def painted_surface(ax, grid, colours: np.ndarray, *, alpha: float, zorder: float):
    """``ax.plot_surface(grid, facecolors=colours, alpha=alpha)``, one face per grid cell
    painted the colour of its first corner, with no edges.

    Given facecolors, mplot3d builds the faces one by one in Python and converts
    their colours one by one; without them it builds the same faces, in the same
    order, as one array. So the faces are built that way and painted after, as one
    array, then made see-through as mplot3d would (a grid with non-finite heights,
    whose faces mplot3d drops, goes the slow way)."""
    style = dict(rstride=1, cstride=1, shade=False, linewidth=0, antialiased=True, zorder=zorder)
    if not all(np.isfinite(v).all() for v in (grid.a, grid.b, grid.J)):
        return ax.plot_surface(grid.a, grid.b, grid.J, facecolors=colours, alpha=alpha, **style)
    faces = colours[:-1, :-1].reshape(-1, colours.shape[-1])
    # a colour given, plot_surface takes none from the axes' colour cycle
    surface = ax.plot_surface(grid.a, grid.b, grid.J, color=faces[0], **style)
    surface.set_facecolor(faces)
    surface.set_edgecolor(faces)
    surface.set_alpha(alpha)
    return surface


def shaded(J: np.ndarray, cmap) -> np.ndarray:
    """(G, G, 4) colours of a cost grid: the colour map over sqrt(J - min) (a bowl's rings
    evenly), lit from the upper left so the bowl's shape shows even where colours are close."""
    cmap = matplotlib.colormaps[cmap] if isinstance(cmap, str) else cmap
    lo, hi = float(J.min()), float(J.max())
    height = (J - lo) / (hi - lo) if hi > lo else np.zeros_like(J)
    colours = cmap(PowerNorm(0.5, vmin=0.0, vmax=1.0)(height))
    step = 1.0 / (J.shape[0] - 1)
    light = LightSource(azdeg=315, altdeg=45)
    colours[..., :3] = light.shade_rgb(colours[..., :3], height, blend_mode="soft", vert_exag=0.5, dx=step, dy=step)
    return colours


def smooth_coarser(history, grid, ranges):
    """A COARSE_MESH grid over the same ranges if it follows ``grid`` within SMOOTH of J's
    range everywhere (bilinear between its points), else ``grid`` itself."""
    coarse = cost_grid(history, axes=list(grid.axes), resolution=COARSE_MESH, ranges=ranges)
    if not (np.isfinite(grid.J).all() and np.isfinite(coarse.J).all()):
        return grid
    along_a = np.array([np.interp(grid.a[0], coarse.a[0], row) for row in coarse.J])
    between = np.array([np.interp(grid.b[:, 0], coarse.b[:, 0], column) for column in along_a.T]).T
    span = float(grid.J.max() - grid.J.min())
    return coarse if np.abs(between - grid.J).max() <= SMOOTH * span else grid
