"""Marks drawn over a descent (contour and surface views): the negative-gradient arrow,
a label kept clear of it, and the inset that follows a diverged run.

Arrow rule: from the current point along -grad, drawn in fractions of the box (each
parameter's range), ``ARROW_LONGEST * clip(1 + log10(|G| / |G0|) / ARROW_DECADES, 0, 1)``
of the box long, where G is the gradient in box fractions and G0 the one at the run's
start. The length follows the gradient over three decades, so the arrow still shows
the direction while the point slides along a valley, and a converged run's arrow
shrinks to nothing instead of keeping its length.
"""
from __future__ import annotations

import numpy as np
from matplotlib.patches import Rectangle
from matplotlib.transforms import Bbox

from .base import DYNAMIC_ZORDER
from .panels import decimated

ARROW_LONGEST = 0.12  # of the box
ARROW_DECADES = 3.0  # a gradient this many decades below the start's draws no arrow
ARROW_HEAD = 0.2  # "-|>" heads are this fraction of the mutation scale wide, on each side
LABEL_OFFSET = 8  # points from the marked point
# (x, y) offsets in points and the text alignment for each place a label may go, in order of preference
LABEL_PLACES = ((1, 1, "left", "bottom"), (-1, 1, "right", "bottom"), (1, -1, "left", "top"), (-1, -1, "right", "top"))
INSET_SIZE = 0.36  # of the host axes, each way
INSET_TITLE_ROOM = 0.1  # of the host axes, above an inset at the top, for the inset's title


def arrow_tips(history, records, pair, spans) -> np.ndarray:
    """(len(records), 2) ends of the arrows from each record's point, by the arrow rule."""
    a, b = pair
    spans = np.asarray(spans, float)

    def in_box(k):
        return -history.cost_grad(history.params[k])[[a, b]] / spans

    start = np.hypot(*in_box(0))
    starts = history.params[np.asarray(records)][:, [a, b]]
    tips = starts.copy()
    for row, k in enumerate(records):
        direction = in_box(k)
        norm = np.hypot(*direction)
        if not np.isfinite(norm) or norm == 0:
            continue
        reach = ARROW_LONGEST * arrow_share(norm, start)
        tips[row] = starts[row] + reach * direction / norm * spans
    return tips


def arrow_share(norm: float, start: float) -> float:
    """The arrow's length as a share of ARROW_LONGEST for a gradient of size ``norm``."""
    if not (np.isfinite(start) and start > 0):  # no reference: every gradient gets the full length
        return 1.0
    return float(np.clip(1.0 + np.log10(norm / start) / ARROW_DECADES, 0.0, 1.0))


def arrow_extent(ax, start, tip, head_points: float) -> Bbox:
    """The display box an arrow from start to tip covers, its head included."""
    ends = ax.transData.transform(np.array([start, tip], float))
    pad = ARROW_HEAD * head_points * ax.figure.dpi / 72
    return Bbox([ends.min(axis=0) - pad, ends.max(axis=0) + pad])


def place_label(ax, make_label, point, avoid: list, path: np.ndarray) -> tuple:
    """The LABEL_PLACES entry whose label box overlaps the fewest ``avoid`` boxes (display
    units), then covers the fewest ``path`` vertices (data units); the first on a tie."""
    renderer = ax.figure.canvas.get_renderer()
    shown = ax.transData.transform(path) if len(path) else np.empty((0, 2))
    scores = []
    for place in LABEL_PLACES:
        label = make_label(point, place)
        box = label.get_window_extent(renderer)
        label.remove()
        covered = box.count_contains(shown) if len(shown) else 0
        scores.append((sum(box.overlaps(other) for other in avoid), covered))
    return LABEL_PLACES[scores.index(min(scores))]


def label_at(ax, text, point, place, style, fontsize, effects):
    """An annotation of ``point`` placed as one LABEL_PLACES entry says."""
    dx, dy, ha, va = place
    return ax.annotate(text, point, textcoords="offset points", xytext=(dx * LABEL_OFFSET, dy * LABEL_OFFSET),
                       ha=ha, va=va, fontsize=fontsize, color=style.optimum, path_effects=effects)


