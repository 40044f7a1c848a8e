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

    @classmethod
    def from_data(cls, X: np.ndarray, y: np.ndarray) -> "LinearStats":
        mean_x = X.mean(axis=0)
        Xc = X - mean_x
        Z = design(X)
        optimum = np.linalg.lstsq(Z, y, rcond=None)[0]
        residual = y - Z @ optimum
        return cls(
            n=X.shape[0],
            mean_x=mean_x,
            mean_y=float(y.mean()),
            sxx=Xc.T @ Xc,
            optimum=optimum,
            rss_optimum=float(residual @ residual),
        )

    def _offsets(self, theta: np.ndarray):
        delta = theta[..., :-1] - self.optimum[:-1]
        # mean residual d, measured from the optimum where it is exactly zero
        d = -(delta @ self.mean_x + (theta[..., -1] - self.optimum[-1]))
        return delta, d

    def sse(self, theta: np.ndarray) -> np.ndarray:
        """Sum of squared residuals at theta; theta may be (..., k+1) for many points."""
        delta, d = self._offsets(theta)
        quad = np.einsum("...i,ij,...j->...", delta, self.sxx, delta)
        return self.rss_optimum + quad + self.n * d * d

    def sse_grad(self, theta: np.ndarray) -> np.ndarray:
        """Gradient of the sum of squared residuals at one theta, (k+1,)."""
        delta, d = self._offsets(theta)
        grad = np.empty_like(theta)
        grad[:-1] = 2.0 * (self.sxx @ delta) - (2.0 * self.n * d) * self.mean_x
        grad[-1] = -2.0 * self.n * d
        return grad
