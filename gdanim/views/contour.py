"""contour: filled contours of J over two parameters, with the descent on top.

Static: the contours, the known minima (the optimum labelled).
Per frame: the path so far, the current point, the negative-gradient arrow there,
and the status line.

Quadratic objectives get levels evenly spaced in sqrt(J - Jmin), which space a
paraboloid's rings evenly; others get quantile levels, which follow narrow valleys
(Rosenbrock's) that evenly spaced levels hide.
"""
from __future__ import annotations

import numpy as np
from matplotlib.patches import FancyArrowPatch

from ..surface import auto_range, choose_axes, cost_grid
from .base import View, decimated, layer, require_objective


def descent_ranges(history, pair, last_record):
    """Axis ranges covering the path and the optimum.

    A diverged run's path runs off to huge values; the range then covers only the
    records whose cost stayed within 100x the start, and the path leaves the box.
    """
    shown = history.params[: last_record + 1]
    if history.diverged_at is not None:
        tame = history.J[: last_record + 1] <= 100 * max(history.J[0], 1e-12)
        shown = shown[tame]
    window = None if history.objective is None else history.objective.window
    if window is not None:  # a designed window, widened only if the path leaves it
        return tuple(_widened(window[p], shown[:, p]) for p in pair)
    opt = history.optimum
    return tuple(auto_range(shown[:, p], None if opt is None else opt[p]) for p in pair)


def _widened(window, values, margin: float = 0.05):
    lo, hi = window
    low, high = float(np.min(values)), float(np.max(values))
    pad = margin * (max(hi, high) - min(lo, low))
    return (lo if low >= lo else low - pad), (hi if high <= hi else high + pad)


def contour_levels(J: np.ndarray, quadratic: bool, count: int = 24) -> np.ndarray:
    """Levels for ``contourf``: sqrt-spaced for quadratics, quantiles otherwise."""
    finite = J[np.isfinite(J)]
    lo, hi = float(finite.min()), float(finite.max())
    if quadratic:
        return lo + (hi - lo) * np.linspace(0, 1, count) ** 2
    levels = np.unique(np.quantile(finite, np.linspace(0, 1, count)))
    return levels if len(levels) >= 2 else np.array([lo, lo + max(abs(lo), 1.0)])


def short_label(label: str, limit: int = 48) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "\u2026"


class ContourView(View):
    name = "contour"
    explains = True
    reference_inches = (7.2, 5.4)

    def __init__(self, history, records, style, *, axes=None, explain: bool = False):
        require_objective(history, self.name)
        super().__init__(history, records, style, explain=explain)
        self.pair = choose_axes(history.names, axes)

    def draw_static(self, fig):
        self.setup_figure(fig)
        st, h = self.style, self.history
        i, j = self.pair
        ax = fig.add_subplot()
        ranges = descent_ranges(h, self.pair, self.last_record)
        g = cost_grid(h, axes=[h.names[i], h.names[j]], resolution=160, ranges=ranges)
        levels = contour_levels(g.J, h.objective.quadratic)
        cmap = st.surface if st.surface in ("viridis", "magma", "plasma", "cividis") else "Blues_r"
        ax.contourf(g.a, g.b, g.J, levels=levels, cmap=cmap, alpha=0.85, zorder=0)
        ax.contour(g.a, g.b, g.J, levels=levels[::3], colors=st.foreground, linewidths=0.5 * self.scale, alpha=0.35, zorder=1)
        minima, opt = h.objective.minima, h.optimum
        if len(minima):
            ax.plot(minima[:, i], minima[:, j], marker="*", ms=16 * self.scale, color=st.optimum, mec="white", mew=0.8,
                    ls="none", zorder=2)
        if opt is not None:
            ax.annotate("optimum", (opt[i], opt[j]), textcoords="offset points", xytext=(8, 8), fontsize=self.fontsize("text"),
                        color=st.optimum, zorder=2)
        ax.set_xlim(*ranges[0]); ax.set_ylim(*ranges[1])
        ax.set_xlabel(h.names[i], fontsize=self.fontsize("label"))
        ax.set_ylabel(h.names[j], fontsize=self.fontsize("label"))
        ax.tick_params(labelsize=self.fontsize("text") * 0.85)
        title = "Descent over J" if h.data is not None else short_label(h.label)
        if g.held:
            title += f"  ({', '.join(f'{n} = {v:.3g}' for n, v in g.held.items())})"
        ax.set_title(title, fontsize=self.fontsize("title"))
        ax.grid(False)
        self.ax, self.ranges, self.fig = ax, ranges, fig
        self.path_index = decimated(self.last_record)

    def make_dynamic(self):
        st, ax = self.style, self.ax
        (self.path,) = ax.plot([], [], color=st.path if st.name != "light" else "white", lw=1.8 * self.scale)
        self.arrow = FancyArrowPatch((0, 0), (0, 0), arrowstyle="-|>", mutation_scale=18 * self.scale,
                                     color=st.arrow, lw=2.2 * self.scale)
        ax.add_patch(self.arrow)
        (self.dot,) = ax.plot([], [], marker="o", ms=10 * self.scale, color=st.current, mec="black", mew=0.8, ls="none")
        return layer([self.path, self.arrow, self.dot] + self.make_status(self.fig))

    def update(self, i):
        k = self.record(i)
        h, (a, b) = self.history, self.pair
        cut = np.searchsorted(self.path_index, k, side="left")
        idx = np.append(self.path_index[:cut], k)
        self.path.set_data(h.params[idx, a], h.params[idx, b])
        here = h.params[k]
        self.dot.set_data([here[a]], [here[b]])
        self.arrow.set_positions(*self._arrow(here))
        self.update_status(k)

    def _arrow(self, theta):
        """From the current point along -grad, a fixed 12% of the box long on screen."""
        g = -self.history.cost_grad(theta)[[*self.pair]]
        spans = np.array([r[1] - r[0] for r in self.ranges])
        direction = g / spans
        norm = np.hypot(*direction)
        start = theta[[*self.pair]]
        if not np.isfinite(norm) or norm == 0:
            return tuple(start), tuple(start)
        end = start + 0.12 * direction / norm * spans
        return tuple(start), tuple(end)
