"""network: the diagram of a unit or network, its weights and activations changing.

Nodes are coloured by their activation for one record (``record=i``) or by the mean
over the data; edges are drawn with width proportional to |w|, orange where w > 0 and
dark blue where w < 0 (which differ in grey too). When there are few, the values are
printed: activations in the nodes, weights on the edges; with very few (the 2-1-1
worked example) also each unit's net input h, its error term delta (for one record)
and each weight's step Delta w from this record to the next. Beside it, J against epoch.

Static: layout, node labels, the loss axes. Per frame: edge widths and colours, node
colours, the printed values, the loss curve, the status line.
"""
from __future__ import annotations

import numpy as np
from matplotlib import colormaps
from matplotlib.collections import LineCollection
from matplotlib.colors import Normalize, to_rgba

from ..errors import ConfigError
from ..validate import ParamError
from .base import View, layer
from .panels import MAX_POINTS, display_subsample
from .curves import CurvePanel, curve_records, loss_title, wrapped_title
from .glyphs import GlyphText

POSITIVE, NEGATIVE = "#e07b39", "#2c4f8f"
FEW_EDGES = 16  # weights printed up to this many edges
FEW_NODES = 6  # h, delta and Delta w printed up to this many nodes


def require_network(history, view: str):
    objective = history.objective
    if not hasattr(objective, "layers"):
        raise ConfigError(f"the {view} view draws units and networks (a sigmoid or mlp:hidden=H model); "
                          f"{history.label!r} is neither (try the landscape or weights view)")
    return objective


