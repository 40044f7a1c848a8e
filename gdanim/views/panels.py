"""Panels several views share, and the helpers that keep them light whatever the run's size.

FitPanel: the data with the current model's predictions. TracePanel: each parameter
and J against the record. Each follows the view protocol: ``draw_static`` once,
``make_dynamic`` for the moving artists, ``update(k)`` for record k.
"""
from __future__ import annotations

import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.ticker import FuncFormatter

from ..batches import batch_rows_at
from .base import View, halo

MAX_POINTS = 2000  # data points drawn, whatever n is
MAX_RESIDUALS = 200  # residual segments drawn
MAX_TRACE_POINTS = 4000  # vertices of a trace or path, whatever the number of steps
LONG_RUN = 1000  # records; beyond this the record axis turns logarithmic after the first few
FEW_POINTS = 30  # up to this many points are drawn full size and opaque
MAX_BATCH_MARKS = 200  # rows of the current batch ringed, whatever the batch size


def point_marks(n: int) -> tuple[float, float]:
    """(size factor, alpha) for n points: with f = min(1, sqrt(FEW_POINTS / n)), the size
    max(f, 0.12) and the alpha clip(1.6 f, 0.3, 1), so hundreds of points show their
    spread and density instead of one blob."""
    f = min(1.0, (FEW_POINTS / max(n, 1)) ** 0.5)
    return max(f, 0.12), float(np.clip(1.6 * f, 0.3, 1.0))


def set_record_axis(ax, last_record: int) -> None:
    """Records 0..last on x: linear for short runs, symlog for long ones, where the
    early records, in which most of the descent happens, would otherwise be a sliver."""
    ax.set_xlim(0, max(last_record, 1))
    if last_record > LONG_RUN:
        ax.set_xscale("symlog", linthresh=10, linscale=0.5)
        # plain numbers: they read as record counts, and skip mathtext's slow first parse
        ax.xaxis.set_major_formatter(FuncFormatter(_record_label))


def _record_label(value: float, _position=None) -> str:
    value = round(value)
    return f"{value // 1000:,}k" if value >= 10_000 and value % 1000 == 0 else f"{value:,}"


def display_subsample(n: int, limit: int, seed: int = 0) -> np.ndarray:
    """A fixed, sorted choice of at most ``limit`` row indices."""
    if n <= limit:
        return np.arange(n)
    return np.sort(np.random.default_rng(seed).choice(n, size=limit, replace=False))


def decimated(last: int) -> np.ndarray:
    """Record indices 0..last, thinned to at most MAX_TRACE_POINTS for drawing."""
    if last + 1 <= MAX_TRACE_POINTS:
        return np.arange(last + 1)
    return np.unique(np.linspace(0, last, MAX_TRACE_POINTS).round().astype(np.int64))


def padded(lo: float, hi: float, margin: float = 0.08) -> tuple[float, float]:
    if not hi > lo:
        pad = max(abs(lo), 1.0) * 0.1
        return lo - pad, hi + pad
    pad = (hi - lo) * margin
    return lo - pad, hi + pad


