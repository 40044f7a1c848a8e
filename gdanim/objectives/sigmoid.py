"""One sigmoid unit with k inputs: logistic regression, trained by the delta rule.

``sigmoid[:bias=false]``; parameters ``w1..wk, b`` (``w, b`` for one input), as in
linear regression, so ``init='w1=0.5,w2=-1,b=0'`` works. For records X (m, k):

Forward::

    h    = X w + b            net input, (m,)
    yhat = f(h) = 1 / (1 + exp(-h))
    f'(h) = f(h) (1 - f(h))    at most 0.25

Backward, the delta rule: the error term of each record is ``delta = -dJ/dh``; for
the error E = 1/2 sum (y - yhat)^2 (half-sse) it is ``(y - yhat) f'(h)`` and::

    dJ/dw_i = -sum delta x_i     so the step is  Delta w_i = eta delta x_i
    dJ/db   = -sum delta

summed over the batch; half-mse divides by m, so that ``w <- w + eta Delta w / m``.
mse doubles half-mse; log-loss (cross-entropy) has ``delta = y - yhat`` / m.
"""
from __future__ import annotations

import numpy as np

from .activations import ACTIVATIONS
from .linear import param_names
from .neural import Layer, NeuralObjective, Signals, array_specs, parse_options, short_name

OPTIONS = {"bias": ("true", "false")}


def forward(X, w, b):
    """(h, yhat) for w (..., k) and b (...,) or None: h of shape (..., m)."""
    h = w @ X.T
    if b is not None:
        h = h + b[..., None]
    return h, ACTIVATIONS["sigmoid"].f(h)


def backward(X, delta):
    """(dJ/dw, dJ/db) from the error terms delta = -dJ/dh (m,)."""
    return -(X.T @ delta), -delta.sum()


class SigmoidUnit(NeuralObjective):
    """J of one sigmoid unit on a Dataset (see the module docstring)."""

    def __init__(self, data, loss, bias: bool = True):
        k = data.k
        self.bias = bias
        self.arrays = array_specs([("w", (k,), k)] + ([("b", (), None)] if bias else []))
        # w1..wk, b: the linear model's names
        super().__init__(data, loss, ACTIVATIONS["sigmoid"], param_names(k) if bias else param_names(k)[:-1])
        self.text = "sigmoid" if bias else "sigmoid:bias=false"
        self.label = f"sigmoid unit on {short_name(data)}"

    def _arrays(self, theta):
        k = self.data.k
        return theta[..., :k], (theta[..., k] if self.bias else None)

    def output(self, theta, X):
        return forward(X, *self._arrays(theta))

    def deltas(self, theta, X, y):
        """(h, yhat, delta) on the records X, y."""
        h, yhat = forward(X, *self._arrays(theta))
        return h, yhat, -self.loss.grad_net_input(h, yhat, y)

    def output_and_gradient(self, theta, X, y):
        h, yhat, delta = self.deltas(theta, X, y)
        grad_w, grad_b = backward(X, delta)
        return h, yhat, (np.append(grad_w, grad_b) if self.bias else grad_w)

    def layers(self, theta):
        k = self.data.k
        w, b = self._arrays(np.asarray(theta, float))
        return [Layer(w[:, None], None if b is None else np.atleast_1d(b), np.arange(k)[:, None])]

    def signals(self, theta, X, y):
        with np.errstate(over="ignore"):
            h, yhat, delta = self.deltas(np.asarray(theta, float), X, y)
        return Signals([None, h[:, None]], [X, yhat[:, None]], [None, delta[:, None]])


def build(options: dict[str, str], data, loss, what: str) -> SigmoidUnit:
    parse_options(options, OPTIONS, "sigmoid", what)
    return SigmoidUnit(data, loss, options.get("bias", "true") == "true")
