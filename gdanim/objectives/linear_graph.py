"""Linear regression as a computation graph, and one step of it with every number.

The graph (forward pass top to bottom)::

    b   x1   w1   x2   w2   ...        bias, placeholders x and weights
              \\   |   /
                  ŷ        y           ŷ = w1 x1 + w2 x2 + ... + b
                   \\      /
                      L                L = loss(ŷ, y), e.g. (ŷ - y)²

The backward pass labels the edges it differentiates: ∂L/∂ŷ (the loss's row
derivative, e.g. 2(ŷ - y)), ∂ŷ/∂wj = xj and ∂ŷ/∂b = 1; by the chain rule
∂L/∂wj = ∂L/∂ŷ · xj and ∂L/∂b = ∂L/∂ŷ. For a batch of several rows the nodes and
edges show batch means (sums for sse) and the gradient is the batch's, as the
trainer computed it: the mean of ∂L/∂ŷ · xj over the rows, not the product of means.
"""
from __future__ import annotations

import numpy as np

from .graph import Edge, Equation, Graph, Node, StepValues

_SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def symbols(k: int) -> tuple[list[str], list[str]]:
    """(feature symbols, weight symbols): ['x'], ['w'] for one feature, else x₁.., w₁.."""
    if k == 1:
        return ["x"], ["w"]
    subscripts = [str(j).translate(_SUBSCRIPTS) for j in range(1, k + 1)]
    return [f"x{s}" for s in subscripts], [f"w{s}" for s in subscripts]


def feature_names(k: int) -> list[str]:
    """The input nodes' names: ['x'] or ['x1', ..., 'xk']."""
    return ["x"] if k == 1 else [f"x{j}" for j in range(1, k + 1)]


def linear_graph(names: tuple[str, ...]) -> Graph:
    """The graph of yhat = w.x + b and its loss, for parameter names (w1, ..., wk, b)."""
    k = len(names) - 1
    x_symbols, w_symbols = symbols(k)
    inputs = feature_names(k)
    top = [Node(names[-1], "b", "param", 0)]  # first: labelled edges then never start side by side
    for j in range(k):
        top += [Node(inputs[j], x_symbols[j], "input", 0), Node(names[j], w_symbols[j], "param", 0)]
    nodes = (*top, Node("yhat", "ŷ", "model", 1), Node("y", "y", "target", 1), Node("L", "L", "loss", 2))
    edges = []
    for j in range(k):
        edges += [Edge(inputs[j], "yhat"), Edge(names[j], "yhat", f"∂ŷ/∂{w_symbols[j]}")]
    edges += [Edge(names[-1], "yhat", "∂ŷ/∂b"), Edge("yhat", "L", "∂L/∂ŷ"), Edge("y", "L")]
    return Graph(nodes, tuple(edges))


def linear_step(objective, theta: np.ndarray, rows, recorded=None) -> StepValues:
    """Every number of one step of ``objective`` (a LinearRegression) at theta on ``rows``;
    ``recorded`` = (batch loss, gradient) as a History holds them, else computed here."""
    rows = np.arange(objective.n)[rows]
    names, loss = objective.names, objective.loss
    k = len(names) - 1
    X, y = objective.data.X[rows], objective.data.y[rows]
    yhat = objective.predict(theta, X)
    batch_loss, gradient = objective.batch_value_and_gradient(theta, rows) if recorded is None else recorded
    combine = np.mean if loss.averaged else np.sum
    dL_dyhat = float(combine(loss.row_derivative(yhat - y)))
    x_mean = X.mean(axis=0)
    inputs = feature_names(k)
    x_symbols, w_symbols = symbols(k)
    nodes = {**dict(zip(inputs, x_mean.tolist())), **dict(zip(names, theta.tolist()))}
    nodes.update(yhat=float(yhat.mean()), y=float(y.mean()), L=float(batch_loss))
    partials = {("yhat", "L"): dL_dyhat, **{(names[j], "yhat"): float(x_mean[j]) for j in range(k)}, (names[-1], "yhat"): 1.0}

    terms = " + ".join(f"{w}{x}" for w, x in zip(w_symbols, x_symbols)) + " + b"
    numbers = " + ".join(["{} × {}"] * k + ["{}"])
    products = tuple(v for j in range(k) for v in (theta[j], x_mean[j])) + (theta[-1],)
    formulas, b_partial = loss.formulas, Equation("∂L/∂b", "∂L/∂ŷ · ∂ŷ/∂b", "{} × 1", (dL_dyhat,), "v", gradient[-1])
    if len(rows) == 1:
        loss_equation = Equation("L", formulas.loss, formulas.loss_numbers, (yhat[0], y[0]), "vd", batch_loss)
        backward = [Equation("∂L/∂ŷ", formulas.derivative, formulas.derivative_numbers, (yhat[0], y[0]), "vd", dL_dyhat)]
        backward += [
            Equation(f"∂L/∂{w_symbols[j]}", f"∂L/∂ŷ · ∂ŷ/∂{w_symbols[j]}", "{} × {}", (dL_dyhat, X[0, j]), "vd", gradient[j])
            for j in range(k)
        ]
        forward_equation = Equation("ŷ", terms, numbers, products, "vd" * k + "v", yhat[0])
    else:
        how = f"{'mean' if loss.averaged else 'sum'} over the {len(rows)} rows of"
        loss_equation = Equation("L", f"{how} {formulas.loss}", "", (), "", batch_loss)
        backward = [Equation("∂L/∂ŷ", f"{how} {formulas.derivative}", "", (), "", dL_dyhat)]
        backward += [
            Equation(f"∂L/∂{w_symbols[j]}", f"{how} ∂L/∂ŷ · {x_symbols[j]}", "", (), "", gradient[j]) for j in range(k)
        ]
        mean_terms = " + ".join(f"{w} · mean {x}" for w, x in zip(w_symbols, x_symbols)) + " + b"
        forward_equation = Equation("mean ŷ", mean_terms, numbers, products, "vv" * k + "v", nodes["yhat"])
    return StepValues(
        rows=rows, nodes=nodes, partials=partials, loss=float(batch_loss), gradient=np.asarray(gradient, float),
        forward=(forward_equation,), loss_equations=(loss_equation,), backward=(*backward, b_partial),
    )
