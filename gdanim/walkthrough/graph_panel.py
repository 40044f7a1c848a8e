"""The walkthrough's computation graph: coloured boxes in layers, edges between them.

Layer 0 is at the top, so the forward pass reads downwards; in the backward phases
the labelled edges turn red, point upwards and carry their partial derivatives.
Nodes are coloured by role as in the SGD tutorial: orange placeholders (inputs and
targets), dark green parameters, light green the model, yellow the loss.

Placement: the first layer evenly across the panel; a later node under the mean
of the nodes feeding it; a node fed by nothing (a target) beside the others; nodes
pushed apart where they would overlap.
"""
from __future__ import annotations

import numpy as np
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from ..views.text import TextLayer, text_width

ROLE_COLORS = {  # (fill, text)
    "input": ("#f6a04d", "#1e1e1e"),
    "target": ("#f6a04d", "#1e1e1e"),
    "param": ("#1b5e20", "#ffffff"),
    "model": ("#a5d6a7", "#1e1e1e"),
    "loss": ("#ffe066", "#1e1e1e"),
}
ACTIVE = "#d62728"
EDGE = "#8a8f98"


def place(graph, box) -> tuple[dict[str, tuple[float, float]], float, float]:
    """({node: (x, y) centre}, box width, box height), all in figure fractions."""
    x0, y0, x1, y1 = box
    layers = graph.layers()
    width, height = x1 - x0, y1 - y0
    slot = width / max(len(layer) for layer in layers)
    node_w = min(0.86 * slot, 0.22 * width)
    node_h = min(0.42 * height / len(layers), 2.2 * node_w)
    pos = {}
    for i, layer in enumerate(layers):
        y = y1 - (i + 0.5) * height / len(layers)
        if i == 0:
            xs = [x0 + (j + 0.5) * width / len(layer) for j in range(len(layer))]
        else:
            fed = [n for n in layer if any(e.target == n.name and e.source in pos for e in graph.edges)]
            xs_fed = [np.mean([pos[e.source][0] for e in graph.edges if e.target == n.name and e.source in pos]) for n in fed]
            right = max(xs_fed, default=x0 + width / 2)
            step = max(1.6 * node_w, 0.25 * width)
            others = [right + step * (j + 1) for j in range(len(layer) - len(fed))]
            order = fed + [n for n in layer if n not in fed]
            xs = dict(zip((n.name for n in order), _apart(xs_fed + others, 1.2 * node_w)))
            xs = [xs[n.name] for n in layer]
        lo, hi = x0 + node_w / 2, x1 - node_w / 2
        for node, x in zip(layer, xs):
            pos[node.name] = (float(np.clip(x, lo, hi)), y)
    return pos, node_w, node_h


def _two_lines(label: str) -> tuple[str, str]:
    """'∂ŷ/∂w₁ = 4' as '∂ŷ/∂w₁' over '= 4'."""
    partial, _, value = label.partition(" = ")
    return partial, f"= {value}"


def _apart(xs: list[float], gap: float) -> list[float]:
    """xs moved as little as needed (keeping their mean) so neighbours are ``gap`` apart."""
    if len(xs) < 2:
        return list(xs)
    order = np.argsort(xs, kind="stable")
    sorted_xs = np.array(xs, float)[order]
    for i in range(1, len(sorted_xs)):
        sorted_xs[i] = max(sorted_xs[i], sorted_xs[i - 1] + gap)
    sorted_xs += np.mean(xs) - sorted_xs.mean()
    out = np.empty_like(sorted_xs)
    out[order] = sorted_xs
    return out.tolist()


