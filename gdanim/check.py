"""Compare a render with a baseline: ``gdanim check`` and the pytest plugin.

Exact mode compares frame hashes. Tolerance mode (``--tolerance`` and/or
``--max-changed-fraction``) compares pixels, frame by frame (``framediff``); a frame
passes when both its RMS difference and the fraction of its pixels that changed are
within their limits. Frames are numbered from 0, as ``frame_00000.png`` is.

Either side may be a manifest, or an output whose ``NAME.frames.json`` is used, or,
without one, an output that decodes (a GIF, a WebP, a PNG directory:
``Format.decoded``), decoded and hashed on the spot. What the result says is ``report``'s.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

from . import report
from .decode import decode
from .errors import GdanimError
from .framediff import FrameStats, frame_stats
from .framestore import read_npz_frames
from .hashing import output_sha256
from .manifest import ManifestError, frames_path, hash_file, load_manifest, manifest_beside, manifest_path
from .output import FORMATS, KINDS, LOSSLESS
from .validate import ParamError

#: Tolerance mode's defaults: RMS per frame, and the fraction of pixels that may change
#: (0.01 %: a one-pixel line across a 4K frame changes 0.05 %).
DEFAULT_TOLERANCE = 1.0
DEFAULT_MAX_CHANGED_FRACTION = 0.0001


class CheckError(GdanimError, ValueError):
    """A comparison that cannot be made as asked."""


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
        self.decoded = KINDS[self.kind].decoded

    @classmethod
    def open(cls, path, role: str) -> "Side":
        path = Path(path)
        if not path.exists():
            raise ManifestError(f"{role} {path}: no such file or directory")
        if path.is_file() and path.suffix.lower() == ".json":
            manifest = load_manifest(path)
            rendered = path.parent / manifest["output"]["file"]
            return cls(role, manifest, path, rendered if rendered.exists() else None, str(path))
        if path.is_file() and path.suffix.lower() not in FORMATS:
            raise ManifestError(f"{role} {path}: expected a .frames.json manifest, an output ({', '.join(FORMATS)}) "
                                "or a PNG directory")
        sibling = manifest_beside(path)
        if sibling is not None:
            side = cls(role, load_manifest(sibling), sibling, path, str(sibling))
            side.verify_output(f"{sibling} describes an earlier render, not the current {path}: render again with "
                               "its manifest (without --no-manifest), or delete it to compare decoded frames")
            return side
        if path.is_file() and FORMATS[path.suffix.lower()].decoded is None:
            raise ManifestError(f"{role} {path}: no manifest {manifest_path(path)} beside it, and "
                                f"{path.suffix[1:].upper()} frames cannot be decoded exactly; render it again "
                                "without --no-manifest")
        return cls(role, hash_file(path), None, path, f"{path} (decoded)")

    def verify_output(self, message: str) -> None:
        if output_sha256(self.output, self.kind) != self.manifest["output"]["sha256"]:
            raise ManifestError(message)

    @property
    def domain(self) -> str:
        """What the hashes are of: rendered pixels (lossless outputs such as PNG frames
        decode to exactly those), or a lossy format's decoded pixels."""
        if self.manifest["pixels"] == "rendered" or self.decoded == LOSSLESS:
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
        kept = frames_path(self.manifest_path)
        return kept if kept.is_file() else None

    def prepare_pixels(self) -> str | None:
        """Check now, before any work, that ``frames`` can deliver; a note if only approximately."""
        if self._kept() is not None:
            return None
        if self.output is not None and self.decoded is not None:
            if self.manifest_path is not None:
                self.verify_output(f"{self.output} has changed since {self.manifest_path} was written; render it again")
            if self.decoded != LOSSLESS and self.manifest["pixels"] == "rendered":
                return (f"{self.role} frames decoded from {self.output}: {self.decoded}, so only close to the "
                        "rendered frames (keep these with --keep-frames)")
            return None
        # Sides without a manifest are decodable outputs, handled above.
        raise CheckError(f"comparing pixels needs the {self.role} frames: {frames_path(self.manifest_path)} is missing; "
                         "render with --keep-frames to keep them")

    def frames(self, indices):
        """Yield (i, RGBA) for the increasing frame indices: kept frames, else decoded ones."""
        kept = self._kept()
        if kept is not None:
            yield from read_npz_frames(kept, self.manifest, indices)
            return
        _, decoded = decode(self.output, only=indices)
        for i, rgba, _ in decoded:
            yield i, rgba


