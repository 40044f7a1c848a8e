"""boundary (race): one input-space panel per run, beside the loss (and accuracy) of every run.

Small multiples: each run's panel shows the same data under that run's model output
and its 0.5 contour (one input: its fitted curve), titled with the run's label in the
run's colour and framed in it. One shared panel shows every run's loss against the
clock, in the runs' colours; where the targets are 0 and 1 a second shows accuracy.
Static: the data's axes, titles and frames, the curve axes and the class legend.
Per frame: each run's output image and contour (or curve), its step, J and accuracy
above its panel, "diverged at step k" across a diverged run's panel, and the curves.
"""
from __future__ import annotations

import numpy as np
from matplotlib.transforms import offset_copy

from .base import layer
from .curves import Accuracy, curve_records, dress_curve_axes, is_classification, loss_title, require_inputs
from .panels import MAX_POINTS, display_subsample
from .race_base import TOP_MARGIN, WIDE, RaceView, grid_shape, require_predictions
from .space import InputSpace, class_key_colors, sigmoid_output
from .status import ADVANCE_EM, GlyphCachedLine

LEGEND_EMS = 23  # the class legend's width in one row, in ems of its font
PANELS_SHARE = 0.62  # of a wide canvas's width (of a tall one's height) given to the runs' panels


class RaceBoundaryView(RaceView):
    name = "boundary"

    def __init__(self, race, records, style):
        require_predictions(race, self.name)
        require_inputs(race, self.name, most=2, instead="the loss or fit view")
        self.classes = is_classification(race.data)
        records = np.asarray(records)
        curve_at = curve_records(int(records.max()), records)
        # each run's records along the curves: the clock's, held at the run's last
        self.curve_records = [np.unique(np.minimum(curve_at, h.steps)) for h in race.histories]
        self.accuracy = [Accuracy(h, at) for h, at in zip(race.histories, self.curve_records)] if self.classes else None
        super().__init__(race, records, style)
        self.shown = display_subsample(race.data.n, MAX_POINTS)

    def key_colors(self):
        return super().key_colors() + (class_key_colors() if self.classes else [])

    def stats_text(self, run: int, k: int) -> str:
        text = super().stats_text(run, k)
        if self.accuracy is None:
            return text
        return f"{text}  acc {100 * self.accuracy[run].at(self.race.record(run, k)):.1f}%"

    def draw_static(self, fig):
        self.setup_figure(fig, top=TOP_MARGIN)
        w, h = fig.get_size_inches()
        wide = w / h >= WIDE
        outer = fig.add_gridspec(1, 2, width_ratios=(PANELS_SHARE, 1 - PANELS_SHARE)) if wide else \
            fig.add_gridspec(2, 1, height_ratios=(PANELS_SHARE, 1 - PANELS_SHARE))
        share = (w * PANELS_SHARE, h) if wide else (w, h * PANELS_SHARE)
        rows, columns = grid_shape(len(self.race), *share)
        self.fontsize_stats = min(self.fontsize("text"),
                                  0.9 * (share[0] / columns) * 72 / (ADVANCE_EM * (max(self.stats_width) + 2)))
        self._draw_panels(fig, outer[0].subgridspec(rows, columns), columns)
        curves = outer[1].subgridspec(2 if self.classes else 1, 1) if wide else \
            outer[1].subgridspec(1, 2 if self.classes else 1)
        self._draw_curves(fig, curves, stacked=wide)

    def _draw_panels(self, fig, grid, columns):
        self.spaces, sigmoid = [], sigmoid_output(self.race.objective)
        n = len(self.race)
        for run, label in enumerate(self.race.labels):
            row, column = divmod(run, columns)
            ax = fig.add_subplot(grid[row, column])
            space = InputSpace(self, ax, self.race.data, self.shown, self.classes, sigmoid)
            # the title sits a line higher, leaving room for the stats line beneath it
            space.draw_static(label, title_color=self.colors[run], legend=False, xlabel=run + columns >= n,
                              ylabel=column == 0, title_pad=1.9 * self.fontsize_stats, title_size="label")
            for spine in ax.spines.values():
                spine.set(visible=True, color=self.colors[run], linewidth=2.0 * self.scale)
            self.spaces.append(space)

    def _draw_curves(self, fig, grid, stacked: bool):
        race = self.race
        calm = [r for r, h in enumerate(race.histories) if h.diverged_at is None] or range(len(race))
        loss_ax = fig.add_subplot(grid[0])
        series = [(at, h.J_at(at)) for at, h in zip(self.curve_records, race.histories)]
        self.curves = [RunCurves(self, loss_ax, series, calm, loss_title(race.histories[0]))]
        if self.classes:
            acc_ax = fig.add_subplot(grid[1], sharex=loss_ax)
            series = [(at, acc.values) for at, acc in zip(self.curve_records, self.accuracy)]
            self.curves.append(RunCurves(self, acc_ax, series, calm, self.accuracy[0].title(), percent=True))
        for n, curves in enumerate(self.curves):  # stacked curves share the lower one's axis label
            curves.draw_static(xlabel=not stacked or n == len(self.curves) - 1)
        if self.classes:  # the class legend above the loss, under its title; in two rows if one is too wide
            w = fig.get_figwidth() * 72 * (1 - PANELS_SHARE if stacked else 0.5)
            rows = 1 if w * 0.9 > LEGEND_EMS * 0.85 * self.fontsize("text") else 2
            legend = self.spaces[0].legend(loss_ax, ncol=3 if rows == 1 else 2, loc="lower center",
                                           bbox_to_anchor=(0.5, 1.0))
            legend.set_in_layout(False)  # the title's pad holds it
            pad = (22 if rows == 1 else 36) * self.scale
            loss_ax.set_title(loss_ax.get_title(), fontsize=self.fontsize("label"), pad=pad)

    def make_dynamic(self):
        artists, self.stats, self.verdicts = [], [], []
        st = self.style
        for run, space in enumerate(self.spaces):
            artists += space.make_dynamic(self.colors[run])
            ax = space.ax
            place = offset_copy(ax.transAxes, ax.figure, y=0.8 * self.fontsize_stats, units="points")
            stats = GlyphCachedLine(ax.figure, 0.5, 1.0, "0" * self.stats_width[run], self.fontsize_stats,
                                    st.foreground, transform=place)
            ax.add_artist(stats)
            self.stats.append(stats)
            self.verdicts.append(ax.text(0.5, 0.5, "", transform=ax.transAxes, ha="center", va="center",
                                         fontsize=self.fontsize("label"), color=st.warning, weight="bold",
                                         bbox=dict(boxstyle="round,pad=0.4", facecolor=st.background,
                                                   edgecolor=st.warning, alpha=0.9)))
        for curves in self.curves:
            artists += curves.make_dynamic()
        return layer(artists + self.stats + self.verdicts)

    def update(self, i):
        k = self.record(i)
        for run, space in enumerate(self.spaces):
            h, here = self.race.histories[run], self.race.record(run, k)
            space.update(lambda X: h.predict(here, X))
            self.stats[run].set_text(self.stats_text(run, k))
            self.verdicts[run].set_text(self.race.status(run, k) if self.ended(run, k) == "diverged" else "")
        for curves in self.curves:
            curves.update(k)


