"""plane: two features in 3D with the regression plane, beside traces of w1, w2, b and J.

The multiple-regression follow-up.
Static: the data points in 3D, the trace axes.
Per frame: the plane, the traces, the status line.
"""
from __future__ import annotations

import numpy as np
from mpl_toolkits.mplot3d.art3d import Poly3DCollection

from ..errors import ConfigError
from ..validate import finite
from .base import View, layer, require_objective
from .panels import MAX_POINTS, TracePanel, display_subsample, padded, point_marks


class PlaneView(View):
    name = "plane"

    def __init__(self, history, records, style, *, elev: float = 22.0, azim: float = -60.0):
        require_objective(history, self.name, predictions=True)
        if history.data.k != 2:
            raise ConfigError(f"the plane view needs exactly two features; this data has {history.data.k}")
        super().__init__(history, records, style)
        self.elev, self.azim = finite("elev", elev, unit="degrees"), finite("azim", azim, unit="degrees")

    def draw_static(self, fig):
        self.setup_figure(fig, labels_3d=True)
        st, h = self.style, self.history
        d = h.data
        rows = len(h.names) + 1
        grid = fig.add_gridspec(rows, 2, width_ratios=(1.3, 1))
        ax = fig.add_subplot(grid[:, 0], projection="3d", computed_zorder=False)
        shown = display_subsample(d.n, MAX_POINTS)
        x1, x2, y = d.X[shown, 0], d.X[shown, 1], d.y[shown]
        size, alpha = point_marks(len(shown))
        ax.scatter(x1, x2, y, color=st.points, marker=st.point_marker, s=30 * size * self.scale**2, alpha=alpha,
                   depthshade=False, zorder=1)
        self.x1lim, self.x2lim = padded(x1.min(), x1.max(), 0.1), padded(x2.min(), x2.max(), 0.1)
        self.ylim = padded(y.min(), y.max(), 0.3)
        ax.set_xlim(*self.x1lim); ax.set_ylim(*self.x2lim); ax.set_zlim(*self.ylim)
        ax.set_xlabel(d.feature_names[0], fontsize=self.fontsize("label"))
        ax.set_ylabel(d.feature_names[1], fontsize=self.fontsize("label"))
        ax.set_zlabel(d.target_name, fontsize=self.fontsize("label"))
        ax.tick_params(labelsize=self.fontsize("text") * 0.75)
        ax.set_title("Regression plane", fontsize=self.fontsize("title"))
        ax.view_init(elev=self.elev, azim=self.azim)
        self.finish_3d(ax)
        ax.set_box_aspect(None, zoom=1.1)  # matplotlib's 3D default leaves a wide empty margin
        if len(shown) < d.n:
            ax.text2D(0.02, 0.02, f"showing {len(shown):,} of {d.n:,} points", transform=ax.transAxes,
                      fontsize=self.fontsize("text") * 0.8)
        first = fig.add_subplot(grid[0, 1])
        axes = [first] + [fig.add_subplot(grid[r, 1], sharex=first) for r in range(1, rows)]
        self.traces = TracePanel(self, axes)
        self.traces.draw_static()
        self.ax3d, self.fig = ax, fig

    def key_colors(self):
        """The points and the traces; the plane is translucent."""
        return super().key_colors() + [self.style.points] + self.trace_key_colors() + [self.style.cost]

    def make_dynamic(self):
        st = self.style
        self.plane = Poly3DCollection([np.zeros((4, 3))], facecolors=st.line, edgecolors=st.line, alpha=0.35, linewidths=1.0)
        self.ax3d.add_collection3d(self.plane)
        return layer([self.plane] + self.traces.make_dynamic() + self.make_status(self.fig))

    def update(self, i):
        k = self.record(i)
        corners = np.array([(a, c) for a, c in ((self.x1lim[0], self.x2lim[0]), (self.x1lim[1], self.x2lim[0]),
                                                 (self.x1lim[1], self.x2lim[1]), (self.x1lim[0], self.x2lim[1]))])
        z = np.clip(self.history.predict(k, corners), *self.ylim)
        self.plane.set_verts([np.column_stack([corners, z])])
        self.plane.do_3d_projection()  # blitting draws it without the 3D axes' own pass
        self.traces.update(k)
        self.update_status(k)
