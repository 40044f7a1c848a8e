"""The sigmoid unit and the two-layer network as computation graphs, and one step of
either with every number (see ``graph``), grown by layer::

    x₁    x₂    ...             inputs
     \\ w₁₁ /  \\ w₂₂             weights on the edges
      a₁       a₂              hidden units: a_j = f(h_j), h_j = Σ_i w_ij x_i + b_j
        \\ W₁  / W₂
           ŷ        y          output: ŷ = f_o(h_o), h_o = Σ_j W_j a_j + b_o
             \\     /
                L              the loss

The sigmoid unit is the same without the hidden layer (weights w_j from x_j to ŷ).
Biases are not drawn; their equations are in the strip. The backward pass puts the
error terms δ = −∂L/∂h on the units (δᵒ at the output, δ_j at hidden unit j) and
∂L/∂w on the weights' edges, by the delta rule::

    δᵒ = −∂L/∂ŷ · f_o′(h_o)        δ_j = W_j δᵒ f′(h_j)
    ∂L/∂W_j = −δᵒ a_j   ∂L/∂bₒ = −δᵒ   ∂L/∂w_ij = −δ_j x_i   ∂L/∂b_j = −δ_j

For a batch the nodes show batch means, δ and ∂L/∂ŷ the sums over the rows of the
batch's J (whose 1/m is in each row's term), as the gradient is.
"""
from __future__ import annotations

import numpy as np

from .graph import Edge, Equation, Graph, Node, StepValues
from .linear_graph import feature_names, symbols

_SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
FUNCTIONS = {"sigmoid": "σ", "tanh": "tanh", "relu": "relu", "linear": ""}
LOG_LOSS = ("−y ln ŷ − (1 − y) ln(1 − ŷ)", "−{} ln {} − (1 − {}) ln(1 − {})",
            "(ŷ − y) / (ŷ(1 − ŷ))", "({} − {}) / ({} × (1 − {}))")


def _sub(i: int) -> str:
    return str(i).translate(_SUB)


def _apply(function: str, inside: str) -> str:
    return f"{FUNCTIONS[function]}({inside})" if FUNCTIONS[function] else inside


class Layout:
    """A model's units and symbols: ``hidden`` units (0 for the sigmoid unit), k inputs."""

    def __init__(self, objective):
        self.objective = objective
        self.k = objective.data.k
        self.hidden = getattr(objective, "hidden", 0)
        self.bias = objective.bias
        self.inputs = feature_names(self.k)
        self.x = symbols(self.k)[0]
        self.units = [f"a{j + 1}" for j in range(self.hidden)]
        self.symbols = dict(zip(objective.names, self._param_symbols()))

    def _param_symbols(self) -> list[str]:
        k, H = self.k, self.hidden
        if H == 0:
            weights = symbols(k)[1]
            return weights + ["b"] * self.bias
        w = [f"w{_sub(i + 1)}{_sub(j + 1)}" for i in range(k) for j in range(H)]
        b1 = [f"b{_sub(j + 1)}" for j in range(H)] if self.bias else []
        W = [f"W{_sub(j + 1)}" for j in range(H)]
        return w + b1 + W + ["bₒ"] * self.bias

    def graph(self) -> Graph:
        names, s = self.objective.names, self.symbols
        nodes = [Node(x, sx, "input", 0) for x, sx in zip(self.inputs, self.x)]
        edges = []
        last = 1
        if self.hidden:
            nodes += [Node(a, f"a{_sub(j + 1)}", "model", 1) for j, a in enumerate(self.units)]
            for i, x in enumerate(self.inputs):
                for j, a in enumerate(self.units):
                    name = names[i * self.hidden + j]
                    edges.append(Edge(x, a, f"∂L/∂{s[name]}", name))
            W = names[self.k * self.hidden + self.hidden * self.bias:]
            edges += [Edge(a, "yhat", f"∂L/∂{s[W[j]]}", W[j]) for j, a in enumerate(self.units)]
            last = 2
        else:
            edges += [Edge(x, "yhat", f"∂L/∂{s[names[i]]}", names[i]) for i, x in enumerate(self.inputs)]
        nodes += [Node("yhat", "ŷ", "model", last), Node("y", "y", "target", last), Node("L", "L", "loss", last + 1)]
        edges += [Edge("yhat", "L", "∂L/∂ŷ"), Edge("y", "L")]
        return Graph(tuple(nodes), tuple(edges), self.symbols)


