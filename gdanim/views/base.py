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
from matplotlib import patheffects
from matplotlib.figure import Figure

from ..errors import ConfigError
from ..history import LISTED_PARAMS
from ..style import Style, canvas_scale
from .status import ADVANCE_EM, StatusLine

DYNAMIC_ZORDER = 10
TITLE_GROWTH = 1.15  # a frame title (--title) is this much larger than a panel's title
CAPTION_SHRINK = 0.9  # and a caption (--caption) this much smaller than the text size
# inches (times the scale) beside each axes for a 3D axis label, which constrained
# layout leaves out of its sums; without it the J label falls off the frame
LABEL_ROOM_3D = 0.3
# mplot3d sets tick labels (pad + 8) and axis labels (labelpad + 21) points from the axis,
# the 8 and 21 fixed; matplotlib's own pads are 3.5 and 4
TICK_OFFSET_3D, LABEL_OFFSET_3D = 3.5 + 8, 4 + 21


class View:
    name = ""
    moving_camera = False  # True when camera_axes() must be redrawn whole every frame
    reference_inches = (9.6, 5.4)  # canvas the style's font sizes are meant for
    explainer = None  # that strip, when asked for
    status_params = True  # the status line lists the parameters (views of many weights say False)

    def __init__(self, history, records, style: Style, explain: bool = False):
        self.history = history
        self.records = np.asarray(records)
        self.style = style
        self.status = None
        self.scale = 1.0
        self.last_record = int(self.records[-1])
        self.stochastic = history.config.get("steps_per_epoch", 1) > 1
        self.title = self.caption = None
        self.transparent = False
        history.J_at(self.records)  # J of every frame, where training skipped it (J_every)
        every = [self._status_fields(self.record(i)) for i in range(len(self.records))]
        self._field_widths = [max(map(len, column)) for column in zip(*every)]
        if explain:  # the walkthrough's modules load only for the views asked to explain
            from ..walkthrough.strip import Explainer

            self.explainer = Explainer(history, self.records)

    # -- the protocol ------------------------------------------------------
    def draw_static(self, fig: Figure) -> None:
        raise NotImplementedError

    def make_dynamic(self) -> list:
        raise NotImplementedError

    def update(self, i: int) -> None:
        raise NotImplementedError

    def dress(self, title: str | None = None, caption: str | None = None, transparent: bool = False) -> None:
        """What the caller adds around any view: a frame title on top, a caption below the
        axes (a source, a formula), and a see-through background."""
        self.title, self.caption, self.transparent = title or None, caption or None, transparent

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
    def frame_bands(self, fig: Figure) -> tuple[float, float]:
        """Scale sizes to the canvas (``canvas_scale``), colour the background and draw the
        frame title and caption; returns the heights (figure fractions) of the title's band
        at the top and the caption's at the bottom, which the view leaves free."""
        self.scale = canvas_scale(*(fig.get_size_inches() * fig.dpi), self.reference_inches)
        fig.set_facecolor("none" if self.transparent else self.style.background)
        self.frame_title = self._banner(fig, self.title, self.fontsize("title") * TITLE_GROWTH, weight="bold")
        self.frame_caption = self._banner(fig, self.caption, self.fontsize("text") * CAPTION_SHRINK, alpha=0.85)
        title_band, caption_band = _band(fig, self.frame_title), _band(fig, self.frame_caption)
        if self.frame_title is not None:
            self.frame_title.set_y(1.0 - title_band / 2)
        if self.frame_caption is not None:
            self.frame_caption.set_y(caption_band / 2)
        return title_band, caption_band

    def setup_figure(self, fig: Figure, top: float = 0.075, labels_3d: bool = False) -> None:
        """``frame_bands``, then leave bands for the status line at the top and for
        ``explain``'s strip above the caption (and, with ``labels_3d``, room beside the
        axes for a 3D axes' labels)."""
        title_band, caption_band = self.frame_bands(fig)
        strip = 0.0
        if self.explainer is not None:
            strip = self.explainer.reserve(fig, self.fontsize("text"), self.style.foreground, caption_band)
        w_pad = LABEL_ROOM_3D * self.scale if labels_3d else 0.02
        bottom = caption_band + strip
        room = (0.0, bottom, 1.0, 1.0 - top - title_band - bottom)  # left, bottom, width, height
        fig.set_layout_engine("constrained", rect=room, h_pad=0.02, w_pad=w_pad)
        self.status_y = 1.0 - title_band - top / 2

    def _banner(self, fig: Figure, text: str | None, size: float, **options):
        """A line (or lines) of text across the figure, shrunk to fit its width; None for no text."""
        if text is None:
            return None
        label = fig.text(0.5, 0.5, text, ha="center", va="center", fontsize=size, color=self.style.foreground,
                         multialignment="center", **options)
        width = label.get_window_extent(fig.canvas.get_renderer()).width
        room = 0.96 * fig.bbox.width
        if width > room:
            label.set_fontsize(size * room / width)
        return label

    def finish_3d(self, ax) -> None:
        """A 3D axes in the style: panes in its colour, no rectangle behind them (it only
        frames empty space), label and tick-label offsets grown with the text as 2D pads grow."""
        ax.set_facecolor("none")
        for axis in (ax.xaxis, ax.yaxis, ax.zaxis):
            axis.labelpad = LABEL_OFFSET_3D * self.scale - 21
            if self.style.pane_color is not None:
                axis.set_pane_color(self.style.pane_color)
        ax.tick_params(pad=TICK_OFFSET_3D * self.scale - 8)

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
        if self.status_params:  # past LISTED_PARAMS, only the pair the view draws over
            shown = range(len(h.names)) if len(h.names) <= LISTED_PARAMS else getattr(self, "pair", ())
            fields += [f"{h.names[m]} = {h.params[k, m]:.4g}" for m in shown]
        fields.append(f"J = {h.J[k]:.5g}")
        return fields + self.status_extra(k)

    def status_extra(self, k: int) -> list[str]:
        """Fields a view adds after J (accuracy, say)."""
        return []

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


def _band(fig: Figure, label) -> float:
    """The height (figure fraction) of a band that holds ``label`` with some air around it."""
    if label is None:
        return 0.0
    lines = label.get_text().count("\n") + 1
    return (lines * 1.2 + 0.7) * label.get_fontsize() * fig.dpi / 72 / fig.bbox.height


def halo(style: Style, width: float = 3.0) -> list:
    """Path effects that outline text in the background colour, so it reads over any
    colour map (the style's text colours are chosen against its background)."""
    return [patheffects.withStroke(linewidth=width, foreground=style.background)]


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
