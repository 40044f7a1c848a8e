"""surface: the fitted line beside the descent over the 3D cost surface (the surface alone
for objectives without predictions).

The simple-regression article's third animation.
Static: data points; the cost surface J(a, b) over a grid, others held at the optimum.
Per frame: line, the path so far and the current point over the surface, the status
line; with ``orbit`` the camera turns too, so each frame is drawn in full.
"""
from __future__ import annotations

import numpy as np

from ..surface import choose_axes, cost_grid
from .base import FitPanel, View, decimated, layer, require_objective
from .contour import descent_ranges, short_label


class SurfaceView(View):
    name = "surface"

    def __init__(self, history, records, style, *, axes=None, elev: float = 20.0, azim: float = 145.0, orbit: float = 0.0):
        require_objective(history, self.name)
        super().__init__(history, records, style)
        self.pair = choose_axes(history.names, axes)
        self.elev, self.azim, self.orbit = float(elev), float(azim), float(orbit)
        self.moving_camera = self.orbit != 0.0

    def draw_static(self, fig):
        self.setup_figure(fig)
        st, h = self.style, self.history
        self.fit = None
        if h.has_predictions:
            grid = fig.add_gridspec(1, 2, width_ratios=(1, 1.25))
            self.fit = FitPanel(self, fig.add_subplot(grid[0, 0]))
            self.fit.draw_static()
            ax = fig.add_subplot(grid[0, 1], projection="3d", computed_zorder=False)
        else:
            ax = fig.add_subplot(projection="3d", computed_zorder=False)
        i, j = self.pair
        ranges = descent_ranges(h, self.pair, self.last_record)
        g = cost_grid(h, axes=[h.names[i], h.names[j]], resolution=40, ranges=ranges)
        single = st.surface not in ("viridis", "magma", "plasma", "cividis")
        kw = {"color": st.surface} if single else {"cmap": st.surface}
        ax.plot_surface(g.a, g.b, g.J, rstride=1, cstride=1, alpha=st.surface_alpha, linewidth=0, antialiased=True, zorder=1, **kw)
        ax.set_xlim(*ranges[0]); ax.set_ylim(*ranges[1])
        # a coarse grid's lowest point lies above the true minimum, where the path ends
        low = float(g.J.min()) if h.optimum_J is None else min(float(g.J.min()), h.optimum_J)
        self.zlim = (low - 0.02 * (float(g.J.max()) - low), float(g.J.max()))
        ax.set_zlim(*self.zlim)
        ax.set_xlabel(h.names[i], fontsize=self.fontsize("label"))
        ax.set_ylabel(h.names[j], fontsize=self.fontsize("label"))
        ax.set_zlabel("J", fontsize=self.fontsize("label"))
        ax.tick_params(labelsize=self.fontsize("text") * 0.75)
        title = ("Cost surface" if h.data is not None else short_label(h.label)) + (f"  ({', '.join(f'{n} = {v:.3g}' for n, v in g.held.items())})" if g.held else "")
        ax.set_title(title, fontsize=self.fontsize("title"))
        ax.view_init(elev=self.elev, azim=self.azim)
        ax.set_box_aspect(None, zoom=1.1)  # matplotlib's 3D default leaves a wide empty margin
        if st.name == "dark":
            for axis in (ax.xaxis, ax.yaxis, ax.zaxis):
                axis.set_pane_color((0.12, 0.13, 0.16, 1.0))
        self.ax3d, self.ranges = ax, ranges
        self.path_index = decimated(self.last_record)
        self.fig = fig

    def _inside(self, a, b, J):
        """Mask points off the surface's box: 3D lines are not clipped by matplotlib."""
        (a0, a1), (b0, b1) = self.ranges
        off = (a < a0) | (a > a1) | (b < b0) | (b > b1) | (J > self.zlim[1]) | (J < self.zlim[0])
        return [np.where(off, np.nan, v) for v in (a, b, J)]

    def make_dynamic(self):
        st, ax = self.style, self.ax3d
        (self.path,) = ax.plot([], [], [], ls="--", lw=2 * self.scale, color=st.path)
        (self.dot,) = ax.plot([], [], [], marker="o", ms=12 * self.scale, color=st.current, ls="none", mec=st.foreground, mew=0.6)
        fit = [] if self.fit is None else self.fit.make_dynamic()
        return layer(fit + [self.path, self.dot] + self.make_status(self.fig))

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
        self.update_status(k)
