"""The protocol every objective implements: what training and the views may ask of it.

An objective is a function J of a parameter vector theta (P numbers, named by
``names``) that gradient descent minimises. It always knows its value on the full
data (vectorised, so views can evaluate it over a grid) and its full gradient.
Objectives built on data also give the loss and gradient of a batch of rows and
predictions for fit panels; those that know where their minima lie say so.

The trainer talks only to this protocol, so a new model (a sigmoid unit, a small
network) is a new subclass, and ``train.py`` does not change.
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from ..errors import ConfigError

INIT_SCHEMES = ("zeros", "ones", "uniform", "normal", "truncated-normal")


class Objective:
    """Defaults for an objective without data, minima, window or fast path.

    Attributes a subclass sets:
        names: parameter names, e.g. ('w', 'b') or ('x', 'y').
        label: short text for legends, titles and manifests.
        data: the Dataset of a data objective, else None.
        n: rows to batch over; None means no data (every step uses the full gradient).
        optimum: the best known point (the global minimum), or None.
        minima: (m, P) every known minimum; may have no rows.
        window: ((lo, hi), ...) a plotting window, one pair per parameter, or None.
        gradient_kind: "exact", or "numeric" for finite differences.
        bound: a run stops cleanly once max |theta_i| exceeds this (for functions
            without a minimum), or None.
        quadratic: J is a quadratic in theta (contours spaced for paraboloids suit it).
        has_predictions: ``predict`` works, so fit panels can be drawn.
        linear_model: the predictions are a linear function of the inputs (a fit panel
            says "Linear fit").
        random_init: the parameters an init scheme draws (a slice or an index array); the others start at 0.
        default_start: where a run starts when neither init nor start is given, or None (zeros).
        hessian: J's Hessian when it is a known constant (J quadratic), else None; learning-rate
            guidance and convergence estimates use it (``gdanim.guidance``).
        scaling: a ``gdanim.scaling.Scaling`` when the parameters live in standardized units,
            else None; it carries them to the data's own units.
    """

    names: tuple[str, ...] = ()
    label: str = ""
    data = None
    n: int | None = None
    optimum: np.ndarray | None = None
    window: tuple[tuple[float, float], ...] | None = None
    gradient_kind = "exact"
    bound: float | None = None
    quadratic = False
    has_predictions = False
    linear_model = False
    random_init = slice(None)
    default_start: tuple[float, ...] | None = None
    hessian: np.ndarray | None = None
    scaling = None

    @property
    def minima(self) -> np.ndarray:
        if self.optimum is None:
            return np.empty((0, len(self.names)))
        return np.asarray(self.optimum, float).reshape(1, -1)

    @property
    def spec(self) -> dict:
        """A JSON-able description; ``make_objective(spec)`` rebuilds the objective."""
        raise NotImplementedError

    @property
    def optimum_value(self) -> float | None:
        return None if self.optimum is None else float(self.value(self.optimum))

    def value(self, theta: np.ndarray) -> np.ndarray:
        """J at theta of shape (..., P); returns shape (...)."""
        raise NotImplementedError

    def gradient(self, theta: np.ndarray) -> np.ndarray:
        """dJ/dtheta at one theta of shape (P,)."""
        raise NotImplementedError

    def batch_value_and_gradient(self, theta: np.ndarray, rows) -> tuple[float, np.ndarray]:
        """(J, dJ/dtheta) on the rows ``rows`` (an index array or a slice); data objectives only."""
        raise ConfigError(f"{self.label} has no data to draw batches from")

    def full_batch_stepper(self) -> Callable[[np.ndarray], np.ndarray] | None:
        """An optional faster ``gradient`` for the trainer's inner loop, or None."""
        return None

    def predict(self, theta: np.ndarray, X: np.ndarray) -> np.ndarray:
        raise ConfigError(f"{self.label} makes no predictions")

    def graph(self):
        """The computation graph step-by-step views draw (``graph.Graph``), or None when
        the model has none; then ``step_values`` is not implemented either."""
        return None

    def step_values(self, theta: np.ndarray, rows, recorded=None):
        """Every number of one step at theta on the batch ``rows`` (``graph.StepValues``).

        recorded: the (batch loss, gradient) a History recorded for this step; when
        given, they are the numbers shown, instead of computing them again.
        """
        raise ConfigError(f"{self.label} has no computation graph to walk through")

    def config(self) -> dict:
        """What a run's config records about its objective."""
        return {"objective": self.spec, "gradient": self.gradient_kind}

    def read_init(self, init, what: str = "init"):
        """init in a form only this objective knows (a file, named arrays) turned into one the
        trainer reads (values, a mapping of names); anything else returned as it is."""
        return init

    def initial_params(self, scheme: str, rng: np.random.Generator) -> np.ndarray:
        """theta from an init scheme: ``random_init`` drawn (or set to 1 by ``ones``), the rest 0."""
        p = len(self.names)
        theta = np.zeros(p)
        count = theta[self.random_init].size  # random_init may be a slice or an index array
        if scheme == "ones":
            theta[self.random_init] = 1.0
        elif scheme == "uniform":
            theta[self.random_init] = rng.uniform(-1.0, 1.0, count)
        elif scheme == "normal":
            theta[self.random_init] = rng.standard_normal(count)
        elif scheme == "truncated-normal":
            draws = rng.standard_normal(4 * p)  # redraw outside two standard deviations
            theta[self.random_init] = draws[np.abs(draws) <= 2.0][:count]
        elif scheme != "zeros":
            example = ",".join(f"{name}={v}" for name, v in zip(self.names[:2], (1, 0)))
            raise ConfigError(f"unknown init {scheme!r}; choose one of: {', '.join(INIT_SCHEMES)}, or values like {example}")
        return theta


def central_differences(f: Callable[[np.ndarray], float], theta: np.ndarray) -> np.ndarray:
    """dJ/dtheta_i ~ (f(theta + h e_i) - f(theta - h e_i)) / 2h, h = cbrt(eps) max(1, |theta_i|)."""
    theta = np.asarray(theta, float)
    grad = np.empty_like(theta)
    for i in range(theta.size):
        h = np.cbrt(np.finfo(float).eps) * max(1.0, abs(theta[i]))
        up, down = theta.copy(), theta.copy()
        up[i] += h
        down[i] -= h
        grad[i] = (f(up) - f(down)) / (up[i] - down[i])
    return grad
