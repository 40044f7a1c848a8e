"""Linear regression trained on standardized data, shown and reported in the data's own units.

Columns on very different scales make J a long, narrow valley: the largest stable
learning rate is set by the steepest direction and the slowest direction then barely
moves. Z-scoring the features (and, in mode ``all``, the target) rounds the valley
out. This objective trains a :class:`LinearRegression` on the standardized copy of the
data and keeps the raw data for the views, so the fitted line drawn over the raw
points is the very line the original-unit parameters describe.

Parameters are the scaled model's, named ``w1_z, ..., b_z`` so that every panel says
which units it shows; ``scaling.to_original`` gives the data's units (``gdanim.scaling``).
"""
from __future__ import annotations

from ..scaling import Scaling
from .base import Objective
from .linear import LinearRegression


class Standardized(Objective):
    """J of linear regression on z-scored data; ``data`` is the raw Dataset (for the views)."""

    quadratic = True
    has_predictions = True
    linear_model = True
    random_init = slice(0, -1)

    def __init__(self, data, loss: str = "mse", mode: str = "features"):
        self.scaling = Scaling.fit(data, mode)
        self.inner = LinearRegression(self.scaling.apply(data), loss)
        self.data, self.n, self.loss = data, data.n, self.inner.loss
        self.original_names = self.inner.names
        self.names = tuple(f"{name}_z" for name in self.original_names)
        self.label = data.name

    @property
    def spec(self) -> dict:
        return {**self.inner.spec, "standardize": self.scaling.mode}

    def config(self) -> dict:
        return {**self.inner.config(), "standardize": self.scaling.mode}

    @property
    def optimum(self):
        return self.inner.optimum

    @property
    def hessian(self):
        return self.inner.hessian

    def value(self, theta):
        return self.inner.value(theta)

    def gradient(self, theta):
        return self.inner.gradient(theta)

    def full_batch_stepper(self):
        return self.inner.full_batch_stepper()

    def batch_value_and_gradient(self, theta, rows):
        return self.inner.batch_value_and_gradient(theta, rows)

    def predict(self, theta, X):
        return self.scaling.predict(theta, X)