def network_graph(objective) -> Graph:
    return Layout(objective).graph()


def network_step(objective, theta: np.ndarray, rows, recorded=None) -> StepValues:
    """Every number of one step of a SigmoidUnit or an MLP at theta on ``rows``."""
    lay = Layout(objective)
    rows = np.arange(objective.n)[rows]
    X, y = objective.data.X[rows], objective.data.y[rows]
    m, one = len(rows), len(rows) == 1
    loss_of, out_f = objective.loss, objective.loss.output
    names, s = objective.names, lay.symbols
    loss, gradient = objective.batch_value_and_gradient(theta, rows) if recorded is None else recorded
    gradient = np.asarray(gradient, float)
    if lay.hidden:
        fwd, back = objective.passes(theta, X, y)
        h_out, yhat, grad_out = fwd.h_out, fwd.yhat, back.grad_out
        a, h, delta_h = fwd.a, fwd.h, -back.grad_hidden.sum(axis=0)
        W1, b1, W2, b2 = objective._arrays(theta)
    else:
        h_out, yhat = objective.output(theta, X)
        grad_out = objective.loss.grad_net_input(h_out, yhat, y)
    slope_out = out_f.slope(h_out, yhat)
    dJ_dyhat = grad_out / np.where(slope_out == 0, np.inf, slope_out)
    delta_o = -float(grad_out.sum())
    nodes = {**dict(zip(lay.inputs, X.mean(axis=0).tolist())), **dict(zip(names, theta.tolist()))}
    nodes.update(yhat=float(yhat.mean()), y=float(y.mean()), L=float(loss))
    deltas = {"yhat": delta_o}
    if lay.hidden:
        nodes.update(zip(lay.units, a.mean(axis=0).tolist()))
        deltas.update(zip(lay.units, delta_h.tolist()))
    partials = {e.key: float(gradient[names.index(e.param)]) for e in lay.graph().edges if e.param}
    partials[("yhat", "L")] = float(dJ_dyhat.sum())

    how = f"{'mean' if loss_of.scale(2) < loss_of.scale(1) else 'sum'} over the {m} rows of"
    forward, backward = [], []
    x = X[0] if one else X.mean(axis=0)
    if lay.hidden:
        for j in range(lay.hidden):
            terms = [f"{s[names[i * lay.hidden + j]]}{lay.x[i]}" for i in range(lay.k)] + [s.get(f"b1[{j}]", "")] * lay.bias
            values = [v for i in range(lay.k) for v in (W1[i, j], x[i])] + ([b1[j]] if lay.bias else [])
            forward.append(_unit(f"a{_sub(j + 1)}", objective.activation.name, terms, values, lay.k, a[0, j] if one else
                                 nodes[lay.units[j]], one, how))
        inputs, symbols_in = (a[0] if one else a.mean(axis=0)), [f"a{_sub(j + 1)}" for j in range(lay.hidden)]
        weights, bias = W2[:, 0], (b2[0] if lay.bias else None)
        w_names = names[lay.k * lay.hidden + lay.hidden * lay.bias:][: lay.hidden]
    else:
        inputs, symbols_in = x, lay.x
        weights, bias = theta[: lay.k], (theta[lay.k] if lay.bias else None)
        w_names = names[: lay.k]
    terms = [f"{s[w]}{sym}" for w, sym in zip(w_names, symbols_in)] + ["bₒ" if lay.hidden else "b"] * lay.bias
    values = [v for w, inp in zip(weights, inputs) for v in (w, inp)] + [bias] * lay.bias
    kinds_in = "v" if lay.hidden else "d"
    forward.append(_unit("ŷ", out_f.name, terms, values, len(weights), yhat[0] if one else nodes["yhat"], one, how,
                         kinds_in))

    if loss_of.squared is None:
        texts = LOG_LOSS
    else:
        f = loss_of.squared.formulas
        texts = (f.loss, f.loss_numbers, f.derivative, f.derivative_numbers)
    if one:
        numbers = (y[0], yhat[0], y[0], yhat[0]) if loss_of.squared is None else (yhat[0], y[0])
        kinds = "dvdv" if loss_of.squared is None else "vd"
        loss_eq = Equation("L", texts[0], texts[1], numbers, kinds, float(loss))
        d_numbers = (yhat[0], y[0], yhat[0], yhat[0]) if loss_of.squared is None else (yhat[0], y[0])
        backward.append(Equation("∂L/∂ŷ", texts[2], texts[3], d_numbers, "vd" + "vv" * (loss_of.squared is None),
                                 float(dJ_dyhat[0])))
        backward.append(Equation("δᵒ", "−∂L/∂ŷ · f′(hₒ)", "−{} × {}", (float(dJ_dyhat[0]), float(slope_out[0])), "vv",
                                 delta_o))
        if lay.hidden:
            slope_h = objective.activation.slope(h, a)[0]
            for j in range(lay.hidden):
                backward.append(Equation(f"δ{_sub(j + 1)}", f"W{_sub(j + 1)} δᵒ f′(h{_sub(j + 1)})", "{} × {} × {}",
                                         (W2[j, 0], delta_o, slope_h[j]), "vvv", float(delta_h[j])))
    else:
        loss_eq = Equation("L", f"{how} {texts[0]}", "", (), "", float(loss))
        backward.append(Equation("∂L/∂ŷ", f"sum over the {m} rows", "", (), "", float(dJ_dyhat.sum())))
        backward.append(Equation("δᵒ", f"sum over the {m} rows of −∂J/∂hₒ", "", (), "", delta_o))
        backward += [Equation(f"δ{_sub(j + 1)}", f"sum over the {m} rows of W{_sub(j + 1)} δᵒ f′(h{_sub(j + 1)})", "",
                              (), "", float(delta_h[j])) for j in range(lay.hidden)]
    backward += _gradient_equations(lay, gradient, x, inputs, deltas, one, m)
    return StepValues(rows=rows, nodes=nodes, partials=partials, loss=float(loss), gradient=gradient,
                      forward=tuple(forward), loss_equations=(loss_eq,), backward=tuple(backward), deltas=deltas)


