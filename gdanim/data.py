"""Datasets: the built-ins, synthetic data, CSV files and arrays, validated at the boundary.

Every way in ends in a :class:`Dataset`, whose constructor checks shapes and
finiteness, so nothing downstream has to. Bad data raises :class:`DataError` with a
one-line message naming the source and, for CSV files, the line and column: lines are
numbered as in the file, the header being line 1.

CSV files are read by ``numpy.loadtxt`` (C speed). When it cannot read a file, a
careful scan with the :mod:`csv` module either finds what is wrong, or reads the file
itself (say, a column that is not used holds text).
"""
from __future__ import annotations

import codecs
import csv
import io
import math
import operator
import os
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np

from . import classification_data
from .errors import ConfigError, DataError

__all__ = ["BUILTIN", "Dataset", "from_arrays", "load", "synthetic"]

BUILTIN = ("six-points", "six-points-2d", "backprop-demo", "one-point", "line-100", "synthetic")

# The rows of the small built-ins, as (features..., target).
_TABLES = {
    "six-points": ((1, 4), (2, -12), (4, 3), (5, -11), (6, -5), (7, -17)),
    "six-points-2d": ((1, -2, 14), (2, 1, -12), (4, 1, -31), (5, -3, -21), (6, 4, -51), (7, 5, -37)),
    "backprop-demo": ((4, 1, 2), (2, 8, -14), (1, 0, 1), (3, 2, -1), (1, 4, -7), (6, 7, -8)),
    "one-point": ((1.5, 0.8),),
}

# Defaults of the ``synthetic[:key=value,...]`` string form.
_SYNTHETIC_DEFAULTS = {"n": 100, "w": (1.0,), "b": 0.0, "noise": 0.1, "seed": 0}

_SHOW = 40  # characters of a bad cell or name quoted in a message


@dataclass(frozen=True, eq=False)
class Dataset:
    """Rows of features ``X`` and targets ``y``.

    The constructor copies ``X`` and ``y`` to read-only, C-contiguous float64 arrays
    and checks them, so a Dataset built by hand is as trustworthy as a loaded one.
    Datasets compare by identity (``==`` on arrays has no single truth value).

    Attributes:
        name: the built-in's name, the canonical ``synthetic:...`` spec, or the CSV
            path as given.
        X: (n, k) features, n >= 1, k >= 1, all finite.
        y: (n,) targets, all finite.
        feature_names: k distinct names, ("x",) or ("x1", "x2", ...) unless read
            from a CSV header.
        target_name: the name of y.

    Raises:
        DataError: wrong shapes, mismatched lengths, or values that are not finite.
    """

    name: str
    X: np.ndarray
    y: np.ndarray
    feature_names: tuple[str, ...]
    target_name: str

    def __post_init__(self):
        if not isinstance(self.name, str):
            raise DataError(f"a dataset name must be a string, got {type(self.name).__name__}")
        X = _float_array(self.X, self.name, "X")
        y = _float_array(self.y, self.name, "y")
        if X.ndim != 2:
            raise DataError(f"{self.name}: X must be 2-D (n rows, k features), got shape {X.shape}")
        if y.ndim != 1:
            raise DataError(f"{self.name}: y must be 1-D, got shape {y.shape}")
        n, k = X.shape
        if n == 0:
            raise DataError(f"{self.name}: no rows")
        if k == 0:
            raise DataError(f"{self.name}: no features (X has 0 columns)")
        if len(y) != n:
            raise DataError(f"{self.name}: X has {n} rows but y has {len(y)}")
        _check_finite(X, self.name, "X")
        _check_finite(y, self.name, "y")
        names = self.feature_names
        if not isinstance(names, (tuple, list)) or not all(isinstance(s, str) for s in names):
            raise DataError(f"{self.name}: feature_names must be a sequence of strings")
        names = tuple(names)
        if len(names) != k:
            raise DataError(f"{self.name}: {len(names)} feature names for {k} features")
        if len(set(names)) != k:
            raise DataError(f"{self.name}: feature names repeat: {names}")
        if not isinstance(self.target_name, str):
            raise DataError(f"{self.name}: target_name must be a string")
        X.flags.writeable = False
        y.flags.writeable = False
        object.__setattr__(self, "X", X)
        object.__setattr__(self, "y", y)
        object.__setattr__(self, "feature_names", names)

    @property
    def n(self) -> int:
        """Number of rows."""
        return self.X.shape[0]

    @property
    def k(self) -> int:
        """Number of features."""
        return self.X.shape[1]

    def __repr__(self) -> str:
        return f"Dataset({self.name!r}, n={self.n}, features={self.feature_names}, target={self.target_name!r})"


