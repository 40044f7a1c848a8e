"""What the race contour and grid views share: the landscape under the runs (filled
contours, minima, the gradient field) and each run's path, current point and arrows."""
from __future__ import annotations

import numpy as np
from matplotlib.colors import BoundaryNorm
from matplotlib.patches import FancyArrowPatch

from ..validate import ParamError
from ..surface import cost_grid
from .base import short_label
from .panels import race_levels
from .race_base import RaceView

CMAP = "Greys"  # colourless, so every run's colour stands out; the valley is the light band
FIELD_POINTS = 19  # arrows per side of the gradient field
ARROW_LENGTH = 0.09  # of the box, on screen
# the moment whose direction the velocity arrow shows: (optimiser option, its default, EMA or sum)
MOMENTS = {"momentum": ("beta", True), "nesterov": ("beta", True), "adam": ("b1", False)}


def velocities(history) -> np.ndarray | None:
    """The optimiser's velocity at every record (momentum's trace v, adam's first moment m),
    rebuilt from the recorded gradients; None for optimisers without one."""
    optimizer = history.config["optimizer"]
    if optimizer not in MOMENTS:
        return None
    option, is_sum = MOMENTS[optimizer]
    decay = history.config["optimizer_options"][option]
    v = np.zeros((history.steps + 1, len(history.names)))
    for k, g in enumerate(history.grads):  # v = beta v + g (momentum), m = b1 m + (1 - b1) g (adam)
        v[k + 1] = decay * v[k] + (g if is_sum else (1 - decay) * g)
    return v



class Landscape:
    """Filled contours of J over the race's two parameters, drawn once into ``ax``."""

    def __init__(self, view: RaceView, ax, axes=None, resolution: int = 160):
        self.view, self.ax = view, ax
        self.pair, self.ranges = view.pair_and_ranges(axes)
        self.resolution = resolution

    def draw(self, title: bool = True, labels: bool = True) -> None:
        v, ax, st = self.view, self.ax, self.view.style
        i, j = self.pair
        race = v.race
        names = race.names
        g = cost_grid(race.histories[0], axes=[names[i], names[j]], resolution=self.resolution, ranges=self.ranges)
        self.held = g.held
        levels = race_levels(g.J, race.objective.quadratic)
        # one colour step per band, so log-spaced levels colour the valley too
        ax.contourf(g.a, g.b, g.J, levels=levels, cmap=CMAP, norm=BoundaryNorm(levels, 256), alpha=0.5, zorder=0)
        ax.contour(g.a, g.b, g.J, levels=levels[::2], colors=st.foreground, linewidths=0.5 * v.scale, alpha=0.3,
                   zorder=1)
        minima = race.objective.minima
        if len(minima):
            ax.plot(minima[:, i], minima[:, j], marker="*", ms=15 * v.scale, color=st.optimum, mec=st.background,
                    mew=0.8, ls="none", zorder=2)
        ax.set_xlim(*self.ranges[0])
        ax.set_ylim(*self.ranges[1])
        ax.grid(False)
        ax.tick_params(labelsize=v.fontsize("text") * 0.8)
        if labels:
            ax.set_xlabel(names[i], fontsize=v.fontsize("label"))
            ax.set_ylabel(names[j], fontsize=v.fontsize("label"))
        if title:
            text = (f"J over {names[i]}, {names[j]}" if race.data is not None else short_label(race.objective.label)) + g.held_text()
            ax.set_title(text, fontsize=v.fontsize("title"))

    def field(self) -> None:
        """The normalised negative gradient on a coarse grid (the copied recipe's quiver)."""
        v, (i, j) = self.view, self.pair
        race = v.race
        a, b = (np.linspace(lo, hi, FIELD_POINTS + 2)[1:-1] for lo, hi in self.ranges)
        centre = race.objective.optimum if race.objective.optimum is not None else race.histories[0].params[-1]
        u = np.empty((len(b), len(a)))
        w = np.empty_like(u)
        spans = np.array([hi - lo for lo, hi in self.ranges])
        with np.errstate(all="ignore"):
            for row, y in enumerate(b):
                for col, x in enumerate(a):
                    theta = np.array(centre, float)
                    theta[i], theta[j] = x, y
                    direction = -race.objective.gradient(theta)[[i, j]] / spans
                    norm = np.hypot(*direction)
                    u[row, col], w[row, col] = direction / norm if norm > 0 else (0.0, 0.0)
        self.ax.quiver(a, b, u, w, angles="xy", color=v.style.foreground, alpha=0.25, zorder=1.5,
                       scale=FIELD_POINTS * 1.8, width=0.0018 * v.scale, headwidth=4)


