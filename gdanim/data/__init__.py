"""Datasets: the built-ins, synthetic data, CSV files and arrays, validated at the boundary.

Every way in ends in a :class:`Dataset`, whose constructor checks shapes and
finiteness, so nothing downstream has to. Bad data raises :class:`DataError` with a
one-line message naming the source and, for CSV files, the line and column.

One module per way in: ``dataset`` (the Dataset, arrays), ``builtin`` (the named
datasets), ``synthetic_data`` (generated data and its spec string), ``csvfile``.
:func:`load` picks one from its argument.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Sequence

from ..errors import DataError
from ..validate import ParamError
from . import classification
from .builtin import BUILTIN, builtin, is_builtin
from .csvfile import load_csv
from .dataset import Dataset, from_arrays
from .synthetic_data import synthetic

__all__ = ["BUILTIN", "Dataset", "from_arrays", "load", "synthetic"]


def load(source: str | os.PathLike, *, x: Sequence[str | int] | str | int | None = None, y: str | int | None = None,
         delimiter: str | None = None, drop_missing: bool = False) -> Dataset:
    """A built-in dataset, a ``synthetic:...`` spec, or a CSV file.

    Args:
        source: one of :data:`BUILTIN`; a two-class set (``data.classification``) such
            as ``moons:n=200,noise=0.1,seed=0``; ``synthetic:n=1000,w=2;-1,b=3,noise=0.5,seed=0``
            (any subset of the keys, defaults n=100, w=1, b=0, noise=0.1, seed=0;
            ``;`` separates the weights of several features); or a path to a CSV
            file with a header row. A ``PathLike`` is always a path.
        x: CSV feature columns: header names or 0-based indices, as a list or one
            comma-separated string (a name with a comma in double quotes). Default:
            every column but ``y``.
        y: CSV target column, a name or 0-based index. Default: the last column.
        delimiter: the CSV's cell separator (';', 'tab', ...). Default: the file's own.
        drop_missing: leave out rows with an empty or NA cell in a used column;
            ``Dataset.dropped`` lists their lines.

    Raises:
        DataError: unknown name, missing or unusable file (the message names the
            file, and the line and column where one is at fault).
        ConfigError: a bad ``synthetic`` spec, or ``x``/``y`` given for a built-in.
    """
    if not isinstance(source, os.PathLike):
        if not isinstance(source, str):
            raise TypeError(f"load() needs a dataset name or a path, got {type(source).__name__}")
        two_class = classification.is_classification(source)
        if two_class or is_builtin(source):
            options = dict(x=x, y=y, delimiter=delimiter, drop_missing=drop_missing or None)
            given = [option for option, value in options.items() if value is not None]
            if given:
                raise ParamError(given[0], lambda w: f"{w.name} applies to CSV files, not to the built-in {source!r}")
            return classification.load(source) if two_class else builtin(source)
    name = os.fspath(source)
    path = Path(name)
    looks_like_path = isinstance(source, os.PathLike) or name.lower().endswith(".csv") or "/" in name or os.sep in name
    if not looks_like_path and not path.exists():
        raise DataError(
            f"unknown dataset {name!r}: give a CSV file or one of the built-ins: "
            f"{', '.join(BUILTIN[:-1])}, synthetic[:n=...,w=...,b=...,noise=...,seed=...], "
            f"{', '.join(classification.DEFAULTS)} (two classes)"
        )
    return load_csv(path, name, x, y, delimiter, drop_missing)