class RunCurves:
    """Every run's series against the clock in one axes: its line so far and a dot at its current record.

    series: per run, (records, values), records sorted and ending at the run's last;
    calm: the runs whose values set the limits (those that did not diverge).
    """

    def __init__(self, view: RaceView, ax, series, calm, title: str, percent: bool = False):
        self.view, self.ax, self.series, self.calm, self.title, self.percent = view, ax, series, calm, title, percent

    def draw_static(self, xlabel: bool = True) -> None:
        v = self.view
        shown = np.concatenate([self.series[r][1] for r in self.calm])
        dress_curve_axes(v, self.ax, shown, self.title, self.percent, "steps" if xlabel else None)

    def make_dynamic(self) -> list:
        s, self.lines, self.dots = self.view.scale, [], []
        for color in self.view.colors:
            (line,) = self.ax.plot([], [], color=color, lw=1.8 * s)
            (dot,) = self.ax.plot([], [], marker="o", ms=6 * s, color=color, ls="none", clip_on=False)
            self.lines.append(line)
            self.dots.append(dot)
        return self.lines + self.dots

    def update(self, k: int) -> None:
        for run, ((records, values), line, dot) in enumerate(zip(self.series, self.lines, self.dots)):
            here = self.view.race.record(run, k)
            cut = np.searchsorted(records, here, side="right")
            line.set_data(records[:cut], values[:cut])
            dot.set_data([here], [values[cut - 1]])
            dot.set_marker("X" if self.view.ended(run, k) == "diverged" else "o")
