"""``gdanim.animate``: a History and a view in, GIF / MP4 / WebP / WebM / HTML / PNG frames out."""
from __future__ import annotations

import inspect
from pathlib import Path

from . import output, render, style as styles, validate, views
from .engines import ENGINES
from .engines.stream import FrameRenderer, default_workers
from .races import Race
from .render import RenderResult
from .sampling import DEFAULT_FRAMES, parse_frames
from .style import canvas_scale

DEFAULT_SIZE = (960, 540)
SIZE_LIMITS = (100, 7680)
MAX_FPS = 100
MAX_DPI = 1200
MAX_END_PAUSE = 60  # seconds
GIF_SMOOTH_FPS = 50  # above this many viewers clamp GIF delays and play slower


def parse_size(size) -> tuple[int, int]:
    """(W, H) from '960x540' or a pair, each within SIZE_LIMITS pixels."""
    return validate.size("size", size, SIZE_LIMITS)


class Animation:
    """A view of a History (or of a Race: ``gdanim.race``), ready to render.

    ``save(path)`` writes a GIF, an MP4, a WebP, a WebM, an HTML player or a directory
    of PNGs and returns a RenderResult; ``frames()`` yields RGB arrays; in Jupyter it
    displays as the HTML player (``show()`` too; elsewhere ``show()`` writes the player
    and prints its path). The parameters are those of :func:`animate`.
    """

    @validate.keywords
    def __init__(
        self, history, view: str = "params", frames: str = DEFAULT_FRAMES, *, size=DEFAULT_SIZE, dpi: float = 100,
        style: str = "light", engine: str = "stream", workers: int | None = None, fps: float = 20,
        end_pause: float = 1.5, quiet: bool = True, title: str | None = None, caption: str | None = None,
        transparent: bool = False, axes=None, elev: float | None = None, azim: float | None = None,
        orbit: float | None = None, record: int | None = None, trail: int | None = None, field: bool | None = None,
        arrows: bool | None = None, explain: bool | None = None, detail: str | None = None,
    ):
        self.history = history
        self.view_name = view
        race = isinstance(history, Race)
        self.view_class = views.get(view, race=race)
        self.frame_spec = frames
        self.records = parse_frames(frames, history.steps + 1)
        self.width, self.height = parse_size(size)
        self.dpi = validate.positive_float("dpi", dpi, upper=MAX_DPI)
        self.style = styles.get(style)
        self.engine = validate.choice("engine", engine, ENGINES)
        self.workers = default_workers() if workers is None else validate.count("workers", workers)
        self.fps = validate.positive_float("fps", fps, upper=MAX_FPS)
        self.end_pause = validate.in_range("end_pause", end_pause, 0, MAX_END_PAUSE, unit="seconds")
        self.quiet = quiet
        self.title, self.caption = _frame_text("title", title), _frame_text("caption", caption)
        self.transparent = validate.flag("transparent", transparent)
        given = dict(axes=axes, elev=elev, azim=azim, orbit=orbit, record=record, trail=trail, field=field, arrows=arrows,
                     explain=explain, detail=detail)
        self.view_options = view_options(view, given, race)
        # A bad view option or an impossible view fails here, before any work. A view may
        # show a record in several frames (the walkthrough's phases): its records rule.
        view = self._new_view()
        if self.engine == "celluloid":
            _photographable(view)
        self.records = view.records

    def _new_view(self):
        """Views hold their artists, so every render gets a fresh one. A TypeError in here is
        a bug in the view, not a bad option: view_options() has checked those by name."""
        view = self.view_class(self.history, self.records, self.style, **self.view_options)
        view.dress(self.title, self.caption, self.transparent)
        return view

    def _look(self):
        """The style's rc for this canvas: sizes grown as the view's text grows, and the
        background see-through when asked."""
        scale = canvas_scale(self.width, self.height, self.view_class.reference_inches)
        return self.style.context(scale, self.transparent)

    @property
    def n_frames(self) -> int:
        return len(self.records)

    def config(self) -> dict:
        """Everything that determines the pixels, for manifests."""
        return {
            "view": self.view_name,
            "view_options": self.view_options,
            "frames": self.frame_spec,
            "records": [int(self.records[0]), int(self.records[-1]), len(self.records)],
            "size": [self.width, self.height],
            "dpi": self.dpi,
            "style": self.style.name,
            "engine": self.engine,
            "fps": self.fps,
            "end_pause": self.end_pause,
            **{key: value for key, value in (("title", self.title), ("caption", self.caption),
                                              ("transparent", self.transparent)) if value},
        }

    # -- rendering -----------------------------------------------------------
    def _rgba_frames(self):
        """Every frame in order, in this process (RGBA views, valid until the next)."""
        view = self._new_view()
        if self.engine == "celluloid":
            from .engines import celluloid as celluloid_engine

            yield from celluloid_engine.frames(view, self.width, self.height, self.dpi)
            return
        renderer = FrameRenderer(view, self.width, self.height, self.dpi)
        for i in range(self.n_frames):
            yield renderer.render(i)

    def frames(self):
        """Yield each frame as an (H, W, 3) uint8 RGB array."""
        with self._look():
            for rgba in self._rgba_frames():
                yield rgba[..., :3].copy()

    def to_matplotlib(self):
        """The celluloid engine's matplotlib ArtistAnimation (for notebooks and matplotlib writers)."""
        from .engines import celluloid as celluloid_engine

        view = _photographable(self._new_view())
        with self._look():
            return celluloid_engine.animation(view, self.width, self.height, self.dpi, self.fps)

    def durations_ms(self, kind: str) -> list[int]:
        """What each frame of a ``kind`` output lasts, in milliseconds."""
        return output.KINDS[kind].durations_ms(self.n_frames, self.fps, self.end_pause)

    @validate.keywords
    def save(self, path, *, manifest: bool = True, keep_frames: bool = False, quality: int | None = None) -> RenderResult:
        """Render to ``path`` (.gif, .mp4, .webp, .webm, .html, or PNG frames into a directory:
        a path ending with "/" or an existing directory), atomically. ``manifest``: write ``NAME.frames.json`` beside it; ``keep_frames``:
        and ``NAME.frames.npz``; ``quality`` (0-100) makes a .webp's or .html's frames lossy."""
        return render.save(self, path, manifest=manifest, keep_frames=keep_frames, quality=quality)

    def _repr_html_(self) -> str:
        """The HTML player (play, pause, step, scrub), for Jupyter."""
        from .output.html import player_markup

        return player_markup(self)

    def show(self, path=None) -> Path | None:
        """Display the player in a notebook; elsewhere write it (to ``path``, by default a
        file in the temporary directory) and print where, to open in a browser."""
        from .output.html import show

        return show(self, path)