class FitPanel:
    """The data with the current model's predictions.

    One feature: the points and the fitted line. Several: predicted against actual,
    with the diagonal where a perfect fit would put them.
    """

    def __init__(self, view: View, ax, residuals: bool = False, title: str | None = None):
        if title is None:  # a network's predictions are no line
            objective = getattr(view.history, "objective", None)
            title = "Fit" if objective is not None and not objective.linear_model else "Linear fit"
        self.view, self.ax, self.residuals, self.title = view, ax, residuals, title
        data = view.history.data
        self.shown = display_subsample(data.n, MAX_POINTS)
        self.with_residual = self.shown[display_subsample(len(self.shown), MAX_RESIDUALS, seed=1)]
        self.X, self.y = data.X, data.y
        self.line_mode = data.k == 1
        self.batches = None
        if view.stochastic:  # ring the rows of the batch behind each record (record k: step k-1)
            steps = [int(k) - 1 for k in view.records if k > 0]
            self.batches = {step: rows[display_subsample(len(rows), MAX_BATCH_MARKS)]
                            for step, rows in batch_rows_at(view.history, steps).items()}

    def draw_static(self) -> None:
        ax, st, v = self.ax, self.view.style, self.view
        data = v.history.data
        y = self.y[self.shown]
        ylim = padded(float(y.min()), float(y.max()), 0.25)
        if self.line_mode:
            x = self.X[self.shown, 0]
            self.xlim = padded(float(x.min()), float(x.max()), 0.35)
            ax.set_xlabel(data.feature_names[0], fontsize=v.fontsize("label"))
            ax.set_ylabel(data.target_name, fontsize=v.fontsize("label"))
        else:
            x = y
            self.xlim = ylim
            ax.plot(ylim, ylim, color=st.foreground, lw=0.8, alpha=0.4)
            ax.set_xlabel(f"actual {data.target_name}", fontsize=v.fontsize("label"))
            ax.set_ylabel(f"predicted {data.target_name}", fontsize=v.fontsize("label"))
        size, alpha = point_marks(len(self.shown))
        self.point_size = 44 * size * v.scale**2
        ax.scatter(x, y, color=st.points, marker=st.point_marker, s=self.point_size, alpha=alpha,
                   linewidths=1.5 * size * v.scale, zorder=3)
        ax.set_xlim(self.xlim)
        ax.set_ylim(ylim)
        ax.set_title(self.title, fontsize=v.fontsize("title"))
        ax.tick_params(labelsize=v.fontsize("text") * 0.85)
        if len(self.shown) < data.n:
            ax.text(0.02, 0.02, f"showing {len(self.shown):,} of {data.n:,} points", transform=ax.transAxes,
                    fontsize=v.fontsize("text") * 0.8, color=st.foreground, alpha=0.7)
        if self.batches is not None:
            ax.text(0.98, 0.02, "\u25cb this step's batch", transform=ax.transAxes, ha="right", color=st.current,
                    fontsize=v.fontsize("text") * 0.8, path_effects=halo(st, 2.5 * v.scale))

    def make_dynamic(self) -> list:
        st, v = self.view.style, self.view
        artists = []
        if self.residuals:
            self.segments = LineCollection([], colors=st.residual, linestyles="dashed", alpha=0.45, linewidths=1.2 * v.scale)
            self.ax.add_collection(self.segments, autolim=False)
            artists.append(self.segments)
        if self.line_mode:
            (self.fit,) = self.ax.plot([], [], color=st.line, lw=2.2 * v.scale)
        else:
            (self.fit,) = self.ax.plot([], [], ls="none", marker="o", ms=4 * v.scale, color=st.line, alpha=0.8)
        artists.append(self.fit)
        if self.batches is not None:
            ring = max(self.point_size * 3, 60 * v.scale**2)
            self.batch = self.ax.scatter(np.empty(0), np.empty(0), s=ring, facecolors="none", edgecolors=st.current,
                                         linewidths=1.6 * v.scale)
            artists.append(self.batch)
        return artists

    def update(self, k: int) -> None:
        h = self.view.history
        if self.line_mode:
            xs = np.array(self.xlim)
            self.fit.set_data(xs, h.predict(k, xs[:, None]))
        else:
            self.fit.set_data(self.y[self.shown], h.predict(k, self.X[self.shown]))
        if self.residuals:
            rows = self.with_residual
            yhat = h.predict(k, self.X[rows])
            xs = self.X[rows, 0] if self.line_mode else self.y[rows]
            segs = np.stack([np.column_stack([xs, self.y[rows]]), np.column_stack([xs, yhat])], axis=1)
            self.segments.set_segments(segs)
        if self.batches is not None:
            rows = self.batches.get(k - 1, np.empty(0, dtype=int))
            xs = self.X[rows, 0] if self.line_mode else self.y[rows]
            self.batch.set_offsets(np.column_stack([xs, self.y[rows]]))


