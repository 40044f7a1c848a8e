"""surface (race): every run's path and current point over the 3D surface of J.

Where J spans many decades over the window (Rosenbrock), the height is
log10(J - J_low + floor) so the valley floor, where the runs are, is not flattened
to nothing; otherwise it is J itself.
Static: the surface, the scoreboard's labels.
Per frame: each run's path and current point on the surface, each run's step and J.
"""
from __future__ import annotations

import numpy as np

from ..surface import cost_grid
from .base import layer, short_label
from .race_base import RaceView
from .panels import inside_box, race_levels

SPREAD = 1e3  # J spanning more than this many times its floor gets a log height


class Height:
    """J -> the height drawn: J, or log10(J - low + floor)."""

    def __init__(self, J_grid: np.ndarray, quadratic: bool):
        levels = race_levels(J_grid, quadratic)
        self.low = float(levels[0])
        self.floor = float(levels[1] - levels[0])
        self.log = not quadratic and (float(levels[-1]) - self.low) / self.floor > SPREAD
        self.label = "log\u2081\u2080(J \u2212 J\u2098\u1d62\u2099)" if self.log else "J"

    def __call__(self, J):
        J = np.asarray(J, float)
        return np.log10(np.maximum(J - self.low, 0.0) + self.floor) if self.log else J


class RaceSurfaceView(RaceView):
    name = "surface"

    def __init__(self, race, records, style, *, axes=None, elev: float = 35.0, azim: float = -110.0):
        super().__init__(race, records, style)
        self.axes_option, self.elev, self.azim = axes, float(elev), float(azim)
        self.pair, self.ranges = self.pair_and_ranges(axes)

    def draw_static(self, fig):
        self.setup_figure(fig)
        race = self.race
        i, j = self.pair
        ax = fig.add_subplot(self.layout(fig), projection="3d", computed_zorder=False)
        g = cost_grid(race.histories[0], axes=[race.names[i], race.names[j]], resolution=60, ranges=self.ranges)
        self.height = Height(g.J, race.objective.quadratic)
        z = self.height(g.J)
        ax.plot_surface(g.a, g.b, z, rstride=1, cstride=1, cmap="Greys", alpha=0.55, linewidth=0, antialiased=True,
                        zorder=1)
        self.zlim = (float(z.min()), float(z.max()))
        ax.set_xlim(*self.ranges[0])
        ax.set_ylim(*self.ranges[1])
        ax.set_zlim(*self.zlim)
        for set_label, text in ((ax.set_xlabel, race.names[i]), (ax.set_ylabel, race.names[j]),
                                (ax.set_zlabel, self.height.label)):
            set_label(text, fontsize=self.fontsize("label"))
        ax.tick_params(labelsize=self.fontsize("text") * 0.7)
        title = short_label(race.objective.label) if race.data is None else f"J on {race.data.name}"
        ax.set_title(title, fontsize=self.fontsize("title"))
        ax.view_init(elev=self.elev, azim=self.azim)
        ax.set_box_aspect(None, zoom=1.05)
        self.ax3d = ax

    def _inside(self, a, b, z):
        return inside_box(self.ranges, self.zlim, a, b, z)

    def make_dynamic(self):
        ax, st = self.ax3d, self.style
        self.paths, self.dots = [], []
        for color in self.colors:
            (path,) = ax.plot([], [], [], color=color, lw=2.2 * self.scale)
            (dot,) = ax.plot([], [], [], marker="o", ms=9 * self.scale, color=color, mec=st.foreground, mew=0.8,
                             ls="none")
            self.paths.append(path)
            self.dots.append(dot)
        return layer(self.paths + self.dots + self.scoreboard.make_dynamic())

    def update(self, i):
        k = self.record(i)
        a, b = self.pair
        for run, (path, dot) in enumerate(zip(self.paths, self.dots)):
            h = self.race.histories[run]
            idx = self.shown_indices(run, k)
            path.set_data_3d(*self._inside(h.params[idx, a], h.params[idx, b], self.height(h.J[idx])))
            here = idx[-1:]
            dot.set_data_3d(*self._inside(h.params[here, a], h.params[here, b], self.height(h.J[here])))
            dot.set_marker("X" if self.ended(run, k) == "diverged" else "o")
        self.update_scoreboard(k)
