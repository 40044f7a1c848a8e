"""One run of a race, as ``--run NAME:option=value,...`` describes it.

``NAME`` is an optimiser (gd, sgd, momentum, nesterov, adagrad, rmsprop, adam). The
options, all optional:

==========  ====================================================  ======================
option      meaning                                               example
==========  ====================================================  ======================
lr          the learning rate (default 0.01, or picked by tune)   lr=0.001
schedule    a learning-rate schedule starting at lr               schedule=exp:0.99
batch       rows per step (data objectives)                       batch=2
order       sequential, shuffle or sample                         order=shuffle
seed        seed of the run's init scheme and batch order         seed=3
start       where the run starts (default: the race's start)      start=-1.2,1
label       the legend text (default: optimiser, lr and options)  label=heavy ball
beta ...    the optimiser's own options (beta, rho, b1, b2, eps)  beta=0.5
==========  ====================================================  ======================

Items are separated by commas. An item without '=' continues the value before it,
so ``start=-1.2,1`` is one start and ``label=a,b`` one label; the schedule's own
options (every, factor, steps, min) continue a ``schedule=`` value, so
``schedule=cosine:steps=500,min=1e-4`` is one schedule.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from . import optim, schedules
from .errors import ConfigError
from .train import ORDERS

RUN_KEYS = ("lr", "schedule", "batch", "order", "seed", "start", "label")
SCHEDULE_KEYS = ("every", "factor", "steps", "min")
_NAME = re.compile(r"[a-z_][a-z0-9_]*\Z")


@dataclass(frozen=True)
class RunSpec:
    """What one run of a race changes; None means the race's (or train's) default."""

    optimizer: str
    lr: float | None = None
    schedule: str | None = None
    options: dict = field(default_factory=dict)  # the optimiser's own: beta, rho, b1, b2, eps
    batch_size: int | None = None
    order: str | None = None
    seed: int | None = None
    start: str | None = None
    label: str | None = None
    text: str = ""  # as the caller wrote it, for messages

    def describe(self, lr: float) -> str:
        """The default legend text: the optimiser, the learning rate and every option given."""
        parts = [self.optimizer, f"lr {lr:.3g}"]
        parts += [f"{key} {value:g}" for key, value in self.options.items()]
        parts += [text for text in (self.schedule,) if text]
        if self.batch_size is not None:
            parts.append(f"batch {self.batch_size}")
        if self.order is not None:
            parts.append(self.order)
        if self.seed is not None:
            parts.append(f"seed {self.seed}")
        if self.start is not None:
            parts.append(f"from ({self.start})")
        return " ".join(parts)


def parse_run(text, what: str = "--run") -> RunSpec:
    """A RunSpec from 'adam:lr=0.05,b1=0.8' (see the module docstring); a RunSpec passes through."""
    if isinstance(text, RunSpec):
        return text
    if not isinstance(text, str):
        raise ConfigError(f"{what} must be text like gd:lr=0.01, got {type(text).__name__}")
    name, colon, rest = text.strip().partition(":")
    name = name.strip()

    def fail(problem: str) -> ConfigError:
        return ConfigError(f"{what} {text!r}: {problem}")

    if name not in optim.OPTIMIZERS:
        raise fail(f"unknown optimizer {name!r}; choose one of: {', '.join(optim.OPTIMIZERS)}")
    values = _items(rest, fail) if colon else {}
    own = [key for key in values if key not in RUN_KEYS]
    try:  # names first: an unknown option is reported as such, whatever its value
        optim.make(name, 1.0, **dict.fromkeys(own, 0.5))
    except ConfigError as exc:
        raise fail(f"{exc}; run options: {', '.join(RUN_KEYS)}") from None
    options = {key: _number(values.pop(key), key, fail) for key in own}
    if "schedule" in values:
        try:
            schedules.make(values["schedule"], 1.0)
        except ConfigError as exc:
            raise fail(str(exc)) from None
    lr = None
    if "lr" in values:
        lr = _number(values["lr"], "lr", fail)
        if not lr > 0:
            raise fail(f"lr must be a positive number, got {values['lr']}")
    order = values.get("order")
    if order is not None and order not in ORDERS:
        raise fail(f"unknown order {order!r}; choose one of: {', '.join(ORDERS)}")
    return RunSpec(
        optimizer=name, lr=lr, schedule=values.get("schedule"), options=options,
        batch_size=_whole(values, "batch", 1, fail), order=order, seed=_whole(values, "seed", 0, fail),
        start=values.get("start"), label=values.get("label"), text=text,
    )


def _items(rest: str, fail) -> dict[str, str]:
    """'lr=0.1,start=-1.2,1' -> {'lr': '0.1', 'start': '-1.2,1'}, continuing values as documented."""
    values: dict[str, str] = {}
    key = None
    for item in rest.split(","):
        name, eq, value = item.partition("=")
        name = name.strip()
        continues_schedule = key == "schedule" and name in SCHEDULE_KEYS
        if not eq or continues_schedule:
            if key is None:
                raise fail(f"cannot read {item.strip()!r}: write option=value items like lr=0.01")
            values[key] += "," + item.strip()
            continue
        if not _NAME.match(name) or not value.strip():
            raise fail(f"cannot read {item.strip()!r}: write option=value items like lr=0.01")
        if name in values:
            raise fail(f"{name} is given twice")
        key, values[key] = name, value.strip()
    return values


def _number(text: str, key: str, fail) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise fail(f"{key} must be a finite number, got {text!r}")
    return value


def _whole(values: dict, key: str, lowest: int, fail) -> int | None:
    if key not in values:
        return None
    text = values[key]
    if not re.fullmatch(r"[0-9]+", text) or int(text) < lowest:
        raise fail(f"{key} must be a whole number >= {lowest}, got {text!r}")
    return int(text)