class NetworkView(View):
    name = "network"
    status_params = False

    def __init__(self, history, records, style, *, record=None):
        self.objective = require_network(history, self.name)
        data = history.data
        if record is not None:
            if isinstance(record, bool) or not isinstance(record, (int, np.integer)) or not 0 <= record < data.n:
                raise ParamError("record", lambda w: f"{w.given(str(record))} is out of range: the data has {data.n} records "
                                 f"(0..{data.n - 1})")
        self.single = record is not None or data.n == 1
        self.rows = np.array([0 if record is None else int(record)]) if self.single else display_subsample(data.n, MAX_POINTS)
        self.chosen = record
        self.curve_at = curve_records(int(np.max(records)), np.asarray(records))
        super().__init__(history, records, style)
        layers = self.objective.layers(history.params[0])
        self.sizes = [layers[0].W.shape[0]] + [lay.W.shape[1] for lay in layers]
        weight_index = np.concatenate([lay.W_index.ravel() for lay in layers])
        self.widest = max(float(np.abs(history.params[: self.last_record + 1, weight_index]).max()), 1e-12)
        self.n_edges = len(weight_index)
        self.has_bias = layers[0].b is not None

    def key_colors(self):
        """The edges' two signs, the loss curve, and the node values' two text colours."""
        return super().key_colors() + [POSITIVE, NEGATIVE, self.style.cost, "black", "white"]

    def draw_static(self, fig):
        self.setup_figure(fig)
        grid = fig.add_gridspec(1, 2, width_ratios=(2.1, 1))
        ax = fig.add_subplot(grid[0, 0])
        h = self.history
        self.loss = CurvePanel(self, fig.add_subplot(grid[0, 1]), self.curve_at, h.J_at(self.curve_at), loss_title(h),
                               self.style.cost)
        self.loss.draw_static()
        ax.set_axis_off()
        ax.set_xlim(-0.45, len(self.sizes) - 0.55)
        ax.set_ylim(-1.2, 1.2)
        self.positions = [self._column(j, size) for j, size in enumerate(self.sizes)]
        which = f"record {self.chosen}" if self.chosen is not None else (
            "its one record" if self.single else f"mean over {len(self.rows):,} records")
        wrapped_title(ax, f"{h.label}\nactivations: {which}", self.fontsize("label"))
        self.ax, self.fig = ax, fig
        self.detailed = sum(self.sizes) <= FEW_NODES and self._details_fit()
        self._labels(ax)

    def _column(self, j: int, size: int) -> np.ndarray:
        """(size, 2) node centres of layer j, spread over the height, first at the top."""
        spread = 0.0 if size == 1 else min(1.0, 0.4 * (size - 1))
        return np.column_stack([np.full(size, float(j)), np.linspace(spread, -spread, size)])

    def _labels(self, ax):
        names = [list(self.history.data.feature_names)] + [[f"a{i}" for i in range(s)] for s in self.sizes[1:-1]] + [["ŷ"]]
        fontsize = self.fontsize("text") * (0.9 if max(self.sizes) <= 8 else 0.6)
        for layer_names, centres, size in zip(names, self.positions, self.sizes):
            if size > 4:  # a tall column: name its ends only
                layer_names = [layer_names[0]] + [""] * (size - 2) + [layer_names[-1]]
            for name, (x, y) in zip(layer_names, centres):
                ax.annotate(name, (x, y), xytext=(0, self._radius() + 3), textcoords="offset points", ha="center",
                            va="bottom", fontsize=fontsize, color=self.style.foreground)

    def _radius(self) -> float:
        """Node radius in points: 24 at most, and a third of the gap between nodes in the tallest layer."""
        tallest = max(self.sizes)
        if tallest == 1:
            return 24 * self.scale
        height = 0.8 * self.fig.get_figheight() * 72  # the diagram's axes, roughly, in points
        gap = height * (2 * min(1.0, 0.4 * (tallest - 1)) / (tallest - 1)) / 2.4
        return float(min(24 * self.scale, gap / 3))

    def _details_fit(self) -> bool:
        """Whether the lines under a unit clear the unit below it and that unit's name."""
        column = max(self.sizes[1:])
        if column == 1:
            return True
        height = 0.8 * self.fig.get_figheight() * 72
        gap = height * (2 * min(1.0, 0.4 * (column - 1)) / (column - 1)) / 2.4
        lines = 1 + self.has_bias + self.single
        needed = 2 * self._radius() + 8 + lines * 1.2 * 0.8 * self.fontsize("text") + 1.2 * self.fontsize("text")
        return gap >= needed

    def make_dynamic(self):
        ax, s, st = self.ax, self.scale, self.style
        segments = [[p, q] for a, b in zip(self.positions, self.positions[1:]) for p in a for q in b]
        self.edges = LineCollection(segments, capstyle="round")
        ax.add_collection(self.edges, autolim=False)
        nodes = np.concatenate(self.positions)
        self.nodes = ax.scatter(nodes[:, 0], nodes[:, 1], s=(2 * self._radius()) ** 2, edgecolors=st.foreground,
                                linewidths=1.0 * s, zorder=2)
        self.cmap = colormaps["cividis"]
        size = self.fontsize("text") * (0.85 if self.detailed else 0.7)
        self.node_text = [GlyphText(ax, xy, size, st.foreground) for xy in nodes] if max(self.sizes) <= 8 else []
        self.edge_text = []
        if self.n_edges <= FEW_EDGES:
            box = to_rgba(st.background, 0.85)
            self.edge_text = [GlyphText(ax, 0.62 * np.asarray(p) + 0.38 * np.asarray(q), size, st.foreground,
                                        background=box) for p, q in segments]
        below = (0, -self._radius() - 4)
        self.details = [GlyphText(ax, xy, self.fontsize("text") * 0.8, st.foreground, offset=below, va="top")
                        for xy in nodes[self.sizes[0]:]] if self.detailed else []
        artists = [self.edges, self.nodes, *self.node_text, *self.edge_text, *self.details]
        for text in artists[2:]:
            ax.add_artist(text)
        return layer(artists + self.loss.make_dynamic() + self.make_status(self.fig))

    def update(self, i):
        k = self.record(i)
        h, s = self.history, self.scale
        theta = h.params[k]
        layers = self.objective.layers(theta)
        weights = np.concatenate([lay.W.ravel() for lay in layers])
        self.edges.set_linewidths(0.6 * s + 7.0 * s * np.abs(weights) / self.widest)
        self.edges.set_colors(np.where(weights >= 0, POSITIVE, NEGATIVE))
        X, y = h.data.X[self.rows], h.data.y[self.rows]
        signals = self.objective.signals(theta, X, y)
        values = np.concatenate([a.mean(axis=0) for a in signals.activations])
        self.nodes.set_facecolors(self.cmap(self._levels(values)))
        for text, value, level in zip(self.node_text, values, self._levels(values)):
            text.set_text(f"{value:.3f}" if abs(value) < 10 else f"{value:.3g}")
            text.set_color("black" if level > 0.55 else "white")
        step = h.params[k + 1] - theta if k < h.steps else None
        flat_index = np.concatenate([lay.W_index.ravel() for lay in layers])
        for text, w, index in zip(self.edge_text, weights, flat_index):
            delta = "" if step is None or not self.detailed else f"\nΔ {step[index]:+.3g}"
            text.set_text(f"{w:.3g}{delta}")
        if self.details:
            self._update_details(layers, signals)
        self.loss.update(k)
        self.update_status(k)

    def _levels(self, values):
        """Colour levels 0..1: the sigmoid's and tanh's ranges fixed, others by what they reach."""
        return Normalize(*self._range(values), clip=True)(values)

    def _range(self, values):
        lo, hi = float(np.min(values)), float(np.max(values))
        return (min(lo, 0.0), max(hi, 1.0)) if lo >= -1 else (lo, hi)

    def _update_details(self, layers, signals):
        """Under each unit: its net input h (mean, or of the record), its bias, its error term delta (one record)."""
        texts = iter(self.details)
        for lay, h, delta in zip(layers, signals.net_inputs[1:], signals.deltas[1:]):
            for j in range(h.shape[1]):
                lines = [f"h = {h[:, j].mean():.3g}"]
                if lay.b is not None:
                    lines.append(f"b = {lay.b[j]:.3g}")
                if self.single:
                    lines.append(f"δ = {delta[0, j]:.3g}")
                next(texts).set_text("\n".join(lines))