# --------------------------------------------------------------------------- comparing


def compare(new, baseline, *, tolerance=None, max_changed_fraction=None, report_dir=None) -> CheckResult:
    """Compare NEW with a baseline; exact hashes unless a tolerance or fraction is given.

    Raises GdanimError subclasses for anything that makes the comparison impossible
    (a missing or malformed manifest, hashes of different kinds of pixels, pixels
    needed but not kept); a difference is a CheckResult with ``ok`` False.
    ``report_dir``: write the diff report there (``report.write_report``).
    """
    limits = _limits(tolerance, max_changed_fraction)
    base = Side.open(baseline, "baseline")
    new = Side.open(new, "new")
    if limits is None:
        result = _compare_hashes(new, base)
    else:
        result = _compare_pixels(new, base, *limits)
    if report_dir is not None:
        result.report = report.write_report(Path(report_dir), result, new, base, limits)
        result.message += f"\n  report:   {result.report}"
    return result


def _limits(tolerance, max_changed_fraction):
    if tolerance is None and max_changed_fraction is None:
        return None
    tolerance = DEFAULT_TOLERANCE if tolerance is None else tolerance
    fraction = DEFAULT_MAX_CHANGED_FRACTION if max_changed_fraction is None else max_changed_fraction
    if not (isinstance(tolerance, (int, float)) and math.isfinite(tolerance) and 0 <= tolerance <= 255):
        raise ParamError("tolerance", lambda w: f"{w.name} must be an RMS from 0 to 255, got {tolerance!r}")
    if not (isinstance(fraction, (int, float)) and math.isfinite(fraction) and 0 <= fraction <= 1):
        raise ParamError("max_changed_fraction", lambda w: f"{w.name} must be from 0 to 1, got {fraction!r}")
    return float(tolerance), float(fraction)


def _compare_hashes(new: Side, base: Side) -> CheckResult:
    if new.domain != base.domain:
        raise CheckError(report.domain_refusal(new, base))
    differing = [i for i in _common_frames(new, base) if new.hashes[i] != base.hashes[i]]
    ok = _same_shape(new, base) and not differing
    env, changes = (None, []) if ok else (report.environment_change(new, base), report.config_changes(new, base))
    lines = [f"OK: all {new.count} frames match the baseline exactly" if ok else "FAIL: " + report.failure(new, base, differing)]
    if env:
        lines.append(f"  environment: {env}; text and antialiasing change between these versions, so exact "
                     "hashes cannot be expected to match. Compare pixels with --tolerance (the baseline needs "
                     "its NAME.frames.npz, from --keep-frames) or regenerate the baseline in this environment")
    return CheckResult(ok, "\n".join(lines + report.trailer(new, base, changes)), "exact", differing, env, changes)


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
    env, changes = (None, []) if ok else (report.environment_change(new, base), report.config_changes(new, base))
    lines = report.tolerance_lines(new, base, ok, stats, differing, tolerance, fraction) + [f"  note: {note}" for note in notes]
    if env:
        lines.append(f"  environment: {env}; if the differences are text rendering, regenerate the baseline "
                     "in this environment or raise the limits")
    return CheckResult(ok, "\n".join(lines + report.trailer(new, base, changes)), "tolerance", differing, env, changes, stats)


def _same_shape(new: Side, base: Side) -> bool:
    return new.size == base.size and new.count == base.count


def _common_frames(new: Side, base: Side) -> range:
    """The frames both sides have; none when the sizes differ."""
    return range(min(new.count, base.count) if new.size == base.size else 0)
