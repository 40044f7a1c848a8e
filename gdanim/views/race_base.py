"""What every race view shares: run colours, the shared clock, and the scoreboard.

A race view shows several runs of one objective (``gdanim.race.Race``) on one clock:
frame i shows step k of the clock, record ``min(k, run.steps)`` of every run.

The scoreboard lists every run: a swatch in the run's colour and its label (drawn
once), and beneath it the run's step and J at this frame, in monospace, each run's
line padded to its widest form in the animation so nothing moves sideways. It sits
right of the plot on wide canvases and below it on square or tall ones.
"""
from __future__ import annotations

import math

import numpy as np
from matplotlib.lines import Line2D
from matplotlib.transforms import Affine2D, offset_copy

from ..errors import ConfigError
from ..surface import choose_axes
from ..surface import descent_ranges
from .base import View
from .panels import decimated
from .status import ADVANCE_EM, GlyphCachedLine

# Okabe-Ito colours (told apart with any colour vision), most distinct first; yellow
# and black are left out: they vanish on light and dark backgrounds.
RUN_COLORS = ("#d55e00", "#0072b2", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#8c564b", "#7f7f7f")
ROW_LINES = 3.4  # text lines from one run's row to the next: label, stats, a gap
BOARD_WIDTH = 0.32  # of a wide canvas
TOP_MARGIN = 0.02  # of the height, above everything
PANEL_ASPECT = 1.25  # width / height a small multiple looks best at
WIDE = 1.2  # canvases at least this much wider than tall put the scoreboard on the right


def grid_shape(n: int, width: float, height: float) -> tuple[int, int]:
    """(rows, columns) for n panels whose shape comes closest to PANEL_ASPECT."""

    def misfit(columns):  # an empty cell costs about as much as a panel 1.65x too wide
        rows = math.ceil(n / columns)
        return abs(math.log((width / columns) / (height / rows) / PANEL_ASPECT)) + 0.5 * (rows * columns - n)

    columns = min(range(1, n + 1), key=misfit)
    return math.ceil(n / columns), columns


class RaceView(View):
    """A view of a Race. It shares View's figure set-up and font scaling; it has no
    single History, so it keeps its own per-run state instead of View's."""

    def key_colors(self) -> list:
        """Every run's colour, besides the style's: each run's path and point decode exactly."""
        return super().key_colors() + list(self.colors)

    def __init__(self, race, records, style):
        self.race = race
        self.history = None
        self.records = np.asarray(records)
        self.style = style
        self.scale = 1.0
        self.last_record = int(self.records[-1])
        self.status_y_margin = TOP_MARGIN
        self.stochastic = False  # no single run's batches to ring
        self.title = self.caption = None
        self.transparent = False
        self.colors = [RUN_COLORS[r % len(RUN_COLORS)] for r in range(len(race))]
        # records 0..last shown of each run, thinned for drawing
        self.shown_last = [race.record(r, self.last_record) for r in range(len(race))]
        self.path_index = [decimated(last) for last in self.shown_last]
        texts = [[self.stats_text(r, self.record(i)) for i in range(len(self.records))] for r in range(len(race))]
        self.stats_width = [max(map(len, column)) for column in texts]

    # -- the clock and what each run shows ------------------------------------
    def stats_text(self, run: int, k: int) -> str:
        """'step 120  J 0.0321' (or how the run ended) for run ``run`` at clock step k."""
        h = self.race.histories[run]
        return f"{self.race.status(run, k)}  J {h.J[self.race.record(run, k)]:.4g}"

    def shown_indices(self, run: int, k: int) -> np.ndarray:
        """The records of a run's path up to clock step k, thinned, ending at its current record."""
        here = self.race.record(run, k)
        index = self.path_index[run]
        return np.append(index[: np.searchsorted(index, here, side="left")], here)

    def ended(self, run: int, k: int) -> str | None:
        """'diverged' or 'stopped' once the clock has passed the run's end, else None."""
        h = self.race.histories[run]
        if k < h.steps:
            return None
        return "diverged" if h.diverged_at is not None else "stopped" if h.stopped_at is not None else None

    def pair_and_ranges(self, axes):
        """The two parameters drawn, and axis ranges covering the minima and the paths of every run
        that did not diverge (of every run, as far as each stayed tame, when all did)."""
        names = self.race.names
        pair = choose_axes(names, axes)
        runs = list(zip(self.race.histories, self.shown_last))
        calm = [(h, last) for h, last in runs if h.diverged_at is None]
        spans = [descent_ranges(h, pair, last) for h, last in (calm or runs)]
        ranges = tuple((min(s[p][0] for s in spans), max(s[p][1] for s in spans)) for p in range(2))
        return pair, ranges

    def layout(self, fig, notes=()):
        """The main plot's grid cell, with the scoreboard beside it (wide canvases) or below.

        The scoreboard's axes are placed exactly and kept out of the constrained layout,
        so its fonts can be sized to fit before anything is drawn.
        """
        w, h = fig.get_size_inches()
        top = 1.0 - self.status_y_margin
        if w / h >= WIDE:
            columns, board = 1, (1 - BOARD_WIDTH, 0.0, BOARD_WIDTH, top - 0.02)
            main = (0.0, 0.0, 1 - BOARD_WIDTH, top)
        else:
            columns = 1 if len(self.race) == 1 else 2
            rows = math.ceil(len(self.race) / columns) + len(notes)
            band = (ROW_LINES * rows + 0.5) * self.fontsize("text") / 72 / h  # of the height
            board = (0.02, 0.0, 0.96, band)
            main = (0.0, band, 1.0, top - band)
        fig.set_layout_engine("constrained", rect=main, h_pad=0.02, w_pad=0.02)
        ax = fig.add_axes(board)
        ax.set_in_layout(False)
        self.scoreboard = Scoreboard(self, ax, columns, notes)
        self.scoreboard.draw_static()
        return fig.add_gridspec(1, 1)[0, 0]

    def update_scoreboard(self, k: int) -> None:
        self.scoreboard.update(k)


class Scoreboard:
    """Per run: a swatch and the label (static), and the run's step and J (per frame).

    Cells are laid out in points from their corner, so the spacing does not depend
    on the size the layout gives the scoreboard's axes.
    """

    def __init__(self, view: RaceView, ax, columns: int, notes=()):
        self.view, self.ax, self.columns, self.notes = view, ax, columns, list(notes)
        self.rows = math.ceil(len(view.race) / columns) + len(self.notes)

    def _at(self, run: int, x_points: float, y_lines: float):
        """A transform placing (0, 0) x_points right of and y_lines text lines below a run's cell corner."""
        row, column = divmod(run, self.columns)
        down = (y_lines + ROW_LINES * row) * self.fontsize
        corner = offset_copy(self.ax.transAxes, self.ax.figure, x=x_points, y=-down, units="points")
        return Affine2D().translate(column / self.columns, 1.0) + corner

    def draw_static(self) -> None:
        v, ax, st = self.view, self.ax, self.view.style
        ax.set_axis_off()
        fig = ax.figure
        bbox = ax.get_position()
        cell_points = 0.96 * bbox.width * fig.get_figwidth() * 72 / self.columns
        # in ems: the indent, then a label (proportional, about 0.55 em a letter) or the stats (monospace)
        ems = 2.6 + max(0.55 * max(map(len, v.race.labels)), ADVANCE_EM * max(v.stats_width)) + 0.5
        fits_width = cell_points / ems
        fits_height = 0.95 * bbox.height * fig.get_figheight() * 72 / (ROW_LINES * self.rows)
        self.fontsize = min(v.fontsize("text"), fits_width, fits_height)
        self.indent = 2.6 * self.fontsize
        for run, (label, color) in enumerate(zip(v.race.labels, v.colors)):
            # markers are sized in points: a dash and a dot make the swatch
            swatch = self._at(run, 1.1 * self.fontsize, 1.2)
            ax.add_line(Line2D([0], [0], marker="_", ms=1.8 * self.fontsize, mew=3 * v.scale, color=color,
                               transform=swatch, clip_on=False))
            ax.add_line(Line2D([0], [0], marker="o", ms=0.6 * self.fontsize, color=color, mec=st.foreground, mew=0.6,
                               transform=swatch, clip_on=False))
            ax.text(0, 0, label, va="center", ha="left", fontsize=self.fontsize, color=st.foreground,
                    transform=self._at(run, self.indent, 1.2))
        first_free = self.columns * math.ceil(len(v.race) / self.columns)
        for n, note in enumerate(self.notes):
            ax.text(0, 0, note, va="center", ha="left", fontsize=0.9 * self.fontsize, color=st.foreground, alpha=0.8,
                    transform=self._at(first_free + n * self.columns, 0.2 * self.fontsize, 1.2))

    def make_dynamic(self) -> list:
        v, ax = self.view, self.ax
        self.stats = []
        for run in range(len(v.race)):
            line = GlyphCachedLine(ax.figure, 0, 0, "0" * v.stats_width[run], self.fontsize, v.style.foreground,
                              transform=self._at(run, self.indent, 2.5), align="left")
            ax.add_artist(line)
            self.stats.append(line)
        return list(self.stats)

    def update(self, k: int) -> None:
        v = self.view
        for run, line in enumerate(self.stats):
            line.set_text(v.stats_text(run, k))


def require_predictions(race, view: str) -> None:
    if not race.objective.has_predictions:
        raise ConfigError(f"the {view} view draws fitted lines over data; {race.objective.label!r} has no data "
                          "(try the contour, surface, loss or grid view)")
