"""Frame hashes and manifests: what they hold, where they go, and that they are deterministic."""
import hashlib
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import matplotlib
import numpy as np
import PIL
import pytest
from matplotlib import ft2font
from PIL import Image

import gdanim
from gdanim import cli, decode, manifest as manifests
from gdanim.animation import animate
from gdanim.framestore import FrameKeeper
from gdanim.hashing import frame_hash
from gdanim.manifest import ManifestError, hash_file, load_manifest
from gdanim.output.palette import Palette
from gdanim.style import rgb8

FRAMES = "0:31:5"  # records 0, 5, ..., 30: 7 frames
SIZE = (200, 150)


def small(view="params", data="six-points", lr=0.02, **options):
    options.setdefault("workers", 1)
    return animate(gdanim.train(data, lr=lr, epochs=30), view, options.pop("frames", FRAMES), size=SIZE, **options)


def rgba_frames(anim):
    """The animation's frames as the renderer makes them: RGBA, alpha 255."""
    out = []
    for rgb in anim.frames():
        out.append(np.dstack([rgb, np.full(rgb.shape[:2], 255, np.uint8)]))
    return out


@pytest.fixture(scope="module")
def gif_render(tmp_path_factory):
    """A GIF render with its manifest and kept frames."""
    directory = tmp_path_factory.mktemp("gif")
    anim = small()
    result = anim.save(directory / "out.gif", keep_frames=True)
    return anim, result


def test_frame_hash_is_sha256_of_size_prefix_and_rgba_bytes():
    rgba = np.arange(2 * 3 * 4, dtype=np.uint8).reshape(2, 3, 4)
    assert frame_hash(rgba) == hashlib.sha256(b"gdanim-rgba8-v1:3x2:" + rgba.tobytes()).hexdigest()
    # The same bytes in another shape are another frame.
    assert frame_hash(rgba.reshape(3, 2, 4)) != frame_hash(rgba)


def test_manifest_records_everything_the_pixels_depend_on(gif_render):
    anim, result = gif_render
    path = result.path.with_name("out.gif.frames.json")
    assert result.manifest == path
    text = path.read_text()
    manifest = json.loads(text)
    assert text == json.dumps(manifest, indent=2, sort_keys=True) + "\n"  # stable form
    assert manifest["schema"] == "gdanim-frames-v1"
    assert manifest["pixels"] == "rendered"
    assert manifest["versions"] == {
        "gdanim": gdanim.__version__, "matplotlib": matplotlib.__version__,
        "freetype": ft2font.__freetype_version__, "numpy": np.__version__, "pillow": PIL.__version__,
    }
    config = manifest["config"]
    assert config["render"] == json.loads(json.dumps(anim.config()))
    assert config["render"]["view"] == "params" and config["render"]["frames"] == FRAMES
    assert config["render"]["size"] == [200, 150] and config["render"]["style"] == "light"
    assert config["render"]["engine"] == "stream" and config["render"]["dpi"] == 100
    assert config["training"]["lr"] == 0.02 and config["training"]["epochs"] == 30
    data = anim.history.data
    assert config["data"]["name"] == "six-points" and config["data"]["n"] == 6
    values = hashlib.sha256(b"6x1:" + data.X.astype("<f8").tobytes() + data.y.astype("<f8").tobytes())
    assert config["data"]["sha256"] == values.hexdigest()
    assert (manifest["frames"], manifest["width"], manifest["height"], manifest["fps"]) == (7, 200, 150, 20.0)
    assert manifest["durations_ms"] == anim.durations_ms("gif") == [50] * 6 + [1550]
    assert manifest["output"] == {
        "file": "out.gif", "kind": "gif", "sha256": hashlib.sha256(result.path.read_bytes()).hexdigest()}
    # Hashes of the rendered pixels, before palette quantisation.
    assert manifest["frame_hashes"] == result.hashes == [frame_hash(f) for f in rgba_frames(anim)]
    expected_digest = hashlib.sha256("".join(h + "\n" for h in result.hashes).encode()).hexdigest()
    assert manifest["digest"] == expected_digest
    assert load_manifest(path) == manifest


