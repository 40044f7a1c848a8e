"""Frames for slides: text that keeps its share of the frame, titles, captions and see-through backgrounds."""
import json
import os

import matplotlib
import numpy as np
import pytest
from PIL import Image, ImageSequence

import gdanim
from gdanim.animation import animate
from gdanim.cli import main
from gdanim.engines.figure import draw_static, new_figure
from gdanim.engines.stream import FrameRenderer
from gdanim.errors import ConfigError
from gdanim.style import STYLES, canvas_scale, lifted

SMALL = dict(size=(160, 120), workers=1)


@pytest.fixture(scope="module")
def short():
    return gdanim.train("six-points", lr=0.01, init="w=3,b=-1", epochs=20)


@pytest.mark.parametrize("width, height, reference, expected", [
    (960, 540, (9.6, 5.4), 1.0),
    (1920, 1080, (9.6, 5.4), 2.0),
    (3840, 2160, (9.6, 5.4), 4.0),
    (1920, 1080, (7.2, 5.4), 2.0),  # the contour view's reference: the height decides
    (1000, 1000, (9.6, 5.4), 1000 / 960),  # the width decides
    (480, 270, (9.6, 5.4), 0.5**0.5),  # below the reference: the square root
    (200, 150, (9.6, 5.4), 0.6),  # sqrt(200/960) = 0.456, raised to the floor
])
def test_canvas_scale(width, height, reference, expected):
    assert canvas_scale(width, height, reference) == pytest.approx(expected, rel=1e-15)


def static_figure(anim):
    """The figure of ``anim``'s view with its static part drawn and laid out, as the engines do."""
    view = anim._new_view()
    with anim._look():
        fig = new_figure(anim.width, anim.height, anim.dpi)
        draw_static(view, fig)
    return view, fig


@pytest.mark.parametrize("view_name", ["params", "contour"])
def test_text_is_the_same_fraction_of_the_frame_at_every_slide_size(short, view_name):
    """The panel title's rendered height over the frame height: 960x540, 1920x1080 and 3840x2160
    agree within 2% (FreeType's hinting rounds to whole pixels); tick labels too."""
    fractions = []
    for size in [(960, 540), (1920, 1080), (3840, 2160)]:
        view, fig = static_figure(animate(short, view_name, "0,20", size=size, workers=1))
        renderer = fig.canvas.get_renderer()
        title = fig.axes[0].title.get_window_extent(renderer).height
        tick = max(t.get_window_extent(renderer).height for t in fig.axes[0].get_xticklabels() if t.get_text())
        fractions.append((title / size[1], tick / size[1]))
    title_share, tick_share = np.array(fractions).T
    np.testing.assert_allclose(title_share, title_share[0], rtol=0.02)
    np.testing.assert_allclose(tick_share, tick_share[0], rtol=0.02)
    assert 0.035 < title_share[0] < 0.045  # about 1/25 of the frame: 21 px of 540


def test_line_widths_and_pads_grow_with_the_text():
    with STYLES["light"].context(scale=2.0):
        assert matplotlib.rcParams["axes.linewidth"] == 2 * 0.8
        assert matplotlib.rcParams["xtick.major.size"] == 2 * 3.5
        assert matplotlib.rcParams["ytick.major.pad"] == 2 * 3.5
        assert matplotlib.rcParams["axes.titlepad"] == 2 * 6.0
    with STYLES["dark"].context(transparent=True):
        assert matplotlib.rcParams["figure.facecolor"] == "none" and matplotlib.rcParams["axes.facecolor"] == "none"


def test_title_and_caption_are_drawn_above_and_below_everything(short):
    anim = animate(short, "params", "0,20", size=(960, 540), workers=1, title="Gradient descent",
                   caption=r"Source: the article; $J = \frac{1}{n}\sum (y - \hat y)^2$")
    view, fig = static_figure(anim)
    renderer = fig.canvas.get_renderer()
    title, caption = view.frame_title, view.frame_caption
    assert [t.get_text() for t in fig.texts] == ["Gradient descent", anim.caption]
    title_box, caption_box = title.get_window_extent(renderer), caption.get_window_extent(renderer)
    axes_boxes = [ax.get_tightbbox(renderer) for ax in fig.axes]
    status_middle = view.status_y * 540
    assert title_box.y0 > status_middle > max(box.y1 for box in axes_boxes)  # title, then the status line, then the axes
    assert caption_box.y1 < min(box.y0 for box in axes_boxes) and caption_box.y0 > 0
    assert title.get_fontsize() == pytest.approx(STYLES["light"].title_size * 1.15)
    assert anim.config()["title"] == "Gradient descent" and "transparent" not in anim.config()


def test_a_long_title_is_shrunk_to_the_frame_width(short):
    long = "A title far too long for a frame of this width, about gradient descent on six points"
    view, fig = static_figure(animate(short, "params", "0,20", size=(480, 270), workers=1, title=long))
    box = view.frame_title.get_window_extent(fig.canvas.get_renderer())
    assert box.x0 >= 0 and box.x1 <= 480 and 0.9 * 480 < box.width <= 0.96 * 480 + 1  # hinting is not linear in size


@pytest.mark.parametrize("options, message", [
    (dict(title=5), "^title= must be text, got '5'$"),
    (dict(caption="x" * 201), "^caption= must be at most 200 characters, got 201$"),
    (dict(caption=r"$\frac{1}$"), r"^caption= has mathtext that cannot be set \(.*\); escape a literal dollar as \\\$$"),
    (dict(transparent=1), "^transparent= must be True or False, got '1'$"),
])
def test_bad_title_caption_transparent(short, options, message):
    with pytest.raises(ConfigError, match=message):
        animate(short, "params", "0,20", **options)


