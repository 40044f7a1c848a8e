"""The HTML player in a real browser: headless Chromium opens the file from disk, goes to
frame k (``#frame=k``, or keys pressed through ``#keys=...``), and the test compares the
screenshot with the rendered frame k (kept with keep_frames) and the readout with
record k of the History. Skipped where /usr/bin/chromium is not installed."""
import html as htmlmod
import math
import os
import re
import subprocess
import types

import numpy as np
import pytest
from PIL import Image, ImageSequence

import gdanim
from gdanim.history import LISTED_PARAMS
from gdanim.animation import animate
from gdanim.manifest import frames_path
from gdanim.output import html, player_frames
from gdanim.output.webp import WebpFrameEncoder

CHROMIUM = "/usr/bin/chromium"
pytestmark = pytest.mark.skipif(not os.access(CHROMIUM, os.X_OK),
                                reason=f"no Chromium at {CHROMIUM} (apt-get install chromium; .ci/run does)")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--force-device-scale-factor=1", "--hide-scrollbars", "--virtual-time-budget=10000"]
SEPARATOR = "  \u00b7  "


def chromium(tmp_path, url, *flags):
    profile = tmp_path / f"profile-{len(os.listdir(tmp_path))}"
    done = subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *flags, url],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def player_state(tmp_path, path, fragment, *flags, raw=False):
    """(frame shown, readout text) from the DOM after the page has settled; the
    no-break spaces that keep each field on one line read as spaces unless ``raw``."""
    dom = chromium(tmp_path, f"{path.as_uri()}#{fragment}", "--dump-dom", *flags)
    frame = re.search(r'class="gdanim-player"[^>]*data-frame="(\d+)"', dom)
    readout = htmlmod.unescape(re.search(r'<div class="gdanim-readout">([^<]*)</div>', dom)[1])
    return int(frame[1]) if frame else None, readout if raw else readout.replace("\xa0", " ")


def psnr(pixels, rgba) -> float:
    mse = np.mean((pixels - rgba[..., :3]) ** 2)
    return math.inf if mse == 0 else 10 * math.log10(255**2 / mse)


def python_readout(history, k):
    """What the player must show for record k: Python's own formatting of the values."""
    fields = [f"record {k:,}", f"epoch {int(history.epoch[k]):,}", f"step {k:,}"]
    fields += [f"{name} = {value:.4g}" for name, value in zip(history.names, history.params[k])]
    return SEPARATOR.join(fields + [f"J = {history.J[k]:.5g}"])


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    history = gdanim.train("six-points", lr=0.001, init="w=3,b=-1", epochs=12000)
    # 42 frames: snapshots of the canvas at frames 0, 16 and 32
    anim = animate(history, "residuals", "0:60:2,60:12000:1000", size=(320, 240), style="article", workers=2)
    path = tmp_path_factory.mktemp("player") / "player.html"
    anim.save(path, keep_frames=True)
    with np.load(frames_path(path)) as kept:
        frames = [kept[f"frame_{i:05d}"] for i in range(anim.n_frames)]
    gif = anim.save(path.with_suffix(".gif"), manifest=False).path
    with Image.open(gif) as image:  # the player shows the GIF's palette colours
        gif_frames = [np.asarray(f.convert("RGB")).astype(float) for f in ImageSequence.Iterator(image)]
    return anim, path, frames, gif_frames


def screenshot(tmp_path, anim, path, fragment):
    """(frame shown, readout, the canvas's pixels) after opening ``path#fragment``."""
    shot = tmp_path / f"shot-{len(os.listdir(tmp_path))}.png"
    shown, readout = player_state(tmp_path, path, fragment, f"--screenshot={shot}",
                                  f"--window-size={anim.width},{anim.height + 120}")
    with Image.open(shot) as image:
        return shown, readout, np.asarray(image.convert("RGB"))[: anim.height, : anim.width].astype(float)


