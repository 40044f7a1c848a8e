"""``gdanim.animate``: a History and a view in, GIF / MP4 / PNG frames out."""
from __future__ import annotations

import base64
import inspect
import sys
import tempfile
import time
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from . import encode, style as styles, validate, views
from .engines import ENGINES
from .engines import celluloid as celluloid_engine
from .engines.stream import FrameRenderer, default_workers, render_stream
from .errors import ConfigError
from .sampling import parse_frames
from .validate import ParamError

DEFAULT_FRAMES = "log:120"
DEFAULT_SIZE = (960, 540)
SIZE_LIMITS = (100, 7680)
MAX_FPS = 100
MAX_DPI = 1200
MAX_END_PAUSE = 60  # seconds
GIF_SMOOTH_FPS = 50  # above this many viewers clamp GIF delays and play slower


@dataclass
class RenderResult:
    path: Path
    kind: str
    frames: int
    width: int
    height: int
    fps: float
    durations_ms: list[int]
    hashes: list[str]
    seconds: float
    bytes: int
    manifest: Path | None = None
    extra: dict = field(default_factory=dict)


def parse_size(size) -> tuple[int, int]:
    """(W, H) from '960x540' or a pair, each within SIZE_LIMITS pixels."""
    return validate.size("size", size, SIZE_LIMITS)


class Animation:
    """A view of a History, ready to render.

    ``save(path)`` writes a GIF, an MP4 or a directory of PNGs and returns a
    RenderResult; ``frames()`` yields RGB arrays; in Jupyter it displays inline.
    The parameters are those of :func:`animate`.
    """

    @validate.keywords
    def __init__(
        self, history, view: str = "params", frames: str = DEFAULT_FRAMES, *, size=DEFAULT_SIZE, dpi: float = 100,
        style: str = "light", engine: str = "stream", workers: int | None = None, fps: float = 20,
        end_pause: float = 1.5, quiet: bool = True, axes=None, elev: float | None = None, azim: float | None = None,
        orbit: float | None = None,
    ):
        self.history = history
        self.view_name = view
        self.view_class = views.get(view)
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
        self.view_options = view_options(view, dict(axes=axes, elev=elev, azim=azim, orbit=orbit))
        self._new_view()  # a bad view option or an impossible view fails here, before any work

    def _new_view(self):
        """Views hold their artists, so every render gets a fresh one."""
        return self.view_class(self.history, self.records, self.style, **self.view_options)

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
        }

    # -- rendering -----------------------------------------------------------
    def _rgba_frames(self):
        """Every frame in order, in this process (RGBA views, valid until the next)."""
        view = self._new_view()
        if self.engine == "celluloid":
            yield from celluloid_engine.frames(view, self.width, self.height, self.dpi)
            return
        renderer = FrameRenderer(view, self.width, self.height, self.dpi)
        for i in range(self.n_frames):
            yield renderer.render(i)

    def frames(self):
        """Yield each frame as an (H, W, 3) uint8 RGB array."""
        with self.style.context():
            for rgba in self._rgba_frames():
                yield rgba[..., :3].copy()

    def to_matplotlib(self):
        """The celluloid engine's matplotlib ArtistAnimation (for notebooks and matplotlib writers)."""
        with self.style.context():
            return celluloid_engine.animation(self._new_view(), self.width, self.height, self.dpi, self.fps)

    def durations_ms(self, kind: str) -> list[int]:
        if kind == "gif":
            return [10 * d for d in encode.gif_delays(self.n_frames, self.fps, self.end_pause)]
        frame_ms = 1000.0 / self.fps
        return [round(frame_ms)] * (self.n_frames + self.pause_frames(kind))

    def pause_frames(self, kind: str) -> int:
        return round(self.end_pause * self.fps) if kind == "mp4" else 0

    @validate.keywords
    def save(self, path, *, manifest: bool = True, keep_frames: bool = False) -> RenderResult:
        """Render to ``path`` atomically: .gif, .mp4, or PNG frames into a directory (a path
        ending with "/" or an existing directory)."""
        from . import hashing

        kind = encode.output_kind(path)  # before Path() drops a trailing "/"
        encode.check_writable(path)
        path = Path(path)
        if kind == "mp4" and (self.width % 2 or self.height % 2):
            raise ConfigError(f"MP4 (H.264 yuv420p) needs an even width and height; got {self.width}x{self.height}")
        encode.install_signal_cleanup()
        start = time.perf_counter()
        hashes = []
        with self.style.context():
            renderer = palette = None
            if self.engine == "stream" or kind == "gif":
                renderer = FrameRenderer(self._new_view(), self.width, self.height, self.dpi)
            if kind == "gif":
                # From the stream engine's last frame, which shows the most (whole traces,
                # the whole path), so both engines share it. Measured over every view,
                # more sample frames do not raise the PSNR; they only cost time.
                palette = encode.Palette.from_frames([renderer.render(self.n_frames - 1)])
            make_encoder = partial(encode.frame_encoder, kind, palette)
            container = encode.open_container(
                path, kind, width=self.width, height=self.height, fps=self.fps, end_pause=self.end_pause, palette=palette
            )
            keeper = hashing.FrameKeeper(path) if keep_frames else None
            progress = _progress(self.n_frames, f"{self.view_name} -> {path.name}", self.quiet)
            try:
                with container:
                    if self.engine == "celluloid":
                        stream = self._encoded_in_process(make_encoder, keep_frames)
                    else:
                        stream = render_stream(renderer, self.n_frames, make_encoder, self.workers, keep_frames)
                    for payload, digest, rgba in stream:
                        container.add(payload)
                        hashes.append(digest)
                        if keeper is not None:
                            keeper.add(rgba)
                        progress.update()
                if keeper is not None:
                    keeper.close()
            except BaseException:
                if keeper is not None:
                    keeper.abort()
                raise
            finally:
                progress.close()
        seconds = time.perf_counter() - start
        result = RenderResult(
            path=path, kind=kind, frames=len(hashes), width=self.width, height=self.height, fps=self.fps,
            durations_ms=self.durations_ms(kind), hashes=hashes, seconds=seconds, bytes=_size_of(path),
        )
        if manifest:
            result.manifest = hashing.write_manifest(self, result)
        return result

    def _encoded_in_process(self, make_encoder, keep_frames):
        from .hashing import frame_hash

        encoder = make_encoder()
        for rgba in self._rgba_frames():
            yield encoder.encode(rgba), frame_hash(rgba), rgba.copy() if keep_frames else None

    def _repr_html_(self) -> str:
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "animation.gif"
            self.save(out, manifest=False)
            data = base64.b64encode(out.read_bytes()).decode("ascii")
        return f'<img src="data:image/gif;base64,{data}" width="{self.width}" height="{self.height}"/>'


