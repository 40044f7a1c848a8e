"""A two-layer network: k inputs, H hidden units, one output unit.

``mlp:hidden=H[,activation=sigmoid|tanh|relu][,output=sigmoid|linear][,bias=true|false]``

Parameters: ``W1[i,j]`` (input i to hidden unit j), ``b1[j]``, ``W2[j,0]`` (hidden unit j
to the output), ``b2[0]``; 0-based, in that order. For records X (m, k):

Forward::

    h   = X W1 + b1          hidden net inputs, (m, H)
    a   = f(h)               hidden activations
    h_o = a W2 + b2          output net input, (m,)
    yhat = f_o(h_o)          output

Backward (backpropagation), with the output error term ``delta_o = -dJ/dh_o``; for
half-sse this is ``(y - yhat) f_o'(h_o)`` on each record. The code carries the
gradients ``dJ/dh = -delta``, which spares the minus signs::

    delta_h[j] = (W2[j] delta_o) f'(h[j])       hidden error terms
    dJ/dW2 = -a.T delta_o        so  Delta W2[j] = eta delta_o a[j]
    dJ/db2 = -sum delta_o
    dJ/dW1 = -X.T delta_h        so  Delta W1[i,j] = eta delta_h[j] x[i]
    dJ/db1 = -sum delta_h

Over a batch the steps are summed over the records; the loss's 1/m (half-mse, mse,
log-loss) makes it ``w <- w + eta Delta w / m``. See ``activations`` for f' and the losses.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ..errors import ConfigError
from .activations import Activation, activation
from .neural import Layer, NeuralObjective, Signals, array_specs, parse_options, short_name

OPTIONS = {"hidden": None, "activation": ("sigmoid", "tanh", "relu"), "output": ("sigmoid", "linear"),
           "bias": ("true", "false")}


class Forward(NamedTuple):
    h: np.ndarray  # hidden net inputs (..., m, H)
    a: np.ndarray  # hidden activations
    h_out: np.ndarray  # output net input (..., m)
    yhat: np.ndarray  # output (..., m)


class Backward(NamedTuple):
    grad_out: np.ndarray  # (m,) dJ/dh_out = -delta_o
    grad_hidden: np.ndarray  # (m, H) dJ/dh = -delta_h
    grads: tuple[np.ndarray, ...]  # dJ/dW1 (k, H), dJ/db1 (H,), dJ/dW2 (H,), dJ/db2 (); W2 and b2 flat


def forward(X, W1, b1, W2, b2, hidden: Activation, output: Activation) -> Forward:
    """The forward pass; W1 (..., k, H), b1 (..., H) or None, W2 (..., H, 1), b2 (..., 1) or None."""
    h = X @ W1
    if b1 is not None:
        h += b1[..., None, :]
    a = hidden.f(h)
    h_out = (a @ W2)[..., 0]
    if b2 is not None:
        h_out += b2
    return Forward(h, a, h_out, output.f(h_out))


def backward(X, W2, fwd: Forward, grad_out: np.ndarray, hidden: Activation) -> Backward:
    """The backward pass for one weight vector, from grad_out = dJ/dh_out = -delta_o (m,)."""
    grad_hidden = np.multiply.outer(grad_out, W2[:, 0])
    grad_hidden *= hidden.slope(fwd.h, fwd.a)  # = -delta_h
    grads = (X.T @ grad_hidden, np.add.reduce(grad_hidden, axis=0), grad_out @ fwd.a, np.add.reduce(grad_out))
    return Backward(grad_out, grad_hidden, grads)


class MLP(NeuralObjective):
    """J of a k-H-1 network on a Dataset (see the module docstring)."""

    def __init__(self, data, loss, hidden: int, activation_name="sigmoid", output_name="sigmoid", bias=True):
        k = data.k
        self.hidden, self.activation = hidden, activation(activation_name, "activation")
        self.output_unit, self.bias = activation(output_name, "output"), bias
        shapes = [("W1", (k, hidden), k), ("b1", (hidden,), None), ("W2", (hidden, 1), hidden), ("b2", (1,), None)]
        self.arrays = array_specs([s for s in shapes if bias or s[2] is not None])
        named = {spec.name: spec for spec in self.arrays}
        self._specs = tuple(named.get(name) for name in ("W1", "b1", "W2", "b2"))
        self.width = hidden
        super().__init__(data, loss, self.output_unit)
        options = [f"hidden={hidden}", f"activation={activation_name}", f"output={output_name}"]
        self.text = "mlp:" + ",".join(options + ([] if bias else ["bias=false"]))
        self.label = f"{k}-{hidden}-1 {activation_name} network on {short_name(data)}"

    @property
    def default_start(self):
        """scaled-normal weights drawn with seed 0 (``init='scaled-normal'`` draws with the run's seed)."""
        return tuple(self.initial_params("scaled-normal", np.random.default_rng(0)))

    def _arrays(self, theta):
        return tuple(None if spec is None else spec.take(theta) for spec in self._specs)

    def output(self, theta, X):
        fwd = forward(X, *self._arrays(theta), self.activation, self.output_unit)
        return fwd.h_out, fwd.yhat

    def passes(self, theta, X, y) -> tuple[Forward, Backward]:
        """Both passes on the records X, y for one weight vector."""
        W1, b1, W2, b2 = self._arrays(theta)
        fwd = forward(X, W1, b1, W2, b2, self.activation, self.output_unit)
        return fwd, backward(X, W2, fwd, self.loss.grad_net_input(fwd.h_out, fwd.yhat, y), self.activation)

    def output_and_gradient(self, theta, X, y):
        fwd, back = self.passes(theta, X, y)
        grads = back.grads if self.bias else back.grads[::2]
        return fwd.h_out, fwd.yhat, np.concatenate([g.reshape(-1) for g in grads])

    def layers(self, theta):
        W1, b1, W2, b2 = self._arrays(np.asarray(theta, float))
        return [Layer(W1, b1, self._specs[0].positions()), Layer(W2, b2, self._specs[2].positions())]

    def signals(self, theta, X, y):
        with np.errstate(over="ignore"):
            fwd, back = self.passes(np.asarray(theta, float), X, y)
        return Signals([None, fwd.h, fwd.h_out[:, None]], [X, fwd.a, fwd.yhat[:, None]],
                       [None, -back.grad_hidden, -back.grad_out[:, None]])


def build(options: dict[str, str], data, loss, what: str) -> MLP:
    parse_options(options, OPTIONS, "mlp", what)
    if "hidden" not in options:
        raise ConfigError(f"{what} mlp needs hidden=H, the number of hidden units, e.g. mlp:hidden=8")
    try:
        hidden = int(options["hidden"])
    except ValueError:
        raise ConfigError(f"{what} mlp: hidden must be a whole number of units, got {options['hidden']!r}") from None
    if hidden < 1:
        raise ConfigError(f"{what} mlp: hidden must be at least 1 unit, got {hidden}")
    return MLP(data, loss, hidden, options.get("activation", "sigmoid"), options.get("output", "sigmoid"),
               options.get("bias", "true") == "true")
