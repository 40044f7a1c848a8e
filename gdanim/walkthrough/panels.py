"""The walkthrough's side panels: the data table, the training log and the chart.

Table: one row per example (a window of MAX_ROWS around the batch for longer data),
the current batch's rows highlighted, rows already used this epoch ticked.
Log: epoch, batch and loss of the latest steps, newest last.
Chart: the batch loss by step and every parameter by record, up to the frame.
"""
from __future__ import annotations

import numpy as np
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from matplotlib.ticker import FuncFormatter, MaxNLocator, NullFormatter

from ..views.panels import decimated, padded
from ..views.text import MONO, TextLayer, text_width
from .numbers import fixed, significant

MAX_ROWS = 8
LOG_LINES = 8
HIGHLIGHT = "#ffe9a8"
INK = "#1e1e1e"
TICK = "#1b5e20"
ACCENT = "#d62728"


class TablePanel:
    def __init__(self, view, ax, box, data, x_symbols: list[str]):
        self.view, self.ax, self.data = view, ax, data
        self.slots = min(data.n, MAX_ROWS)
        self.scrolls = data.n > MAX_ROWS
        x0, y0, x1, y1 = box
        weights = np.array([0.8] + [1.0] * data.k + [1.0, 0.5])
        edges = x0 + (x1 - x0) * np.concatenate([[0.0], np.cumsum(weights) / weights.sum()])
        self.centres = (edges[:-1] + edges[1:]) / 2
        self.headers = ["#", *x_symbols, "y", "✓"]
        self.row_h = (y1 - y0) / (self.slots + 1)
        self.box = box
        fig = ax.figure
        size = min(view.fontsize("text"), 0.62 * self.row_h * fig.bbox.height * 72 / fig.dpi)
        column_px = np.diff(edges) * fig.bbox.width
        sample = range(min(data.n, 2000))  # the widest cell, from the rows most runs show
        widest = [max(text_width(cells[j], size, fig.dpi) for cells in map(self._texts, sample)) for j in range(data.k + 2)]
        self.size = size * min(1.0, float(np.min(0.9 * column_px[: data.k + 2] / np.maximum(widest, 1.0))))

    def _texts(self, row: int) -> list[str]:
        digits = 4 if self.data.k < 3 else 3  # narrower columns
        cells = [*self.data.X[row], self.data.y[row]]
        return [str(row + 1), *(significant(v, digits=digits) for v in cells)]

    def _y(self, slot: int) -> float:
        return self.box[3] - (slot + 1.5) * self.row_h

    def _cells(self, layer: TextLayer, rows, slots, lit=()) -> None:
        for slot in slots:
            ink = INK if slot in lit else self.view.style.foreground  # dark on the light band, in any style
            for x, text in zip(self.centres, self._texts(int(rows[slot]))):
                layer.add(x, self._y(slot), text, self.size, ink, ha="center", va="center")

    def _window(self, current: np.ndarray) -> np.ndarray:
        """The rows on show: all; or around a contiguous batch; or a scattered batch's rows
        (as many as fit) and then the lowest other rows, in order."""
        n, slots = self.data.n, self.slots
        if not self.scrolls or not len(current):
            return np.arange(slots)
        lo = int(current.min())
        if int(current.max()) - lo < slots:
            first = int(np.clip(lo - 2, 0, n - slots))
            return np.arange(first, first + slots)
        batch = np.sort(current)[:slots]
        others = np.setdiff1d(np.arange(min(n, 2 * slots + batch[-1] + 1)), batch)[: slots - len(batch)]
        return np.sort(np.concatenate([batch, others]))

    def draw_static(self) -> None:
        x0, _, x1, y1 = self.box
        fg = self.view.style.foreground
        static = TextLayer(self.ax.figure)
        for x, text in zip(self.centres, self.headers):
            static.add(x, y1 - 0.5 * self.row_h, text, self.size, fg, bold=True, ha="center", va="center")
        self.ax.plot([x0 + 0.002, x1 - 0.002], [y1 - self.row_h] * 2, color=fg, lw=0.8, alpha=0.6, solid_capstyle="butt")
        if not self.scrolls:
            self._cells(static, np.arange(self.slots), range(self.slots))
        self.ax.add_artist(static)

    def make_dynamic(self) -> list:
        x0, _, x1, _ = self.box
        self.bands = []
        for slot in range(self.slots):
            band = Rectangle((x0, self._y(slot) - self.row_h / 2), x1 - x0, self.row_h, facecolor=HIGHLIGHT,
                             edgecolor="none", visible=False)
            self.ax.add_patch(band)
            self.bands.append(band)
        self.texts = TextLayer(self.ax.figure)
        self.ax.add_artist(self.texts)
        return [*self.bands, self.texts]

    def update(self, current: np.ndarray, done: np.ndarray) -> None:
        shown = self._window(current)
        lit = np.isin(shown, current)
        for band, on in zip(self.bands, lit):
            band.set_visible(bool(on))
        self.texts.clear()
        # a band hides the static cells of its row: those are drawn again, on top
        lit_slots = set(np.flatnonzero(lit).tolist())
        self._cells(self.texts, shown, range(self.slots) if self.scrolls else sorted(lit_slots), lit_slots)
        for slot, ticked in enumerate(np.isin(shown, done)):
            if ticked:
                self.texts.add(self.centres[-1], self._y(slot), "✓", self.size, TICK, bold=True, ha="center", va="center")


