"""loss (race): J of every run against the shared clock.

Where the objective knows its minimum J*, the curve is J - J* (how far each run has
left to go); the y axis is logarithmic when the curves span more than three decades.
Static: the axes, the scoreboard's labels.
Per frame: each run's curve up to its current record and a dot there (an X once the
run has diverged), and each run's step and J.
"""
from __future__ import annotations

import numpy as np

from .base import layer
from .panels import set_record_axis
from .race_base import RaceView

DECADES = 3  # curves spanning more than this many decades get a log axis


class RaceLossView(RaceView):
    name = "loss"

    def __init__(self, race, records, style):
        super().__init__(race, records, style)
        best = race.objective.optimum_value
        self.offset = 0.0 if best is None else best
        self.gap = best is not None

    def curve(self, run: int) -> np.ndarray:
        """J (or J - J*) of every record of a run, floored for a log axis."""
        values = self.race.histories[run].J - self.offset
        return np.maximum(values, self.floor) if self.log else values

    def draw_static(self, fig):
        self.setup_figure(fig)
        ax = fig.add_subplot(self.layout(fig))
        st = self.style
        calm = [r for r, h in enumerate(self.race.histories) if h.diverged_at is None] or range(len(self.race))
        shown = np.concatenate([self.race.histories[r].J[: self.shown_last[r] + 1] - self.offset for r in calm])
        starts = [h.J[0] - self.offset for h in self.race.histories]
        high = max(float(shown.max()), max(starts))
        positive = shown[shown > 0]
        low = float(positive.min()) if len(positive) else high
        self.log = high > 0 and len(positive) > 0 and high / low > 10**DECADES
        self.floor = max(low / 10, high * 1e-300) if self.log else None
        if self.log:
            ax.set_yscale("log")
            ax.set_ylim(low / 3, high * 3)
        else:
            lo = min(float(shown.min()), 0.0 if self.gap else float(shown.min()))
            pad = 0.06 * (high - lo) if high > lo else 1.0
            ax.set_ylim(lo - pad, high + pad)
        set_record_axis(ax, self.last_record)
        ax.set_xlabel("step", fontsize=self.fontsize("label"))
        quantity = "J \u2212 J*" if self.gap else "J"
        ax.set_ylabel(quantity, fontsize=self.fontsize("label"))
        ax.tick_params(labelsize=self.fontsize("text") * 0.85)
        title = self.race.objective.label if self.race.data is None else self.race.data.name
        ax.set_title(f"{title}: {quantity} by step", fontsize=self.fontsize("title"))
        if st.grid:
            ax.grid(True, which="major", alpha=0.35)
        self.ax = ax
        self.curves = [self.curve(r) for r in range(len(self.race))]

    def make_dynamic(self):
        self.lines, self.dots = [], []
        for color in self.colors:
            (line,) = self.ax.plot([], [], color=color, lw=2.0 * self.scale)
            (dot,) = self.ax.plot([], [], marker="o", ms=8 * self.scale, color=color, mec=self.style.foreground,
                                  mew=0.8, ls="none")
            self.lines.append(line)
            self.dots.append(dot)
        return layer(self.lines + self.dots + self.scoreboard.make_dynamic())

    def update(self, i):
        k = self.record(i)
        for run, (line, dot) in enumerate(zip(self.lines, self.dots)):
            idx = self.shown_indices(run, k)
            values = self.curves[run]
            line.set_data(idx, values[idx])
            dot.set_data([idx[-1]], [values[idx[-1]]])
            dot.set_marker("X" if self.ended(run, k) == "diverged" else "o")
        self.update_scoreboard(k)
