"""Python errors in Python's words: real keyword parameters, did-you-mean, and a view's own bugs left alone."""
import inspect
import pydoc

import pytest

import gdanim
from gdanim.animation import Animation
from gdanim.errors import ConfigError, UnknownOptionError

H = gdanim.train("six-points", lr=0.02, epochs=4)


@pytest.mark.parametrize("function", [gdanim.animate, gdanim.train, Animation, Animation.save, gdanim.datasets.load,
                                      gdanim.race, gdanim.objective])
def test_signatures_show_real_keywords(function):
    parameters = inspect.signature(function).parameters.values()
    assert not any(p.kind is p.VAR_KEYWORD for p in parameters)


def test_help_of_animate_lists_its_parameters():
    text = pydoc.render_doc(gdanim.animate, renderer=pydoc.plaintext)
    signature = text.splitlines()[2]
    assert signature.startswith("animate(history, view") and "**" not in signature
    for shown in ("size=(960, 540)", "dpi", "style", "engine", "workers", "fps", "end_pause", "quiet", "axes=None",
                  "elev", "azim", "orbit", "explain: 'bool | None' = None", "detail: 'str | None' = None"):
        assert shown in signature


@pytest.mark.parametrize("call, message", [
    (lambda: gdanim.animate(H, sise=(200, 150)), "unknown option 'sise'; did you mean 'size'?"),
    (lambda: Animation(H, "params", fsp=10), "unknown option 'fsp'; did you mean 'fps'?"),
    (lambda: gdanim.train("six-points", epocs=3), "unknown option 'epocs'; did you mean 'epochs'?"),
    (lambda: gdanim.train("six-points", learning_rate=0.1),
     "unknown option 'learning_rate'; the options are: data, objective, loss, standardize, params, optimizer, lr, "
     "schedule, epochs, steps, batch_size, order, init, start, seed, strict, stop_at, beta, rho, b1, b2, eps, J_every"),
    (lambda: gdanim.animate(H).save("x.gif", keep=True), "unknown option 'keep'; did you mean 'keep_frames'?"),
    (lambda: gdanim.race("rosenbrock", run=["gd"], steps=3), "unknown option 'run'; did you mean 'runs'?"),
    (lambda: gdanim.objective(lambda t: t[..., 0] ** 2, optimun=(0, 0)), "unknown option 'optimun'; did you mean 'optimum'?"),
])
def test_misspelt_options(call, message):
    with pytest.raises(UnknownOptionError) as caught:
        call()
    assert str(caught.value) == message
    assert isinstance(caught.value, TypeError) and isinstance(caught.value, ConfigError)


@pytest.mark.parametrize("options, message", [
    (dict(orbit=30), "orbit= applies to the surface view, not params"),
    (dict(axes="w,b"), "axes= applies to the surface, contour and landscape views, not params"),
    (dict(elev=10), "elev= applies to the surface and plane views, not params"),
    (dict(fps=0), "fps= must be above 0 and at most 100, got 0"),
    (dict(size="9x9"), "size=9x9 is out of range: each side must be 100 to 7680 pixels"),
])
def test_bad_values_name_the_keyword(options, message):
    with pytest.raises(ConfigError) as caught:
        gdanim.animate(H, "params", **options)
    assert str(caught.value) == message


def test_an_orbit_needs_the_stream_engine():
    # celluloid photographs artists; the camera is the axes' state, so every frame showed the last angle
    with pytest.raises(ConfigError) as caught:
        gdanim.animate(H, "surface", orbit=30, engine="celluloid")
    assert str(caught.value) == ("orbit= needs the stream engine: celluloid photographs artists, not the camera, "
                                 "so every frame would show the last angle")
    assert gdanim.animate(H, "surface", engine="celluloid").engine == "celluloid"
    with pytest.raises(ConfigError) as caught:  # to_matplotlib() is celluloid's whatever the engine
        gdanim.animate(H, "surface", orbit=30).to_matplotlib()
    assert str(caught.value).startswith("orbit= needs the stream engine")


