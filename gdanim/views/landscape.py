"""landscape: J over a 2-D slice of weight space, with the descent's path projected onto it.

The slice is the plane through a point ``origin`` spanned by two orthonormal
directions d1, d2: J(a, b) = J(origin + a d1 + b d2); a record theta sits at
((theta - origin) . d1, (theta - origin) . d2). Two kinds, and the frame says which:

- two named weights (``axes="W1[0,0],W2[0,0]"``): d1, d2 are those coordinates and the
  other weights are held at their final values;
- ``axes="pca"`` (the default beyond two parameters): d1, d2 are the first two principal
  directions of the path around the final weights (as in loss-landscape-anim), each
  labelled with the share of the path's variance it carries.

Beside it, J against epoch. Static: the filled contours, the start and the final point.
Per frame: the path so far, the current point, the loss curve, the status line.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..errors import ConfigError
from ..train_options import split_items
from ..validate import ParamError
from .base import View, layer, require_objective
from .panels import contour_levels, decimated
from .curves import CurvePanel, curve_records, loss_title, wrapped_title

ELEMENT_BUDGET = 4e8  # rows x hidden units x grid points evaluated for the slice, at most
MAX_GRID, MIN_GRID = 90, 30
MARGIN = 0.3  # of the path's extent, on each side


@dataclass(frozen=True)
class Slice:
    origin: np.ndarray  # (P,)
    directions: np.ndarray  # (2, P), orthonormal rows
    labels: tuple[str, str]
    description: str

    def coords(self, params: np.ndarray) -> np.ndarray:
        """(..., 2) position of parameters (..., P) in the plane."""
        return (params - self.origin) @ self.directions.T

    def points(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Parameters (..., P) at plane coordinates a, b."""
        return self.origin + a[..., None] * self.directions[0] + b[..., None] * self.directions[1]


def choose_slice(history, axes, last_record: int) -> Slice:
    names = list(history.names)
    final = history.params[-1]
    if len(names) < 2:
        raise ConfigError(f"the landscape view needs two parameters or more; this model has {len(names)}")
    if axes is None:
        axes = "pca" if len(names) > 2 else ",".join(names)
    if isinstance(axes, str) and axes.strip().lower() == "pca":
        return _pca_slice(history, final, last_record)
    picked = [a.strip() for a in (split_items(axes) if isinstance(axes, str) else axes)]
    if len(picked) != 2 or picked[0] == picked[1]:
        raise ParamError("axes", lambda w: f"{w.name} needs two different parameter names, e.g. \"{names[0]},{names[-1]}\", "
                         "or pca")
    for name in picked:
        if name not in names:
            shown = ", ".join(names[:12]) + (", ..." if len(names) > 12 else "")
            raise ParamError("axes", lambda w: f"unknown parameter {name!r} in {w.name}; this model's parameters are {shown} "
                             "(or pca)")
    i, j = (names.index(name) for name in picked)
    origin = final.copy()
    origin[[i, j]] = 0.0
    directions = np.zeros((2, len(names)))
    directions[0, i] = directions[1, j] = 1.0
    held = "" if len(names) == 2 else f"; the other {len(names) - 2} held at their final values"
    return Slice(origin, directions, (picked[0], picked[1]), f"J over {picked[0]} and {picked[1]}{held}")


def _pca_slice(history, final, last_record) -> Slice:
    path = history.params[decimated(last_record)] - final
    _, s, vt = np.linalg.svd(path, full_matrices=False)
    if vt.shape[0] < 2:  # a path of one record: any two directions
        vt = np.eye(len(final))[:2]
        s = np.zeros(2)
    # signs fixed so that the path runs from negative coordinates to the final weights at 0
    start = path[0] @ vt[:2].T
    directions = vt[:2] * np.where(start > 0, -1.0, 1.0)[:, None]
    total = float((s**2).sum())
    share = [100 * float(v**2) / total if total > 0 else 0.0 for v in s[:2]]
    labels = (f"PC1 ({share[0]:.1f}% of the path's variance)", f"PC2 ({share[1]:.1f}%)")
    return Slice(final.copy(), directions, labels,
                 "J over the path's two principal directions, through the final weights")


