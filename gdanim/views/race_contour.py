"""contour (race): every run's path and current point on one filled contour of J.

Static: the filled contours (levels by quantile, or sqrt-spaced for quadratics, so
Rosenbrock's valley shows), the known minima, optionally the normalised
negative-gradient field (``field``), the scoreboard's labels.
Per frame: each run's path (all but the last ``trail`` steps faded, if given), its
current point (an X once it has diverged), optionally the negative gradient there
and, for momentum-type optimisers, the direction the velocity carries it
(``arrows``), and each run's step and J.
"""
from __future__ import annotations

from .base import layer
from .race_base import RaceView
from .race_panels import Landscape, RunPaths, check_trail



class RaceContourView(RaceView):
    name = "contour"

    def __init__(self, race, records, style, *, axes=None, trail=None, field: bool = False, arrows: bool = False):
        super().__init__(race, records, style)
        self.axes_option, self.trail = axes, check_trail(trail)
        self.show_field, self.arrows = bool(field), bool(arrows)
        self.pair_and_ranges(axes)  # an impossible pair of axes fails here, before any drawing

    def draw_static(self, fig):
        self.setup_figure(fig)
        notes = ["arrows: solid -\u2207J, dashed velocity"] if self.arrows else []
        ax = fig.add_subplot(self.layout(fig, notes))
        self.landscape = Landscape(self, ax, self.axes_option)
        self.landscape.draw()
        if self.show_field:
            self.landscape.field()
        self.runs = [RunPaths(self, ax, self.landscape, r, self.trail, self.arrows) for r in range(len(self.race))]

    def make_dynamic(self):
        artists = [artist for run in self.runs for artist in run.make_dynamic()]
        return layer(artists + self.scoreboard.make_dynamic())

    def update(self, i):
        k = self.record(i)
        for run in self.runs:
            run.update(k)
        self.update_scoreboard(k)
