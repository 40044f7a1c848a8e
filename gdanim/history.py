"""The record of a training run.

Record 0 is the initial state and record k the state after k updates. Memory is
O(steps x params) whatever the number of rows: predictions are computed from the
parameters when a view asks for them, never stored.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple

import numpy as np

from . import losses
from .data import Dataset
from .errors import DataError
from .models import LinearStats, predict

SCHEMA = "gdanim-history-v1"


class Record(NamedTuple):
    step: int
    epoch: int
    params: dict[str, float]
    J: float
    grad: dict[str, float] | None  # the gradient this record's update used; None for the last record


@dataclass(eq=False)
class History:
    """Arrays of a run, row k belonging to record k.

    params  (steps+1, k+1)  parameters, named by ``names`` (w or w1..wk, then b)
    J       (steps+1,)      loss on the full data
    grads   (steps, k+1)    gradient used by the update from record k to k+1
    batch_J (steps,)        loss on the batch that gradient came from
    epoch   (steps+1,)      epoch each record belongs to (0 for the initial state)
    """

    data: Dataset
    names: tuple[str, ...]
    params: np.ndarray
    J: np.ndarray
    grads: np.ndarray
    batch_J: np.ndarray
    epoch: np.ndarray
    config: dict = field(default_factory=dict)
    diverged_at: int | None = None

    @property
    def steps(self) -> int:
        return self.params.shape[0] - 1

    @property
    def epochs(self) -> int:
        return int(self.epoch[-1])

    @property
    def loss(self) -> losses.SquaredError:
        return losses.get(self.config["loss"])

    @cached_property
    def stats(self) -> LinearStats:
        return LinearStats.from_data(self.data.X, self.data.y)

    @property
    def optimum(self) -> np.ndarray:
        """The closed-form least-squares parameters (numpy lstsq)."""
        return self.stats.optimum

    @property
    def optimum_J(self) -> float:
        return float(self.cost(self.optimum))

    def cost(self, theta: np.ndarray) -> np.ndarray:
        """J on the full data at theta, shape (..., k+1) -> (...), in O(k^2) per point."""
        return self.loss.factor(self.data.n) * self.stats.sse(np.asarray(theta, float))

    def cost_grad(self, theta: np.ndarray) -> np.ndarray:
        """Full-data gradient of J at one theta."""
        return self.loss.factor(self.data.n) * self.stats.sse_grad(np.asarray(theta, float))

    def predict(self, k: int, X: np.ndarray) -> np.ndarray:
        return predict(self.params[k], X)

    def at(self, k: int) -> Record:
        if not -len(self.params) <= k < len(self.params):
            raise IndexError(f"record {k} is out of range: this run has records 0..{self.steps}")
        k %= len(self.params)
        grad = None if k == self.steps else dict(zip(self.names, self.grads[k].tolist()))
        return Record(k, int(self.epoch[k]), dict(zip(self.names, self.params[k].tolist())), float(self.J[k]), grad)

    def summary(self) -> dict:
        """The run in the shape ``gdanim train --json`` prints."""

        def point(theta, J):
            return {**dict(zip(self.names, map(float, theta))), "J": float(J)}

        return {
            "data": self.data.name,
            "n": self.data.n,
            "params": list(self.names),
            "steps": self.steps,
            "epochs": self.epochs,
            "initial": point(self.params[0], self.J[0]),
            "final": point(self.params[-1], self.J[-1]),
            "optimum": point(self.optimum, self.optimum_J),
            "diverged_at": self.diverged_at,
        }

    def save(self, path: str | os.PathLike) -> None:
        """Write an .npz that ``History.load`` turns back into an identical History."""
        from .encode import atomic_path

        meta = {
            "schema": SCHEMA,
            "names": list(self.names),
            "config": self.config,
            "diverged_at": self.diverged_at,
            "data": {
                "name": self.data.name,
                "feature_names": list(self.data.feature_names),
                "target_name": self.data.target_name,
            },
        }
        with atomic_path(path) as tmp:
            with open(tmp, "wb") as f:
                np.savez(
                    f,
                    meta=np.array(json.dumps(meta, sort_keys=True)),
                    X=self.data.X,
                    y=self.data.y,
                    params=self.params,
                    J=self.J,
                    grads=self.grads,
                    batch_J=self.batch_J,
                    epoch=self.epoch,
                )

    @classmethod
    def load(cls, path: str | os.PathLike) -> "History":
        try:
            with np.load(path, allow_pickle=False) as z:
                meta = json.loads(str(z["meta"]))
                if meta.get("schema") != SCHEMA:
                    raise DataError(f"{path}: not a gdanim history (schema {meta.get('schema')!r})")
                arrays = {k: z[k] for k in ("X", "y", "params", "J", "grads", "batch_J", "epoch")}
        except FileNotFoundError:
            raise DataError(f"history file not found: {path}") from None
        except (OSError, ValueError, KeyError) as exc:
            raise DataError(f"{path}: not a readable gdanim history ({exc})") from None
        d = meta["data"]
        data = Dataset(d["name"], arrays.pop("X"), arrays.pop("y"), tuple(d["feature_names"]), d["target_name"])
        return cls(data=data, names=tuple(meta["names"]), config=meta["config"], diverged_at=meta["diverged_at"], **arrays)
