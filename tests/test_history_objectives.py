"""History on any objective: exact gradients near convergence, save/load, from_trace, and the views."""
import json

import numpy as np
import pytest

import gdanim
from gdanim.animation import animate
from gdanim.data import from_arrays
from gdanim.errors import ConfigError
from gdanim.history import History
from gdanim.objectives.linear import design

SMALL = dict(size=(160, 120), workers=1)


def bmi_like():
    """Like the diabetes data's BMI column: centred, unit sum of squares (|x| ~ 0.05), targets ~ 150 +- 80."""
    rng = np.random.default_rng(0)
    x = rng.standard_normal(442)
    x -= x.mean()
    x /= np.sqrt(x @ x)
    return from_arrays(x[:, None], np.round(152.0 + 950.0 * x + 60.0 * rng.standard_normal(442)), "bmi-like")


def direct_gradient(data, theta):
    """(2/n) Z.T (Z theta - y), every operation in extended precision."""
    Z = design(data.X).astype(np.longdouble)
    residual = Z @ theta.astype(np.longdouble) - data.y.astype(np.longdouble)
    return (2 * (Z.T @ residual) / data.n).astype(float)


def test_full_batch_grads_equal_the_direct_gradient_near_convergence():
    d = bmi_like()
    h = gdanim.train(d, optimizer="momentum", lr=0.5, steps=600)
    direct = np.array([direct_gradient(d, p) for p in h.params[:-1]])
    norm = np.linalg.norm(direct, axis=1)
    assert norm[-1] < 1e-7  # near convergence: the gradient is tiny
    assert (np.linalg.norm(h.grads - direct, axis=1) / norm).max() < 1e-9
    # the Hessian form alone, H (theta - theta*), is what lost digits here
    stats = h.objective.stats
    hessian_only = (h.params[:-1] - stats.optimum) @ stats.hessian / d.n
    assert (np.linalg.norm(hessian_only - direct, axis=1) / norm).max() > 1e-8


def same_history(a, b):
    for name in ("params", "J", "grads", "batch_J", "epoch", "lr"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name))
    assert (a.names, a.config, a.diverged_at, a.stopped_at, a.stop_reason) == (
        b.names, b.config, b.diverged_at, b.stopped_at, b.stop_reason)
    assert json.dumps(a.summary()) == json.dumps(b.summary())


@pytest.mark.parametrize(
    "run",
    [
        dict(data="six-points", lr=0.01, epochs=30, schedule="exp:0.99", stop_at=30.0),
        dict(objective="rosenbrock", optimizer="adam", lr=0.05, steps=40),
        dict(objective="bowl:kappa=20,angle=15", lr=0.05, steps=20, schedule="cosine:steps=20,min=0.01"),
        dict(objective="saddle", lr=0.1, steps=100),
        dict(objective="(1-a)**2 + 100*(b-a**2)**2", params="b,a", start="1,-1.2", lr=0.001, steps=25),
    ],
)
def test_save_load_round_trip(run, tmp_path):
    h = gdanim.train(**run)
    h.save(tmp_path / "run.npz")
    back = History.load(tmp_path / "run.npz")
    same_history(back, h)
    assert back.objective.spec == h.objective.spec
    np.testing.assert_array_equal(back.cost(h.params), h.cost(h.params))
    np.testing.assert_array_equal(back.cost_grad(h.params[-1]), h.cost_grad(h.params[-1]))


def test_python_objective_saves_and_loads_without_its_code(tmp_path):
    f = gdanim.objective(lambda t: (t[0] - 1) ** 2 + 4 * t[1] ** 2, names=("u", "v"), optimum=(1, 0))
    h = gdanim.train(objective=f, start="0,1", lr=0.1, steps=10)
    assert h.config["gradient"] == "numeric" and h.summary()["gradient"] == "numeric"
    # central differences on a quadratic are exact up to rounding
    np.testing.assert_allclose(h.grads, np.column_stack([2 * (h.params[:-1, 0] - 1), 8 * h.params[:-1, 1]]), atol=1e-8)
    h.save(tmp_path / "f.npz")
    back = History.load(tmp_path / "f.npz")
    assert back.objective is None and back.label == "f"
    np.testing.assert_array_equal(back.params, h.params)
    with pytest.raises(ConfigError, match="no objective"):
        animate(back, "contour", "0:3", **SMALL)


