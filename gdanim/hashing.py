"""Frame hashes and frame manifests: what regression checks compare.

gdanim hashes the pixels it renders, not the bytes it writes: PNG metadata, zlib
and encoder versions change encoded bytes without changing a single pixel. A frame's
hash is the SHA-256 of ``gdanim-rgba8-v1:{W}x{H}:`` followed by its raw RGBA bytes,
taken before encoding.

Every render writes ``NAME.frames.json`` (the manifest) beside its output and, with
``--keep-frames``, ``NAME.frames.npz`` (the frames themselves, for tolerance
comparisons and diff images). NAME is a file's name without its suffix
(``out.gif`` -> ``out.frames.json``) or a PNG directory's whole name, the sidecars
sitting beside the directory rather than inside it (``frames/`` ->
``frames.frames.json``), so that they never look like frames.

``gdanim hash`` decodes a GIF or a PNG directory made anywhere into the same kind of
manifest, marked ``"pixels": "decoded"``. PNG frames are lossless, so their decoded
hashes equal the rendered ones; GIF frames are palette-quantised, so theirs do not.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import zipfile
import zlib
from pathlib import Path

import matplotlib
import numpy as np
import PIL
from matplotlib import ft2font

from . import encode
from .errors import GdanimError

HASH_PREFIX = "gdanim-rgba8-v1"
SCHEMA = "gdanim-frames-v1"
MANIFEST_SUFFIX = ".frames.json"
FRAMES_SUFFIX = ".frames.npz"
#: The versions whose change alters rendered pixels (text rasterisation, antialiasing).
RENDER_VERSIONS = ("matplotlib", "freetype")

_HEX64 = re.compile(r"[0-9a-f]{64}")
_PNG_FRAME = re.compile(r"frame_(\d+)\.png")


class ManifestError(GdanimError, ValueError):
    """A manifest or frames file that is missing, unreadable or not gdanim's."""


class DecodeError(GdanimError, ValueError):
    """An output that cannot be decoded into frames."""


def frame_hash(rgba: np.ndarray) -> str:
    """SHA-256 of ``gdanim-rgba8-v1:{W}x{H}:`` followed by the frame's raw RGBA bytes."""
    h, w = rgba.shape[:2]
    sha = hashlib.sha256(f"{HASH_PREFIX}:{w}x{h}:".encode())
    sha.update(np.ascontiguousarray(rgba, dtype=np.uint8).data)
    return sha.hexdigest()


def digest(hashes) -> str:
    """One hash for a whole animation: SHA-256 of the frame hashes, each followed by a newline."""
    return hashlib.sha256("".join(f"{h}\n" for h in hashes).encode("ascii")).hexdigest()


def environment() -> dict[str, str]:
    """Versions of what makes, hashes and decodes the pixels."""
    from . import __version__  # at call time: the package may still be importing this module

    return {
        "gdanim": __version__,
        "matplotlib": matplotlib.__version__,
        "freetype": ft2font.__freetype_version__,
        "numpy": np.__version__,
        "pillow": PIL.__version__,
    }


# --------------------------------------------------------------------------- paths


def _output_base(output) -> Path:
    """The path whose name NAME comes from: a file's path, or a PNG directory's."""
    text = os.fspath(output)
    if encode.output_kind(text) != "png":
        return Path(text)
    base = Path(os.path.normpath(text))
    return base if base.name not in ("", ".", "..") else Path(os.path.abspath(text))


def _sidecar(output, suffix: str) -> Path:
    text = os.fspath(output)
    if text.lower().endswith(".json"):  # a manifest's own sidecar
        cut = len(MANIFEST_SUFFIX) if text.endswith(MANIFEST_SUFFIX) else len(".json")
        return Path(text[:-cut] + suffix)
    base = _output_base(text)
    stem = base.name if encode.output_kind(text) == "png" else base.stem
    return base.with_name(stem + suffix)


def manifest_path(output) -> Path:
    """``NAME.frames.json`` beside an output (a GIF, an MP4 or a PNG directory)."""
    return _sidecar(output, MANIFEST_SUFFIX)


def frames_path(output) -> Path:
    """``NAME.frames.npz`` beside an output, or beside its manifest ``NAME.frames.json``
    (or ``NAME.json``)."""
    return _sidecar(output, FRAMES_SUFFIX)


