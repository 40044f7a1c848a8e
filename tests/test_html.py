"""The HTML player file: frames that composite to the GIF's pixels exactly, the readout
from the History, timing, no network address anywhere, the notebook fragment, show()."""
import base64
import io
import json
import os
import re
import types
import zlib

import numpy as np
import pytest
from PIL import Image, ImageSequence

import gdanim
from gdanim.history import LISTED_PARAMS
from gdanim.animation import animate
from gdanim.errors import OutputError
from gdanim.output import html
from gdanim.output.webp import durations_ms


@pytest.fixture(scope="module")
def run():
    return gdanim.train("six-points", lr=0.001, init="w=3,b=-1", epochs=12000)


@pytest.fixture(scope="module")
def anim(run):
    return animate(run, "params", "0:3,10:100:30,100:12000:3000", size=(240, 180), workers=1)


@pytest.fixture(scope="module")
def player(anim, tmp_path_factory):
    path = tmp_path_factory.mktemp("html") / "player.html"
    result = anim.save(path)
    return result, path.read_text(encoding="utf-8")


def script(text, kind):
    return re.search(rf'<script type="[^"]+" class="gdanim-{kind}">(.*?)</script>', text, re.S)[1]


def composite(text, width, height):
    """The player's painting, in numpy: each frame's boxes over the frame before. A box
    is deflated palette indices (255 keeps the pixel below), or without a palette
    (lossy) a WebP image."""
    canvas = np.zeros((height, width, 4), np.uint8)
    meta = json.loads(script(text, "meta"))
    palette = np.frombuffer(base64.b64decode(meta["palette"]), np.uint8).reshape(256, 4) if "palette" in meta else None
    for line in script(text, "frames").strip().split("\n"):
        fields = line.split(" ")
        for box in zip(*(fields[i :: 3 if palette is None else 4] for i in range(3 if palette is None else 4))):
            x, y, data = int(box[0]), int(box[1]), base64.b64decode(box[-1])
            if palette is None:
                with Image.open(io.BytesIO(data)) as image:
                    assert image.format == "WEBP"
                    pixels = np.asarray(image.convert("RGBA"))
                assert set(np.unique(pixels[..., 3])) <= {0, 255}
                shown = pixels[..., 3] == 255
            else:
                indices = np.frombuffer(zlib.decompress(data), np.uint8).reshape(-1, int(box[2]))
                pixels, shown = palette[indices], indices != 255
            region = canvas[y : y + pixels.shape[0], x : x + pixels.shape[1]]
            assert region.shape == pixels.shape  # inside the canvas
            region[shown] = pixels[shown]
        yield canvas.copy()


def test_frames_composite_to_the_gifs_pixels_exactly(anim, player, tmp_path):
    result, text = player
    anim.save(tmp_path / "same.gif", manifest=False)
    with Image.open(tmp_path / "same.gif") as gif:
        expected = [np.asarray(f.convert("RGBA")) for f in ImageSequence.Iterator(gif)]
    shown = list(composite(text, anim.width, anim.height))
    assert len(shown) == len(expected) == anim.n_frames == result.frames
    for frame, gif_frame in zip(shown, expected):
        np.testing.assert_array_equal(frame, gif_frame)


def test_frames_are_deflated_palette_indices_in_few_boxes(anim, player, tmp_path):
    """The palette is the GIF's, and 255 keeps the pixel below; the first frame is one
    whole box, and later frames' boxes lie within the GIF's box of what changed."""
    _, text = player
    meta = json.loads(script(text, "meta"))
    palette = np.frombuffer(base64.b64decode(meta["palette"]), np.uint8).reshape(256, 4)
    gif = anim.save(tmp_path / "same.gif", manifest=False)
    with Image.open(gif.path) as image:
        colours = np.array(image.getpalette(), np.uint8).reshape(-1, 3)
    assert np.array_equal(palette[:255, :3], colours[:255]) and set(palette[:255, 3]) == {255}
    assert palette[255].tolist() == [0, 0, 0, 0]
    lines = script(text, "frames").strip().split("\n")
    first = lines[0].split(" ")
    assert first[:3] == ["0", "0", "240"] and len(first) == 4
    assert len(zlib.decompress(base64.b64decode(first[3]))) == 240 * 180
    areas = [sum(len(zlib.decompress(base64.b64decode(b))) for b in line.split(" ")[3::4]) for line in lines[1:]]
    with Image.open(gif.path) as image:  # each GIF frame's one box
        gif_areas = [(x1 - x0) * (y1 - y0) for x0, y0, x1, y1 in
                     (frame.dispose_extent for frame in ImageSequence.Iterator(image))][1:]
    assert len(areas) == len(gif_areas) and all(area <= box for area, box in zip(areas, gif_areas))


