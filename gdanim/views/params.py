"""params: the fitted line over the data, beside each parameter and J against epoch.

The simple-regression article's first animation.
Static: data points, axes, the optimum as a dotted line in each trace.
Per frame: the line, the traces up to the current record, the status line.
"""
from __future__ import annotations

from .base import FitPanel, TracePanel, View, layer


class ParamsView(View):
    name = "params"
    explains = True

    def draw_static(self, fig):
        self.setup_figure(fig)
        h = self.history
        rows = len(h.names) + 1
        grid = fig.add_gridspec(rows, 2, width_ratios=(1.15, 1))
        self.fit = FitPanel(self, fig.add_subplot(grid[:, 0]))
        first = fig.add_subplot(grid[0, 1])
        axes = [first] + [fig.add_subplot(grid[r, 1], sharex=first) for r in range(1, rows)]
        self.traces = TracePanel(self, axes)
        self.fit.draw_static()
        self.traces.draw_static()
        self.fig = fig

    def make_dynamic(self):
        return layer(self.fit.make_dynamic() + self.traces.make_dynamic() + self.make_status(self.fig))

    def update(self, i):
        k = self.record(i)
        self.fit.update(k)
        self.traces.update(k)
        self.update_status(k)