def load(source: str | os.PathLike, *, x: Sequence[str] | str | None = None, y: str | None = None) -> Dataset:
    """A built-in dataset, a ``synthetic:...`` spec, or a CSV file.

    Args:
        source: one of :data:`BUILTIN`; a two-class set (``gdanim.classification_data``) such
            as ``moons:n=200,noise=0.1,seed=0``; ``synthetic:n=1000,w=2;-1,b=3,noise=0.5,seed=0``
            (any subset of the keys, defaults n=100, w=1, b=0, noise=0.1, seed=0;
            ``;`` separates the weights of several features); or a path to a CSV
            file with a header row. A ``PathLike`` is always a path.
        x: CSV feature columns, a list of header names or one comma-separated
            string. Default: every column but ``y``.
        y: CSV target column. Default: the last column.

    Raises:
        DataError: unknown name, missing or unusable file (the message names the
            file, and the line and column where one is at fault).
        ConfigError: a bad ``synthetic`` spec, or ``x``/``y`` given for a built-in.
    """
    if not isinstance(source, os.PathLike):
        if not isinstance(source, str):
            raise TypeError(f"load() needs a dataset name or a path, got {type(source).__name__}")
        if source in BUILTIN or source.startswith("synthetic:") or classification_data.is_classification(source):
            if x is not None or y is not None:
                raise ConfigError(f"x and y select CSV columns; they do not apply to the built-in {source!r}")
            return classification_data.load(source) if classification_data.is_classification(source) else _builtin(source)
    name = os.fspath(source)
    path = Path(name)
    looks_like_path = isinstance(source, os.PathLike) or name.lower().endswith(".csv") or "/" in name or os.sep in name
    if not looks_like_path and not path.exists():
        raise DataError(
            f"unknown dataset {name!r}: give a CSV file or one of the built-ins: "
            f"{', '.join(BUILTIN[:-1])}, synthetic[:n=...,w=...,b=...,noise=...,seed=...], "
            f"{', '.join(classification_data.DEFAULTS)} (two classes)"
        )
    return _load_csv(path, name, x, y)


def synthetic(n: int, w: Sequence[float] | float, b: float, noise: float = 0.0, seed: int = 0) -> Dataset:
    """``y = X @ w + b + noise * N(0, 1)`` with ``X`` uniform on [0, 1), one column per weight.

    ``X`` is drawn first from ``np.random.default_rng(seed)``, then the noise (only when
    ``noise > 0``), so the features do not depend on the noise level. The dataset's
    name is the canonical ``synthetic:...`` spec, which :func:`load` turns back into
    the same data.

    Raises:
        ConfigError: n < 1, no weights, a value that is not finite, noise < 0, seed < 0.
    """
    n = _whole(n, "n", minimum=1)
    try:
        weights = np.atleast_1d(np.asarray(w, dtype=np.float64))
    except (TypeError, ValueError):
        raise ConfigError(f"synthetic: w must be a number or a list of numbers, got {w!r}") from None
    if weights.ndim != 1 or weights.size == 0:
        raise ConfigError(f"synthetic: w must be a number or a non-empty list of numbers, got {w!r}")
    if not np.isfinite(weights).all():
        raise ConfigError(f"synthetic: the weights must be finite, got {weights.tolist()}")
    b = _finite(b, "b")
    noise = _finite(noise, "noise")
    if noise < 0:
        raise ConfigError(f"synthetic: noise must be >= 0, got {noise:g}")
    seed = _whole(seed, "seed", minimum=0)

    rng = np.random.default_rng(seed)
    X = rng.random((n, weights.size))
    target = X @ weights + b
    if noise > 0:
        target = target + noise * rng.standard_normal(n)
    spec = (
        f"synthetic:n={n},w={';'.join(_num(v) for v in weights)},b={_num(b)},noise={_num(noise)},seed={seed}"
    )
    return Dataset(spec, X, target, _default_feature_names(weights.size), "y")


def from_arrays(X, y, name: str = "arrays") -> Dataset:
    """A Dataset from array-likes: ``X`` of shape (n,) or (n, k), ``y`` of shape (n,).

    A 1-D ``X`` is one feature. Features are named ``x`` (or ``x1``..``xk``), the target ``y``.

    Raises:
        DataError: values that are not numbers or not finite, wrong shapes, or
            ``X`` and ``y`` of different lengths.
    """
    X = _float_array(X, name, "X")
    if X.ndim == 1:
        X = X[:, None]
    k = X.shape[1] if X.ndim == 2 else 0
    return Dataset(name, X, y, _default_feature_names(k), "y")


# ---------------------------------------------------------------------------- built-ins


def _builtin(source: str) -> Dataset:
    if source == "line-100":
        x = np.random.default_rng(0).random(100)
        return Dataset(source, x[:, None], 2 * x + 3, ("x",), "y")
    if source == "synthetic" or source.startswith("synthetic:"):
        return synthetic(**_parse_synthetic(source))
    table = np.array(_TABLES[source], dtype=np.float64)
    k = table.shape[1] - 1
    return Dataset(source, table[:, :k], table[:, k], _default_feature_names(k), "y")


