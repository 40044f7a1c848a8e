"""What a finished run reports beside its arrays (``History.summary``, ``gdanim train --json``).

- the initial, final and optimal points, in the data's own units; for standardized
  data also in the standardized units the run was trained in (``trained``);
- convergence: how far J is from the optimum and the further epochs needed
  (``gdanim.convergence``);
- learning-rate guidance from the exact Hessian, and the spread of the columns'
  scales (``gdanim.guidance``).
"""
from __future__ import annotations

import numpy as np

from .convergence import assess, epochs_from_start
from .guidance import learning_rates, scale_spread


def run_report(history) -> dict:
    objective = history.objective
    report = points(history)
    convergence = assess(history)
    report["convergence"] = None if convergence is None else convergence.as_dict()
    report["learning_rates"] = _learning_rates(history)
    spread = scale_spread(objective)
    report["scale_ratio"] = None if spread is None else spread[0]
    return report


def points(history) -> dict:
    """params, initial, final, optimum (each a mapping of every parameter and J), and
    standardize and trained for runs on standardized data."""
    objective = history.objective
    scaling = getattr(objective, "scaling", None)
    optimum = history.optimum
    trained = {
        "params": list(history.names),
        "initial": _point(history.names, history.params[0], history.J[0]),
        "final": _point(history.names, history.params[-1], history.J[-1]),
        "optimum": None if optimum is None else _point(history.names, optimum, history.optimum_J),
    }
    if scaling is None:
        return {**trained, "standardize": None}
    names = objective.original_names
    data = objective.data

    def original(theta, J):
        return _point(names, scaling.to_original(theta), scaling.original_cost(J))

    return {
        "params": list(names),
        "initial": original(history.params[0], history.J[0]),
        "final": original(history.params[-1], history.J[-1]),
        "optimum": original(optimum, history.optimum_J),
        "standardize": scaling.as_dict(data.feature_names, data.target_name),
        "trained": trained,
    }


def _learning_rates(history) -> dict | None:
    rates = learning_rates(history.objective)
    if rates is None:
        return None
    report = rates.as_dict()
    report["epochs_at_fastest"] = epochs_from_start(history, rates.fastest)
    gd = history.config.get("optimizer") == "gd" and len(history.lr)
    report["at_or_above_edge"] = bool(rates.at_or_above_edge(float(np.max(history.lr)))) if gd else None
    return report


def _point(names, theta, J) -> dict:
    return {**dict(zip(names, map(float, theta))), "J": float(J)}