class RunPaths:
    """One run's moving artists on a 2-D axes: faded path, trail, current point, arrows."""

    def __init__(self, view: RaceView, ax, landscape: Landscape, run: int, trail: int | None, arrows: bool):
        self.view, self.ax, self.landscape, self.run = view, ax, landscape, run
        self.trail, self.arrows = trail, arrows
        self.history = view.race.histories[run]
        self.velocity = velocities(self.history) if arrows else None

    def make_dynamic(self) -> list:
        v, ax, color = self.view, self.ax, self.view.colors[self.run]
        self.faded = None
        if self.trail is not None:
            (self.faded,) = ax.plot([], [], color=color, lw=1.4 * v.scale, alpha=0.3)
        (self.path,) = ax.plot([], [], color=color, lw=2.2 * v.scale, solid_capstyle="round")
        artists = [self.path] if self.faded is None else [self.faded, self.path]
        self.gradient_arrow = self.velocity_arrow = None
        if self.arrows:
            self.gradient_arrow = self._arrow("-|>", "-")
            artists.append(self.gradient_arrow)
            if self.velocity is not None:
                self.velocity_arrow = self._arrow("->", "--")
                artists.append(self.velocity_arrow)
        (self.dot,) = ax.plot([], [], marker="o", ms=9 * v.scale, color=color, mec=v.style.foreground, mew=0.8,
                              ls="none")
        return artists + [self.dot]

    def _arrow(self, head: str, line: str) -> FancyArrowPatch:
        v = self.view
        arrow = FancyArrowPatch((0, 0), (0, 0), arrowstyle=head, mutation_scale=14 * v.scale, lw=1.8 * v.scale,
                                color=v.colors[self.run], linestyle=line)
        self.ax.add_patch(arrow)
        return arrow

    def update(self, k: int) -> None:
        v, h, (a, b) = self.view, self.history, self.landscape.pair
        idx = v.shown_indices(self.run, k)
        here = idx[-1]
        if self.faded is not None:
            cut = np.searchsorted(idx, here - self.trail, side="left")
            self.faded.set_data(h.params[idx[: cut + 1], a], h.params[idx[: cut + 1], b])
            idx = idx[cut:]
        self.path.set_data(h.params[idx, a], h.params[idx, b])
        self.dot.set_data([h.params[here, a]], [h.params[here, b]])
        self.dot.set_marker("X" if v.ended(self.run, k) == "diverged" else "o")
        if self.gradient_arrow is not None:
            gradient = h.grads[here] if here < h.steps else h.cost_grad(h.params[here])
            self.gradient_arrow.set_positions(*self._towards(h.params[here], -gradient))
        if self.velocity_arrow is not None:
            self.velocity_arrow.set_positions(*self._towards(h.params[here], -self.velocity[here]))

    def _towards(self, theta, direction):
        """From theta along ``direction`` (in the drawn pair), a fixed part of the box long on screen."""
        (a, b), ranges = self.landscape.pair, self.landscape.ranges
        spans = np.array([hi - lo for lo, hi in ranges])
        on_screen = np.asarray(direction, float)[[a, b]] / spans
        start = (float(theta[a]), float(theta[b]))
        norm = float(np.hypot(*on_screen))
        if not np.isfinite(norm) or norm == 0:
            return start, start
        end = np.array(start) + ARROW_LENGTH * on_screen / norm * spans
        return start, tuple(end)


def check_trail(trail) -> int | None:
    if trail is None:
        return None
    if isinstance(trail, bool) or not isinstance(trail, (int, np.integer)) or trail < 1:
        raise ParamError("trail", lambda w: f"{w.name} must be a whole number of steps >= 1, got {trail!r}")
    return int(trail)