def _unit(lhs, function, terms, values, weights, result, one, how, kinds_in="d") -> Equation:
    """lhs = f(w x + ... + b) with the numbers, or, for a batch, without."""
    definition = _apply(function, " + ".join(t for t in terms if t))
    if not one:
        return Equation(f"mean {lhs}", f"{how} {definition}", "", (), "", float(result))
    numbers = " + ".join(["{} × {}"] * weights + ["{}"] * (len(values) - 2 * weights))
    kinds = ("v" + kinds_in) * weights + "v" * (len(values) - 2 * weights)
    return Equation(lhs, definition, _apply(function, numbers), tuple(map(float, values)), kinds, float(result))


def _gradient_equations(lay, gradient, x, inputs, deltas, one: bool, m: int) -> list[Equation]:
    """∂L/∂θ for each parameter: −δ times what feeds its edge (1 for a bias)."""
    out = []
    names, s = lay.objective.names, lay.symbols
    for p, name in enumerate(names):
        sym = s[name]
        if name.startswith("W1["):
            i, j = (int(v) for v in name[3:-1].split(","))
            delta, delta_sym, feed, feed_sym, kind = deltas[lay.units[j]], f"δ{_sub(j + 1)}", x[i], lay.x[i], "d"
        elif name.startswith("b1["):
            j = int(name[3:-1])
            delta, delta_sym, feed, feed_sym, kind = deltas[lay.units[j]], f"δ{_sub(j + 1)}", None, "", ""
        elif name.startswith("W2["):
            j = int(name[3:-1].split(",")[0])
            delta, delta_sym, feed, feed_sym, kind = deltas["yhat"], "δᵒ", inputs[j], f"a{_sub(j + 1)}", "v"
        elif p < lay.k and not lay.hidden:
            delta, delta_sym, feed, feed_sym, kind = deltas["yhat"], "δᵒ", x[p], lay.x[p], "d"
        else:  # the output bias
            delta, delta_sym, feed, feed_sym, kind = deltas["yhat"], "δᵒ", None, "", ""
        definition = f"−{delta_sym} {feed_sym}".rstrip()
        if not one:
            out.append(Equation(f"∂L/∂{sym}", f"sum over the {m} rows of {definition}", "", (), "", float(gradient[p])))
        elif feed is None:
            out.append(Equation(f"∂L/∂{sym}", definition, "−{}", (delta,), "v", float(gradient[p])))
        else:
            out.append(Equation(f"∂L/∂{sym}", definition, "−{} × {}", (delta, float(feed)), "v" + kind, float(gradient[p])))
    return out
