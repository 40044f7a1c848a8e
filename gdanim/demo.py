"""``gdanim demo``: render the gallery and print what was made."""
from __future__ import annotations

import sys
import time
from pathlib import Path

from .animation import animate
from .races import race
from .train import train

ARTICLE_SPEC = "0:50,50:100:5,100:12000:200"
ARTICLE_RUN = dict(lr=0.001, init="w=3,b=-1", epochs=12000)
# a plateau until about epoch 1,000, then the breakthrough
MOONS_RUN = dict(objective="mlp:hidden=8", lr=5.0, epochs=3000)
XOR_RUN = dict(objective="mlp:hidden=2", lr=5.0, epochs=2000)
SHOWN_PARAMS = 4  # the table lists the final parameters of models with at most this many
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
        ("boundary.gif", "moons", MOONS_RUN, "boundary", "log:60" if quick else "log:120", dict(size=size)),
        ("network.gif", "xor", XOR_RUN, "network", "log:60" if quick else "log:120", dict(size=size, record=1)),
        ("landscape.gif", "moons", MOONS_RUN, "landscape", "log:60" if quick else "log:120",
         dict(size=size, axes="pca")),
        ("params.webp", "six-points", ARTICLE_RUN, "params", spec, dict(size=article_size, style="article")),
        ("residuals.html", "six-points", ARTICLE_RUN, "residuals", spec, dict(size=article_size, style="article")),
        ("walkthrough.gif", "backprop-demo", TUTORIAL_RUN, "walkthrough", "all",
         dict(size="960x540" if quick else "1280x720", detail="0:6", fps=1.5, end_pause=3)),
    ]


ROSENBROCK_RACE = ["gd:lr=0.001", "momentum:lr=0.001", "rmsprop:lr=0.01", "adam:lr=0.05"]
LEARNING_RATES = ["gd:lr=0.0005", "gd:lr=0.005", "gd:lr=0.03", "gd:lr=0.05"]


def race_gallery(quick: bool):
    """(file name, race options, view, frames, render options): the issue's two race commands."""
    return [
        ("race.gif", dict(objective="rosenbrock", start="-1.2,1", steps=500, runs=ROSENBROCK_RACE), "contour",
         "0:100:2,100:501:10" if quick else "0:100,100:501:5", dict(size="480x480" if quick else "1000x1000")),
        ("lr-grid.gif", dict(data="six-points", init="w=3,b=-1", epochs=200, runs=LEARNING_RATES), "grid",
         "log:60" if quick else "log:120", dict(size="480x270" if quick else "960x540")),
    ]


def _point(names, theta) -> str:
    if theta is None:
        return "-"
    if len(names) > SHOWN_PARAMS:
        return f"({len(names)} parameters)"
    return ", ".join(f"{n}={v:.4g}" for n, v in zip(names, theta))


def run_demo(out: Path, *, quick: bool = False, quiet: bool = False, workers=None) -> int:
    out.mkdir(parents=True, exist_ok=True)
    rows = []
    runs = {}

    def render(subject, view, spec, options, name, final, best):
        started = time.perf_counter()
        # the GIFs' manifests are the gallery's baselines
        result = animate(subject, view, spec, quiet=quiet, workers=workers, **options).save(out / name, manifest=name.endswith(".gif"))
        seconds = time.perf_counter() - started
        rows.append((str(result.path), result.frames, f"{result.width}x{result.height}", result.bytes, seconds, final, best))

    for name, data, run, view, spec, options in gallery(quick):
        key = (data, tuple(sorted(run.items())))
        if key not in runs:
            runs[key] = train(data, **run)
        history = runs[key]
        final = _point(history.names, history.params[-1])
        if len(history.names) > SHOWN_PARAMS:
            final = f"J={history.J[-1]:.4g} {final}"
        render(history, view, spec, options, name, final,
               _point(history.names, history.optimum))
    for name, race_options, view, spec, options in race_gallery(quick):
        r = race(**race_options)
        lowest = min(range(len(r)), key=lambda i: r.histories[i].J[-1])
        final = f"{len(r)} runs, lowest J {r.histories[lowest].J[-1]:.4g} ({r.labels[lowest]})"
        render(r, view, spec, options, name, final, _point(r.names, r.objective.optimum))
    header = ("file", "frames", "pixels", "bytes", "seconds", "final", "optimum")
    cells = [header] + [(r[0], str(r[1]), r[2], f"{r[3]:,}", f"{r[4]:.2f}", r[5], r[6]) for r in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    for row in cells:
        print("  ".join(c.rjust(w) if i in (1, 3, 4) else c.ljust(w) for i, (c, w) in enumerate(zip(row, widths))).rstrip())
    sys.stdout.flush()
    return 0
