"""CSV files: a header row, then rows of numbers; every problem named by file, line and column.

Lines are numbered as in the file, the header being line 1. Files are read by
``numpy.loadtxt`` (C speed). When it cannot read a file, a careful scan with the
:mod:`csv` module either finds what is wrong, or reads the file itself (say, a
column that is not used holds text).
"""
from __future__ import annotations

import codecs
import csv
import io
import math
import warnings
from pathlib import Path

import numpy as np

from ..errors import DataError
from ..validate import shown
from .dataset import Dataset


def load_csv(path: Path, name: str, x, y) -> Dataset:
    """Columns ``x`` (default: all but ``y``) and ``y`` (default: the last) of a CSV file, named ``name``."""
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
            f"{name} line 1: the header row looks like data ({shown(','.join(header))}); "
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
                    raise DataError(f"{where}: not a number: {shown(cell)}")
                if not math.isfinite(value):
                    raise DataError(f"{where}: not a finite number: {shown(cell)}")
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


def _quote(column: str) -> str:
    """A column name in double quotes, control characters escaped."""
    return '"' + shown(column)[1:-1] + '"'