def test_python_objective_with_exact_gradient():
    f = gdanim.objective(lambda t: np.sum(t**2), grad=lambda t: 2 * t, names=["a", "b", "c"])
    h = gdanim.train(objective=f, start=[1, 2, 3], lr=0.25, steps=3)
    np.testing.assert_allclose(h.params[-1], np.array([1, 2, 3]) * 0.5**3, rtol=1e-15)
    assert h.config["gradient"] == "exact" and h.names == ("a", "b", "c")


def test_from_trace_with_and_without_objective(tmp_path):
    # a plain numpy loop: gd on booth, recorded by hand
    booth = gdanim.train(objective="booth", start="-8,8", lr=0.02, steps=30)
    trace = History.from_trace(booth.params, booth.J, names=("x", "y"))
    assert trace.objective is None and np.isnan(trace.grads).all() and trace.steps == 30
    with_objective = History.from_trace(booth.params, booth.J, objective=gdanim.objectives.make_objective("booth"))
    np.testing.assert_allclose(with_objective.grads, booth.grads, rtol=1e-15)
    for view in ("params", "contour", "surface"):
        assert animate(with_objective, view, "0:30:10", **SMALL).save(tmp_path / f"{view}.gif", manifest=False).frames == 3
    assert animate(trace, "params", "0:30:10", **SMALL).save(tmp_path / "trace.gif").frames == 3
    for view in ("contour", "residuals"):
        with pytest.raises(ConfigError, match="no objective"):
            animate(trace, view, "0:3", **SMALL)
    trace.save(tmp_path / "trace.npz")
    same_history(History.load(tmp_path / "trace.npz"), trace)


@pytest.mark.parametrize(
    "params, J, names, message",
    [
        (np.zeros((3, 2)), np.zeros(2), None, "one value per record"),
        (np.zeros((3, 2)), np.zeros(3), ("x",), "2 different names"),
        (np.zeros((3, 2)), np.zeros(3), ("x", "x"), "2 different names"),
        ([["a", "b"]], [1.0], None, "arrays of numbers"),
        (np.zeros((0, 2)), np.zeros(0), None, "shape"),
    ],
)
def test_from_trace_refuses_bad_arrays(params, J, names, message):
    with pytest.raises(ConfigError, match=message):
        History.from_trace(params, J, names=names)


def test_function_views_render_and_data_views_refuse(tmp_path):
    h = gdanim.train(objective="rosenbrock", optimizer="momentum", lr=0.001, steps=60)
    for view in ("params", "contour", "surface"):
        anim = animate(h, view, "0:60:20", **SMALL)
        assert anim.save(tmp_path / f"{view}.gif").frames == 3
        manifest = json.loads((tmp_path / f"{view}.gif.frames.json").read_text())
        assert manifest["config"]["data"] is None
        assert manifest["config"]["training"]["objective"] == {"kind": "function", "text": "rosenbrock"}
    view = animate(h, "contour", "0:60:20", **SMALL)._new_view()
    assert view._status_text(0).startswith("step 0")
    for name in ("residuals", "plane"):
        with pytest.raises(ConfigError, match="has none"):
            animate(h, name, "0:3", **SMALL)
    with pytest.raises(ConfigError, match="two parameters"):
        animate(gdanim.train(objective="x**2", start="1", steps=3), "contour", "0:3", **SMALL)


def test_contour_uses_the_function_window_unless_the_path_leaves_it():
    from gdanim.views.contour import descent_ranges

    h = gdanim.train(objective="rosenbrock", lr=0.001, steps=50)
    assert descent_ranges(h, (0, 1), h.steps) == ((-2.0, 2.0), (-1.0, 3.0))
    far = gdanim.train(objective="booth", start="-30,1", lr=0.01, steps=5)
    (x0, x1), y_range = descent_ranges(far, (0, 1), far.steps)
    assert x0 < -30 and x1 == 10.0 and y_range == (-10.0, 10.0)
