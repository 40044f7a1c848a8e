"""Frame manifests: ``NAME.frames.json``, what a render made and what made it.

Every render writes its manifest beside its output: the frame hashes (``hashing``),
the digest, the output's SHA-256, the versions that shape the pixels and the config
that made them. NAME is the output's whole name: a file's with its suffix (``out.gif``
-> ``out.gif.frames.json``), so that ``out.gif`` and ``out.mp4`` never share one; a PNG
directory's, the sidecars sitting beside the directory rather than inside it
(``frames/`` -> ``frames.frames.json``), so that they never look like frames.
Manifests gdanim wrote earlier, named without the suffix (``out.frames.json``), are
still read where one names its output and no newer one is there. ``--keep-frames``
adds ``NAME.frames.npz`` (``framestore``).

``gdanim hash`` decodes a GIF, a WebP or a PNG directory made anywhere (``decode``)
into the same kind of manifest, marked ``"pixels": "decoded"``. PNG frames and
lossless WebP frames decode to the rendered pixels, so their decoded hashes equal the
rendered ones; GIF frames are palette-quantised, and lossy WebP frames approximate, so
theirs do not. MP4, WebM and HTML outputs are checked through their manifests, whose
hashes are of the rendered pixels, before any encoding.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path

import matplotlib
import numpy as np
import PIL
from matplotlib import ft2font

from . import output
from .decode import DecodeError, decode
from .errors import GdanimError
from .hashing import HASH_PREFIX, digest, frame_hash, output_sha256
from .output.atomic import atomic_path
from .version import __version__

SCHEMA = "gdanim-frames-v1"
MANIFEST_SUFFIX = ".frames.json"
FRAMES_SUFFIX = ".frames.npz"
#: The versions whose change alters rendered pixels (text rasterisation, antialiasing).
RENDER_VERSIONS = ("matplotlib", "freetype")

_HEX64 = re.compile(r"[0-9a-f]{64}")


class ManifestError(GdanimError, ValueError):
    """A manifest or frames file that is missing, unreadable or not gdanim's."""


def environment() -> dict[str, str]:
    """Versions of what makes, hashes and decodes the pixels."""
    return {
        "gdanim": __version__,
        "matplotlib": matplotlib.__version__,
        "freetype": ft2font.__freetype_version__,
        "numpy": np.__version__,
        "pillow": PIL.__version__,
    }


# --------------------------------------------------------------------------- paths


def _is_directory_output(text: str) -> bool:
    return output.output_kind(text) == output.DIRECTORY.kind


def _output_base(path) -> Path:
    """The path whose name NAME comes from: a file's path, or a PNG directory's."""
    text = os.fspath(path)
    if not _is_directory_output(text):
        return Path(text)
    base = Path(os.path.normpath(text))
    return base if base.name not in ("", ".", "..") else Path(os.path.abspath(text))


def _sidecar(path, suffix: str) -> Path:
    text = os.fspath(path)
    if text.lower().endswith(".json"):  # a manifest's own sidecar
        cut = len(MANIFEST_SUFFIX) if text.endswith(MANIFEST_SUFFIX) else len(".json")
        return Path(text[:-cut] + suffix)
    base = _output_base(text)
    return base.with_name(base.name + suffix)


def manifest_path(path) -> Path:
    """``NAME.frames.json`` beside an output: ``out.gif.frames.json``, ``out.mp4.frames.json``,
    ``frames.frames.json`` for a PNG directory ``frames/``."""
    return _sidecar(path, MANIFEST_SUFFIX)


def frames_path(path) -> Path:
    """``NAME.frames.npz`` beside an output, or beside its manifest ``NAME.frames.json``
    (or ``NAME.json``)."""
    return _sidecar(path, FRAMES_SUFFIX)


def manifest_beside(path) -> Path | None:
    """The manifest of an output, if it has one: ``manifest_path(path)``, else one under
    the name gdanim used before (``out.frames.json`` for ``out.gif``, a name that
    ``out.gif`` and ``out.mp4`` shared) provided it names this output."""
    current = manifest_path(path)
    if current.is_file():
        return current
    if _is_directory_output(os.fspath(path)):  # a PNG directory's name has not changed
        return None
    base = _output_base(path)
    earlier = base.with_name(base.stem + MANIFEST_SUFFIX)
    try:
        described = json.loads(earlier.read_text(encoding="utf-8"))["output"]["file"]
    except (OSError, ValueError, KeyError, TypeError):  # absent, unreadable, or not a manifest
        return None
    return earlier if described == base.name else None


# --------------------------------------------------------------------------- writing


def dumps(manifest: dict) -> str:
    """Stable JSON: sorted keys, indented, so equal manifests are equal bytes."""
    return json.dumps(manifest, indent=2, sort_keys=True, allow_nan=False, default=_plain) + "\n"


def _plain(value):
    if isinstance(value, (np.integer, np.floating, np.bool_)):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    raise TypeError(f"{type(value).__name__} cannot go into a manifest")


