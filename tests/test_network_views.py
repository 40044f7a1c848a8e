"""The views of units and networks: baselines, the numbers they print, their slices and
images computed another way, and the models they refuse (one line, exit 2 at the CLI)."""
import json

import numpy as np
import pytest

import gdanim
from gdanim.animation import animate
from gdanim.cli import main
from gdanim.engines.stream import FrameRenderer
from gdanim.errors import ConfigError
from gdanim.views.field import blend_positions

TINY = dict(size=(200, 150), workers=1)
WORKED = dict(objective="mlp:hidden=1,bias=false", loss="half-sse", lr=0.5, steps=1,
              init="W1[0,0]=0.4,W1[1,0]=-0.2,W2[0,0]=0.1")


@pytest.fixture(scope="module")
def moons():
    return gdanim.train("moons:n=60", objective="mlp:hidden=4", lr=5.0, epochs=120)


@pytest.fixture(scope="module")
def xor():
    return gdanim.train("xor", objective="mlp:hidden=2", lr=5.0, epochs=200)


def rendered_view(history, view, frame=0, frames="0:3", **options):
    """The view after drawing frame ``frame`` (its artists hold the frame's text)."""
    anim = animate(history, view, "all" if history.steps < 10 else frames, **TINY, **options)
    view_object = anim._new_view()
    FrameRenderer(view_object, 200, 150, 100).render(frame)
    return view_object


@pytest.mark.parametrize("view, options", [
    ("boundary", {}), ("network", {}), ("landscape", {"axes": "pca"}), ("landscape", {"axes": "W1[0,0],W2[1,0]"}),
    ("weights", {}),
])
def test_views_match_their_baselines(gdanim_check, moons, view, options):
    anim = animate(moons, view, "0:121:40", **TINY, **options)
    suffix = "-named" if "axes" in options and options["axes"] != "pca" else ""
    gdanim_check(anim, name=f"{view}{suffix}-moons")


def test_boundary_with_one_input_draws_the_fitted_curve(gdanim_check):
    data = gdanim.datasets.from_arrays([0.1, 0.4, 0.5, 0.9, 1.3, 1.6], [0, 0, 1, 0, 1, 1], name="one-input")
    run = gdanim.train(data, objective="sigmoid", loss="log-loss", lr=2.0, epochs=60)
    view = rendered_view(run, "boundary")
    assert hasattr(view.space, "curve") and not hasattr(view.space, "image")
    gdanim_check(animate(run, "boundary", "0:61:30", **TINY), name="boundary-one-input")


def test_network_view_prints_the_worked_example():
    run = gdanim.train("backprop-2-1-1", **WORKED)
    view = rendered_view(run, "network")
    nodes = [t.get_text() for t in view.node_text]
    edges = [t.get_text() for t in view.edge_text]
    details = [t.get_text() for t in view.details]
    assert nodes == ["0.100", "0.300", "0.495", "0.512"]
    assert edges == ["0.4\nΔ +0.000152", "-0.2\nΔ +0.000457", "0.1\nΔ +0.0302"]
    assert details == ["h = -0.02\nδ = 0.00305", "h = 0.0495\nδ = 0.122"]


def test_network_view_shows_a_chosen_record(xor):
    view = rendered_view(xor, "network", frame=1, record=2)
    a = xor.objective.signals(xor.params[1], xor.data.X[2:3], xor.data.y[2:3]).activations
    assert [t.get_text() for t in view.node_text] == [f"{v:.3f}" for v in np.concatenate([r[0] for r in a])]
    with pytest.raises(ConfigError, match=r"^record=4 is out of range: the data has 4 records \(0\.\.3\)$"):
        animate(xor, "network", record=4)


def test_boundary_accuracy_is_the_share_on_the_right_side_of_one_half(moons):
    view = rendered_view(moons, "boundary", frames="0,60,120")
    for k in (0, 60, 120):
        yhat = moons.predict(k, moons.data.X)
        assert view.accuracy.at(k) == ((yhat >= 0.5) == (moons.data.y == 1)).mean()
    assert view.status.get_text().split()[-1] == f"{100 * view.accuracy.at(0):.1f}%"


