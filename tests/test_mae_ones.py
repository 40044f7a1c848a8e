"""The mae loss (subgradient sign(yhat - y), 0 at 0) and the ones init scheme."""
import numpy as np
import pytest

import gdanim
from gdanim import losses
from gdanim.cli import build_parser
from gdanim.data import synthetic
from gdanim.objectives import make_objective


def test_mae_value_and_subgradient():
    mae = losses.get("mae")
    r = np.array([-2.0, 0.0, 3.0])
    assert mae.value(r) == (1.0 / 3) * 5.0  # c(n) sum(|r|)
    assert mae.grad_prediction(r).tolist() == [-1 / 3, 0.0, 1 / 3]  # 0 where the residual is 0
    assert mae.row_derivative(r).tolist() == [-1.0, 0.0, 1.0]


def test_mae_objective_is_the_plain_numpy_formula():
    d = synthetic(n=50, w=[2.0, -1.0], b=0.5, noise=0.3, seed=4)
    obj = make_objective(data=d, loss="mae")
    Z = np.hstack([d.X, np.ones((d.n, 1))])
    thetas = np.random.default_rng(0).normal(size=(2, 3, 3))
    expected = np.abs(thetas @ Z.T - d.y).mean(axis=-1)
    assert obj.value(thetas) == pytest.approx(expected, rel=1e-14)
    theta = thetas[0, 0]
    assert obj.gradient(theta) == pytest.approx(Z.T @ np.sign(Z @ theta - d.y) / d.n, rel=1e-14)
    assert obj.full_batch_stepper() is None and not obj.quadratic


def test_mae_sgd_is_the_plain_loop():
    h = gdanim.train("backprop-demo", loss="mae", optimizer="sgd", lr=0.05, steps=14, init="ones")
    X, y = h.data.X, h.data.y
    theta = np.array([1.0, 1.0, 0.0])
    for step in range(14):
        x = np.append(X[step % 6], 1.0)
        theta = theta - 0.05 * np.sign(x @ theta - y[step % 6]) * x
        assert h.params[step + 1].tolist() == theta.tolist()


def test_mae_optimum_is_least_absolute_deviations():
    exact = make_objective(data="backprop-demo", loss="mae")  # y = x1 - 2 x2 exactly
    assert exact.optimum == pytest.approx([1.0, -2.0, 0.0], abs=1e-12)
    assert exact.optimum_value == pytest.approx(0.0, abs=1e-12)
    d = synthetic(n=40, w=[1.5, -0.5], b=2.0, noise=0.5, seed=2)
    obj = make_objective(data=d, loss="mae")
    best = obj.optimum_value
    nearby = obj.optimum + np.random.default_rng(1).normal(scale=1e-3, size=(500, 3))
    assert (obj.value(nearby) >= best - 1e-15).all()  # convex: no better point around it


def test_ones_sets_the_weights_to_one_and_the_bias_to_zero():
    assert gdanim.train("backprop-demo", init="ones", steps=1).params[0].tolist() == [1.0, 1.0, 0.0]
    assert gdanim.train("six-points", init="ones", steps=1).params[0].tolist() == [1.0, 0.0]
    help_text = build_parser()._subparsers._group_actions[0].choices["train"].format_help()
    assert "zeros | ones | uniform" in help_text
