"""fit (race): every run's fitted line over the same data (data objectives).

One feature: the points and each run's line. Several: each run's predictions
against the actual targets, with the diagonal a perfect fit would lie on.
Static: the data (drawn as the single-run fit panel draws it), the scoreboard's labels.
Per frame: each run's line (or predictions), each run's step and J.
"""
from __future__ import annotations

import numpy as np

from .base import layer
from .panels import FitPanel, display_subsample
from .race_base import RaceView, require_predictions

MAX_PREDICTED = 200  # points per run when predictions are plotted against targets


class RaceFitView(RaceView):
    name = "fit"

    def __init__(self, race, records, style):
        require_predictions(race, self.name)
        super().__init__(race, records, style)

    def draw_static(self, fig):
        self.setup_figure(fig)
        self.history = self.race.histories[0]  # every run has the same data, which is all the panel reads
        self.panel = FitPanel(self, fig.add_subplot(self.layout(fig)), title=f"Fits to {self.race.data.name}")
        self.panel.draw_static()
        self.predicted = self.panel.shown[display_subsample(len(self.panel.shown), MAX_PREDICTED, seed=1)]

    def make_dynamic(self):
        self.fits = []
        line = self.panel.line_mode
        for color in self.colors:
            style = dict(lw=2.2 * self.scale) if line else dict(ls="none", marker="o", ms=4 * self.scale)
            (fit,) = self.panel.ax.plot([], [], color=color, alpha=0.9, **style)
            self.fits.append(fit)
        return layer(self.fits + self.scoreboard.make_dynamic())

    def update(self, i):
        k = self.record(i)
        data = self.race.data
        for run, fit in enumerate(self.fits):
            h = self.race.histories[run]
            here = self.race.record(run, k)
            if self.panel.line_mode:
                xs = np.array(self.panel.xlim)
                fit.set_data(xs, h.predict(here, xs[:, None]))
            else:
                rows = self.predicted
                fit.set_data(data.y[rows], h.predict(here, data.X[rows]))
        self.update_scoreboard(k)
