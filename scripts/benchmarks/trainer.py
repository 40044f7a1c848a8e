"""trainer: 12,000 epochs of gd on synthetic n = 1,000,000, ``gdanim.train`` against a plain
per-epoch numpy loop (the seed article's way), same data, in the bench process."""
from __future__ import annotations

import math
import time

import numpy as np

from .measure import median
from .tables import Target, fmt_s, info_row, joined

NAME = "trainer"
TITLE = "Trainer fast path"
N, EPOCHS, LR = 1_000_000, 12_000, 0.1
QUICK_PLAIN_EPOCHS = 1_200
SPEEDUP = Target(">=", 100.0, "x")
AGREEMENT = Target("<=", 1e-9)  # max relative difference of the final parameters


def run(ctx) -> dict:
    import gdanim
    from gdanim.data import synthetic

    ctx.log(f"synthetic n={N:,}, gd, lr {LR}, {EPOCHS:,} epochs")
    data = synthetic(n=N, w=2.0, b=3.0, noise=0.5, seed=0)
    gd_times, history = [], None
    ctx.wait_for_quiet()
    for _ in range(ctx.runs):
        start = time.perf_counter()
        history = gdanim.train(data, optimizer="gd", lr=LR, epochs=EPOCHS)
        gd_times.append(time.perf_counter() - start)
    gd_time = median(gd_times)
    ctx.log(f"gdanim.train {gd_time:.3f} s (median of {len(gd_times)})")

    # The plain loop, as the seed notebook writes it: every epoch touches all n rows.
    plain_epochs = QUICK_PLAIN_EPOCHS if ctx.quick else EPOCHS
    x, y = data.X[:, 0], data.y
    w, b, lr = 0.0, 0.0, LR
    W, B, C = [], [], []
    ctx.log(f"plain numpy loop, {plain_epochs:,} epochs ...")
    other = ctx.wait_for_quiet()
    start = time.perf_counter()
    for _ in range(plain_epochs):
        e = y - (w * x + b)
        W.append(w); B.append(b); C.append(np.mean(e ** 2))
        dw = np.mean(e * (-2 * x)); db = np.mean(e * -2)
        w -= lr * dw; b -= lr * db
    plain_measured = time.perf_counter() - start
    plain_other = other.cores()
    plain_time = plain_measured * EPOCHS / plain_epochs
    plain_final = np.array([w, b])
    gd_at = history.params[plain_epochs]
    rel = float(np.max(np.abs(gd_at - plain_final)) / np.max(np.abs(plain_final)))
    ratio = plain_time / gd_time
    ctx.log(f"plain {plain_time:.1f} s{' (extrapolated)' if plain_epochs != EPOCHS else ''}, "
            f"ratio {ratio:.0f}x, rel diff {rel:.2e}")
    return {
        "gd_times": gd_times,
        "gd_time": gd_time,
        "plain_epochs": plain_epochs,
        "plain_measured": plain_measured,
        "plain_other_cores": plain_other,
        "plain_time": plain_time,
        "extrapolated": plain_epochs != EPOCHS,
        "ratio": ratio,
        "rel": rel,
        "gd_params": gd_at.tolist(),
        "plain_params": plain_final.tolist(),
        "final_J": float(history.J[plain_epochs]),
        "J_plain": float(np.mean((y - (w * x + b)) ** 2)),
    }


def summary(t: dict) -> list:
    label = "plain loop (extrapolated)" if t["extrapolated"] else "plain loop"
    return [
        info_row("trainer: gdanim.train, 12,000 epochs, n = 1e6", fmt_s(t["gd_time"])),
        info_row(f"trainer: {label}", fmt_s(t["plain_time"])),
        SPEEDUP.row("trainer: speedup", t["ratio"], f"{t['ratio']:.0f}x"),
        AGREEMENT.row("trainer: final params, max relative difference", t["rel"], f"{t['rel']:.1e}"),
    ]


def table(t: dict) -> str:
    if t["extrapolated"]:
        plain = (f"| plain numpy loop | {t['plain_time']:.1f} | **extrapolated** from {t['plain_epochs']:,} epochs "
                 f"in {t['plain_measured']:.2f} s |")
    else:
        plain = (f"| plain numpy loop | {t['plain_time']:.1f} | all {EPOCHS:,} epochs, one run (other load "
                 f"{t.get('plain_other_cores', math.nan):.2f} cores) |")
    return "\n".join([
        f"`gd` (full batch, MSE, lr {LR}, init zeros) for {EPOCHS:,} epochs on "
        f"`gdanim.data.synthetic(n=1_000_000, w=2.0, b=3.0, noise=0.5, seed=0)`, in the bench process, same data:\n",
        "- gdanim: `gdanim.train(data, optimizer=\"gd\", lr=0.1, epochs=12000)` (full-batch gradients and J from "
        "the sufficient statistics, O(k²) per step; includes computing them once in O(n)).",
        "- plain loop: per epoch `e = y - (w*x + b)`, J = `mean(e**2)`, `dw = mean(e*(-2x))`, `db = mean(-2e)`, "
        "update; w, b, J appended to lists (as in the seed notebook).\n",
        "| | seconds | |\n| --- | --- | --- |",
        f"| `gdanim.train` | {t['gd_time']:.3f} | median of {len(t['gd_times'])}: {joined(t['gd_times'], '.3f')} |",
        plain,
        f"| **speedup** | **{t['ratio']:.0f}x** | target {SPEEDUP.text()}: {SPEEDUP.verdict(t['ratio'])} |",
        "",
        f"Parameters after {t['plain_epochs']:,} epochs: gdanim (w, b) = ({t['gd_params'][0]!r}, "
        f"{t['gd_params'][1]!r}), plain loop ({t['plain_params'][0]!r}, {t['plain_params'][1]!r}); "
        f"max relative difference **{t['rel']:.1e}** (target {AGREEMENT.text()}: "
        f"{AGREEMENT.verdict(t['rel'])}). J: {t['final_J']!r} vs {t['J_plain']!r}.\n",
    ])
