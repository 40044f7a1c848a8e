"""Learning rates from the exact Hessian of a quadratic objective (linear regression, booth, bowl).

Such a J is exactly ``J(theta) = J* + 1/2 (theta - theta*)^T H (theta - theta*)`` with a
constant Hessian H (eigenvalues lambda_i, eigenvectors v_i). One gd step with a
constant learning rate multiplies the error ``e = theta - theta*`` along v_i by

    c_i = 1 - lr lambda_i

so gd is stable exactly when every |c_i| < 1, that is below the **edge of stability**
``lr = 2 / lambda_max``; at the edge the steepest direction flips sign forever (a
two-cycle), above it the run blows up. The worst factor ``max_i |c_i|`` is smallest at
``lr = 2 / (lambda_min + lambda_max)``, the **fastest constant rate**, where it is
``(kappa - 1) / (kappa + 1)`` with the condition number ``kappa = lambda_max / lambda_min``.
Directions with lambda_i = 0 (collinear columns) never move and do not change J, so
lambda_min is the smallest positive eigenvalue.

After m more steps, with ``a = V^T e`` the error in the eigenbasis,

    J - J* = 1/2 sum_i lambda_i c_i^(2m) a_i^2

exactly, which :func:`steps_to_reach` solves for m (``gdanim.convergence`` uses it).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .validate import ParamError

#: Eigenvalues below this fraction of the largest count as zero (collinear columns).
RANK_TOL = 1e-12
#: A learning rate within this relative distance below the edge counts as "at" it.
EDGE_SLACK = 1e-9


@dataclass(frozen=True)
class LearningRates:
    """The Hessian's spectrum and the two learning rates it gives gd."""

    eigenvalues: np.ndarray  # ascending
    eigenvectors: np.ndarray  # columns, in the same order
    largest_stable: float  # 2 / lambda_max, the edge of stability
    fastest: float  # 2 / (lambda_min + lambda_max)
    contraction: float  # max_i |1 - fastest lambda_i| = (kappa - 1) / (kappa + 1), per step

    @classmethod
    def of(cls, hessian: np.ndarray) -> "LearningRates":
        values, vectors = np.linalg.eigh(np.asarray(hessian, float))
        top = float(values[-1])  # > 0: a nonzero Hessian of a convex J
        low = float(values[values > RANK_TOL * top].min())
        return cls(values, vectors, 2.0 / top, 2.0 / (low + top), (top - low) / (top + low))

    def at_or_above_edge(self, lr: float) -> bool:
        return lr >= self.largest_stable * (1.0 - EDGE_SLACK)

    def factors(self, lr: float) -> np.ndarray:
        """c_i = 1 - lr lambda_i, the factor of the error along each eigenvector per step."""
        return 1.0 - lr * self.eigenvalues

    def gap(self, error: np.ndarray, lr: float, steps) -> np.ndarray:
        """J - J* after ``steps`` more gd steps at ``lr`` from the error ``theta - theta*``."""
        powers = np.abs(self.factors(lr))[None, :] ** (2.0 * np.atleast_1d(steps)[:, None])
        return 0.5 * (powers * self._weights(error)).sum(axis=1)

    def _weights(self, error: np.ndarray) -> np.ndarray:
        """lambda_i a_i^2 with a = V^T e: each direction's share of 2 (J - J*)."""
        with np.errstate(all="ignore"):  # errors near float64's limits overflow: the caller sees inf
            a = self.eigenvectors.T @ error
            return self.eigenvalues * a * a

    def steps_to_reach(self, error: np.ndarray, lr: float, target: float) -> int | None:
        """The fewest gd steps at ``lr`` that bring J - J* to ``target`` or below; None if never.

        J - J* falls monotonically while every |c_i| < 1, so a bisection between 0 and
        the bound that the slowest factor alone gives finds the exact count.
        """
        weight = self._weights(error)
        if not np.isfinite(weight).all():
            return None
        if self.gap(error, lr, 0)[0] <= target:
            return 0
        moving = weight > 0
        slowest = float(np.abs(self.factors(lr))[moving].max())
        if slowest >= 1.0 or target <= 0:
            return None
        if slowest == 0.0:  # lr = 1/lambda along every direction that matters: one step lands on theta*
            return 1
        upper = 1 + math.ceil(math.log(target / (0.5 * weight[moving].sum())) / (2.0 * math.log(slowest)))
        lower = 0  # gap(lower) > target >= gap(upper)
        while upper - lower > 1:
            middle = (lower + upper) // 2
            if self.gap(error, lr, middle)[0] <= target:
                upper = middle
            else:
                lower = middle
        return upper

    def as_dict(self) -> dict:
        return {"largest_stable": self.largest_stable, "fastest": self.fastest, "contraction": self.contraction}


def learning_rates(objective) -> LearningRates | None:
    """The guidance for ``objective``, or None when its Hessian is not a known, finite constant
    (data near float64's limits overflows it)."""
    hessian = getattr(objective, "hessian", None)
    if hessian is None or not np.isfinite(hessian).all() or not hessian.any():
        return None
    rates = LearningRates.of(hessian)
    return rates if np.isfinite([rates.largest_stable, rates.fastest, rates.contraction]).all() else None


def resolve_lr(lr, objective, optimizer: str):
    """(learning rate, chosen automatically?): ``'auto'`` becomes gd's fastest constant rate."""
    if not (isinstance(lr, str) and lr.strip().lower() == "auto"):
        return lr, False
    if optimizer != "gd":
        raise ParamError("lr", lambda w: (
            f"{w.spelling.setting('lr', 'auto')} is worked out for gd (2/(lmin+lmax) from the exact Hessian); "
            f"give {optimizer} a number"))
    rates = learning_rates(objective)
    if rates is None:
        raise ParamError("lr", lambda w: (
            f"{w.spelling.setting('lr', 'auto')} needs J's exact Hessian, which linear regression, booth and bowl have "
            f"and {objective.label!r} does not; give a number"))
    return rates.fastest, True


def scale_spread(objective) -> tuple[float, str, str] | None:
    """(ratio, smallest, largest) of the columns' scales, or None without data.

    A column's scale is its root mean square, sqrt(H_jj / H_bb) relative to the column
    of ones that multiplies the bias: the diagonal of H = 2c Z^T Z is 2c n rms_j^2.
    """
    hessian, data = getattr(objective, "hessian", None), getattr(objective, "data", None)
    if hessian is None or data is None or learning_rates(objective) is None:
        return None
    scales = np.sqrt(np.diag(hessian) / hessian[-1, -1])
    if not np.isfinite(scales).all() or scales.min() <= 0:
        return None
    names = [*data.feature_names, "the intercept"]
    lo, hi = int(np.argmin(scales)), int(np.argmax(scales))
    return float(scales[hi] / scales[lo]), f"{names[lo]} {scales[lo]:.3g}", f"{names[hi]} {scales[hi]:.3g}"
