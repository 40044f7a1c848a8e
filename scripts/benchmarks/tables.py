"""Pieces the benchmarks' tables are made of: targets with their verdicts, and number formats."""
from __future__ import annotations

import math
from dataclasses import dataclass

from .measure import MB

Row = tuple[str, str, str, str]  # a summary row: (measure, value, target, pass/MISS/"")


@dataclass(frozen=True)
class Target:
    """A bound a figure should meet: ``op`` is ">=" or "<="; ``unit`` follows the bound in the text."""

    op: str
    bound: float
    unit: str = ""

    def text(self) -> str:
        return f"{'≥' if self.op == '>=' else '≤'} {self.bound:g}{self.unit}"

    def verdict(self, value: float | None) -> str:
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return "n/a"
        ok = value >= self.bound if self.op == ">=" else value <= self.bound
        return "pass" if ok else "MISS"

    def row(self, measure: str, value: float, shown: str) -> Row:
        """A summary row for ``value``, shown as ``shown``, judged against this target."""
        return (measure, shown, self.text(), self.verdict(value))


def info_row(measure: str, shown: str, note: str = "") -> Row:
    """A summary row with no target."""
    return (measure, shown, note, "")


def fmt_s(v: float) -> str:
    return f"{v:.3f} s" if v < 1 else f"{v:.2f} s" if v < 10 else f"{v:.1f} s"


def fmt_mb(v: float) -> str:
    return f"{v / MB:.0f} MB"


def joined(values, spec: str) -> str:
    """``1.2, 1.3, 1.1``: every run's figure, in order."""
    return ", ".join(format(v, spec) for v in values)


PROCESS_COLUMNS = ("wall (median)", "runs", "other load, cores", "peak RSS, largest process", "tree RSS sum",
                   "tree PSS sum")


def process_header(leading: list[str], output: str = "bytes") -> str:
    """Header and rule of a table of process_cells rows, after the ``leading`` columns (e.g. view, tool)."""
    columns = [*leading, *PROCESS_COLUMNS, output, "frames"]
    return md_row(columns) + "\n" + md_row(["---"] * len(columns))


def process_cells(figures: dict) -> list[str]:
    """One summarised command (Context.alternate) as the cells under PROCESS_COLUMNS, then its
    output's bytes and frames (when it wrote a file)."""
    cells = [f"{figures['wall']:.2f} s", joined(figures["walls"], ".1f"), joined(figures["other_cores"], ".2f"),
             fmt_mb(figures["peak_rss"]), fmt_mb(figures["tree_rss"]), fmt_mb(figures["tree_pss"])]
    if "bytes" in figures:
        cells += [f"{figures['bytes']:,}{' (varied)' if figures['bytes_vary'] else ''}", str(figures["frames"])]
    return cells


def md_row(cells) -> str:
    return "| " + " | ".join(cells) + " |"
