"""A layered model plugs into the walkthrough through the graph protocol alone: its nodes,
edges (weights on edges), δ at nodes and equations come from the objective."""
import numpy as np
import pytest

import gdanim
from gdanim.animation import animate
from gdanim.objectives import Objective
from gdanim.objectives.graph import Edge, Equation, Graph, Node, StepValues
from gdanim.walkthrough.graph_panel import place
from gdanim.views.walkthrough import WalkthroughView
from gdanim.style import get as get_style


class TinyNetwork(Objective):
    """yhat = v tanh(w1 x1 + w2 x2), L = mean (yhat - y)^2: one hidden unit.

    Backward: delta_o = dL/dyhat_i = 2 (yhat_i - y_i) / B, dL/dv = sum delta_o h,
    delta_h = delta_o v (1 - h^2), dL/dw = X.T delta_h.
    """

    names = ("w1", "w2", "v")
    label = "tiny-network"

    def __init__(self, data):
        self.data, self.n = data, data.n

    @property
    def spec(self):
        return {"kind": "custom"}

    def value(self, theta):
        theta = np.asarray(theta, float)
        h = np.tanh(np.einsum("...j,nj->...n", theta[..., :2], self.data.X))
        return ((theta[..., 2:3] * h - self.data.y) ** 2).mean(axis=-1)

    def gradient(self, theta):
        return self.batch_value_and_gradient(theta, slice(None))[1]

    def _backward(self, theta, rows):
        X, y = self.data.X[rows], self.data.y[rows]
        h = np.tanh(X @ theta[:2])
        yhat = theta[2] * h
        delta_o = 2 * (yhat - y) / len(y)
        delta_h = delta_o * theta[2] * (1 - h * h)
        return X, y, h, yhat, delta_o, delta_h

    def batch_value_and_gradient(self, theta, rows):
        X, y, h, yhat, delta_o, delta_h = self._backward(theta, rows)
        return float(((yhat - y) ** 2).mean()), np.append(X.T @ delta_h, delta_o @ h)

    def graph(self):
        nodes = (Node("x1", "x₁", "input", 0), Node("x2", "x₂", "input", 0), Node("h", "h", "model", 1),
                 Node("yhat", "ŷ", "model", 2), Node("y", "y", "target", 2), Node("L", "L", "loss", 3))
        edges = (Edge("x1", "h", "∂h/∂w₁", "w1"), Edge("x2", "h", "∂h/∂w₂", "w2"), Edge("h", "yhat", "∂ŷ/∂v", "v"),
                 Edge("yhat", "L", "∂L/∂ŷ"), Edge("y", "L"))
        return Graph(nodes, edges)

    def step_values(self, theta, rows, recorded=None):
        rows = np.arange(self.n)[rows]
        X, y, h, yhat, delta_o, delta_h = self._backward(theta, rows)
        loss, gradient = recorded if recorded is not None else self.batch_value_and_gradient(theta, rows)
        nodes = {"x1": X[:, 0].mean(), "x2": X[:, 1].mean(), "h": h.mean(), "yhat": yhat.mean(), "y": y.mean(), "L": loss}
        nodes.update(zip(self.names, theta.tolist()))
        partials = {("x1", "h"): float(((1 - h * h) * X[:, 0]).mean()), ("x2", "h"): float(((1 - h * h) * X[:, 1]).mean()),
                    ("h", "yhat"): float(h.mean()), ("yhat", "L"): float(delta_o.sum())}
        return StepValues(
            rows=rows, nodes=nodes, partials=partials, loss=loss, gradient=np.asarray(gradient),
            forward=(Equation("h", "tanh(w₁x₁ + w₂x₂)", "", (), "", h.mean()), Equation("ŷ", "v h", "", (), "", yhat.mean())),
            loss_equations=(Equation("L", "(ŷ − y)²", "", (), "", loss),),
            backward=tuple(Equation(f"∂L/∂{n}", "", "", (), "", g) for n, g in zip(self.names, gradient)),
            deltas={"yhat": float(delta_o.sum()), "h": float(delta_h.sum())},
        )


@pytest.fixture(scope="module")
def network():
    return gdanim.train(objective=TinyNetwork(gdanim.data.load("backprop-demo")), optimizer="sgd", lr=0.01, steps=4,
                        init=[0.1, -0.1, 0.5])


def test_layers_are_placed_top_down_without_overlap(network):
    graph = network.objective.graph()
    pos, w, h = place(graph, (0.0, 0.0, 1.0, 1.0))
    ys = {name: y for name, (_, y) in pos.items()}
    assert ys["x1"] > ys["h"] > ys["yhat"] == ys["y"] > ys["L"]
    assert pos["h"][0] == pytest.approx((pos["x1"][0] + pos["x2"][0]) / 2)  # under the nodes that feed it
    assert pos["yhat"][0] == pytest.approx(pos["h"][0]) and pos["y"][0] > pos["yhat"][0] + w
    assert pos["L"][0] == pytest.approx((pos["yhat"][0] + pos["y"][0]) / 2)


def test_a_layered_model_walks_through(network, tmp_path):
    view = WalkthroughView(network, np.arange(5), get_style("light"), detail="0:1")
    derivatives = next(c for f, c in zip(view.plan.frames, view.script) if f.phase == "derivatives")
    assert set(derivatives.labels) == {("x1", "h"), ("x2", "h"), ("h", "yhat"), ("yhat", "L")}
    assert set(derivatives.deltas) == {"h", "yhat"} and derivatives.deltas["h"].startswith("δ = ")
    update = next(c for f, c in zip(view.plan.frames, view.script) if f.phase == "update")
    assert [row[0][-1].rsplit(" = ", 1)[1] for row in update.strip[0]] == [f"{v:.3f}".replace("-", "−")
                                                                          for v in network.params[1]]
    result = animate(network, "walkthrough", "all", detail="0:1", size=(480, 270), workers=1).save(tmp_path / "n.gif")
    assert result.frames == 9
