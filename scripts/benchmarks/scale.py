"""scale: loading a 1,000,000-row CSV; a render with n = 1,000,000 against n = 6;
1,000,000 SGD steps of batch 1 over 1,000,000 rows (time, memory, History size).

The SGD run measures itself in a fresh process: ``python -m benchmarks.scale STEPS``.
"""
from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

import numpy as np

from .measure import MB, median
from .tables import Target, fmt_mb, fmt_s, info_row, joined, md_row

NAME = "scale"
TITLE = "Scale"
N = 1_000_000
SPEC = "synthetic:n={n},w=2,b=3,noise=0.5,seed=0"
RENDER = ["--lr", "0.1", "--epochs", "200", "--frames", "log:60", "--size", "480x270"]
SIZES = {"big": N, "small": 6}
SGD_STEPS, SGD_LR = 1_000_000, 0.01
RENDER_RATIO = Target("<=", 1.3)  # wall with n = 1,000,000 / with n = 6


def synthetic_data():
    from gdanim.data import synthetic

    return synthetic(n=N, w=2.0, b=3.0, noise=0.5, seed=0)


def render_case(ctx, label: str, n):
    args = ["render", "params", "--data", SPEC.format(n=n), *RENDER]
    return ctx.gdanim(label, args, output=ctx.work / f"scale-{label}.gif")


def load_csv(ctx) -> dict:
    import gdanim

    data = synthetic_data()
    csv_path = ctx.work / "million.csv"
    np.savetxt(csv_path, np.column_stack([data.X[:, 0], data.y]), fmt="%.17g", delimiter=",", header="x,y",
               comments="")
    times = []
    for _ in range(ctx.runs):
        start = time.perf_counter()
        loaded = gdanim.data.load(str(csv_path))
        times.append(time.perf_counter() - start)
    exact = bool(np.array_equal(loaded.X, data.X) and np.array_equal(loaded.y, data.y))
    res = {"seconds": median(times), "times": times, "bytes": csv_path.stat().st_size, "exact": exact,
           "rows": loaded.n}
    ctx.log(f"CSV load {res['seconds']:.2f} s ({res['bytes'] / MB:.1f} MB file, exact={exact})")
    return res


def run(ctx) -> dict:
    csv = load_csv(ctx)
    render = ctx.alternate([render_case(ctx, label, n) for label, n in SIZES.items()])
    render["ratio"] = render["big"]["wall"] / render["small"]["wall"]
    render["command"] = render_case(ctx, "shown", "N").shown
    child = ctx.run([sys.executable, "-m", __name__, str(SGD_STEPS)], "sgd child", timeout=600,
                    cwd=Path(__file__).resolve().parents[1])
    sgd = json.loads(child["stdout"].strip().splitlines()[-1])
    sgd["process_peak_rss"] = child["peak_rss"]  # includes making the data
    ctx.log(f"SGD {SGD_STEPS:,} steps {sgd['seconds']:.1f} s, RSS +{sgd['rss_delta'] / MB:.0f} MB, "
            f"History {sgd['history_bytes'] / MB:.1f} MB")
    return {"csv": csv, "render": render, "sgd": sgd}


def sgd_child(steps: int) -> None:
    """Runs in its own process: time, peak-RSS growth and History size of a long SGD run."""
    import gdanim

    def status(key):
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1]) * 1024
        return None

    data = synthetic_data()
    reset = False
    try:  # "5" resets the peak-RSS mark (VmHWM), so the peak below is the training's own
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        reset = True
    except OSError:
        pass
    before = status("VmRSS") or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    start = time.perf_counter()
    h = gdanim.train(data, optimizer="sgd", batch_size=1, steps=steps, lr=SGD_LR)
    seconds = time.perf_counter() - start
    peak = status("VmHWM") if reset else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    arrays = {name: getattr(h, name).nbytes for name in ("params", "J", "grads", "batch_J", "epoch")}
    print(json.dumps({
        "steps": h.steps, "seconds": seconds, "rss_before": before, "rss_peak": peak, "rss_delta": peak - before,
        "peak_reset": reset, "history_bytes": sum(arrays.values()), "arrays": arrays,
        "final": h.params[-1].tolist(), "diverged_at": h.diverged_at, "data_bytes": data.X.nbytes + data.y.nbytes,
    }))


