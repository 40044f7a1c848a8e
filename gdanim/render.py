"""Rendering an Animation to a file: ``Animation.save``.

An engine draws the frames; a frame step (``EncodeAndHash``), run in the process that
drew each frame, encodes it for the output and hashes it; the output's container
writes the payloads in order, ``framestore`` keeps the frames if asked, and the
manifest records the hashes and the config that made them. What each output needs
(a palette, even sides, a quality, its timing) is its ``output.Format``'s to say.
"""
from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from . import output, style as styles
from .engines.pool import frozen_gc
from .engines.stream import FrameRenderer, render_stream
from .framestore import FrameKeeper
from .hashing import frame_hash
from .manifest import render_config, write_manifest
from .output.gif import OPAQUE_FROM
from .output.palette import Palette
from .output.signals import install_signal_cleanup
from .output.webp import check_quality
from .validate import ParamError

CHUNK_BYTES = 8 << 20  # of raw frames per worker chunk: memory stays flat, whatever the frame count


@dataclass
class RenderResult:
    """What a render wrote. Its repr leaves out the per-frame lists (a notebook cell
    ending in ``anim.save(...)`` shows it): read ``hashes`` and ``durations_ms``."""

    path: Path
    kind: str
    frames: int
    width: int
    height: int
    fps: float
    durations_ms: list[int] = field(repr=False)
    hashes: list[str] = field(repr=False)
    seconds: float
    bytes: int
    manifest: Path | None = None
    extra: dict = field(default_factory=dict)


class EncodeAndHash:
    """The frame step of a render, run where the frame was drawn (a render worker):
    encode the frame for the output, hash it, and copy it when frames are kept."""

    def __init__(self, encoder, keep_frames: bool):
        self.encoder, self.keep_frames = encoder, keep_frames
        self.needs_previous = encoder.needs_previous

    @classmethod
    def start(cls, kind: str, palette, quality, keep_frames: bool, see_through: bool = False) -> "EncodeAndHash":
        return cls(output.frame_encoder(kind, palette, quality, see_through), keep_frames)

    def prime(self, rgba) -> None:
        self.encoder.prime(rgba)

    def __call__(self, rgba):
        """(payload, frame hash, a copy of the frame or None)."""
        return self.encoder.encode(rgba), frame_hash(rgba), rgba.copy() if self.keep_frames else None


def save(anim, path, *, manifest: bool, keep_frames: bool, quality) -> RenderResult:
    """Render ``anim`` (an ``Animation``) to ``path``, atomically; see ``Animation.save``."""
    kind = output.output_kind(path)  # before Path() drops a trailing "/"
    output.check_writable(path)
    path = Path(path)
    form = output.KINDS[kind]
    quality = _quality(form, quality)
    if form.video and (anim.width % 2 or anim.height % 2):
        raise ParamError("size", lambda w: (
            f"{w.given(f'{anim.width}x{anim.height}')} has an odd side: {form.video} needs an even width and height"))
    if form.opaque and anim.transparent:
        raise ParamError("transparent", lambda w: f"{w.name} needs a .gif or PNG frames: {form.opaque} has no transparency")
    install_signal_cleanup()
    start = time.perf_counter()
    hashes = []
    with anim._look(), frozen_gc():
        renderer = palette = None
        quantised = form.palette and quality is None
        if anim.engine == "stream" or quantised:
            renderer = FrameRenderer(anim._new_view(), anim.width, anim.height, anim.dpi)
        if quantised:
            # From the stream engine's last frame, which shows the most (whole traces,
            # the whole path), so both engines share it. Measured over every view,
            # more sample frames do not raise the PSNR; they only cost time. The
            # view's key colours (markers, lines, points) get exact entries.
            last = renderer.render(anim.n_frames - 1)
            # a see-through GIF's palette holds only the colours that are shown
            shown = last[last[..., 3] >= OPAQUE_FROM][None] if anim.transparent else last
            palette = Palette.from_frames(
                [shown if shown.size else last], key_colors=styles.rgb8(renderer.view.key_colors())
            )
        make_step = partial(EncodeAndHash.start, kind, palette, quality, keep_frames, anim.transparent)
        container = output.open_container(
            path, kind, width=anim.width, height=anim.height, fps=anim.fps, end_pause=anim.end_pause,
            palette=palette, quality=quality, history=anim.history, records=anim.records,
        )
        keeper = FrameKeeper(path) if keep_frames else None
        progress = _progress(anim.n_frames, f"{anim.view_name} -> {path.name}", anim.quiet)
        try:
            with container:
                if anim.engine == "celluloid":
                    step = make_step()
                    stream = (step(rgba) for rgba in anim._rgba_frames())
                else:
                    most = chunk_frames(kind, anim.width, anim.height, keep_frames)
                    stream = render_stream(renderer, anim.n_frames, make_step, anim.workers, max_chunk=most)
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
        path=path, kind=kind, frames=len(hashes), width=anim.width, height=anim.height, fps=anim.fps,
        durations_ms=anim.durations_ms(kind), hashes=hashes, seconds=seconds, bytes=_size_of(path),
    )
    if manifest:
        result.manifest = write_manifest(result, render_config(anim.history, anim.config()))
    return result


def chunk_frames(kind: str, width: int, height: int, keep_frames: bool) -> int | None:
    """Frames per worker chunk when payloads are big (raw video frames, kept frames): a
    chunk is held whole, in its worker and in the parent, with two chunks per worker
    in flight."""
    pixels = width * height
    frame_bytes = (pixels * 3 // 2 if output.KINDS[kind].video else 0) + (4 * pixels if keep_frames else 0)
    return max(1, CHUNK_BYTES // frame_bytes) if frame_bytes else None


def _quality(form: output.Format, quality):
    """None, or a whole number 0-100 for an output that has a lossy mode."""
    if quality is None:
        return None
    if not form.quality:
        lossy = " and ".join(suffix for suffix, f in output.FORMATS.items() if f.quality)
        raise ParamError("quality", lambda w: f"{w.name} applies only to {lossy} outputs, not to {form.kind.upper()}")
    return check_quality(quality)


class _NoProgress:
    """What a render with no bar to show updates (tqdm is not even imported)."""

    def update(self) -> None:
        pass

    def close(self) -> None:
        pass


def _progress(total: int, desc: str, quiet: bool):
    if quiet or not sys.stderr.isatty():
        return _NoProgress()
    from tqdm import tqdm

    class Progress(tqdm):
        # tqdm's monitor thread starts with the first bar, shown or not, and lives on; a
        # later render forks its workers beside it, and a fork that catches the thread
        # holding a lock hangs. update() refreshes the bar anyway.
        monitor_interval = 0

    return Progress(total=total, desc=desc, unit="frame", file=sys.stderr, leave=False)


def _size_of(path: Path) -> int:
    if path.is_dir():
        return sum(f.stat().st_size for f in path.glob("frame_*.png"))
    return path.stat().st_size
