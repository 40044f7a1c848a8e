"""What every view shares: the draw-once / update-per-frame protocol and the status line.

A view draws its static part once (``draw_static``), creates the artists that move
(``make_dynamic``) and moves them to frame i (``update``). The stream engine draws
the static part once and blits the moving artists over it; the celluloid engine
calls ``make_dynamic`` for every frame, because celluloid photographs new artists.
Moving artists get z-orders above everything static, in list order, so a full
redraw paints them in the same order as blitting does.
"""
from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from ..errors import ConfigError
from ..style import Style
from .status import ADVANCE_EM, StatusLine

DYNAMIC_ZORDER = 10


class View:
    name = ""
    moving_camera = False  # True when camera_axes() must be redrawn whole every frame
    reference_inches = (9.6, 5.4)  # canvas the style's font sizes are meant for

    def __init__(self, history, records, style: Style):
        self.history = history
        self.records = np.asarray(records)
        self.style = style
        self.status = None
        self.scale = 1.0
        self.last_record = int(self.records[-1])
        self.stochastic = history.config.get("steps_per_epoch", 1) > 1
        every = [self._status_fields(self.record(i)) for i in range(len(self.records))]
        self._field_widths = [max(map(len, column)) for column in zip(*every)]

    # -- the protocol ------------------------------------------------------
    def draw_static(self, fig: Figure) -> None:
        raise NotImplementedError

    def make_dynamic(self) -> list:
        raise NotImplementedError

    def update(self, i: int) -> None:
        raise NotImplementedError

    def key_colors(self) -> list:
        """The colours of what the viewer watches, as drawn at full opacity: moving
        artists, markers, lines, points, the text. A GIF's palette gives each an entry
        of its own, so they decode exactly. Views add their artists' colours."""
        return [self.style.background, self.style.foreground]

    def fit_key_colors(self) -> list:
        """What ``FitPanel`` draws opaque: the points, and the fitted line when there is
        one feature (with several, its markers are translucent); nothing without data."""
        st, h = self.style, self.history
        if not h.has_predictions:
            return []
        return [st.points, st.line] if h.data.k == 1 else [st.points]

    def trace_key_colors(self) -> list:
        """The colour of each parameter's trace: the style's trace colours in turn."""
        st = self.style
        return [st.traces[j % len(st.traces)] for j in range(len(self.history.names))]

    def camera_axes(self) -> list:
        """The axes a moving camera changes, redrawn whole every frame."""
        raise NotImplementedError

    # -- helpers for subclasses --------------------------------------------
    def setup_figure(self, fig: Figure, top: float = 0.075) -> None:
        """Scale fonts to the canvas and leave a band at the top for the status line."""
        w, h = fig.get_size_inches()
        ref_w, ref_h = self.reference_inches
        # Text shrinks slower than the canvas, so small GIFs stay readable.
        self.scale = float(np.clip(min(w / ref_w, h / ref_h) ** 0.5, 0.6, 3.0))
        fig.set_facecolor(self.style.background)
        fig.set_layout_engine("constrained", rect=(0.0, 0.0, 1.0, 1.0 - top), h_pad=0.02, w_pad=0.02)
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


def short_label(label: str, limit: int = 48) -> str:
    """A label cut to ``limit`` characters with an ellipsis, for titles."""
    return label if len(label) <= limit else label[: limit - 1] + "\u2026"
