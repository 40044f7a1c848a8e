"""Numbers and names checked at the boundary, with messages in the caller's words.

A bad value raises :class:`ParamError`, a ConfigError that knows which parameter it
is about. Its message names the parameter as Python spells it (``fps=``); the
command line re-spells it as its flag (``--fps``) and a spec string as its bare key
(``synthetic: n``), so the same check serves every caller::

    fps = validate.positive_float("fps", fps, upper=100)
    # Python:   fps= must be above 0 and at most 100, got 0
    # gdanim:   --fps must be above 0 and at most 100, got 0

Each ``name`` is the Python keyword; the CLI flag follows argparse's own rule
(``end_pause`` is ``--end-pause``). Every validator returns the value converted
(float or int), so callers keep what it returns.
"""
from __future__ import annotations

import difflib
import functools
import inspect
import math
import operator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Callable, Mapping, Sequence

from .errors import ConfigError, UnknownOptionError

__all__ = [
    "CLI", "KEY", "PYTHON", "ParamError", "Spelling", "Words", "at_least", "choice", "count", "finite", "in_range",
    "flag", "keywords", "number", "positive_float", "shown", "size", "text", "unknown_option", "whole", "within",
]


@dataclass(frozen=True)
class Spelling:
    """How a caller writes parameter ``param``, alone (``name``) and with a value (``given``)."""

    prefix: str  # before the name
    suffix: str  # after the name when it stands alone
    joiner: str  # between the name and a value
    dashes: bool = False  # underscores written as dashes (command-line flags)

    def name(self, param: str) -> str:
        return self.prefix + self._key(param) + self.suffix

    def given(self, param: str, text: str) -> str:
        return self.prefix + self._key(param) + self.joiner + text

    def flag(self, param: str) -> str:
        """A switch turned on: --drop-missing on the CLI, drop_missing=True in Python."""
        return self.name(param) if self.dashes else self.given(param, "True")

    def setting(self, param: str, value: str) -> str:
        """A string value as the caller writes it: optimizer='sgd' in Python, --optimizer sgd on the CLI."""
        return self.given(param, value if self.dashes or self.prefix else repr(value))

    def _key(self, param: str) -> str:
        return param.replace("_", "-") if self.dashes else param


PYTHON = Spelling("", "=", "=")  # fps=, fps=0
CLI = Spelling("--", "", " ", dashes=True)  # --fps, --fps 0
KEY = Spelling("", "", "=")  # n, n=0: a key inside a spec string such as synthetic:n=0


class Words:
    """The words a message uses for one parameter under one spelling."""

    def __init__(self, param: str, spelling: Spelling):
        self.param, self.spelling = param, spelling

    @property
    def name(self) -> str:
        return self.spelling.name(self.param)

    def given(self, text: str) -> str:
        return self.spelling.given(self.param, text)


class ParamError(ConfigError):
    """A bad value of one parameter; ``str()`` spells the parameter as Python does.

    ``compose(words)`` writes the message from :class:`Words`, so that
    :meth:`spelled` can write it again for another caller.
    """

    def __init__(self, param: str, compose: Callable[[Words], str]):
        self.param, self.compose = param, compose
        super().__init__(compose(Words(param, PYTHON)))

    def spelled(self, spelling: Spelling) -> str:
        return self.compose(Words(self.param, spelling))

    def __reduce__(self):  # the message survives pickling (process pools); the composer may not
        return ConfigError, (str(self),)


@contextmanager
def within(context: str, spelling: Spelling = KEY):
    """Report a ParamError raised inside as ``context`` + the message in ``spelling``.

    For parameters that live inside another value, e.g. the keys of a spec string.
    """
    try:
        yield
    except ParamError as exc:
        raise ConfigError(context + exc.spelled(spelling)) from None


# ---------------------------------------------------------------------------- numbers


def number(name: str, value) -> float:
    """``float(value)``; anything float() refuses is an error."""
    try:
        return float(value)
    except (TypeError, ValueError):
        raise ParamError(name, lambda w: f"{w.name} must be a number, got {value!r}") from None


def finite(name: str, value, unit: str | None = None) -> float:
    """A finite float; ``unit`` (say "degrees") is named in the message."""
    value = number(name, value)
    if not math.isfinite(value):
        kind = f"a finite number of {unit}" if unit else "finite"
        raise ParamError(name, lambda w: f"{w.name} must be {kind}, got {value:g}")
    return value


def positive_float(name: str, value, upper: float | None = None) -> float:
    """A finite float above 0, and at most ``upper`` when given."""
    value = number(name, value)
    if upper is None:
        if not (math.isfinite(value) and value > 0):
            raise ParamError(name, lambda w: f"{w.name} must be a positive finite number, got {value:g}")
    elif not (math.isfinite(value) and 0 < value <= upper):
        raise ParamError(name, lambda w: f"{w.name} must be above 0 and at most {upper:g}, got {value:g}")
    return value