def test_frame_k_shows_rendered_frame_k_and_record_k(rendered, tmp_path):
    anim, path, frames, gif_frames = rendered
    k = 9
    shown, readout, pixels = screenshot(tmp_path, anim, path, f"frame={k}")
    assert shown == k
    assert readout == python_readout(anim.history, int(anim.records[k]))
    assert psnr(pixels, frames[k]) >= 35
    assert psnr(pixels, frames[k - 1]) < 35  # the frame before would not pass for it
    np.testing.assert_array_equal(pixels, gif_frames[k])  # exactly the GIF's frame k


def test_stepping_back_repaints_from_the_snapshot_before(rendered, tmp_path):
    """Frame 40 shown (snapshots at 0, 16 and 32 taken on the way), three steps back:
    frame 37, repainted from the snapshot at 32, exactly."""
    anim, path, _, gif_frames = rendered
    shown, readout, pixels = screenshot(tmp_path, anim, path, "frame=40&keys=ArrowLeft,ArrowLeft,ArrowLeft")
    assert shown == 37
    assert readout == python_readout(anim.history, int(anim.records[37]))
    np.testing.assert_array_equal(pixels, gif_frames[37])


def test_keys_step_back_and_forward_frame_by_frame(rendered, tmp_path):
    anim, path, _, _ = rendered
    last = anim.n_frames - 1
    keys = "End,ArrowLeft,ArrowLeft,ArrowLeft,Home,End,ArrowLeft,ArrowLeft,ArrowLeft,ArrowRight"
    shown, readout = player_state(tmp_path, path, f"frame=3&keys={keys}")
    assert shown == last - 2
    assert readout == python_readout(anim.history, int(anim.records[last - 2]))


TRICKY = [1.0625, -2.5, 0.00012345, 1.5e-05, 123456.0, 99995.0, -0.0, 0.1, 3.0, 1e21, 9.9995, 6.02214076e23,
          float("nan"), float("inf")]


def test_readout_shows_numbers_as_python_formats_them(tmp_path):
    """Ties that round half to even (1.0625 -> 1.062), exponents, -0, nan and inf: the
    page shows each value as Python's format(v, ".4g") (J: ".5g"), record and epoch
    grouped by thousands, and a race's runs one per line, labelled."""
    names = [f"p{i}" for i in range(len(TRICKY))]
    six = LISTED_PARAMS
    groups = [(names[i : i + six], TRICKY[i : i + six]) for i in range(0, len(TRICKY), six)]
    runs = [types.SimpleNamespace(steps=12345, names=n, epoch={12345: 7}, params={12345: v}, J={12345: 12.3125})
            for n, v in groups]
    labelled = types.SimpleNamespace(steps=12345, names=["w"], epoch={12345: 7}, params={12345: [0.5]}, J={12345: 2.0})
    many = types.SimpleNamespace(steps=12345, names=names, epoch={12345: 7}, params={12345: TRICKY}, J={12345: 2.0})
    race = types.SimpleNamespace(histories=[*runs, labelled, many], labels=[None] * len(runs) + ["second run", "many"])
    frame = np.full((100, 100, 4), 255, np.uint8)
    path = tmp_path / "numbers.html"
    with html.HtmlContainer(path, 100, 100, fps=20, readout=html.readout(race, [12345])) as player:
        player.add(player_frames.banded(0, 0, frame[..., :3], WebpFrameEncoder().options))
    _, raw = player_state(tmp_path, path, "frame=0", raw=True)
    text = raw.replace("\xa0", " ")
    start = ["record 12,345", "epoch 7", "step 12,345"]
    lines = [SEPARATOR.join(start + [f"{name} = {value:.4g}" for name, value in zip(group, values)] + [f"J = {12.3125:.5g}"])
             for group, values in groups]
    lines.append("second run:  " + SEPARATOR.join(start + ["w = 0.5", "J = 2"]))
    # past LISTED_PARAMS the parameters are counted, not listed; labels padded to line up
    lines.append("many:        " + SEPARATOR.join(start + [f"{len(TRICKY)} parameters", "J = 2"]))
    assert len(TRICKY) > six and text == "\n".join(lines)
    assert "p0 = 1.062" in text and "J = 12.312" in text and "p12 = nan" in text and "p13 = inf" in text
    # a line breaks only between fields
    assert "p0\xa0=\xa01.062" in raw and "record\xa012,345" in raw and "p0 = " not in raw