class LandscapeView(View):
    name = "landscape"

    def __init__(self, history, records, style, *, axes=None):
        require_objective(history, self.name)
        self.status_params = len(history.names) <= 4
        self.slice = choose_slice(history, axes, int(np.max(records)))
        self.curve_at = curve_records(int(np.max(records)), np.asarray(records))
        super().__init__(history, records, style)
        self.path_at = decimated(self.last_record)
        self.path = self.slice.coords(history.params[self.path_at])

    def key_colors(self):
        """The start (white, black edge), the final point, the path, the current point and the loss curve."""
        st = self.style
        return super().key_colors() + ["white", "black", st.optimum, st.image_path, st.current, st.cost]

    def draw_static(self, fig):
        self.setup_figure(fig)
        grid = fig.add_gridspec(1, 2, width_ratios=(1.45, 1))
        ax = fig.add_subplot(grid[0, 0])
        h, st, sl = self.history, self.style, self.slice
        self.loss = CurvePanel(self, fig.add_subplot(grid[0, 1]), self.curve_at, h.J_at(self.curve_at), loss_title(h),
                               st.cost)
        self.loss.draw_static()
        ranges = [self._range(self.path[:, c]) for c in (0, 1)]
        size = self._grid_size()
        a, b = np.meshgrid(np.linspace(*ranges[0], size), np.linspace(*ranges[1], size))
        with np.errstate(all="ignore"):
            J = h.cost(sl.points(a, b))
        levels = self._levels(J)
        ax.contourf(a, b, J, levels=levels, cmap=st.image_cmap, alpha=0.9, extend="both", zorder=0)
        ax.contour(a, b, J, levels=levels[::3], colors=st.foreground, linewidths=0.5 * self.scale, alpha=0.35, zorder=1)
        start, final = self.path[0], sl.coords(h.params[-1])
        ax.plot(*start, marker="o", ms=8 * self.scale, color="white", mec="black", ls="none", zorder=2)
        ax.plot(*final, marker="*", ms=15 * self.scale, color=st.optimum, mec="white", ls="none", zorder=2)
        ax.set_xlim(*ranges[0])
        ax.set_ylim(*ranges[1])
        ax.set_xlabel(sl.labels[0], fontsize=self.fontsize("text"))
        ax.set_ylabel(sl.labels[1], fontsize=self.fontsize("text"))
        ax.tick_params(labelsize=self.fontsize("text") * 0.8)
        wrapped_title(ax, f"{h.label}\n{sl.description}", self.fontsize("text"))
        ax.grid(False)
        self.ax, self.fig = ax, fig

    def _range(self, values):
        lo, hi = float(values.min()), float(values.max())
        pad = MARGIN * (hi - lo) if hi > lo else max(abs(hi), 1.0) * 0.5
        return lo - pad, hi + pad

    def _grid_size(self) -> int:
        obj = self.history.objective
        work = (obj.n or 1) * getattr(obj, "width", 1)
        return int(np.clip(np.sqrt(ELEMENT_BUDGET / work), MIN_GRID, MAX_GRID))

    def _levels(self, J):
        finite = J[np.isfinite(J)]
        lo, hi = float(finite.min()), float(finite.max())
        if lo > 0 and hi / lo > 100:  # decades of J: levels evenly spaced in log J
            return np.geomspace(lo, hi, 24)
        return contour_levels(J, quadratic=False)

    def make_dynamic(self):
        st, s = self.style, self.scale
        (self.trail,) = self.ax.plot([], [], color=st.image_path, lw=1.8 * s)
        (self.dot,) = self.ax.plot([], [], marker="o", ms=9 * s, color=st.current, mec="black", ls="none")
        return layer([self.trail, self.dot] + self.loss.make_dynamic() + self.make_status(self.fig))

    def update(self, i):
        k = self.record(i)
        cut = np.searchsorted(self.path_at, k, side="left")
        here = self.slice.coords(self.history.params[k])
        self.trail.set_data(np.append(self.path[:cut, 0], here[0]), np.append(self.path[:cut, 1], here[1]))
        self.dot.set_data([here[0]], [here[1]])
        self.loss.update(k)
        self.update_status(k)