def in_range(name: str, value, lo: float, hi: float, unit: str = "") -> float:
    """A float in [lo, hi]; the message shows the value as the caller gave it."""
    checked = number(name, value)
    if not (math.isfinite(checked) and lo <= checked <= hi):
        span = f"{lo:g} to {hi:g}" + (f" {unit}" if unit else "")
        raise ParamError(name, lambda w: f"{w.name} must be {span}, got {value!r}")
    return checked


def at_least(name: str, value, lo: float) -> float:
    """A float >= lo (lo itself allowed)."""
    value = number(name, value)
    if not value >= lo:
        raise ParamError(name, lambda w: f"{w.name} must be >= {lo:g}, got {value:g}")
    return value


def whole(name: str, value, minimum: int = 0, maximum: int | None = None) -> int:
    """An int >= ``minimum`` (and <= ``maximum`` when given): a Python or numpy integer,
    not a bool or a float like 2.0."""
    try:
        if isinstance(value, bool):
            raise TypeError
        checked = operator.index(value)
    except TypeError:
        checked = None
    if checked is None or checked < minimum or (maximum is not None and checked > maximum):
        span = f">= {minimum}" if maximum is None else f"from {minimum} to {maximum}"
        raise ParamError(name, lambda w: f"{w.name} must be a whole number {span}, got {value!r}")
    return checked


def count(name: str, value) -> int:
    """How many of something: a whole number >= 1."""
    return whole(name, value, minimum=1)


def size(name: str, value, limits: tuple[int, int]) -> tuple[int, int]:
    """(width, height) in pixels from "960x540" or a pair, each side within ``limits``."""
    if isinstance(value, str):
        w, sep, h = value.lower().partition("x")
        try:
            if not sep:
                raise ValueError
            value = (int(w), int(h))
        except ValueError:
            raise ParamError(name, lambda words: f"{words.name} must look like 960x540 (pixels), got {value!r}") from None
    try:
        w, h = (int(v) for v in value)
    except (TypeError, ValueError):
        raise ParamError(name, lambda words: f"{words.name} must be a width and a height, got {value!r}") from None
    lo, hi = limits
    if not (lo <= w <= hi and lo <= h <= hi):
        raise ParamError(
            name, lambda words: f"{words.given(f'{w}x{h}')} is out of range: each side must be {lo} to {hi} pixels"
        )
    return w, h


# ---------------------------------------------------------------------------- names


def choice(kind: str, value, options: Sequence[str] | Mapping[str, object]):
    """``value`` if it is one of ``options`` (for a mapping: what it maps to).

    The message lists the options in order: "unknown style 'neon'; choose one of: ...".
    """
    try:
        known = value in options
    except TypeError:  # unhashable, say a list given for a name
        known = False
    if not known:
        raise ConfigError(f"unknown {kind} {value!r}; choose one of: {', '.join(options)}")
    return options[value] if isinstance(options, Mapping) else value


SHOW = 40  # characters of a bad item or name quoted in a message


def shown(text: str, limit: int = SHOW) -> str:
    """``text`` quoted for a one-line message, shortened if long."""
    return repr(text if len(text) <= limit else text[:limit] + "...")


def text(name: str, value, limit: int = 200) -> str | None:
    """None, or a string of at most ``limit`` characters (a title, a caption)."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise ParamError(name, lambda w: f"{w.name} must be text, got {shown(repr(value))}")
    if len(value) > limit:
        raise ParamError(name, lambda w: f"{w.name} must be at most {limit} characters, got {len(value)}")
    return value


def flag(name: str, value) -> bool:
    """True or False (numpy's bools too); 1, 'yes' and the like are refused."""
    if type(value).__name__ not in ("bool", "bool_"):
        raise ParamError(name, lambda w: f"{w.name} must be True or False, got {shown(repr(value))}")
    return bool(value)


# ---------------------------------------------------------------------------- keywords


def unknown_option(name: str, known: Sequence[str]) -> UnknownOptionError:
    """"unknown option 'sise'; did you mean 'size'?", or the list of options when nothing is close."""
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6) or [k for k in known if k.startswith(name)]
    hint = f"did you mean {close[0]!r}?" if close else f"the options are: {', '.join(known)}"
    return UnknownOptionError(f"unknown option {name!r}; {hint}")


def keywords(func: Callable) -> Callable:
    """``func`` refusing unknown keyword arguments with a suggestion, not Python's TypeError.

    The wrapper keeps ``func``'s signature for ``help()`` and ``inspect.signature``.
    """
    parameters = inspect.signature(func).parameters.values()
    known = [p.name for p in parameters if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY) and p.name != "self"]

    @functools.wraps(func)
    def checked(*args, **kwargs):
        for name in kwargs:
            if name not in known:
                raise unknown_option(name, known)
        return func(*args, **kwargs)

    return checked