@validate.keywords
def animate(history, view: str = "params", frames: str = DEFAULT_FRAMES, *,
            size=DEFAULT_SIZE, dpi: float = 100, style: str = "light", engine: str = "stream",
            workers: int | None = None, fps: float = 20, end_pause: float = 1.5, quiet: bool = True,
            axes=None, elev: float | None = None, azim: float | None = None, orbit: float | None = None) -> Animation:
    """An Animation of ``history``, ready to ``save`` as GIF, MP4 or PNG frames.

    view: params, residuals, surface, contour or plane.
    frames: the records to show, e.g. "0:50,50:100:5,100:12000:200" or "log:120".
    size: "960x540" or (960, 540) pixels; dpi scales text and lines.
    style: light, dark or article. engine: stream (parallel, blitting) or celluloid.
    workers: render processes (default: CPU count); the bytes are the same for any number.
    fps, end_pause: frames per second, and seconds to hold the last frame.
    quiet: no progress bar.
    axes: the two parameters surface and contour draw over, e.g. "w1,b".
    elev, azim: camera angles in degrees (surface, plane); orbit: degrees the surface's camera turns.
    """
    return Animation(history, view, frames, size=size, dpi=dpi, style=style, engine=engine, workers=workers, fps=fps,
                     end_pause=end_pause, quiet=quiet, axes=axes, elev=elev, azim=azim, orbit=orbit)


def view_options(view: str, given: dict) -> dict:
    """The options given (not None) that ``view`` takes; an option for other views is one line."""
    accepted = {name: _keywords_of(cls.__init__) for name, cls in views.VIEWS.items()}
    chosen = {name: value for name, value in given.items() if value is not None}
    for name in chosen:
        if name not in accepted[view]:
            takers = [v for v, options in accepted.items() if name in options]
            views_word = f"{' and '.join(takers)} view" + "s" * (len(takers) > 1)
            raise ParamError(name, lambda w: f"{w.name} applies to the {views_word}, not {view}")
    return chosen


def _keywords_of(function) -> set[str]:
    return {p.name for p in inspect.signature(function).parameters.values() if p.kind == p.KEYWORD_ONLY}


def _progress(total: int, desc: str, quiet: bool):
    from tqdm import tqdm

    class Progress(tqdm):
        # tqdm's monitor thread starts with the first bar, shown or not, and lives on; a
        # later render forks its workers beside it, and a fork that catches the thread
        # holding a lock hangs. The bar is refreshed by update() anyway.
        monitor_interval = 0

    show = not quiet and sys.stderr.isatty()
    return Progress(total=total, desc=desc, unit="frame", file=sys.stderr, disable=not show, leave=False)


def _size_of(path: Path) -> int:
    if path.is_dir():
        return sum(f.stat().st_size for f in path.glob("frame_*.png"))
    return path.stat().st_size