def test_meta_holds_the_history_and_the_timing(run, anim, player):
    result, text = player
    meta = json.loads(script(text, "meta"))
    (readout,) = meta["readout"]["runs"]
    assert readout["label"] is None
    records = [int(k) for k in anim.records]
    assert readout["record"] == records
    assert readout["names"] == ["w", "b"]
    assert readout["epoch"] == [int(run.epoch[k]) for k in records]
    assert readout["params"] == [[f"{v:.4g}" for v in run.params[k]] for k in records]
    assert readout["J"] == [f"{run.J[k]:.5g}" for k in records]
    x, y = run.data.X[:, 0], run.data.y
    assert readout["params"][0] == ["3", "-1"] and readout["J"][0] == f"{np.mean((3 * x - 1 - y) ** 2):.5g}"
    assert meta["durations"] == durations_ms(anim.n_frames, 20, 1.5) == result.durations_ms
    assert (meta["width"], meta["height"], meta["frames"], meta["loop"]) == (240, 180, anim.n_frames, True)


NETWORK = [
    r"""\b(?:src|href|action|poster|data)\s*=\s*["']?\s*(?:https?:)?//""",
    r"""url\(\s*["']?\s*(?:https?:)?//""",
    r"""@import""",
    r"""\bimport\b[^;\n]*["'](?:https?:)?//""",
    r"https?:",
]


@pytest.mark.parametrize("pattern", NETWORK)
def test_nothing_loads_from_the_network(player, pattern):
    assert not re.search(pattern, player[1], re.I)


@pytest.mark.parametrize("sample", [
    '<img src="https://cdn.example/x.png">', "<script src=//cdn.example/p.js></script>",
    "a{background:url( 'http://x/y.png')}", '@import "style.css";', 'import("https://esm.sh/x")',
])
def test_the_network_patterns_catch_each_kind_of_address(sample):
    assert any(re.search(p, sample, re.I) for p in NETWORK)


def test_the_notebook_fragment_is_the_files_player(anim, player):
    fragment = anim._repr_html_()
    assert fragment == html.fragment(player[1])
    assert fragment.startswith('<div class="gdanim-player"') and fragment.endswith("</div>")
    assert "<body" not in fragment and "<html" not in fragment
    assert fragment.count("<script") == 3


def test_show_outside_a_notebook_writes_the_player_and_prints_its_path(anim, tmp_path, capsys):
    path = anim.show(tmp_path / "shown.html")
    assert path == tmp_path / "shown.html"
    assert capsys.readouterr().out == f"gdanim: open {path.resolve()} in a browser\n"
    assert path.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert sorted(os.listdir(tmp_path)) == ["shown.html"]


def test_lossy_player_frames_stay_close(anim, tmp_path):
    text = anim.save(tmp_path / "lossy.html", manifest=False, quality=80).path.read_text()
    assert "VP8 " in base64.b64decode(script(text, "frames").strip().split("\n")[0].split(" ")[2]).decode("latin-1")
    for frame, rendered in zip(composite(text, anim.width, anim.height), anim.frames()):
        mse = np.mean((frame[..., :3].astype(float) - rendered) ** 2)
        assert 10 * np.log10(255**2 / mse) > 30


def test_celluloid_engine_writes_the_same_player(run, player):
    celluloid = animate(run, "params", "0:3,10:100:30,100:12000:3000", size=(240, 180), engine="celluloid")
    assert celluloid._repr_html_() == html.fragment(player[1])


def test_gallery_player_is_at_most_one_and_a_half_gifs(run, tmp_path):
    anim = animate(run, "residuals", "0:50,50:100:10,100:12000:400", size=(480, 480), style="article", workers=2)
    gif = anim.save(tmp_path / "a.gif", manifest=False).bytes
    player = anim.save(tmp_path / "a.html", manifest=False).bytes
    assert player <= 1.5 * gif


def test_a_race_reads_out_every_run_at_the_shared_step(run):
    """Frame i shows step k of every run: a run that ended holds its last record."""
    short = gdanim.train("six-points", lr=0.001, init="w=3,b=-1", epochs=40)
    race = types.SimpleNamespace(histories=[run, short], labels=["lr 0.001, long", "short"], steps=run.steps)
    readout = html.readout(race, [0, 20, 40, 3000])
    long_run, short_run = readout["runs"]
    assert (long_run["label"], short_run["label"]) == ("lr 0.001, long", "short")
    assert long_run["record"] == [0, 20, 40, 3000] and short_run["record"] == [0, 20, 40, 40]
    assert short_run["J"][3] == f"{short.J[40]:.5g}" and long_run["params"][3] == [f"{v:.4g}" for v in run.params[3000]]


