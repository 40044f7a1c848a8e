"""web: the web formats and video, as whole processes.

video     params, the article's run, 1920x1080: GIF, MP4 and WebM, 120 frames,
          alternating, medians; peak RSS of the largest single process (ffmpeg
          included); MP4 and WebM again at 1,200 frames (memory constant in frames?).
gallery   the gallery's animations (gdanim demo, full size) as GIF, WebP and HTML:
          bytes and seconds.
orbit     surface, the article's run, 1000x1000, 120 frames, GIF: ``--orbit 90``
          against the fixed camera, alternating, medians.
notebook  in one Python process after import, for the same animations: the notebook
          display (``Animation._repr_html_``, the player) against the GIF display it
          replaces (save a GIF, embed it in base64): characters and seconds, medians.
save      in one Python process after import: ``anim.save()`` of the article's run,
          120 frames at 960x540, GIF, for params, residuals and surface (the first
          save of each view warms up; medians of the rest).
"""
from __future__ import annotations

import json
import subprocess
import sys

from . import article
from .tables import Target, fmt_mb, fmt_s, info_row, md_row

NAME = "web"
TITLE = "Web formats and video"
VIDEO_SIZE = "1920x1080"
VIDEO_KINDS = ("gif", "mp4", "webm")
GALLERY_KINDS = ("gif", "webp", "html")
VIDEO_RSS = Target("<=", 200.0, " MB")  # the largest process of an MP4 or WebM render
MP4_TIME = Target("<=", 1.5)  # MP4 time / GIF time
VIDEO_MEMORY = Target("<=", 1.2)  # peak RSS at 1,200 frames / at 120 frames
HTML_SIZE = Target("<=", 1.5)  # HTML player bytes / GIF bytes
REPR_CHARS = Target("<=", 1.0)  # notebook player characters / GIF bytes
REPR_TIME = Target("<=", 1.0)  # notebook player time / GIF display time
ORBIT = Target("<=", 2.0)  # surface with --orbit 90 / with the fixed camera, time
NOTEBOOK_SAVE = Target("<=", 1.0, " s")  # anim.save() after import, the article's 120 frames at 960x540


def _video_args(frames: str) -> list[str]:
    return ["render", "params", *article.TRAINING, "--frames", frames, "--size", VIDEO_SIZE, "--style", "article",
            "--no-manifest"]


def _video(ctx) -> dict:
    cases = [ctx.gdanim(kind, _video_args(article.FRAMES), output=ctx.work / f"video.{kind}", timeout=300)
             for kind in VIDEO_KINDS]
    res = ctx.alternate(cases)
    for kind in ("mp4", "webm"):
        long = ctx.gdanim(kind, _video_args(article.LONG_FRAMES), output=ctx.work / f"video-long.{kind}", timeout=1200)
        figures = ctx.alternate([long], runs=1)[kind]
        res[kind].update(long_peak_rss=figures["peak_rss"], long_wall=figures["wall"],
                         memory_ratio=figures["peak_rss"] / res[kind]["peak_rss"])
        ctx.log(f"{kind} 1,200 frames {figures['wall']:.1f} s, peak {figures['peak_rss'] / 1e6:.0f} MB")
    res["mp4_time_ratio"] = res["mp4"]["wall"] / res["gif"]["wall"]
    res["webm_time_ratio"] = res["webm"]["wall"] / res["gif"]["wall"]
    res["command"] = cases[0].shown
    return res


def _orbit(ctx) -> dict:
    cameras = (("fixed", []), ("orbit", ["--orbit", "90"]))
    cases = [ctx.gdanim(label, ["render", "surface", *article.TRAINING, "--frames", article.FRAMES, *article.BIG_OUTPUT,
                                *extra], output=ctx.work / f"orbit-{label}.gif", timeout=300) for label, extra in cameras]
    res = ctx.alternate(cases)
    res["ratio"] = res["orbit"]["wall"] / res["fixed"]["wall"]
    return res


def _flag(name: str) -> str:
    """The command-line spelling of a Python keyword: batch_size is --batch-size."""
    return name.replace("_", "-")


def _animations():
    """The gallery's animations, once each: (stem, training arguments, view, frames, render arguments)."""
    from gdanim.demo import gallery

    seen = {}
    for name, data, run, view, spec, options in gallery(quick=False):
        stem = name.rsplit(".", 1)[0]
        # a model trained on data is --model on the command line (objective= in Python)
        flags = {k: "model" if k == "objective" else _flag(k) for k in run}
        training = ["--data", data] + [x for k, v in run.items() for x in (f"--{flags[k]}", str(v))]
        seen.setdefault(stem, (training, view, spec, [f"--{_flag(k)}={v}" for k, v in options.items()]))
    return seen


