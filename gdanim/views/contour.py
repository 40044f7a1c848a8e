"""contour: filled contours of J over two parameters, with the descent on top.

Static: the contours.
Per frame: the path so far, the negative-gradient arrow (``overlays``: its length
follows the gradient), the current point, then the known minima and the "optimum"
label above them, so the current point never hides the star; the status line.
A diverged run also gets an inset with its whole path.

Levels: the grid's minimum, then geometrically spaced in J - Jmin, the first ring
enclosing FIRST_RING of the grid, each band its own colour. The valley around the
optimum shows for quadratics (the linear model) and for narrow valleys alike, where
evenly spaced levels leave one flat band.
"""
from __future__ import annotations

import numpy as np
from matplotlib.colors import BoundaryNorm
from matplotlib.patches import FancyArrowPatch

from ..surface import choose_axes, cost_grid, descent_ranges
from .base import View, halo, layer, require_objective, short_label
from .overlays import DivergenceInset, arrow_extent, arrow_tips, label_at, place_label
from .panels import decimated

FIRST_RING = 0.01  # fraction of the grid inside the lowest level above the minimum
ARROW_HEAD_POINTS = 18  # the arrow head's mutation scale at the reference canvas
DOT_POINTS = 10  # the current point's diameter at the reference canvas; arrows start at its edge


def valley_levels(J: np.ndarray, count: int = 24) -> np.ndarray:
    """``count`` increasing levels: min(J), then min(J) + geomspace(first, max - min), where
    first is the FIRST_RING quantile of J - min(J)."""
    finite = J[np.isfinite(J)]
    lo, hi = float(finite.min()), float(finite.max())
    rise = hi - lo
    if not rise > 0:
        return np.array([lo, lo + max(abs(lo), 1.0)])
    first = float(np.quantile(finite - lo, FIRST_RING))
    if not 0 < first < rise:  # a flat floor: start far below the top instead
        first = rise * 1e-6
    return lo + np.concatenate([[0.0], np.geomspace(first, rise, count - 1)])


class ContourView(View):
    name = "contour"
    reference_inches = (7.2, 5.4)

    def __init__(self, history, records, style, *, axes=None, explain: bool = False):
        require_objective(history, self.name)
        self.pair = choose_axes(history.names, axes)  # before the status line is measured
        super().__init__(history, records, style, explain=explain)
        self.place = None

    def draw_static(self, fig):
        self.setup_figure(fig)
        st, h = self.style, self.history
        i, j = self.pair
        ax = fig.add_subplot()
        ranges = descent_ranges(h, self.pair, self.last_record)
        g = cost_grid(h, axes=[h.names[i], h.names[j]], resolution=160, ranges=ranges)
        levels = valley_levels(g.J)
        cmap = st.contour_cmap
        norm = BoundaryNorm(levels, ncolors=256)  # every band its own step of the colour map
        ax.contourf(g.a, g.b, g.J, levels=levels, cmap=cmap, norm=norm, alpha=0.85, zorder=0)
        ax.contour(g.a, g.b, g.J, levels=levels[::3], colors=st.foreground, linewidths=0.5 * self.scale, alpha=0.35, zorder=1)
        ax.set_xlim(*ranges[0]); ax.set_ylim(*ranges[1])
        ax.set_xlabel(h.names[i], fontsize=self.fontsize("label"))
        ax.set_ylabel(h.names[j], fontsize=self.fontsize("label"))
        ax.tick_params(labelsize=self.fontsize("text") * 0.85)
        title = ("Descent over J" if h.data is not None else short_label(h.label)) + g.held_text()
        ax.set_title(title, fontsize=self.fontsize("title"))
        ax.grid(False)
        self.ax, self.ranges, self.fig = ax, ranges, fig
        self.path_index = decimated(self.last_record)
        self.tips = arrow_tips(h, self.records, self.pair, [r[1] - r[0] for r in ranges])
        self.inset = None
        if h.diverged_at is not None:
            self.inset = DivergenceInset(self, ax, self.pair, ranges)
            self.inset.draw_static()

    def key_colors(self):
        """The path (the style's choice: white over viridis), the arrow, the current point
        and the optimum, with their edges."""
        st = self.style
        return super().key_colors() + [st.contour_path, st.arrow, st.current, "black", st.optimum, "white"]

    def make_dynamic(self):
        st, ax = self.style, self.ax
        (self.path,) = ax.plot([], [], color=st.contour_path, lw=1.8 * self.scale)
        self.arrow = FancyArrowPatch((0, 0), (0, 0), arrowstyle="-|>", mutation_scale=ARROW_HEAD_POINTS * self.scale,
                                     color=st.arrow, lw=2.2 * self.scale, path_effects=halo(st, 4 * self.scale),
                                     shrinkA=DOT_POINTS / 2 * self.scale, shrinkB=0)
        ax.add_patch(self.arrow)
        (self.dot,) = ax.plot([], [], marker="o", ms=DOT_POINTS * self.scale, color=st.current, mec="black", mew=0.8,
                              ls="none")
        self.marks = self._marks()
        moving = [self.path, self.arrow, self.dot] + self.marks
        if self.inset is not None:
            moving += self.inset.make_dynamic()
        return layer(moving + self.make_status(self.fig))

    def _marks(self) -> list:
        """The known minima (stars) and the optimum's label, placed clear of every arrow."""
        st, h, (a, b) = self.style, self.history, self.pair
        minima, opt = h.objective.minima, h.optimum
        marks = []
        if len(minima):
            marks += self.ax.plot(minima[:, a], minima[:, b], marker="*", ms=16 * self.scale, color=st.optimum,
                                  mec=st.background, mew=0.8 * self.scale, ls="none")
        if opt is not None:
            point = (opt[a], opt[b])
            if self.place is None:
                head = ARROW_HEAD_POINTS * self.scale
                avoid = [arrow_extent(self.ax, h.params[k, [a, b]], tip, head) for k, tip in zip(self.records, self.tips)]
                path = h.params[self.path_index][:, [a, b]]
                self.place = place_label(self.ax, self._label, point, avoid, path[np.isfinite(path).all(axis=1)])
            marks.append(self._label(point, self.place))
        return marks

    def _label(self, point, place):
        return label_at(self.ax, "optimum", point, place, self.style, self.fontsize("text"), halo(self.style, 3 * self.scale))

    def update(self, i):
        k = self.record(i)
        h, (a, b) = self.history, self.pair
        cut = np.searchsorted(self.path_index, k, side="left")
        idx = np.append(self.path_index[:cut], k)
        self.path.set_data(h.params[idx, a], h.params[idx, b])
        here = h.params[k]
        self.dot.set_data([here[a]], [here[b]])
        start, tip = here[[a, b]], self.tips[i]
        self.arrow.set_positions(tuple(start), tuple(tip))
        # what shows beyond the dot; a short arrow gets a smaller head ("-|>" heads are 0.4 mutation scales long)
        shown = np.hypot(*np.diff(self.ax.transData.transform([start, tip]), axis=0)[0]) * 72 / self.fig.dpi
        shown -= DOT_POINTS / 2 * self.scale
        self.arrow.set_visible(bool(shown > 1))
        self.arrow.set_mutation_scale(max(min(ARROW_HEAD_POINTS * self.scale, shown / 0.8), 1e-3))
        if self.inset is not None:
            self.inset.update(k)
        self.update_status(k)
