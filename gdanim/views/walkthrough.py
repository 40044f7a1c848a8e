"""walkthrough: each SGD step as the tutorial teaches it, phase by phase.

Panels: the computation graph (left), the data table and the training log (top
right), a chart of the loss and the parameters (right), the equation strip with
the phase's arithmetic (bottom), and a title naming the step and phase.
Static: boxes, edges, captions, table header (and cells, when all rows fit), axes.
Per frame: node values, outlines, backward arrows and labels, highlights and ticks,
log lines, chart lines, the strip and the title, all text as cached bitmaps.

Which frames exist and their numbers: ``gdanim.walkthrough.Walkthrough``. Every
string is made once, up front (``script``), so fonts are fitted to the widest
string of the whole animation and nothing moves from frame to frame.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from matplotlib.colors import to_rgb
from matplotlib.patches import Rectangle

from ..walkthrough.graph_panel import ACTIVE, ROLE_COLORS, GraphPanel
from ..walkthrough.numbers import fixed
from ..walkthrough.panels import HIGHLIGHT, LOG_LINES, ChartPanel, LogPanel, TablePanel, log_entry
from ..walkthrough.plan import PHASES, Frame, Walkthrough
from ..walkthrough.strip import EquationStrip
from .base import View, layer
from .text import TextLayer, text_width

# (x0, y0, x1, y1) in figure fractions: the graph, the table, the log, the chart and the strip
LAYOUT = ((0.01, 0.29, 0.47, 0.875), (0.5, 0.585, 0.775, 0.875), (0.8, 0.585, 0.99, 0.875),
          (0.56, 0.33, 0.985, 0.5), (0.02, 0.02, 0.98, 0.245))
CAPTION_Y, TITLE_Y = 0.905, 0.962
CHIPS = ("feed", "ŷ", "L", "∂", "update")
PHASE_TITLES = {"feed": "feed the batch", "yhat": "forward: compute ŷ", "L": "compute the loss",
                "derivatives": "backward: partial derivatives", "update": "update the parameters"}


def _squeezed(box, top: float, bottom: float):
    """A layout box moved into the room between a top band and a bottom band."""
    x0, y0, x1, y1 = box
    room = 1.0 - top - bottom
    return x0, bottom + y0 * room, x1, bottom + y1 * room


def _mix(background, foreground, share: float):
    """A colour ``share`` of the way from background to foreground: a panel in any style."""
    back, fore = np.array(to_rgb(background)), np.array(to_rgb(foreground))
    return tuple(back + share * (fore - back))


@dataclass
class Content:
    """What one frame shows, as text ready to draw."""

    record: int
    title: str
    phase: int | None
    values: dict[str, str]
    active: set[str]
    labels: dict[tuple[str, str], str]
    strip: list  # versions of the equation strip's rows, each [([equation text, ...], colour), ...]
    current: np.ndarray
    done: np.ndarray
    logged: int
    kind: str  # frames of one kind share the strip's layout
    deltas: dict = field(default_factory=dict)  # the backward pass's δ beside a node (layered models)


class WalkthroughView(View):
    name = "walkthrough"
    reference_inches = (12.8, 7.2)

    def __init__(self, history, records, style, *, detail=None):
        self.plan = Walkthrough(history, records, detail)
        super().__init__(history, self.plan.records, style)
        self.known = {role: PHASES.index(phase) for role, phase in
                      (("input", "feed"), ("target", "feed"), ("model", "yhat"), ("loss", "L"))}
        self.script = [self._content(frame, i == len(self.plan.frames) - 1) for i, frame in enumerate(self.plan.frames)]
        shown = {s for c in self.script for s in range(max(0, c.logged - LOG_LINES), c.logged)}  # what the log shows
        self.log_entries = {s: log_entry(*self.plan.epoch_batch(s), float(history.batch_J[s])) for s in sorted(shown)}

    # -- what each frame says ---------------------------------------------------
    def _content(self, frame: Frame, last: bool) -> Content:
        h, plan = self.history, self.plan
        params = {name: fixed(v) for name, v in zip(h.names, h.params[frame.record])}
        if frame.step is None:
            start = ", ".join(f"{s} = {params[n]}" for s, n in zip(plan.symbols, h.names))
            c = h.config
            about = f"{c.get('optimizer')}, η = {c.get('lr'):g}, batch size {c.get('batch_size')}, {c.get('order')} order"
            title = f"Start · {h.steps} steps of {h.config.get('steps_per_epoch', 1)} batches an epoch"
            empty = np.empty(0, dtype=np.int64)
            rows = [([f"start: {start}"], self.style.foreground), ([about], self.style.foreground)]
            return self._diverged(Content(frame.record, title, None, params, set(), {}, [rows], empty, empty, 0, "start"), last)
        values = plan.values(frame.step)
        phase = 4 if frame.phase is None else PHASES.index(frame.phase)
        shown = dict(params)
        one_row = len(values.rows) == 1
        for node in plan.graph.nodes:
            if node.role in self.known and phase >= self.known[node.role]:
                kind = "d" if one_row and node.role in ("input", "target") else "v"
                shown[node.name] = fixed(values.nodes[node.name], kind)
        labels, deltas = {}, {}
        if frame.phase in ("derivatives", "update"):
            for edge in plan.graph.edges:
                if edge.param and frame.phase == "update":  # a weight on an edge: its change, Δw
                    j = h.names.index(edge.param)
                    change = h.params[frame.step + 1, j] - h.params[frame.step, j]
                    labels[edge.key] = f"Δ{plan.symbols[j]} = {fixed(change)}"
                elif edge.partial:
                    value = values.partials[edge.key]
                    labels[edge.key] = f"{edge.partial} = {fixed(value, 'd' if float(value).is_integer() else 'v')}"
            deltas = {name: f"δ = {fixed(value)}" for name, value in values.deltas.items()}
        roles = {"feed": ("input", "target"), "yhat": ("model",), "L": ("loss",), "update": ("param",)}.get(frame.phase, ())
        active = {n.name for n in plan.graph.nodes if n.role in roles}
        epoch, batch = plan.epoch_batch(frame.step)
        title = f"Step {frame.step + 1} of {h.steps} · epoch {epoch} · batch {batch} of {plan.per_epoch}"
        if frame.phase is not None:
            title += f" · {PHASE_TITLES[frame.phase]}"
        rows = [[(texts, self.style.foreground) for texts in version] for version in self._strip(frame, values, shown)]
        content = Content(frame.record, title, None if frame.phase is None else phase, shown, active, labels, rows,
                          values.rows, plan.done_rows(frame), plan.logged_steps(frame), frame.phase or "update", deltas)
        return self._diverged(content, last)

    def _strip(self, frame: Frame, values, shown: dict[str, str]) -> list[list[list[str]]]:
        """Versions of the strip's rows, each row a list of equations: the update also comes
        as a header with the optimiser's definitions and rows of numbers only."""
        if frame.phase == "feed":
            rows = values.rows + 1
            which = f"row {rows[0]}" if len(rows) == 1 else f"rows {', '.join(map(str, rows[:8]))}{' …' * (len(rows) > 8)}"
            fed = [n for n in self.plan.graph.nodes if n.role in ("input", "target")]
            mean = "" if len(rows) == 1 else " (batch means)"
            return [[[f"feed {which}{mean}: " + ", ".join(f"{n.symbol} = {shown[n.name]}" for n in fed)]]]
        equations = {"yhat": values.forward, "L": values.loss_equations, "derivatives": values.backward}.get(frame.phase)
        if equations is not None:
            return [[[eq.text(fixed)] for eq in equations]]
        updates = self.plan.updates(frame.step)
        header = [f"{eq.lhs} = {eq.definition}" for eq in self.plan.replay.equations(self.history, frame.step, 0, "θ")]
        short = [header] + [[eq.text(fixed, define=False) for eq in row] for row in updates]
        return [[[eq.text(fixed) for eq in row] for row in updates], short]

    def _diverged(self, content: Content, last: bool) -> Content:
        if last and self.history.diverged_at is not None:
            lr = self.history.config.get("lr")
            warning = f"training diverged at step {self.history.diverged_at}: learning rate {lr:g} is too large"
            for version in content.strip:
                version.append(([warning], self.style.warning))
        return content

    # -- drawing ------------------------------------------------------------------
    def draw_static(self, fig):
        # the layout below is for the whole frame: squeezed between a --title and a --caption
        top, bottom = self.frame_bands(fig)
        GRAPH, TABLE, LOG, CHART, STRIP = (_squeezed(box, top, bottom) for box in LAYOUT)
        self.title_y, caption_y = (bottom + y * (1.0 - top - bottom) for y in (TITLE_Y, CAPTION_Y))
        self.fig = fig
        ax = self.ax = fig.add_axes([0, 0, 1, 1])
        ax.set_axis_off()
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1)
        fg, size = self.style.foreground, self.fontsize("text")
        panel = _mix(self.style.background, fg, 0.06)
        ax.add_patch(Rectangle(STRIP[:2], STRIP[2] - STRIP[0], STRIP[3] - STRIP[1], facecolor=panel, edgecolor="none"))
        captions = TextLayer(fig)
        for (x, *_), text in ((GRAPH, "Computation graph"), (TABLE, "Data"), (LOG, "Training log")):
            captions.add(x + 0.005, caption_y, text, self.fontsize("label"), fg, bold=True, va="center")
        ax.add_artist(captions)
        self._chips(captions)
        labels = [t for c in self.script for t in (*c.labels.values(), *c.deltas.values())]
        self.graph = GraphPanel(self, ax, GRAPH, self.plan.graph, [t for c in self.script for t in c.values.values()], labels)
        x_symbols = [n.symbol for n in self.plan.graph.nodes if n.role == "input"]
        self.table = TablePanel(self, ax, TABLE, self.history.data, x_symbols)
        self.log = LogPanel(self, ax, LOG, self.log_entries)
        self.chart = ChartPanel(self, fig, CHART, int(self.records.max()), self.plan.symbols)
        box = (STRIP[0] + 0.01, STRIP[1] + 0.005, STRIP[2] - 0.01, STRIP[3] - 0.01)
        # fonts no larger than three rows allow
        frames = [(c.kind, [version + [([""], fg)] * (3 - len(version)) for version in c.strip]) for c in self.script]
        self.strip = EquationStrip(fig, box, frames, 1.35 * size)
        for part in (self.graph, self.table, self.log, self.chart):
            part.draw_static()

    def _chips(self, layer: TextLayer) -> None:
        """The five phases at the top right; the current one is drawn over them per frame."""
        size, dpi, width = self.fontsize("text"), self.fig.dpi, self.fig.bbox.width
        self.chip_size = size
        x, self.chip_x = 0.985, []
        for chip in reversed(CHIPS):
            w = text_width(chip, size, dpi) / width
            self.chip_x.insert(0, x - w / 2)
            x -= w + 1.6 * size * dpi / 72 / width
        for cx, chip in zip(self.chip_x, CHIPS):
            layer.add(cx, self.title_y, chip, size, "#9aa0a6", ha="center", va="center")

    def key_colors(self) -> list:
        """The nodes' fills, the backward pass's red, the table's highlight, the chart's lines."""
        fills = [fill for fill, _ in ROLE_COLORS.values()]
        return [*super().key_colors(), *fills, ACTIVE, HIGHLIGHT, self.style.cost, *self.trace_key_colors()]

    def make_dynamic(self):
        self.heading = TextLayer(self.fig)
        self.ax.add_artist(self.heading)
        parts = self.graph.make_dynamic() + self.table.make_dynamic() + self.log.make_dynamic()
        strip = self.strip.make_dynamic()
        self.ax.add_artist(strip)
        return layer([self.heading, *parts, strip] + self.chart.make_dynamic())

    def update(self, i):
        c = self.script[i]
        self.heading.clear()
        self.heading.add(0.015, self.title_y, c.title, self.fontsize("title"), self.style.foreground, bold=True, va="center")
        if c.phase is not None:
            self.heading.add(self.chip_x[c.phase], self.title_y, CHIPS[c.phase], self.chip_size, "white", bold=True,
                           ha="center", va="center", background="#d62728", pad=0.35)
        self.graph.update(c.values, c.active, c.labels, c.deltas)
        self.table.update(c.current, c.done)
        self.log.update(c.logged)
        self.chart.update(c.record, c.logged)
        self.strip.show(c.kind, c.strip)
