"""The trainer's numbers against hand calculations and closed forms."""
import numpy as np
import pytest

import gdanim
from gdanim import optim
from gdanim.data import from_arrays, load, synthetic
from gdanim.errors import ConfigError, DivergenceError
from gdanim.history import History
from gdanim.losses import LOSSES
from gdanim.models import design
from gdanim.surface import cost_grid


def test_one_point_hand_worked_step():
    h = gdanim.train("one-point", loss="half-mse", lr=0.1, init="w=0.8,b=0.2", steps=1)
    assert h.names == ("w", "b")
    np.testing.assert_allclose(h.grads[0], [0.9, 0.6], rtol=0, atol=1e-12)
    np.testing.assert_allclose(h.params[1], [0.71, 0.14], rtol=0, atol=1e-12)
    assert h.J[0] == pytest.approx(0.18, abs=1e-12)
    assert h.J[1] == pytest.approx(0.0820125, abs=1e-12)


def test_backprop_demo_first_sgd_step():
    h = gdanim.train(
        "backprop-demo", optimizer="sgd", batch_size=1, order="sequential", lr=0.05,
        init={"w1": -0.017, "w2": -0.048, "b": 0.0}, steps=1,
    )
    first_row = h.data.X[:1]
    assert h.predict(0, first_row)[0] == pytest.approx(-0.116, abs=1e-12)
    assert h.batch_J[0] == pytest.approx(4.477456, abs=1e-12)
    after = h.at(1).params
    assert after["b"] == pytest.approx(0.2116, abs=1e-12)
    assert after["w1"] == pytest.approx(0.8294, abs=1e-12)
    assert after["w2"] == pytest.approx(0.1636, abs=1e-12)


@pytest.mark.parametrize("name, lr, epochs", [("six-points", 0.02, 3000), ("six-points-2d", 0.01, 20000)])
def test_gd_converges_to_lstsq(name, lr, epochs):
    h = gdanim.train(name, lr=lr, epochs=epochs)
    d = load(name)
    optimum = np.linalg.lstsq(design(d.X), d.y, rcond=None)[0]
    assert h.diverged_at is None
    np.testing.assert_allclose(h.params[-1], optimum, rtol=0, atol=1e-9)
    direct_J = np.mean((design(d.X) @ optimum - d.y) ** 2)
    assert h.optimum_J == pytest.approx(direct_J, rel=1e-12)
    assert h.J[-1] == pytest.approx(direct_J, rel=1e-12)


def direct_gd(dataset, loss, transform, theta, epochs):
    """The plain per-epoch loop: every epoch touches all n rows."""
    Z, y = design(dataset.X), dataset.y
    state = transform.init(theta)
    params, costs = [theta], [loss.value(Z @ theta - y)]
    for _ in range(epochs):
        r = Z @ theta - y
        g = Z.T @ loss.grad_prediction(r)
        u, state = transform.update(g, state)
        theta = theta + u
        params.append(theta)
        costs.append(loss.value(Z @ theta - y))
    return np.array(params), np.array(costs)


