"""The sigmoid unit and the two-layer network: the worked example by hand, gradients against
central differences, runs against plain numpy loops of the issue's formulas, initial weights."""
import json
import math

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import gdanim
from gdanim.data import from_arrays
from gdanim.errors import ConfigError, DataError
from gdanim.objectives import make_objective
from gdanim.objectives.base import central_differences


def sigmoid(h):
    return 1.0 / (1.0 + np.exp(-h))


# ---------------------------------------------------------------------------- the worked example

X1, X2, W_IN, W_OUT, TARGET, ETA = 0.1, 0.3, (0.4, -0.2), 0.1, 1.0, 0.5


def worked_example_by_hand():
    """Every quantity of the hand-worked 2-1-1 example, one line each, plain floats."""
    s = lambda z: 1.0 / (1.0 + math.exp(-z))  # noqa: E731
    h = X1 * W_IN[0] + X2 * W_IN[1]
    a = s(h)
    h_out = W_OUT * a
    yhat = s(h_out)
    delta_o = (TARGET - yhat) * yhat * (1 - yhat)
    delta_h = W_OUT * delta_o * a * (1 - a)
    return dict(h=h, a=a, h_out=h_out, yhat=yhat, delta_o=delta_o, delta_h=delta_h, DeltaW=ETA * delta_o * a,
                Deltaw=(ETA * delta_h * X1, ETA * delta_h * X2))


def test_worked_example_every_intermediate_by_hand():
    hand = worked_example_by_hand()
    # the numbers the worked example prints, to its three figures
    assert (round(hand["h"], 3), round(hand["a"], 3), round(hand["yhat"], 3)) == (-0.02, 0.495, 0.512)
    assert (round(hand["delta_o"], 3), round(hand["DeltaW"], 4)) == (0.122, 0.0302)
    assert (round(hand["Deltaw"][0], 5), round(hand["Deltaw"][1], 5)) == (0.00015, 0.00046)

    net = make_objective("mlp:hidden=1,bias=false", data="backprop-2-1-1", loss="half-sse")
    assert net.names == ("W1[0,0]", "W1[1,0]", "W2[0,0]")
    theta = np.array([*W_IN, W_OUT])
    fwd, back = net.passes(theta, net.data.X, net.data.y)
    got = dict(h=fwd.h[0, 0], a=fwd.a[0, 0], h_out=fwd.h_out[0], yhat=fwd.yhat[0], delta_o=-back.grad_out[0],
               delta_h=-back.grad_hidden[0, 0])
    for name, value in got.items():
        assert value == pytest.approx(hand[name], rel=1e-14, abs=1e-17), name
    signals = net.signals(theta, net.data.X, net.data.y)
    assert signals.deltas[1][0, 0] == pytest.approx(hand["delta_h"], rel=1e-14)
    assert signals.deltas[2][0, 0] == pytest.approx(hand["delta_o"], rel=1e-14)

    run = gdanim.train(net.data, objective=net, lr=ETA, steps=1, init=theta.tolist())
    step = run.params[1] - run.params[0]
    np.testing.assert_allclose(step, [*hand["Deltaw"], hand["DeltaW"]], rtol=1e-12)
    assert run.J[0] == pytest.approx(0.5 * (TARGET - hand["yhat"]) ** 2, rel=1e-14)


# ---------------------------------------------------------------------------- gradients

MODELS = [
    ("sigmoid", ("half-sse", "half-mse", "mse", "sse", "log-loss")),
    ("sigmoid:bias=false", ("half-mse", "log-loss")),
    ("mlp:hidden=3", ("half-sse", "half-mse", "mse", "sse", "log-loss")),
    ("mlp:hidden=2,activation=tanh", ("mse", "log-loss")),
    ("mlp:hidden=4,activation=relu", ("half-mse", "log-loss")),
    ("mlp:hidden=3,output=linear", ("mse", "half-sse")),
    ("mlp:hidden=2,activation=tanh,output=linear,bias=false", ("sse",)),
    ("mlp:hidden=3,bias=false", ("log-loss",)),
]
CASES = [(model, loss) for model, model_losses in MODELS for loss in model_losses]


