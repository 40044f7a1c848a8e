"""The trainer's options, read and checked: start point, batches, run length, stop rule.

Each helper turns one keyword of ``train`` into what the loop needs, or refuses it
with one line.
"""
from __future__ import annotations

import math
import numbers
from dataclasses import dataclass
from typing import Mapping

import numpy as np

from .errors import ConfigError
from .objectives import INIT_SCHEMES

DEFAULT_EPOCHS = 100


def initial_params(objective, init, rng: np.random.Generator, what: str = "init") -> np.ndarray:
    """Initial theta from a scheme name, "w=3,b=-1", "-1.2,1", a mapping or a sequence."""
    names = objective.names
    p = len(names)
    init = objective.read_init(init, what)
    if isinstance(init, str) and "=" in init:
        init = parse_assignments(init)
    elif isinstance(init, str) and init.strip() not in INIT_SCHEMES:
        try:
            init = [float(v) for v in init.split(",")]
        except ValueError:
            return objective.initial_params(init, rng)  # refuses the unknown scheme, naming the known ones
    if isinstance(init, str):
        return objective.initial_params(init.strip(), rng)
    if isinstance(init, Mapping):
        unknown = sorted(set(init) - set(names))
        missing = [name for name in names if name not in init]
        if unknown or missing:
            problem = f"unknown parameter {unknown[0]!r}" if unknown else f"missing {', '.join(missing)}"
            raise ConfigError(f"{what}: {problem}; this model's parameters are {', '.join(names)}")
        init = [init[name] for name in names]
    try:
        theta = np.array(init, dtype=float).reshape(-1)
    except (TypeError, ValueError):
        raise ConfigError(f"{what}: expected {p} numbers ({', '.join(names)}), got {init!r}") from None
    if theta.shape != (p,):
        raise ConfigError(f"{what}: expected {p} value{'s' * (p != 1)} ({', '.join(names)}), got {theta.size}")
    if not np.isfinite(theta).all():
        raise ConfigError(f"{what}: values must be finite")
    return theta


def split_items(text: str) -> list[str]:
    """'W1[0,0]=1,b=2' -> ['W1[0,0]=1', 'b=2']: commas inside brackets belong to a name."""
    items, depth, start = [], 0, 0
    for i, char in enumerate(text):
        depth += {"[": 1, "]": -1}.get(char, 0)
        if char == "," and depth == 0:
            items.append(text[start:i])
            start = i + 1
    return items + [text[start:]]


def parse_assignments(text: str) -> dict[str, float]:
    """'w=3,b=-1' -> {'w': 3.0, 'b': -1.0}; 'W1[0,0]=0.4,W2[0,0]=0.1' as well."""
    values = {}
    for item in split_items(text):
        name, sep, value = item.partition("=")
        try:
            if not sep:
                raise ValueError
            values[name.strip()] = float(value)
        except ValueError:
            raise ConfigError(f"cannot read {item.strip()!r} in {text!r}; write name=value pairs like w=3,b=-1") from None
    return values


def count(what: str, value) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value <= 0:
        raise ConfigError(f"{what} must be a positive whole number, got {value!r}")
    return int(value)


def batch_size_for(optimizer: str, batch_size, n: int | None) -> int | None:
    """Rows per step: all of them unless sgd (default 1) or batch_size says otherwise."""
    if n is None:
        if batch_size is not None:
            raise ConfigError("batch size applies to objectives with data; this objective takes a full step every time")
        return None
    if batch_size is None:
        return 1 if optimizer == "sgd" else n
    batch = count("batch size", batch_size)
    if batch > n:
        raise ConfigError(f"batch size {batch} is larger than the data ({n} rows)")
    if optimizer == "gd" and batch != n:
        raise ConfigError("gd is full-batch; use --optimizer sgd for mini-batches")
    return batch


def run_length(epochs, steps, per_epoch: int) -> int:
    if epochs is not None and steps is not None:
        raise ConfigError("give --epochs or --steps, not both")
    if steps is not None:
        return count("steps", steps)
    return count("epochs", DEFAULT_EPOCHS if epochs is None else epochs) * per_epoch


def batch_generator(seed: int) -> np.random.Generator:
    """The generator ``train`` draws batches from: the second of two streams spawned from
    ``seed`` (the first draws the init scheme). Replaying a run's batches starts here."""
    return np.random.default_rng(np.random.SeedSequence(seed).spawn(2)[1])


def batch_rows(n: int, batch: int, order: str, per_epoch: int, rng: np.random.Generator):
    """rows(step): the rows of step's batch, drawn as ``order`` says; an epoch is ceil(n / batch) steps.

    Call it for steps 0, 1, 2, ... in turn: shuffle and sample draw from ``rng`` as epochs begin.
    """
    sampled: dict[int, np.ndarray] = {}
    permutation = [np.arange(n)]

    def rows(step):
        epoch, i = divmod(step, per_epoch)
        if order == "sample":
            if epoch not in sampled:
                sampled.clear()
                sampled[epoch] = rng.integers(0, n, size=(per_epoch, batch))
            return sampled[epoch][i]
        lo = i * batch
        if order == "shuffle":
            if i == 0:
                permutation[0] = rng.permutation(n)
            return permutation[0][lo : lo + batch]
        return slice(lo, lo + batch)

    return rows


@dataclass(frozen=True)
class StopRule:
    """When a run ends before its last step: J - J* <= tol, |grad| <= tol, or beyond a bound."""

    kind: str | None  # None, "J" or "grad"
    tol: float = 0.0
    offset: float = 0.0  # J*, when the objective knows it
    label: str = ""

    @classmethod
    def parse(cls, stop_at, objective) -> "StopRule":
        if stop_at is None:
            return cls(None)
        kind, text = "J", stop_at
        if isinstance(stop_at, str) and ":" in stop_at:
            kind, _, text = (part.strip() for part in stop_at.partition(":"))
        try:
            if kind not in ("J", "grad") or isinstance(text, bool):
                raise ValueError
            tol = float(text)
        except (TypeError, ValueError):
            raise ConfigError(f"cannot read stop_at {stop_at!r}; give a tolerance on J like 1e-6, or grad:1e-6") from None
        if not (math.isfinite(tol) and tol >= 0):
            raise ConfigError(f"stop_at: the tolerance must be a finite number >= 0, got {text}")
        optimum_value = objective.optimum_value if kind == "J" else None
        return cls(kind, tol, optimum_value or 0.0, f"{kind}:{tol:g}")

    @property
    def on_J(self) -> bool:
        return self.kind == "J"

    def reached_J(self, J: np.ndarray) -> np.ndarray:
        return J - self.offset <= self.tol

    def first_stop(self, first: int, params, J, grads, bound) -> tuple[float, str | None]:
        """(record, reason) of the earliest stop in a block: params and J hold records
        first+1.., grads the gradients taken at records first..; (inf, None) if none."""
        found = []
        if bound is not None:
            found.append((np.abs(params).max(axis=1) > bound, first + 1, "bound"))
        if self.kind == "J":
            found.append((self.reached_J(J), first + 1, "stop_at"))
        elif self.kind == "grad":
            found.append((np.sqrt((grads * grads).sum(axis=1)) <= self.tol, first, "stop_at"))
        stops = [(offset + int(np.argmax(mask)), reason) for mask, offset, reason in found if mask.any()]
        return min(stops, default=(math.inf, None))
