"""Which columns of a CSV file to use, and how its cells are separated.

Columns are named as in the header, or by their 0-based position (``--x 3``; a header
name wins where a name is itself a number). A list given as one string is read as a
CSV row, so a name that contains a comma is written in double quotes:
``--x '"weight, kg",height'``; a string that is exactly one column's name is that
column. Without a delimiter the file's own is found: the candidate that splits the
header and the first data row into the same number (two or more) of cells, the most
cells winning, a comma on a tie.
"""
from __future__ import annotations

import csv

from ..errors import DataError
from ..validate import ParamError, shown

DELIMITERS = (",", ";", "\t", "|")
DELIMITER_NAMES = {"comma": ",", "semicolon": ";", "tab": "\t", "\\t": "\t", "pipe": "|", "space": " "}


def delimiter_option(value) -> str | None:
    """One character from what a caller writes: ';', 'tab' (or '\\t'), 'comma', ...; None = find it."""
    if value is None:
        return None
    if isinstance(value, str):
        value = DELIMITER_NAMES.get(value.lower(), value)
        if len(value) == 1 and value not in "\"\r\n" and not value.isalnum():
            return value
    raise ParamError("delimiter", lambda w: f"{w.name} must be one character such as ';' or ',', or tab; got {value!r}")


def sniff(text: str) -> str:
    """The delimiter that splits the first two lines alike into the most cells (see the module)."""
    lines = [line for line in text.splitlines() if line.strip()][:2]
    best, best_count = ",", 1
    for candidate in DELIMITERS:
        counts = {len(next(csv.reader([line], delimiter=candidate, skipinitialspace=True))) for line in lines}
        count = counts.pop() if len(counts) == 1 else 0
        if count > best_count:
            best, best_count = candidate, count
    return best


def select(header: list[str], x, y, name: str) -> tuple[list[int], int]:
    """Indices of the x columns (default: all but y) and of the y column (default: the last)."""
    y_col = len(header) - 1 if y is None else _find(header, y, name, "y")
    if x is None:
        return [j for j in range(len(header)) if j != y_col], y_col
    wanted = _listed(header, x)
    if not wanted:
        raise DataError(f"{name}: x lists no columns")
    if any(isinstance(c, str) and not c for c in wanted):
        raise DataError(f"{name}: empty column name in x={x!r}")
    x_cols = [_find(header, column, name, "x") for column in wanted]
    if len(set(x_cols)) != len(x_cols):
        raise DataError(f"{name}: a column is listed twice in x={x!r}")
    if y_col in x_cols:
        raise DataError(f"{name}: column {quote(header[y_col])} is both an x column and the y column")
    return x_cols, y_col


def _listed(header: list[str], x) -> list:
    if isinstance(x, str):
        if x.strip() in header:
            return [x.strip()]
        return [cell.strip() for cell in next(csv.reader([x], skipinitialspace=True), [])]
    if isinstance(x, int) and not isinstance(x, bool):
        return [x]
    try:
        columns = list(x)
    except TypeError:
        raise TypeError("x must be a comma-separated string or a list of column names or indices") from None
    if not all(isinstance(c, (str, int)) and not isinstance(c, bool) for c in columns):
        raise TypeError("x must be a comma-separated string or a list of column names or indices")
    return [c.strip() if isinstance(c, str) else c for c in columns]


def _find(header: list[str], column, name: str, param: str) -> int:
    """The index of ``column``: a header name, or a 0-based index (an int or digits)."""
    if isinstance(column, str) and column.strip() in header:
        return header.index(column.strip())
    index = column if isinstance(column, int) and not isinstance(column, bool) else None
    if isinstance(column, str) and column.strip().isdigit() and column.strip().isascii():
        index = int(column.strip())
    if index is not None:
        if 0 <= index < len(header):
            return index
        raise ParamError(param, lambda w: f"{name}: {w.given(str(index))} is out of range: "
                                          f"the columns are numbered 0 to {len(header) - 1}")
    if not isinstance(column, str):
        raise TypeError(f"{param} must be a column name or a 0-based index, got {type(column).__name__}")
    available = ", ".join(quote(c) for c in header)
    raise DataError(f"{name}: no column {quote(column.strip())}; the columns are {available} (or 0-based indices)")


def quote(column: str) -> str:
    """A column name in double quotes, control characters escaped."""
    return '"' + shown(column)[1:-1] + '"'
