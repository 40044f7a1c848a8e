"""What a comparison says: the lines of ``gdanim check``'s message, and the diff report.

The report (``--report DIR``) holds diff images of the first differing frames
(``framediff.diff_image``), ``summary.json`` and ``index.html``. The functions take
the two sides of a comparison (``check.Side``) and its result (``check.CheckResult``).
"""
from __future__ import annotations

import html
import io
import json
from pathlib import Path

import numpy as np

from .errors import GdanimError
from .framediff import CHANGED_LEVEL, FrameStats, diff_image, frame_stats
from .manifest import RENDER_VERSIONS, dumps
from .output.atomic import AtomicFile

#: Differing frames that get images in a report.
REPORT_FRAME_LIMIT = 50
_SHOWN_RANGES = 8
_SHOWN_CHANGES = 6
_NAMES = {"matplotlib": "matplotlib", "freetype": "FreeType"}


# --------------------------------------------------------------------------- the message


def _describe(s: FrameStats) -> str:
    return f"{s.frame}: RMS {s.rms:.3f}, changed pixels {_percent(s.changed_fraction)} ({s.changed} of {s.pixels})"


def _percent(fraction: float) -> str:
    return f"{fraction * 100:.4g}%"


def failure(new, base, differing: list[int], criterion: str = "") -> str:
    """A failure's headline: a size change, else which frames differ, after any count change."""
    if new.size != base.size:
        return "frame size changed: the baseline is {}x{} pixels, new is {}x{}".format(*base.size, *new.size)
    beyond = f" {criterion}" if criterion else ""
    which = f"first differing frame: {differing[0]}; differing frames: {frame_ranges(differing)}" if differing else ""
    if new.count != base.count:
        common = min(new.count, base.count)
        change = f"frame count changed: the baseline has {base.count} frames, new has {new.count}"
        if not differing:
            return f"{change}; the first {common} frames match{' within tolerance' if criterion else ''}"
        return f"{change}; among the first {common}{beyond}: {which}"
    verb = "differs" if len(differing) == 1 else "differ"
    return f"{len(differing)} of {new.count} frames {verb} from the baseline{beyond}; {which}"


def tolerance_lines(new, base, ok: bool, stats: dict, differing: list[int], tolerance: float, fraction: float) -> list[str]:
    """The verdict of a pixel comparison, with the frames beyond the limits."""
    limits = f"RMS <= {tolerance:g}, changed pixels <= {_percent(fraction)}"
    if ok:
        lines = [f"OK: all {new.count} frames within tolerance ({limits})"]
        if stats:
            worst = max(stats.values(), key=lambda s: (s.rms, s.changed))
            lines[0] += f"; largest difference: frame {_describe(worst)}"
        return lines
    lines = ["FAIL: " + failure(new, base, differing, f"beyond tolerance ({limits})")]
    lines += [f"  frame {_describe(stats[i])}" for i in differing[:_SHOWN_RANGES]]
    if len(differing) > _SHOWN_RANGES:
        lines.append(f"  ... and {len(differing) - _SHOWN_RANGES} more frames")
    return lines


def frame_ranges(indices) -> str:
    """'1-6, 9, 12-14' for the sorted frame indices, the first few ranges of many."""
    runs = []
    for i in indices:
        if runs and i == runs[-1][1] + 1:
            runs[-1][1] = i
        else:
            runs.append([i, i])
    text = ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in runs[:_SHOWN_RANGES])
    if len(runs) > _SHOWN_RANGES:
        text += f", ... ({len(runs)} ranges in all)"
    return text


def domain_refusal(new, base) -> str:
    decoded = new if new.domain != "rendered" else base
    kind = decoded.kind.upper()
    return (f"cannot compare hashes: the {decoded.role} manifest hashes frames decoded from a "
            f"{kind} ({decoded.label}), the other hashes rendered frames; "
            f"{kind} frames are {decoded.decoded}, so no frame could match. Compare the render's "
            "own NAME.frames.json, or hash both outputs with gdanim hash, or compare pixels with --tolerance")


def environment_change(new, base) -> str | None:
    """The render versions that differ between the two sides, in words, or None."""
    old, now = base.manifest["versions"], new.manifest["versions"]
    changed = [name for name in RENDER_VERSIONS if old.get(name) != now.get(name)]
    if not changed:
        return None

    def versions(v):
        return " and ".join(f"{_NAMES[n]} {v.get(n, 'unknown')}" for n in RENDER_VERSIONS)

    return f"the baseline was made with {versions(old)}, new with {versions(now)}"


def trailer(new, base, changes: list[str]) -> list[str]:
    lines = [f"  new:      {new.label}", f"  baseline: {base.label}"]
    if changes:
        more = f"; and {len(changes) - _SHOWN_CHANGES} more" if len(changes) > _SHOWN_CHANGES else ""
        lines.append(f"  config changes: {'; '.join(changes[:_SHOWN_CHANGES])}{more}")
    return lines