def test_a_single_dollar_is_plain_text(short):
    assert animate(short, "params", "0,20", caption="costs $5 a run").caption == "costs $5 a run"


def test_transparent_png_frames_keep_alpha(short, tmp_path):
    opaque = animate(short, "params", "0,20", style="dark", **SMALL).save(f"{tmp_path / 'opaque'}/", manifest=False)
    clear = animate(short, "params", "0,20", style="dark", transparent=True, **SMALL).save(f"{tmp_path / 'clear'}/")
    with Image.open(opaque.path / "frame_00001.png") as image:
        assert image.mode == "RGB"
        rgb = np.asarray(image)
    with Image.open(clear.path / "frame_00001.png") as image:
        rgba = np.asarray(image)
    assert image.mode == "RGBA" and rgba[0, 0, 3] == 0 and rgba[-1, -1, 3] == 0  # the corners show the slide
    drawn = rgba[..., 3] == 255  # lines, points and text: opaque, and the colours of the opaque render
    assert drawn.sum() > 100
    np.testing.assert_array_equal(rgba[drawn][:, :3], rgb[drawn])
    assert json.loads(clear.manifest.read_text())["config"]["render"]["transparent"] is True


def test_transparent_gif_is_see_through_exactly_where_the_frame_is(short, tmp_path):
    """1-bit: a pixel shows the page when its alpha is under 128; every frame is whole and
    clears the one before (disposal 2), so a pixel can turn see-through again."""
    anim = animate(short, "params", "0:20:5", style="dark", transparent=True, **SMALL)
    frames = anim.save(f"{tmp_path / 'png'}/", manifest=False).path
    anim.save(tmp_path / "a.gif", manifest=False)
    with Image.open(tmp_path / "a.gif") as gif:
        decoded = [(np.asarray(frame.convert("RGBA")), frame.disposal_method) for frame in ImageSequence.Iterator(gif)]
    assert len(decoded) == 4
    for i, (rgba, disposal) in enumerate(decoded):
        with Image.open(frames / f"frame_{i:05d}.png") as png:
            alpha = np.asarray(png)[..., 3]
        assert disposal == 2
        np.testing.assert_array_equal(rgba[..., 3] == 0, alpha < 128)
        assert set(np.unique(rgba[..., 3])) == {0, 255}


@pytest.mark.parametrize("suffix, name", [(".webm", r"WebM \(VP9\)"), (".webp", "gdanim's animated WebP"),
                                          (".html", "the HTML player")])
def test_transparent_is_refused_for_every_opaque_format(short, tmp_path, suffix, name):
    """The frames of these formats are opaque: a see-through render would be flattened."""
    with pytest.raises(ConfigError, match=rf"^transparent= needs a \.gif or PNG frames: {name} has no transparency$"):
        animate(short, "params", "0,20", transparent=True, **SMALL).save(tmp_path / f"a{suffix}")
    assert os.listdir(tmp_path) == []


def test_transparent_mp4_is_refused_before_rendering(short, tmp_path, capsys):
    with pytest.raises(ConfigError, match=r"^transparent= needs a \.gif or PNG frames: MP4 \(H\.264\) has no transparency$"):
        animate(short, "params", "0,20", transparent=True, **SMALL).save(tmp_path / "a.mp4")
    assert not (tmp_path / "a.mp4").exists()
    code = main(["render", "params", "--epochs", "5", "--transparent", "--out", str(tmp_path / "b.mp4"), "--quiet"])
    assert code == 2 and capsys.readouterr().err == (
        "gdanim: error: --transparent needs a .gif or PNG frames: MP4 (H.264) has no transparency\n")


def test_cli_title_caption_transparent(tmp_path, capsys):
    code = main(["render", "contour", "--epochs", "10", "--frames", "0,10", "--size", "160x120", "--workers", "1",
                 "--title", "Six points", "--caption", "lr 0.01", "--transparent", "--out", f"{tmp_path / 'f'}/", "--quiet"])
    assert code == 0
    assert capsys.readouterr().err.startswith("gdanim: warning: not converged after 10 epochs")  # a 10-epoch run
    render = json.loads((tmp_path / "f.frames.json").read_text())["config"]["render"]
    assert (render["title"], render["caption"], render["transparent"]) == ("Six points", "lr 0.01", True)
    code = main(["render", "params", "--epochs", "5", "--title", "$\\frac{$", "--out", f"{tmp_path / 'g'}/"])
    err = capsys.readouterr().err
    assert code == 2 and err.startswith("gdanim: error: --title has mathtext that cannot be set (") and err.count("\n") == 1


def test_dark_colour_maps_are_not_black_near_the_optimum():
    dark = STYLES["dark"]
    for cmap in (dark.contour_cmap, dark.surface_cmap):
        low = np.array(cmap(0.0)[:3])
        np.testing.assert_array_equal(low, matplotlib.colormaps["magma"](np.linspace(0.3, 1.0, 256))[0, :3])
        assert low.max() > 0.45  # magma's own low end is (0, 0, 0.02)
    assert lifted("magma", 0.3, 0.85)(1.0) == pytest.approx(matplotlib.colormaps["magma"](0.85))
