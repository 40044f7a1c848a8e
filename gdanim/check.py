"""Compare a render with a baseline: ``gdanim check`` and the pytest plugin.

Exact mode compares frame hashes. Tolerance mode (``--tolerance`` and/or
``--max-changed-fraction``) compares pixels, frame by frame, over RGB on the 0-255
scale; a frame passes when both its RMS difference and the fraction of its pixels
that changed (any channel by more than ``CHANGED_LEVEL``) are within their limits.
RMS alone averages a thin line away on a large frame; the changed fraction catches
it. Frames are numbered from 0, as ``frame_00000.png`` is.

Either side may be a manifest, or an output (GIF, MP4, WebP, WebM, HTML, PNG directory)
whose ``NAME.frames.json`` is used, or, without one, a GIF, WebP or PNG directory that is decoded
and hashed on the spot.
"""
from __future__ import annotations

import html
import json
import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from . import hashing
from .errors import GdanimError
from .hashing import RENDER_VERSIONS, DecodeError, ManifestError

#: A pixel has changed when one of its channels differs by more than this (0-255).
CHANGED_LEVEL = 8
#: Tolerance mode's defaults: RMS per frame, and the fraction of pixels that may change
#: (0.01 %: a one-pixel line across a 4K frame changes 0.05 %).
DEFAULT_TOLERANCE = 1.0
DEFAULT_MAX_CHANGED_FRACTION = 0.0001
#: Differing frames that get images in a report.
REPORT_FRAME_LIMIT = 50
_SHOWN_RANGES = 8
_SHOWN_CHANGES = 6


class CheckError(GdanimError, ValueError):
    """A comparison that cannot be made as asked."""


@dataclass(frozen=True)
class FrameStats:
    frame: int
    rms: float  # over R, G and B, 0-255
    changed: int  # pixels with a channel off by more than CHANGED_LEVEL
    pixels: int

    @property
    def changed_fraction(self) -> float:
        return self.changed / self.pixels


@dataclass
class CheckResult:
    """The outcome; ``message`` is what ``gdanim check`` prints and the plugin reports."""

    ok: bool
    message: str
    mode: str  # "exact" or "tolerance"
    differing: list[int] = field(default_factory=list)  # among the frames both sides have
    environment: str | None = None  # set when the render versions differ and frames do too
    config_changes: list[str] = field(default_factory=list)  # settings that differ, when frames do
    stats: dict[int, FrameStats] = field(default_factory=dict)
    report: Path | None = None

    @property
    def blames_environment(self) -> bool:
        """A difference that another matplotlib or FreeType may explain: same settings."""
        return not self.ok and self.environment is not None and not self.config_changes

    @property
    def first_difference(self) -> int | None:
        return self.differing[0] if self.differing else None


# --------------------------------------------------------------------------- sides


