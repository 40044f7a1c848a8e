"""InputSpace: a model's output over its input space, drawn in one axes (``boundary`` and
the race's ``boundary`` share it).

Two inputs: the output over the plane as an image, the 0.5 contour (the decision
boundary) and the data, marked by class. One input: the fitted curve over the points.

The colours run from dark blue (0) to light yellow (1) through cividis, whose
lightness rises evenly, so the picture reads in grey too; the classes differ in
marker as well as colour.
"""
from __future__ import annotations

import contourpy
import numpy as np
from matplotlib import colormaps
from matplotlib.collections import LineCollection
from matplotlib.colors import LinearSegmentedColormap, to_rgb, to_hex
from matplotlib.lines import Line2D

from .field import FieldImage
from .panels import padded

GRID = 128  # output samples per side of the input plane (bilinear in between)
CURVE_SAMPLES = 300
SHADE = 0.55  # weight of the colour map against the background in the output image
# the output in bands of 0.05, as contourf draws it: between frames far fewer pixels change
# than with a smooth ramp, which halves the GIF and the time spent encoding it
BANDS = 20
CLASS_MARKS = ((0, "o", colormaps["cividis"](0.0), "white"), (1, "^", colormaps["cividis"](1.0), "black"))


def shaded_map(background) -> LinearSegmentedColormap:
    """cividis blended with the background, so the points stand out on it."""
    base = colormaps["cividis"](np.linspace(0, 1, 256))[:, :3]
    blend = SHADE * base + (1 - SHADE) * np.array(to_rgb(background))
    return LinearSegmentedColormap.from_list("gdanim-boundary", blend)


def sigmoid_output(objective) -> bool:
    """Whether the model's output is a sigmoid, so it lies in [0, 1]."""
    output = getattr(getattr(objective, "loss", None), "output", None)
    return getattr(output, "name", None) == "sigmoid"


def class_key_colors() -> list:
    """The markers' faces and edges, drawn opaque over the output image."""
    return [to_hex(color) for _, _, face, edge in CLASS_MARKS for color in (face, edge)]


class InputSpace:
    """The data in input space and the model's output over it, in one axes.

    view: supplies scale, fontsize() and style; data: the Dataset; shown: the rows drawn;
    classes: whether the targets are 0 and 1; sigmoid: whether the output lies in [0, 1].
    """

    def __init__(self, view, ax, data, shown: np.ndarray, classes: bool, sigmoid: bool):
        self.view, self.ax, self.data, self.shown, self.classes = view, ax, data, shown, classes
        self.sigmoid = sigmoid
        self.cmap = shaded_map(view.style.background)

    def draw_static(self, title: str, title_color=None, legend: bool = True, xlabel: bool = True,
                    ylabel: bool = True, title_pad: float | None = None, title_size: str = "title") -> None:
        ax, data, v = self.ax, self.data, self.view
        X, y = data.X[self.shown], data.y[self.shown]
        self.xlim = padded(float(X[:, 0].min()), float(X[:, 0].max()), 0.12)
        ax.set_xlim(self.xlim)
        if xlabel:
            ax.set_xlabel(data.feature_names[0], fontsize=v.fontsize("label"))
        ax.tick_params(labelsize=v.fontsize("text") * 0.85)
        # room under the title for the legend
        pad = (24 if self.classes and legend else 6) * v.scale if title_pad is None else title_pad
        ax.set_title(title, fontsize=v.fontsize(title_size), pad=pad, **({} if title_color is None else {"color": title_color}))
        if data.k == 2:
            self.ylim = padded(float(X[:, 1].min()), float(X[:, 1].max()), 0.12)
            if ylabel:
                ax.set_ylabel(data.feature_names[1], fontsize=v.fontsize("label"))
        else:
            self.ylim = (-0.1, 1.1) if self.classes else padded(float(y.min()), float(y.max()), 0.2)
            if ylabel:
                ax.set_ylabel(data.target_name, fontsize=v.fontsize("label"))
            if self.classes:
                ax.axhline(0.5, color=v.style.foreground, lw=0.9 * v.scale, ls=":", alpha=0.7)
            self._scatter(X[:, 0], y, y)
        if legend:
            self.legend(ax, loc="lower center", bbox_to_anchor=(0.5, 1.0))
        ax.set_ylim(self.ylim)
        ax.grid(False)

    def _scatter(self, a, b, y) -> list:
        """The data: one marker and colour per class (or coloured by target)."""
        ax, s, st = self.ax, self.view.scale, self.view.style
        if not self.classes:
            return [ax.scatter(a, b, c=y, cmap="cividis", s=30 * s**2, edgecolors=st.foreground, linewidths=0.6 * s)]
        # markers of a line, not a scatter: they are redrawn every frame, and a line draws them in one call
        return [ax.plot(a[y == cls], b[y == cls], ls="none", marker=marker, ms=5.8 * s, color=face, mec=edge,
                        mew=0.8 * s)[0] for cls, marker, face, edge in CLASS_MARKS]

    def legend(self, ax, ncol: int = 3, **place):
        """The classes' markers (and the 0.5 contour on a plane) in one row, in ``ax``."""
        if not self.classes:
            return
        s, st = self.view.scale, self.view.style
        handles = [Line2D([], [], marker=marker, ls="none", ms=7 * s, color=face, mec=edge, label=f"class {cls}")
                   for cls, marker, face, edge in CLASS_MARKS]
        if self.data.k == 2:
            handles.append(Line2D([], [], color=st.foreground, lw=2 * s, label="output 0.5"))
        return ax.legend(handles=handles, ncol=ncol, frameon=False, fontsize=self.view.fontsize("text") * 0.85,
                         borderaxespad=0.2, handletextpad=0.3, columnspacing=1.2, **place)

    def make_dynamic(self, line_color, line_width: float = 2.4) -> list:
        ax, st, s = self.ax, self.view.style, self.view.scale
        if self.data.k == 2:
            self.mesh = np.meshgrid(np.linspace(*self.xlim, GRID), np.linspace(*self.ylim, GRID))
            self.plane = np.column_stack([m.ravel() for m in self.mesh])
            lo, hi = self._output_range()
            self.image = FieldImage(ax, self.cmap, lo, hi, bands=BANDS)
            ax.add_artist(self.image)
            self.boundary = LineCollection([], colors=st.foreground, linewidths=2.0 * s)
            ax.add_collection(self.boundary, autolim=False)
            X, y = self.data.X[self.shown], self.data.y[self.shown]
            # the points must be drawn over the image, which moves: so they move too
            return [self.image, self.boundary, *self._scatter(X[:, 0], X[:, 1], y)]
        self.xs = np.linspace(*self.xlim, CURVE_SAMPLES)
        (self.curve,) = ax.plot([], [], color=line_color, lw=line_width * s)
        return [self.curve]

    def _output_range(self):
        if self.classes or self.sigmoid:
            return 0.0, 1.0
        return float(self.data.y.min()), float(self.data.y.max())

    def update(self, predict) -> None:
        """predict(X) -> the model's outputs at the rows X, at the record shown."""
        if self.data.k == 2:
            with np.errstate(all="ignore"):
                out = predict(self.plane).reshape(GRID, GRID)
            self.image.set_values(out)
            if self.classes:
                lines = contourpy.contour_generator(*self.mesh, out, line_type="Separate").lines(0.5)
                self.boundary.set_segments(lines)
        else:
            self.curve.set_data(self.xs, predict(self.xs[:, None]))