@validate.keywords
def animate(history, view: str = "params", frames: str = DEFAULT_FRAMES, *,
            size=DEFAULT_SIZE, dpi: float = 100, style: str = "light", engine: str = "stream",
            workers: int | None = None, fps: float = 20, end_pause: float = 1.5, quiet: bool = True,
            title: str | None = None, caption: str | None = None, transparent: bool = False,
            axes=None, elev: float | None = None, azim: float | None = None, orbit: float | None = None,
            record: int | None = None, trail: int | None = None, field: bool | None = None,
            arrows: bool | None = None, explain: bool | None = None, detail: str | None = None) -> Animation:
    """An Animation of ``history`` (a History, or a Race from ``gdanim.race``), ready to ``save``.

    view: params, residuals, surface, contour, plane, boundary, network, landscape, weights, walkthrough;
        for a Race: race-contour, race-surface, race-loss, race-grid, race-fit.
    frames: the records to show, e.g. "0:50,50:100:5,100:12000:200" or "log:120".
    size: "960x540" or (960, 540) pixels; dpi scales text and lines.
    style: light, dark or article. engine: stream (parallel, blitting) or celluloid.
    workers: render processes (default: CPU count); the bytes are the same for any number.
    fps, end_pause: frames per second, and seconds to hold the last frame. quiet: no progress bar.
    title, caption: text above the axes and below them ($...$ is mathtext); transparent: a
        see-through background (GIF and PNG frames).
    View options, each for the views that take it: axes (the two parameters surface, contour,
    landscape and the race views draw over, e.g. "w1,b"), elev and azim (camera angles in
    degrees), orbit (degrees the surface's camera turns), record (network), trail, field and
    arrows (race views), explain (the arithmetic of each frame's update: params, residuals,
    contour), detail (the steps the walkthrough shows phase by phase, e.g. "0:6").
    """
    return Animation(history, view, frames, size=size, dpi=dpi, style=style, engine=engine, workers=workers, fps=fps,
                     end_pause=end_pause, quiet=quiet, title=title, caption=caption, transparent=transparent,
                     axes=axes, elev=elev, azim=azim, orbit=orbit, record=record, trail=trail, field=field,
                     arrows=arrows, explain=explain, detail=detail)


def _photographable(view):
    """``view``, if the celluloid engine can show it: it photographs artists, and a
    turning camera is the axes' state, so every frame would show the last angle."""
    if view.moving_camera:
        raise validate.ParamError("orbit", lambda w: f"{w.name} needs the stream engine: celluloid photographs artists, "
                                                     "not the camera, so every frame would show the last angle")
    return view


def view_options(view: str, given: dict, race: bool = False) -> dict:
    """The options given (not None) that ``view`` takes; an option for other views is one line."""
    family = views.RACE_VIEWS if race else views.VIEWS
    own = _keywords_of(family[view].__init__)
    chosen = {name: value for name, value in given.items() if value is not None}
    for name in chosen:
        if name not in own:  # only now load the other views, to name those that take it
            takers = [v for v, cls in family.items() if name in _keywords_of(cls.__init__)]
            where = f"the {', '.join(takers[:-1])} and {takers[-1]} views" if len(takers) > 1 else \
                f"the {takers[0]} view" if takers else "no view"
            raise validate.ParamError(name, lambda w: f"{w.name} applies to {where}, not {view}")
    return chosen


def _keywords_of(function) -> set[str]:
    """A view's own options: what its __init__ takes after (history, records, style)."""
    given = list(inspect.signature(function).parameters.values())[4:]
    return {p.name for p in given if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)}


def _frame_text(name: str, value) -> str | None:
    """A title or caption: text that matplotlib can lay out ($...$ is mathtext)."""
    from matplotlib.cbook import is_math_text
    from matplotlib.mathtext import MathTextParser

    value = validate.text(name, value)
    for line in (value or "").split("\n"):  # matplotlib decides line by line what is mathtext
        if is_math_text(line):
            try:
                MathTextParser("agg").parse(line)
            except ValueError as exc:
                problem = str(exc).splitlines()[-1].strip()
                raise validate.ParamError(name, lambda w: f"{w.name} has mathtext that cannot be set ({problem}); "
                                          "escape a literal dollar as \\$") from None
    return value
