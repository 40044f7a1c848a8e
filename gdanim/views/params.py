"""params: the fitted line over the data, beside each parameter and J against epoch.

The simple-regression article's first animation. Objectives without predictions
(test functions, expressions, recorded traces) get the traces alone.
Static: data points, axes, the optimum (where known) as a dotted line in each trace.
Per frame: the line, the traces up to the current record, the status line.
"""
from __future__ import annotations

from ..errors import ConfigError
from .base import View, layer
from .panels import FitPanel, TracePanel

MAX_PANELS = 12  # parameters, one panel each; beyond this the weights view draws them


class ParamsView(View):
    name = "params"

    def __init__(self, history, records, style, explain: bool = False):
        if len(history.names) > MAX_PANELS:
            raise ConfigError(f"the params view draws one panel per parameter; this model has {len(history.names)} "
                              "(try the weights or landscape view)")
        super().__init__(history, records, style, explain=explain)

    def draw_static(self, fig):
        self.setup_figure(fig)
        h = self.history
        rows = len(h.names) + 1
        self.fit = None
        if h.has_predictions:
            grid = fig.add_gridspec(rows, 2, width_ratios=(1.15, 1))
            self.fit = FitPanel(self, fig.add_subplot(grid[:, 0]))
            column = 1
        else:
            grid, column = fig.add_gridspec(rows, 1), 0
        first = fig.add_subplot(grid[0, column])
        axes = [first] + [fig.add_subplot(grid[r, column], sharex=first) for r in range(1, rows)]
        self.traces = TracePanel(self, axes)
        if self.fit is not None:
            self.fit.draw_static()
        self.traces.draw_static()
        self.fig = fig

    def key_colors(self):
        return super().key_colors() + self.fit_key_colors() + self.trace_key_colors() + [self.style.cost]

    def make_dynamic(self):
        fit = [] if self.fit is None else self.fit.make_dynamic()
        return layer(fit + self.traces.make_dynamic() + self.make_status(self.fig))

    def update(self, i):
        k = self.record(i)
        if self.fit is not None:
            self.fit.update(k)
        self.traces.update(k)
        self.update_status(k)
