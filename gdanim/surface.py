"""J over a meshgrid of two parameters, the others held fixed.

The objective evaluates the whole grid at once; for linear regression that is closed
form from the sufficient statistics, so a 200 x 200 surface over a million rows costs
the same as over six: no n x grid arrays.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .errors import ConfigError
from .train_options import split_items
from .validate import ParamError


MAX_HELD_SHOWN = 2  # other parameters named, with their values, in a surface's title


@dataclass(frozen=True)
class CostGrid:
    axes: tuple[str, str]
    a: np.ndarray  # (G, G) values of the first parameter
    b: np.ndarray  # (G, G) values of the second parameter
    J: np.ndarray  # (G, G)
    held: dict[str, float]  # values of the other parameters
    held_at: str = "the optimum"  # where they are held

    def held_text(self) -> str:
        """The other parameters for a title, "  (w2 = 0.5)"; past MAX_HELD_SHOWN, how many
        and where they are held (a network's dozens of values would run off the frame)."""
        if not self.held:
            return ""
        if len(self.held) > MAX_HELD_SHOWN:
            return f"  (the other {len(self.held)} held at {self.held_at})"
        return f"  ({', '.join(f'{n} = {v:.3g}' for n, v in self.held.items())})"


def choose_axes(names, axes=None) -> tuple[int, int]:
    """Indices of the two parameters a surface is drawn over."""
    if len(names) < 2:
        raise ConfigError(f"this view draws J over two parameters; this objective has {len(names)} ({', '.join(names)})")
    example = f"{names[0]},{names[-1]}"  # the last is the bias b of linear models
    if axes is None:
        if len(names) > 2:
            raise ParamError("axes", lambda w: (
                f"this model has {len(names)} parameters ({', '.join(names)}); pick two with {w.name}, e.g. {w.given(example)}"
            ))
        return 0, 1
    if isinstance(axes, str):
        axes = [a.strip() for a in split_items(axes)]
    axes = list(axes)
    if len(axes) != 2 or axes[0] == axes[1]:
        raise ParamError("axes", lambda w: f"{w.name} needs two different parameter names, e.g. {example}")
    for name in axes:
        if name not in names:
            raise ParamError("axes", lambda w: (
                f"unknown parameter {name!r} in {w.name}; this model's parameters are {', '.join(names)}"
            ))
    return names.index(axes[0]), names.index(axes[1])


def auto_range(values: np.ndarray, optimum: float | None, margin: float = 0.15) -> tuple[float, float]:
    """An interval covering the recorded values and the optimum (if known), with a margin."""
    lo, hi = float(np.min(values)), float(np.max(values))
    if optimum is not None:
        lo, hi = min(lo, optimum), max(hi, optimum)
    pad = margin * (hi - lo) if hi > lo else max(1.0, abs(hi)) * 0.5
    return lo - pad, hi + pad


def descent_ranges(history, pair, last_record):
    """Axis ranges covering the path and the optimum.

    A diverged run's path runs off to huge values; the range then covers only the
    records whose cost stayed within 100x the start, and the path leaves the box.
    """
    shown = history.params[: last_record + 1]
    if history.diverged_at is not None:
        tame = ~(history.J[: last_record + 1] > 100 * max(history.J[0], 1e-12))  # NaN: J not recorded (J_every)
        shown = shown[tame]
    window = None if history.objective is None else history.objective.window
    if window is not None:  # a designed window, widened only if the path leaves it
        return tuple(_widened(window[p], shown[:, p]) for p in pair)
    opt = history.optimum
    return tuple(auto_range(shown[:, p], None if opt is None else opt[p]) for p in pair)


def _widened(window, values, margin: float = 0.05):
    lo, hi = window
    low, high = float(np.min(values)), float(np.max(values))
    pad = margin * (max(hi, high) - min(lo, low))
    return (lo if low >= lo else low - pad), (hi if high <= hi else high + pad)


def cost_grid(history, axes=None, *, resolution: int = 60, ranges=None, path=None) -> CostGrid:
    """J over a resolution x resolution grid of two parameters.

    The other parameters are held at the optimum (where unknown, at the last record).
    ``ranges`` gives ((lo, hi), (lo, hi)); by default they cover ``path`` (the records
    shown, default all) and the optimum.
    """
    i, j = choose_axes(history.names, axes)
    optimum = history.optimum
    centre = history.params[-1] if optimum is None else optimum
    shown = history.params if path is None else path
    if ranges is None:
        ranges = tuple(auto_range(shown[:, p], None if optimum is None else optimum[p]) for p in (i, j))
    a, b = np.meshgrid(np.linspace(*ranges[0], resolution), np.linspace(*ranges[1], resolution))
    theta = np.broadcast_to(centre, a.shape + centre.shape).copy()
    theta[..., i], theta[..., j] = a, b
    held = {name: float(centre[m]) for m, name in enumerate(history.names) if m not in (i, j)}
    return CostGrid((history.names[i], history.names[j]), a, b, history.cost(theta), held,
                    "their final values" if optimum is None else "the optimum")