def write_json(path, manifest: dict) -> Path:
    """Write a manifest atomically: readers see the old one or the new one, never half."""
    text = dumps(manifest)
    with atomic_path(path) as temp, open(temp, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    return Path(path)


def render_config(history, render: dict) -> dict:
    """Everything a render's pixels depend on: the data (with a hash of its values),
    the training run (``history``) and the render options (``render``)."""
    data = history.data
    described = None
    if data is not None:
        values = hashlib.sha256(f"{data.n}x{data.k}:".encode())
        values.update(np.ascontiguousarray(data.X, dtype="<f8").data)
        values.update(np.ascontiguousarray(data.y, dtype="<f8").data)
        described = {
            "name": data.name,
            "n": data.n,
            "features": list(data.feature_names),
            "target": data.target_name,
            "sha256": values.hexdigest(),
        }
    training = {**history.config, "diverged_at": history.diverged_at}
    if history.stopped_at is not None:
        training.update(stopped_at=history.stopped_at, stop_reason=history.stop_reason)
    return {"data": described, "training": training, "render": render}


def build(pixels, path, kind, config, width, height, fps, durations, hashes) -> dict:
    """A manifest of ``pixels`` ("rendered" or "decoded") frames of the output at ``path``."""
    return {
        "schema": SCHEMA,
        "hash_scheme": HASH_PREFIX,
        "pixels": pixels,
        "output": {"file": _output_base(path).name, "kind": kind, "sha256": output_sha256(path, kind)},
        "versions": environment(),
        "config": config,
        "frames": len(hashes),
        "width": width,
        "height": height,
        "fps": fps,
        "durations_ms": durations,
        "frame_hashes": list(hashes),
        "digest": digest(hashes),
    }


def write_manifest(result, config: dict) -> Path:
    """Write ``NAME.frames.json`` for a finished render (a ``RenderResult``) and return its path."""
    manifest = build(
        "rendered", result.path, result.kind, config, result.width, result.height,
        result.fps, list(result.durations_ms), result.hashes,
    )
    return write_json(manifest_path(result.path), manifest)


def hash_file(path) -> dict:
    """The manifest of a decodable output's decoded frames (``gdanim hash``)."""
    kind, frames = decode(path)
    hashes, durations, size = [], [], None
    for i, rgba, duration in frames:
        if size is None:
            size = rgba.shape[:2]
        elif rgba.shape[:2] != size:
            raise DecodeError(f"{path}: frame {i} is {rgba.shape[1]}x{rgba.shape[0]} pixels, "
                              f"frame 0 is {size[1]}x{size[0]}")
        hashes.append(frame_hash(rgba))
        durations.append(duration)
    durations = durations if kind != output.DIRECTORY.kind else None
    return build("decoded", path, kind, None, size[1], size[0], None, durations, hashes)


# --------------------------------------------------------------------------- reading


def _kinds_in_words() -> str:
    kinds = list(output.KINDS)
    return ", ".join(kinds[:-1]) + " or " + kinds[-1]


def load_manifest(path) -> dict:
    """A manifest, checked: schema, field types, one hash per frame, and the digest."""
    try:
        manifest = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ManifestError(f"{path}: no such manifest") from None
    except IsADirectoryError:
        raise ManifestError(f"{path}: is a directory, not a manifest") from None
    except OSError as exc:
        raise ManifestError(f"{path}: cannot read ({exc.strerror})") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        where = f" at line {exc.lineno}" if isinstance(exc, json.JSONDecodeError) else ""
        raise ManifestError(f"{path}: not a gdanim frame manifest (invalid JSON{where})") from None
    schema = manifest.get("schema") if isinstance(manifest, dict) else None
    if schema != SCHEMA:
        raise ManifestError(f"{path}: not a gdanim frame manifest (schema {schema!r}, expected {SCHEMA!r})")

    def bad(what):
        return ManifestError(f"{path}: malformed manifest: {what}")

    for key in ("frames", "width", "height"):
        value = manifest.get(key)
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise bad(f"{key!r} must be a whole number >= 1, got {value!r}")
    if manifest.get("pixels") not in ("rendered", "decoded"):
        raise bad(f"'pixels' must be 'rendered' or 'decoded', got {manifest.get('pixels')!r}")
    described = manifest.get("output")
    if not (isinstance(described, dict) and described.get("kind") in output.KINDS
            and isinstance(described.get("file"), str) and _HEX64.fullmatch(str(described.get("sha256")))):
        raise bad(f"'output' must give the file, its kind ({_kinds_in_words()}) and its SHA-256")
    if not isinstance(manifest.get("versions"), dict):
        raise bad("'versions' is missing")
    hashes = manifest.get("frame_hashes")
    if not isinstance(hashes, list) or len(hashes) != manifest["frames"]:
        raise bad(f"'frame_hashes' must list {manifest['frames']} hashes, one per frame")
    for i, h in enumerate(hashes):
        if not (isinstance(h, str) and _HEX64.fullmatch(h)):
            raise bad(f"frame {i}'s hash {h!r} is not a SHA-256 hex digest")
    if manifest.get("digest") != digest(hashes):
        raise bad("'digest' does not match the frame hashes (was it edited?)")
    return manifest
