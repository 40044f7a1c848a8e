"""Dataset: rows of features and targets, checked once, so nothing downstream has to."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..errors import DataError


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
        dropped: the file lines of rows left out for empty cells (``drop_missing``).

    Raises:
        DataError: wrong shapes, mismatched lengths, or values that are not finite.
    """

    name: str
    X: np.ndarray
    y: np.ndarray
    feature_names: tuple[str, ...]
    target_name: str
    dropped: tuple[int, ...] = ()

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
    return Dataset(name, X, y, default_feature_names(k), "y")


def default_feature_names(k: int) -> tuple[str, ...]:
    return ("x",) if k == 1 else tuple(f"x{j}" for j in range(1, k + 1))


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
