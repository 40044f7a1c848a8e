"""The linear model, its backward pass, and its sufficient statistics.

Parameters are one vector ``theta = [w1, ..., wk, b]``. With the design matrix
augmented by a column of ones, ``Z = [X, 1]``:

Forward:  ``yhat = Z @ theta``
Backward: ``dJ/dtheta = Z.T @ dJ/dyhat``

``LinearStats`` evaluates a squared-error cost and its gradient over the *whole*
dataset in O(k^2), from numbers computed once in O(n k^2). Writing the centred data
``Xc = X - mu``, ``yc = y - m``, ``Sxx = Xc.T Xc`` and the least-squares optimum
``(w*, b*)`` with residual sum ``RSS*``, and with ``delta = w - w*`` and
``d = m - mu.w - b = -(mu.delta + (b - b*))`` (the mean residual), one gets

    sum((y - Z theta)**2) = RSS* + delta.T Sxx delta + n d**2
    d/dw = 2 Sxx delta - 2 n d mu,        d/db = -2 n d

The gradient is linear in theta - theta*: it is ``H (theta - theta*)`` with the Hessian
``H = 2 Z.T Z = 2 [[Sxx + n mu mu.T, n mu], [n mu.T, n]]``, one small matrix product
a step.

Measuring everything from the optimum keeps the sum free of the cancellation that
``theta.T A theta - 2 c.T theta + y.T y`` suffers near convergence.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np


def param_names(k: int) -> tuple[str, ...]:
    """``('w', 'b')`` for one feature, ``('w1', ..., 'wk', 'b')`` otherwise."""
    if k == 1:
        return ("w", "b")
    return tuple(f"w{i}" for i in range(1, k + 1)) + ("b",)


def design(X: np.ndarray) -> np.ndarray:
    """Z = [X, 1]."""
    return np.hstack([X, np.ones((X.shape[0], 1))])


def predict(theta: np.ndarray, X: np.ndarray) -> np.ndarray:
    """yhat = X @ w + b."""
    return X @ theta[:-1] + theta[-1]


def backward(Z: np.ndarray, grad_prediction: np.ndarray) -> np.ndarray:
    """dJ/dtheta = Z.T @ dJ/dyhat."""
    return Z.T @ grad_prediction


@dataclass(frozen=True)
class LinearStats:
    """Everything a squared-error cost over the full data needs, in O(k^2) numbers."""

    n: int
    mean_x: np.ndarray  # mu, (k,)
    mean_y: float  # m
    sxx: np.ndarray  # Xc.T @ Xc, (k, k)
    optimum: np.ndarray  # theta* from numpy lstsq, (k+1,)
    rss_optimum: float  # sum of squared residuals at theta*, computed directly
    hessian: np.ndarray  # H = 2 Z.T Z, (k+1, k+1)

    @classmethod
    def from_data(cls, X: np.ndarray, y: np.ndarray) -> "LinearStats":
        # Data near float64's limits overflows here; the trainer sees the resulting
        # infinities as a cost that is not finite and says so.
        with np.errstate(all="ignore"):
            mean_x = X.mean(axis=0)
            Xc = X - mean_x
            Z = design(X)
            optimum = np.linalg.lstsq(Z, y, rcond=None)[0]
            residual = y - Z @ optimum
            n, sxx = X.shape[0], Xc.T @ Xc
            hessian = np.empty((len(optimum), len(optimum)))
            hessian[:-1, :-1] = 2.0 * (sxx + n * np.outer(mean_x, mean_x))
            hessian[:-1, -1] = hessian[-1, :-1] = 2.0 * n * mean_x
            hessian[-1, -1] = 2.0 * n
            return cls(
                n=n,
                mean_x=mean_x,
                mean_y=float(y.mean()),
                sxx=sxx,
                optimum=optimum,
                rss_optimum=float(residual @ residual),
                hessian=hessian,
            )

    def sse(self, theta: np.ndarray) -> np.ndarray:
        """Sum of squared residuals at theta; theta may be (..., k+1) for many points."""
        delta = theta[..., :-1] - self.optimum[:-1]
        # mean residual d, measured from the optimum where it is exactly zero
        d = -(delta @ self.mean_x + (theta[..., -1] - self.optimum[-1]))
        quad = np.einsum("...i,ij,...j->...", delta, self.sxx, delta)
        return self.rss_optimum + quad + self.n * d * d

    def sse_grad(self, theta: np.ndarray) -> np.ndarray:
        """Gradient of the sum of squared residuals, H (theta - theta*); theta may be (..., k+1)."""
        return (theta - self.optimum) @ self.hessian  # H is symmetric