class GraphPanel:
    def __init__(self, view, ax, box, graph, value_texts: list[str], label_texts: list[str]):
        self.view, self.ax, self.graph = view, ax, graph
        self.pos, self.node_w, self.node_h = place(graph, box)
        fig = ax.figure
        w_px, h_px = self.node_w * fig.bbox.width, self.node_h * fig.bbox.height
        size = view.fontsize("text")
        widest = max((text_width(t, size, fig.dpi) for t in value_texts), default=0.0)
        self.value_size = size * min(1.0, 0.9 * w_px / max(widest, 1.0))
        self.symbol_size = min(view.fontsize("title"), 0.36 * h_px * 72 / fig.dpi, 1.5 * self.value_size)
        self.label_size = view.fontsize("text") * 0.92
        self.labelled = [e for e in graph.edges if e.partial]
        self.line_h = 1.3 * self.label_size * fig.dpi / 72 / fig.bbox.height  # one label line, figure fraction
        one_line = max((text_width(t, self.label_size, fig.dpi) for t in label_texts), default=0.0)
        two_lines = max((text_width(part, self.label_size, fig.dpi) for t in label_texts
                         for part in _two_lines(t)), default=0.0)
        # half way along the edges on one line, or on two; else on two just under the sources
        for self.near, lines, widest in ((False, 1, one_line), (False, 2, two_lines), (True, 2, two_lines)):
            self.two_line_labels = lines == 2
            self.label_anchor = {e.key: self._label_anchor(e) for e in self.labelled}
            if widest <= 0.92 * self._label_room() * fig.bbox.width:
                break

    def _ends(self, edge):
        (sx, sy), (tx, ty) = self.pos[edge.source], self.pos[edge.target]
        return (sx, sy - self.node_h / 2), (tx, ty + self.node_h / 2)

    def _along(self, edge, drop: float):
        """The point on the edge ``drop`` (figure fraction) below its source's box, at most half way."""
        (sx, sy), (tx, ty) = self._ends(edge)
        f = min(0.5, drop / max(sy - ty, 1e-9))
        return sx + f * (tx - sx), sy + f * (ty - sy)

    def _label_anchor(self, edge):
        """Where the edge's label sits: half way, or just under its source (where edges
        meeting at one node are furthest apart)."""
        if self._near(edge):
            return self._along(edge, (1 + self.two_line_labels) * self.line_h / 2 + 0.012)
        return self._along(edge, 1.0)

    def _near(self, edge) -> bool:
        """Labels go near the source where other labelled edges meet this one's target."""
        return self.near and sum(e.target == edge.target for e in self.labelled) > 1

    def _arrow_tip(self, edge):
        """The backward arrow points at the source, or at the label just under it."""
        if self._near(edge):
            return self._along(edge, (1 + self.two_line_labels) * self.line_h + 0.016)
        return self._ends(edge)[0]

    def _label_room(self) -> float:
        """The least horizontal distance between labels of edges into one node."""
        room = 1.0
        for target in {e.target for e in self.labelled}:
            xs = sorted(self.label_anchor[e.key][0] for e in self.labelled if e.target == target)
            room = min([room, *np.diff(xs)])
        return float(room)

    def draw_static(self) -> None:
        ax, v = self.ax, self.view
        for edge in self.graph.edges:
            start, end = self._ends(edge)
            ax.add_patch(FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=11 * v.scale, color=EDGE,
                                         lw=1.1 * v.scale, shrinkA=0, shrinkB=1, zorder=1))
        self.symbols = TextLayer(ax.figure)
        for node in self.graph.nodes:
            x, y = self.pos[node.name]
            fill, ink = ROLE_COLORS[node.role]
            ax.add_patch(FancyBboxPatch((x - self.node_w / 2, y - self.node_h / 2), self.node_w, self.node_h,
                                        boxstyle="round,pad=0,rounding_size=0.008", facecolor=fill,
                                        edgecolor="#00000040", lw=0.8, zorder=2))
            self.symbols.add(x, y + self.node_h * 0.2, node.symbol, self.symbol_size, ink, bold=True, ha="center", va="center")
        self.symbols.set_zorder(3)
        ax.add_artist(self.symbols)

    def make_dynamic(self) -> list:
        ax, v = self.ax, self.view
        self.outlines = {}
        for node in self.graph.nodes:
            x, y = self.pos[node.name]
            pad = 0.004
            patch = FancyBboxPatch((x - self.node_w / 2 - pad, y - self.node_h / 2 - pad), self.node_w + 2 * pad,
                                   self.node_h + 2 * pad, boxstyle="round,pad=0,rounding_size=0.01", facecolor="none",
                                   edgecolor=ACTIVE, lw=2.4 * v.scale, visible=False)
            ax.add_patch(patch)
            self.outlines[node.name] = patch
        self.arrows = {}
        for edge in self.labelled:
            end = self._ends(edge)[1]
            arrow = FancyArrowPatch(end, self._arrow_tip(edge), arrowstyle="-|>", mutation_scale=14 * v.scale, color=ACTIVE,
                                    lw=2.0 * v.scale, shrinkA=0, shrinkB=1, visible=False)
            ax.add_patch(arrow)
            self.arrows[edge.key] = arrow
        self.texts = TextLayer(ax.figure)
        ax.add_artist(self.texts)
        return [*self.outlines.values(), *self.arrows.values(), self.texts]

    def update(self, values: dict[str, str], active: set[str], labels: dict[tuple[str, str], str],
               deltas: dict[str, str]) -> None:
        """Show node values (formatted), outline the active nodes, label edges and put δ
        beside nodes (backward)."""
        for name, patch in self.outlines.items():
            patch.set_visible(name in active)
        for key, arrow in self.arrows.items():
            arrow.set_visible(key in labels)
        self.texts.clear()
        for node in self.graph.nodes:
            text = values.get(node.name)
            if text:
                x, y = self.pos[node.name]
                ink = ROLE_COLORS[node.role][1]
                self.texts.add(x, y - self.node_h * 0.22, text, self.value_size, ink, ha="center", va="center")
        back = self.view.style.background
        for name, text in deltas.items():
            x, y = self.pos[name]
            # on the left: targets sit to the right of the nodes they meet
            self.texts.add(x - 0.55 * self.node_w, y, text, self.label_size, ACTIVE, ha="right", va="center", background=back)
        for edge in self.labelled:
            text = labels.get(edge.key)
            if not text:
                continue
            x, y = self.label_anchor[edge.key]
            if self.two_line_labels:
                line = self.line_h / 1.3
                for text_line, shift in zip(_two_lines(text), (0.6, -0.6)):
                    self.texts.add(x, y + shift * line, text_line, self.label_size, ACTIVE, ha="center", va="center",
                                   background=back)
            else:
                self.texts.add(x, y, text, self.label_size, ACTIVE, ha="center", va="center", background=back)