class Side:
    """One side of a comparison: its manifest, and where its pixels can be had."""

    def __init__(self, role: str, manifest: dict, manifest_path: Path | None, output: Path | None, label: str):
        self.role, self.manifest, self.manifest_path, self.output, self.label = role, manifest, manifest_path, output, label
        self.kind = manifest["output"]["kind"]

    @classmethod
    def open(cls, path, role: str) -> "Side":
        path = Path(path)
        if not path.exists():
            raise ManifestError(f"{role} {path}: no such file or directory")
        if path.is_file() and path.suffix.lower() == ".json":
            manifest = hashing.load_manifest(path)
            output = path.parent / manifest["output"]["file"]
            return cls(role, manifest, path, output if output.exists() else None, str(path))
        if path.is_file() and path.suffix.lower() not in hashing.encode.FORMATS:
            raise ManifestError(f"{role} {path}: expected a .frames.json manifest, an output "
                                f"({', '.join(hashing.encode.FORMATS)}) or a PNG directory")
        sibling = hashing.manifest_path(path)
        if sibling.is_file():
            manifest = hashing.load_manifest(sibling)
            side = cls(role, manifest, sibling, path, str(sibling))
            side.verify_output(f"{sibling} describes an earlier render, not the current {path}: render again with "
                               "its manifest (without --no-manifest), or delete it to compare decoded frames")
            return side
        if path.is_file() and path.suffix.lower() not in (".gif", ".webp"):
            raise ManifestError(f"{role} {path}: no manifest {sibling} beside it, and {path.suffix[1:].upper()} frames cannot be "
                                "decoded exactly; render it again without --no-manifest")
        return cls(role, hashing.hash_file(path), None, path, f"{path} (decoded)")

    def verify_output(self, message: str) -> None:
        if hashing.output_sha256(self.output, self.kind) != self.manifest["output"]["sha256"]:
            raise ManifestError(message)

    @property
    def domain(self) -> str:
        """What the hashes are of: rendered pixels (PNG frames and lossless WebP frames
        decode to exactly those), or a lossy format's decoded pixels."""
        if self.manifest["pixels"] == "rendered" or self.kind in ("png", "webp"):
            return "rendered"
        return f"decoded {self.kind.upper()}"

    @property
    def size(self) -> tuple[int, int]:
        return self.manifest["width"], self.manifest["height"]

    @property
    def count(self) -> int:
        return self.manifest["frames"]

    @property
    def hashes(self) -> list[str]:
        return self.manifest["frame_hashes"]

    def _kept(self) -> Path | None:
        """The manifest's NAME.frames.npz, if the render kept its frames."""
        if self.manifest_path is None:
            return None
        kept = hashing.frames_path(self.manifest_path)
        return kept if kept.is_file() else None

    def prepare_pixels(self) -> str | None:
        """Check now, before any work, that ``frames`` can deliver; a note if only approximately."""
        if self._kept() is not None:
            return None
        if self.output is not None and self.kind in ("gif", "webp", "png"):
            if self.manifest_path is not None:
                self.verify_output(f"{self.output} has changed since {self.manifest_path} was written; render it again")
            if self.kind == "gif" and self.manifest["pixels"] == "rendered":
                return (f"{self.role} frames decoded from {self.output}: palette-quantised, so only close to the "
                        "rendered frames (keep these with --keep-frames)")
            return None
        # Sides without a manifest are decodable outputs, handled above.
        raise CheckError(f"comparing pixels needs the {self.role} frames: {hashing.frames_path(self.manifest_path)} is missing; "
                         "render with --keep-frames to keep them")

    def frames(self, indices):
        """Yield (i, RGBA) for the increasing frame indices: kept frames, else decoded ones."""
        kept = self._kept()
        if kept is not None:
            yield from hashing.read_npz_frames(kept, self.manifest, indices)
            return
        _, decoded = hashing.decode(self.output, only=indices)
        for i, rgba, _ in decoded:
            yield i, rgba


# --------------------------------------------------------------------------- comparing


def compare(new, baseline, *, tolerance=None, max_changed_fraction=None, report_dir=None) -> CheckResult:
    """Compare NEW with a baseline; exact hashes unless a tolerance or fraction is given.

    Raises GdanimError subclasses for anything that makes the comparison impossible
    (a missing or malformed manifest, hashes of different kinds of pixels, pixels
    needed but not kept); a difference is a CheckResult with ``ok`` False.
    """
    limits = _limits(tolerance, max_changed_fraction)
    base = Side.open(baseline, "baseline")
    new = Side.open(new, "new")
    if limits is None:
        result = _compare_hashes(new, base)
    else:
        result = _compare_pixels(new, base, *limits)
    if report_dir is not None:
        result.report = _write_report(Path(report_dir), result, new, base, limits)
        result.message += f"\n  report:   {result.report}"
    return result


