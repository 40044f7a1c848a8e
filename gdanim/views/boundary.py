"""boundary: a classifier's output over its input space, beside its loss and accuracy.

Two inputs: the model's output over the plane as an image, the 0.5 contour (the
decision boundary) and the data, marked by class. One input: the fitted curve over
the points (``space.InputSpace`` draws both). Loss, and accuracy where the targets
are 0 and 1, against epoch.

Static: the data, axes, legend. Per frame: the output image and its 0.5 contour (or
the curve), the two curves up to the current record, the status line.
"""
from __future__ import annotations

import numpy as np

from .base import View, layer
from .panels import MAX_POINTS, display_subsample
from .curves import Accuracy, CurvePanel, curve_records, is_classification, loss_title, require_inputs
from .space import InputSpace, class_key_colors, sigmoid_output


class BoundaryView(View):
    name = "boundary"
    status_params = False

    def __init__(self, history, records, style):
        require_inputs(history, self.name, most=2)
        data = history.data
        self.classes = is_classification(data)
        self.curve_at = curve_records(int(np.max(records)), np.asarray(records))
        self.accuracy = Accuracy(history, self.curve_at) if self.classes else None
        super().__init__(history, records, style)
        self.shown = display_subsample(data.n, MAX_POINTS)

    def key_colors(self):
        st = self.style
        marks = class_key_colors() if self.classes else []
        curves = [st.cost, st.traces[2 % len(st.traces)]] if self.classes else [st.cost]
        return super().key_colors() + marks + curves + ([st.line] if self.history.data.k == 1 else [])

    def status_extra(self, k):
        return [] if self.accuracy is None else [f"accuracy {100 * self.accuracy.at(k):.1f}%"]

    def draw_static(self, fig):
        self.setup_figure(fig)
        grid = fig.add_gridspec(2, 2, width_ratios=(1.2, 1))
        ax = fig.add_subplot(grid[:, 0])
        loss_ax = fig.add_subplot(grid[0, 1] if self.classes else grid[:, 1])
        h, st = self.history, self.style
        self.loss = CurvePanel(self, loss_ax, self.curve_at, h.J_at(self.curve_at), loss_title(h), st.cost)
        self.loss.draw_static(xlabel=not self.classes)
        self.curves = [self.loss]
        if self.classes:
            acc = CurvePanel(self, fig.add_subplot(grid[1, 1], sharex=loss_ax), self.curve_at, self.accuracy.values,
                             self.accuracy.title(), st.traces[2 % len(st.traces)], percent=True)
            acc.draw_static()
            self.curves.append(acc)
        self.ax, self.fig = ax, fig
        self.space = InputSpace(self, ax, h.data, self.shown, self.classes, sigmoid_output(h.objective))
        self.space.draw_static(h.label)

    def make_dynamic(self):
        artists = self.space.make_dynamic(self.style.line)
        for curve in self.curves:
            artists += curve.make_dynamic()
        return layer(artists + self.make_status(self.fig))

    def update(self, i):
        k = self.record(i)
        h = self.history
        self.space.update(lambda X: h.predict(k, X))
        for curve in self.curves:
            curve.update(k)
        self.update_status(k)
