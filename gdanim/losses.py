"""Losses on the residual ``r = yhat - y``, each written beside its derivative.

Three are squared errors, ``J = c(n) * sum(r**2)`` for a batch of n rows, differing
only in the factor ``c(n)``; the fourth is the mean absolute error:

=========  ==========================  ==========================  ==================
name       J                           dJ/dyhat_i                  one row: L, dL/dyhat
=========  ==========================  ==========================  ==================
mse        (1/n) sum(r**2)             2 r_i / n                   r**2, 2 r
half-mse   (1/(2n)) sum(r**2)          r_i / n                     r**2 / 2, r
sse        sum(r**2)                   2 r_i                       r**2, 2 r
mae        (1/n) sum(|r|)              sign(r_i) / n               |r|, sign(r)
=========  ==========================  ==========================  ==================

``sign(0) = 0``: at a zero residual mae takes the subgradient 0, as TensorFlow and
PyTorch do. For a batch of one row, mse is ``(yhat - y)**2``, as in the SGD
walkthrough. ``row_derivative`` is the last column's derivative, the number the
walkthrough writes on the edge from yhat to L.

Each loss also carries its one-row formulas as text for the equation strips
(``Formulas``: L and dL/dyhat, each with a template for the numbers of yhat and y),
written here beside the code they describe.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .errors import ConfigError


@dataclass(frozen=True)
class Formulas:
    """One row's loss and its derivative as text, and templates taking (yhat, y)."""

    loss: str
    loss_numbers: str
    derivative: str
    derivative_numbers: str


@dataclass(frozen=True)
class SquaredError:
    name: str
    per_row: float  # c(n) = per_row / n, or per_row when summed
    averaged: bool
    squared = True  # J is a quadratic in the predictions (sufficient statistics apply)

    def factor(self, n: int) -> float:
        """c(n): the weight of one squared residual in a batch of n rows."""
        return self.per_row / n if self.averaged else self.per_row

    def value(self, residual: np.ndarray) -> float:
        """J = c(n) * sum(r**2)."""
        return self.factor(residual.shape[0]) * float(residual @ residual)

    def grad_prediction(self, residual: np.ndarray) -> np.ndarray:
        """dJ/dyhat = 2 c(n) r."""
        return (2.0 * self.factor(residual.shape[0])) * residual

    def row_derivative(self, residual: np.ndarray) -> np.ndarray:
        """dL/dyhat of each row's own loss: 2 per_row r."""
        return (2.0 * self.per_row) * residual

    @property
    def formulas(self) -> Formulas:
        """One row's loss per_row (ŷ − y)² and its derivative, as text."""
        return _HALF_SQUARE if self.per_row == 0.5 else _SQUARE


@dataclass(frozen=True)
class AbsoluteError:
    name: str
    formulas: Formulas
    averaged = True
    squared = False

    def factor(self, n: int) -> float:
        """c(n) = 1/n: the weight of one absolute residual in a batch of n rows."""
        return 1.0 / n

    def value(self, residual: np.ndarray) -> float:
        """J = (1/n) sum(|r|)."""
        return self.factor(residual.shape[0]) * float(np.abs(residual).sum())

    def grad_prediction(self, residual: np.ndarray) -> np.ndarray:
        """dJ/dyhat = sign(r) / n, 0 where r = 0."""
        return self.factor(residual.shape[0]) * np.sign(residual)

    def row_derivative(self, residual: np.ndarray) -> np.ndarray:
        """dL/dyhat of each row's own loss |r|: sign(r)."""
        return np.sign(residual)


_SQUARE = Formulas("(ŷ − y)²", "({} − {})²", "2(ŷ − y)", "2 × ({} − {})")
_HALF_SQUARE = Formulas("½(ŷ − y)²", "½ × ({} − {})²", "ŷ − y", "{} − {}")
LOSSES = {
    "mse": SquaredError("mse", 1.0, True),
    "half-mse": SquaredError("half-mse", 0.5, True),
    "sse": SquaredError("sse", 1.0, False),
    "mae": AbsoluteError("mae", Formulas("|ŷ − y|", "|{} − {}|", "sign(ŷ − y)", "sign({} − {})")),
}


def get(name: str) -> SquaredError | AbsoluteError:
    try:
        return LOSSES[name]
    except KeyError:
        raise ConfigError(f"unknown loss {name!r}; choose one of: {', '.join(LOSSES)}") from None