def test_kept_frames_are_an_npz_of_the_rendered_frames(gif_render):
    anim, result = gif_render
    path = result.path.with_name("out.gif.frames.npz")
    with np.load(path) as kept:
        assert kept.files == [f"frame_{i:05d}" for i in range(7)]
        for i, expected in enumerate(rgba_frames(anim)):
            assert kept[f"frame_{i:05d}"].dtype == np.uint8
            np.testing.assert_array_equal(kept[f"frame_{i:05d}"], expected)
    with zipfile.ZipFile(path) as archive:
        assert {info.compress_type for info in archive.infolist()} == {zipfile.ZIP_DEFLATED}
    assert sorted(p.name for p in path.parent.iterdir()) == ["out.gif", "out.gif.frames.json", "out.gif.frames.npz"]


def test_a_gif_and_an_mp4_of_one_name_keep_their_own_sidecars(tmp_path):
    anim = small()
    gif, mp4 = (anim.save(tmp_path / name, keep_frames=True) for name in ("out.gif", "out.mp4"))
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "out.gif", "out.gif.frames.json", "out.gif.frames.npz", "out.mp4", "out.mp4.frames.json", "out.mp4.frames.npz"]
    assert [load_manifest(r.manifest)["output"]["file"] for r in (gif, mp4)] == ["out.gif", "out.mp4"]
    assert load_manifest(gif.manifest)["frame_hashes"] == load_manifest(mp4.manifest)["frame_hashes"] == gif.hashes


def test_no_manifest_means_no_sidecar(tmp_path):
    result = small().save(tmp_path / "out.gif", manifest=False)
    assert result.manifest is None
    assert [p.name for p in tmp_path.iterdir()] == ["out.gif"]


def test_png_directory_sidecars_sit_beside_it_and_decode_to_the_rendered_hashes(tmp_path):
    result = small().save(f"{tmp_path / 'frames'}/", keep_frames=True)
    assert result.manifest == tmp_path / "frames.frames.json"
    assert (tmp_path / "frames.frames.npz").is_file()
    assert sorted(p.name for p in (tmp_path / "frames").iterdir()) == [f"frame_{i:05d}.png" for i in range(7)]
    rendered = load_manifest(result.manifest)
    decoded = hash_file(tmp_path / "frames")
    assert decoded["pixels"] == "decoded" and decoded["config"] is None and decoded["fps"] is None
    assert decoded["output"] == rendered["output"]
    assert decoded["frame_hashes"] == rendered["frame_hashes"]  # PNG is lossless
    assert decoded["digest"] == rendered["digest"]


def test_sidecar_names():
    """An output's whole name, suffix and all, so a GIF and an MP4 of one name never share one."""
    assert manifests.manifest_path("a/out.gif") == Path("a/out.gif.frames.json")
    assert manifests.manifest_path("a/out.mp4") == Path("a/out.mp4.frames.json")
    assert manifests.manifest_path("a/frames/") == Path("a/frames.frames.json")
    assert manifests.frames_path("a/out.gif") == Path("a/out.gif.frames.npz")
    assert manifests.frames_path("a/out.gif.frames.json") == Path("a/out.gif.frames.npz")
    assert manifests.frames_path("a/out.frames.json") == Path("a/out.frames.npz")  # a manifest named the earlier way


def test_hash_of_a_gif_is_of_its_decoded_palette_colours(gif_render):
    anim, result = gif_render
    frames = rgba_frames(anim)
    view = anim.view_class(anim.history, anim.records, anim.style)
    palette = Palette.from_frames([frames[-1]], key_colors=rgb8(view.key_colors()))  # as save() makes it
    expected = []
    for rgba in frames:
        quantised = np.dstack([palette.colors[palette.index(rgba)], np.full(rgba.shape[:2], 255, np.uint8)])
        expected.append(frame_hash(quantised))
    decoded = hash_file(result.path)
    assert decoded["frame_hashes"] == expected
    assert decoded["frame_hashes"] != result.hashes
    assert decoded["durations_ms"] == [50] * 6 + [1550]
    assert (decoded["frames"], decoded["width"], decoded["height"]) == (7, 200, 150)


