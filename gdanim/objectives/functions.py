"""Built-in 2-D test functions of (x, y), each beside its exact gradient.

=============  ==========================================  =====================  ==================
name           J(x, y)                                     minima                 window
=============  ==========================================  =====================  ==================
rosenbrock     (1 - x)^2 + 100 (y - x^2)^2                 (1, 1)                 [-2, 2] x [-1, 3]
beale          (1.5 - x + xy)^2 + (2.25 - x + xy^2)^2      (3, 0.5)               [-4.5, 4.5]^2
               + (2.625 - x + xy^3)^2
himmelblau     (x^2 + y - 11)^2 + (x + y^2 - 7)^2          four, all J = 0        [-5, 5]^2
booth          (x + 2y - 7)^2 + (2x + y - 5)^2             (1, 3)                 [-10, 10]^2
rastrigin      20 + sum(t^2 - 10 cos(2 pi t)), t = x, y    (0, 0)                 [-5.12, 5.12]^2
saddle         x^2 - y^2                                   none: runs stop at     [-2, 2]^2
                                                           max(|x|, |y|) > 2
bowl           (u^2 + K v^2) / 2, (u, v) = (x, y) turned   (0, 0)                 [-2, 2]^2
               by -angle: Hessian eigenvalues 1 and K
=============  ==========================================  =====================  ==================

``bowl:kappa=K,angle=DEG`` has condition number K; gd at lr 2 / (1 + K) shrinks the
distance to the minimum by exactly (K - 1) / (K + 1) a step. ``booth`` and ``bowl`` are
quadratics, so they carry their constant Hessian (learning-rate guidance, exact
convergence estimates): booth's is [[10, 8], [8, 10]], bowl's R^T diag(1, K) R with R
the rotation that gives (u, v).
"""
from __future__ import annotations

import math
from typing import Callable, NamedTuple

import numpy as np

from ..errors import ConfigError
from .base import Objective


def rosenbrock(x, y):
    """J = (1 - x)^2 + 100 (y - x^2)^2;  dJ/dx = -2 (1 - x) - 400 x (y - x^2),  dJ/dy = 200 (y - x^2)."""
    return (1 - x) ** 2 + 100 * (y - x * x) ** 2, (-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x))


def beale(x, y):
    """J = t1^2 + t2^2 + t3^2, t_i = c_i - x + x y^i, c = (1.5, 2.25, 2.625);
    dJ/dx = sum 2 t_i (y^i - 1),  dJ/dy = sum 2 t_i i x y^(i-1)."""
    t1, t2, t3 = 1.5 - x + x * y, 2.25 - x + x * y**2, 2.625 - x + x * y**3
    dx = 2 * t1 * (y - 1) + 2 * t2 * (y**2 - 1) + 2 * t3 * (y**3 - 1)
    dy = 2 * t1 * x + 4 * t2 * x * y + 6 * t3 * x * y**2
    return t1**2 + t2**2 + t3**2, (dx, dy)


def himmelblau(x, y):
    """J = a^2 + b^2, a = x^2 + y - 11, b = x + y^2 - 7;  dJ/dx = 4 a x + 2 b,  dJ/dy = 2 a + 4 b y."""
    a, b = x * x + y - 11, x + y * y - 7
    return a * a + b * b, (4 * a * x + 2 * b, 2 * a + 4 * b * y)


def booth(x, y):
    """J = a^2 + b^2, a = x + 2y - 7, b = 2x + y - 5;  dJ/dx = 2a + 4b,  dJ/dy = 4a + 2b."""
    a, b = x + 2 * y - 7, 2 * x + y - 5
    return a * a + b * b, (2 * a + 4 * b, 4 * a + 2 * b)


def rastrigin(x, y):
    """J = 20 + sum(t^2 - 10 cos(2 pi t));  dJ/dt = 2 t + 20 pi sin(2 pi t)."""
    tau = 2 * np.pi
    value = 20 + x * x - 10 * np.cos(tau * x) + y * y - 10 * np.cos(tau * y)
    return value, (2 * x + 10 * tau * np.sin(tau * x), 2 * y + 10 * tau * np.sin(tau * y))


def saddle(x, y):
    """J = x^2 - y^2;  dJ/dx = 2x,  dJ/dy = -2y."""
    return x * x - y * y, (2 * x, -2 * y)


def make_bowl(kappa: float, angle: float):
    """J = (u^2 + K v^2) / 2 with u = c x + s y, v = -s x + c y (c, s = cos, sin of angle);
    dJ/dx = c u - s K v,  dJ/dy = s u + c K v."""
    c, s = math.cos(math.radians(angle)), math.sin(math.radians(angle))

    def bowl(x, y):
        u, v = c * x + s * y, -s * x + c * y
        return (u * u + kappa * v * v) / 2, (c * u - s * kappa * v, s * u + c * kappa * v)

    return bowl


