"""memory: peak RSS of ``gdanim render params`` at 1,200 frames against 120 frames."""
from __future__ import annotations

from . import article
from .tables import Target, fmt_mb, joined, md_row

NAME = "memory"
TITLE = "Constant memory"
LENGTHS = {"120": article.FRAMES, "1200": article.LONG_FRAMES}  # frame count: --frames
GROWTH = Target("<=", 1.2)  # peak RSS at 1,200 frames / at 120 frames


def run(ctx) -> dict:
    cases = [ctx.gdanim(label, article.render_args("params", frames), output=ctx.work / f"memory-{label}.gif",
                        timeout=120) for label, frames in LENGTHS.items()]
    res = ctx.alternate(cases, runs=1)
    short, long = res["120"], res["1200"]
    res["ratio"] = long["peak_rss"] / short["peak_rss"]
    res["pss_ratio"] = long["tree_pss"] / short["tree_pss"] if short["tree_pss"] else float("nan")
    res["command"] = cases[-1].shown
    return res


def summary(m: dict) -> list:
    shown = f"{m['ratio']:.2f} ({fmt_mb(m['1200']['peak_rss'])} / {fmt_mb(m['120']['peak_rss'])})"
    return [GROWTH.row("memory: peak RSS 1,200 / 120 frames (params)", m["ratio"], shown)]


def table(m: dict) -> str:
    md = [
        "`gdanim render params` with the article's run (six points, lr 0.001, w=3, b=-1, 12,000 epochs) at "
        f"1000x1000, article style, default workers: 120 frames (`--frames {article.FRAMES}`) against "
        f"1,200 frames (`--frames {article.LONG_FRAMES}`), one run each (peak RSS varies little between runs):\n",
        f"```\n{m['command']}\n```\n",
        "| frames | wall | other load, cores | peak RSS, largest process | tree PSS sum | GIF bytes |\n"
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for label in LENGTHS:
        x = m[label]
        md.append(md_row([f"{x['frames']:,}", f"{x['wall']:.1f} s", joined(x["other_cores"], ".2f"),
                          fmt_mb(x["peak_rss"]), fmt_mb(x["tree_pss"]), f"{x['bytes']:,}"]))
    md.append(f"\nRatio 1,200 / 120 frames: peak RSS **{m['ratio']:.2f}** (target {GROWTH.text()}: "
              f"{GROWTH.verdict(m['ratio'])}); tree PSS {m['pss_ratio']:.2f}.\n")
    return "\n".join(md)
