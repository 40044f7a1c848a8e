"""gdanim.validate: the checks, their exact messages, and the caller's spelling of each parameter."""
import pickle

import numpy as np
import pytest

import gdanim
from gdanim import validate
from gdanim.animation import animate
from gdanim.cli import main
from gdanim.errors import ConfigError
from gdanim.surface import choose_axes
from gdanim.validate import CLI, KEY, PYTHON, ParamError


@pytest.fixture(scope="module")
def short():
    return gdanim.train("six-points", lr=0.01, init="w=3,b=-1", epochs=5)


# The same bad value through the Python API and through the command line. The text after
# the parameter is the same; only the way the parameter is written differs.
SAME_VALUE = [
    # (keyword, value, view, Python message, command-line message)
    ("fps", 0, "params", "fps= must be above 0 and at most 100, got 0", "--fps must be above 0 and at most 100, got 0"),
    ("dpi", 1201, "params", "dpi= must be above 0 and at most 1200, got 1201",
     "--dpi must be above 0 and at most 1200, got 1201"),
    ("workers", 0, "params", "workers= must be a whole number >= 1, got 0", "--workers must be a whole number >= 1, got 0"),
    ("end_pause", -1.0, "params", "end_pause= must be 0 to 60 seconds, got -1.0",
     "--end-pause must be 0 to 60 seconds, got -1.0"),
    ("size", "99x150", "params", "size=99x150 is out of range: each side must be 100 to 7680 pixels",
     "--size 99x150 is out of range: each side must be 100 to 7680 pixels"),
    ("size", "big", "params", "size= must look like 960x540 (pixels), got 'big'",
     "--size must look like 960x540 (pixels), got 'big'"),
    ("elev", float("inf"), "surface", "elev= must be a finite number of degrees, got inf",
     "--elev must be a finite number of degrees, got inf"),
    ("orbit", float("nan"), "surface", "orbit= must be a finite number of degrees, got nan",
     "--orbit must be a finite number of degrees, got nan"),
    ("azim", float("-inf"), "plane", "azim= must be a finite number of degrees, got -inf",
     "--azim must be a finite number of degrees, got -inf"),
    ("axes", "w", "contour", "axes= needs two different parameter names, e.g. w,b",
     "--axes needs two different parameter names, e.g. w,b"),
]


@pytest.mark.parametrize("keyword, value, view, python, command_line", SAME_VALUE, ids=[c[0] for c in SAME_VALUE])
def test_python_says_name_equals_and_the_cli_says_its_flag(keyword, value, view, python, command_line, short, capsys):
    history = short if view != "plane" else gdanim.train("six-points-2d", epochs=2)
    with pytest.raises(ConfigError) as caught:
        animate(history, view, "0:2", **{"size": (200, 150), keyword: value})
    assert str(caught.value) == python

    data = "six-points-2d" if view == "plane" else "six-points"
    flag = "--" + keyword.replace("_", "-")
    argv = ["render", view, "--data", data, "--epochs", "2", "--frames", "0:2", "--quiet", f"{flag}={value}"]
    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert out == "" and err == f"gdanim: error: {command_line}\n"


def test_axes_example_is_spelled_for_each_caller():
    names = ["w1", "w2", "b"]
    with pytest.raises(ParamError) as caught:
        choose_axes(names)
    assert str(caught.value) == "this model has 3 parameters (w1, w2, b); pick two with axes=, e.g. axes=w1,b"
    assert caught.value.spelled(CLI) == "this model has 3 parameters (w1, w2, b); pick two with --axes, e.g. --axes w1,b"


# ---------------------------------------------------------------------------- spellings


def test_spellings():
    assert (PYTHON.name("end_pause"), PYTHON.given("size", "9x9")) == ("end_pause=", "size=9x9")
    assert (CLI.name("end_pause"), CLI.given("size", "9x9")) == ("--end-pause", "--size 9x9")
    assert (KEY.name("noise"), KEY.given("n", "0")) == ("noise", "n=0")


def test_within_prefixes_and_spells_keys_bare():
    with pytest.raises(ConfigError) as caught:
        with validate.within("spec: "):
            validate.count("n", 0)
    assert str(caught.value) == "spec: n must be a whole number >= 1, got 0"
    assert not isinstance(caught.value, ParamError)  # the CLI must not re-spell a key as a flag