def _parse_synthetic(spec: str) -> dict:
    """Keyword arguments of :func:`synthetic` from ``synthetic[:key=value,...]``."""
    params = dict(_SYNTHETIC_DEFAULTS)
    seen = set()
    body = spec.partition(":")[2]
    for item in filter(None, (s.strip() for s in body.split(","))):
        key, eq, value = (s.strip() for s in item.partition("="))
        if not eq:
            raise ConfigError(f"{spec!r}: expected key=value, got {item!r}")
        if key not in _SYNTHETIC_DEFAULTS:
            raise ConfigError(f"{spec!r}: unknown key {key!r}; the keys are {', '.join(_SYNTHETIC_DEFAULTS)}")
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


def _whole(value, what: str, minimum: int) -> int:
    if isinstance(value, bool):
        raise ConfigError(f"synthetic: {what} must be a whole number, got {value!r}")
    try:
        value = operator.index(value)
    except TypeError:
        raise ConfigError(f"synthetic: {what} must be a whole number, got {value!r}") from None
    if value < minimum:
        raise ConfigError(f"synthetic: {what} must be at least {minimum}, got {value}")
    return value


def _finite(value, what: str) -> float:
    try:
        value = float(value)
    except (TypeError, ValueError):
        raise ConfigError(f"synthetic: {what} must be a number, got {value!r}") from None
    if not math.isfinite(value):
        raise ConfigError(f"synthetic: {what} must be finite, got {value}")
    return value


def _num(v: float) -> str:
    """Shortest text that reads back as exactly ``v``: 2.0 -> '2', 0.1 -> '0.1'."""
    v = float(v)
    return str(int(v)) if v.is_integer() and abs(v) < 1e16 else repr(v)


def _default_feature_names(k: int) -> tuple[str, ...]:
    return ("x",) if k == 1 else tuple(f"x{j}" for j in range(1, k + 1))


# ---------------------------------------------------------------------------- arrays


def _float_array(a, name: str, what: str) -> np.ndarray:
    """A fresh, C-contiguous float64 copy of ``a`` (never a view of the caller's memory)."""
    try:
        return np.array(a, dtype=np.float64, order="C", copy=True)
    except (TypeError, ValueError) as e:
        raise DataError(f"{name}: {what} must be an array of numbers ({e})") from None


def _check_finite(a: np.ndarray, name: str, what: str) -> None:
    bad = ~np.isfinite(a)
    if bad.any():
        where = tuple(int(i) for i in np.argwhere(bad)[0])
        index = ", ".join(map(str, where))
        raise DataError(f"{name}: {what}[{index}] is {a[where]}; every value must be finite")


# ---------------------------------------------------------------------------- CSV


def _load_csv(path: Path, name: str, x, y) -> Dataset:
    raw = _read_bytes(path, name)
    text = _decode(raw, name)
    rows = csv.reader(io.StringIO(text, newline=""), skipinitialspace=True)
    header = _header(rows, name)
    x_cols, y_col = _select(header, x, y, name)
    used = [*x_cols, y_col]
    # numpy skips exactly one line: if a quoted header spans several, only the scan is right
    table = _fast_table(raw, len(header)) if rows.line_num == 1 else None
    values = table[:, used] if table is not None else None
    if values is None or not np.isfinite(values).all():
        values = _scan(rows, header, used, name)
    return Dataset(name, values[:, :-1], values[:, -1], tuple(header[j] for j in x_cols), header[y_col])


def _read_bytes(path: Path, name: str) -> bytes:
    if not path.exists():
        raise DataError(f"data file not found: {name}")
    if path.is_dir():
        raise DataError(f"{name} is a directory, not a CSV file")
    try:
        return path.read_bytes()
    except OSError as e:
        raise DataError(f"cannot read {name}: {e.strerror or e}") from None


def _decode(raw: bytes, name: str) -> str:
    """The file as text: UTF-8, with or without a byte-order mark."""
    body = raw[len(codecs.BOM_UTF8):] if raw.startswith(codecs.BOM_UTF8) else raw
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as e:
        line = _line_count(body[: e.start].decode("utf-8")) + 1
        raise DataError(f"{name} line {line}: not UTF-8 text (byte {body[e.start]:#04x}); save the file as UTF-8 CSV") from None
    if not text or text.isspace():
        raise DataError(f"{name}: the file is empty; it needs a header row and data rows")
    return text


def _line_count(text: str) -> int:
    """Line breaks in ``text``, counting \\n, \\r\\n and \\r each as one (as the csv module does)."""
    return text.count("\n") + text.count("\r") - text.count("\r\n")


