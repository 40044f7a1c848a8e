"""What every view shares: the draw-once / update-per-frame protocol and its panels.

A view draws its static part once (``draw_static``), creates the artists that move
(``make_dynamic``) and moves them to frame i (``update``). The stream engine draws
the static part once and blits the moving artists over it; the celluloid engine
calls ``make_dynamic`` for every frame, because celluloid photographs new artists.
Moving artists get z-orders above everything static, in list order, so a full
redraw paints them in the same order as blitting does.
"""
from __future__ import annotations

import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from ..errors import ConfigError
from ..style import Style
from ..walkthrough.strip import Explainer
from .status import ADVANCE_EM, StatusLine

MAX_POINTS = 2000  # data points drawn, whatever n is
MAX_RESIDUALS = 200  # residual segments drawn
MAX_TRACE_POINTS = 4000  # vertices of a trace or path, whatever the number of steps
DYNAMIC_ZORDER = 10


class View:
    name = ""
    moving_camera = False  # True when every frame must redraw everything (no blitting)
    reference_inches = (9.6, 5.4)  # canvas the style's font sizes are meant for
    explains = False  # True where ``explain`` adds the equation strip of each frame's update

    def __init__(self, history, records, style: Style, explain: bool = False):
        self.history = history
        self.records = np.asarray(records)
        self.style = style
        self.status = None
        self.scale = 1.0
        self.last_record = int(self.records[-1])
        self.stochastic = history.config.get("steps_per_epoch", 1) > 1
        every = [self._status_fields(self.record(i)) for i in range(len(self.records))]
        self._field_widths = [max(map(len, column)) for column in zip(*every)]
        self.explainer = Explainer(history, self.records) if explain else None

    # -- the protocol ------------------------------------------------------
    def draw_static(self, fig: Figure) -> None:
        raise NotImplementedError

    def make_dynamic(self) -> list:
        raise NotImplementedError

    def update(self, i: int) -> None:
        raise NotImplementedError

    # -- helpers for subclasses --------------------------------------------
    def set_scale(self, fig: Figure) -> None:
        """Scale fonts and lines to the canvas."""
        w, h = fig.get_size_inches()
        ref_w, ref_h = self.reference_inches
        # Text shrinks slower than the canvas, so small GIFs stay readable.
        self.scale = float(np.clip(min(w / ref_w, h / ref_h) ** 0.5, 0.6, 3.0))
        fig.set_facecolor(self.style.background)

    def setup_figure(self, fig: Figure, top: float = 0.075) -> None:
        """Scale fonts to the canvas and leave a band at the top for the status line."""
        self.set_scale(fig)
        bottom = 0.0 if self.explainer is None else self.explainer.reserve(fig, self.fontsize("text"), self.style.foreground)
        fig.set_layout_engine("constrained", rect=(0.0, bottom, 1.0, 1.0 - top - bottom), h_pad=0.02, w_pad=0.02)
        self.status_y = 1.0 - top / 2

    def fontsize(self, kind: str) -> float:
        return getattr(self.style, f"{kind}_size") * self.scale

    def make_status(self, fig: Figure) -> list:
        """The per-frame line with the epoch counter, the parameters and J.

        It lives in the first axes (placed in figure coordinates), not on the figure:
        celluloid photographs only the artists of axes.
        """
        ax = fig.axes[0]
        widest = "   ".join("0" * width for width in self._field_widths)
        fits = 0.95 * fig.get_figwidth() * 72 / (ADVANCE_EM * len(widest))
        self.status = StatusLine(
            fig, 0.5, self.status_y, widest, min(self.fontsize("text"), fits), self.style.foreground
        )
        ax.add_artist(self.status)
        self.diverged = None
        artists = [self.status]
        if self.history.diverged_at is not None:
            add_text = getattr(ax, "text2D", ax.text)  # 3D axes take 2D text under this name
            self.diverged = add_text(
                0.5, 0.5, "", transform=ax.transAxes, ha="center", va="center", fontsize=self.fontsize("label"),
                color=self.style.warning, weight="bold", wrap=False,
                bbox=dict(boxstyle="round,pad=0.4", facecolor=self.style.background, edgecolor=self.style.warning, alpha=0.9),
            )
            artists.append(self.diverged)
        if self.explainer is not None:
            artists.append(self.explainer.make_dynamic(ax))
        return artists

    def _status_fields(self, k: int) -> list[str]:
        h = self.history
        if h.data is None:  # no data, no epochs: every step is a full one
            fields = [f"step {k:,}"]
        else:
            fields = [f"epoch {int(h.epoch[k]):,}"]
        if self.stochastic:
            fields.append(f"step {k:,}")
        fields += [f"{name} = {value:.4g}" for name, value in zip(h.names, h.params[k])]
        fields.append(f"J = {h.J[k]:.5g}")
        return fields

    def _status_text(self, k: int) -> str:
        """The fields of record k, each padded to its widest form in this animation, so
        that in monospace no field moves when the one before it changes length."""
        fields = self._status_fields(k)
        return "   ".join(field.ljust(width) for field, width in zip(fields, self._field_widths)).rstrip()

    def update_status(self, k: int) -> None:
        h = self.history
        self.status.set_text(self._status_text(k))
        if self.diverged is not None:
            last = k == h.steps
            self.diverged.set_text(f"diverged at step {h.diverged_at:,}\n{self._too_large()}" if last else "")
        if self.explainer is not None:
            self.explainer.show(k)

    def _too_large(self) -> str:
        schedule = self.history.config.get("schedule")
        lr = f"learning rate {self.history.config['lr']:g}"
        return f"{lr} with {schedule} is too large" if schedule else f"{lr} is too large"

    def record(self, i: int) -> int:
        return int(self.records[i])

    def x_label(self) -> str:
        return "step" if self.stochastic or self.history.data is None else "epoch"


