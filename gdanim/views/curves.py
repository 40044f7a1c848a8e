"""What the views of units and networks share: loss and accuracy against epoch, drawn up
to the current record, and predictions for many records at once.

Accuracy is the share of records whose prediction falls on the target's side of 0.5;
it is defined where every target is 0 or 1 (``is_classification``). Over more than
``MAX_POINTS`` records it is measured on a fixed subsample, and the panel says so.
"""
from __future__ import annotations

import textwrap

import numpy as np

from ..errors import ConfigError
from .panels import MAX_POINTS, display_subsample, set_record_axis

MAX_CURVE_POINTS = 500  # vertices of a curve against epoch: about as many as its panel has pixels
DOT_ROOM = 0.02  # of the record axis as drawn, after the last record
_CHUNK = 1 << 21  # predictions computed at once


def is_classification(data) -> bool:
    return data is not None and bool(np.isin(data.y, (0.0, 1.0)).all())


def predictions(history, records, X) -> np.ndarray:
    """yhat at each record for the rows X, shape (len(records), len(X))."""
    objective, records = history.objective, np.asarray(records)
    if not hasattr(objective, "output"):  # a model without a batched forward pass: one record at a time
        return np.array([history.predict(int(k), X) for k in records]).reshape(len(records), len(X))
    per = max(1, _CHUNK // (len(X) * getattr(objective, "width", 1)))
    return np.concatenate([objective.predict(history.params[records[i : i + per]], X)
                           for i in range(0, len(records), per)])


def curve_records(last: int, frames: np.ndarray) -> np.ndarray:
    """The records a curve is drawn through: every frame, and at most MAX_CURVE_POINTS more spread
    over 0..last, half evenly and half geometrically (for the logarithmic axis of long runs)."""
    half = min(last + 1, MAX_CURVE_POINTS // 2)
    spread = np.concatenate([np.linspace(0, last, half), np.geomspace(1, max(last, 1), half)])
    return np.union1d(np.unique(spread.round().astype(np.int64)), frames)


class Accuracy:
    """Accuracy at the records a view needs, computed once."""

    def __init__(self, history, records: np.ndarray):
        data = history.data
        self.rows = display_subsample(data.n, MAX_POINTS)
        self.sampled = len(self.rows) < data.n
        self.records = records
        yhat = predictions(history, records, data.X[self.rows])
        self.values = ((yhat >= 0.5) == (data.y[self.rows] >= 0.5)).mean(axis=1)

    def at(self, k: int) -> float:
        return float(self.values[np.searchsorted(self.records, k)])

    def title(self) -> str:
        return f"accuracy (on {len(self.rows):,} sampled records)" if self.sampled else "accuracy"


class CurvePanel:
    """One series against the record axis: the line so far and a dot at the current record."""

    def __init__(self, view, ax, records: np.ndarray, values: np.ndarray, title: str, color, percent: bool = False):
        self.view, self.ax, self.title, self.color, self.percent = view, ax, title, color, percent
        self.records, self.values = records, values

    def draw_static(self, xlabel: bool = True) -> None:
        shown = self.values[self.records <= self.view.last_record]
        dress_curve_axes(self.view, self.ax, shown, self.title, self.percent, f"{self.view.x_label()}s" if xlabel else None)

    def make_dynamic(self) -> list:
        s = self.view.scale
        (self.line,) = self.ax.plot([], [], color=self.color, lw=1.8 * s)
        (self.dot,) = self.ax.plot([], [], marker="o", ms=6 * s, color=self.color, ls="none", clip_on=False)
        return [self.line, self.dot]

    def update(self, k: int) -> None:
        cut = np.searchsorted(self.records, k, side="right")
        self.line.set_data(self.records[:cut], self.values[:cut])
        here = self.values[cut - 1] if cut and self.records[cut - 1] == k else np.nan
        self.dot.set_data([k], [here])


def dress_curve_axes(view, ax, shown: np.ndarray, title: str, percent: bool, xlabel: str | None) -> None:
    """Limits (a log axis for a curve spanning decades, 0-100% for a share), ticks and
    title of an axes of series against the record axis; ``shown``: the values drawn."""
    finite = shown[np.isfinite(shown)]
    lo, hi = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
    if percent:
        ax.set_ylim(min(lo, 0.5) - 0.03, 1.03)
        ax.yaxis.set_major_formatter(lambda value, _pos: f"{100 * value:.0f}%")
    elif lo > 0 and hi / lo > 1e3:
        ax.set_yscale("log")
        ax.set_ylim(lo / 1.5, hi * 1.5)
    else:
        pad = 0.06 * (hi - lo) if hi > lo else max(abs(hi), 1.0) * 0.1
        ax.set_ylim(min(lo - pad, 0.0) if lo >= 0 else lo - pad, hi + pad)
    set_record_axis(ax, view.last_record)
    # Room for the dot at the last record, a share of the axis as drawn: on a symlog
    # axis 2% more records would be a sliver, and the dot was cut in half at the edge.
    scaled = ax.xaxis.get_transform()
    start, end = scaled.transform(np.array([0.0, float(max(view.last_record, 1))]))
    # written so that on a linear axis (start 0) it is exactly the old last * 1.02
    ax.set_xlim(0, float(scaled.inverted().transform(np.array([end * (1 + DOT_ROOM) - DOT_ROOM * start]))[0]))
    ax.set_title(title, fontsize=view.fontsize("label"))
    ax.tick_params(labelsize=view.fontsize("text") * 0.8)
    if xlabel:
        ax.set_xlabel(xlabel, fontsize=view.fontsize("text"))
    else:
        ax.tick_params(labelbottom=False)


def wrapped_title(ax, text: str, fontsize: float, **options) -> None:
    """A title whose lines wrap at the axes' width (estimated before layout), for small canvases."""
    width_points = ax.get_position().width * ax.figure.get_figwidth() * 72
    columns = max(12, int(width_points / (0.55 * fontsize)))
    lines = [textwrap.fill(line, columns, break_long_words=False) for line in text.split("\n")]
    ax.set_title("\n".join(lines), fontsize=fontsize, **options)


def loss_title(history) -> str:
    loss = history.config.get("loss")
    return f"loss J ({loss})" if loss else "J"


def require_inputs(subject, view: str, most: int, instead: str = "the landscape or weights view") -> None:
    """Refuse, in one line, a view of input space on data with too many inputs (subject: a
    History or a Race; instead: the views to suggest)."""
    data, objective = subject.data, subject.objective
    if data is None or objective is None or not objective.has_predictions:
        label = getattr(subject, "label", None) or objective.label
        raise ConfigError(f"the {view} view draws a model's predictions over its data; {label!r} has none "
                          f"(try {instead})")
    if data.k > most:
        raise ConfigError(f"the {view} view draws the input space, which needs 1 or 2 inputs; this data has "
                          f"{data.k} (try {instead})")
