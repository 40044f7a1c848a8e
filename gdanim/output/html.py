"""``NAME.html``: one self-contained file that plays, pauses, steps and scrubs an
animation, with a live readout of each frame's record taken from the History.

Frames are a few boxes covering what changed since the frame before
(``output.player_frames``), as base64 on one line per frame: the first frame whole,
then deflated boxes of the GIF's palette indices, where 255 keeps the pixel below.
The browser inflates them (``DecompressionStream``), looks their colours up in the
palette and paints them in order, so frame k is exactly frame k whichever way it was
reached. A lossy ``quality`` sends WebP boxes instead. The player's script and style
are inline and nothing is fetched: the file works from disk with no network. The
file is streamed: head, frames as they come, then the script.

The same markup, without the document around it, is ``Animation._repr_html_``.
"""
from __future__ import annotations

import base64
import html
import json
import os
import sys
import tempfile
from importlib import resources
from pathlib import Path

from ..history import LISTED_PARAMS
from .base import FileContainer
from .player_frames import INDEX_BOX, LossyPlayerFrameEncoder, PlayerFrameEncoder, palette_rgba, unbanded
from .timing import check_timing
from .webp import durations_ms, read_payload, still

#: The document around the player; ``fragment`` cuts the player back out.
_BODY_START = '<body style="margin:0">\n'
_BODY_END = "\n</body>"
_SPEEDS = (0.25, 0.5, 1, 2, 4)
#: What the readout says until the script has painted the first frame: where scripts
#: never run (an untrusted notebook, GitHub's viewer) it stays, and says why
_LOADING = ("loading frames... If this stays, scripts do not run here (an untrusted notebook, or a viewer "
            "such as GitHub's): trust the notebook, or show a GIF instead.")


def readout(history, records) -> dict:
    """What the player shows beside frame i, one line per run: record, epoch,
    parameters (up to ``history.LISTED_PARAMS`` of them; past that, their count) and J, by column.

    A race (an object with ``histories`` and ``labels``) shows every run; frame i shows
    step k of each, that is its record ``min(k, steps)``. Parameters come to 4
    significant digits and J to 5, as Python formats them (``format(v, ".4g")``),
    ready to show: the full floats cost a network's player a third of its bytes.
    """
    runs = getattr(history, "histories", None)
    labels = getattr(history, "labels", None) if runs is not None else [None]
    return {"runs": [_run_readout(run, label, records) for run, label in zip(runs or [history], labels)]}


def _run_readout(history, label, records) -> dict:
    ks = [min(int(k), history.steps) for k in records]
    listed = len(history.names) <= LISTED_PARAMS
    return {
        "label": label,
        "names": list(history.names) if listed else [],
        "unnamed": 0 if listed else len(history.names),
        "record": ks,
        "epoch": [int(history.epoch[k]) for k in ks],
        "params": [[format(float(v), ".4g") for v in history.params[k]] for k in ks] if listed else [],
        "J": [format(float(history.J[k]), ".5g") for k in ks],
    }


def _asset(name: str) -> str:
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")


def _script_json(value) -> str:
    """JSON safe inside a <script> element: no "</" can close it early."""
    return json.dumps(value, separators=(",", ":"), allow_nan=False).replace("</", "<\\/")


def _controls(n_frames: int) -> str:
    speeds = "".join(
        f'<option value="{s}"{" selected" if s == 1 else ""}>{s:g}x</option>' for s in _SPEEDS
    )
    return (
        '<div class="gdanim-controls">'
        '<button type="button" data-act="back" title="step back (&#8592;)" aria-label="step back">&#9664;&#9646;</button>'
        '<button type="button" data-act="play" title="play or pause (space)" aria-label="play">&#9654;</button>'
        '<button type="button" data-act="forward" title="step forward (&#8594;)" aria-label="step forward">&#9646;&#9654;</button>'
        f'<input type="range" class="gdanim-slider" min="0" max="{n_frames - 1}" step="1" value="0" aria-label="frame">'
        f'<span class="gdanim-counter">1 / {n_frames}</span>'
        f'<label>speed <select class="gdanim-speed">{speeds}</select></label>'
        '<label><input type="checkbox" class="gdanim-loop" checked> loop</label>'
        "</div>"
    )


