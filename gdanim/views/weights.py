"""weights: every parameter against epoch as a heat map (one row each), J below.

The view that scales to many parameters, where ``params`` (one panel each) cannot.
Colours diverge from white at 0: red above, blue below, saturating at the 99th
percentile of |parameter|, so that one large weight does not wash out the rest.
Rows are named one by one when there are few; a network's rows are grouped by
array (W1, b1, W2, b2) otherwise.

Static: the whole heat map, its colour bar, the row names. Per frame: a curtain in
the background colour hiding the records still to come, a line at the current
record, the loss curve, the status line.
"""
from __future__ import annotations

import numpy as np
from matplotlib.patches import Rectangle

from .base import View, layer
from .panels import set_record_axis
from .curves import CurvePanel, curve_records, loss_title

MAX_COLUMNS = 600  # records drawn as columns: about the panel's width in pixels
NAMED_ROWS = 24  # rows named one by one up to this many parameters


class WeightsView(View):
    name = "weights"
    status_params = False

    def __init__(self, history, records, style):
        self.curve_at = curve_records(int(np.max(records)), np.asarray(records))
        super().__init__(history, records, style)
        last = self.last_record
        self.columns = np.unique(np.linspace(0, last, min(last + 1, MAX_COLUMNS)).round().astype(np.int64))

    def key_colors(self):
        """The loss curve (the heat map is a continuous ramp; the curtain and the now-line are the style's)."""
        return super().key_colors() + [self.style.cost]

    def draw_static(self, fig):
        self.setup_figure(fig)
        h, st = self.history, self.style
        grid = fig.add_gridspec(2, 2, height_ratios=(3.2, 1), width_ratios=(40, 1))
        ax = fig.add_subplot(grid[0, 0])
        loss_ax = fig.add_subplot(grid[1, 0], sharex=ax)
        values = h.params[self.columns].T  # (P, columns)
        finite = np.abs(values[np.isfinite(values)])
        limit = float(np.percentile(finite, 99)) if finite.size else 1.0
        limit = limit if limit > 0 else 1.0
        edges = self._edges()
        rows = np.arange(len(h.names) + 1) - 0.5
        mesh = ax.pcolormesh(edges, rows, values, cmap="RdBu_r", vmin=-limit, vmax=limit, shading="flat",
                             rasterized=True)
        set_record_axis(ax, self.last_record)
        ax.set_xlim(0, max(self.last_record, 1))
        ax.set_ylim(len(h.names) - 0.5, -0.5)  # the first parameter on top
        ax.grid(False)
        self._name_rows(ax)
        ax.tick_params(labelbottom=False, labelsize=self.fontsize("text") * 0.8)
        ax.set_title(f"{h.label}: {len(h.names)} parameters against {self.x_label()}",
                     fontsize=self.fontsize("label"))
        bar = fig.colorbar(mesh, cax=fig.add_subplot(grid[0, 1]))
        bar.ax.tick_params(labelsize=self.fontsize("text") * 0.75)
        self.loss = CurvePanel(self, loss_ax, self.curve_at, h.J_at(self.curve_at), loss_title(h), st.cost)
        self.loss.draw_static()
        self.ax, self.fig = ax, fig

    def _edges(self) -> np.ndarray:
        """Column boundaries: halfway between the records drawn, the ends at the first and last."""
        c = self.columns.astype(float)
        if len(c) == 1:
            return np.array([c[0] - 0.5, c[0] + 0.5])
        return np.concatenate([[c[0]], (c[:-1] + c[1:]) / 2, [c[-1]]])

    def _name_rows(self, ax):
        names = self.history.names
        arrays = getattr(self.history.objective, "arrays", None)
        size = self.fontsize("text") * (0.8 if len(names) <= 12 else 0.65)
        if len(names) <= NAMED_ROWS or not arrays:
            step = max(1, int(np.ceil(len(names) / NAMED_ROWS)))
            ax.set_yticks(np.arange(0, len(names), step), [names[i] for i in range(0, len(names), step)], fontsize=size)
            return
        centres, labels = [], []
        for spec in arrays:
            centres.append(spec.start + (spec.size - 1) / 2)
            labels.append(f"{spec.name} {'x'.join(map(str, spec.shape))}")
            if spec.start > 0:
                ax.axhline(spec.start - 0.5, color=self.style.foreground, lw=0.8 * self.scale)
        ax.set_yticks(centres, labels, fontsize=size)

    def make_dynamic(self):
        st, s = self.style, self.scale
        last = max(self.last_record, 1)
        self.curtain = Rectangle((0, -0.5), last * 1.05, len(self.history.names), facecolor=st.background,
                                 edgecolor="none")
        self.ax.add_patch(self.curtain)
        self.now = self.ax.axvline(0, color=st.foreground, lw=1.2 * s)
        return layer([self.curtain, self.now] + self.loss.make_dynamic() + self.make_status(self.fig))

    def update(self, i):
        k = self.record(i)
        self.curtain.set_x(k)
        self.now.set_xdata([k, k])
        self.loss.update(k)
        self.update_status(k)
