"""The three looks: article (the seed notebook's), light and dark.

Font sizes, line widths and paddings are given for a reference canvas (960 x 540 at
100 dpi) and scaled with the canvas (``canvas_scale``): text keeps its share of the
frame height on a 1920 x 1080 or 3840 x 2160 slide, and shrinks more slowly than the
canvas below the reference, so a 480 x 270 GIF for a README stays readable.
"""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np

import matplotlib
from matplotlib.colors import Colormap, ListedColormap

from .validate import choice

REFERENCE_DPI = 100  # the reference canvas is a view's reference_inches at this dpi
SMALLEST_SCALE = 0.6
# rc sizes (points) that grow with the text, so lines and paddings keep their proportions
_SCALED_RC = ("axes.linewidth", "grid.linewidth", "axes.titlepad", "axes.labelpad", "patch.linewidth") + tuple(
    f"{axis}tick.{which}.{what}" for axis in "xy" for which in ("major", "minor") for what in ("size", "width", "pad")
)


def canvas_scale(width_px: float, height_px: float, reference_inches: tuple[float, float]) -> float:
    """How much the style's sizes grow on a canvas of width_px x height_px pixels.

    At or above the reference canvas in proportion (text stays the same fraction of the
    frame); below it as the square root, never under SMALLEST_SCALE (small GIFs stay readable).
    """
    fit = min(width_px / (reference_inches[0] * REFERENCE_DPI), height_px / (reference_inches[1] * REFERENCE_DPI))
    return float(fit if fit >= 1 else max(fit**0.5, SMALLEST_SCALE))


def lifted(name: str, low: float, high: float = 1.0) -> Colormap:
    """Colour map ``name`` from ``low`` to ``high`` of its range (magma without its
    near-black end, where the optimum lies, and its palest, where white paths vanish)."""
    base = matplotlib.colormaps[name]
    return ListedColormap(base(np.linspace(low, high, 256)), name=f"{name}_{low:g}_{high:g}")


@dataclass(frozen=True)
class Style:
    name: str
    background: str
    foreground: str
    grid: bool
    line: str  # the fitted line / plane
    points: str
    point_marker: str
    residual: str
    traces: tuple[str, ...]  # one colour per parameter; J uses ``cost``
    cost: str
    path: str  # the descent path over a surface
    contour_path: str  # the descent path over filled contours, which needs to stand out from them
    current: str  # the moving marker
    optimum: str
    surface_cmap: str | Colormap  # plot_surface paints J with it, shaded by a light source
    surface_alpha: float
    pane_color: tuple | None  # the 3D axes' panes; None keeps matplotlib's
    contour_cmap: str | Colormap  # filled contours of J
    image_cmap: str  # a loss landscape drawn as an image, which needs a colour map in every style
    image_path: str  # the path over that image
    arrow: str
    warning: str
    title_size: float  # points at the reference canvas
    label_size: float
    text_size: float
    rc: dict = field(default_factory=dict)

    @contextmanager
    def context(self, scale: float = 1.0, transparent: bool = False):
        """The style's rc, line widths and paddings grown by ``scale``; with ``transparent``
        the figure and axes backgrounds are see-through (for slides of any colour)."""
        rc = {**matplotlib.rcParamsDefault, **self.rc}
        scaled = {key: rc[key] * scale for key in _SCALED_RC}
        clear = {"figure.facecolor": "none", "axes.facecolor": "none"} if transparent else {}
        with matplotlib.rc_context({**self.rc, **scaled, **clear}):
            yield


_COMMON_RC = {
    "font.family": "DejaVu Sans",  # ships with matplotlib, so frames hash the same everywhere
    "axes.unicode_minus": True,
    "path.simplify": True,
    "figure.max_open_warning": 0,
}


def rgb8(colors) -> list[tuple[int, int, int]]:
    """The RGB of matplotlib colours, each channel rounded to 0-255 as Agg draws it;
    repeats dropped, first occurrence kept."""
    rows = (tuple(round(255 * c) for c in matplotlib.colors.to_rgb(color)) for color in colors)
    return list(dict.fromkeys(rows))


STYLES = {
    "article": Style(
        name="article",
        background="white",
        foreground="black",
        grid=False,
        line="red",
        points="blue",
        point_marker="x",
        residual="red",
        traces=("blue", "red", "green", "purple", "brown"),
        cost="black",
        path="grey",
        contour_path="grey",
        current="orange",
        optimum="black",
        surface_cmap=lifted("Blues_r", 0.0, 0.75),  # the notebook's blue, shaded; the rim not white
        surface_alpha=0.75,
        pane_color=None,
        contour_cmap="Blues_r",
        image_cmap="viridis",
        image_path="white",
        arrow="orangered",
        warning="crimson",
        title_size=21,
        label_size=15,
        text_size=13,
        rc={**_COMMON_RC, "axes.grid": False},
    ),
    "light": Style(
        name="light",
        background="white",
        foreground="#222222",
        grid=True,
        line="#d62728",
        points="#1f3b73",
        point_marker="o",
        residual="#d62728",
        traces=("#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b"),
        cost="#333333",
        path="#444444",
        contour_path="white",
        current="#ff7f0e",
        optimum="#111111",
        surface_cmap="viridis",
        surface_alpha=0.6,
        pane_color=None,
        contour_cmap="viridis",
        image_cmap="viridis",
        image_path="white",
        arrow="#d62728",
        warning="#c0392b",
        title_size=15,
        label_size=12,
        text_size=11,
        rc={**_COMMON_RC, "axes.grid": True, "grid.alpha": 0.35, "axes.spines.top": False, "axes.spines.right": False},
    ),
    "dark": Style(
        name="dark",
        background="#15171c",
        foreground="#e6e6e6",
        grid=True,
        line="#ff6b6b",
        points="#8ecae6",
        point_marker="o",
        residual="#ff6b6b",
        traces=("#8ecae6", "#ffb703", "#95d5b2", "#cdb4db", "#f4a261"),
        cost="#e6e6e6",
        path="#f1f1f1",
        contour_path="#f1f1f1",
        current="#ffb703",
        optimum="#ffffff",
        surface_cmap=lifted("magma", 0.3),  # the low end, around the optimum, is not black
        surface_alpha=0.8,
        pane_color=(0.12, 0.13, 0.16, 1.0),
        contour_cmap=lifted("magma", 0.3, 0.85),  # the white path shows on every band
        image_cmap="magma",
        image_path="#f1f1f1",
        arrow="#ff6b6b",
        warning="#ff6b6b",
        title_size=15,
        label_size=12,
        text_size=11,
        rc={
            **_COMMON_RC,
            "axes.grid": True,
            "grid.alpha": 0.2,
            "figure.facecolor": "#15171c",
            "axes.facecolor": "#1d2027",
            "savefig.facecolor": "#15171c",
            "axes.edgecolor": "#9aa0a6",
            "axes.labelcolor": "#e6e6e6",
            "text.color": "#e6e6e6",
            "xtick.color": "#c9cdd2",
            "ytick.color": "#c9cdd2",
            "grid.color": "#9aa0a6",
            "axes.spines.top": False,
            "axes.spines.right": False,
        },
    ),
}


def get(name: str) -> Style:
    return choice("style", name, STYLES)