def config_changes(new, base) -> list[str]:
    """'training.lr: 0.05 -> 0.0505' for each setting that differs (when both come from renders)."""
    old, now = base.manifest.get("config"), new.manifest.get("config")
    if not isinstance(old, dict) or not isinstance(now, dict):
        return []
    flat_old, flat_new = _flatten(old), _flatten(now)

    def shown(flat, key):
        text = flat.get(key, "(none)")
        return text if len(text) <= 40 else text[:37] + "..."

    return [f"{key}: {shown(flat_old, key)} -> {shown(flat_new, key)}"
            for key in sorted(flat_old.keys() | flat_new.keys()) if flat_old.get(key) != flat_new.get(key)]


def _flatten(tree, prefix=""):
    """{'training.lr': '0.02', ...}: each leaf setting as JSON, under its dotted path."""
    flat = {}
    for key, value in tree.items():
        if isinstance(value, dict) and value:
            flat.update(_flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = json.dumps(value, sort_keys=True)
    return flat


# --------------------------------------------------------------------------- the report


def write_report(directory: Path, result, new, base, limits) -> Path:
    """Diff images of the first differing frames, ``summary.json`` and ``index.html``."""
    directory.mkdir(parents=True, exist_ok=True)
    for stale in directory.glob("frame_*-*.png"):  # a previous report's images
        stale.unlink()
    shown = result.differing[:REPORT_FRAME_LIMIT]
    images, notes, pixels = {}, [], {}
    for side in (new, base) if shown else ():
        try:
            note = side.prepare_pixels()
        except GdanimError as exc:  # the pixels cannot be had: the report says why
            notes.append(f"no {side.role} images: {exc}")
        else:
            notes += [note] if note else []
            pixels[side.role] = side.frames(shown)
    if "new" in pixels:
        baseline = pixels.get("baseline")
        for i, rgba in pixels["new"]:
            entry = images[i] = {"new": _save_png(directory, f"frame_{i:05d}-new.png", rgba)}
            if baseline is None:
                continue
            _, old = next(baseline)
            entry["baseline"] = _save_png(directory, f"frame_{i:05d}-baseline.png", old)
            entry["diff"] = _save_png(directory, f"frame_{i:05d}-diff.png", diff_image(rgba, old))
            result.stats.setdefault(i, frame_stats(i, rgba, old))
    summary = {
        "ok": result.ok,
        "mode": result.mode,
        "message": result.message,
        "new": new.label,
        "baseline": base.label,
        "frames": {"new": new.count, "baseline": base.count},
        "size": {"new": list(new.size), "baseline": list(base.size)},
        "first_difference": result.first_difference,
        "differing": result.differing,
        "limits": None if limits is None else {
            "tolerance": limits[0], "max_changed_fraction": limits[1], "changed_level": CHANGED_LEVEL},
        "environment": result.environment,
        "frame_stats": [
            {"frame": s.frame, "rms": s.rms, "changed": s.changed, "changed_fraction": s.changed_fraction}
            for _, s in sorted(result.stats.items())
        ],
        "images": {str(i): v for i, v in images.items()},
        "notes": notes,
    }
    _write(directory / "summary.json", dumps(summary).encode("utf-8"))
    index = directory / "index.html"
    _write(index, _html(summary, result, images).encode("utf-8"))
    return index


def _write(path: Path, data: bytes) -> None:
    with AtomicFile(path) as file:
        file.write(data)


def _save_png(directory: Path, name: str, pixels: np.ndarray) -> str:
    from PIL import Image

    buffer = io.BytesIO()
    Image.fromarray(np.ascontiguousarray(pixels)).save(buffer, format="PNG")
    _write(directory / name, buffer.getvalue())
    return name


def _html(summary: dict, result, images: dict) -> str:
    esc = html.escape
    rows = []
    for i in result.differing[:REPORT_FRAME_LIMIT]:
        s = result.stats.get(i)
        numbers = f"RMS {s.rms:.3f}<br>changed {_percent(s.changed_fraction)}" if s else ""
        cells = "".join(
            f'<td><a href="{esc(images[i][k])}"><img src="{esc(images[i][k])}" alt="{k}"></a></td>'
            if k in images.get(i, {}) else "<td></td>"
            for k in ("baseline", "new", "diff")
        )
        rows.append(f"<tr><th>frame {i}</th><td>{numbers}</td>{cells}</tr>")
    notes = "".join(f"<p class=note>{esc(n)}</p>" for n in summary["notes"])
    table = ("<table><tr><th></th><th></th><th>baseline</th><th>new</th><th>difference (amplified)</th></tr>"
             + "".join(rows) + "</table>") if rows else ""
    status = "OK" if result.ok else "FAIL"
    return f"""<!doctype html>
<html><head><meta charset="utf-8"><title>gdanim check: {status}</title>
<style>body{{font-family:sans-serif;margin:2em}} pre{{background:#f4f4f4;padding:1em;white-space:pre-wrap}}
td,th{{padding:4px;vertical-align:top;text-align:left}} img{{max-width:420px;border:1px solid #ccc}}
.note{{color:#a33}}</style></head>
<body><h1>gdanim check: {status}</h1><pre>{esc(summary["message"])}</pre>{notes}{table}</body></html>
"""