def _gallery(ctx) -> dict:
    rows = {}
    for stem, (training, view, spec, options) in _animations().items():
        rows[stem] = {}
        for kind in GALLERY_KINDS:
            command = ["walkthrough"] if view == "walkthrough" else ["render", view]  # a command of its own
            case = ctx.gdanim(kind, [*command, *training, "--frames", spec, *options, "--no-manifest"],
                              output=ctx.work / f"gallery-{stem}.{kind}", timeout=300)
            res = ctx.run(case.cmd, f"gallery {stem} {kind}", timeout=case.timeout)
            rows[stem][kind] = {"bytes": case.output.stat().st_size, "wall": res["wall"]}
        ctx.log(f"gallery {stem}: " + ", ".join(f"{k} {v['bytes'] / 1e6:.3f} MB {v['wall']:.2f} s"
                                              for k, v in rows[stem].items()))
    return rows


_NOTEBOOK_CHILD = r"""
import base64, json, statistics, sys, tempfile, time
from pathlib import Path
import matplotlib
matplotlib.use("Agg")
from gdanim.animation import animate
from gdanim.demo import gallery
from gdanim.train import train

def gif_display(anim):
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "animation.gif"
        anim.save(out, manifest=False)
        data = base64.b64encode(out.read_bytes()).decode("ascii")
    return f'<img src="data:image/gif;base64,{data}" width="{anim.width}" height="{anim.height}"/>'

runs, result = int(sys.argv[1]), {}
for name, data, run, view, spec, options in gallery(quick=False):
    stem = name.rsplit(".", 1)[0]
    if stem in result:
        continue
    anim = animate(train(data, **run), view, spec, **options)
    times, row = {"player": [], "gif": []}, result.setdefault(stem, {})
    for _ in range(runs):
        for kind, show in (("gif", gif_display), ("player", lambda a: a._repr_html_())):
            start = time.perf_counter()
            row[kind + "_chars"] = len(show(anim))
            times[kind].append(time.perf_counter() - start)
    for kind, values in times.items():
        row[kind + "_s"] = statistics.median(values)
json.dump(result, sys.stdout)
"""


def _notebook(ctx) -> dict:
    ctx.wait_for_quiet()
    done = subprocess.run([sys.executable, "-c", _NOTEBOOK_CHILD, str(ctx.runs)], capture_output=True, text=True,
                          timeout=1800, check=True)
    rows = json.loads(done.stdout)
    for stem, row in rows.items():
        ctx.log(f"notebook {stem}: player {row['player_chars']:,} chars {row['player_s']:.2f} s, "
                f"GIF display {row['gif_chars']:,} chars {row['gif_s']:.2f} s")
    return rows


_SAVE_CHILD = r"""
import json, statistics, sys, tempfile, time
from pathlib import Path
import matplotlib
matplotlib.use("Agg")
from gdanim.animation import animate
from gdanim.train import train

runs, result = int(sys.argv[1]), {}
history = train("six-points", lr=0.001, init="w=3,b=-1", epochs=12000)
with tempfile.TemporaryDirectory() as tmp:
    for view in ("params", "residuals", "surface"):
        times = []
        for _ in range(runs + 1):
            anim = animate(history, view, sys.argv[2], size=(960, 540), quiet=True)
            start = time.perf_counter()
            anim.save(Path(tmp) / f"{view}.gif")
            times.append(time.perf_counter() - start)
        result[view] = {"s": statistics.median(times[1:]), "runs": times[1:]}
json.dump(result, sys.stdout)
"""


def _notebook_save(ctx) -> dict:
    ctx.wait_for_quiet()
    done = subprocess.run([sys.executable, "-c", _SAVE_CHILD, str(ctx.runs), article.FRAMES], capture_output=True,
                          text=True, timeout=600, check=True)
    rows = json.loads(done.stdout)
    for view, row in rows.items():
        ctx.log(f"notebook save {view}: {row['s']:.2f} s")
    return rows


def run(ctx) -> dict:
    gallery = _gallery(ctx)
    notebook = _notebook(ctx)
    for stem, row in notebook.items():
        row["gif_bytes"] = gallery[stem]["gif"]["bytes"]
    return {"video": _video(ctx), "gallery": gallery, "notebook": notebook, "save": _notebook_save(ctx),
            "orbit": _orbit(ctx)}


