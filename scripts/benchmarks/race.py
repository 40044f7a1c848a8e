"""race: an optimiser race on Rosenbrock at 1000x1000, 181 frames, GIF.

``gdanim race contour`` against ../shared/bench/peer_race.py (the widely copied
FuncAnimation recipe) on the same work: gd, momentum, rmsprop and adam from (-1.2, 1),
500 steps each, frames 0..99 then every 5th step to 500; whole process, alternating,
medians. In the same rounds ``gdanim race grid`` renders the same four runs on the
same frames as small multiples. Then peak RSS at ten times the frames (5,000 steps,
1,801 frames) against the 181-frame race.
"""
from __future__ import annotations

from .tables import Target, fmt_mb, fmt_s, info_row, md_row, process_cells, process_header

NAME = "race"
TITLE = "Optimiser race"
REFERENCES = {"peer": "peer_race.py"}
RUNS = ("gd:lr=0.001", "momentum:lr=0.001", "rmsprop:lr=0.01", "adam:lr=0.05")  # peer_race.py's RACE
FRAMES = "0:100,100:501:5"  # peer_race.py's FRAMES: 181 frames
LONG = (5000, "0:1000,1000:5001:5")  # steps, frames: 1,801 frames
SPEEDUP = Target(">=", 20.0, "x")
PEAK_RSS_MB = Target("<=", 200.0, " MB")
GROWTH = Target("<=", 1.2)  # peak RSS at ten times the frames / at 181 frames
GRID_RATIO = Target("<=", 1.5)  # grid wall time / contour wall time


def race_args(view: str, steps: int = 500, frames: str = FRAMES) -> list[str]:
    return ["race", view, "--objective", "rosenbrock", "--start=-1.2,1", "--steps", str(steps),
            *(f"--run={run}" for run in RUNS), "--frames", frames, "--size", "1000x1000"]


def run(ctx) -> dict:
    out = ctx.work
    cases = [ctx.gdanim("gdanim", race_args("contour"), output=out / "race-contour.gif", timeout=120),
             ctx.gdanim("grid", race_args("grid"), output=out / "race-grid.gif", timeout=120),
             ctx.reference("peer", REFERENCES["peer"], [], output=out / "race-peer.gif")]
    figures = ctx.alternate(cases)
    steps, frames = LONG
    long = ctx.gdanim("long", race_args("contour", steps, frames), output=out / "race-long.gif", timeout=300)
    figures.update(ctx.alternate([long], runs=1))
    gdanim = figures["gdanim"]
    figures["speedup"] = figures["peer"]["wall"] / gdanim["wall"]
    figures["grid_ratio"] = figures["grid"]["wall"] / gdanim["wall"]
    figures["growth"] = figures["long"]["peak_rss"] / gdanim["peak_rss"]
    figures["commands"] = [case.shown for case in (*cases, long)]
    figures["runs"] = ctx.runs
    return figures


def summary(r: dict) -> list:
    g = r["gdanim"]
    return [
        info_row("race contour: gdanim / peer (median)", f"{fmt_s(g['wall'])} / {fmt_s(r['peer']['wall'])}"),
        SPEEDUP.row("race contour: speedup vs peer", r["speedup"], f"{r['speedup']:.1f}x"),
        PEAK_RSS_MB.row("race contour: gdanim peak RSS (largest process)", g["peak_rss"] / 1e6, fmt_mb(g["peak_rss"])),
        GROWTH.row("race: peak RSS 1,801 / 181 frames", r["growth"],
                   f"{r['growth']:.2f} ({fmt_mb(r['long']['peak_rss'])} / {fmt_mb(g['peak_rss'])})"),
        GRID_RATIO.row("race grid (4 runs) / contour, wall", r["grid_ratio"],
                       f"{r['grid_ratio']:.2f} ({fmt_s(r['grid']['wall'])} / {fmt_s(g['wall'])})"),
    ]


def table(r: dict) -> str:
    rounds = f"{r['runs']} round{'s' * (r['runs'] != 1)}"
    md = [
        "gd (lr 0.001), momentum (0.001, beta 0.9), rmsprop (0.01, rho 0.9) and adam (0.05) on Rosenbrock from "
        "(-1.2, 1), 500 steps each, the same 181 frames, 1000x1000, GIF; whole process, run in turn gdanim contour, "
        f"gdanim grid, peer, {rounds}, medians; then the contour race at ten times the frames, once:\n",
        "```", *r["commands"], "```\n",
        process_header(["command"], "GIF bytes"),
        *(md_row([key, *process_cells(r[key])]) for key in ("gdanim", "grid", "peer", "long")),
        "",
        "| measure | value | target |",
        "| --- | --- | --- |",
        md_row(["speedup vs peer (contour)", f"{r['speedup']:.1f}x", f"{SPEEDUP.text()}: {SPEEDUP.verdict(r['speedup'])}"]),
        md_row(["gdanim peak RSS", fmt_mb(r["gdanim"]["peak_rss"]),
                f"{PEAK_RSS_MB.text()}: {PEAK_RSS_MB.verdict(r['gdanim']['peak_rss'] / 1e6)}"]),
        md_row(["peak RSS, 1,801 / 181 frames", f"{r['growth']:.2f}", f"{GROWTH.text()}: {GROWTH.verdict(r['growth'])}"]),
        md_row(["grid / contour wall time", f"{r['grid_ratio']:.2f}",
                f"{GRID_RATIO.text()}: {GRID_RATIO.verdict(r['grid_ratio'])}"]),
        "",
    ]
    return "\n".join(md)
