"""Seeded two-class datasets for units and networks: xor, moons, circles, blobs, and the
one record of the hand-worked backpropagation example.

Each is ``NAME[:key=value,...]``; the target is the class, 0 or 1, and the name of the
Dataset is the canonical spec (every key spelled out), which rebuilds the same data.

=========  ======================================  ==========================================
name       keys (defaults)                         construction
=========  ======================================  ==========================================
xor        n=4, noise=0, seed=0                    the corners of the unit square, record i at
                                                   corner i mod 4, class x1 xor x2, + noise
moons      n=200, noise=0.1, seed=0                two interleaved half-circles
circles    n=200, noise=0.05, factor=0.5, seed=0   a ring (class 0) round a smaller one (1)
blobs      n=200, spread=1, distance=4, seed=0     two round Gaussian clouds of std ``spread``,
                                                   centres ``distance`` apart on the x1 axis
=========  ======================================  ==========================================

``backprop-2-1-1`` is one record, x = (0.1, 0.3), y = 1: the worked example of
backpropagation through a 2-1-1 network (``mlp:hidden=1,bias=false``).

moons is the construction of ``../shared/bench/peer_boundary.py``: with
``rng = default_rng(seed)``, ``t = rng.uniform(0, pi, n)``; the first n // 2 records
(class 0) lie at (cos t, sin t), the others (class 1) at (1 - cos t, 1/2 - sin t); then
``X += rng.normal(0, noise, X.shape)``. The other sets draw in the same way: the
shape's random numbers first, the noise last.
"""
from __future__ import annotations

import math

import numpy as np

from ..errors import ConfigError
from .dataset import Dataset

DEFAULTS = {
    "xor": {"n": 4, "noise": 0.0, "seed": 0},
    "moons": {"n": 200, "noise": 0.1, "seed": 0},
    "circles": {"n": 200, "noise": 0.05, "factor": 0.5, "seed": 0},
    "blobs": {"n": 200, "spread": 1.0, "distance": 4.0, "seed": 0},
    "backprop-2-1-1": {},
}
WHOLE = ("n", "seed")


def is_classification(source: str) -> bool:
    return source.partition(":")[0] in DEFAULTS


def load(source: str):
    """The Dataset a spec such as 'moons:n=500,noise=0.2' describes."""

    name, _, body = source.partition(":")
    options = _parse(name, body, source)
    X, y = BUILDERS[name](np.random.default_rng(options.get("seed", 0)), **options)
    spec = ":".join([name] + [",".join(f"{key}={_text(value)}" for key, value in options.items())] * bool(options))
    return Dataset(spec, X, y, ("x1", "x2"), "class")


def _xor(rng, n, noise, seed):
    corners = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    X = corners[np.arange(n) % 4]
    y = (X[:, 0] != X[:, 1]).astype(float)
    return _noisy(rng, X, noise), y


def _moons(rng, n, noise, seed):
    t = rng.uniform(0, np.pi, n)
    upper = np.arange(n) < n // 2
    X = np.where(upper[:, None], np.c_[np.cos(t), np.sin(t)], np.c_[1 - np.cos(t), 0.5 - np.sin(t)])
    return _noisy(rng, X, noise), (~upper).astype(float)


def _circles(rng, n, noise, factor, seed):
    t = rng.uniform(0, 2 * np.pi, n)
    inner = np.arange(n) >= n - n // 2
    radius = np.where(inner, factor, 1.0)
    return _noisy(rng, radius[:, None] * np.c_[np.cos(t), np.sin(t)], noise), inner.astype(float)


def _blobs(rng, n, spread, distance, seed):
    second = np.arange(n) >= n - n // 2
    centres = np.where(second[:, None], [distance / 2, 0.0], [-distance / 2, 0.0])
    return centres + rng.normal(0, spread, (n, 2)), second.astype(float)


def _worked_example(rng):
    return np.array([[0.1, 0.3]]), np.array([1.0])


def _noisy(rng, X, noise):
    return X + rng.normal(0, noise, X.shape) if noise > 0 else X


BUILDERS = {"xor": _xor, "moons": _moons, "circles": _circles, "blobs": _blobs, "backprop-2-1-1": _worked_example}


def _parse(name: str, body: str, source: str) -> dict:
    options = dict(DEFAULTS[name])
    for item in filter(None, (s.strip() for s in body.split(","))):
        key, eq, value = (s.strip() for s in item.partition("="))
        if not eq or key not in options:
            keys = ",".join(f"{k}={_text(v)}" for k, v in DEFAULTS[name].items())
            form = f"write {name}:{keys} (any of the keys)" if keys else f"{name} takes no options"
            raise ConfigError(f"cannot read {item!r} in {source!r}; {form}")
        options[key] = _number(key, value, source)
    if "n" in options and (options["n"] < 2 and name != "xor" or options["n"] < 1):
        raise ConfigError(f"{source!r}: n must be at least {1 if name == 'xor' else 2}, got {options['n']}")
    return options


def _number(key: str, value: str, source: str):
    try:
        number = int(value) if key in WHOLE else float(value)
    except ValueError:
        kind = "a whole number" if key in WHOLE else "a number"
        raise ConfigError(f"{source!r}: {key} must be {kind}, got {value!r}") from None
    if key in WHOLE and number < 0 or not math.isfinite(number) or key != "distance" and number < 0:
        raise ConfigError(f"{source!r}: {key} must be a finite number >= 0, got {value!r}")
    return number


def _text(value) -> str:
    return str(int(value)) if float(value).is_integer() and abs(value) < 1e16 else repr(float(value))
