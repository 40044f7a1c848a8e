"""``gdanim.animate``: a History and a view in, GIF / MP4 / PNG frames out."""
from __future__ import annotations

import base64
import math
import os
import sys
import tempfile
import time
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import numpy as np

from . import encode, style as styles, views
from .engines import ENGINES
from .engines import celluloid as celluloid_engine
from .engines.stream import FrameRenderer, default_workers, render_stream
from .errors import ConfigError
from .sampling import parse_frames

DEFAULT_FRAMES = "log:120"
DEFAULT_SIZE = (960, 540)
SIZE_LIMITS = (100, 7680)
MAX_FPS = 100
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
    if isinstance(size, str):
        w, sep, h = size.lower().partition("x")
        try:
            if not sep:
                raise ValueError
            size = (int(w), int(h))
        except ValueError:
            raise ConfigError(f"--size must look like 960x540 (pixels), got {size!r}") from None
    w, h = (int(v) for v in size)
    lo, hi = SIZE_LIMITS
    if not (lo <= w <= hi and lo <= h <= hi):
        raise ConfigError(f"--size {w}x{h} is out of range: each side must be {lo} to {hi} pixels")
    return w, h


class Animation:
    """A view of a History, ready to render.

    ``save(path)`` writes a GIF, an MP4 or a directory of PNGs and returns a
    RenderResult; ``frames()`` yields RGB arrays; in Jupyter it displays inline.
    """

    def __init__(
        self,
        history,
        view: str = "params",
        frames: str = DEFAULT_FRAMES,
        *,
        size=DEFAULT_SIZE,
        dpi: float = 100,
        style: str = "light",
        engine: str = "stream",
        workers: int | None = None,
        fps: float = 20,
        end_pause: float = 1.5,
        quiet: bool = True,
        **view_options,
    ):
        self.history = history
        self.view_name = view
        self.view_class = views.get(view)
        self.frame_spec = frames
        self.records = parse_frames(frames, history.steps + 1)
        self.width, self.height = parse_size(size)
        self.dpi = _positive("--dpi", dpi, upper=1200)
        self.style = styles.get(style)
        if engine not in ENGINES:
            raise ConfigError(f"unknown engine {engine!r}; choose one of: {', '.join(ENGINES)}")
        self.engine = engine
        self.workers = default_workers() if workers is None else _whole("--workers", workers)
        self.fps = _positive("--fps", fps, upper=MAX_FPS)
        self.end_pause = float(end_pause)
        if not (math.isfinite(self.end_pause) and 0 <= self.end_pause <= 60):
            raise ConfigError(f"--end-pause must be 0 to 60 seconds, got {end_pause!r}")
        self.quiet = quiet
        if view_options.get("explain") and not self.view_class.explains:
            raise ConfigError(f"explain= applies to the {', '.join(views.explaining())} views, not {view}")
        self.view_options = view_options
        # A bad view option or an impossible view fails here, before any work. A view may
        # show a record in several frames (the walkthrough's phases): its records rule.
        self.records = self._new_view().records

    def _new_view(self):
        """Views hold their artists, so every render gets a fresh one."""
        try:
            return self.view_class(self.history, self.records, self.style, **self.view_options)
        except TypeError as exc:
            raise ConfigError(f"view {self.view_name!r}: {exc}") from None

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

    def save(self, path, *, manifest: bool = True, keep_frames: bool = False) -> RenderResult:
        """Render to ``path`` (.gif, .mp4, or a directory for PNGs), atomically."""
        from . import hashing

        path = Path(path)
        kind = encode.output_kind(path)
        encode.check_writable(path)
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


def animate(history, view: str = "params", frames: str = DEFAULT_FRAMES, **options) -> Animation:
    """Make an Animation of ``history`` with one of the views (params, residuals, surface, contour, plane)."""
    return Animation(history, view, frames, **options)


def _progress(total: int, desc: str, quiet: bool):
    from tqdm import tqdm

    show = not quiet and sys.stderr.isatty()
    return tqdm(total=total, desc=desc, unit="frame", file=sys.stderr, disable=not show, leave=False)


def _size_of(path: Path) -> int:
    if path.is_dir():
        return sum(f.stat().st_size for f in path.glob("frame_*.png"))
    return path.stat().st_size


def _positive(name: str, value, upper: float) -> float:
    try:
        value = float(value)
    except (TypeError, ValueError):
        raise ConfigError(f"{name} must be a number, got {value!r}") from None
    if not (math.isfinite(value) and 0 < value <= upper):
        raise ConfigError(f"{name} must be above 0 and at most {upper:g}, got {value:g}")
    return value


def _whole(name: str, value) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ConfigError(f"{name} must be a whole number >= 1, got {value!r}")
    return int(value)