class TracePanel:
    """Each parameter and J against epoch, stacked, drawn up to the current record."""

    def __init__(self, view: View, axes: list):
        self.view, self.axes = view, axes
        self.indices = decimated(view.last_record)

    def draw_static(self) -> None:
        v, st, h = self.view, self.view.style, self.view.history
        shown = h.params[: v.last_record + 1]
        series = [shown[:, j] for j in range(len(h.names))] + [h.J_at(slice(0, v.last_record + 1))]
        titles = list(h.names) + ["J (cost)"]
        targets = [None] * (len(h.names) + 1) if h.optimum is None else list(h.optimum) + [h.optimum_J]
        self.series = [s[self.indices] for s in series]
        self.colors = v.trace_key_colors() + [st.cost]
        for ax, values, title, target in zip(self.axes, series, titles, targets):
            finite_lo, finite_hi = float(values.min()), float(values.max())
            if title.startswith("J") and finite_lo > 0 and finite_hi / finite_lo > 1e3:
                ax.set_yscale("log")
                ax.set_ylim(finite_lo / 2, finite_hi * 2)
            elif target is None:
                ax.set_ylim(*padded(finite_lo, finite_hi))
            else:
                ax.set_ylim(*padded(min(finite_lo, target), max(finite_hi, target)))
            if target is not None:
                ax.axhline(target, color=st.optimum, lw=0.9 * v.scale, ls=":", alpha=0.6)
            set_record_axis(ax, v.last_record)
            ax.set_title(title, fontsize=v.fontsize("label"))
            ax.tick_params(labelsize=v.fontsize("text") * 0.8)
        self.axes[-1].set_xlabel(f"{v.x_label()}s", fontsize=v.fontsize("text"))
        for ax in self.axes[:-1]:
            ax.tick_params(labelbottom=False)

    def make_dynamic(self) -> list:
        v = self.view
        self.lines = []
        for ax, color in zip(self.axes, self.colors):
            (line,) = ax.plot([], [], color=color, ls="--", lw=1.6 * v.scale)
            self.lines.append(line)
        return list(self.lines)

    def update(self, k: int) -> None:
        h = self.view.history
        cut = np.searchsorted(self.indices, k, side="left")
        xs = np.append(self.indices[:cut], k)
        for j, line in enumerate(self.lines):
            full = h.J if j == len(h.names) else h.params[:, j]
            line.set_data(xs, np.append(self.series[j][:cut], full[k]))


def contour_levels(J: np.ndarray, quadratic: bool, count: int = 24) -> np.ndarray:
    """Levels for ``contourf``: sqrt-spaced for quadratics, quantiles otherwise."""
    finite = J[np.isfinite(J)]
    lo, hi = float(finite.min()), float(finite.max())
    if quadratic:
        # spaced evenly in sqrt(J - Jmin), rings near the optimum stay visible
        return lo + (hi - lo) * np.linspace(0, 1, count) ** 2
    levels = np.unique(np.quantile(finite, np.linspace(0, 1, count)))
    return levels if len(levels) >= 2 else np.array([lo, lo + max(abs(lo), 1.0)])


def inside_box(ranges, zlim, a, b, z):
    """(a, b, z) with points off the box turned into gaps: matplotlib does not clip 3D lines."""
    (a0, a1), (b0, b1) = ranges
    off = (a < a0) | (a > a1) | (b < b0) | (b > b1) | (z > zlim[1]) | (z < zlim[0])
    return [np.where(off, np.nan, v) for v in (a, b, z)]


def race_levels(J: np.ndarray, quadratic: bool, count: int = 24) -> np.ndarray:
    """Contour levels: log-spaced above the lowest J when J spans many decades (Rosenbrock's
    valley shows only on such levels), else as for the single-run contour view."""
    finite = J[np.isfinite(J)]
    lo, hi = float(finite.min()), float(finite.max())
    if quadratic or not hi - lo > 0:
        return contour_levels(J, quadratic, count)
    floor = max(float(np.quantile(finite, 0.01)) - lo, (hi - lo) * 1e-7)
    if (hi - lo) / floor < 1e3:
        return contour_levels(J, quadratic, count)
    return lo + np.concatenate([[0.0], np.geomspace(floor, hi - lo, count - 1)])
