"""``gdanim demo``: render the gallery and print what was made."""
from __future__ import annotations

import sys
import time
from pathlib import Path

from .animation import animate
from .train import train

ARTICLE_SPEC = "0:50,50:100:5,100:12000:200"
ARTICLE_RUN = dict(lr=0.001, init="w=3,b=-1", epochs=12000)
# the SGD tutorial's first epoch, every step phase by phase
TUTORIAL_RUN = dict(optimizer="sgd", batch_size=1, order="sequential", lr=0.05, init="w1=-0.017,w2=-0.048,b=0", steps=6)


def gallery(quick: bool):
    """(file name, dataset, training options, view, frames, render options)."""
    size = "480x270" if quick else "960x540"
    article_size = "480x480" if quick else "1000x1000"
    spec = "0:50,50:100:10,100:12000:400" if quick else ARTICLE_SPEC
    return [
        ("params.gif", "six-points", ARTICLE_RUN, "params", spec, dict(size=article_size, style="article")),
        ("residuals.gif", "six-points", ARTICLE_RUN, "residuals", spec, dict(size=article_size, style="article")),
        ("surface.gif", "six-points", ARTICLE_RUN, "surface", spec, dict(size=article_size, style="article")),
        ("contour.gif", "six-points", ARTICLE_RUN, "contour", "log:60" if quick else "log:120", dict(size=size)),
        ("plane.gif", "six-points-2d", dict(lr=0.01, epochs=3000), "plane", "log:60" if quick else "log:120",
         dict(size=size)),
        ("walkthrough.gif", "backprop-demo", TUTORIAL_RUN, "walkthrough", "all",
         dict(size="960x540" if quick else "1280x720", detail="0:6", fps=1.5, end_pause=3)),
    ]


def run_demo(out: Path, *, quick: bool = False, quiet: bool = False, workers=None) -> int:
    out.mkdir(parents=True, exist_ok=True)
    rows = []
    runs = {}
    for name, data, run, view, spec, options in gallery(quick):
        key = (data, tuple(sorted(run.items())))
        if key not in runs:
            runs[key] = train(data, **run)
        history = runs[key]
        started = time.perf_counter()
        result = animate(history, view, spec, quiet=quiet, workers=workers, **options).save(out / name)
        seconds = time.perf_counter() - started
        final = ", ".join(f"{n}={v:.4g}" for n, v in zip(history.names, history.params[-1]))
        best = ", ".join(f"{n}={v:.4g}" for n, v in zip(history.names, history.optimum))
        rows.append((str(result.path), result.frames, f"{result.width}x{result.height}", result.bytes, seconds, final, best))
    header = ("file", "frames", "pixels", "bytes", "seconds", "final", "optimum")
    cells = [header] + [(r[0], str(r[1]), r[2], f"{r[3]:,}", f"{r[4]:.2f}", r[5], r[6]) for r in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    for row in cells:
        print("  ".join(c.rjust(w) if i in (1, 3, 4) else c.ljust(w) for i, (c, w) in enumerate(zip(row, widths))).rstrip())
    sys.stdout.flush()
    return 0
