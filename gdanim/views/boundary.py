"""boundary: a classifier's output over its input space, beside its loss and accuracy.

Two inputs: the model's output over the plane as an image, the 0.5 contour (the
decision boundary) and the data, marked by class. One input: the fitted curve over
the points. Loss, and accuracy where the targets are 0 and 1, against epoch.

The colours run from dark blue (0) to light yellow (1) through cividis, whose
lightness rises evenly, so the picture reads in grey too; the classes differ in
marker as well as colour.
Static: the data, axes, legend. Per frame: the output image and its 0.5 contour (or
the curve), the two curves up to the current record, the status line.
"""
from __future__ import annotations

import contourpy
import numpy as np
from matplotlib import colormaps
from matplotlib.collections import LineCollection
from matplotlib.colors import LinearSegmentedColormap, to_rgb
from matplotlib.lines import Line2D

from .base import View, layer
from .panels import MAX_POINTS, display_subsample, padded
from .field import FieldImage
from .curves import Accuracy, CurvePanel, curve_records, is_classification, loss_title, require_inputs

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


class BoundaryView(View):
    name = "boundary"
    status_params = False

    def __init__(self, history, records, style):
        require_inputs(history, self.name, most=2)
        data = history.data
        self.classes = is_classification(data)
        self.curve_at = curve_records(int(np.max(records)), np.asarray(records))
        self.accuracy = Accuracy(history, self.curve_at) if self.classes else None
        super().__init__(history, records, style)
        self.shown = display_subsample(data.n, MAX_POINTS)

    def status_extra(self, k):
        return [] if self.accuracy is None else [f"accuracy {100 * self.accuracy.at(k):.1f}%"]

    def draw_static(self, fig):
        self.setup_figure(fig)
        grid = fig.add_gridspec(2, 2, width_ratios=(1.2, 1))
        ax = fig.add_subplot(grid[:, 0])
        loss_ax = fig.add_subplot(grid[0, 1] if self.classes else grid[:, 1])
        h, st = self.history, self.style
        self.loss = CurvePanel(self, loss_ax, self.curve_at, h.J[self.curve_at], loss_title(h), st.cost)
        self.loss.draw_static(xlabel=not self.classes)
        self.curves = [self.loss]
        if self.classes:
            acc = CurvePanel(self, fig.add_subplot(grid[1, 1], sharex=loss_ax), self.curve_at, self.accuracy.values,
                             self.accuracy.title(), st.traces[2 % len(st.traces)], percent=True)
            acc.draw_static()
            self.curves.append(acc)
        self.ax, self.fig = ax, fig
        self.cmap = shaded_map(st.background)
        self._draw_space()

    def _draw_space(self):
        ax, data, v = self.ax, self.history.data, self
        X, y = data.X[self.shown], data.y[self.shown]
        self.xlim = padded(float(X[:, 0].min()), float(X[:, 0].max()), 0.12)
        ax.set_xlim(self.xlim)
        ax.set_xlabel(data.feature_names[0], fontsize=v.fontsize("label"))
        ax.tick_params(labelsize=v.fontsize("text") * 0.85)
        # room under the title for the legend
        ax.set_title(self.history.label, fontsize=v.fontsize("title"), pad=(24 if self.classes else 6) * v.scale)
        if data.k == 2:
            self.ylim = padded(float(X[:, 1].min()), float(X[:, 1].max()), 0.12)
            ax.set_ylabel(data.feature_names[1], fontsize=v.fontsize("label"))
            self._legend()
        else:
            self.ylim = (-0.1, 1.1) if self.classes else padded(float(y.min()), float(y.max()), 0.2)
            ax.set_ylabel(data.target_name, fontsize=v.fontsize("label"))
            if self.classes:
                ax.axhline(0.5, color=self.style.foreground, lw=0.9 * self.scale, ls=":", alpha=0.7)
            self._scatter(X[:, 0], y, y)
            self._legend()
        ax.set_ylim(self.ylim)
        ax.grid(False)

    def _scatter(self, a, b, y) -> list:
        """The data: one marker and colour per class (or coloured by target)."""
        ax, s, st = self.ax, self.scale, self.style
        if not self.classes:
            return [ax.scatter(a, b, c=y, cmap="cividis", s=30 * s**2, edgecolors=st.foreground, linewidths=0.6 * s)]
        # markers of a line, not a scatter: they are redrawn every frame, and a line draws them in one call
        return [ax.plot(a[y == cls], b[y == cls], ls="none", marker=marker, ms=5.8 * s, color=face, mec=edge,
                        mew=0.8 * s)[0] for cls, marker, face, edge in CLASS_MARKS]

    def _legend(self):
        if not self.classes:
            return
        s, st = self.scale, self.style
        handles = [Line2D([], [], marker=marker, ls="none", ms=7 * s, color=face, mec=edge, label=f"class {cls}")
                   for cls, marker, face, edge in CLASS_MARKS]
        if self.history.data.k == 2:
            handles.append(Line2D([], [], color=st.foreground, lw=2 * s, label="output 0.5"))
        self.ax.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=3, frameon=False,
                       fontsize=self.fontsize("text") * 0.85, borderaxespad=0.2, handletextpad=0.3, columnspacing=1.2)

    def make_dynamic(self):
        ax, st, s = self.ax, self.style, self.scale
        artists = []
        if self.history.data.k == 2:
            self.mesh = np.meshgrid(np.linspace(*self.xlim, GRID), np.linspace(*self.ylim, GRID))
            self.plane = np.column_stack([m.ravel() for m in self.mesh])
            lo, hi = self._output_range()
            self.image = FieldImage(ax, self.cmap, lo, hi, bands=BANDS)
            ax.add_artist(self.image)
            self.boundary = LineCollection([], colors=st.foreground, linewidths=2.0 * s)
            ax.add_collection(self.boundary, autolim=False)
            X, y = self.history.data.X[self.shown], self.history.data.y[self.shown]
            # the points must be drawn over the image, which moves: so they move too
            artists += [self.image, self.boundary, *self._scatter(X[:, 0], X[:, 1], y)]
        else:
            self.xs = np.linspace(*self.xlim, CURVE_SAMPLES)
            (self.curve,) = ax.plot([], [], color=st.line, lw=2.4 * s)
            artists.append(self.curve)
        for curve in self.curves:
            artists += curve.make_dynamic()
        return layer(artists + self.make_status(self.fig))

    def _output_range(self):
        if self.classes or self.history.objective.loss.output.name == "sigmoid":
            return 0.0, 1.0
        return float(self.history.data.y.min()), float(self.history.data.y.max())

    def update(self, i):
        k = self.record(i)
        h = self.history
        if h.data.k == 2:
            with np.errstate(all="ignore"):
                out = h.predict(k, self.plane).reshape(GRID, GRID)
            self.image.set_values(out)
            if self.classes:
                lines = contourpy.contour_generator(*self.mesh, out, line_type="Separate").lines(0.5)
                self.boundary.set_segments(lines)
        else:
            self.curve.set_data(self.xs, h.predict(k, self.xs[:, None]))
        for curve in self.curves:
            curve.update(k)
        self.update_status(k)
