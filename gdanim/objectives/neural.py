"""What the sigmoid unit and the two-layer network share: targets checked, J over many
weight vectors at once, named arrays, initial weights.

A model's parameters are one vector theta, cut into named arrays (``W1``, ``b1``, ...)
by ``ArraySpec``; ``History.names`` lists their entries flattened, row-major. The model
itself (``sigmoid.py``, ``mlp.py``) writes its forward and backward pass once, beside
the formulas, and tells this base class:

- ``output(theta, X)``: (h, yhat) of the output unit, theta of shape (..., P);
- ``output_and_gradient(theta, X, y)``: h, yhat and dJ/dtheta on the rows X, y;
- ``layers(theta)`` / ``signals(theta, X, y)``: weights, activations and error terms
  per layer, for the network view.

Initial weights: every scheme draws the weights and leaves the biases at 0.
``scaled-normal`` draws each weight from N(0, 1/sqrt(n)), n the inputs of its layer.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import Mapping, NamedTuple

import numpy as np

from ..errors import ConfigError, DataError
from .activations import Activation, OutputLoss
from .base import INIT_SCHEMES, Objective

__all__ = ["ArraySpec", "Layer", "NeuralObjective", "Signals", "array_specs", "check_targets", "parse_options",
           "short_name"]

NETWORK_INIT_SCHEMES = (*INIT_SCHEMES, "scaled-normal")
_CHUNK = 1 << 20  # elements of a hidden layer evaluated at once, whatever the number of weight vectors
# Multiply-adds of one weight vector's product over a block of rows. OpenBLAS hands a
# product of 2^18 or more to its threads; here their hand-offs cost more than they
# save, and on a busy machine they stall (a 100,000-row J took 50x as long). Smaller
# blocks also stay in cache.
_BLOCK = 1 << 17


@dataclass(frozen=True)
class ArraySpec:
    name: str  # 'W1', 'b1', ...
    shape: tuple[int, ...]
    start: int  # where its entries begin in theta
    fan_in: int | None  # inputs of its layer; None for a bias
    size: int  # entries
    where: slice  # its entries in theta

    def entry_names(self) -> list[str]:
        if not self.shape:
            return [self.name]
        return [f"{self.name}[{','.join(map(str, i))}]" for i in np.ndindex(*self.shape)]

    def positions(self) -> np.ndarray:
        """Where each entry sits in theta, in this array's shape."""
        return np.arange(self.start, self.start + self.size).reshape(self.shape)

    def take(self, theta: np.ndarray) -> np.ndarray:
        """This array out of theta (..., P) -> (..., *shape), a view."""
        return theta[..., self.where].reshape(theta.shape[:-1] + self.shape)


def array_specs(shapes: list[tuple[str, tuple[int, ...], int | None]]) -> tuple[ArraySpec, ...]:
    specs, start = [], 0
    for name, shape, fan_in in shapes:
        size = int(np.prod(shape, dtype=int))
        specs.append(ArraySpec(name, shape, start, fan_in, size, slice(start, start + size)))
        start += size
    return tuple(specs)


class Layer(NamedTuple):
    """One layer of weights for the network view: W[i, j] joins input i to unit j."""

    W: np.ndarray  # (inputs, units)
    b: np.ndarray | None  # (units,)
    W_index: np.ndarray  # (inputs, units) positions of W's entries in theta


class Signals(NamedTuple):
    """Per layer (inputs first), on each record: net inputs h, activations a and error terms delta = -dJ/dh."""

    net_inputs: list[np.ndarray | None]  # (m, units) each; None for the inputs
    activations: list[np.ndarray]  # the inputs are layer 0
    deltas: list[np.ndarray | None]