def summary(sc: dict) -> list:
    rr, sg = sc["render"], sc["sgd"]
    return [
        info_row("scale: load 1,000,000-row CSV", fmt_s(sc["csv"]["seconds"])),
        RENDER_RATIO.row("scale: render n = 1e6 / n = 6 (wall)", rr["ratio"],
                         f"{rr['ratio']:.2f} ({fmt_s(rr['big']['wall'])} / {fmt_s(rr['small']['wall'])})"),
        info_row("scale: SGD batch 1, 1e6 steps: time", fmt_s(sg["seconds"])),
        info_row("scale: SGD: peak RSS growth / History arrays",
                 f"{fmt_mb(sg['rss_delta'])} / {sg['history_bytes'] / MB:.1f} MB", "O(steps x params)"),
    ]


def table(sc: dict) -> str:
    c, rr, sg = sc["csv"], sc["render"], sc["sgd"]
    md = [
        f"**(a) CSV load.** 1,000,000 rows x 2 columns (`x,y`, `%.17g`, {c['bytes'] / MB:.1f} MB) written by "
        f"`numpy.savetxt`; `gdanim.data.load(path)`: **{c['seconds']:.2f} s** (median of {len(c['times'])}: "
        f"{joined(c['times'], '.2f')}); values read back exactly: {'yes' if c['exact'] else '**no**'}.\n",
        f"**(b) Render with a million rows.** Whole process, alternating, median of {len(rr['big']['walls'])}:\n",
        f"```\n{rr['command']}\n```\n",
        "| N | wall (median) | runs | other load, cores | peak RSS |\n| --- | --- | --- | --- | --- |",
    ]
    for label, n in (("big", "1,000,000"), ("small", "6")):
        x = rr[label]
        md.append(md_row([n, f"{x['wall']:.2f} s", joined(x["walls"], ".2f"), joined(x["other_cores"], ".2f"),
                          fmt_mb(x["peak_rss"])]))
    diverged = "" if sg["diverged_at"] is None else f" (**diverged** at step {sg['diverged_at']:,})"
    arrays = ", ".join(f"{k} {v / MB:.1f}" for k, v in sg["arrays"].items())
    md += [
        f"\nRatio **{rr['ratio']:.2f}** (target {RENDER_RATIO.text()}: {RENDER_RATIO.verdict(rr['ratio'])}).\n",
        f"**(c) SGD, batch 1.** `gdanim.train(synthetic(n=1_000_000, w=2.0, b=3.0, noise=0.5, seed=0), "
        f"optimizer=\"sgd\", batch_size=1, steps={SGD_STEPS:_}, lr={SGD_LR})` in a fresh process:\n",
        "| | |\n| --- | --- |",
        f"| steps | {sg['steps']:,}{diverged} |",
        f"| time | {sg['seconds']:.2f} s ({sg['seconds'] / sg['steps'] * 1e6:.1f} µs a step) |",
        f"| peak RSS growth during training | {fmt_mb(sg['rss_delta'])} (from {fmt_mb(sg['rss_before'])}, data "
        f"{fmt_mb(sg['data_bytes'])}; {'VmHWM reset before training' if sg['peak_reset'] else 'process peak'}) |",
        f"| History arrays | {sg['history_bytes'] / MB:.1f} MB ({arrays} MB) = "
        f"{sg['history_bytes'] / sg['steps']:.0f} bytes a step |",
        f"| final (w, b) | ({sg['final'][0]:.4f}, {sg['final'][1]:.4f}) |",
        "",
    ]
    return "\n".join(md)


if __name__ == "__main__":
    sgd_child(int(sys.argv[1]))