def small_data(seed: int, k: int = 2, m: int = 7):
    rng = np.random.default_rng(seed)
    return from_arrays(rng.normal(size=(m, k)), (rng.random(m) < 0.5).astype(float), name="random")


@settings(derandomize=True, max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=st.sampled_from(CASES), seed=st.integers(0, 2**32 - 1))
def test_gradients_equal_central_differences(case, seed):
    model, loss = case
    obj = make_objective(model, data=small_data(seed), loss=loss)
    rng = np.random.default_rng(seed + 1)
    theta = rng.normal(0, 1.0, len(obj.names))
    if "relu" in model:  # a kink within the differencing step is no derivative at all
        assume(np.abs(obj.signals(theta, obj.data.X, obj.data.y).net_inputs[1]).min() > 1e-3)
    grad = obj.gradient(theta)
    numeric = central_differences(lambda t: float(obj.value(t)), theta)
    scale = max(np.linalg.norm(grad), 1e-8)
    assert np.linalg.norm(grad - numeric) <= 1e-6 * scale, (grad, numeric)


@pytest.mark.parametrize("model, loss", CASES)
def test_value_over_many_weight_vectors_equals_one_at_a_time(model, loss):
    obj = make_objective(model, data=small_data(3), loss=loss)
    thetas = np.random.default_rng(4).normal(size=(3, 5, len(obj.names)))
    J = obj.value(thetas)
    assert J.shape == (3, 5)
    for index in np.ndindex(3, 5):
        J_one, grad = obj.batch_value_and_gradient(thetas[index], slice(None))
        assert J[index] == pytest.approx(J_one, rel=1e-13)
        np.testing.assert_allclose(grad, obj.gradient(thetas[index]), rtol=1e-13)


# ---------------------------------------------------------------------------- runs against numpy loops


def test_delta_rule_full_batch_equals_a_numpy_loop():
    """w <- w + eta Delta w / m with Delta w = sum delta x, delta = (y - yhat) f'(h): half-mse, gd."""
    data = gdanim.datasets.load("blobs:n=40,spread=1.5")
    run = gdanim.train(data, objective="sigmoid", loss="half-mse", lr=0.5, epochs=200)
    X, y, m = data.X, data.y, data.n
    w, b = np.zeros(2), 0.0
    params = [np.append(w, b)]
    for _ in range(200):
        yhat = sigmoid(X @ w + b)
        delta = (y - yhat) * yhat * (1 - yhat)
        w = w + 0.5 * (X.T @ delta) / m
        b = b + 0.5 * delta.sum() / m
        params.append(np.append(w, b))
    np.testing.assert_allclose(run.params, params, rtol=1e-12, atol=1e-15)
    assert run.names == ("w1", "w2", "b")


def test_delta_rule_one_record_at_a_time_equals_a_numpy_loop():
    """sgd, batch 1, half-sse: each record's own step Delta w = eta delta x."""
    data = gdanim.datasets.load("xor:n=8,noise=0.2,seed=3")
    run = gdanim.train(data, objective="sigmoid", loss="half-sse", optimizer="sgd", lr=0.3, epochs=5,
                       init="w1=0.2,w2=-0.4,b=0.1")
    w, b = np.array([0.2, -0.4]), 0.1
    params = [np.append(w, b)]
    for _ in range(5):
        for x, y in zip(data.X, data.y):
            yhat = sigmoid(x @ w + b)
            delta = (y - yhat) * yhat * (1 - yhat)
            w, b = w + 0.3 * delta * x, b + 0.3 * delta
            params.append(np.append(w, b))
    np.testing.assert_allclose(run.params, params, rtol=1e-12, atol=1e-15)


