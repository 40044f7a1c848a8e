"""The equation strip: a frame's arithmetic written out with its numbers (see ``numbers``).

``EquationStrip`` draws rows of equations in a box; ``Explainer`` is what ``--explain``
adds under the params, residuals and contour views: ``explain_rows``, the update that
produced the frame's record, one row per parameter, from the History's gradients.
"""
from __future__ import annotations

from ..views.text import TextLayer, text_width
from .numbers import significant, symbol
from .updates import OptimizerReplay

LINE_SPACING = 1.5  # baseline to baseline, in font sizes
GAP = "    "  # between equations on one row
MAX_EXPLAIN_SHARE = 0.3  # of the figure's height, at most, for --explain's strip


def explain_rows(history, records) -> dict[int, list[list[str]]]:
    """For each record, the update that produced it, a row of equations per parameter
    (the start for record 0)."""
    steps = sorted({int(k) - 1 for k in records if k > 0})
    replay = OptimizerReplay(history, steps)
    loss = "L" if history.config.get("steps_per_epoch", 1) > 1 else "J"
    symbols = [symbol(name) for name in history.names]
    rows = {}
    for k in sorted(set(int(k) for k in records)):
        if k == 0:
            start = ", ".join(f"{s} = {significant(v)}" for s, v in zip(symbols, history.params[0]))
            rows[k] = [[f"start: {start}"]]
            continue
        rows[k] = [[eq.text(significant) for eq in replay.equations(history, k - 1, j, s, loss)] for j, s in enumerate(symbols)]
    return rows


class EquationStrip:
    """Rows of equations in a box (figure fractions).

    A frame gives rows, each a list of equations (texts) and a colour. Frames of one
    kind (a walkthrough phase, say) share a layout and a font size, so nothing jumps
    between steps: each row on one line, or, where that leaves the font smaller, each
    equation on its own line; and the largest size up to ``fontsize`` at which every
    frame of the kind fits.
    """

    def __init__(self, fig, box, frames, fontsize: float):
        self.fig, self.box = fig, box
        x0, y0, x1, y1 = box
        self.width_px, self.height_px = (x1 - x0) * fig.bbox.width, (y1 - y0) * fig.bbox.height
        self.fontsize = fontsize
        kinds = {}
        for kind, versions in frames:
            kinds.setdefault(kind, []).append(versions)
        self.layout = {kind: self._fit(every) for kind, every in kinds.items()}

    @staticmethod
    def _lines(rows, split: bool) -> list[tuple[str, object]]:
        if split:
            return [(text, color) for texts, color in rows for text in texts]
        return [(GAP.join(texts), color) for texts, color in rows]

    def _fit(self, every) -> tuple[int, bool, float]:
        """(version, split, font size) for the frames of one kind: each frame gives the
        same versions of its rows (say, with and without definitions), best first."""
        best = None
        for version in range(len(every[0])):
            for split in (False, True):
                lines = [self._lines(versions[version], split) for versions in every]
                texts = {t for frame in lines for t, _ in frame}
                tallest = max(len(frame) for frame in lines) * LINE_SPACING * self.fontsize * self.fig.dpi / 72
                size = self.fontsize * min(1.0, self.height_px / max(tallest, 1.0))
                size = self._fit_width(texts, size)
                if best is None or size > best[2] * 1.05:
                    best = (version, split, size)
        return best

    def _fit_width(self, texts, size: float) -> float:
        """The largest size up to ``size`` at which the widest text fits (hinted glyphs do
        not shrink in proportion, so measure again)."""
        for _ in range(4):
            widest = max((text_width(t, size, self.fig.dpi) for t in texts), default=0.0)
            if widest <= self.width_px:
                break
            size *= 0.99 * self.width_px / widest
        return size

    def make_dynamic(self) -> TextLayer:
        self.layer = TextLayer(self.fig)
        return self.layer

    def show(self, kind: str, versions) -> None:
        """versions: the frame's rows, [([equation text, ...], colour), ...], in each version."""
        self.layer.clear()
        version, split, size = self.layout[kind]
        line = LINE_SPACING * size * self.fig.dpi / 72 / self.fig.bbox.height
        x0, _, _, y1 = self.box
        for i, (text, color) in enumerate(self._lines(versions[version], split)):
            self.layer.add(x0, y1 - (i + 0.75) * line, text, size, color)


class Explainer:
    """The strip ``explain`` adds below a view's panels: the update that produced each
    frame's record, one row per parameter, with the History's numbers."""

    def __init__(self, history, records):
        self.equations = explain_rows(history, records)

    def reserve(self, fig, fontsize: float, color, bottom: float = 0.0) -> float:
        """Set the strip up at ``bottom`` (figure fraction) of ``fig``; returns its height."""
        self.rows = {k: [(texts, color) for texts in rows] for k, rows in self.equations.items()}
        count = max(len(rows) for rows in self.rows.values())
        widest = max(text_width(GAP.join(texts), fontsize, fig.dpi) for rows in self.equations.values() for texts in rows)
        if widest > 0.96 * fig.bbox.width:  # rows too long for a line: room for an equation a line
            count = max(sum(map(len, rows)) for rows in self.equations.values())
        line = LINE_SPACING * fontsize * fig.dpi / 72 / fig.bbox.height
        height = min(count + 0.5, MAX_EXPLAIN_SHARE / line) * line
        self.strip = EquationStrip(fig, (0.02, bottom, 0.98, bottom + height), [("", [rows]) for rows in self.rows.values()], fontsize)
        return height

    def make_dynamic(self, ax) -> TextLayer:
        layer = self.strip.make_dynamic()
        ax.add_artist(layer)
        return layer

    def show(self, k: int) -> None:
        self.strip.show("", [self.rows[k]])