def require_objective(history, view: str, predictions: bool = False) -> None:
    """Refuse, in one line, a view whose History lacks what the view draws."""
    if history.objective is None:
        raise ConfigError(f"the {view} view draws J over the parameters; this History has no objective (pass objective=)")
    if predictions and not history.has_predictions:
        raise ConfigError(f"the {view} view draws predictions over data; {history.label!r} has none "
                          "(try the params, contour or surface view)")


def layer(artists: list) -> list:
    """Put moving artists above static ones, in the order they are blitted."""
    for order, artist in enumerate(artists):
        artist.set_zorder(DYNAMIC_ZORDER + order)
    return artists


LONG_RUN = 1000  # records; beyond this the record axis turns logarithmic after the first few


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

    def __init__(self, view: View, ax, residuals: bool = False, title: str = "Linear fit"):
        self.view, self.ax, self.residuals, self.title = view, ax, residuals, title
        data = view.history.data
        self.shown = display_subsample(data.n, MAX_POINTS)
        self.with_residual = self.shown[display_subsample(len(self.shown), MAX_RESIDUALS, seed=1)]
        self.X, self.y = data.X, data.y
        self.line_mode = data.k == 1

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
        ax.scatter(x, y, color=st.points, marker=st.point_marker, s=44 * v.scale**2, linewidths=1.5 * v.scale, zorder=3)
        ax.set_xlim(self.xlim)
        ax.set_ylim(ylim)
        ax.set_title(self.title, fontsize=v.fontsize("title"))
        ax.tick_params(labelsize=v.fontsize("text") * 0.85)
        if len(self.shown) < data.n:
            ax.text(0.02, 0.02, f"showing {len(self.shown):,} of {data.n:,} points", transform=ax.transAxes,
                    fontsize=v.fontsize("text") * 0.8, color=st.foreground, alpha=0.7)

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


class TracePanel:
    """Each parameter and J against epoch, stacked, drawn up to the current record."""

    def __init__(self, view: View, axes: list):
        self.view, self.axes = view, axes
        self.indices = decimated(view.last_record)

    def draw_static(self) -> None:
        v, st, h = self.view, self.view.style, self.view.history
        shown = h.params[: v.last_record + 1]
        series = [shown[:, j] for j in range(len(h.names))] + [h.J[: v.last_record + 1]]
        titles = list(h.names) + ["J (cost)"]
        targets = [None] * (len(h.names) + 1) if h.optimum is None else list(h.optimum) + [h.optimum_J]
        self.series = [s[self.indices] for s in series]
        self.colors = [st.traces[j % len(st.traces)] for j in range(len(h.names))] + [st.cost]
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
