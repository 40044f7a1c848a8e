"""The three looks: article (the seed notebook's), light and dark.

Font sizes are given for a reference canvas and scaled with the canvas, so a
480 x 270 GIF for a README and a 1920 x 1080 slide look alike.
"""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field

import matplotlib

from .validate import choice


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
    surface_colors: dict  # how plot_surface paints J: {"cmap": name} or {"color": colour}
    surface_alpha: float
    pane_color: tuple | None  # the 3D axes' panes; None keeps matplotlib's
    contour_cmap: str  # filled contours of J
    arrow: str
    warning: str
    title_size: float  # points at the reference canvas
    label_size: float
    text_size: float
    rc: dict = field(default_factory=dict)

    @contextmanager
    def context(self):
        with matplotlib.rc_context(self.rc):
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
        surface_colors={"color": "b"},
        surface_alpha=0.35,
        pane_color=None,
        contour_cmap="Blues_r",
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
        surface_colors={"cmap": "viridis"},
        surface_alpha=0.6,
        pane_color=None,
        contour_cmap="viridis",
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
        surface_colors={"cmap": "magma"},
        surface_alpha=0.7,
        pane_color=(0.12, 0.13, 0.16, 1.0),
        contour_cmap="magma",
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