def test_log_loss_unit_equals_a_numpy_loop():
    data = gdanim.datasets.load("moons:n=60")
    run = gdanim.train(data, objective="sigmoid", loss="log-loss", lr=1.0, epochs=100)
    X, y = data.X, data.y
    w, b, J = np.zeros(2), 0.0, []
    for _ in range(101):
        yhat = sigmoid(X @ w + b)
        J.append(-np.mean(y * np.log(yhat) + (1 - y) * np.log(1 - yhat)))
        w, b = w + (X.T @ (y - yhat)) / 60, b + (y - yhat).mean()
    np.testing.assert_allclose(run.J, J, rtol=1e-12)


def test_network_equals_the_peer_scripts_backpropagation_loop():
    """../shared/bench/peer_boundary.py's loop (delta rule on half the mse, lr 10) is mse at lr 5."""
    data = gdanim.datasets.load("moons")
    rng = np.random.default_rng(0)
    W1, W2 = rng.normal(0, 1 / np.sqrt(2), (2, 8)), rng.normal(0, 1 / np.sqrt(8), (8, 1))
    b1, b2 = np.zeros(8), np.zeros(1)
    run = gdanim.train(data, objective="mlp:hidden=8", lr=5.0, epochs=300, init=dict(W1=W1, b1=b1, W2=W2, b2=b2))
    X, y, n, losses = data.X, data.y, data.n, []
    for epoch in range(301):
        a = sigmoid(X @ W1 + b1)
        out = sigmoid(a @ W2 + b2)[:, 0]
        losses.append(np.mean((y - out) ** 2))
        if epoch == 300:
            break
        d_out = (y - out) * out * (1 - out)
        d_hid = (d_out[:, None] * W2[:, 0]) * a * (1 - a)
        W2 = W2 + 10.0 * a.T @ d_out[:, None] / n
        b2 = b2 + 10.0 * d_out.mean()
        W1 = W1 + 10.0 * X.T @ d_hid / n
        b1 = b1 + 10.0 * d_hid.mean(axis=0)
    np.testing.assert_allclose(run.J, losses, rtol=1e-11)
    np.testing.assert_allclose(run.params[-1], np.concatenate([W1.ravel(), b1, W2.ravel(), b2]), rtol=1e-10)


@pytest.mark.parametrize("optimizer", ["momentum", "adam"])
def test_optimisers_and_batches_work_unchanged(optimizer):
    data = gdanim.datasets.load("circles:n=64")
    run = gdanim.train(data, objective="mlp:hidden=4,activation=tanh", loss="log-loss", optimizer=optimizer,
                       lr=0.05, batch_size=16, order="shuffle", epochs=30, schedule="exp:0.99", seed=2)
    assert run.steps == 120 and run.diverged_at is None
    obj = run.objective
    np.testing.assert_allclose(run.J, obj.value(run.params), rtol=1e-12)
    np.testing.assert_allclose(run.lr, 0.05 * 0.99 ** np.arange(120), rtol=1e-12)
    assert run.J[-1] < run.J[0]


# ---------------------------------------------------------------------------- initial weights


def test_scaled_normal_draws_each_layer_with_one_over_root_fan_in():
    data = gdanim.datasets.load("moons")
    run = gdanim.train(data, objective="mlp:hidden=5", init="scaled-normal", seed=7, steps=1)
    rng = np.random.default_rng(np.random.SeedSequence(7).spawn(2)[0])
    expected = np.concatenate([rng.normal(0, 1 / np.sqrt(2), 10), np.zeros(5), rng.normal(0, 1 / np.sqrt(5), 5),
                               np.zeros(1)])
    np.testing.assert_array_equal(run.params[0], expected)
    default = gdanim.train(data, objective="mlp:hidden=5", steps=1)  # no init: scaled-normal with seed 0
    rng = np.random.default_rng(0)
    W1, W2 = rng.normal(0, 1 / np.sqrt(2), 10), rng.normal(0, 1 / np.sqrt(5), 5)
    np.testing.assert_array_equal(default.params[0], np.concatenate([W1, np.zeros(5), W2, np.zeros(1)]))