def test_field_image_is_bilinear_interpolation_of_the_grid():
    from matplotlib import colormaps
    from matplotlib.figure import Figure

    from gdanim.views.field import FieldImage

    values = np.random.default_rng(0).random((5, 7))
    image = FieldImage(Figure().add_subplot(), colormaps["gray"], 0.0, 1.0)
    image.set_values(values)
    rgba = image.rgba(30, 20)
    (rows, dy), (columns, dx) = blend_positions(20, 5), blend_positions(30, 7)
    for r in (0, 7, 19):
        y = rows[r] + dy[r]
        along_x = [np.interp(y, np.arange(5), values[:, c]) for c in range(7)]
        expected = np.interp(columns + dx, np.arange(7), along_x)
        np.testing.assert_allclose(rgba[r, :, 0], np.round(expected * 255), atol=1)
    assert blend_positions(4, 3)[0].tolist() == [0, 0, 1, 1]


def test_landscape_slices(moons):
    pca = rendered_view(moons, "landscape", axes="pca").slice
    np.testing.assert_allclose(pca.directions @ pca.directions.T, np.eye(2), atol=1e-12)
    np.testing.assert_array_equal(pca.origin, moons.params[-1])
    assert (pca.coords(moons.params[0]) <= 0).all()  # the path runs toward the final weights at 0
    named = rendered_view(moons, "landscape", axes="W1[0,0],W2[1,0]")
    sl = named.slice
    i, j = moons.names.index("W1[0,0]"), moons.names.index("W2[1,0]")
    np.testing.assert_array_equal(sl.coords(moons.params[5]), moons.params[5, [i, j]])
    point = sl.points(np.array(0.25), np.array(-1.5))
    assert point[i] == 0.25 and point[j] == -1.5
    assert np.delete(point, [i, j]).tolist() == np.delete(moons.params[-1], [i, j]).tolist()
    title = " ".join(named.ax.get_title().split())  # wrapped to the panel's width
    assert "J over W1[0,0] and W2[1,0]; the other 15 held at their final values" in title


def test_same_bytes_for_one_and_two_workers(moons, tmp_path):
    paths = []
    for workers in (1, 2):
        anim = animate(moons, "boundary", "0:121:20", size=(200, 150), workers=workers)
        paths.append(anim.save(tmp_path / f"w{workers}.gif", manifest=False).path)
    assert paths[0].read_bytes() == paths[1].read_bytes()


@pytest.mark.parametrize("view, data, model, message", [
    ("boundary", "synthetic:n=20,w=1;2;3", "mlp:hidden=2,output=linear",
     r"the boundary view draws the input space, which needs 1 or 2 inputs; this data has 3 \(try the landscape or weights view\)$"),
    ("network", "six-points", None, r"the network view draws units and networks .* \(try the landscape or weights view\)$"),
    ("params", "moons:n=20", "mlp:hidden=4", r"this model has 17 \(try the weights or landscape view\)$"),
])
def test_views_that_do_not_fit_the_model(view, data, model, message):
    run = gdanim.train(data, objective=model, steps=2)
    with pytest.raises(ConfigError, match=message):
        animate(run, view)


# ---------------------------------------------------------------------------- the command line


