"""quality: PSNR of the decoded GIF frames against the rendered RGB frames."""
from __future__ import annotations

import hashlib
import math
import statistics

import numpy as np

from . import article
from .tables import Target, md_row

NAME = "quality"
TITLE = "GIF quality"
MEAN_PSNR = Target(">=", 30.0, " dB")


def psnr(a: np.ndarray, b: np.ndarray) -> float:
    mse = float(np.mean((a.astype(np.float32) - b.astype(np.float32)) ** 2))
    return math.inf if mse == 0 else 10 * math.log10(255.0 ** 2 / mse)


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run(ctx) -> dict:
    import gdanim
    from gdanim.animation import animate
    from PIL import Image, ImageSequence

    history = gdanim.train("six-points", lr=0.001, init="w=3,b=-1", epochs=12000)
    res = {}
    for view in article.VIEWS:
        anim = animate(history, view, article.FRAMES, size=(1000, 1000), style="article", workers=1)
        path = ctx.work / f"quality-{view}.gif"
        anim.save(path, manifest=False)
        values = []
        with Image.open(path) as im:
            decoded = (frame.convert("RGB") for frame in ImageSequence.Iterator(im))
            for rendered, frame in zip(anim.frames(), decoded, strict=True):
                values.append(psnr(rendered, np.asarray(frame)))
        finite = [min(v, 100.0) for v in values]  # identical frames count as 100 dB
        entry = {
            "frames": len(values),
            "mean": statistics.fmean(finite),
            "min": min(values),
            "identical": sum(math.isinf(v) for v in values),
        }
        cli_gif = article.output(ctx.work, "gdanim", view)
        if cli_gif.exists():  # the CLI render (default workers) should be byte-identical
            entry["same_as_cli"] = digest(cli_gif) == digest(path)
        res[view] = entry
        ctx.log(f"{view} mean PSNR {entry['mean']:.2f} dB, min {entry['min']:.2f} dB over {entry['frames']} frames")
    return res


def summary(q: dict) -> list:
    return [MEAN_PSNR.row(f"quality {view}: mean PSNR (min)", e["mean"], f"{e['mean']:.1f} dB ({e['min']:.1f} dB)")
            for view, e in q.items()]


def table(q: dict) -> str:
    md = [
        "In Python: `h = gdanim.train(\"six-points\", lr=0.001, init=\"w=3,b=-1\", epochs=12000)`, "
        f"`anim = gdanim.animation.animate(h, VIEW, \"{article.FRAMES}\", size=(1000, 1000), style=\"article\", "
        "workers=1)`, `anim.save(gif)`; each frame of `anim.frames()` (RGB) against the same frame of the GIF "
        "decoded by Pillow (`ImageSequence`, `convert(\"RGB\")`). PSNR over all pixels and channels; an "
        "identical frame counts as 100 dB in the mean.\n",
        "| view | frames | mean PSNR | min PSNR | identical frames | same bytes as the CLI GIF |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for view, e in q.items():
        same = {True: "yes", False: "**no**"}.get(e.get("same_as_cli"), "not compared")
        md.append(md_row([view, str(e["frames"]), f"{e['mean']:.2f} dB ({MEAN_PSNR.verdict(e['mean'])})",
                          f"{e['min']:.2f} dB", str(e["identical"]), same]))
    md.append(f"\nTarget: mean {MEAN_PSNR.text()}. The last column compares with the CLI render of section 2 "
              "(default workers), which should be byte-identical whatever the number of workers.\n")
    return "\n".join(md)
