"""Objectives: the built-in functions' gradients and minima, and runs on them against plain numpy loops."""
import math

import numpy as np
import pytest

import gdanim
from gdanim.errors import ConfigError
from gdanim.objectives import make_objective
from gdanim.objectives.functions import FUNCTIONS


def rosenbrock_grad(x, y):
    return np.array([-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)])


def readme_loop(optimizer, lr, theta, steps):
    """The README's update formulas, written out by hand, on Rosenbrock."""
    params = [theta.copy()]
    v = np.zeros(2)
    s = np.zeros(2)
    m = np.zeros(2)
    for t in range(1, steps + 1):
        g = rosenbrock_grad(*theta)
        if optimizer == "gd":
            theta = theta - lr * g
        elif optimizer == "momentum":
            v = 0.9 * v + g
            theta = theta - lr * v
        elif optimizer == "rmsprop":
            s = 0.9 * s + (1 - 0.9) * g * g
            theta = theta - lr * (g / (np.sqrt(s) + 1e-8))
        else:
            m = 0.9 * m + (1 - 0.9) * g
            s = 0.999 * s + (1 - 0.999) * g * g
            theta = theta - lr * ((m / (1 - 0.9**t)) / (np.sqrt(s / (1 - 0.999**t)) + 1e-8))
        params.append(theta.copy())
    return np.array(params)


@pytest.mark.parametrize("optimizer, lr", [("gd", 0.001), ("momentum", 0.001), ("rmsprop", 0.01), ("adam", 0.05)])
def test_rosenbrock_runs_equal_the_readme_formulas(optimizer, lr):
    h = gdanim.train(objective="rosenbrock", start="-1.2,1", optimizer=optimizer, lr=lr, steps=500)
    expected = readme_loop(optimizer, lr, np.array([-1.2, 1.0]), 500)
    assert h.steps == 500 and h.diverged_at is None
    np.testing.assert_allclose(h.params, expected, rtol=1e-12, atol=0)
    x, y = expected.T
    np.testing.assert_allclose(h.J, (1 - x) ** 2 + 100 * (y - x * x) ** 2, rtol=1e-12, atol=0)
    np.testing.assert_allclose(h.grads, [rosenbrock_grad(*p) for p in expected[:-1]], rtol=1e-12, atol=0)
    assert (h.lr == lr).all() and h.data is None and h.optimum.tolist() == [1.0, 1.0]


@pytest.mark.parametrize("kappa, angle", [(10, 0), (10, 30), (100, -75), (3, 45)])
def test_bowl_contracts_by_the_textbook_rate(kappa, angle):
    lr = 2 / (1 + kappa)
    h = gdanim.train(objective=f"bowl:kappa={kappa},angle={angle}", start="-1.8,1.2", lr=lr, steps=40)
    distance = np.linalg.norm(h.params, axis=1)
    np.testing.assert_allclose(distance[1:] / distance[:-1], (kappa - 1) / (kappa + 1), rtol=1e-12, atol=1e-15)


def test_bowl_hessian_has_the_condition_number():
    bowl = make_objective("bowl:kappa=25,angle=40")
    H = np.array([bowl.gradient(e) for e in np.eye(2)])  # the gradient is linear: columns of the Hessian
    np.testing.assert_allclose(np.linalg.eigvalsh(H), [1, 25], rtol=1e-13)
    theta = np.array([0.3, -1.1])
    assert bowl.value(theta) == pytest.approx(0.5 * theta @ H @ theta, rel=1e-14)


def hand_gradients(name, x, y):
    """The derivatives worked by hand, independently of functions.py's formulas."""
    if name == "rosenbrock":
        return rosenbrock_grad(x, y)
    if name == "beale":
        terms = [(1.5, 1), (2.25, 2), (2.625, 3)]
        gx = sum(2 * (c - x + x * y**i) * (-1 + y**i) for c, i in terms)
        gy = sum(2 * (c - x + x * y**i) * (i * x * y ** (i - 1)) for c, i in terms)
        return np.array([gx, gy])
    if name == "himmelblau":
        return np.array([4 * x**3 + 4 * x * y - 42 * x + 2 * y**2 - 14, 2 * x**2 + 4 * x * y + 4 * y**3 - 26 * y - 22])
    if name == "booth":
        return np.array([10 * x + 8 * y - 34, 8 * x + 10 * y - 38])
    if name == "rastrigin":
        return np.array([2 * x + 20 * math.pi * math.sin(2 * math.pi * x), 2 * y + 20 * math.pi * math.sin(2 * math.pi * y)])
    return np.array([2 * x, -2 * y])  # saddle


