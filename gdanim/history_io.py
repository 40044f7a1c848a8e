"""What a History needs to be saved, loaded and built from a loop gdanim did not run."""
from __future__ import annotations

import numpy as np

from .data import Dataset
from .errors import ConfigError
from .objectives import make_objective


def objective_meta(objective) -> dict:
    """The objective's part of a saved History: its spec, and for data its names (X, y go in arrays)."""
    if objective is None:
        return {"objective": None}
    meta = {"objective": objective.spec}
    if objective.data is not None:
        d = objective.data
        meta["data"] = {"name": d.name, "feature_names": list(d.feature_names), "target_name": d.target_name}
    return meta


def rebuild_objective(meta: dict, X, y):
    """The objective a saved History was trained on; None if it was Python code (gdanim.objective)."""
    spec = meta.get("objective", {"kind": "linear", "loss": meta["config"].get("loss", "mse")})
    if spec is None or spec.get("kind") == "custom":
        return None
    data = None
    if "data" in meta:
        d = meta["data"]
        data = Dataset(d["name"], X, y, tuple(d["feature_names"]), d["target_name"])
    return make_objective(spec, data=data)


def check_trace(params, J, names, objective):
    """(params, J, names) of a recorded loop as float arrays, or one line saying what is wrong."""
    try:
        params = np.array(params, dtype=float)
        J = np.array(J, dtype=float)
    except (TypeError, ValueError):
        raise ConfigError("params= and J= must be arrays of numbers") from None
    if params.ndim == 1:
        params = params[:, None]
    if params.ndim != 2 or params.shape[0] < 1 or params.shape[1] < 1:
        raise ConfigError(f"params= must have shape (records, parameters), got {params.shape}")
    if J.shape != (params.shape[0],):
        raise ConfigError(f"J= must hold one value per record ({params.shape[0]}), got shape {J.shape}")
    if names is None:
        names = objective.names if objective is not None else tuple(f"p{i + 1}" for i in range(params.shape[1]))
    names = (names,) if isinstance(names, str) else tuple(str(n) for n in names)
    if len(names) != params.shape[1] or len(set(names)) != len(names):
        raise ConfigError(f"names= must give {params.shape[1]} different names, one per column of params, got {list(names)}")
    if objective is not None and len(objective.names) != len(names):
        raise ConfigError(f"objective= has {len(objective.names)} parameters but params= has {len(names)} columns")
    return params, J, names
