"""Races (``gdanim.race``): several runs of one objective on a shared clock.

A race trains every run on the same objective, each exactly as ``train`` would
alone (same records, same numbers), and shows them side by side: frame i shows
step k of every run, that is record ``min(k, run.steps)``. A run that ends early
(it reached ``stop_at`` or left the objective's bound) holds its final point; a run
that diverged stops where it diverged and is labelled so; the others go on.

Tuning (``tune=True``) picks the learning rate of every run that does not set one
from ``TUNE_GRID``, 25 log-spaced values from 1e-5 to 1 (``numpy.logspace(-5, 0,
25)``): each value is a whole run, trained with the run's own seed, so tuning is
deterministic. The pick is the value with the lowest final J; with ``stop_at`` it
is the value that reaches it in the fewest steps (the lowest final J if none
does). Ties go to the smaller learning rate. Diverged runs never win.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from . import validate
from .errors import ConfigError
from .history import History
from .objectives import make_objective
from .runspec import RunSpec, parse_run
from .train import train
from .train_options import StopRule, initial_params
from .validate import KEY, ParamError

DEFAULT_LR = 0.01
TUNE_GRID = np.logspace(-5, 0, 25)
TUNE_GRID_TEXT = "25 values from 1e-5 to 1, log-spaced"

# How the caller named each option, for messages: Python keywords or CLI flags.
PYTHON_NAMES = {"runs": "runs=", "start": "start=", "tune": "tune=", "stop_at": "stop_at="}
CLI_NAMES = {"runs": "--run", "start": "--start", "tune": "--tune", "stop_at": "--stop-at"}


@dataclass(eq=False)
class Race:
    """The runs of a race and their shared clock.

    objective  what every run minimises
    histories  one History per run, in the order given
    labels     one legend text per run
    specs      the RunSpec of every run
    steps      the clock's length: the most steps any run was asked for
    tuned      per run: what tuning tried and picked, or None when the run was not tuned
    """

    objective: object
    histories: list[History]
    labels: list[str]
    specs: list[RunSpec]
    steps: int
    tuned: list[dict | None] = field(default_factory=list)
    stop_at: str | None = None
    diverged_at = None  # a race neither diverges nor stops; its runs do (see config)
    stopped_at = None

    @property
    def names(self) -> tuple[str, ...]:
        return self.objective.names

    @property
    def data(self):
        return self.objective.data

    def __len__(self) -> int:
        return len(self.histories)

    def record(self, run: int, k: int) -> int:
        """The record of run ``run`` shown at step k of the clock."""
        return min(int(k), self.histories[run].steps)

    def records_at(self, k: int) -> np.ndarray:
        return np.array([self.record(r, k) for r in range(len(self))])

    def status(self, run: int, k: int) -> str:
        """'step 120' while running; what happened once the run has ended."""
        h = self.histories[run]
        if k < h.steps or (h.diverged_at is None and h.stopped_at is None):
            return f"step {min(k, h.steps):,}"
        if h.diverged_at is not None:
            return f"diverged at step {h.diverged_at:,}"
        return f"{'left the bound' if h.stop_reason == 'bound' else 'stopped'} at step {h.stopped_at:,}"

    @property
    def config(self) -> dict:
        """Everything the race's pixels depend on, for manifests: the objective and every run."""
        runs = []
        for spec, label, h, tuned in zip(self.specs, self.labels, self.histories, self.tuned):
            runs.append({**h.config, "run": spec.text, "label": label, "tuned": tuned is not None,
                         "diverged_at": h.diverged_at, "stopped_at": h.stopped_at, "stop_reason": h.stop_reason})
        return {**self.objective.config(), "race_steps": self.steps, "stop_at": self.stop_at,
                "tune_grid": TUNE_GRID_TEXT if any(self.tuned) else None, "runs": runs}

    def summary(self) -> dict:
        """The race in the shape ``gdanim race --json`` prints: each run's initial, final and best values,
        and its convergence verdict (``History.convergence``)."""

        def point(h, k):
            return {**dict(zip(self.names, map(float, h.params[k]))), "J": float(h.J[k]), "step": int(k)}

        runs = []
        for spec, label, h, tuned in zip(self.specs, self.labels, self.histories, self.tuned):
            runs.append({
                "label": label, "optimizer": spec.optimizer, "lr": h.config["lr"], "tuned": tuned is not None,
                "options": h.config["optimizer_options"], "schedule": h.config.get("schedule", "constant"),
                "initial": point(h, 0), "final": point(h, h.steps), "best": point(h, int(np.argmin(h.J))),
                "steps": h.steps, "diverged": h.diverged_at is not None, "diverged_at": h.diverged_at,
                "stopped_at": h.stopped_at, "stop_reason": h.stop_reason,
                "convergence": None if (c := h.convergence) is None else c.as_dict(),
            })
        optimum = self.objective.optimum
        return {
            "objective": self.objective.label, "gradient": self.objective.gradient_kind, "params": list(self.names),
            "optimum": None if optimum is None else {**dict(zip(self.names, map(float, optimum))),
                                                      "J": self.objective.optimum_value},
            "steps": self.steps, "stop_at": self.stop_at,
            "tune_grid": TUNE_GRID_TEXT if any(self.tuned) else None, "runs": runs,
        }