def run_cli(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("argv, message", [
    (["--model", "perceptron"], r"unknown model 'perceptron' in --model; choose one of: .*sigmoid, mlp$"),
    (["--model", "mlp:hidden=3,activation=swish"], r"--model mlp: activation must be one of sigmoid, tanh, relu, got 'swish'$"),
    (["--model", "mlp:hidden=0"], r"--model mlp: hidden must be at least 1 unit, got 0$"),
    (["--model", "mlp:hidden=3", "--init", "{d}/missing.json"], r"init .*missing\.json: file not found$"),
    (["--model", "mlp:hidden=3", "--init", "{d}/net.json"], r"init .*net\.json: W1 has shape \(2, 2\), expected \(2, 3\)$"),
    (["--model", "mlp:hidden=3", "--axes", "W1[0,0],W9[0,0]", "VIEW=landscape"],
     r"unknown parameter 'W9\[0,0\]' in --axes; this model's parameters are W1\[0,0\], .* \(or pca\)$"),
    (["--model", "mlp:hidden=3", "--objective", "rosenbrock"], r"--model and --objective conflict"),
    (["--data", "synthetic:n=9,w=1;2;3", "--model", "mlp:hidden=2,output=linear", "VIEW=boundary"],
     r"needs 1 or 2 inputs; this data has 3 \(try the landscape or weights view\)$"),
    (["--data", "six-points", "--model", "sigmoid"], r"six-points: row 1 has y = 4, outside \[0, 1\]"),
    (["--model", "mlp:hidden=3", "--record", "2", "VIEW=boundary"], r"--record applies to the network view, not boundary$"),
])
def test_bad_network_input_at_the_command_line(argv, message, tmp_path, capsys):
    (tmp_path / "net.json").write_text(json.dumps({"W1": [[1, 2], [3, 4]], "b1": [0, 0], "W2": [[1], [2]], "b2": [0]}))
    view = next((a[5:] for a in argv if a.startswith("VIEW=")), "boundary")
    argv = [a.replace("{d}", str(tmp_path)) for a in argv if not a.startswith("VIEW=")]
    data = [] if "--data" in argv else ["--data", "xor"]
    code, out, err = run_cli(capsys, "render", view, *data, *argv, "--epochs", "2", "--out", str(tmp_path / "o.gif"),
                             "--quiet", "--size", "200x150")
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("gdanim: error: "), err
    assert __import__("re").search(message, err.strip()), err
    assert not (tmp_path / "o.gif").exists()


def test_train_prints_a_network_one_parameter_a_line(tmp_path, capsys):
    path = tmp_path / "net.json"
    path.write_text(json.dumps({"W1": [[0.5, -0.5], [0.25, 1]], "b1": [0, 0], "W2": [[1], [-1]], "b2": [0]}))
    code, out, _ = run_cli(capsys, "train", "--data", "xor", "--model", "mlp:hidden=2", "--init", str(path),
                           "--lr", "1", "--epochs", "3")
    lines = out.splitlines()
    assert code == 0 and lines[1].split() == ["initial", "final"]
    assert lines[2].split()[:2] == ["W1[0,0]", "0.5"] and lines[-1].split()[0] == "J"


@pytest.mark.parametrize("view", ["surface", "contour"])
def test_a_network_s_surface_names_what_it_draws_and_says_how_many_are_held(moons, view):
    # 17 weights: listing them all ran the title off the frame and shrank the status line past reading
    drawn = rendered_view(moons, view, axes="W1[0,0],W2[1,0]")
    ax = drawn.ax3d if view == "surface" else drawn.ax
    assert ax.get_title().endswith("  (the other 15 held at their final values)")
    assert drawn.status.get_text().split() == ["epoch", "0", "W1[0,0]", "=", f"{moons.params[0, 0]:.4g}", "W2[1,0]", "=",
                                               f"{moons.params[0, moons.names.index('W2[1,0]')]:.4g}", "J", "=",
                                               f"{moons.J[0]:.5g}"]
    if view == "surface":
        assert drawn.fit.ax.get_title() == "Fit"  # a network's predictions are no line


def test_a_few_held_parameters_are_named_with_their_values():
    run = gdanim.train("six-points-2d", lr=0.01, epochs=5)
    drawn = rendered_view(run, "surface", axes="w1,b")
    w2 = drawn.history.optimum[drawn.history.names.index("w2")]
    assert drawn.ax3d.get_title() == f"Cost surface  (w2 = {w2:.3g})"
    assert drawn.fit.ax.get_title() == "Linear fit"
    assert [f.split(" =")[0] for f in drawn._status_fields(0)] == ["epoch 0", "w1", "w2", "b", "J"]