def png_frame_files(directory) -> list[Path]:
    """A PNG directory's frames in order: ``frame_N.png`` by N if there are any (gdanim's
    own), otherwise every ``*.png`` in natural order (img2.png before img10.png)."""
    directory = Path(directory)
    files = [p for p in directory.iterdir() if p.suffix.lower() == ".png" and p.is_file()]
    numbered = [p for p in files if _PNG_FRAME.fullmatch(p.name)]
    if numbered:
        return sorted(numbered, key=lambda p: int(_PNG_FRAME.fullmatch(p.name)[1]))
    return sorted(files, key=lambda p: [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", p.name)])


def output_sha256(output, kind: str) -> str:
    """SHA-256 of an output's bytes (a PNG directory's frame files, concatenated in order).

    It ties a manifest to the output it describes, so a manifest left from an earlier
    render (say, one made with ``--no-manifest`` since) is never taken for the current one.
    """
    files = png_frame_files(output) if kind == "png" else [Path(output)]
    sha = hashlib.sha256()
    for file in files:
        with open(file, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                sha.update(block)
    return sha.hexdigest()


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
    with encode.atomic_path(path) as temp, open(temp, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    return Path(path)


def render_config(anim) -> dict:
    """Everything a render's pixels depend on: the data (with a hash of its values),
    the training run and the render options."""
    history = anim.history
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
    return {"data": described, "training": training, "render": anim.config()}


def _manifest(pixels, output, kind, config, width, height, fps, durations, hashes) -> dict:
    return {
        "schema": SCHEMA,
        "hash_scheme": HASH_PREFIX,
        "pixels": pixels,
        "output": {"file": _output_base(output).name, "kind": kind, "sha256": output_sha256(output, kind)},
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


def write_manifest(anim, result) -> Path:
    """Write ``NAME.frames.json`` for a finished render and return its path."""
    manifest = _manifest(
        "rendered", result.path, result.kind, render_config(anim), result.width, result.height,
        result.fps, list(result.durations_ms), result.hashes,
    )
    return write_json(manifest_path(result.path), manifest)


class FrameKeeper:
    """Streams rendered RGBA frames into ``NAME.frames.npz``, in constant memory.

    The file is an ordinary ``np.load``-able .npz (a zip of ``frame_00000.npy``, ...,
    each deflated) written one member at a time under a temporary name and moved into
    place by ``close``; ``abort`` drops it and leaves any earlier file untouched.
    """

    def __init__(self, output):
        self.path = frames_path(output)
        target = os.fspath(self.path)
        encode.remove_stale_temps(os.path.dirname(target), os.path.basename(target))
        self._temp = encode._temp_path(target)
        self._count = 0
        try:
            self._zip = zipfile.ZipFile(self._temp, "x", compression=zipfile.ZIP_DEFLATED, allowZip64=True)
        except OSError as exc:
            raise encode._write_error(target, exc) from exc

    def add(self, rgba: np.ndarray) -> None:
        try:
            with self._zip.open(f"frame_{self._count:05d}.npy", "w", force_zip64=True) as member:
                np.lib.format.write_array(member, np.ascontiguousarray(rgba, dtype=np.uint8), allow_pickle=False)
        except OSError as exc:
            self.abort()
            raise encode._write_error(self.path, exc) from exc
        self._count += 1

    def close(self) -> None:
        try:
            self._zip.close()
            encode._fsync_path(self._temp)
            os.replace(self._temp, self.path)
        except OSError as exc:
            self.abort()
            raise encode._write_error(self.path, exc) from exc
        encode._fsync_dir(os.path.dirname(os.fspath(self.path)))

    def abort(self) -> None:
        try:
            self._zip.close()
        except (OSError, ValueError):
            pass
        encode._unlink_quietly(self._temp)


# --------------------------------------------------------------------------- reading


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
    output = manifest.get("output")
    if not (isinstance(output, dict) and output.get("kind") in ("gif", "mp4", "png")
            and isinstance(output.get("file"), str) and _HEX64.fullmatch(str(output.get("sha256")))):
        raise bad("'output' must give the file, its kind (gif, mp4 or png) and its SHA-256")
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


def read_npz_frames(path, manifest: dict, indices):
    """Yield (i, RGBA) from a ``.frames.npz`` for the increasing frame ``indices``.

    Each frame is checked against the manifest's hash, so frames left from an earlier
    render (this one made without ``--keep-frames``) are never compared.
    """
    try:
        archive = np.load(path, allow_pickle=False)
    except (OSError, ValueError, zipfile.BadZipFile) as exc:
        raise ManifestError(f"{path}: not a readable gdanim frames file ({exc})") from None
    with archive:
        for i in indices:
            try:
                rgba = archive[f"frame_{i:05d}"]
            except KeyError:
                raise ManifestError(f"{path}: has no frame {i}; it does not belong to {manifest['output']['file']}'s "
                                    "manifest (render again with --keep-frames)") from None
            except (OSError, ValueError, EOFError, zipfile.BadZipFile, zlib.error) as exc:
                raise ManifestError(f"{path}: frame {i} is damaged ({exc})") from None
            if frame_hash(rgba) != manifest["frame_hashes"][i]:
                raise ManifestError(f"{path}: frame {i} does not match the manifest's hash; the file is left from "
                                    "an earlier render (render again with --keep-frames)")
            yield i, rgba


def decode(path, only=None):
    """(kind, generator of (i, RGBA, duration in ms or None)) for a GIF or a PNG directory.

    ``only``: increasing frame indices to yield (a GIF still decodes the frames
    between, since each is drawn over the one before).

    GIF frames are Pillow's composited frames (each GIF frame drawn over the ones
    before, as viewers show them), converted to RGBA; an opaque GIF, such as
    gdanim's, gives alpha 255 everywhere, as rendered frames have. PNG frames are
    converted to RGBA the same way.
    """
    path = Path(path)
    if not path.exists():
        raise DecodeError(f"{path}: no such file or directory")
    if path.is_dir():
        files = png_frame_files(path)
        if not files:
            raise DecodeError(f"{path}: no PNG frames in this directory")
        return "png", _png_frames(files, range(len(files)) if only is None else only)
    if path.suffix.lower() == ".gif":
        return "gif", _gif_frames(path, only)
    raise DecodeError(f"{path}: only GIF files and PNG directories can be decoded and hashed "
                      "(MP4 decoding is lossy and differs between decoders; check an MP4's manifest instead)")


def _png_frames(files, indices):
    from PIL import Image

    for i in indices:
        if i >= len(files):
            raise DecodeError(f"{files[0].parent}: has no frame {i} (only {len(files)} PNG frames)")
        try:
            with Image.open(files[i]) as image:
                rgba = np.asarray(image.convert("RGBA"))
        except (OSError, ValueError, SyntaxError) as exc:
            raise DecodeError(f"{files[i]}: not a readable PNG ({exc})") from None
        yield i, rgba, None


def _gif_frames(path, only):
    from PIL import Image, ImageSequence

    unreadable = (OSError, ValueError, SyntaxError, EOFError)  # what Pillow raises for damaged files
    wanted = None if only is None else set(only)
    last = None if only is None else max(wanted, default=-1)
    try:
        image = Image.open(path)
    except unreadable as exc:
        raise DecodeError(f"{path}: not a readable GIF ({exc})") from None
    with image:
        if image.format != "GIF":
            raise DecodeError(f"{path}: not a GIF (Pillow reads it as {image.format})")
        try:
            for i, frame in enumerate(ImageSequence.Iterator(image)):
                if last is not None and i > last:
                    return
                if wanted is None or i in wanted:
                    yield i, np.asarray(frame.convert("RGBA")), frame.info.get("duration")
        except unreadable as exc:
            raise DecodeError(f"{path}: not a readable GIF ({exc})") from None


def hash_file(path) -> dict:
    """The manifest of a GIF's or a PNG directory's decoded frames (``gdanim hash``)."""
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
    durations = durations if kind == "gif" else None
    return _manifest("decoded", path, kind, None, size[1], size[0], None, durations, hashes)


def check(new, baseline, *, tolerance=None, max_changed_fraction=None, report_dir=None):
    """Compare NEW with a baseline manifest; see ``gdanim.check.compare``."""
    from .check import compare

    return compare(new, baseline, tolerance=tolerance, max_changed_fraction=max_changed_fraction, report_dir=report_dir)