def test_within_passes_other_errors_through():
    with pytest.raises(ValueError, match="^other$"):
        with validate.within("spec: "):
            raise ValueError("other")


def test_param_error_pickles_as_its_message():
    error = ParamError("fps", lambda w: f"{w.name} is wrong")
    again = pickle.loads(pickle.dumps(error))
    assert type(again) is ConfigError and str(again) == "fps= is wrong"


# ---------------------------------------------------------------------------- numbers


def message(check, *args, **kwargs) -> str:
    with pytest.raises(ParamError) as caught:
        check(*args, **kwargs)
    return str(caught.value)


def test_number():
    assert validate.number("x", "2.5") == 2.5 and validate.number("x", np.float32(0.5)) == 0.5
    assert message(validate.number, "x", "fast") == "x= must be a number, got 'fast'"
    assert message(validate.number, "x", None) == "x= must be a number, got None"


def test_finite():
    assert validate.finite("b", -1e300) == -1e300
    assert message(validate.finite, "b", float("nan")) == "b= must be finite, got nan"
    assert message(validate.finite, "elev", "-inf", unit="degrees") == "elev= must be a finite number of degrees, got -inf"


def test_positive_float():
    assert validate.positive_float("lr", 1e-300) == 1e-300
    assert validate.positive_float("fps", 100, upper=100) == 100.0
    for bad in (0, -1, float("inf"), float("nan")):
        assert message(validate.positive_float, "lr", bad) == f"lr= must be a positive finite number, got {float(bad):g}"
    assert message(validate.positive_float, "fps", 100.5, upper=100) == "fps= must be above 0 and at most 100, got 100.5"


def test_in_range_shows_the_value_as_given():
    assert validate.in_range("t", 60, 0, 60) == 60.0 and validate.in_range("t", 0, 0, 60) == 0.0
    assert message(validate.in_range, "t", -1, 0, 60, unit="seconds") == "t= must be 0 to 60 seconds, got -1"
    assert message(validate.in_range, "t", float("nan"), 0, 1) == "t= must be 0 to 1, got nan"


def test_at_least():
    assert validate.at_least("noise", 0, 0) == 0.0
    assert message(validate.at_least, "noise", -0.5, 0) == "noise= must be >= 0, got -0.5"
    assert message(validate.at_least, "noise", float("nan"), 0) == "noise= must be >= 0, got nan"


def test_whole_and_count():
    assert validate.whole("seed", 0) == 0
    value = validate.count("n", np.int64(3))
    assert value == 3 and type(value) is int
    for bad in (True, 2.0, "3", None):
        assert message(validate.whole, "seed", bad) == f"seed= must be a whole number >= 0, got {bad!r}"
    assert message(validate.whole, "seed", -1) == "seed= must be a whole number >= 0, got -1"
    assert message(validate.count, "n", 0) == "n= must be a whole number >= 1, got 0"


def test_size():
    assert validate.size("size", "160X120", (100, 200)) == (160, 120)
    assert validate.size("size", (100, 200), (100, 200)) == (100, 200)
    assert message(validate.size, "size", "160x", (100, 200)) == "size= must look like 960x540 (pixels), got '160x'"
    assert message(validate.size, "size", (1, 2, 3), (100, 200)) == "size= must be a width and a height, got (1, 2, 3)"
    assert message(validate.size, "size", (100, 201), (100, 200)) == (
        "size=100x201 is out of range: each side must be 100 to 200 pixels"
    )


# ---------------------------------------------------------------------------- names


def test_choice():
    assert validate.choice("engine", "stream", ("stream", "celluloid")) == "stream"
    assert validate.choice("thing", "b", {"a": 1, "b": 2}) == 2
    with pytest.raises(ConfigError, match=r"^unknown engine 'gl'; choose one of: stream, celluloid$"):
        validate.choice("engine", "gl", ("stream", "celluloid"))
    with pytest.raises(ConfigError, match=r"^unknown style \['dark'\]; choose one of: a, b$"):
        validate.choice("style", ["dark"], {"a": 1, "b": 2})


def test_shown():
    assert validate.shown("ab") == "'ab'"
    assert validate.shown("x" * 41) == repr("x" * 40 + "...")
    assert validate.shown("x" * 40) == repr("x" * 40)