def test_hash_command_prints_the_decoded_manifest(gif_render, capsys):
    _, result = gif_render
    assert cli.main(["hash", str(result.path)]) == 0
    assert json.loads(capsys.readouterr().out) == hash_file(result.path)


@pytest.mark.parametrize("name, content, message", [
    ("missing.json", None, "missing.json: no such manifest"),
    ("broken.json", "{\n", "broken.json: not a gdanim frame manifest (invalid JSON at line 2)"),
    ("other.json", '{"schema": "something-else"}', "not a gdanim frame manifest (schema 'something-else'"),
])
def test_unusable_manifests_are_one_line_errors(tmp_path, name, content, message):
    if content is not None:
        (tmp_path / name).write_text(content)
    with pytest.raises(ManifestError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_manifest(tmp_path / name)


def test_edited_manifests_are_refused(gif_render, tmp_path):
    manifest = load_manifest(gif_render[1].manifest)
    edited = dict(manifest, frame_hashes=["0" * 64] + manifest["frame_hashes"][1:])
    manifests.write_json(tmp_path / "edited.json", edited)
    with pytest.raises(ManifestError, match=r"'digest' does not match the frame hashes"):
        load_manifest(tmp_path / "edited.json")
    short = dict(manifest, frame_hashes=manifest["frame_hashes"][:6])
    manifests.write_json(tmp_path / "short.json", short)
    with pytest.raises(ManifestError, match=r"'frame_hashes' must list 7 hashes"):
        load_manifest(tmp_path / "short.json")


def test_frame_keeper_abort_keeps_the_previous_file(tmp_path):
    target = tmp_path / "out.gif.frames.npz"
    target.write_bytes(b"previous")
    keeper = FrameKeeper(tmp_path / "out.gif")
    keeper.add(np.zeros((4, 5, 4), np.uint8))
    assert len(os.listdir(tmp_path)) == 2  # the target and a temporary file
    keeper.abort()
    assert target.read_bytes() == b"previous"
    assert os.listdir(tmp_path) == ["out.gif.frames.npz"]


def test_frame_keeper_writes_in_order_and_replaces(tmp_path):
    (tmp_path / "out.gif.frames.npz").write_bytes(b"previous")
    keeper = FrameKeeper(tmp_path / "out.gif")
    frames = [np.full((4, 5, 4), i, np.uint8) for i in range(3)]
    for f in frames:
        keeper.add(f)
    keeper.close()
    with np.load(tmp_path / "out.gif.frames.npz") as kept:
        assert kept.files == ["frame_00000", "frame_00001", "frame_00002"]
        for i, f in enumerate(frames):
            np.testing.assert_array_equal(kept[f"frame_{i:05d}"], f)
    assert os.listdir(tmp_path) == ["out.gif.frames.npz"]


# --------------------------------------------------------------------------- determinism


def test_same_configuration_same_hashes_gif_bytes_and_manifest(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = small().save(tmp_path / "a" / "out.gif")
    second = small().save(tmp_path / "b" / "out.gif")
    assert first.hashes == second.hashes
    assert first.path.read_bytes() == second.path.read_bytes()
    assert first.manifest.read_bytes() == second.manifest.read_bytes()


def test_hashes_and_gif_bytes_do_not_depend_on_workers(tmp_path):
    results = {}
    for workers in (1, 2, 4):
        anim = small(frames="0:31:2", workers=workers)  # 16 frames: several chunks per worker
        results[workers] = anim.save(tmp_path / f"w{workers}.gif", manifest=False)
    assert results[1].frames == 16
    assert results[1].hashes == results[2].hashes == results[4].hashes
    gif = results[1].path.read_bytes()
    assert results[2].path.read_bytes() == gif and results[4].path.read_bytes() == gif


def test_hashes_are_the_same_in_two_processes(tmp_path):
    manifests = []
    for run in ("a", "b"):
        (tmp_path / run).mkdir()
        out = tmp_path / run / "out.gif"
        subprocess.run(
            [sys.executable, "-m", "gdanim.cli", "render", "params", "--lr", "0.02", "--epochs", "30",
             "--frames", FRAMES, "--size", "200x150", "--workers", "1", "--quiet", "--out", str(out)],
            check=True, timeout=120, env={**os.environ, "MPLBACKEND": "Agg"},
        )
        manifests.append((tmp_path / run / "out.gif.frames.json").read_bytes())
    assert manifests[0] == manifests[1]
    assert json.loads(manifests[0])["frame_hashes"] == [frame_hash(f) for f in rgba_frames(small())]


def test_mp4_bytes_are_the_same_across_runs(tmp_path):
    first = small().save(tmp_path / "a.mp4")
    second = small().save(tmp_path / "b.mp4")
    assert first.path.read_bytes() == second.path.read_bytes()
    assert load_manifest(first.manifest)["frame_hashes"] == first.hashes == second.hashes


@pytest.mark.parametrize("view, data", [
    ("params", "six-points"), ("residuals", "six-points"), ("surface", "six-points"),
    ("contour", "six-points"), ("plane", "six-points-2d"),
])
def test_stream_and_celluloid_engines_agree(view, data):
    stream = list(small(view, data, frames="0:31:6").frames())
    celluloid = list(small(view, data, frames="0:31:6", engine="celluloid").frames())
    assert len(stream) == len(celluloid) == 6
    for a, b in zip(stream, celluloid):
        rms = np.sqrt(np.mean((a.astype(float) - b.astype(float)) ** 2))
        assert rms <= 1.0


def test_a_png_directory_made_elsewhere_is_read_in_natural_order(tmp_path):
    frames = [np.full((3, 4, 3), 10 * i, np.uint8) for i in range(3)]
    for name, rgb in zip(("img2.png", "img10.png", "img1.png"), (frames[1], frames[2], frames[0])):
        Image.fromarray(rgb).save(tmp_path / name)
    manifest = hash_file(tmp_path)
    opaque = [np.dstack([f, np.full((3, 4), 255, np.uint8)]) for f in frames]
    assert manifest["frame_hashes"] == [frame_hash(f) for f in opaque]
    assert (manifest["width"], manifest["height"], manifest["durations_ms"]) == (4, 3, None)


@pytest.mark.parametrize("setup, message", [
    (lambda d: None, "{d}: no PNG frames in this directory"),
    (lambda d: [Image.new("RGB", size).save(d / f"frame_{i:05d}.png") for i, size in enumerate([(4, 3), (5, 3)])],
     "{d}: frame 1 is 5x3 pixels, frame 0 is 4x3"),
])
def test_undecodable_png_directories_are_one_line_errors(tmp_path, setup, message):
    setup(tmp_path)
    with pytest.raises(decode.DecodeError) as caught:
        hash_file(tmp_path)
    assert str(caught.value) == message.format(d=tmp_path)


def test_a_file_that_is_not_a_gif_is_refused(tmp_path):
    Image.new("RGB", (4, 3)).save(tmp_path / "fake.png")
    (tmp_path / "fake.png").rename(tmp_path / "fake.gif")
    with pytest.raises(decode.DecodeError, match=r"fake.gif: not a GIF \(Pillow reads it as PNG\)"):
        hash_file(tmp_path / "fake.gif")
    (tmp_path / "junk.gif").write_bytes(b"GIF89a\x00")
    with pytest.raises(decode.DecodeError, match=r"junk.gif: not a readable GIF"):
        hash_file(tmp_path / "junk.gif")
