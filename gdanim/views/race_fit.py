"""fit (race): every run's fitted line over the same data (data objectives).

One feature: the points and each run's line. Several: each run's predictions
against the actual targets, with the diagonal a perfect fit would lie on.
Static: the data, the scoreboard's labels.
Per frame: each run's line (or predictions), each run's step and J.
"""
from __future__ import annotations

import numpy as np

from .base import MAX_POINTS, display_subsample, layer, padded
from .race_base import RaceView, require_predictions

MAX_PREDICTED = 200  # points per run when predictions are plotted against targets


class RaceFitView(RaceView):
    name = "fit"

    def __init__(self, race, records, style):
        require_predictions(race, self.name)
        super().__init__(race, records, style)
        data = race.data
        self.shown = display_subsample(data.n, MAX_POINTS)
        self.predicted = self.shown[display_subsample(len(self.shown), MAX_PREDICTED, seed=1)]
        self.line_mode = data.k == 1

    def draw_static(self, fig):
        self.setup_figure(fig)
        st, data = self.style, self.race.data
        ax = fig.add_subplot(self.layout(fig))
        y = data.y[self.shown]
        ylim = padded(float(y.min()), float(y.max()), 0.25)
        if self.line_mode:
            x = data.X[self.shown, 0]
            self.xlim = padded(float(x.min()), float(x.max()), 0.35)
            ax.set_xlabel(data.feature_names[0], fontsize=self.fontsize("label"))
            ax.set_ylabel(data.target_name, fontsize=self.fontsize("label"))
        else:
            x, self.xlim = y, ylim
            ax.plot(ylim, ylim, color=st.foreground, lw=0.8, alpha=0.4)
            ax.set_xlabel(f"actual {data.target_name}", fontsize=self.fontsize("label"))
            ax.set_ylabel(f"predicted {data.target_name}", fontsize=self.fontsize("label"))
        ax.scatter(x, y, color=st.points, marker=st.point_marker, s=40 * self.scale**2, zorder=3)
        ax.set_xlim(*self.xlim)
        ax.set_ylim(*ylim)
        ax.tick_params(labelsize=self.fontsize("text") * 0.85)
        ax.set_title(f"Fits to {data.name}", fontsize=self.fontsize("title"))
        self.ax = ax

    def make_dynamic(self):
        self.fits = []
        for color in self.colors:
            style = dict(lw=2.2 * self.scale) if self.line_mode else dict(ls="none", marker="o", ms=4 * self.scale)
            (fit,) = self.ax.plot([], [], color=color, alpha=0.9, **style)
            self.fits.append(fit)
        return layer(self.fits + self.scoreboard.make_dynamic())

    def update(self, i):
        k = self.record(i)
        data = self.race.data
        for run, fit in enumerate(self.fits):
            h = self.race.histories[run]
            here = self.race.record(run, k)
            if self.line_mode:
                xs = np.array(self.xlim)
                fit.set_data(xs, h.predict(here, xs[:, None]))
            else:
                rows = self.predicted
                fit.set_data(data.y[rows], h.predict(here, data.X[rows]))
        self.update_scoreboard(k)