def summary(w: dict) -> list:
    v = w["video"]
    rows = [info_row(f"web: video {VIDEO_SIZE}, 120 frames: GIF / MP4 / WebM (median)",
                     " / ".join(fmt_s(v[k]["wall"]) for k in VIDEO_KINDS)),
            MP4_TIME.row("web: MP4 time / GIF time", v["mp4_time_ratio"], f"{v['mp4_time_ratio']:.2f}")]
    for kind in ("mp4", "webm"):
        e = v[kind]
        rows.append(VIDEO_RSS.row(f"web: {kind.upper()} peak RSS, largest process (ffmpeg included)",
                                  e["peak_rss"] / 1e6, fmt_mb(e["peak_rss"])))
        rows.append(VIDEO_MEMORY.row(f"web: {kind.upper()} peak RSS 1,200 / 120 frames", e["memory_ratio"],
                                     f"{e['memory_ratio']:.2f}"))
    o = w["orbit"]
    rows.append(ORBIT.row("web: surface --orbit 90 / fixed camera (median)", o["ratio"],
                          f"{o['ratio']:.2f} ({fmt_s(o['orbit']['wall'])} / {fmt_s(o['fixed']['wall'])})"))
    for stem, g in w["gallery"].items():
        ratio = g["html"]["bytes"] / g["gif"]["bytes"]
        rows.append(HTML_SIZE.row(f"web: {stem} HTML / GIF bytes (WebP / GIF {g['webp']['bytes'] / g['gif']['bytes']:.2f})",
                                  ratio, f"{ratio:.2f}"))
    for stem, n in w["notebook"].items():
        chars, secs = n["player_chars"] / n["gif_bytes"], n["player_s"] / n["gif_s"]
        rows.append(REPR_CHARS.row(f"web: {stem} notebook player characters / GIF bytes", chars, f"{chars:.2f}"))
        rows.append(REPR_TIME.row(f"web: {stem} notebook player time / GIF display time", secs, f"{secs:.2f}"))
    for view, row in w.get("save", {}).items():
        rows.append(NOTEBOOK_SAVE.row(f"web: {view} anim.save() after import, 120 frames 960x540", row["s"],
                                      fmt_s(row["s"])))
    return rows


def table(w: dict) -> str:
    v = w["video"]
    md = [f"Video: the article's run, 120 frames, `--style article`, `--size {VIDEO_SIZE}`, as GIF, MP4 and WebM; "
          "whole processes, alternating, medians; peak RSS is that of the largest single process (the parent, a "
          "render worker or ffmpeg):\n", f"```\n{v['command']}\n```\n",
          md_row(["output", "seconds (runs)", "peak RSS", "peak RSS at 1,200 frames", "bytes"]),
          md_row(["---"] * 5)]
    for kind in VIDEO_KINDS:
        e = v[kind]
        long = fmt_mb(e["long_peak_rss"]) if "long_peak_rss" in e else ""
        md.append(md_row([kind.upper(), f"{fmt_s(e['wall'])} ({', '.join(f'{x:.2f}' for x in e['walls'])})",
                          fmt_mb(e["peak_rss"]), long, f"{e['bytes']:,}"]))
    md.append(f"\nMP4 / GIF time {v['mp4_time_ratio']:.2f}, WebM / GIF time {v['webm_time_ratio']:.2f}.\n")
    o = w["orbit"]
    md.append(f"Moving camera: `gdanim render surface` (the article's run and frames, 1000x1000, GIF) with "
              f"`--orbit 90` took {fmt_s(o['orbit']['wall'])} against {fmt_s(o['fixed']['wall'])} with the fixed "
              f"camera, {o['ratio']:.2f}x (runs: {', '.join(f'{x:.2f}' for x in o['orbit']['walls'])} / "
              f"{', '.join(f'{x:.2f}' for x in o['fixed']['walls'])} s).\n")
    md += ["Gallery (`gdanim demo`'s animations at full size), one whole-process render each:\n",
           md_row(["animation", "GIF bytes", "WebP bytes", "HTML bytes", "HTML / GIF", "GIF s", "WebP s", "HTML s"]),
           md_row(["---"] * 8)]
    for stem, g in w["gallery"].items():
        md.append(md_row([stem, *(f"{g[k]['bytes']:,}" for k in GALLERY_KINDS),
                          f"{g['html']['bytes'] / g['gif']['bytes']:.2f}", *(f"{g[k]['wall']:.2f}" for k in GALLERY_KINDS)]))
    md += ["\nNotebook display, in one process after import (medians): the player (`_repr_html_`) against the GIF "
           "display it replaced (a GIF saved and embedded in base64):\n",
           md_row(["animation", "player chars", "GIF display chars", "GIF bytes", "player s", "GIF display s"]),
           md_row(["---"] * 6)]
    for stem, n in w["notebook"].items():
        md.append(md_row([stem, f"{n['player_chars']:,}", f"{n['gif_chars']:,}", f"{n['gif_bytes']:,}",
                          f"{n['player_s']:.2f}", f"{n['gif_s']:.2f}"]))
    return "\n".join(md + [""])
