"""Linear regression: the model, its backward pass, and its sufficient statistics.

Parameters are one vector ``theta = [w1, ..., wk, b]``. With the design matrix
augmented by a column of ones, ``Z = [X, 1]``:

Forward:  ``yhat = Z @ theta``                       (``forward``)
Backward: ``dJ/dtheta = Z.T @ dJ/dyhat``             (``backward``)
Loss:     ``J = c(n) * sum((yhat - y)**2)``          (see ``gdanim.losses``)
          or ``J = (1/n) * sum(|yhat - y|)`` (mae: evaluated directly, row by row)

``LinearStats`` evaluates the squared error and its gradient over the *whole*
dataset in O(k^2), from numbers computed once in O(n k^2). Writing the centred data
``Xc = X - mu``, ``yc = y - m``, ``Sxx = Xc.T Xc`` and the least-squares optimum
``(w*, b*)`` with residual sum ``RSS*``, and with ``delta = w - w*`` and
``d = m - mu.w - b = -(mu.delta + (b - b*))`` (the mean residual), one gets

    sum((y - Z theta)**2) = RSS* + delta.T Sxx delta + n d**2

The gradient is linear in theta: ``grad(theta) = H (theta - theta*) + grad(theta*)``
with the Hessian ``H = 2 Z.T Z = 2 [[Sxx + n mu mu.T, n mu], [n mu.T, n]]``, one small
matrix product a step. numpy's ``theta*`` is not the exact minimum, so ``grad(theta*)``
is not exactly zero; it is computed once in extended precision. Near convergence
``theta - theta*`` is exact (the two are close), so the gradient stays accurate to
the last digits even where it is tiny.

Measuring everything from the optimum keeps the sum free of the cancellation that
``theta.T A theta - 2 c.T theta + y.T y`` suffers near convergence.

The mean absolute error has no sufficient statistics and no closed-form optimum:
its J and gradient are sums over the rows, and its optimum (least absolute
deviations) is found once, when asked for, by ``least_absolute_deviations``.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from .. import losses
from ..errors import DataError
from .base import Objective


def param_names(k: int) -> tuple[str, ...]:
    """``('w', 'b')`` for one feature, ``('w1', ..., 'wk', 'b')`` otherwise."""
    if k == 1:
        return ("w", "b")
    return tuple(f"w{i}" for i in range(1, k + 1)) + ("b",)


def design(X: np.ndarray) -> np.ndarray:
    """Z = [X, 1]."""
    return np.hstack([X, np.ones((X.shape[0], 1))])


def forward(theta: np.ndarray, Z: np.ndarray) -> np.ndarray:
    """yhat = Z @ theta = X @ w + b."""
    return Z @ theta


def backward(Z: np.ndarray, grad_prediction: np.ndarray) -> np.ndarray:
    """dJ/dtheta = Z.T @ dJ/dyhat."""
    return Z.T @ grad_prediction


def predict(theta: np.ndarray, X: np.ndarray) -> np.ndarray:
    """yhat for rows X (without the column of ones)."""
    return forward(theta, design(X))


def sse_gradient_extended(X: np.ndarray, y: np.ndarray, theta: np.ndarray) -> np.ndarray:
    """2 Z.T (Z theta - y) in extended precision (np.longdouble), rounded to float64."""
    Xl, yl, t = X.astype(np.longdouble), y.astype(np.longdouble), theta.astype(np.longdouble)
    residual = Xl @ t[:-1] + t[-1] - yl
    return np.append(2 * (Xl.T @ residual), 2 * residual.sum()).astype(float)


def least_absolute_deviations(X: np.ndarray, y: np.ndarray, iterations: int = 100) -> np.ndarray:
    """theta minimising sum(|Z theta - y|).

    The minimum of a sum of absolute residuals lies on a vertex, where k+1 residuals
    are zero. Iteratively reweighted least squares (weights 1/|r|) walks towards it;
    the line through the k+1 rows then nearest to it is that vertex when it is no worse.
    """
    Z = design(X)
    theta = np.linalg.lstsq(Z, y, rcond=None)[0]
    floor = 1e-12 * max(float(np.abs(y).max()), 1.0)
    for _ in range(iterations):
        root_weight = 1.0 / np.sqrt(np.maximum(np.abs(Z @ theta - y), floor))
        previous, theta = theta, np.linalg.lstsq(Z * root_weight[:, None], y * root_weight, rcond=None)[0]
        if np.allclose(theta, previous, rtol=1e-13, atol=0.0):
            break
    nearest = np.argsort(np.abs(Z @ theta - y), kind="stable")[: Z.shape[1]]
    try:
        vertex = np.linalg.solve(Z[nearest], y[nearest])
    except np.linalg.LinAlgError:
        return theta
    return vertex if np.abs(Z @ vertex - y).sum() <= np.abs(Z @ theta - y).sum() else theta


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
    grad_optimum: np.ndarray  # gradient of the sum of squares at theta*, (k+1,)

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
                grad_optimum=sse_gradient_extended(X, y, optimum),
            )

    def sse(self, theta: np.ndarray) -> np.ndarray:
        """Sum of squared residuals at theta; theta may be (..., k+1) for many points."""
        delta = theta[..., :-1] - self.optimum[:-1]
        # mean residual d, measured from the optimum where it is exactly zero
        d = -(delta @ self.mean_x + (theta[..., -1] - self.optimum[-1]))
        quad = np.einsum("...i,ij,...j->...", delta, self.sxx, delta)
        return self.rss_optimum + quad + self.n * d * d

    def sse_grad(self, theta: np.ndarray) -> np.ndarray:
        """Gradient of the sum of squared residuals, H (theta - theta*) + grad(theta*); theta may be (..., k+1)."""
        return (theta - self.optimum) @ self.hessian + self.grad_optimum  # H is symmetric


_ROW_BUDGET = 1 << 22  # residuals computed at once when evaluating mae at many points


class LinearRegression(Objective):
    """J(w, b) = c(n) * sum((X w + b - y)**2) on a Dataset, with a closed-form optimum;
    or, for mae, (1/n) * sum(|X w + b - y|)."""

    has_predictions = True
    linear_model = True
    random_init = slice(0, -1)  # init schemes draw the weights; the bias starts at 0

    def __init__(self, data, loss: str = "mse"):
        self.data, self.n = data, data.n
        self.loss = losses.get(loss)
        self.names = param_names(data.k)
        self.label = data.name
        self.factor = self.loss.factor(data.n)
        self.quadratic = self.loss.squared
        self.stats = None
        if self.loss.squared:
            try:
                self.stats = LinearStats.from_data(data.X, data.y)  # overflow shows up in training as a cost that is not finite
            except np.linalg.LinAlgError as exc:
                raise DataError(f"{data.name}: cannot fit a line to this data ({exc}); rescale the data") from None

    @property
    def spec(self) -> dict:
        return {"kind": "linear", "loss": self.loss.name}

    def config(self) -> dict:
        return {"data": self.data.name, "n": self.n, "k": self.data.k, "loss": self.loss.name}

    @cached_property
    def optimum(self) -> np.ndarray:
        """The closed-form least-squares parameters (numpy lstsq); for mae, least absolute deviations."""
        if self.stats is not None:
            return self.stats.optimum
        with np.errstate(all="ignore"):
            return least_absolute_deviations(self.data.X, self.data.y)

    @cached_property
    def hessian(self) -> np.ndarray:
        """The Hessian of J, c(n) H: a constant, as J is quadratic in theta."""
        return self.factor * self.stats.hessian

    @cached_property
    def design(self) -> np.ndarray:
        return design(self.data.X)

    def value(self, theta):
        theta = np.asarray(theta, float)
        if self.stats is not None:
            return self.factor * self.stats.sse(theta)
        points = theta.reshape(-1, theta.shape[-1])
        sums = np.empty(points.shape[0])
        chunk = max(1, _ROW_BUDGET // self.n)  # points per pass, so a grid's residuals fit in memory
        for lo in range(0, points.shape[0], chunk):
            part = points[lo : lo + chunk]
            sums[lo : lo + chunk] = np.abs(part @ self.design.T - self.data.y).sum(axis=1)
        return self.factor * sums.reshape(theta.shape[:-1])

    def gradient(self, theta):
        theta = np.asarray(theta, float)
        if self.stats is not None:
            return self.factor * self.stats.sse_grad(theta)
        return self.batch_value_and_gradient(theta, slice(None))[1]

    def full_batch_stepper(self):
        if self.stats is None:
            return None
        scaled_hessian, optimum = self.factor * self.stats.hessian, self.stats.optimum
        scaled_grad_optimum = self.factor * self.stats.grad_optimum

        def gradient(theta):  # self.gradient(theta), inlined: it runs every step
            return (theta - optimum) @ scaled_hessian + scaled_grad_optimum

        return gradient

    def batch_value_and_gradient(self, theta, rows):
        Z = self.design[rows]
        residual = forward(theta, Z) - self.data.y[rows]
        return self.loss.value(residual), backward(Z, self.loss.grad_prediction(residual))

    def predict(self, theta, X):
        return predict(theta, X)

    def graph(self):
        from .linear_graph import linear_graph

        return linear_graph(self.names)

    def step_values(self, theta, rows, recorded=None):
        from .linear_graph import linear_step

        return linear_step(self, np.asarray(theta, float), rows, recorded)