class NeuralObjective(Objective):
    """A data objective whose J comes from an output unit and a loss (``activations.OutputLoss``)."""

    has_predictions = True
    arrays: tuple[ArraySpec, ...] = ()
    width = 1  # units of the widest layer, for chunking J over many weight vectors
    text = ""  # the spec that rebuilds the model, e.g. 'mlp:hidden=8,activation=tanh'

    def __init__(self, data, loss: str | None, output: Activation, names: tuple[str, ...] | None = None):
        """names: the parameters' names, by default the arrays' entries flattened ('W1[0,0]', ...)."""
        self.data, self.n = data, data.n
        self.loss = OutputLoss.make(loss or "mse", output)
        check_targets(data, self.loss)
        self.names = names or tuple(name for spec in self.arrays for name in spec.entry_names())
        weights = [s.positions().ravel() for s in self.arrays if s.fan_in is not None]
        self.random_init = np.concatenate(weights)

    @property
    def spec(self) -> dict:
        return {"kind": "model", "text": self.text, "loss": self.loss.name}

    def config(self) -> dict:
        d = self.data
        return {"data": d.name, "n": d.n, "k": d.k, "model": self.text, "loss": self.loss.name,
                "objective": self.spec, "gradient": self.gradient_kind}

    # -- the protocol, from output() and output_and_gradient() ----------------------
    def value(self, theta):
        """J at theta (..., P): weight vectors in chunks and, for many rows, rows in blocks (summed)."""
        theta = np.asarray(theta, float)
        flat = theta.reshape(-1, theta.shape[-1])
        rows = min(self.row_block(), self.n)
        per = max(1, _CHUNK // (rows * self.width))
        sums = np.zeros(flat.shape[0])
        X, y = self.data.X, self.data.y
        with np.errstate(over="ignore"):  # exp overflows to inf where a sigmoid is 0: right
            for first in range(0, flat.shape[0], per):
                for top in range(0, self.n, rows):
                    h, yhat = self.output(flat[first : first + per], X[top : top + rows])
                    sums[first : first + per] += self.loss.sums(h, yhat, y[top : top + rows])
        return (self.loss.scale(self.n) * sums).reshape(theta.shape[:-1])

    def graph(self):
        from .neural_graph import network_graph

        return network_graph(self)

    def step_values(self, theta, rows, recorded=None):
        from .neural_graph import network_step

        with np.errstate(over="ignore"):
            return network_step(self, np.asarray(theta, float), rows, recorded)

    def gradient(self, theta):
        with np.errstate(over="ignore"):  # exp overflows to inf where a sigmoid is 0: right
            return self.output_and_gradient(np.asarray(theta, float), self.data.X, self.data.y)[2]

    # The trainer calls the next two under np.errstate(all="ignore"), every step: they
    # leave the overflow to it rather than pay for an errstate of their own.
    def batch_value_and_gradient(self, theta, rows):
        y = self.data.y[rows]
        h, yhat, grad = self.output_and_gradient(theta, self.data.X[rows], y)
        return float(self.loss.values(h, yhat, y)), grad

    def full_batch_stepper(self):
        X, y, passes = self.data.X, self.data.y, self.output_and_gradient
        return lambda theta: passes(theta, X, y)[2]

    def predict(self, theta, X):
        theta, X = np.asarray(theta, float), np.asarray(X, float)
        rows = self.row_block()
        with np.errstate(over="ignore"):
            return np.concatenate([self.output(theta, X[top : top + rows])[1] for top in range(0, len(X), rows)],
                                  axis=-1)

    def row_block(self) -> int:
        """Rows evaluated at once for one weight vector (see _BLOCK)."""
        return max(1, _BLOCK // (self.data.k * self.width))

    # -- what a subclass writes --------------------------------------------------------
    def output(self, theta: np.ndarray, X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        raise NotImplementedError

    def output_and_gradient(self, theta, X, y) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(h, yhat) of the output unit on the records X, and dJ/dtheta there (J's loss on y)."""
        raise NotImplementedError

    def layers(self, theta: np.ndarray) -> list[Layer]:
        raise NotImplementedError

    def signals(self, theta: np.ndarray, X: np.ndarray, y: np.ndarray) -> Signals:
        raise NotImplementedError

    # -- initial weights -----------------------------------------------------------------
    def initial_params(self, scheme, rng):
        if scheme != "scaled-normal":
            if scheme not in INIT_SCHEMES:
                example = ", ".join(f"{s.name} {s.shape}" for s in self.arrays)
                raise ConfigError(f"unknown init {scheme!r}; choose one of: {', '.join(NETWORK_INIT_SCHEMES)}, "
                                  f"or a .json file of the arrays {example}")
            return super().initial_params(scheme, rng)
        theta = np.zeros(len(self.names))
        for spec in self.arrays:
            if spec.fan_in is not None:
                theta[spec.where] = rng.normal(0.0, 1.0 / np.sqrt(spec.fan_in), spec.size)
        return theta

    def read_init(self, init, what: str = "init"):
        """A .json file or a mapping of arrays (W1, b1, ...) as theta; anything else as it is."""
        if isinstance(init, os.PathLike) or (isinstance(init, str) and init.strip().lower().endswith(".json")):
            source = f"{what} {os.fspath(init).strip()}"
            init = _read_json(os.fspath(init).strip(), source)
        else:
            source = what
        if not isinstance(init, Mapping) or set(init) <= set(self.names):
            return init  # a scheme, values, or a mapping of parameter names: the usual reading
        return self._from_arrays(init, source)

    def _from_arrays(self, given: Mapping, source: str) -> np.ndarray:
        expected = ", ".join(f"{s.name} {s.shape}" for s in self.arrays)
        unknown = sorted(set(map(str, given)) - {s.name for s in self.arrays})
        if unknown:
            raise ConfigError(f"{source}: unknown array {unknown[0]!r}; this model's arrays are {expected}")
        theta = np.empty(len(self.names))
        for spec in self.arrays:
            if spec.name not in given:
                raise ConfigError(f"{source}: missing array {spec.name}; this model's arrays are {expected}")
            try:
                value = np.array(given[spec.name], dtype=float)
            except (TypeError, ValueError):
                raise ConfigError(f"{source}: {spec.name} must be an array of numbers") from None
            if value.shape != spec.shape:
                raise ConfigError(f"{source}: {spec.name} has shape {value.shape}, expected {spec.shape}")
            theta[spec.where] = value.reshape(-1)
        return theta


def _read_json(path: str, source: str) -> dict:
    try:
        with open(path, encoding="utf-8") as f:
            loaded = json.load(f)
    except FileNotFoundError:
        raise ConfigError(f"{source}: file not found") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ConfigError(f"{source}: cannot read it as JSON ({exc})") from None
    if not isinstance(loaded, dict):
        raise ConfigError(f"{source}: expected a JSON object of arrays, got {type(loaded).__name__}")
    return loaded


def short_name(data) -> str:
    """'moons' for 'moons:n=200,noise=0.1,seed=0'; a CSV file's name without its folder."""
    name = data.name
    if "/" in name or os.sep in name or name.lower().endswith(".csv"):
        return os.path.basename(name)
    return name.partition(":")[0]


def check_targets(data, loss: OutputLoss) -> None:
    """A sigmoid output reaches only (0, 1); log-loss needs classes 0 and 1."""
    y = data.y
    if loss.name == "log-loss":
        bad = np.flatnonzero((y != 0) & (y != 1))
        if bad.size:
            i = int(bad[0])
            raise DataError(f"{data.name}: log-loss needs a target of 0 or 1, but row {i + 1} has "
                            f"{data.target_name} = {y[i]:g}; use mse for other targets")
    elif loss.output.name == "sigmoid":
        bad = np.flatnonzero((y < 0) | (y > 1))
        if bad.size:
            i = int(bad[0])
            raise DataError(f"{data.name}: row {i + 1} has {data.target_name} = {y[i]:g}, outside [0, 1] where "
                            "a sigmoid output lives; rescale the target, or use output=linear for regression")


def parse_options(options: dict[str, str], allowed: dict[str, tuple[str, ...] | None], model: str, what: str) -> dict:
    """Check a model's options: each known, each value among its choices (None: any)."""
    for key, value in options.items():
        if key not in allowed:
            raise ConfigError(f"{what} {model}: unknown option {key!r}; its options are {', '.join(allowed)}")
        choices = allowed[key]
        if choices is not None and value not in choices:
            raise ConfigError(f"{what} {model}: {key} must be one of {', '.join(choices)}, got {value!r}")
    return options