def test_init_from_arrays_and_from_a_json_file(tmp_path):
    arrays = {"W1": [[1.0, 2.0], [3.0, 4.0]], "b1": [5.0, 6.0], "W2": [[7.0], [8.0]], "b2": [9.0]}
    path = tmp_path / "net.json"
    path.write_text(json.dumps(arrays))
    data = gdanim.datasets.load("xor")
    for init in (arrays, str(path), path):
        run = gdanim.train(data, objective="mlp:hidden=2", init=init, steps=1)
        assert run.params[0].tolist() == [1, 2, 3, 4, 5, 6, 7, 8, 9]
    assert run.names == ("W1[0,0]", "W1[0,1]", "W1[1,0]", "W1[1,1]", "b1[0]", "b1[1]", "W2[0,0]", "W2[1,0]", "b2[0]")


@pytest.mark.parametrize("arrays, message", [
    ({"W1": [[1, 2]], "b1": [0, 0], "W2": [[1], [2]], "b2": [0]}, r"W1 has shape \(1, 2\), expected \(2, 2\)$"),
    ({"W1": [[1, 2], [3, 4]], "W2": [[1], [2]], "b2": [0]}, r"missing array b1; this model's arrays are W1 \(2, 2\)"),
    ({"W1": [[1, 2], [3, 4]], "b1": [0, 0], "W2": [1, 2], "b2": [0]}, r"W2 has shape \(2,\), expected \(2, 1\)$"),
    ({"W1": [[1, 2], [3, 4]], "b1": [0, 0], "W2": [[1], [2]], "b2": [0], "W3": [1]}, r"unknown array 'W3'"),
])
def test_init_arrays_that_do_not_fit_name_the_array_and_both_shapes(arrays, message, tmp_path):
    path = tmp_path / "net.json"
    path.write_text(json.dumps(arrays))
    with pytest.raises(ConfigError, match=r"^init .*net\.json: " + message):
        gdanim.train("xor", objective="mlp:hidden=2", init=str(path), steps=1)


@pytest.mark.parametrize("model, data, loss, error, message", [
    ("sigmoid", "six-points", None, DataError, r"six-points: row 1 has y = 4, outside \[0, 1\] where a sigmoid output"),
    ("mlp:hidden=2,output=linear", "six-points", "log-loss", ConfigError, r"log-loss needs a sigmoid output unit"),
    ("sigmoid", "synthetic:n=5,noise=0", "log-loss", DataError, r"log-loss needs a target of 0 or 1, but row 1 has y"),
    ("mlp:hidden=0", "xor", None, ConfigError, r"mlp: hidden must be at least 1 unit, got 0$"),
    ("mlp:hidden=two", "xor", None, ConfigError, r"hidden must be a whole number of units, got 'two'$"),
    ("mlp:hidden=2,activation=softplus", "xor", None, ConfigError, r"activation must be one of sigmoid, tanh, relu"),
    ("mlp:hidden=2,depth=3", "xor", None, ConfigError, r"unknown option 'depth'; its options are hidden, activation"),
    ("perceptron", "xor", None, ConfigError, r"unknown model 'perceptron' in objective; choose one of: .*sigmoid, mlp$"),
    ("sigmoid", "xor", "hinge", ConfigError, r"unknown loss 'hinge' for this model; choose one of: half-sse"),
])
def test_bad_models_and_data_are_one_line(model, data, loss, error, message):
    with pytest.raises(error, match=message):
        gdanim.train(data, objective=model, loss=loss, steps=1)


def test_a_saved_network_history_loads_identically(tmp_path):
    run = gdanim.train("xor", objective="mlp:hidden=2,activation=tanh", loss="log-loss", lr=0.5, epochs=20)
    run.save(tmp_path / "h.npz")
    back = gdanim.History.load(tmp_path / "h.npz")
    assert back.names == run.names and back.objective.text == run.objective.text and back.config == run.config
    np.testing.assert_array_equal(back.params, run.params)
    np.testing.assert_array_equal(back.objective.value(run.params), run.J)