class LogPanel:
    def __init__(self, view, ax, box, entries: dict[int, str]):
        """entries: each step's log line, for every step a frame shows."""
        self.view, self.ax, self.box, self.entries = view, ax, box, entries
        fig = ax.figure
        self.header = f"{'epoch':>5}  {'batch':>5}  {'loss':>10}"
        width_px = (box[2] - box[0]) * fig.bbox.width
        widest = max([text_width(t, 10.0, fig.dpi, MONO) for t in [self.header, *entries.values()]])
        line_px = (box[3] - box[1]) * fig.bbox.height / (LOG_LINES + 1)
        self.size = min(view.fontsize("text"), 10.0 * 0.95 * width_px / widest, 0.62 * line_px * 72 / fig.dpi)
        self.line = (box[3] - box[1]) / (LOG_LINES + 1)

    def draw_static(self) -> None:
        static = TextLayer(self.ax.figure)
        static.add(self.box[0], self.box[3] - 0.5 * self.line, self.header, self.size, self.view.style.foreground,
                   family=MONO, bold=True, va="center")
        self.ax.add_artist(static)

    def make_dynamic(self) -> list:
        self.texts = TextLayer(self.ax.figure)
        self.ax.add_artist(self.texts)
        return [self.texts]

    def update(self, count: int) -> None:
        self.texts.clear()
        first = max(0, count - LOG_LINES)
        for i, step in enumerate(range(first, count)):
            color = ACCENT if step == count - 1 else self.view.style.foreground
            self.texts.add(self.box[0], self.box[3] - (i + 1.5) * self.line, self.entries[step], self.size, color,
                           family=MONO, va="center")


_PLAIN = FuncFormatter(lambda value, _: f"{value:g}".replace("-", "−"))  # no mathtext (slow to start)


def log_entry(epoch: int, batch: int, loss: float) -> str:
    return f"{epoch:>5}  {batch:>5}  {fixed(loss):>10}"


