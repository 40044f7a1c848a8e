"""Has a run converged, and if not, how far is it and how much longer would it take?

Every objective that knows its optimum gets a verdict: linear regression (closed form),
the built-in functions (their minima), ``gdanim.objective(..., optimum=)``. Objectives
without one (networks, saddle) get none. A run has converged when ``J - J* <= RTOL * J*``:
J within one part in a million of the optimum. Where J* is zero (data on an exact line,
every built-in function) the yardstick is the initial J instead. A run that settled in
another minimum than the optimum (rastrigin's local ones) is not converged, and its J
is not falling. The estimate of the further epochs needed (steps, without data) is

- **exact** for gd with a constant learning rate on an objective whose Hessian is a
  known constant (linear regression, booth, bowl): the error contracts along each
  eigenvector by a known factor per step (``gdanim.guidance``);
- **recent rate** for other deterministic runs (momentum, Adam, schedules, non-quadratic
  J such as rosenbrock): the geometric rate at which J - J* fell over the second half
  of the run, carried on;
- none for stochastic runs, whose J hovers above the optimum at a constant rate, and
  for runs that are not getting closer.
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np

from .guidance import learning_rates

#: Converged: J - J* at most this fraction of J* (of the initial J where J* is zero).
RTOL = 1e-6
#: J* counts as zero below this fraction of the initial J.
ZERO_OPTIMUM = 1e-12


@dataclass(frozen=True)
class Convergence:
    converged: bool
    J: float
    optimum_J: float
    gap: float  # J - J*, never negative
    relative_to: str  # "optimum" (J*) or "initial" (J at record 0, when J* is zero)
    percent: float  # 100 gap / J* (or / initial J)
    tolerance: float  # RTOL
    more_epochs: int | None  # further epochs (steps, without data) to converge at this learning rate, if known
    estimate: str | None  # "exact", "recent rate", or None
    reason: str | None  # why there is no estimate: "stochastic", "unstable", "not falling"

    def as_dict(self) -> dict:
        return asdict(self)


def assess(history) -> Convergence | None:
    """The convergence of a finished run; None when it diverged, its objective's optimum
    is not known, or the numbers give no positive yardstick for the gap (float64's limits)."""
    objective = history.objective
    if objective is None or history.diverged_at is not None or objective.optimum is None:
        return None
    optimum_J, J = float(objective.optimum_value), float(history.J[-1])
    reference, on_optimum = _yardstick(history)
    if not np.isfinite([optimum_J, J, reference, 100.0 * (J - optimum_J) / (reference or 1.0)]).all():
        return None  # data near float64's limits: no verdict rather than an infinite one
    gap = max(J - optimum_J, 0.0)
    target = RTOL * reference
    if target <= 0 < gap:
        return None  # no positive yardstick: J at the start underflows to zero, say
    converged = gap <= target
    more = estimate = reason = None
    if not converged:
        more, estimate, reason = _further_epochs(history, target, optimum_J)
    percent = 100.0 * gap / reference if reference > 0 else 0.0
    return Convergence(converged, J, optimum_J, gap, "optimum" if on_optimum else "initial", percent, RTOL,
                       more, estimate, reason)


def epochs_from_start(history, lr: float) -> int | None:
    """Epochs gd at a constant ``lr`` needs to converge from this run's start (exact); None if never."""
    rates = learning_rates(history.objective)
    error = history.params[0] - history.objective.optimum
    steps = rates.steps_to_reach(error, lr, RTOL * _yardstick(history)[0])
    return steps


def _yardstick(history) -> tuple[float, bool]:
    """(J*, True), or (the initial J, False) where J* is zero."""
    optimum_J, J0 = float(history.objective.optimum_value), float(history.J[0])
    if optimum_J > ZERO_OPTIMUM * J0:
        return optimum_J, True
    return J0, False


def constant_gd(history) -> bool:
    """Full-batch gd with one learning rate throughout: the case guidance describes exactly."""
    config = history.config
    return config.get("optimizer") == "gd" and "schedule" not in config and deterministic(history)


def deterministic(history) -> bool:
    """Every step used the full gradient (no mini-batches, no sampling)."""
    config, n = history.config, getattr(history.objective, "n", None)
    return n is None or (config.get("batch_size") == n and config.get("order") != "sample")


def _further_epochs(history, target: float, optimum_J: float):
    """(epochs, "exact" or "recent rate", None), or (None, None, reason)."""
    if "optimizer" not in history.config:  # a loop gdanim did not run
        return None, None, "not trained by gdanim"
    if not deterministic(history):
        return None, None, "stochastic"
    per_epoch = int(history.config.get("steps_per_epoch", 1))
    rates = learning_rates(history.objective)
    if rates is not None and constant_gd(history):
        lr = float(history.config["lr"])
        steps = rates.steps_to_reach(history.params[-1] - history.objective.optimum, lr, target)
        if steps is None:
            return None, None, "unstable"
        return max(1, math.ceil(steps / per_epoch)), "exact", None
    return _recent_rate(history, target, optimum_J, per_epoch)


def _recent_rate(history, target: float, optimum_J: float, per_epoch: int):
    last = history.steps
    first = last // 2
    gaps = np.asarray(history.J_at([first, last]), float) - optimum_J
    if last < 2 or not (gaps[0] > gaps[1] > 0):
        return None, None, "not falling"
    rate = (gaps[1] / gaps[0]) ** (1.0 / (last - first))  # per step
    if not rate < 1.0:
        return None, None, "not falling"
    steps = math.ceil(math.log(target / gaps[1]) / math.log(rate))
    return max(1, math.ceil(steps / per_epoch)), "recent rate", None
