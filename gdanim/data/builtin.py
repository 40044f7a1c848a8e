"""The built-in datasets: small tables from the articles, a line of 100 points, synthetic data."""
from __future__ import annotations

import numpy as np

from . import synthetic_data
from .dataset import Dataset, default_feature_names

BUILTIN = ("six-points", "six-points-2d", "backprop-demo", "one-point", "line-100", "synthetic")

# The rows of the small built-ins, as (features..., target).
_TABLES = {
    "six-points": ((1, 4), (2, -12), (4, 3), (5, -11), (6, -5), (7, -17)),
    "six-points-2d": ((1, -2, 14), (2, 1, -12), (4, 1, -31), (5, -3, -21), (6, 4, -51), (7, 5, -37)),
    "backprop-demo": ((4, 1, 2), (2, 8, -14), (1, 0, 1), (3, 2, -1), (1, 4, -7), (6, 7, -8)),
    "one-point": ((1.5, 0.8),),
}


def is_builtin(source: str) -> bool:
    """True for a built-in's name and for any ``synthetic:...`` spec."""
    return source in BUILTIN or source.startswith("synthetic:")


def builtin(source: str) -> Dataset:
    """The built-in named ``source`` (see :func:`is_builtin`)."""
    if source == "line-100":
        x = np.random.default_rng(0).random(100)
        return Dataset(source, x[:, None], 2 * x + 3, ("x",), "y")
    if source.startswith("synthetic"):
        return synthetic_data.synthetic(**synthetic_data.parse(source))
    table = np.array(_TABLES[source], dtype=np.float64)
    k = table.shape[1] - 1
    return Dataset(source, table[:, :k], table[:, k], default_feature_names(k), "y")
