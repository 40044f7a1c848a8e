"""gdanim's GIFs, read by decoders gdanim did not write.

Every view (single runs and races) in every style is rendered once, small, as a GIF with its rendered frames
kept. Two checks follow: the colours a view declares key (markers, lines, points)
decode exactly wherever the rendered frame has them, and Pillow, ffmpeg and
Chromium's WebCodecs ``ImageDecoder`` decode every frame to the same pixels.
"""
from __future__ import annotations

import base64
import hashlib
import json
import shutil
import subprocess

import imageio_ffmpeg
import numpy as np
import pytest

import gdanim
from _chromium import evaluate_after_load
from gdanim import decode, manifest, style as styles, views
from gdanim.animation import animate

MOONS = "moons:n=40,noise=0.1,seed=0"
TRAINED = {  # every single-run view, on a run it draws
    "params": dict(data="six-points", lr=0.05, epochs=30),
    "residuals": dict(data="six-points", lr=0.05, epochs=30),
    "surface": dict(data="six-points", lr=0.05, epochs=30),
    "contour": dict(data="six-points", lr=0.05, epochs=30),
    "plane": dict(data="six-points-2d", lr=0.01, epochs=30),
    "boundary": dict(data=MOONS, objective="mlp:hidden=3", lr=5.0, epochs=30),
    "network": dict(data="xor", objective="mlp:hidden=2", lr=5.0, epochs=30),
    "landscape": dict(data=MOONS, objective="mlp:hidden=3", lr=5.0, epochs=30),
    "weights": dict(data=MOONS, objective="mlp:hidden=3", lr=5.0, epochs=30),
    "walkthrough": dict(data="backprop-demo", optimizer="sgd", batch_size=1, lr=0.05, init="w1=-0.017,w2=-0.048,b=0",
                        steps=30),
}
ROSENBROCK = dict(objective="rosenbrock", runs=["gd:lr=0.001", "adam:lr=0.05"], steps=30, start="-1.2,1")
RACED = {  # every race view
    "contour": ROSENBROCK, "surface": ROSENBROCK, "loss": ROSENBROCK,
    "grid": dict(data="six-points", runs=["gd:lr=0.005", "gd:lr=0.03"], epochs=30, init="w=3,b=-1"),
    "fit": dict(data="six-points", runs=["gd:lr=0.005", "gd:lr=0.03"], epochs=30, init="w=3,b=-1"),
    "boundary": dict(objective="mlp:hidden=3", data=MOONS, runs=["gd:lr=5", "adam:lr=0.1"], epochs=30),
}
W, H = 160, 120
# the network views and the walkthrough lay out a diagram or a plane beside curves: too much for 160x120
LARGER = {"boundary", "network", "landscape", "weights", "walkthrough", "race-boundary"}
LW, LH = 320, 180
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


class Rendered:
    """One GIF, the RGBA frames it was made from, and its view's key colours."""

    def __init__(self, path, frames, key_colors):
        self.path, self.frames, self.key_colors = path, frames, key_colors

    def pillow_frames(self):
        _, decoded = decode.decode(self.path)
        return [rgba for _, rgba, _ in decoded]


def subjects():
    """(name, view, History or Race, race?) for every view."""
    trained = {}
    for view, run in TRAINED.items():
        key = tuple(sorted(run.items()))
        if key not in trained:
            trained[key] = gdanim.train(**run)
        yield view, view, trained[key], False
    raced = {}
    for view, spec in RACED.items():
        key = repr(spec)
        if key not in raced:
            raced[key] = gdanim.race(**spec)
        yield f"race-{view}", view, raced[key], True


@pytest.fixture(scope="module")
def gifs(tmp_path_factory) -> dict[str, Rendered]:
    out = tmp_path_factory.mktemp("gifs")
    made = {}
    for name, view, subject, race in subjects():
        for style in styles.STYLES:
            size = (LW, LH) if name in LARGER else (W, H)
            anim = animate(subject, view, "0:30:6", size=size, style=style, workers=1)
            result = anim.save(out / f"{name}-{style}.gif", keep_frames=True)
            with np.load(manifest.frames_path(result.manifest)) as kept:
                frames = [kept[name] for name in sorted(kept.files)]
            declared = views.get(view, race=race)(anim.history, anim.records, anim.style).key_colors()
            made[f"{name}-{style}"] = Rendered(result.path, frames, np.array(styles.rgb8(declared), np.uint8))
    return made


def test_rgb8_rounds_as_agg_draws_and_drops_repeats():
    colors = styles.rgb8(["#ff7f0e", "orange", (0.5, 0.25, 1.0), "#FF7F0E", "white"])
    assert colors == [(255, 127, 14), (255, 165, 0), (128, 64, 255), (255, 255, 255)]