def _limits(tolerance, max_changed_fraction):
    if tolerance is None and max_changed_fraction is None:
        return None
    tolerance = DEFAULT_TOLERANCE if tolerance is None else tolerance
    fraction = DEFAULT_MAX_CHANGED_FRACTION if max_changed_fraction is None else max_changed_fraction
    if not (isinstance(tolerance, (int, float)) and math.isfinite(tolerance) and 0 <= tolerance <= 255):
        raise CheckError(f"--tolerance must be an RMS from 0 to 255, got {tolerance!r}")
    if not (isinstance(fraction, (int, float)) and math.isfinite(fraction) and 0 <= fraction <= 1):
        raise CheckError(f"--max-changed-fraction must be from 0 to 1, got {fraction!r}")
    return float(tolerance), float(fraction)


def _compare_hashes(new: Side, base: Side) -> CheckResult:
    if new.domain != base.domain:
        raise CheckError(_domain_refusal(new, base))
    differing = [i for i in _common_frames(new, base) if new.hashes[i] != base.hashes[i]]
    ok = _same_shape(new, base) and not differing
    env, changes = (None, []) if ok else (_environment_change(new, base), _config_changes(new, base))
    lines = [f"OK: all {new.count} frames match the baseline exactly" if ok else "FAIL: " + _failure(new, base, differing)]
    if env:
        lines.append(f"  environment: {env}; text and antialiasing change between these versions, so exact "
                     "hashes cannot be expected to match. Compare pixels with --tolerance (the baseline needs "
                     "its NAME.frames.npz, from --keep-frames) or regenerate the baseline in this environment")
    return CheckResult(ok, "\n".join(lines + _trailer(new, base, changes)), "exact", differing, env, changes)


def _compare_pixels(new: Side, base: Side, tolerance: float, fraction: float) -> CheckResult:
    same_kind = new.domain == base.domain
    todo = [i for i in _common_frames(new, base) if not (same_kind and new.hashes[i] == base.hashes[i])]
    stats: dict[int, FrameStats] = {}
    notes = []
    if todo:  # frames with equal hashes need no pixels
        notes = [note for note in (new.prepare_pixels(), base.prepare_pixels()) if note]
        for (i, a), (_, b) in zip(new.frames(todo), base.frames(todo)):
            stats[i] = frame_stats(i, a, b)
    differing = [i for i in todo if stats[i].rms > tolerance or stats[i].changed_fraction > fraction]
    ok = _same_shape(new, base) and not differing
    env, changes = (None, []) if ok else (_environment_change(new, base), _config_changes(new, base))
    limits = f"RMS <= {tolerance:g}, changed pixels <= {_percent(fraction)}"
    if ok:
        lines = [f"OK: all {new.count} frames within tolerance ({limits})"]
        if stats:
            worst = max(stats.values(), key=lambda s: (s.rms, s.changed))
            lines[0] += f"; largest difference: frame {_describe(worst)}"
    else:
        lines = ["FAIL: " + _failure(new, base, differing, f"beyond tolerance ({limits})")]
        lines += [f"  frame {_describe(stats[i])}" for i in differing[:_SHOWN_RANGES]]
        if len(differing) > _SHOWN_RANGES:
            lines.append(f"  ... and {len(differing) - _SHOWN_RANGES} more frames")
    lines += [f"  note: {note}" for note in notes]
    if env:
        lines.append(f"  environment: {env}; if the differences are text rendering, regenerate the baseline "
                     "in this environment or raise the limits")
    return CheckResult(ok, "\n".join(lines + _trailer(new, base, changes)), "tolerance", differing, env, changes, stats)


def frame_stats(i: int, new: np.ndarray, base: np.ndarray) -> FrameStats:
    """RMS over RGB and the count of changed pixels (alpha is 255 in rendered frames)."""
    diff = new[..., :3].astype(np.int32) - base[..., :3].astype(np.int32)
    rms = math.sqrt(int(np.square(diff).sum()) / diff.size)
    changed = int((np.abs(diff) > CHANGED_LEVEL).any(axis=-1).sum())
    return FrameStats(i, rms, changed, diff.shape[0] * diff.shape[1])


def _describe(s: FrameStats) -> str:
    return f"{s.frame}: RMS {s.rms:.3f}, changed pixels {_percent(s.changed_fraction)} ({s.changed} of {s.pixels})"


