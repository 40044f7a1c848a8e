"""``gdanim.objective(f, grad=None, names=..., optimum=None)``: an objective from Python functions.

``f(theta)`` takes one parameter vector (a numpy array of len(names)) and returns J.
``grad(theta)`` returns dJ/dtheta; without it the gradient is central differences
and ``gradient_kind`` is "numeric", which the History's config and the JSON report.
"""
from __future__ import annotations

from typing import Callable, Sequence

import numpy as np

from .. import validate
from ..errors import ConfigError
from .base import Objective, central_differences


class PythonObjective(Objective):
    """J and (optionally) its gradient as Python callables of one parameter vector."""

    def __init__(self, f: Callable, grad: Callable | None, names: Sequence[str], optimum, label: str):
        self.f, self.grad = f, grad
        self.names, self.label = names, label
        self.optimum = optimum
        self.gradient_kind = "exact" if grad is not None else "numeric"

    @property
    def spec(self) -> dict:
        return {"kind": "custom", "label": self.label, "gradient": self.gradient_kind}

    def _call(self, theta) -> float:
        result = self.f(theta)
        try:
            return float(result)
        except (TypeError, ValueError):
            raise ConfigError(f"f= must return one number, got {type(result).__name__}") from None

    def value(self, theta):
        theta = np.asarray(theta, float)
        if theta.ndim == 1:
            return self._call(theta)
        # f takes one point: evaluate a grid point by point
        flat = theta.reshape(-1, theta.shape[-1])
        return np.array([self._call(p) for p in flat]).reshape(theta.shape[:-1])

    def gradient(self, theta):
        theta = np.asarray(theta, float)
        if self.grad is None:
            return central_differences(self._call, theta)
        g = np.asarray(self.grad(theta.copy()), dtype=float).reshape(-1)
        if g.shape != theta.shape:
            raise ConfigError(f"grad= returned {g.size} numbers; it must return one per parameter ({len(self.names)})")
        return g


@validate.keywords
def objective(f: Callable, grad: Callable | None = None, names: Sequence[str] = ("x", "y"), optimum=None) -> Objective:
    """An objective to train, animate and race, from J = f(theta) and optionally its gradient.

    f: theta (a 1-D numpy array, one value per name) -> J.
    grad: theta -> dJ/dtheta. Without it, central finite differences (marked "numeric").
    names: the parameters' names, in theta's order (default x, y).
    optimum: the minimiser if known (drawn as a star, used for J - J*).
    """
    if not callable(f):
        raise ConfigError(f"f= must be a function of the parameter vector, got {type(f).__name__}")
    if grad is not None and not callable(grad):
        raise ConfigError(f"grad= must be a function of the parameter vector, got {type(grad).__name__}")
    names = (names,) if isinstance(names, str) else tuple(str(n) for n in names)
    if not names or len(set(names)) != len(names):
        raise ConfigError(f"names= must give one or more different names, got {list(names)}")
    if optimum is not None:
        try:
            optimum = np.array(optimum, dtype=float).reshape(-1)
        except (TypeError, ValueError):
            raise ConfigError(f"optimum= must be {len(names)} numbers, got {optimum!r}") from None
        if optimum.shape != (len(names),) or not np.isfinite(optimum).all():
            raise ConfigError(f"optimum= must be {len(names)} finite numbers ({', '.join(names)})")
    label = getattr(f, "__name__", "f")
    return PythonObjective(f, grad, names, optimum, "f" if label == "<lambda>" else label)
