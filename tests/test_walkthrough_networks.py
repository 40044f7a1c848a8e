"""The networks' models in the walkthrough: the hand-worked 2-1-1 backpropagation example
(issue 10) with every intermediate computed by hand, the sigmoid unit's equations, the
limit of what fits on a frame."""
import math

import numpy as np
import pytest

import gdanim
from gdanim.cli import main
from gdanim.objectives import make_objective
from gdanim.style import get as get_style
from gdanim.views.walkthrough import WalkthroughView
from gdanim.walkthrough import Walkthrough

X1, X2, W_IN, W_OUT, TARGET, ETA = 0.1, 0.3, (0.4, -0.2), 0.1, 1.0, 0.5


def by_hand():
    """The worked example, one line a quantity (half-sse, no biases, sigmoid on both units)."""
    s = lambda z: 1.0 / (1.0 + math.exp(-z))  # noqa: E731
    h = X1 * W_IN[0] + X2 * W_IN[1]
    a = s(h)
    yhat = s(W_OUT * a)
    delta_o = (TARGET - yhat) * yhat * (1 - yhat)
    delta_h = W_OUT * delta_o * a * (1 - a)
    return dict(a=a, yhat=yhat, L=0.5 * (TARGET - yhat) ** 2, dL_dyhat=yhat - TARGET, delta_o=delta_o, delta_h=delta_h,
                grad=(-delta_h * X1, -delta_h * X2, -delta_o * a), step=(ETA * delta_h * X1, ETA * delta_h * X2, ETA * delta_o * a))


@pytest.fixture(scope="module")
def worked():
    net = make_objective("mlp:hidden=1,bias=false", data="backprop-2-1-1", loss="half-sse")
    return gdanim.train(net.data, objective=net, optimizer="sgd", lr=ETA, steps=1, init=[*W_IN, W_OUT])


def test_the_worked_example_walks_through_with_every_intermediate(worked):
    hand = by_hand()
    walk = Walkthrough(worked, [0, 1], "0:1")
    values = walk.values(0)
    assert values.nodes["x1"] == X1 and values.nodes["x2"] == X2 and values.nodes["y"] == TARGET
    assert values.nodes["a1"] == pytest.approx(hand["a"], rel=1e-14)
    assert values.nodes["yhat"] == pytest.approx(hand["yhat"], rel=1e-14)
    assert values.nodes["L"] == worked.batch_J[0] == pytest.approx(hand["L"], rel=1e-13)
    assert values.deltas["yhat"] == pytest.approx(hand["delta_o"], rel=1e-13)
    assert values.deltas["a1"] == pytest.approx(hand["delta_h"], rel=1e-13)
    assert values.partials[("yhat", "L")] == pytest.approx(hand["dL_dyhat"], rel=1e-13)
    edges = [("x1", "a1"), ("x2", "a1"), ("a1", "yhat")]
    for edge, grad, recorded in zip(edges, hand["grad"], worked.grads[0]):
        assert values.partials[edge] == recorded == pytest.approx(grad, rel=1e-12)  # the History's gradient
    np.testing.assert_allclose(worked.params[1] - worked.params[0], hand["step"], rtol=1e-12)

    # on screen: δ on the units, ∂L/∂w on the edges, then Δw on them, rounded from those numbers
    view = WalkthroughView(worked, np.array([0, 1]), get_style("light"), detail="0:1")
    script = {frame.phase: content for frame, content in zip(view.plan.frames, view.script)}
    assert script["derivatives"].deltas == {"yhat": f"δ = {hand['delta_o']:.3f}", "a1": f"δ = {hand['delta_h']:.3f}"}
    assert script["derivatives"].labels[("a1", "yhat")] == f"∂L/∂W₁ = −{-hand['grad'][2]:.3f}"
    assert script["update"].labels[("a1", "yhat")] == f"ΔW₁ = {hand['step'][2]:.3f}"
    assert script["update"].labels[("x1", "a1")] == f"Δw₁₁ = {hand['step'][0]:.3e}".replace("-", "−")
    backward = [eq[0] for eq in script["derivatives"].strip[0][:3]]
    assert backward[1][0] == f"δᵒ = −∂L/∂ŷ · f′(hₒ) = −(−{TARGET - hand['yhat']:.3f}) × {hand['yhat'] * (1 - hand['yhat']):.3f} = {hand['delta_o']:.3f}"
    assert backward[2][0] == f"δ₁ = W₁ δᵒ f′(h₁) = {W_OUT:.3f} × {hand['delta_o']:.3f} × {hand['a'] * (1 - hand['a']):.3f} = {hand['delta_h']:.3f}"

    # the transcript: the same numbers unrounded
    lines = {frame.phase: line for frame, line in zip(walk.frames, walk.transcript())}
    fields = dict(item.split("=", 1) for item in lines["derivatives"].split()[3:])
    assert float(fields["delta[yhat]"]) == values.deltas["yhat"] and float(fields["delta[a1]"]) == values.deltas["a1"]
    assert [float(fields[f"dL/d{n}"]) for n in worked.names] == worked.grads[0].tolist()
    assert "da1/dx1" not in lines["derivatives"]  # the weights' edges are the gradient, listed once


def test_the_sigmoid_units_equations_carry_the_numbers():
    data = gdanim.data.load("backprop-2-1-1")
    unit = make_objective("sigmoid", data=data, loss="log-loss")
    run = gdanim.train(data, objective=unit, optimizer="sgd", lr=ETA, steps=1, init="w1=0.4,w2=-0.2,b=0.1")
    h = 0.4 * X1 - 0.2 * X2 + 0.1
    yhat = 1 / (1 + math.exp(-h))
    values = Walkthrough(run, [0, 1], "0:1").values(0)
    assert values.nodes["yhat"] == pytest.approx(yhat, rel=1e-15)
    assert values.deltas["yhat"] == pytest.approx(TARGET - yhat, rel=1e-13)  # log-loss: δ = y − ŷ
    np.testing.assert_allclose(run.grads[0], [-(TARGET - yhat) * X1, -(TARGET - yhat) * X2, -(TARGET - yhat)], rtol=1e-13)
    fixed = lambda v: f"{v:.3f}".replace("-", "−")  # noqa: E731
    forward = values.forward[0].text(lambda v, kind: fixed(v) if kind == "v" else f"{v:g}")
    assert forward == f"ŷ = σ(w₁x₁ + w₂x₂ + b) = σ(0.400 × 0.1 + (−0.200) × 0.3 + 0.100) = {fixed(yhat)}"
    assert values.loss_equations[0].definition == "−y ln ŷ − (1 − y) ln(1 − ŷ)"
    assert values.loss_equations[0].result == pytest.approx(-math.log(yhat), rel=1e-13)


def test_a_network_too_large_for_a_frame_is_one_line(capsys, tmp_path):
    assert main(["walkthrough", "--data", "xor", "--model", "mlp:hidden=3", "--steps", "2",
                 "--out", str(tmp_path / "w.gif")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "at most 5 parameters" in err[0] and "has 13" in err[0]
    assert not (tmp_path / "w.gif").exists()
