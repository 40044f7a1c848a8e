"""CSV files: a header row, then rows of numbers; every problem named by file, line and column.

Lines are numbered as in the file, the header being line 1. Files are read by
``numpy.loadtxt`` (C speed). When it cannot read a file, a careful scan with the
:mod:`csv` module either finds what is wrong, or reads the file itself (say, a
column that is not used holds text, or rows with missing values are to be left out).
Cells are separated by the given delimiter or the one the file uses (``columns.sniff``);
columns are chosen by name or 0-based index (``columns.select``).
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
from ..validate import ParamError, shown
from .columns import delimiter_option, quote, select, sniff
from .dataset import Dataset

#: Cells that hold no value (compared in lower case); drop_missing leaves their rows out.
MISSING = {"", "na", "n/a", "nan", "null"}


class CellError(ParamError, DataError):
    """A bad cell whose message suggests an option, spelled as the caller spells it."""


def load_csv(path: Path, name: str, x, y, delimiter=None, drop_missing: bool = False) -> Dataset:
    """Columns ``x`` (default: all but ``y``) and ``y`` (default: the last) of a CSV file, named ``name``.

    delimiter: one character, or None to use the file's own. drop_missing: leave out rows
    with an empty or NA cell in a used column (their lines are kept in ``Dataset.dropped``).
    """
    delimiter = delimiter_option(delimiter)
    raw = _read_bytes(path, name)
    text = _decode(raw, name)
    delimiter = delimiter or sniff(text)
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, skipinitialspace=True)
    header = _header(rows, name)
    x_cols, y_col = select(header, x, y, name)
    used = [*x_cols, y_col]
    # numpy skips exactly one line: if a quoted header spans several, only the scan is right
    table = _fast_table(raw, len(header), delimiter) if rows.line_num == 1 else None
    values = table[:, used] if table is not None else None
    dropped = ()
    if values is None or not np.isfinite(values).all():
        values, dropped = _scan(rows, header, (x_cols, y_col), name, drop_missing)
    x_names = tuple(header[j] for j in x_cols)
    return Dataset(name, values[:, :-1], values[:, -1], x_names, header[y_col], dropped)


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
            raise DataError(f"{name} line 1: duplicate column name {quote(column)}")
        seen.add(column)
    if len(header) < 2:
        raise DataError(f"{name}: only one column ({quote(header[0])}); need at least one x column and a y column")
    return header


def _fast_table(raw: bytes, n_columns: int, delimiter: str) -> np.ndarray | None:
    """Every data cell as float64, or None when numpy cannot read the file as a full numeric table.

    None is never an error: :func:`_scan` then reads the file and reports what is wrong.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "input contained no data": _scan says so more clearly
            table = np.loadtxt(
                io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8-sig"),
                dtype=np.float64, delimiter=delimiter, skiprows=1, ndmin=2, comments=None, quotechar='"',
            )
    except Exception:  # whatever loadtxt makes of bad input, the careful scan explains it
        return None
    if table.shape[0] == 0 or table.shape[1] != n_columns:
        return None
    return table


def _scan(rows, header: list[str], columns, name: str, drop_missing: bool):
    """(values of the used columns, lines left out) for the rows after the header,
    checking each cell; slow but precise.

    Blank lines are skipped. Columns that are not used may hold anything.
    """
    x_cols, y_col = columns
    out, dropped = [], []
    try:
        for row in rows:
            if len(row) <= 1 and not "".join(row).strip():
                continue
            line = rows.line_num
            if len(row) != len(header):
                cells = "cell" if len(row) == 1 else "cells"
                raise DataError(f"{name} line {line} has {len(row)} {cells}, but the header has {len(header)} columns")
            cells = [row[j].strip() for j in (*x_cols, y_col)]
            if drop_missing and any(cell.lower() in MISSING for cell in cells):
                dropped.append(line)
                continue
            out.append([_value(cell, f"{name} line {line}, column {quote(header[j])}", j == y_col, first=not out)
                        for cell, j in zip(cells, (*x_cols, y_col))])
    except csv.Error as e:
        raise DataError(f"{name} line {rows.line_num}: not valid CSV ({e})") from None
    if not out:
        left_out = f" ({len(dropped)} with missing values left out)" if dropped else ""
        raise DataError(f"{name}: no data rows after the header{left_out}")
    return np.array(out, dtype=np.float64), tuple(dropped)


def _value(cell: str, where: str, is_y: bool, first: bool) -> float:
    """The number in one used cell, or one line saying what is wrong and what to do."""
    if cell.lower() in MISSING:
        what = "empty cell" if not cell else f"missing value {shown(cell)}"
        raise CellError("drop_missing", lambda w: f"{where}: {what}; {w.spelling.flag('drop_missing')} "
                        "leaves out rows with missing values")
    value = _number(cell)
    if value is None:
        if first:  # text in the first row: a column of names or IDs, not a stray typo
            param, role = ("y", "the target") if is_y else ("x", "columns")
            raise CellError(param, lambda w: f"{where}: not a number: {shown(cell)}; choose {role} with {w.name}")
        raise DataError(f"{where}: not a number: {shown(cell)}")
    if not math.isfinite(value):
        raise DataError(f"{where}: not a finite number: {shown(cell)}")
    return value


def _number(cell: str) -> float | None:
    """The float written in ``cell`` (ASCII, no digit separators), or None."""
    if not cell.isascii() or "_" in cell:
        return None
    try:
        return float(cell)
    except ValueError:
        return None
