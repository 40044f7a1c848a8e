"""Learning-rate schedules: the learning rate as a function of the step, optax style.

Step t counts updates from 0 (the update from record t to record t+1 uses lr(t)).
Every schedule starts at the run's ``lr``:

=======================  =================================================  =====================
spec                     lr(t)                                              note
=======================  =================================================  =====================
constant                 lr                                                 the default
step:every=N,factor=F    lr * F ** floor(t / N)                             F = 0.5 halves it
exp:GAMMA                lr * GAMMA ** t                                    exponential decay
cosine:steps=N,min=LR    LR + (lr - LR) (1 + cos(pi min(t, N) / N)) / 2     reaches LR at step N
inverse:DECAY            lr / (1 + DECAY t)                                 1/t decay
=======================  =================================================  =====================

A run checks its schedule over all its steps before it starts: a learning rate that
becomes zero, negative or not finite is refused with one line.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import numpy as np

from .errors import ConfigError

SCHEDULES = ("constant", "step:every=N,factor=F", "exp:GAMMA", "cosine:steps=N,min=LR", "inverse:DECAY")


@dataclass(frozen=True)
class Schedule:
    """lr(t) for step t (an int or an array of them); ``label`` is the spec it came from."""

    label: str
    initial: float
    rate: Callable[[np.ndarray], np.ndarray]

    def __call__(self, t):
        return self.rate(t)


def constant(lr: float) -> Schedule:
    """lr(t) = lr."""
    return Schedule("constant", lr, lambda t: lr + 0.0 * np.asarray(t, float))


def step(lr: float, every: int, factor: float) -> Schedule:
    """lr(t) = lr * factor ** floor(t / every)."""
    return Schedule(f"step:every={every},factor={factor:g}", lr, lambda t: lr * factor ** (np.asarray(t) // every))


def exponential(lr: float, gamma: float) -> Schedule:
    """lr(t) = lr * gamma ** t."""
    return Schedule(f"exp:{gamma:g}", lr, lambda t: lr * gamma ** np.asarray(t, float))


def cosine(lr: float, steps: int, minimum: float = 0.0) -> Schedule:
    """lr(t) = minimum + (lr - minimum) (1 + cos(pi min(t, steps) / steps)) / 2."""

    def rate(t):
        done = np.minimum(np.asarray(t, float), steps) / steps
        return minimum + (lr - minimum) * (1 + np.cos(np.pi * done)) / 2

    return Schedule(f"cosine:steps={steps},min={minimum:g}", lr, rate)


def inverse(lr: float, decay: float) -> Schedule:
    """lr(t) = lr / (1 + decay t)."""
    return Schedule(f"inverse:{decay:g}", lr, lambda t: lr / (1 + decay * np.asarray(t, float)))


def make(spec, lr: float, what: str = "schedule") -> Schedule:
    """A Schedule from a spec string (see the table), starting at ``lr``."""
    if isinstance(spec, Schedule):
        return spec
    if not isinstance(spec, str):
        raise ConfigError(f"{what} must be a schedule spec like exp:0.99, got {spec!r}")
    name, _, rest = spec.strip().partition(":")
    if name == "constant" and not rest:
        return constant(lr)
    if name in ("exp", "inverse") and rest:
        value = _number(what, spec, rest)
        return exponential(lr, value) if name == "exp" else inverse(lr, value)
    if name in ("step", "cosine") and rest:
        options = {}
        for item in rest.split(","):
            key, eq, value = item.partition("=")
            options[key.strip()] = _number(what, spec, value) if eq else None
        wanted = {"step": ("every", "factor"), "cosine": ("steps", "min")}[name]
        if set(options) - set(wanted) or None in options.values() or wanted[0] not in options:
            raise ConfigError(f"cannot read {what} {spec!r}; write {SCHEDULES[1] if name == 'step' else SCHEDULES[3]}")
        count = options[wanted[0]]
        if not (count >= 1 and count == int(count)):
            raise ConfigError(f"{what} {spec!r}: {wanted[0]} must be a whole number >= 1")
        if name == "step":
            return step(lr, int(count), options.get("factor", 0.1))
        return cosine(lr, int(count), options.get("min", 0.0))
    raise ConfigError(f"unknown {what} {spec!r}; choose one of: {', '.join(SCHEDULES)}")


def _number(what: str, spec: str, text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise ConfigError(f"cannot read {text.strip()!r} in {what} {spec!r}: not a number") from None
    if not math.isfinite(value):
        raise ConfigError(f"{what} {spec!r}: {text.strip()} is not a finite number")
    return value


def rates(schedule: Schedule, steps: int, what: str = "schedule") -> np.ndarray:
    """lr(0..steps-1), refusing a schedule whose learning rate leaves (0, inf) in the run."""
    with np.errstate(all="ignore"):
        values = np.asarray(schedule(np.arange(steps)), float)
    bad = ~(np.isfinite(values) & (values > 0))
    if bad.any():
        t = int(np.argmax(bad))
        raise ConfigError(
            f"{what} {schedule.label!r} gives learning rate {values[t]:g} at step {t}; "
            "the learning rate must stay positive and finite for the whole run"
        )
    return values