def test_container_counts_its_frames(tmp_path, anim):
    readout = html.readout(anim.history, anim.records[:2])
    with pytest.raises(OutputError, match="no frames were rendered"):
        with html.HtmlContainer(tmp_path / "a.html", 240, 180, fps=20, readout=readout):
            pass
    assert os.listdir(tmp_path) == []


def test_show_in_a_notebook_displays_the_player(anim, monkeypatch, tmp_path):
    """Inside a Jupyter kernel (faked: an IPython whose shell runs an IPKernelApp)."""
    import sys
    import types

    shown = []
    ipython = types.ModuleType("IPython")
    ipython.get_ipython = lambda: types.SimpleNamespace(config={"IPKernelApp": {}})
    display = types.ModuleType("IPython.display")
    display.HTML = lambda text: ("HTML", text)
    display.display = shown.append
    monkeypatch.setitem(sys.modules, "IPython", ipython)
    monkeypatch.setitem(sys.modules, "IPython.display", display)
    monkeypatch.chdir(tmp_path)
    assert anim.show() is None
    assert shown == [("HTML", anim._repr_html_())]
    assert os.listdir(tmp_path) == []
    ipython.get_ipython = lambda: types.SimpleNamespace(config={})  # plain IPython: no kernel
    assert not html.in_notebook()


def test_show_outside_a_notebook_writes_a_file_per_call(anim, monkeypatch, tmp_path, capsys):
    """Two animations shown one after the other each keep their own player."""
    monkeypatch.setattr(html.tempfile, "tempdir", str(tmp_path))
    first, second = anim.show(), anim.show()
    assert first != second and first.parent == second.parent == tmp_path
    assert first.name.startswith("gdanim-params-") and first.suffix == ".html"
    assert all('class="gdanim-player"' in path.read_text(encoding="utf-8") for path in (first, second))
    assert f"gdanim: open {first.resolve()} in a browser" in capsys.readouterr().out


def test_readout_counts_parameters_past_six():
    """Up to LISTED_PARAMS the readout lists every parameter; past it, their count."""
    def history(count):
        return types.SimpleNamespace(steps=2, names=[f"p{i}" for i in range(count)], epoch=[0, 1, 2],
                                     params=np.arange(3 * count, dtype=float).reshape(3, count), J=[3.0, 2.0, 1.0])

    six, seven = (html.readout(history(n), [0, 2])["runs"][0] for n in (LISTED_PARAMS, LISTED_PARAMS + 1))
    assert six["names"] == [f"p{i}" for i in range(6)] and six["unnamed"] == 0
    assert six["params"] == [[f"{float(v):.4g}" for v in range(6)], [f"{float(v):.4g}" for v in range(12, 18)]]
    assert seven["names"] == [] and seven["unnamed"] == 7 and seven["params"] == []
    assert seven["record"] == [0, 2] and seven["J"] == ["3", "1"]


def test_lossy_player_leaves_no_traces_of_moving_lines(tmp_path):
    """As for a lossy WebP: after 80 frames of a moving line, the player's painting is
    off from the rendered frame about as much as in the first frame."""
    history = gdanim.train("six-points", lr=0.001, init="w=3,b=-1", epochs=2000)
    anim = animate(history, "residuals", "0:40,40:2000:40", size=(320, 180), fps=20, quiet=True)
    text = anim.save(tmp_path / "q.html", manifest=False, quality=80).path.read_text(encoding="utf-8")
    painted = list(composite(text, anim.width, anim.height))
    rendered = list(anim.frames())
    off = [(np.abs(painted[i][..., :3].astype(int) - rendered[i][..., :3]).max(axis=-1) > 16).mean() for i in (0, -1)]
    assert off[0] > 0.005 and off[1] < 1.5 * off[0], off


def test_where_scripts_never_run_the_player_says_why(player):
    """An untrusted notebook or GitHub's viewer drops the script: the readout's own
    text stays, and says what to do (the script replaces it as it starts)."""
    _, text = player
    shown = re.search(r'<div class="gdanim-readout">([^<]*)</div>', text)[1]
    assert shown.startswith("loading frames...") and "scripts do not run here" in shown and "show a GIF" in shown