def test_view_and_check_options_name_the_keyword(tmp_path, capsys):
    """The same checks say trail=, axes=, record=, tolerance= to Python and their flags on the command line."""
    from gdanim.check import compare
    from gdanim.cli import main

    race = gdanim.race("rosenbrock", runs=["gd"], steps=3)
    xor = gdanim.train("xor", objective="mlp:hidden=2", steps=3)
    cases = [
        (lambda: gdanim.animate(race, "contour", trail=0), "trail= must be a whole number of steps >= 1, got 0"),
        (lambda: gdanim.animate(xor, "network", record=9), "record=9 is out of range: the data has 4 records (0..3)"),
        (lambda: gdanim.animate(xor, "landscape", axes="q,b2[0]"),
         "unknown parameter 'q' in axes=; this model's parameters are W1[0,0], W1[0,1], W1[1,0], W1[1,1], b1[0], b1[1], "
         "W2[0,0], W2[1,0], b2[0] (or pca)"),
        (lambda: compare(tmp_path / "a.gif", tmp_path / "b.json", tolerance=-1),
         "tolerance= must be an RMS from 0 to 255, got -1"),
        (lambda: compare(tmp_path / "a.gif", tmp_path / "b.json", max_changed_fraction=2),
         "max_changed_fraction= must be from 0 to 1, got 2"),
    ]
    for call, message in cases:
        with pytest.raises(ConfigError) as caught:
            call()
        assert str(caught.value) == message
    out = str(tmp_path / "x.gif")
    assert main(["race", "contour", "--objective", "rosenbrock", "--run", "gd", "--steps", "3", "--trail", "0",
                 "--out", out]) == 2
    assert main(["render", "network", "--data", "xor", "--model", "mlp:hidden=2", "--steps", "3", "--record", "9",
                 "--out", out]) == 2
    assert capsys.readouterr().err.splitlines() == [
        "gdanim: error: --trail must be a whole number of steps >= 1, got 0",
        "gdanim: error: --record 9 is out of range: the data has 4 records (0..3)",
    ]


def test_a_type_error_inside_a_view_is_not_called_a_bad_option(monkeypatch):
    from gdanim.views.params import ParamsView

    def broken(self, fig):
        raise TypeError("unsupported operand type(s) for +: 'int' and 'str'")

    monkeypatch.setattr(ParamsView, "draw_static", broken)
    anim = gdanim.animate(H, "params", "0:2", size=(160, 120), workers=1)
    with pytest.raises(TypeError) as caught:
        next(anim.frames())
    assert not isinstance(caught.value, ConfigError)
    assert str(caught.value) == "unsupported operand type(s) for +: 'int' and 'str'"

    def broken_init(self, history, records, style):
        raise TypeError("a bug in the view")

    monkeypatch.setattr(ParamsView, "__init__", broken_init)
    with pytest.raises(TypeError, match="^a bug in the view$") as caught:
        gdanim.animate(H, "params")
    assert not isinstance(caught.value, ConfigError)


def test_out_without_a_suffix(tmp_path):
    anim = gdanim.animate(H, "params", "0:2", size=(160, 120), workers=1)
    with pytest.raises(ConfigError) as caught:
        anim.save(tmp_path / "anim")
    assert str(caught.value) == f"cannot write {tmp_path / 'anim'}: no suffix; use .gif, .mp4, .webp, .webm, .html, " \
                                "or end the path with / for PNG frames"
    assert not (tmp_path / "anim").exists()
    assert anim.save(f"{tmp_path / 'frames'}/").kind == "png"  # a trailing / asks for PNG frames
    (tmp_path / "existing").mkdir()
    assert anim.save(tmp_path / "existing").kind == "png"  # so does an existing directory
    assert sorted(p.name for p in (tmp_path / "existing").glob("*.png")) == ["frame_00000.png", "frame_00001.png"]
