"""Optimisers as small ``(init, update)`` pairs over numpy arrays, in the optax style.

A transformation turns a gradient ``g`` into an update ``u``; the trainer then sets
``theta <- theta + u``. The named optimisers are chains of a few transformations,
so adding one is a few lines. ``lr`` is the learning rate throughout: a number, or a
schedule (``gdanim.schedules``), a function of the step t = 0, 1, ... that the
optimiser's state counts, as in optax.

==========  ===========================================================  ================
name        update (state starts at zero, t counts steps from 1)         defaults
==========  ===========================================================  ================
gd, sgd     u = -lr g                                                    --
momentum    v = beta v + g;  u = -lr v                                   beta 0.9
nesterov    v = beta v + g;  u = -lr (g + beta v)                        beta 0.9
adagrad     a = a + g^2;  u = -lr g / (sqrt(a) + eps)                    eps 1e-10
rmsprop     s = rho s + (1 - rho) g^2;  u = -lr g / (sqrt(s) + eps)      rho 0.9, eps 1e-8
adam        m = b1 m + (1 - b1) g;  s = b2 s + (1 - b2) g^2;             b1 0.9, b2 0.999,
            u = -lr (m / (1 - b1^t)) / (sqrt(s / (1 - b2^t)) + eps)      eps 1e-8
==========  ===========================================================  ================

momentum is the heavy-ball form used by optax and PyTorch (with lr folded in after
the trace, which is the same trajectory as ``v = beta v - lr g`` for a constant lr);
nesterov is PyTorch's ``nesterov=True`` form.
"""
from __future__ import annotations

import inspect
from typing import Any, Callable, NamedTuple

import numpy as np

from .errors import ConfigError


class Transform(NamedTuple):
    init: Callable[[np.ndarray], Any]
    update: Callable[[np.ndarray, Any], tuple[np.ndarray, Any]]


def scale(factor: float) -> Transform:
    """u = factor * g."""
    return Transform(lambda params: (), lambda g, state: (factor * g, state))


def scale_by_schedule(schedule: Callable[[int], float]) -> Transform:
    """u = -schedule(t) g, t counting this transformation's updates from 0."""

    def update(g, t):
        return -schedule(t) * g, t + 1

    return Transform(lambda params: 0, update)


def scale_by_lr(lr) -> Transform:
    """u = -lr g for a number, -lr(t) g for a schedule."""
    return scale_by_schedule(lr) if callable(lr) else scale(-lr)


def trace(beta: float, nesterov: bool = False) -> Transform:
    """v = beta v + g; u = v, or g + beta v for Nesterov."""

    def update(g, velocity):
        velocity = beta * velocity + g
        return (g + beta * velocity if nesterov else velocity), velocity

    return Transform(np.zeros_like, update)


def scale_by_adagrad(eps: float) -> Transform:
    """a = a + g^2; u = g / (sqrt(a) + eps)."""

    def update(g, accumulated):
        accumulated = accumulated + g * g
        return g / (np.sqrt(accumulated) + eps), accumulated

    return Transform(np.zeros_like, update)


def scale_by_rms(rho: float, eps: float) -> Transform:
    """s = rho s + (1 - rho) g^2; u = g / (sqrt(s) + eps)."""

    def update(g, mean_square):
        mean_square = rho * mean_square + (1.0 - rho) * g * g
        return g / (np.sqrt(mean_square) + eps), mean_square

    return Transform(np.zeros_like, update)


def scale_by_adam(b1: float, b2: float, eps: float) -> Transform:
    """Bias-corrected first and second moments: u = m_hat / (sqrt(s_hat) + eps)."""

    def init(params):
        return 0, np.zeros_like(params), np.zeros_like(params)

    def update(g, state):
        t, m, s = state
        t += 1
        m = b1 * m + (1.0 - b1) * g
        s = b2 * s + (1.0 - b2) * g * g
        m_hat = m / (1.0 - b1**t)
        s_hat = s / (1.0 - b2**t)
        return m_hat / (np.sqrt(s_hat) + eps), (t, m, s)

    return Transform(init, update)


def chain(*transforms: Transform) -> Transform:
    """Apply transformations in order, each to the previous one's output."""

    def init(params):
        return tuple(t.init(params) for t in transforms)

    def update(g, states):
        new_states = []
        for t, state in zip(transforms, states):
            g, state = t.update(g, state)
            new_states.append(state)
        return g, tuple(new_states)

    return Transform(init, update)


def sgd(lr) -> Transform:
    return scale_by_lr(lr)


def momentum(lr, beta: float = 0.9) -> Transform:
    return chain(trace(beta), scale_by_lr(lr))


def nesterov(lr, beta: float = 0.9) -> Transform:
    return chain(trace(beta, nesterov=True), scale_by_lr(lr))


def adagrad(lr, eps: float = 1e-10) -> Transform:
    return chain(scale_by_adagrad(eps), scale_by_lr(lr))


def rmsprop(lr, rho: float = 0.9, eps: float = 1e-8) -> Transform:
    return chain(scale_by_rms(rho, eps), scale_by_lr(lr))


def adam(lr, b1: float = 0.9, b2: float = 0.999, eps: float = 1e-8) -> Transform:
    return chain(scale_by_adam(b1, b2, eps), scale_by_lr(lr))


# gd and sgd share an update; they differ in how the trainer batches the data.
OPTIMIZERS: dict[str, Callable[..., Transform]] = {
    "gd": sgd,
    "sgd": sgd,
    "momentum": momentum,
    "nesterov": nesterov,
    "adagrad": adagrad,
    "rmsprop": rmsprop,
    "adam": adam,
}


def named_state(name: str, state) -> dict[str, np.ndarray]:
    """An optimiser's state by the names in the table above (v, a, s, m), from ``make(name, ...)``'s state."""
    if name in ("momentum", "nesterov"):
        return {"v": state[0]}
    if name == "adagrad":
        return {"a": state[0]}
    if name == "rmsprop":
        return {"s": state[0]}
    if name == "adam":
        return {"m": state[0][1], "s": state[0][2]}
    return {}


def make(name: str, lr, **options: float) -> Transform:
    """Build a named optimiser (lr a number or a schedule), checking its options against its signature."""
    try:
        factory = OPTIMIZERS[name]
    except KeyError:
        raise ConfigError(f"unknown optimizer {name!r}; choose one of: {', '.join(OPTIMIZERS)}") from None
    accepted = set(inspect.signature(factory).parameters) - {"lr"}
    unknown = set(options) - accepted
    if unknown:
        valid = ", ".join(sorted(accepted)) or "none"
        raise ConfigError(f"optimizer {name!r} has no option {sorted(unknown)[0]!r} (its options: {valid})")
    return factory(lr, **options)


def defaults(name: str) -> dict[str, float]:
    """The optimiser's hyper-parameters other than lr, with their default values."""
    params = inspect.signature(OPTIMIZERS[name]).parameters
    return {k: p.default for k, p in params.items() if k != "lr"}
