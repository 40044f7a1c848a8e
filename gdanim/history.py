"""The record of a training run.

Record 0 is the initial state and record k the state after k updates. Memory is
O(steps x params) whatever the number of rows: predictions are computed from the
parameters when a view asks for them, never stored. What depends on the model (J
anywhere, the gradient, the optimum, predictions) the History asks its objective.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from .data import Dataset
from .errors import ConfigError, DataError

#: Parameters a line of text names one by one (the status line, the player's readout);
#: past these, a network's dozens of weights would run off the frame or fill the page.
LISTED_PARAMS = 6

SCHEMA = "gdanim-history-v1"
ARRAYS = ("params", "J", "grads", "batch_J", "epoch", "lr")


class Record(NamedTuple):
    step: int
    epoch: int
    params: dict[str, float]
    J: float
    grad: dict[str, float] | None  # the gradient this record's update used; None for the last record


@dataclass(eq=False)
class History:
    """Arrays of a run, row k belonging to record k.

    objective  what was minimised (``gdanim.objectives``); None for a loop recorded
               elsewhere without one (``from_trace``)
    params  (steps+1, P)    parameters, named by ``names``
    J       (steps+1,)      J on the full data (NaN where training skipped it: see ``J_at``)
    grads   (steps, P)      gradient used by the update from record k to k+1
    batch_J (steps,)        loss on the batch that gradient came from
    epoch   (steps+1,)      epoch each record belongs to (0 for the initial state)
    lr      (steps,)        learning rate of the update from record k to k+1
    diverged_at / stopped_at  the step where the run blew up / ended early, and why
    """

    objective: object
    names: tuple[str, ...]
    params: np.ndarray
    J: np.ndarray
    grads: np.ndarray
    batch_J: np.ndarray
    epoch: np.ndarray
    lr: np.ndarray
    config: dict = field(default_factory=dict)
    diverged_at: int | None = None
    stopped_at: int | None = None
    stop_reason: str | None = None  # "bound" or "stop_at"

    @property
    def steps(self) -> int:
        return self.params.shape[0] - 1

    @property
    def epochs(self) -> int:
        return int(self.epoch[-1])

    @property
    def data(self) -> Dataset | None:
        return None if self.objective is None else self.objective.data

    @property
    def has_predictions(self) -> bool:
        """Whether fit panels can be drawn: the objective predicts targets from data."""
        return self.objective is not None and self.objective.has_predictions

    @property
    def label(self) -> str:
        if self.objective is not None:
            return self.objective.label
        spec = self.config.get("objective")  # an objective that could not be rebuilt (Python code)
        return spec.get("label", "") if isinstance(spec, dict) else self.config.get("label", "")

    def _needs_objective(self, what: str):
        if self.objective is None:
            raise ConfigError(f"{what} needs the objective; this History was recorded without one (pass objective=)")
        return self.objective

    @property
    def optimum(self) -> np.ndarray | None:
        """The best known parameters (for data, the closed-form least squares), or None."""
        return None if self.objective is None else self.objective.optimum

    @property
    def optimum_J(self) -> float | None:
        return None if self.objective is None else self.objective.optimum_value

    @property
    def J_records(self) -> np.ndarray:
        """The records whose J training evaluated: all, or with ``J_every=N`` every N-th and the last."""
        every = int(self.config.get("J_every") or 1)
        records = np.arange(0, self.steps + 1, every)
        return records if records[-1] == self.steps else np.append(records, self.steps)

    def J_at(self, records) -> np.ndarray:
        """J at these records (an index into ``J``), computing from the parameters, once,
        any that training left out (``J_every``)."""
        if self.objective is None or not self.config.get("J_every"):  # J at every record: nothing to compute
            return self.J[records]
        wanted = np.unique(np.arange(len(self.J))[records])
        missing = wanted[np.isnan(self.J[wanted])]
        if missing.size:
            with np.errstate(all="ignore"):
                self.J[missing] = self.objective.value(self.params[missing])
        return self.J[records]

    @property
    def convergence(self):
        """Whether the run reached J* within 1e-6, how far it is, and the epochs still needed
        (a ``gdanim.convergence.Convergence``); None where J* or J's Hessian is not known."""
        from .convergence import assess

        return assess(self)

    def cost(self, theta: np.ndarray) -> np.ndarray:
        """J on the full data at theta, shape (..., P) -> (...)."""
        return self._needs_objective("J at other points").value(np.asarray(theta, float))

    def cost_grad(self, theta: np.ndarray) -> np.ndarray:
        """Full-data gradient of J at one theta."""
        return self._needs_objective("the gradient").gradient(np.asarray(theta, float))

    def predict(self, k: int, X: np.ndarray) -> np.ndarray:
        return self._needs_objective("predictions").predict(self.params[k], X)

    def at(self, k: int) -> Record:
        if not -len(self.params) <= k < len(self.params):
            raise IndexError(f"record {k} is out of range: this run has records 0..{self.steps}")
        k %= len(self.params)
        grad = None if k == self.steps else dict(zip(self.names, self.grads[k].tolist()))
        return Record(k, int(self.epoch[k]), dict(zip(self.names, self.params[k].tolist())), float(self.J[k]), grad)

    def summary(self) -> dict:
        """The run in the shape ``gdanim train --json`` prints.

        With standardized data, ``params``, ``initial``, ``final`` and ``optimum`` are in
        the data's own units and ``trained`` holds the same points in standardized units.
        """
        from .run_report import run_report

        data = self.data
        lr = self.lr if len(self.lr) else np.array([self.config.get("lr", np.nan)])
        return {
            "data": None if data is None else data.name,
            "n": None if data is None else data.n,
            "dropped_rows": None if data is None else len(data.dropped),
            "objective": self.label,
            "gradient": self.config.get("gradient", "exact"),
            "steps": self.steps,
            "epochs": self.epochs,
            "lr": {"schedule": self.config.get("schedule", "constant"), "first": float(lr[0]), "last": float(lr[-1]),
                   "auto": bool(self.config.get("lr_auto", False))},
            **run_report(self),
            "diverged_at": self.diverged_at,
            "stopped_at": self.stopped_at,
            "stop_reason": self.stop_reason,
        }

    @classmethod
    def from_trace(cls, params, J, names=None, objective=None) -> "History":
        """A History of a loop gdanim did not run (numpy, PyTorch, JAX), for the views.

        params: (records, P) parameters, record 0 the start; J: (records,) the cost at each.
        names: the parameters' names (default: the objective's). With an objective the
        gradient at every record but the last is filled in; without one it is NaN.
        """
        from .history_io import check_trace

        params, J, names = check_trace(params, J, names, objective)
        steps = params.shape[0] - 1
        grads = np.full((steps, params.shape[1]), np.nan)
        if objective is not None:
            for k in range(steps):
                grads[k] = objective.gradient(params[k])
        config = {"source": "trace", "label": "trace" if objective is None else objective.label}
        if objective is not None:
            config.update(objective.config())
        return cls(objective, names, params, J, grads, J[:-1].copy(), np.arange(steps + 1), np.full(steps, np.nan), config)

    def save(self, path: str | os.PathLike) -> None:
        """Write an .npz that ``History.load`` turns back into an identical History."""
        from .output.atomic import atomic_path
        from .history_io import objective_meta

        meta = {
            "schema": SCHEMA,
            "names": list(self.names),
            "config": self.config,
            "diverged_at": self.diverged_at,
            "stopped_at": self.stopped_at,
            "stop_reason": self.stop_reason,
            **objective_meta(self.objective),
        }
        data = {} if self.data is None else {"X": self.data.X, "y": self.data.y}
        with atomic_path(path) as tmp:
            with open(tmp, "wb") as f:
                arrays = {name: getattr(self, name) for name in ARRAYS}
                np.savez(f, meta=np.array(json.dumps(meta, sort_keys=True)), **data, **arrays)

    @classmethod
    def load(cls, path: str | os.PathLike) -> "History":
        from .history_io import rebuild_objective

        try:
            with np.load(path, allow_pickle=False) as z:
                meta = json.loads(str(z["meta"]))
                if meta.get("schema") != SCHEMA:
                    raise DataError(f"{path}: not a gdanim history (schema {meta.get('schema')!r})")
                arrays = {k: z[k] for k in z.files if k != "meta"}
        except FileNotFoundError:
            raise DataError(f"history file not found: {path}") from None
        except (OSError, ValueError, KeyError) as exc:
            raise DataError(f"{path}: not a readable gdanim history ({exc})") from None
        objective = rebuild_objective(meta, arrays.pop("X", None), arrays.pop("y", None))
        if "lr" not in arrays:  # written before schedules: every step used config's lr
            arrays["lr"] = np.full(len(arrays["grads"]), meta["config"]["lr"])
        return cls(
            objective=objective, names=tuple(meta["names"]), config=meta["config"], diverged_at=meta["diverged_at"],
            stopped_at=meta.get("stopped_at"), stop_reason=meta.get("stop_reason"), **{k: arrays[k] for k in ARRAYS},
        )