@pytest.mark.parametrize("loss", list(LOSSES))
@pytest.mark.parametrize("optimizer", ["gd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"])
def test_fast_path_equals_direct_path(loss, optimizer):
    d = synthetic(n=500, w=[2.0, -1.5], b=0.7, noise=0.3, seed=4)
    lr = 0.0002 if loss == "sse" else 0.05
    # rmsprop divides by the gradient's own scale: once it reaches the optimum it steps
    # by ~lr on rounding noise, so two correct paths part there. Compare the approach.
    epochs = 60 if optimizer == "rmsprop" else 400
    h = gdanim.train(d, loss=loss, optimizer=optimizer, lr=lr, epochs=epochs, init="w1=1,w2=1,b=-2")
    params, costs = direct_gd(d, LOSSES[loss], optim.make(optimizer, lr), np.array([1.0, 1.0, -2.0]), epochs)
    np.testing.assert_allclose(h.params, params, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(h.J, costs, rtol=1e-9)


def test_full_batch_sgd_matches_gd():
    d = synthetic(n=50, w=1.5, b=-1, noise=0.2, seed=1)
    gd = gdanim.train(d, lr=0.1, epochs=300)
    sgd = gdanim.train(d, optimizer="sgd", batch_size=50, lr=0.1, epochs=300)
    np.testing.assert_allclose(sgd.params, gd.params, rtol=1e-9, atol=1e-12)


def test_optimizer_formulas_by_hand():
    g1, g2 = np.array([1.0, -2.0]), np.array([0.5, 4.0])
    t = optim.momentum(0.1, beta=0.9)
    s = t.init(g1)
    u1, s = t.update(g1, s)
    u2, s = t.update(g2, s)
    np.testing.assert_allclose(u1, -0.1 * g1, atol=1e-15)
    np.testing.assert_allclose(u2, -0.1 * (0.9 * g1 + g2), atol=1e-15)
    t = optim.nesterov(0.1, beta=0.9)
    s = t.init(g1)
    u1, s = t.update(g1, s)
    np.testing.assert_allclose(u1, -0.1 * (g1 + 0.9 * g1), atol=1e-15)
    t = optim.adam(0.01)
    s = t.init(g1)
    u1, s = t.update(g1, s)
    np.testing.assert_allclose(u1, -0.01 * g1 / (np.abs(g1) + 1e-8), atol=1e-15)
    u2, s = t.update(g2, s)
    m = (0.9 * 0.1 * g1 + 0.1 * g2) / (1 - 0.9**2)
    v = (0.999 * 0.001 * g1**2 + 0.001 * g2**2) / (1 - 0.999**2)
    np.testing.assert_allclose(u2, -0.01 * m / (np.sqrt(v) + 1e-8), rtol=1e-13)
    t = optim.adagrad(0.5)
    s = t.init(g1)
    t.update(g1, s)
    u2, s = t.update(g2, t.update(g1, t.init(g1))[1])
    np.testing.assert_allclose(u2, -0.5 * g2 / (np.sqrt(g1**2 + g2**2) + 1e-10), rtol=1e-14)
    t = optim.rmsprop(0.5, rho=0.9)
    u1, s = t.update(g1, t.init(g1))
    np.testing.assert_allclose(u1, -0.5 * g1 / (np.sqrt(0.1 * g1**2) + 1e-8), rtol=1e-14)


def test_epochs_and_batches():
    h = gdanim.train("six-points", optimizer="sgd", batch_size=4, lr=0.001, epochs=3)
    assert h.steps == 6 and h.epochs == 3
    assert h.epoch.tolist() == [0, 1, 1, 2, 2, 3, 3]
    # The second batch of each epoch is the last two rows (sequential order).
    d = load("six-points")
    Z = design(d.X)
    r = Z[4:] @ h.params[1] - d.y[4:]
    np.testing.assert_allclose(h.grads[1], Z[4:].T @ (2 * r / 2), rtol=1e-14)
    np.testing.assert_allclose(h.batch_J[1], np.mean(r**2), rtol=1e-14)


@pytest.mark.parametrize("order", ["shuffle", "sample"])
def test_random_orders_are_seeded(order):
    runs = [gdanim.train("line-100", optimizer="sgd", batch_size=8, order=order, lr=0.05, epochs=3, seed=s) for s in (7, 7, 8)]
    np.testing.assert_array_equal(runs[0].params, runs[1].params)
    assert not np.array_equal(runs[0].params, runs[2].params)


def test_shuffle_visits_every_row_once_per_epoch():
    # With lr tiny and batch 1 under sse, each grad is 2 r_i z_i; their sum over an epoch
    # from (nearly) fixed parameters is the full gradient.
    d = synthetic(n=10, w=1.0, b=0.0, noise=0.5, seed=3)
    h = gdanim.train(d, loss="sse", optimizer="sgd", order="shuffle", lr=1e-300, epochs=1, init="w=0.3,b=0.1")
    np.testing.assert_allclose(h.grads.sum(axis=0), h.cost_grad(h.params[0]), rtol=1e-12)


def test_init_schemes_seeded_and_bias_zero():
    for scheme in ("uniform", "normal", "truncated-normal"):
        a = gdanim.train("six-points-2d", init=scheme, seed=3, steps=1).params[0]
        b = gdanim.train("six-points-2d", init=scheme, seed=3, steps=1).params[0]
        np.testing.assert_array_equal(a, b)
        assert a[-1] == 0 and np.all(a[:-1] != 0)
    assert np.all(np.abs(gdanim.train("six-points-2d", init="truncated-normal", seed=9, steps=1).params[0]) <= 2)
    assert gdanim.train("six-points", steps=1).params[0].tolist() == [0, 0]


def test_divergence_keeps_finite_prefix():
    h = gdanim.train("six-points", lr=0.1, init="w=3,b=-1", epochs=500)
    assert h.diverged_at is not None
    assert h.steps == h.diverged_at - 1
    assert np.isfinite(h.params).all() and np.isfinite(h.J).all()
    assert h.J.max() <= 1e12 * max(h.J[0], 1)
    # The next step, taken by hand, is the one that crosses the limit.
    nxt = h.params[-1] - 0.1 * h.cost_grad(h.params[-1])
    assert h.cost(nxt) > 1e12 * max(h.J[0], 1)
    with pytest.raises(DivergenceError, match=f"step {h.diverged_at}"):
        gdanim.train("six-points", lr=0.1, init="w=3,b=-1", epochs=500, strict=True)


def test_history_round_trip(tmp_path):
    h = gdanim.train("backprop-demo", optimizer="adam", batch_size=2, order="shuffle", lr=0.1, epochs=4, seed=2)
    h.save(tmp_path / "run.npz")
    back = History.load(tmp_path / "run.npz")
    for name in ("params", "J", "grads", "batch_J", "epoch"):
        np.testing.assert_array_equal(getattr(back, name), getattr(h, name))
    np.testing.assert_array_equal(back.data.X, h.data.X)
    assert back.config == h.config and back.names == h.names and back.diverged_at == h.diverged_at
    assert back.summary() == h.summary()


def test_history_memory_does_not_grow_with_rows():
    h = gdanim.train(synthetic(n=20000, w=1, b=0), optimizer="sgd", batch_size=100, steps=50, lr=0.1)
    for name in ("params", "J", "grads", "batch_J", "epoch"):
        assert 20000 not in getattr(h, name).shape


def test_at_and_summary():
    h = gdanim.train("six-points", lr=0.001, init="w=3,b=-1", epochs=10)
    r = h.at(10)
    assert r.step == 10 and r.epoch == 10 and r.grad is None
    assert r.params == {"w": h.params[10, 0], "b": h.params[10, 1]}
    assert h.at(0).grad == {"w": h.grads[0, 0], "b": h.grads[0, 1]}
    s = h.summary()
    assert s["steps"] == 10 and s["epochs"] == 10 and s["n"] == 6 and s["params"] == ["w", "b"]
    assert s["initial"] == {"w": 3.0, "b": -1.0, "J": pytest.approx(np.mean((3 * h.data.X[:, 0] - 1 - h.data.y) ** 2), rel=1e-14)}
    with pytest.raises(IndexError):
        h.at(11)


def test_cost_grid_matches_direct():
    h = gdanim.train("six-points-2d", lr=0.01, epochs=50)
    grid = cost_grid(h, axes="w1,b", resolution=7)
    Z, y = design(h.data.X), h.data.y
    for r in range(7):
        for c in range(7):
            theta = h.optimum.copy()
            theta[0], theta[2] = grid.a[r, c], grid.b[r, c]
            assert grid.J[r, c] == pytest.approx(np.mean((Z @ theta - y) ** 2), rel=1e-10)
    assert grid.held == {"w2": pytest.approx(h.optimum[1])}
    assert grid.a.min() < min(h.params[:, 0].min(), h.optimum[0])


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"lr": 0}, "learning rate"),
        ({"lr": float("nan")}, "learning rate"),
        ({"lr": -1}, "learning rate"),
        ({"epochs": 0}, "epochs"),
        ({"steps": -3}, "steps"),
        ({"epochs": 2, "steps": 2}, "not both"),
        ({"optimizer": "sgd", "batch_size": 0}, "batch size"),
        ({"optimizer": "sgd", "batch_size": 7}, "larger than the data"),
        ({"optimizer": "gd", "batch_size": 2}, "full-batch"),
        ({"optimizer": "lbfgs"}, "adam"),
        ({"loss": "huber"}, "half-mse"),
        ({"order": "random"}, "shuffle"),
        ({"init": "w=1"}, "missing b"),
        ({"init": "w=1,b=2,c=3"}, "unknown parameter 'c'"),
        ({"init": "w=x,b=1"}, "name=value"),
        ({"init": "he"}, "truncated-normal"),
        ({"optimizer": "adam", "beta": 0.9}, "b1"),
    ],
)
def test_bad_training_options(kwargs, message):
    with pytest.raises(ConfigError, match=message):
        gdanim.train("six-points", **kwargs)
