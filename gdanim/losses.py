"""Squared-error losses, each written beside its derivative.

All three losses gdanim ships are ``J = c(n) * sum((yhat - y)**2)`` for a batch of n
rows, differing only in the factor ``c(n)``:

=========  ==========  ===========================================
name       c(n)        note
=========  ==========  ===========================================
mse        1/n         the animation articles' cost (default)
half-mse   1/(2n)      the "nice derivative" textbook form
sse        1           the plain sum of squares
=========  ==========  ===========================================

Forward:  ``J = c(n) * r @ r``           with residual ``r = yhat - y``
Backward: ``dJ/dyhat = 2 * c(n) * r``

For a batch of one row, mse is ``(yhat - y)**2``, as in the SGD walkthrough.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .errors import ConfigError


@dataclass(frozen=True)
class SquaredError:
    name: str
    per_row: float  # c(n) = per_row / n, or per_row when summed
    averaged: bool

    def factor(self, n: int) -> float:
        """c(n): the weight of one squared residual in a batch of n rows."""
        return self.per_row / n if self.averaged else self.per_row

    def value(self, residual: np.ndarray) -> float:
        """J = c(n) * sum(r**2)."""
        return self.factor(residual.shape[0]) * float(residual @ residual)

    def grad_prediction(self, residual: np.ndarray) -> np.ndarray:
        """dJ/dyhat = 2 c(n) r."""
        return (2.0 * self.factor(residual.shape[0])) * residual


LOSSES = {
    "mse": SquaredError("mse", 1.0, averaged=True),
    "half-mse": SquaredError("half-mse", 0.5, averaged=True),
    "sse": SquaredError("sse", 1.0, averaged=False),
}


def get(name: str) -> SquaredError:
    try:
        return LOSSES[name]
    except KeyError:
        raise ConfigError(f"unknown loss {name!r}; choose one of: {', '.join(LOSSES)}") from None