def _percent(fraction: float) -> str:
    return f"{fraction * 100:.4g}%"


def _same_shape(new: Side, base: Side) -> bool:
    return new.size == base.size and new.count == base.count


def _common_frames(new: Side, base: Side) -> range:
    """The frames both sides have; none when the sizes differ."""
    return range(min(new.count, base.count) if new.size == base.size else 0)


def _failure(new: Side, base: Side, differing: list[int], criterion: str = "") -> str:
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


def _domain_refusal(new: Side, base: Side) -> str:
    decoded = new if new.domain != "rendered" else base
    return (f"cannot compare hashes: the {decoded.role} manifest hashes frames decoded from a "
            f"{decoded.kind.upper()} ({decoded.label}), the other hashes rendered frames; "
            f"{decoded.kind.upper()} frames are palette-quantised, so no frame could match. Compare the render's "
            "own NAME.frames.json, or hash both outputs with gdanim hash, or compare pixels with --tolerance")


def _environment_change(new: Side, base: Side) -> str | None:
    """The render versions that differ between the two sides, in words, or None."""
    old, now = base.manifest["versions"], new.manifest["versions"]
    changed = [name for name in RENDER_VERSIONS if old.get(name) != now.get(name)]
    if not changed:
        return None

    def versions(v):
        return " and ".join(f"{_NAMES[n]} {v.get(n, 'unknown')}" for n in RENDER_VERSIONS)

    return f"the baseline was made with {versions(old)}, new with {versions(now)}"


_NAMES = {"matplotlib": "matplotlib", "freetype": "FreeType"}


def _trailer(new: Side, base: Side, changes: list[str]) -> list[str]:
    lines = [f"  new:      {new.label}", f"  baseline: {base.label}"]
    if changes:
        more = f"; and {len(changes) - _SHOWN_CHANGES} more" if len(changes) > _SHOWN_CHANGES else ""
        lines.append(f"  config changes: {'; '.join(changes[:_SHOWN_CHANGES])}{more}")
    return lines


def _config_changes(new: Side, base: Side) -> list[str]:
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


# --------------------------------------------------------------------------- report


def _write_report(directory: Path, result: CheckResult, new: Side, base: Side, limits) -> Path:
    """Diff images of the first differing frames, ``summary.json`` and ``index.html``.

    Diff images show unchanged pixels as a dim grey copy of the baseline and changed
    ones in red, 64 for a difference of 1 up to 255 for 24 or more, so even a
    one-level change stands out.
    """
    directory.mkdir(parents=True, exist_ok=True)
    for stale in directory.glob("frame_*-*.png"):  # a previous report's images
        stale.unlink()
    shown = result.differing[:REPORT_FRAME_LIMIT]
    images, notes, pixels = {}, [], {}
    for side in (new, base) if shown else ():
        try:
            note = side.prepare_pixels()
        except (CheckError, ManifestError, DecodeError) as exc:
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
    (directory / "summary.json").write_text(hashing.dumps(summary), encoding="utf-8")
    index = directory / "index.html"
    index.write_text(_html(summary, result, images), encoding="utf-8")
    return index


def diff_image(new: np.ndarray, base: np.ndarray) -> np.ndarray:
    grey = (base[..., :3].astype(np.uint16).sum(axis=-1) // 12).astype(np.uint8)  # a quarter of the mean
    level = np.abs(new[..., :3].astype(np.int16) - base[..., :3].astype(np.int16)).max(axis=-1)
    out = np.repeat(grey[..., None], 3, axis=-1)
    changed = level > 0
    out[changed] = 0
    out[changed, 0] = np.minimum(255, 64 + 8 * level[changed].astype(np.int32))
    return out


def _save_png(directory: Path, name: str, pixels: np.ndarray) -> str:
    from PIL import Image

    Image.fromarray(np.ascontiguousarray(pixels)).save(directory / name)
    return name


def _html(summary: dict, result: CheckResult, images: dict) -> str:
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
