"""Objectives: what gradient descent minimises, behind one protocol (``base.Objective``).

``make_objective`` turns a spec into an objective:

- data alone, or 'linear' with data: linear regression on that data (``linear.py``);
- 'rosenbrock', 'bowl:kappa=10,angle=30', ...: a built-in 2-D function (``functions.py``);
- 'sigmoid', 'mlp:hidden=8', ... with data: a sigmoid unit or a two-layer network
  (``sigmoid.py``, ``mlp.py``);
- any other text: an expression such as 'x**2 + 10*y**2' (``expression.py``);
- an Objective (for example from ``gdanim.objective``): used as it is;
- a dict from ``Objective.spec`` (a saved History): rebuilt.

``standardize`` ('features' or 'all') trains linear regression on z-scored data
(``standardized.py``).

New models register a builder here (``register``); the trainer never changes.
"""
from __future__ import annotations

import re
from importlib import import_module
from typing import Callable, NamedTuple

from .. import data as datasets
from ..errors import ConfigError
from ..scaling import standardize_mode
from ..validate import ParamError
from .base import INIT_SCHEMES, Objective
from .functions import BOWL_OPTIONS, FUNCTIONS, make_function
from .linear import LinearRegression
from .standardized import Standardized

__all__ = ["INIT_SCHEMES", "Objective", "REGISTRY", "make_objective", "register"]


class Builder(NamedTuple):
    build: Callable[..., Objective]  # (options: dict[str, str], data, loss, what) -> Objective
    needs_data: bool


REGISTRY: dict[str, Builder] = {}
_NAME = re.compile(r"[A-Za-z_]\w*\Z")


def register(name: str, build: Callable[..., Objective], needs_data: bool = False) -> None:
    """Make ``name`` (or ``name:option=value,...``) a valid objective spec."""
    REGISTRY[name] = Builder(build, needs_data)


def _function(name):
    return lambda options, data, loss, what: make_function(name, options, what)


def _linear(options, data, loss, what):
    if options:
        raise ConfigError(f"{what}: linear takes no options, got {', '.join(options)}")
    return LinearRegression(data, loss or "mse")


for _name in (*FUNCTIONS, "bowl"):
    register(_name, _function(_name))
register("linear", _linear, needs_data=True)
def _model(module: str):
    """A model's builder, its module (and the network code under it) imported on first use."""
    return lambda options, data, loss, what: import_module(f".{module}", __name__).build(options, data, loss, what)


register("sigmoid", _model("sigmoid"), needs_data=True)
register("mlp", _model("mlp"), needs_data=True)


def make_objective(spec=None, *, data=None, loss: str | None = None, params=None, what: str = "objective",
                   standardize=None) -> Objective:
    """The objective that ``spec`` and ``data`` describe (see the module docstring).

    loss: mse, half-mse, sse or half-sse (log-loss too for sigmoid outputs), for data objectives only.
    params: the order of an expression's parameters (default: order of first appearance).
    what: how the caller named the spec ('--objective' on the command line), for messages.
    standardize: None, 'features' (or True) or 'all': linear regression on z-scored data.
    """
    if data is not None and not isinstance(data, datasets.Dataset):
        data = datasets.load(data)
    if spec is None:
        if data is None:
            raise ConfigError("give data or an objective to train on")
        spec = "linear"
    mode = standardize_mode(standardize)
    if mode is not None:
        return _standardized(spec, data, loss, mode, what)
    if isinstance(spec, Objective):
        objective = spec
    elif isinstance(spec, dict):
        objective = _from_dict(spec, data, loss, params, what)
    elif isinstance(spec, str):
        objective = _from_text(spec.strip(), data, loss, params, what)
    else:
        raise ConfigError(f"{what} must be a name, an expression or an Objective, got {type(spec).__name__}")
    if data is not None and objective.data is None:
        raise ConfigError(f"data and {what} conflict: {objective.label!r} takes no data; give one or the other")
    if loss is not None and objective.data is None:
        raise ConfigError(f"loss applies to data objectives, not to {objective.label!r}")
    return objective


def _standardized(spec, data, loss, mode: str, what: str) -> Objective:
    linear = spec == "linear" or (isinstance(spec, dict) and spec.get("kind") == "linear")
    if not linear or data is None:
        label = spec.label if isinstance(spec, Objective) else spec if isinstance(spec, str) else "this objective"
        raise ParamError("standardize", lambda w: f"{w.name} applies to linear regression on data, not to {label!r}")
    return Standardized(data, loss or (spec.get("loss") if isinstance(spec, dict) else None) or "mse", mode)


def _from_text(text: str, data, loss, params, what) -> Objective:
    name, colon, rest = text.partition(":")
    name = name.strip()
    if _NAME.match(name):  # 'rosenbrock', 'bowl:kappa=10': a registered name, not an expression
        if name not in REGISTRY and data is not None:
            models = ", ".join(n for n, entry in REGISTRY.items() if entry.needs_data)
            raise ConfigError(f"unknown model {name!r} in {what}; choose one of: {models}")
        if name not in REGISTRY:
            known = ", ".join(n for n in REGISTRY if n != "linear")
            raise ConfigError(
                f"unknown objective {name!r} in {what}; choose one of: {known}, or write an expression like 'x**2 + 10*y**2'"
            )
        if params is not None:
            raise ConfigError(f"params applies to expressions, not to {name!r}")
        builder = REGISTRY[name]
        if builder.needs_data and data is None:
            raise ConfigError(f"{what} {name!r} needs data")
        return builder.build(_options(rest, name, what) if colon else {}, data, loss, what)
    from .expression import Expression

    return Expression(text, params=params, what=what)


def _options(text: str, name: str, what: str) -> dict[str, str]:
    """'kappa=10,angle=30' -> {'kappa': '10', 'angle': '30'}."""
    options = {}
    for item in text.split(","):
        key, eq, value = item.partition("=")
        if not eq or not key.strip() or not value.strip():
            example = ",".join(f"{k}={v:g}" for k, v in BOWL_OPTIONS.items())
            raise ConfigError(f"cannot read {item.strip()!r} in {what} {name}:{text}; write {name}:option=value,... like bowl:{example}")
        options[key.strip()] = value.strip()
    return options


def _from_dict(spec: dict, data, loss, params, what) -> Objective:
    kind = spec.get("kind")
    if kind == "linear":
        return make_objective("linear", data=data, loss=loss or spec.get("loss"), what=what,
                              standardize=spec.get("standardize"))
    if kind == "function":
        return _from_text(spec["text"], data, loss, None, what)
    if kind == "model":
        return _from_text(spec["text"], data, loss or spec.get("loss"), None, what)
    if kind == "expression":
        from .expression import Expression

        return Expression(spec["text"], params=spec.get("params") if params is None else params, what=what)
    raise ConfigError(f"{what}: a {kind!r} objective cannot be rebuilt from its description; pass the objective itself")