@pytest.mark.parametrize("name", list(FUNCTIONS))
def test_function_gradients_and_minima(name):
    f = make_objective(name)
    rng = np.random.default_rng(5)
    for x, y in rng.uniform(-3, 3, size=(20, 2)):
        np.testing.assert_allclose(f.gradient([x, y]), hand_gradients(name, x, y), rtol=1e-12, atol=1e-12)
    for minimum in f.minima:
        assert np.abs(f.gradient(minimum)).max() < 1e-12
        assert f.value(minimum) == pytest.approx(0.0, abs=1e-24)
    # vectorised over grids: the same numbers as point by point
    grid = rng.uniform(-2, 2, size=(3, 4, 2))
    np.testing.assert_array_equal(f.value(grid), [[f.value(p) for p in row] for row in grid])
    lo, hi = zip(*f.window)
    assert all(l < h for l, h in zip(lo, hi)) and f.names == ("x", "y")


def test_himmelblau_has_four_minima_and_saddle_none():
    assert len(make_objective("himmelblau").minima) == 4
    saddle = make_objective("saddle")
    assert saddle.optimum is None and saddle.minima.shape == (0, 2) and saddle.optimum_value is None


def test_saddle_run_stops_cleanly_at_its_bound():
    h = gdanim.train(objective="saddle", lr=0.1, steps=500)
    # y grows by 1.2 a step from 0.01: the first record beyond |y| = 2 is the last one kept
    first_out = math.ceil(math.log(2 / 0.01) / math.log(1.2))
    assert h.stopped_at == h.steps == first_out and h.stop_reason == "bound" and h.diverged_at is None
    assert abs(h.params[-1, 1]) > 2 >= abs(h.params[-2, 1])
    np.testing.assert_allclose(h.params[:, 1], 0.01 * 1.2 ** np.arange(first_out + 1), rtol=1e-13)


def test_stop_at_J_and_gradient_norm():
    h = gdanim.train(objective="booth", start="-8,8", lr=0.05, steps=1000, stop_at=1e-6)
    assert h.stop_reason == "stop_at" and h.J[-1] <= 1e-6 < h.J[-2]
    g = gdanim.train(objective="booth", start="-8,8", lr=0.05, steps=1000, stop_at="grad:1e-3")
    norms = np.linalg.norm([make_objective("booth").gradient(p) for p in g.params], axis=1)
    assert norms[-1] <= 1e-3 < norms[-2] and len(g.grads) == g.steps
    full = gdanim.train(objective="booth", start="-8,8", lr=0.05, steps=g.steps)
    np.testing.assert_array_equal(full.params, g.params)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(objective="rosenbrok"), "unknown objective 'rosenbrok'"),
        (dict(objective="bowl:kappa=0.5"), "kappa"),
        (dict(objective="bowl:size=3"), "no option 'size'"),
        (dict(objective="rosenbrock:a=2"), "takes no options"),
        (dict(objective="rosenbrock", start="1,2,3"), r"^start= needs 2 values \(x, y\), got 3$"),
        (dict(objective="rosenbrock", start="1,2", init="zeros"), "not both"),
        (dict(data="six-points", objective="rosenbrock"), "conflict"),
        (dict(objective="rosenbrock", loss="mse"), "loss applies"),
        (dict(objective="rosenbrock", batch_size=2), r"^batch_size= applies to objectives with data"),
        (dict(objective="rosenbrock", stop_at="loss:3"), "stop_at"),
        (dict(objective="rosenbrock", stop_at=-1), "stop_at"),
    ],
)
def test_bad_objective_options(kwargs, message):
    with pytest.raises(ConfigError, match=message) as info:
        gdanim.train(**kwargs, steps=3)
    assert "\n" not in str(info.value)