def bowl_hessian(kappa: float, angle: float) -> np.ndarray:
    """d2J/dtheta2 = R^T diag(1, K) R, R = [[c, s], [-s, c]] the map (x, y) -> (u, v)."""
    c, s = math.cos(math.radians(angle)), math.sin(math.radians(angle))
    rotation = np.array([[c, s], [-s, c]])
    return rotation.T @ np.diag([1.0, kappa]) @ rotation


#: booth's J = a^2 + b^2 with a = x + 2y - 7, b = 2x + y - 5: H = 2 A^T A, A = [[1, 2], [2, 1]].
BOOTH_HESSIAN = np.array([[10.0, 8.0], [8.0, 10.0]])


# Himmelblau's four minima, to float64 precision (Newton's method on the gradient).
HIMMELBLAU_MINIMA = (
    (3.0, 2.0),
    (-2.805118086952745, 3.131312518250573),
    (-3.779310253377747, -3.283185991286169),
    (3.5844283403304917, -1.8481265269644036),
)


class Entry(NamedTuple):
    formula: Callable
    minima: tuple
    window: tuple
    start: tuple
    bound: float | None = None


FUNCTIONS = {
    "rosenbrock": Entry(rosenbrock, ((1.0, 1.0),), ((-2.0, 2.0), (-1.0, 3.0)), (-1.2, 1.0)),
    "beale": Entry(beale, ((3.0, 0.5),), ((-4.5, 4.5), (-4.5, 4.5)), (1.0, 1.5)),
    "himmelblau": Entry(himmelblau, HIMMELBLAU_MINIMA, ((-5.0, 5.0), (-5.0, 5.0)), (0.0, 0.0)),
    "booth": Entry(booth, ((1.0, 3.0),), ((-10.0, 10.0), (-10.0, 10.0)), (-8.0, 8.0)),
    "rastrigin": Entry(rastrigin, ((0.0, 0.0),), ((-5.12, 5.12), (-5.12, 5.12)), (2.2, 3.4)),
    "saddle": Entry(saddle, (), ((-2.0, 2.0), (-2.0, 2.0)), (1.5, 0.01), bound=2.0),
}
BOWL_OPTIONS = {"kappa": 10.0, "angle": 0.0}


class Function2D(Objective):
    """A built-in function of (x, y); ``text`` is its spec, e.g. 'bowl:kappa=10,angle=30'."""

    names = ("x", "y")

    def __init__(self, text: str, formula: Callable, minima, window, start, bound=None, quadratic=False,
                 hessian=None):
        self.label = self.text = text
        self.formula, self.hessian = formula, hessian
        self._minima = np.array(minima, float).reshape(-1, 2)
        self.optimum = self._minima[0] if len(self._minima) else None
        self.window, self.default_start, self.bound, self.quadratic = window, start, bound, quadratic

    @property
    def minima(self):
        return self._minima

    @property
    def spec(self) -> dict:
        return {"kind": "function", "text": self.text}

    def value(self, theta):
        theta = np.asarray(theta, float)
        return self.formula(theta[..., 0], theta[..., 1])[0]

    def gradient(self, theta):
        theta = np.asarray(theta, float)
        return np.array(self.formula(theta[0], theta[1])[1], dtype=float)


def make_function(name: str, options: dict[str, str], what: str = "objective") -> Function2D:
    """A built-in function by name; only ``bowl`` takes options (kappa, angle)."""
    if name == "bowl":
        values = dict(BOWL_OPTIONS)
        for key, text in options.items():
            if key not in values:
                raise ConfigError(f"{what}: bowl has no option {key!r} (its options: kappa, angle)")
            try:
                values[key] = float(text)
            except ValueError:
                raise ConfigError(f"{what}: bowl {key} must be a number, got {text!r}") from None
        kappa, angle = values["kappa"], values["angle"]
        if not (math.isfinite(kappa) and kappa >= 1):
            raise ConfigError(f"{what}: bowl kappa (the condition number) must be a finite number >= 1, got {kappa:g}")
        if not math.isfinite(angle):
            raise ConfigError(f"{what}: bowl angle must be a finite number of degrees, got {angle:g}")
        text = f"bowl:kappa={kappa:g},angle={angle:g}"
        return Function2D(text, make_bowl(kappa, angle), ((0.0, 0.0),), ((-2.0, 2.0), (-2.0, 2.0)), (-1.8, 1.2),
                          quadratic=True, hessian=bowl_hessian(kappa, angle))
    if options:
        raise ConfigError(f"{what}: {name} takes no options, got {', '.join(options)}")
    entry = FUNCTIONS[name]
    hessian = BOOTH_HESSIAN.copy() if name == "booth" else None
    return Function2D(name, entry.formula, entry.minima, entry.window, entry.start, entry.bound, hessian=hessian)
