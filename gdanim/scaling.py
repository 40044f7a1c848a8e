"""Standardized data (z-scores), and linear-model parameters carried between its units and the data's.

Features are scaled to ``(x_j - mu_j) / s_j`` (mean and population standard deviation,
as scikit-learn's StandardScaler does); in mode ``all`` the target too, to
``(y - m) / s_y`` (mode ``features`` keeps ``m = 0, s_y = 1``). A linear model on the
scaled data, ``yhat_z = sum_j w'_j (x_j - mu_j) / s_j + b'``, predicts in the data's units

    yhat = m + s_y yhat_z = sum_j (s_y w'_j / s_j) x_j + m + s_y (b' - sum_j w'_j mu_j / s_j)

so the two sets of parameters are one line, written two ways:

    w_j = s_y w'_j / s_j          b  = m + s_y (b' - sum_j w'_j mu_j / s_j)      (to_original)
    w'_j = w_j s_j / s_y          b' = (b - m + sum_j w_j mu_j) / s_y            (to_scaled)

Squared-error costs differ by the factor s_y^2: ``J = s_y^2 J_z`` (:meth:`original_cost`).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .data import Dataset
from .errors import DataError
from .validate import ParamError

MODES = ("features", "all")


def standardize_mode(value) -> str | None:
    """None (off), "features" or "all" from what a caller may write: True, "features", "all", False, None."""
    if value is None or value is False:
        return None
    if value is True:
        return "features"
    if isinstance(value, str) and value.strip() in MODES:
        return value.strip()
    raise ParamError("standardize", lambda w: f"{w.name} must be features or all (True means features), got {value!r}")


@dataclass(frozen=True)
class Scaling:
    """The means and standard deviations that standardize one Dataset."""

    mode: str  # "features" or "all"
    mean: np.ndarray  # mu_j, (k,)
    scale: np.ndarray  # s_j, (k,)
    target_mean: float  # m (0 unless mode is "all")
    target_scale: float  # s_y (1 unless mode is "all")

    @classmethod
    def fit(cls, data: Dataset, mode: str) -> "Scaling":
        mean, scale = data.X.mean(axis=0), data.X.std(axis=0)
        flat = [name for name, s in zip(data.feature_names, scale) if not s > 0]
        if flat:
            raise DataError(f"{data.name}: column {flat[0]!r} is constant, so it cannot be standardized "
                            "(its standard deviation is 0); leave it out")
        target_mean, target_scale = 0.0, 1.0
        if mode == "all":
            target_mean, target_scale = float(data.y.mean()), float(data.y.std())
            if not target_scale > 0:
                raise DataError(f"{data.name}: the target {data.target_name!r} is constant, so it cannot be standardized")
        return cls(mode, mean, scale, target_mean, target_scale)

    def apply(self, data: Dataset) -> Dataset:
        """The Dataset in standardized units (same name and column names)."""
        X = (data.X - self.mean) / self.scale
        y = (data.y - self.target_mean) / self.target_scale
        return Dataset(data.name, X, y, data.feature_names, data.target_name)

    def to_original(self, theta) -> np.ndarray:
        """Parameters [w'_1..w'_k, b'] (shape (..., k+1)) in the data's units."""
        theta = np.asarray(theta, float)
        w_scaled, b_scaled = theta[..., :-1], theta[..., -1]
        w = self.target_scale * w_scaled / self.scale
        b = self.target_mean + self.target_scale * (b_scaled - (w_scaled / self.scale) @ self.mean)
        return np.concatenate([w, b[..., None]], axis=-1)

    def to_scaled(self, theta) -> np.ndarray:
        """Parameters [w_1..w_k, b] in the data's units, in standardized units."""
        theta = np.asarray(theta, float)
        w, b = theta[..., :-1], theta[..., -1]
        w_scaled = w * self.scale / self.target_scale
        b_scaled = (b - self.target_mean + w @ self.mean) / self.target_scale
        return np.concatenate([w_scaled, b_scaled[..., None]], axis=-1)

    def predict(self, theta, X: np.ndarray) -> np.ndarray:
        """yhat in the data's units for raw rows X, from standardized parameters."""
        theta = np.asarray(theta, float)
        return self.target_mean + self.target_scale * (((X - self.mean) / self.scale) @ theta[:-1] + theta[-1])

    def original_cost(self, J):
        """A squared-error cost in standardized units, in the data's units: s_y^2 J."""
        return np.asarray(J, float) * self.target_scale**2

    def as_dict(self, feature_names, target_name) -> dict:
        columns = {name: {"mean": float(m), "scale": float(s)} for name, m, s in zip(feature_names, self.mean, self.scale)}
        target = {target_name: {"mean": self.target_mean, "scale": self.target_scale}} if self.mode == "all" else None
        return {"mode": self.mode, "features": columns, "target": target}
