"""residuals: the fitted line with a dashed residual to each point, above J against each parameter.

The simple-regression article's second animation.
Static: data points; the whole recorded J-against-parameter curves.
Per frame: line, residual segments, a marker on each curve, the status line.
"""
from __future__ import annotations

from .base import View, layer, require_objective
from .panels import FitPanel, decimated, padded


class ResidualsView(View):
    name = "residuals"

    def __init__(self, history, records, style, explain: bool = False):
        require_objective(history, self.name, predictions=True)
        super().__init__(history, records, style, explain=explain)

    def draw_static(self, fig):
        self.setup_figure(fig)
        h, st = self.history, self.style
        p = len(h.names)
        grid = fig.add_gridspec(2, p, height_ratios=(1.25, 1))
        self.fit = FitPanel(self, fig.add_subplot(grid[0, :]), residuals=True)
        self.fit.draw_static()
        idx = decimated(self.last_record)
        J = h.J_at(idx)
        self.curves = []
        first = None
        for j, name in enumerate(h.names):
            ax = fig.add_subplot(grid[1, j], sharey=first)
            first = first or ax
            values = h.params[idx, j]
            color = st.traces[j % len(st.traces)]
            ax.plot(values, J, color=color, ls="--", lw=1.4 * self.scale)
            ax.set_xlim(*padded(float(values.min()), float(values.max())))
            ax.set_xlabel(name, fontsize=self.fontsize("title") * 0.9)
            ax.tick_params(labelsize=self.fontsize("text") * 0.8)
            if j == 0:
                ax.set_ylabel("J (cost)", fontsize=self.fontsize("label"))
                if J.min() > 0 and J.max() / J.min() > 1e3:
                    ax.set_yscale("log")
                    ax.set_ylim(J.min() / 2, J.max() * 2)
                else:
                    ax.set_ylim(*padded(float(J.min()), float(J.max())))
            else:
                ax.tick_params(labelleft=False)
            self.curves.append(ax)
        self.fig = fig

    def key_colors(self):
        """The curves take the trace colours; the markers on them, the current point's."""
        return super().key_colors() + self.fit_key_colors() + self.trace_key_colors() + [self.style.current]

    def make_dynamic(self):
        st = self.style
        self.markers = [
            ax.plot([], [], marker="x", ms=13 * self.scale, mew=2.5 * self.scale, color=st.current, ls="none")[0]
            for ax in self.curves
        ]
        return layer(self.fit.make_dynamic() + self.markers + self.make_status(self.fig))

    def update(self, i):
        k = self.record(i)
        h = self.history
        self.fit.update(k)
        for j, marker in enumerate(self.markers):
            marker.set_data([h.params[k, j]], [h.J[k]])
        self.update_status(k)
