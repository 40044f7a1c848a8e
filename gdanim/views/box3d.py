"""A 3D axes' box (panes, grid, axis lines, ticks and their labels) drawn in one pass
from the camera's projection: for a view whose camera moves.

mplot3d works the box out artist by artist on every draw: for each of its three axes
it finds the limits and projects the cube again for the pane, the grid, the line and
every tick, and lays every tick label out with its font from scratch. With a fixed
camera that happens once; with a moving one it is most of a frame. ``Box3D`` keeps
what does not depend on the camera (ticks, their labels, where each label sits
relative to its anchor, the artists' styles), projects the cube once per frame, and
places everything with mplot3d's own helpers (``mpl_toolkits.mplot3d.axis3d``: which
side of the cube is nearer the camera, the edge each axis runs along, the ticks'
direction, label offsets), so the frame is the one mplot3d draws, pixel for pixel. The panes,
axis lines and grid are still mplot3d's own artists, drawn where mplot3d would put
them; the ticks and all labels go straight to the renderer, each label laid out once.

It covers what the views use: the z axis vertical, linear scales, limits not inverted,
ticks and labels in their default places, no offset text ("1e6"), and none of what
Line2D and Text add when they draw (path effects, sketches, usetex, boxes behind
labels), under the matplotlib versions whose rules it follows (RULES_OF). ``install``
returns None for anything else, which mplot3d keeps drawing as before.
"""
from __future__ import annotations

import matplotlib
import numpy as np
from matplotlib.artist import Artist
from matplotlib.collections import LineCollection
from matplotlib.colors import to_rgba
from matplotlib.path import Path
from mpl_toolkits.mplot3d import art3d, axis3d, proj3d

RULES_OF = {(3, 11)}  # the matplotlib versions whose mplot3d rules these are (tests/test_orbit.py checks them)
# what axis3d.Axis._update_all_positions and _get_updated_ticks write as literals
LABEL_OFFSET, TICK_LABEL_OFFSET = 21.0, 8.0  # points beyond labelpad and the tick pad
POINTS_PER_DELTA = 48.0


def install(ax) -> "Box3D | None":
    """Draw ``ax``'s box with a Box3D from now on (mplot3d's own axis drawing is turned
    off); None, with nothing changed, if the axes are not the kind it covers."""
    if not _covered(ax):
        return None
    box = Box3D(ax)
    ax.add_artist(box)
    ax.set_axis_off()
    return box


def _covered(ax) -> bool:
    if tuple(int(part) for part in matplotlib.__version__.split(".")[:2]) not in RULES_OF:
        return False
    if ax._vertical_axis != 2 or not ax._axis3don:
        return False
    axes = (ax.xaxis, ax.yaxis, ax.zaxis)
    ticks = [tick for axis in axes for tick in axis._update_ticks()]  # formatting sets any offset ("1e6")
    if any(a.get_scale() != "linear" or a.major.formatter.get_offset() for a in axes):
        return False
    if any(lo >= hi for lo, hi in (ax.get_xlim3d(), ax.get_ylim3d(), ax.get_zlim3d())):
        return False
    if any((a._tick_position, a._label_position) != ("default", "default") for a in axes):
        return False
    if any(t.tick2line.get_visible() or t.label2.get_visible() for t in ticks):
        return False
    # drawn straight to the renderer, so none of what Line2D.draw and Text.draw add
    lines = [t.tick1line for t in ticks] + [a.line for a in axes] + [a.pane for a in axes] + [a.gridlines for a in axes]
    texts = [t.label1 for t in ticks] + [a.label for a in axes]
    if any(a.get_path_effects() or a.get_sketch_params() is not None for a in lines + texts):
        return False
    return not any(t.get_usetex() or t.get_bbox_patch() is not None for t in texts)


