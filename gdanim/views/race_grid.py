"""grid (race): small multiples, one contour panel per run, same axes, same clock.

The learning-rate slide: too small, about right, too large, diverging, side by side.
Static: every panel's filled contours and minima, the run's label as its title.
Per frame: each run's path and current point, its step and J above its panel, and
"diverged at step k" across the panel of a run that has diverged.
"""
from __future__ import annotations

from matplotlib.transforms import offset_copy

from .base import layer
from .race_base import TOP_MARGIN, RaceView, grid_shape
from .race_panels import Landscape, RunPaths, check_trail
from .status import ADVANCE_EM, GlyphCachedLine


class RaceGridView(RaceView):
    name = "grid"

    def __init__(self, race, records, style, *, axes=None, trail=None, arrows: bool = False):
        super().__init__(race, records, style)
        self.axes_option, self.trail, self.arrows = axes, check_trail(trail), bool(arrows)
        self.pair_and_ranges(axes)

    def draw_static(self, fig):
        self.setup_figure(fig, top=TOP_MARGIN)
        w, h = fig.get_size_inches()
        rows, columns = grid_shape(len(self.race), w, h)
        grid = fig.add_gridspec(rows, columns)
        self.fontsize_stats = min(
            self.fontsize("text"), 0.9 * (w / columns) * 72 / (ADVANCE_EM * (max(self.stats_width) + 2))
        )
        self.panels, self.runs = [], []
        for run, label in enumerate(self.race.labels):
            row, column = divmod(run, columns)
            ax = fig.add_subplot(grid[row, column])
            landscape = Landscape(self, ax, self.axes_option, resolution=120)
            landscape.draw(title=False, labels=False)
            if row == rows - 1 or run + columns >= len(self.race):
                ax.set_xlabel(self.race.names[landscape.pair[0]], fontsize=self.fontsize("label") * 0.9)
            if column == 0:
                ax.set_ylabel(self.race.names[landscape.pair[1]], fontsize=self.fontsize("label") * 0.9)
            # the title sits a line higher, leaving room for the stats line beneath it
            ax.set_title(label, fontsize=self.fontsize("label"), color=self.colors[run], weight="bold",
                         pad=1.9 * self.fontsize_stats)
            self.panels.append(ax)
            self.runs.append(RunPaths(self, ax, landscape, run, self.trail, self.arrows))

    def make_dynamic(self):
        artists, self.stats, self.verdicts = [], [], []
        for run, ax in enumerate(self.panels):
            artists += self.runs[run].make_dynamic()
            place = offset_copy(ax.transAxes, ax.figure, y=0.8 * self.fontsize_stats, units="points")
            stats = GlyphCachedLine(ax.figure, 0.5, 1.0, "0" * self.stats_width[run], self.fontsize_stats,
                               self.style.foreground, transform=place)
            ax.add_artist(stats)
            self.stats.append(stats)
            verdict = ax.text(0.5, 0.5, "", transform=ax.transAxes, ha="center", va="center",
                              fontsize=self.fontsize("label"), color=self.style.warning, weight="bold",
                              bbox=dict(boxstyle="round,pad=0.4", facecolor=self.style.background,
                                        edgecolor=self.style.warning, alpha=0.9))
            self.verdicts.append(verdict)
        return layer(artists + self.stats + self.verdicts)

    def update(self, i):
        k = self.record(i)
        for run, paths in enumerate(self.runs):
            paths.update(k)
            self.stats[run].set_text(self.stats_text(run, k))
            diverged = self.ended(run, k) == "diverged"
            self.verdicts[run].set_text(self.race.status(run, k) if diverged else "")