@validate.keywords
def race(objective=None, *, data=None, runs, steps: int | None = None, epochs: int | None = None, start=None,
         init=None, stop_at=None, tune: bool = False, loss: str | None = None, params=None) -> Race:
    """Train every run of ``runs`` on one objective and return the Race.

    objective / data / loss / params: what to minimise, as for ``train``.
    runs: RunSpecs or texts like 'adam:lr=0.05' (see ``gdanim.runspec``).
    steps / epochs: every run's length (as for ``train``).
    start / init: where runs start unless a run sets ``start=``.
    stop_at: a tolerance on J - J*, or 'grad:TOL' on the gradient norm; a run that
        reaches it holds its final point.
    tune: pick the learning rate of every run without ``lr=`` (see the module docstring).
    """
    return build_race(objective, data=data, runs=runs, steps=steps, epochs=epochs, start=start, init=init,
                      stop_at=stop_at, tune=tune, loss=loss, params=params, names=PYTHON_NAMES)


def build_race(objective, *, data, runs, steps, epochs, start, init, stop_at, tune, loss, params, names) -> Race:
    """``race`` with the option names to use in messages (``CLI_NAMES`` for the command line)."""
    obj = make_objective(objective, data=data, loss=loss, params=params,
                         what="--objective" if names is CLI_NAMES else "objective")
    if isinstance(runs, (str, RunSpec)) or not runs:
        raise ConfigError(f"a race needs at least one run: give {names['runs']} like gd:lr=0.01"
                          + (" (once per run)" if names is CLI_NAMES else " as a list"))
    specs = [parse_run(run, names["runs"]) for run in runs]
    if start is not None:  # checked once; a ParamError is spelled as the caller spells start
        initial_params(obj, start, np.random.default_rng(0), "start")
    StopRule.parse(stop_at, obj)
    if tune and all(spec.lr is not None for spec in specs):
        raise ConfigError(f"{names['tune']} has nothing to tune: every run sets lr=; leave lr= out of the runs to tune")
    common = dict(steps=steps, epochs=epochs, init=init, stop_at=stop_at)
    histories, labels, tuned = [], [], []
    for spec in specs:
        choice = _tune(obj, spec, start, common, names) if tune and spec.lr is None else None
        lr = choice["lr"] if choice else (DEFAULT_LR if spec.lr is None else spec.lr)
        histories.append(_train(obj, spec, lr, start, common, names))
        label = spec.label or spec.describe(lr)
        labels.append(f"{label} (tuned)" if choice else label)
        tuned.append(choice)
    clock = max(h.config["steps"] for h in histories)
    return Race(obj, histories, labels, specs, clock, tuned, None if stop_at is None else str(stop_at))


def _train(obj, spec: RunSpec, lr: float, start, common: dict, names: dict) -> History:
    """One run, exactly as ``train`` runs it alone; its errors name the run."""
    begin = spec.start if spec.start is not None else start
    try:
        return train(
            objective=obj, optimizer=spec.optimizer, lr=lr, schedule=spec.schedule, batch_size=spec.batch_size,
            order=spec.order or "sequential", seed=spec.seed or 0, start=begin,
            **{**common, "init": None if begin is not None else common["init"]}, **spec.options,
        )
    except ParamError as exc:  # a key of the run's spec, written as in the spec: start, not start=
        raise ConfigError(f"{names['runs']} {spec.text!r}: {exc.spelled(KEY)}") from None
    except ConfigError as exc:
        raise ConfigError(f"{names['runs']} {spec.text!r}: {exc}") from None


def _tune(obj, spec: RunSpec, start, common: dict, names: dict) -> dict:
    """The grid value that does best for this run (see the module docstring), and how each did."""
    finals, reached = [], []
    for lr in TUNE_GRID:
        h = _train(obj, spec, float(lr), start, common, names)
        ok = h.diverged_at is None and np.isfinite(h.J[-1])
        finals.append(float(h.J[-1]) if ok else np.inf)
        reached.append(h.stopped_at if ok and h.stop_reason == "stop_at" else None)
    if not np.isfinite(finals).any():
        raise ConfigError(f"{names['tune']}: {names['runs']} {spec.text!r} diverged at every learning rate "
                          f"of the grid ({TUNE_GRID_TEXT}); start closer to a minimum or run fewer steps")
    if any(r is not None for r in reached):
        best = min((r, i) for i, r in enumerate(reached) if r is not None)[1]
        criterion = "fewest steps to stop_at"
    else:
        best = int(np.argmin(finals))  # argmin takes the first, the smallest lr, on ties
        criterion = "lowest final J"
    return {"lr": float(TUNE_GRID[best]), "criterion": criterion, "final_J": finals, "steps_to_stop": reached}