class Box3D(Artist):
    """The box of ``ax``, drawn as mplot3d would draw it under the camera of each draw
    (``ax.M``). The geometry is mplot3d's own (``axis3d.Axis``: ``_get_coord_info``,
    ``_get_axis_line_edge_points``, ``_get_tickdir``, ``_move_from_center``), asked once
    per frame instead of once per artist."""

    zorder = float("-inf")  # under everything else in the axes, as mplot3d draws its axes first

    def __init__(self, ax):
        super().__init__()
        self.ax = ax
        self.axes3 = (ax.xaxis, ax.yaxis, ax.zaxis)
        self.ticks = None  # per axis, at the first draw: (locations, pads, tick-line looks, labels)
        self.grid_groups = None  # (axis whose collection draws them, the axes whose grid lines)
        self.layouts = {}  # (text, string) -> (angle, where the string sits from its anchor)
        for axis in self.axes3:  # as mplot3d sets them on every draw
            label = axis._axinfo["label"]
            axis.label.set(va=label["va"], ha=label["ha"], rotation_mode=label["rotation_mode"])

    def _learn_ticks(self):
        """What the camera does not change: the ticks in view, their labels and looks."""
        self.ticks = []
        for axis in self.axes3:
            grid = axis._axinfo["grid"]  # mplot3d styles its grid lines as it draws them
            axis.gridlines.set(color=grid["color"], linewidth=grid["linewidth"], linestyle=grid["linestyle"])
            widths = axis._axinfo["tick"]["linewidth"]
            ticks = axis._update_ticks()  # those in view, with their labels
            looks = [(t.tick1line.get_antialiased(), widths[t._major], t.tick1line.get_solid_joinstyle(),
                      t.tick1line.get_solid_capstyle(), t.tick1line.get_snap(),
                      to_rgba(t.tick1line.get_color(), t.tick1line.get_alpha())) for t in ticks]
            self.ticks.append((np.array([t.get_loc() for t in ticks], float), np.array([t.get_pad() for t in ticks], float),
                               looks, [t.label1 for t in ticks]))
        # the three grids in one collection (the x axis's) when they look alike, as they do unless set apart
        grids = [axis._axinfo["grid"] for axis in self.axes3]
        self.grid_groups = [(0, (0, 1, 2))] if grids[1:] == grids[:-1] else [(i, (i,)) for i in range(3)]

    def _project(self, points) -> np.ndarray:
        """(n, 3) data points -> (n, 3): x and y in the axes' 2D data space, and depth."""
        points = np.asarray(points, float)
        return np.column_stack(proj3d._proj_trans_points(points, self.ax.M))

    def draw(self, renderer):
        if not self.get_visible():
            return
        if self.ticks is None:
            self._learn_ticks()
        ax, first = self.ax, self.axes3[0]
        mins, maxs, cube, highs = first._get_coord_info()  # the projected cube, and which sides are far
        centers, deltas = first._calc_centers_deltas(maxs, mins)
        inches = ax.bbox.size / ax.get_figure(root=False).dpi
        per_point = POINTS_PER_DELTA / float(np.sum(72.0 * inches))
        minmax, maxmin = np.where(highs, maxs, mins), np.where(~highs, maxs, mins)
        for i, axis in enumerate(self.axes3):  # the pane on the far side of each axis
            axis.pane.xy = cube[list(axis._PLANES[2 * i + int(highs[i])]), :2]
            axis.pane.draw(renderer)
        if ax._draw_grid:
            self._draw_grid(renderer, minmax, maxmin)
        for i, axis in enumerate(self.axes3):
            edge0, edge1 = axis._get_axis_line_edge_points(minmax, maxmin)
            ends = self._project([edge0, edge1])
            axis.line.set_data(ends[:, 0], ends[:, 1])
            axis.line.draw(renderer)
            self._draw_ticks(renderer, i, axis, edge0, highs, centers, deltas, deltas * per_point)
            label = axis.label
            if label.get_visible() and label.get_text():
                offsets = (axis.labelpad + LABEL_OFFSET) * per_point * deltas
                (x, y, _), = self._project([axis3d._move_from_center(0.5 * (edge0 + edge1), centers, offsets,
                                                                      axis._axmask())])
                if axis.get_rotate_label(label.get_text()):
                    (dx, dy), = np.diff(ax.transAxes.transform(ends[:, :2]), axis=0)
                    label.set_rotation(art3d._norm_text_angle(np.rad2deg(np.arctan2(dy, dx))))
                label.set_position((x, y))  # where mplot3d leaves it, for anything that asks
                self._draw_text(renderer, label, ax.transData.transform((x, y)))
        self.stale = False

    def _draw_grid(self, renderer, minmax, maxmin):
        """Each axis's grid lines, as mplot3d places them: from one pane's far edge,
        through the panes' corner, to the other pane's far edge."""
        lines = []
        for i in range(3):
            locations = self.ticks[i][0]
            starts = np.tile(minmax, (len(locations), 1))
            starts[:, i] = locations
            three = np.stack([starts, starts, starts], axis=1)
            three[:, 0, i - 2] = maxmin[i - 2]
            three[:, 2, i - 1] = maxmin[i - 1]
            lines.append(three)
        for drawer, grids in self.grid_groups:
            three = np.concatenate([lines[i] for i in grids])
            if len(three):
                flat = self._project(three.reshape(-1, 3))[:, :2]
                collection = self.axes3[drawer].gridlines
                LineCollection.set_segments(collection, flat.reshape(len(three), 3, 2))  # 2D: projected here
                collection.draw(renderer)

    def _draw_ticks(self, renderer, i, axis, edge0, highs, centers, deltas, deltas_per_point):
        locations, pads, looks, labels = self.ticks[i]
        n = len(locations)
        if not n:
            return
        d = axis._get_tickdir("default")
        delta = deltas[d] if highs[d] else -deltas[d]
        at = np.tile(edge0, (n, 1))
        at[:, i] = locations
        outer, inner = at.copy(), at.copy()
        outer[:, d] += axis._axinfo["tick"]["outward_factor"] * delta
        inner[:, d] -= axis._axinfo["tick"]["inward_factor"] * delta
        mask = axis._axmask()
        anchors = np.array([axis3d._move_from_center(p, centers, (pad + TICK_LABEL_OFFSET) * deltas_per_point, mask)
                            for p, pad in zip(at, pads)])
        projected = self._project(np.vstack([outer, inner, anchors]))
        anchors_px = self.ax.transData.transform(projected[2 * n:, :2])
        affine = self.ax.transData.get_affine().frozen()
        for k, (antialiased, width, join, cap, snap, rgba) in enumerate(looks):  # each tick's line, then its label
            gc = renderer.new_gc()  # as Line2D.draw sets it up for a solid line
            gc.set_antialiased(antialiased)
            gc.set_linewidth(width)
            gc.set_joinstyle(join)
            gc.set_capstyle(cap)
            gc.set_snap(snap)
            gc.set_foreground(rgba, isRGBA=True)
            # a path of its own: Agg snaps a path to the pixel grid only if all of it is upright
            renderer.draw_path(gc, Path(projected[[k, n + k], :2]), affine)
            gc.restore()
            self._draw_text(renderer, labels[k], anchors_px[k])

    def _draw_text(self, renderer, text, anchor_px):
        """``text.draw``, with ``text`` anchored at display point ``anchor_px``, laid out
        once per string and angle (where a string sits from its anchor depends on the
        string, the font, the alignment and the angle, not on the anchor)."""
        string, angle = text.get_text(), text.get_rotation()
        if not text.get_visible() or not string:
            return
        key = (id(text), string)
        kept_angle, found = self.layouts.get(key, (None, None))
        if found is None or kept_angle != angle:  # a label along its axis turns with the camera
            _, info, _ = text._get_layout(renderer)
            found = [(*text._preprocess_math(line), offset) for line, _, offset in info]
            self.layouts[key] = (angle, found)
        gc = renderer.new_gc()  # as Text.draw sets it up
        gc.set_foreground(to_rgba(text.get_color()), isRGBA=True)
        gc.set_alpha(text.get_alpha())
        gc.set_antialiased(text.get_antialiased())
        gc.set_snap(text.get_snap())
        height = renderer.get_canvas_width_height()[1]
        for clean, ismath, (dx, dy) in found:
            x, y = anchor_px[0] + dx, anchor_px[1] + dy
            if renderer.flipy():
                y = height - y
            renderer.draw_text(gc, x, y, clean, text.get_fontproperties(), angle, ismath=ismath,
                               mtext=text if len(found) == 1 else None)
        gc.restore()