class DivergenceInset:
    """A diverged run's whole path on symmetric-log axes, in the corner of the host axes
    that the descent leaves free: the main box outlined, then boxes 10, 100, ... times
    its size, so the blow-up stays in view, and measured, after the path has left the box."""

    def __init__(self, view, host, pair, box):
        self.view, self.host, self.pair, self.box = view, host, pair, box
        h = view.history
        self.path_index = decimated(view.last_record)
        self.points = h.params[: view.last_record + 1][:, list(pair)]

    def draw_static(self) -> None:
        v, st = self.view, self.view.style
        (a0, a1), (b0, b1) = self.box
        middle, half = np.array([a0 + a1, b0 + b1]) / 2, np.array([a1 - a0, b1 - b0]) / 2
        ax = self.host.inset_axes([*self._free_corner(), INSET_SIZE, INSET_SIZE])
        # linear within the box, logarithmic beyond: the box and the blow-up both show
        ax.set_xscale("symlog", linthresh=half[0], linscale=0.5)
        ax.set_yscale("symlog", linthresh=half[1], linscale=0.5)
        decades = inset_decades(self.points, middle, half)
        ax.set_xlim(middle[0] - 1.6 * half[0] * 10**decades, middle[0] + 1.6 * half[0] * 10**decades)
        ax.set_ylim(middle[1] - 1.6 * half[1] * 10**decades, middle[1] + 1.6 * half[1] * 10**decades)
        # the path swings out along +-(last point - middle): label each box at a corner across it
        across = np.sign(self.points[-1] - middle) * [-1, 1]
        across[across == 0] = 1
        labelled = {0, decades // 2, decades}  # three labels at most: the rest are every tenfold
        for m in range(decades + 1):
            size = half * 10**m
            ax.add_patch(Rectangle(middle - size, *(2 * size), fill=False, ec=st.foreground, lw=0.8 * v.scale,
                                   ls="-" if m == 0 else ":", alpha=0.8 if m == 0 else 0.5))
            if m in labelled:
                ax.annotate("view" if m == 0 else f"{10**m:,}\u00d7", middle + across * size, xytext=-3 * across,
                            textcoords="offset points", ha="left" if across[0] < 0 else "right",
                            va="top" if across[1] > 0 else "bottom", color=st.foreground, alpha=0.85,
                            fontsize=v.fontsize("text") * 0.7)
        ax.set_title("the whole path (log scale)", fontsize=v.fontsize("text") * 0.8, color=st.foreground)
        ax.set_xticks([]); ax.set_yticks([])
        ax.set_xticks([], minor=True); ax.set_yticks([], minor=True)
        ax.set_facecolor(st.background)
        ax.grid(False)
        ax.set_zorder(DYNAMIC_ZORDER - 1)
        self.ax = ax

    def _free_corner(self) -> tuple[float, float]:
        """The lower-left corner (host axes fraction) of the inset over the fewest path points."""
        (a0, a1), (b0, b1) = self.box
        inside = self.points[(self.points[:, 0] >= a0) & (self.points[:, 0] <= a1) &
                             (self.points[:, 1] >= b0) & (self.points[:, 1] <= b1)]
        fractions = (inside - [a0, b0]) / [a1 - a0, b1 - b0]
        top = 1 - INSET_SIZE - INSET_TITLE_ROOM
        corners = [(0.02, top), (1 - INSET_SIZE - 0.02, top), (0.02, 0.02), (1 - INSET_SIZE - 0.02, 0.02)]
        counts = [int(np.sum(np.all((fractions >= c) & (fractions <= np.add(c, INSET_SIZE)), axis=1))) for c in corners]
        return corners[counts.index(min(counts))]

    def make_dynamic(self) -> list:
        st, v = self.view.style, self.view
        (self.path,) = self.ax.plot([], [], color=st.warning, lw=1.2 * v.scale)
        (self.dot,) = self.ax.plot([], [], marker="o", ms=5 * v.scale, color=st.current, mec=st.foreground, mew=0.5,
                                   ls="none")
        return [self.path, self.dot]

    def update(self, k: int) -> None:
        cut = np.searchsorted(self.path_index, k, side="left")
        idx = np.append(self.path_index[:cut], k)
        self.path.set_data(self.points[idx, 0], self.points[idx, 1])
        self.dot.set_data(self.points[[k], 0], self.points[[k], 1])


def inset_decades(points: np.ndarray, middle: np.ndarray, half: np.ndarray) -> int:
    """The smallest m >= 1 such that the box grown 10**m times about its middle holds every point."""
    reach = float(np.max(np.abs(points - middle) / half))
    return max(1, int(np.ceil(np.log10(reach)))) if reach > 1 else 1
