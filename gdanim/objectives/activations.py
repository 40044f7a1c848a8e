"""Activations and the losses of units and networks, each beside its derivative.

A unit computes ``a = f(h)`` from its net input ``h``. The backward pass needs
``f'(h)``; for the sigmoid and tanh it is cheapest from the output ``a``:

==========  ======================  ==============================
name        f(h)                    f'(h)
==========  ======================  ==============================
sigmoid     1 / (1 + exp(-h))       f (1 - f), at most 0.25
tanh        tanh(h)                 1 - f^2
relu        max(h, 0)               1 where h > 0, else 0
linear      h                       1
==========  ======================  ==============================

Losses over the m records of a batch, with ``yhat = f(h)`` the output unit:

==========  =========================================  ==================
name        J                                          dJ/dh per record
==========  =========================================  ==================
half-sse    1/2 sum (y - yhat)^2   (the error E)       -(y - yhat) f'(h)
half-mse    1/(2m) sum (y - yhat)^2                    -(y - yhat) f'(h) / m
mse         1/m sum (y - yhat)^2                       -2 (y - yhat) f'(h) / m
sse         sum (y - yhat)^2                           -2 (y - yhat) f'(h)
log-loss    -1/m sum y log yhat + (1-y) log(1-yhat)    -(y - yhat) / m
==========  =========================================  ==================

The delta rule's error term is ``delta = -dJ/dh`` of half-sse: ``(y - yhat) f'(h)``.
Log-loss (cross-entropy) needs a sigmoid output; there ``f'`` cancels and J is
computed from h as ``softplus(h) - y h``, which stays finite where yhat rounds to 0 or 1.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from .. import losses
from ..errors import ConfigError


@dataclass(frozen=True)
class Activation:
    name: str
    f: Callable[[np.ndarray], np.ndarray]  # a = f(h)
    slope: Callable[[np.ndarray, np.ndarray], np.ndarray]  # f'(h) from (h, a)
    range: tuple[float, float]  # what a can reach (for colour scales)

    def __reduce__(self):  # by name: its functions are lambdas, which pickle cannot name
        return _named, (self.name,)


def _sigmoid(h):
    """1 / (1 + exp(-h)), in one buffer (the trainer's inner loop spends its time here)."""
    a = np.negative(h)
    np.exp(a, out=a)
    a += 1.0
    return np.reciprocal(a, out=a)


ACTIVATIONS = {
    a.name: a
    for a in (
        Activation("sigmoid", _sigmoid, lambda h, a: a * (1.0 - a), (0.0, 1.0)),
        Activation("tanh", np.tanh, lambda h, a: 1.0 - a * a, (-1.0, 1.0)),
        Activation("relu", lambda h: np.maximum(h, 0.0), lambda h, a: (h > 0).astype(float), (0.0, np.inf)),
        Activation("linear", lambda h: h, lambda h, a: np.ones_like(h), (-np.inf, np.inf)),
    )
}

# the delta rule's E = 1/2 sum (y - yhat)^2 beside gdanim.losses' mse, half-mse and sse
HALF_SSE = losses.SquaredError("half-sse", 0.5, averaged=False)
LOSS_NAMES = ("half-sse", "half-mse", "mse", "sse", "log-loss")


def _named(name: str) -> Activation:
    return ACTIVATIONS[name]


def activation(name: str, what: str) -> Activation:
    if name not in ACTIVATIONS:
        raise ConfigError(f"unknown {what} {name!r}; choose one of: {', '.join(ACTIVATIONS)}")
    return ACTIVATIONS[name]


@dataclass(frozen=True)
class OutputLoss:
    """The loss of an output unit with activation ``output``: J and dJ/dh from (h, yhat, y)."""

    name: str
    output: Activation
    squared: losses.SquaredError | None  # None for log-loss

    @classmethod
    def make(cls, name: str, output: Activation) -> "OutputLoss":
        if name not in LOSS_NAMES:
            raise ConfigError(f"unknown loss {name!r} for this model; choose one of: {', '.join(LOSS_NAMES)}")
        if name == "log-loss" and output.name != "sigmoid":
            raise ConfigError(f"log-loss needs a sigmoid output unit, not {output.name} (use output=sigmoid)")
        if name == "log-loss":
            return cls(name, output, None)
        return cls(name, output, HALF_SSE if name == HALF_SSE.name else losses.get(name))

    def values(self, h: np.ndarray, yhat: np.ndarray, y: np.ndarray) -> np.ndarray:
        """J of each row of h and yhat, shape (..., m) -> (...)."""
        return self.scale(y.shape[-1]) * self.sums(h, yhat, y)

    def sums(self, h: np.ndarray, yhat: np.ndarray, y: np.ndarray) -> np.ndarray:
        """The sum over the records of each one's term, (..., m) -> (...); J = scale(m) * sums."""
        if self.squared is None:
            return (np.logaddexp(0.0, h) - y * h).sum(axis=-1)
        residual = yhat - y
        return np.einsum("...i,...i->...", residual, residual)

    def scale(self, m: int) -> float:
        return 1.0 / m if self.squared is None else self.squared.factor(m)

    def grad_net_input(self, h: np.ndarray, yhat: np.ndarray, y: np.ndarray) -> np.ndarray:
        """dJ/dh of each record, shape (m,): minus the error term delta, scaled by the loss's c(m)."""
        m = y.shape[0]
        if self.squared is None:
            return (yhat - y) / m
        return (2.0 * self.squared.factor(m)) * (yhat - y) * self.output.slope(h, yhat)
