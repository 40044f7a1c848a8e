"""render: params / residuals / surface at 1000x1000, the article's 120 frames, GIF:
``gdanim render`` against the reference pipelines in ../shared/bench (seed_style.py:
celluloid; peer_funcanimation.py: FuncAnimation), whole process, alternating, medians."""
from __future__ import annotations

import os

from . import article
from .measure import MB, QUIET_BUDGET_TOTAL, QUIET_CORES, QUIET_WAIT
from .tables import Target, fmt_mb, fmt_s, info_row, md_row, process_cells, process_header

NAME = "render"
TITLE = "Renderer against the reference pipelines"
REFERENCES = {"seed": "seed_style.py", "peer": "peer_funcanimation.py"}
TOOLS = ("gdanim", *REFERENCES)
SPEEDUP_SEED = Target(">=", 20.0, "x")
SPEEDUP_PEER = Target(">=", 12.0, "x")
PEAK_RSS_MB = Target("<=", 200.0, " MB")
GIF_RATIO = Target("<=", 0.5)  # GIF bytes gdanim / seed


def cases(ctx, view: str) -> list:
    """gdanim, seed and peer rendering ``view``, keyed "TOOL VIEW"."""
    out = {tool: article.output(ctx.work, tool, view) for tool in TOOLS}
    return [ctx.gdanim(f"gdanim {view}", article.render_args(view), output=out["gdanim"]),
            *(ctx.reference(f"{tool} {view}", script, [view], output=out[tool]) for tool, script in REFERENCES.items())]


def run(ctx) -> dict:
    figures = ctx.alternate([case for view in article.VIEWS for case in cases(ctx, view)])
    views = {}
    for view in article.VIEWS:
        s = {tool: figures[f"{tool} {view}"] for tool in TOOLS}
        g = s["gdanim"]
        s["speedup_seed"] = s["seed"]["wall"] / g["wall"]
        s["speedup_peer"] = s["peer"]["wall"] / g["wall"]
        s["gif_ratio"] = g["bytes"] / s["seed"]["bytes"]
        views[view] = s
    return {
        "runs": ctx.runs,
        "views": views,
        "references": ctx.reference_shown(REFERENCES["seed"]),
        "commands": [case.shown for case in cases(ctx, "VIEW")],
        "workers": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
    }


def summary(r: dict) -> list:
    rows = []
    for view, s in r["views"].items():
        g = s["gdanim"]
        rows += [
            info_row(f"render {view}: gdanim / seed / peer (median)",
                     f"{fmt_s(g['wall'])} / {fmt_s(s['seed']['wall'])} / {fmt_s(s['peer']['wall'])}"),
            SPEEDUP_SEED.row(f"render {view}: speedup vs seed", s["speedup_seed"], f"{s['speedup_seed']:.1f}x"),
            SPEEDUP_PEER.row(f"render {view}: speedup vs peer", s["speedup_peer"], f"{s['speedup_peer']:.1f}x"),
            PEAK_RSS_MB.row(f"render {view}: gdanim peak RSS (largest process)", g["peak_rss"] / MB,
                            fmt_mb(g["peak_rss"])),
            GIF_RATIO.row(f"render {view}: GIF bytes gdanim / seed", s["gif_ratio"], f"{s['gif_ratio']:.2f}"),
        ]
    return rows


def table(r: dict) -> str:
    md = [
        f"Each view at 1000x1000 px (10x10 in at 100 dpi), the article's 120 frames, GIF; whole process, "
        f"run in turn gdanim, seed, peer for each view, {r['runs']} round{'s' * (r['runs'] != 1)}; "
        f"{'medians; ' if r['runs'] > 1 else ''}commands "
        f"(VIEW = params, residuals, surface; references from `{r['references']}`, run with the project's venv "
        "Python):\n",
        "```", *r["commands"], "```\n",
        "gdanim runs with its defaults: stream engine, one render worker per CPU "
        f"({r['workers']} here), forked after the static part is drawn; it also hashes every frame and "
        "writes the `OUT.frames.json` manifest beside the GIF.\n",
        process_header(["view", "tool"], "GIF bytes"),
    ]
    md += [md_row([view, tool, *process_cells(s[tool])]) for view, s in r["views"].items() for tool in TOOLS]
    md += ["", "| view | speedup vs seed | vs peer | gdanim peak RSS | GIF bytes gdanim/seed |",
           "| --- | --- | --- | --- | --- |"]
    for view, s in r["views"].items():
        peak = s["gdanim"]["peak_rss"]
        md.append(md_row([view, f"{s['speedup_seed']:.1f}x ({SPEEDUP_SEED.verdict(s['speedup_seed'])})",
                          f"{s['speedup_peer']:.1f}x ({SPEEDUP_PEER.verdict(s['speedup_peer'])})",
                          f"{fmt_mb(peak)} ({PEAK_RSS_MB.verdict(peak / MB)})",
                          f"{s['gif_ratio']:.2f} ({GIF_RATIO.verdict(s['gif_ratio'])})"]))
    md += [md_row(["target", SPEEDUP_SEED.text(), SPEEDUP_PEER.text(), PEAK_RSS_MB.text(), GIF_RATIO.text()]), "",
           "*Other load*: cores kept busy by processes outside the bench during each run (machine busy time from "
           "`/proc/stat` minus the bench's own CPU time); each run starts only once that is below "
           f"{QUIET_CORES} cores, or after waiting {QUIET_WAIT:g} s ({QUIET_BUDGET_TOTAL:g} s in all at most). "
           "gdanim uses every core, so it suffers most from other load.\n",
           "Peak RSS is the largest single process (`ru_maxrss`, maximum over the runs). Tree sums are sampled every "
           "0.25 s (the maximum seen); RSS counts pages the forked workers share with the parent once per process, "
           "PSS splits them.\n"]
    return "\n".join(md)