def _header(rows, name: str) -> list[str]:
    try:
        header = [cell.strip() for cell in next(rows)]
    except csv.Error as e:
        raise DataError(f"{name} line 1: cannot read the header row ({e})") from None
    if header in ([], [""]):
        raise DataError(f"{name} line 1: the header row is blank; the first line must name the columns, e.g. x,y")
    for j, column in enumerate(header):
        if not column:
            raise DataError(f"{name} line 1: column {j + 1} of the header has no name")
    if all(_number(column) is not None for column in header):
        raise DataError(
            f"{name} line 1: the header row looks like data ({_show(','.join(header))}); "
            "the first line must name the columns, e.g. x,y"
        )
    seen = set()
    for column in header:
        if column in seen:
            raise DataError(f"{name} line 1: duplicate column name {_quote(column)}")
        seen.add(column)
    if len(header) < 2:
        raise DataError(f"{name}: only one column ({_quote(header[0])}); need at least one x column and a y column")
    return header


def _select(header: list[str], x, y, name: str) -> tuple[list[int], int]:
    """Indices of the x columns and of the y column."""
    index = {column: j for j, column in enumerate(header)}

    def find(column: str) -> int:
        if column not in index:
            available = ", ".join(_quote(c) for c in header)
            raise DataError(f"{name}: no column {_quote(column)}; the columns are {available}")
        return index[column]

    if y is None:
        y_col = len(header) - 1
    elif isinstance(y, str):
        y_col = find(y.strip())
    else:
        raise TypeError(f"y must be a column name, got {type(y).__name__}")
    if x is None:
        return [j for j in range(len(header)) if j != y_col], y_col

    names = x.split(",") if isinstance(x, str) else list(x)
    if not all(isinstance(column, str) for column in names):
        raise TypeError("x must be a comma-separated string or a list of column names")
    names = [column.strip() for column in names]
    if not names:
        raise DataError(f"{name}: x lists no columns")
    if not all(names):
        raise DataError(f"{name}: empty column name in x={x!r}")
    x_cols = [find(column) for column in names]
    if len(set(x_cols)) != len(x_cols):
        raise DataError(f"{name}: a column is listed twice in x={x!r}")
    if y_col in x_cols:
        raise DataError(f"{name}: column {_quote(header[y_col])} is both an x column and the y column")
    return x_cols, y_col


def _fast_table(raw: bytes, n_columns: int) -> np.ndarray | None:
    """Every data cell as float64, or None when numpy cannot read the file as a full numeric table.

    None is never an error: :func:`_scan` then reads the file and reports what is wrong.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "input contained no data": _scan says so more clearly
            table = np.loadtxt(
                io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8-sig"),
                dtype=np.float64, delimiter=",", skiprows=1, ndmin=2, comments=None, quotechar='"',
            )
    except Exception:  # whatever loadtxt makes of bad input, the careful scan explains it
        return None
    if table.shape[0] == 0 or table.shape[1] != n_columns:
        return None
    return table


def _scan(rows, header: list[str], used: list[int], name: str) -> np.ndarray:
    """The used columns of the rows after the header, checking each cell; slow but precise.

    Blank lines are skipped. Columns that are not used may hold anything.
    """
    out = []
    try:
        for row in rows:
            if len(row) <= 1 and not "".join(row).strip():
                continue
            line = rows.line_num
            if len(row) != len(header):
                cells = "cell" if len(row) == 1 else "cells"
                raise DataError(f"{name} line {line} has {len(row)} {cells}, but the header has {len(header)} columns")
            values = []
            for j in used:
                cell = row[j].strip()
                where = f"{name} line {line}, column {_quote(header[j])}"
                if not cell:
                    raise DataError(f"{where}: empty cell")
                value = _number(cell)
                if value is None:
                    raise DataError(f"{where}: not a number: {_show(cell)}")
                if not math.isfinite(value):
                    raise DataError(f"{where}: not a finite number: {_show(cell)}")
                values.append(value)
            out.append(values)
    except csv.Error as e:
        raise DataError(f"{name} line {rows.line_num}: not valid CSV ({e})") from None
    if not out:
        raise DataError(f"{name}: no data rows after the header")
    return np.array(out, dtype=np.float64)


def _number(cell: str) -> float | None:
    """The float written in ``cell`` (ASCII, no digit separators), or None."""
    if not cell.isascii() or "_" in cell:
        return None
    try:
        return float(cell)
    except ValueError:
        return None


def _show(text: str) -> str:
    """``text`` quoted for a one-line message, shortened if long."""
    return repr(text if len(text) <= _SHOW else text[:_SHOW] + "...")


def _quote(column: str) -> str:
    """A column name in double quotes, control characters escaped."""
    return '"' + _show(column)[1:-1] + '"'