class ChartPanel:
    """Batch loss by step (left) and the parameters by record (right)."""

    def __init__(self, view, fig, box, last_record: int, symbols: list[str]):
        self.view, self.fig, self.box, self.symbols = view, fig, box, symbols
        self.last = max(last_record, 1)
        self.indices = decimated(self.last)

    def draw_static(self) -> None:
        v, h, st = self.view, self.view.history, self.view.style
        x0, y0, x1, y1 = self.box
        gap, legend = 0.06, 0.05  # the legend gets a column right of the axes: the lines never cover it
        width = (x1 - x0 - gap - legend) / 2
        self.loss_ax = self.fig.add_axes([x0, y0, width, y1 - y0])
        self.param_ax = self.fig.add_axes([x0 + width + gap, y0, width, y1 - y0])
        loss = h.batch_J[: self.last]
        if loss.size and loss.min() > 0 and loss.max() / loss.min() > 1e3:
            self.loss_ax.set_yscale("log")
            self.loss_ax.set_ylim(loss.min() / 2, loss.max() * 2)
            self.loss_ax.yaxis.set_major_formatter(_PLAIN)
            self.loss_ax.yaxis.set_minor_formatter(NullFormatter())
        elif loss.size:
            self.loss_ax.set_ylim(*padded(float(loss.min()), float(loss.max())))
        params = h.params[: self.last + 1]
        span = float(np.abs(params).max())
        if span > 1e3 * max(float(np.abs(params[0]).max()), 1.0):  # a diverging run: keep the start visible
            self.param_ax.set_yscale("symlog", linthresh=1.0)
            decades = int(np.ceil(np.log10(span)))
            step = max(1, decades // 3)
            powers = 10.0 ** np.arange(step, decades + 1, step)
            self.param_ax.set_yticks(np.concatenate([-powers[::-1], [0.0], powers]))
            self.param_ax.yaxis.set_major_formatter(_PLAIN)
            self.param_ax.set_ylim(-2 * span, 2 * span)
        else:
            self.param_ax.set_ylim(*padded(float(params.min()), float(params.max())))
        self.colors = [st.traces[j % len(st.traces)] for j in range(len(h.names))]
        for ax, title in ((self.loss_ax, "loss (batch) by step"), (self.param_ax, "parameters by step")):
            ax.set_xlim(-0.02 * self.last, 1.03 * self.last)  # room for the current dot at either end
            ax.set_title(title, fontsize=v.fontsize("text"), loc="left")
            ax.tick_params(labelsize=v.fontsize("text") * 0.78)
            ax.xaxis.set_major_locator(MaxNLocator(5, integer=True))  # a small chart: few ticks, quick to draw
        handles = [Line2D([], [], color=c, lw=1.6 * v.scale) for c in self.colors]
        self.param_ax.legend(handles, self.symbols, fontsize=v.fontsize("text") * 0.78, loc="upper left",
                             bbox_to_anchor=(1.01, 1.0), frameon=False, handlelength=1.0, borderaxespad=0.0)

    def make_dynamic(self) -> list:
        v, st = self.view, self.view.style
        (self.loss_line,) = self.loss_ax.plot([], [], color=st.cost, lw=1.4 * v.scale)
        (self.loss_dot,) = self.loss_ax.plot([], [], "o", color=ACCENT, ms=4.5 * v.scale)
        self.param_lines = [self.param_ax.plot([], [], color=c, lw=1.6 * v.scale)[0] for c in self.colors]
        (self.param_dots,) = self.param_ax.plot([], [], "o", color=ACCENT, ms=3.5 * v.scale)
        return [self.loss_line, self.loss_dot, *self.param_lines, self.param_dots]

    def update(self, record: int, logged: int) -> None:
        h = self.view.history
        steps = self.indices[1 : np.searchsorted(self.indices, logged, side="left")]  # step s made record s
        steps = np.append(steps, logged) if logged else steps
        self.loss_line.set_data(steps, h.batch_J[steps - 1])
        self.loss_dot.set_data(steps[-1:], h.batch_J[steps[-1:] - 1])
        cut = np.searchsorted(self.indices, record, side="left")
        xs = np.append(self.indices[:cut], record)
        for j, line in enumerate(self.param_lines):
            line.set_data(xs, h.params[xs, j])
        self.param_dots.set_data(np.full(len(h.names), record), h.params[record])