def test_key_colours_decode_exactly(gifs):
    """The issue's cases among them: the light style's orange marker (255, 127, 14) over
    the cost surface, and the plane view's navy points (31, 59, 115)."""
    seen = {}
    for name, gif in gifs.items():
        decoded = gif.pillow_frames()
        assert len(decoded) == len(gif.frames) >= 5  # the walkthrough shows each step in several frames
        for key in gif.key_colors:
            count = 0
            for i, (rendered, shown) in enumerate(zip(gif.frames, decoded)):
                where = (rendered[..., :3] == key).all(axis=2)
                wrong = (shown[where][:, :3] != key).any(axis=1)
                assert not wrong.any(), f"{name} frame {i}: {int(wrong.sum())} pixels of {tuple(key)} decode otherwise"
                count += int(where.sum())
            seen[name, tuple(key.tolist())] = count
        # background, text and at least one artist: the check is not vacuous (the article style's
        # weights view draws its loss curve in the text's black, so it declares two colours)
        shown = sum(seen[name, tuple(key.tolist())] > 0 for key in gif.key_colors)
        assert shown >= min(3, len(gif.key_colors)) and len(gif.key_colors) >= 2, name
    assert seen["surface-light", (255, 127, 14)] > 0
    assert seen["plane-light", (31, 59, 115)] > 0
    # the network views: both signs of edge, the classes' markers, each run's colour
    assert seen["network-light", (224, 123, 57)] > 0 and seen["network-light", (44, 79, 143)] > 0
    assert seen["boundary-light", (0, 34, 78)] > 0 and seen["boundary-light", (254, 232, 56)] > 0
    assert seen["race-boundary-dark", (213, 94, 0)] > 0 and seen["race-boundary-dark", (0, 114, 178)] > 0


def ffmpeg_frames(path, width: int, height: int) -> np.ndarray:
    """Every frame as RGBA, from the bundled ffmpeg, one per GIF frame (no frame-rate conversion)."""
    run = subprocess.run(
        [imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-i", str(path),
         "-fps_mode", "passthrough", "-f", "rawvideo", "-pix_fmt", "rgba", "pipe:1"],
        capture_output=True, timeout=60,
    )
    assert run.returncode == 0, run.stderr.decode(errors="replace")
    return np.frombuffer(run.stdout, np.uint8).reshape(-1, height, width, 4)


def test_ffmpeg_and_pillow_decode_the_same_frames(gifs):
    for name, gif in gifs.items():
        pillow = np.stack(gif.pillow_frames())
        height, width = gif.frames[0].shape[:2]
        ffmpeg = ffmpeg_frames(gif.path, width, height)
        assert ffmpeg.shape == pillow.shape == (len(gif.frames), height, width, 4), name
        for i, (a, b) in enumerate(zip(ffmpeg, pillow)):
            assert np.array_equal(a, b), f"{name} frame {i}: {int((a != b).any(axis=2).sum())} pixels differ"


# Decodes each GIF with WebCodecs' ImageDecoder (frames composited as browsers show
# them), draws each frame on a canvas and keeps the SHA-256 of its RGBA pixels.
DECODE_PAGE = """<!doctype html><meta charset="utf-8"><script>
const GIFS = %s;
const hex = (buffer) => Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, "0")).join("");
async function decodeAll() {
  const result = {};
  for (const [name, base64] of Object.entries(GIFS)) {
    const decoder = new ImageDecoder({data: Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)), type: "image/gif"});
    await decoder.tracks.ready;
    await decoder.completed;
    const track = decoder.tracks.selectedTrack;
    const frames = [];
    for (let i = 0; i < track.frameCount; i++) {
      const {image} = await decoder.decode({frameIndex: i});
      const canvas = new OffscreenCanvas(image.displayWidth, image.displayHeight);
      const context = canvas.getContext("2d");
      context.drawImage(image, 0, 0);
      const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data;
      frames.push([image.duration, hex(await crypto.subtle.digest("SHA-256", pixels))]);
      image.close();
    }
    result[name] = {loops: String(track.repetitionCount), frames};
  }
  return result;
}
window.decoded = decodeAll();
</script>
"""


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed: its ImageDecoder cannot be asked")
def test_chromium_decodes_the_same_frames_and_timing(gifs, tmp_path):
    page = tmp_path / "decode.html"
    encoded = {name: base64.b64encode(gif.path.read_bytes()).decode("ascii") for name, gif in gifs.items()}
    page.write_text(DECODE_PAGE % json.dumps(encoded), encoding="utf-8")
    decoded = evaluate_after_load(CHROMIUM, page.as_uri(), "window.decoded")
    for name, gif in gifs.items():
        _, frames = decode.decode(gif.path)
        pillow = [(1000 * duration, hashlib.sha256(rgba.tobytes()).hexdigest()) for _, rgba, duration in frames]
        assert decoded[name]["loops"] == "Infinity", name
        assert [tuple(frame) for frame in decoded[name]["frames"]] == pillow, name


@pytest.mark.parametrize("name, why", [
    ("a.html", "(the HTML player is a page, not an image to decode; check its manifest instead)"),
    ("a.mp4", "(video decoding is lossy and differs between decoders; check its manifest instead)"),
    ("frame_00001.png", "(one PNG is one frame: pass the directory of frames)"),
    ("a.txt", "(gdanim writes no such file)"),
])
def test_what_cannot_be_decoded_says_why(tmp_path, name, why):
    from gdanim.decode import DecodeError, decode

    path = tmp_path / name
    path.write_bytes(b"x")
    with pytest.raises(DecodeError) as caught:
        decode(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: only GIF and WEBP files and PNG directories can be decoded and hashed ")
    assert message.endswith(why) and "\n" not in message
