"""Synthetic data, ``y = X @ w + b + noise``, from keywords or a ``synthetic:key=value,...`` spec."""
from __future__ import annotations

from typing import Sequence

import numpy as np

from ..errors import ConfigError
from ..validate import ParamError, at_least, count, finite, whole, within
from .dataset import Dataset, default_feature_names

# Defaults of the ``synthetic[:key=value,...]`` string form.
DEFAULTS = {"n": 100, "w": (1.0,), "b": 0.0, "noise": 0.1, "seed": 0}


def synthetic(n: int, w: Sequence[float] | float, b: float, noise: float = 0.0, seed: int = 0) -> Dataset:
    """``y = X @ w + b + noise * N(0, 1)`` with ``X`` uniform on [0, 1), one column per weight.

    ``X`` is drawn first from ``np.random.default_rng(seed)``, then the noise (only when
    ``noise > 0``), so the features do not depend on the noise level. The dataset's
    name is the canonical ``synthetic:...`` spec, which :func:`gdanim.data.load` turns
    back into the same data.

    Raises:
        ConfigError: n < 1, no weights, a value that is not finite, noise < 0, seed < 0;
            the message starts with "synthetic: " and names the key.
    """
    with within("synthetic: "):
        n = count("n", n)
        weights = _weights(w)
        b = finite("b", b)
        noise = at_least("noise", finite("noise", noise), 0)
        seed = whole("seed", seed)

    rng = np.random.default_rng(seed)
    X = rng.random((n, weights.size))
    target = X @ weights + b
    if noise > 0:
        target = target + noise * rng.standard_normal(n)
    spec = (
        f"synthetic:n={n},w={';'.join(_num(v) for v in weights)},b={_num(b)},noise={_num(noise)},seed={seed}"
    )
    return Dataset(spec, X, target, default_feature_names(weights.size), "y")


def _weights(w) -> np.ndarray:
    try:
        weights = np.atleast_1d(np.asarray(w, dtype=np.float64))
    except (TypeError, ValueError):
        raise ParamError("w", lambda words: f"{words.name} must be a number or a list of numbers, got {w!r}") from None
    if weights.ndim != 1 or weights.size == 0:
        raise ParamError("w", lambda words: f"{words.name} must be a number or a non-empty list of numbers, got {w!r}")
    if not np.isfinite(weights).all():
        raise ParamError("w", lambda words: f"the weights must be finite, got {weights.tolist()}")
    return weights


def parse(spec: str) -> dict:
    """Keyword arguments of :func:`synthetic` from ``synthetic[:key=value,...]``."""
    params = dict(DEFAULTS)
    seen = set()
    body = spec.partition(":")[2]
    for item in filter(None, (s.strip() for s in body.split(","))):
        key, eq, value = (s.strip() for s in item.partition("="))
        if not eq:
            raise ConfigError(f"{spec!r}: expected key=value, got {item!r}")
        if key not in DEFAULTS:
            raise ConfigError(f"{spec!r}: unknown key {key!r}; the keys are {', '.join(DEFAULTS)}")
        if key in seen:
            raise ConfigError(f"{spec!r}: {key} is given twice")
        seen.add(key)
        try:
            if key in ("n", "seed"):
                params[key] = int(value)
            elif key == "w":
                params[key] = [float(v) for v in value.split(";")]
            else:
                params[key] = float(value)
        except ValueError:
            kind = {"n": "a whole number", "seed": "a whole number", "w": "numbers separated by ';'"}.get(key, "a number")
            raise ConfigError(f"{spec!r}: {key} must be {kind}, got {value!r}") from None
    return params


def _num(v: float) -> str:
    """Shortest text that reads back as exactly ``v``: 2.0 -> '2', 0.1 -> '0.1'."""
    v = float(v)
    return str(int(v)) if v.is_integer() and abs(v) < 1e16 else repr(v)