def player_head(width: int, height: int, meta: dict) -> str:
    """The player's markup up to its frames, which follow one per line."""
    return (
        f'<div class="gdanim-player" tabindex="0" style="max-width:{width}px">\n'
        f"<style>{_asset('player.css')}</style>\n"
        f'<canvas class="gdanim-canvas" width="{width}" height="{height}"></canvas>\n'
        f"{_controls(meta['frames'])}\n"
        f'<div class="gdanim-readout">{_LOADING}</div>\n'
        f'<script type="application/json" class="gdanim-meta">{_script_json(meta)}</script>\n'
        '<script type="text/plain" class="gdanim-frames">\n'
    )


def player_tail() -> str:
    return f"</script>\n<script>\n{_asset('player.js')}</script>\n</div>"


def fragment(document: str) -> str:
    """The player alone (for a notebook) from a whole ``NAME.html`` document."""
    start = document.index(_BODY_START) + len(_BODY_START)
    return document[start : document.rindex(_BODY_END)]


def player_markup(anim) -> str:
    """An Animation's player, without the document around it: its notebook display."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "animation.html"
        anim.save(out, manifest=False)
        return fragment(out.read_text(encoding="utf-8"))


def in_notebook() -> bool:
    """True inside a Jupyter kernel (IPython is imported there, never by gdanim)."""
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None and hasattr(ipython, "get_ipython") else None
    return shell is not None and "IPKernelApp" in getattr(shell, "config", {})


def show(anim, path=None) -> Path | None:
    """``Animation.show``: the player displayed in a notebook; elsewhere written to
    ``path`` (default: the temporary directory) with its path printed."""
    if in_notebook():
        from IPython.display import HTML, display

        display(HTML(player_markup(anim)))
        return None
    if path is None:  # one file per call: a second animation must not replace the first
        handle, name = tempfile.mkstemp(prefix=f"gdanim-{anim.view_name}-", suffix=".html")
        os.close(handle)
        try:
            result = anim.save(name, manifest=False)
        except BaseException:
            os.unlink(name)
            raise
    else:
        result = anim.save(path, manifest=False)
    print(f"gdanim: open {result.path.resolve()} in a browser")
    return result.path


class HtmlContainer(FileContainer):
    """Streams frames into a self-contained HTML player: boxes of ``palette`` indices
    (``PlayerFrameEncoder``), or without a palette WebP boxes (``LossyPlayerFrameEncoder``)."""

    def __init__(self, path, width, height, *, fps, end_pause=0.0, readout, loop=True, palette=None):
        check_timing(fps, end_pause)
        frames = len(readout["runs"][0]["record"])
        if frames < 1:
            raise ValueError("an HTML player needs at least one frame")
        self._expected = frames
        super().__init__(path)
        meta = {
            "width": width, "height": height, "frames": frames, "loop": loop,
            "durations": durations_ms(frames, fps, end_pause), "readout": readout,
        }
        self._indexed = palette is not None
        if self._indexed:
            meta["palette"] = base64.b64encode(palette_rgba(palette).tobytes()).decode("ascii")
        title = html.escape(os.path.basename(self.target))
        document_head = (
            '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{title}</title></head>\n{_BODY_START}"
        )
        self._write((document_head + player_head(width, height, meta)).encode("utf-8"))

    def add(self, data: bytes) -> None:
        if self._closed:
            raise ValueError("the HTML container is closed")
        if self.n_frames >= self._expected:
            raise ValueError(f"more frames than the {self._expected} the readout describes")
        line = []
        for part in unbanded(data):
            if self._indexed:
                x, y, width, _ = INDEX_BOX.unpack_from(part)
                line.append(f"{x} {y} {width} " + base64.b64encode(part[INDEX_BOX.size :]).decode("ascii"))
            else:
                x, y, width, height, _, chunks = read_payload(part)
                line.append(f"{x} {y} " + base64.b64encode(still(chunks, width, height)).decode("ascii"))
        self._write((" ".join(line) + "\n").encode("utf-8"))
        self.n_frames += 1

    def _write_end(self) -> None:
        """The player's script after the frames, once every frame the readout describes came."""
        if self.n_frames != self._expected:
            self.abort()
            raise ValueError(f"{self.n_frames} frames for a readout of {self._expected}")
        self._write((player_tail() + _BODY_END + "\n</html>\n").encode("utf-8"))


def frame_encoder(palette, quality):
    """The GIF's palette indices, losslessly, unless a lossy ``quality`` is asked for."""
    return PlayerFrameEncoder(palette) if quality is None else LossyPlayerFrameEncoder(quality)


def open_container(path, settings):
    return HtmlContainer(path, settings.width, settings.height, fps=settings.fps, end_pause=settings.end_pause,
                         readout=readout(settings.history, settings.records),
                         palette=settings.palette if settings.quality is None else None)
