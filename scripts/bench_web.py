"""The ``web`` section of scripts/bench: web formats and video, measured as whole processes
with bench.py's machinery (passed in as ``b``).

video     params, the article's run, 1920x1080: GIF, MP4 and WebM, 120 frames,
          alternating, medians; peak RSS of the largest single process (ffmpeg
          included); MP4 and WebM again at 1,200 frames (memory constant in frames?).
gallery   the five gallery animations (gdanim demo, full size) as GIF, WebP and HTML:
          bytes and seconds.
orbit     surface, the article's run, 1000x1000, 120 frames, GIF: ``--orbit 90``
          against the fixed camera, alternating, medians.
notebook  in one Python process after import, for the same animations: the notebook
          display (``Animation._repr_html_``, the player) against the GIF display it
          replaces (save a GIF, embed it in base64): characters and seconds, medians.
"""
from __future__ import annotations

import json
import statistics
import subprocess
import sys
from pathlib import Path

VIDEO_SIZE = "1920x1080"
VIDEO_KINDS = ("gif", "mp4", "webm")
TARGETS = {
    "video_rss_mb": ("<=", 200.0),
    "mp4_time_ratio": ("<=", 1.5),
    "video_memory_ratio": ("<=", 1.2),
    "html_ratio": ("<=", 1.5),
    "repr_bytes_ratio": ("<=", 1.0),
    "repr_time_ratio": ("<=", 1.0),
    "orbit_ratio": ("<=", 2.0),
}


def _video_cmd(b, frames: str, out: Path) -> list[str]:
    return b.gdanim_cmd() + ["render", "params", *b.ARTICLE_TRAINING, "--frames", frames, "--size", VIDEO_SIZE,
                             "--style", "article", "--out", str(out), "--quiet", "--no-manifest"]


def _video(b, args, out: Path) -> dict:
    runs = 1 if args.quick else args.runs
    raw = {kind: [] for kind in VIDEO_KINDS}
    for r in range(runs):
        for kind in VIDEO_KINDS:
            target = out / f"video.{kind}"
            res = b.run_checked(_video_cmd(b, b.ARTICLE_FRAMES, target), f"video {kind}", timeout=300)
            raw[kind].append({"wall": res["wall"], "peak_rss": res["peak_rss"], "bytes": target.stat().st_size,
                              "other_cores": res["other_cores"]})
            b.log(f"video run {r + 1}/{runs} {kind:4s} {res['wall']:6.2f} s  peak {res['peak_rss'] / b.MB:5.0f} MB  "
                  f"{target.stat().st_size / b.MB:5.2f} MB  other load {res['other_cores']:.2f} cores")
    summary = {kind: {"wall": statistics.median(x["wall"] for x in rs), "walls": [x["wall"] for x in rs],
                      "peak_rss": max(x["peak_rss"] for x in rs), "bytes": rs[-1]["bytes"]}
               for kind, rs in raw.items()}
    for kind in ("mp4", "webm"):
        target = out / f"video-long.{kind}"
        res = b.run_checked(_video_cmd(b, b.LONG_FRAMES, target), f"video {kind} 1200 frames", timeout=1200)
        summary[kind]["long_peak_rss"] = res["peak_rss"]
        summary[kind]["long_wall"] = res["wall"]
        summary[kind]["memory_ratio"] = res["peak_rss"] / summary[kind]["peak_rss"]
        b.log(f"video {kind} 1,200 frames {res['wall']:.1f} s, peak {res['peak_rss'] / b.MB:.0f} MB")
    summary["mp4_time_ratio"] = summary["mp4"]["wall"] / summary["gif"]["wall"]
    summary["webm_time_ratio"] = summary["webm"]["wall"] / summary["gif"]["wall"]
    return summary


def _orbit(b, args, out: Path) -> dict:
    runs = 1 if args.quick else args.runs
    walls = {"fixed": [], "orbit": []}
    for r in range(runs):
        for label, extra in (("fixed", []), ("orbit", ["--orbit", "90"])):
            cmd = b.gdanim_cmd() + ["render", "surface", *b.ARTICLE_TRAINING, "--frames", b.ARTICLE_FRAMES,
                                    *b.BIG_OUTPUT, "--out", str(out / f"orbit-{label}.gif"), "--quiet", *extra]
            res = b.run_checked(cmd, f"surface {label} camera", timeout=300)
            walls[label].append(res["wall"])
            b.log(f"orbit run {r + 1}/{runs} {label:5s} {res['wall']:6.2f} s  other load {res['other_cores']:.2f} cores")
    fixed, orbit = statistics.median(walls["fixed"]), statistics.median(walls["orbit"])
    return {"walls": walls, "fixed": fixed, "orbit": orbit, "ratio": orbit / fixed}


def _gallery(b, out: Path) -> dict:
    from gdanim.demo import gallery

    rows = {}
    for name, data, run, view, spec, options in gallery(quick=False):
        if not name.endswith(".gif"):
            continue
        stem = name.rsplit(".", 1)[0]
        training = ["--data", data] + [x for k, v in run.items() for x in (f"--{k}", str(v))]
        render = [f"--{k}={v}" for k, v in options.items()]
        rows[stem] = {}
        for kind in ("gif", "webp", "html"):
            target = out / f"gallery-{stem}.{kind}"
            cmd = b.gdanim_cmd() + ["render", view, *training, "--frames", spec, *render, "--out", str(target),
                                    "--quiet", "--no-manifest"]
            res = b.run_checked(cmd, f"gallery {stem} {kind}", timeout=300)
            rows[stem][kind] = {"bytes": target.stat().st_size, "wall": res["wall"]}
        b.log(f"gallery {stem}: " + ", ".join(f"{k} {v['bytes'] / b.MB:.3f} MB {v['wall']:.2f} s"
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
    if not name.endswith(".gif"):
        continue
    anim = animate(train(data, **run), view, spec, **options)
    times = {"player": [], "gif": []}
    for _ in range(runs):
        for kind, show in (("gif", gif_display), ("player", lambda a: a._repr_html_())):
            start = time.perf_counter()
            text = show(anim)
            times[kind].append(time.perf_counter() - start)
            result.setdefault(name.rsplit(".", 1)[0], {})[kind + "_chars"] = len(text)
    for kind, values in times.items():
        result[name.rsplit(".", 1)[0]][kind + "_s"] = statistics.median(values)
json.dump(result, sys.stdout)
"""


def _notebook(b, args) -> dict:
    runs = 1 if args.quick else args.runs
    b.wait_for_quiet()
    done = subprocess.run([sys.executable, "-c", _NOTEBOOK_CHILD, str(runs)], capture_output=True, text=True,
                          timeout=1800, check=True)
    rows = json.loads(done.stdout)
    for stem, row in rows.items():
        b.log(f"notebook {stem}: player {row['player_chars']:,} chars {row['player_s']:.2f} s, "
              f"GIF display {row['gif_chars']:,} chars {row['gif_s']:.2f} s")
    return rows


def bench(b, args, ctx) -> dict:
    out = ctx["tmp"]
    gallery = _gallery(b, out)
    notebook = _notebook(b, args)
    for stem, row in notebook.items():
        row["gif_bytes"] = gallery[stem]["gif"]["bytes"]
    return {"video": _video(b, args, out), "gallery": gallery, "notebook": notebook, "orbit": _orbit(b, args, out)}


def _verdict(key: str, value: float) -> str:
    op, bound = TARGETS[key]
    ok = value >= bound if op == ">=" else value <= bound
    return "pass" if ok else "MISS"


def _target(key: str, unit: str = "") -> str:
    op, bound = TARGETS[key]
    return f"{'≥' if op == '>=' else '≤'} {bound:g}{unit}"


def rows(b, w: dict) -> list[tuple[str, str, str, str]]:
    """(measure, value, target, result) rows for the summary table."""
    out = []
    v = w["video"]
    out.append((f"video {VIDEO_SIZE}, 120 frames: GIF / MP4 / WebM (median)",
                " / ".join(b.fmt_s(v[k]["wall"]) for k in VIDEO_KINDS), "", ""))
    out.append(("video: MP4 time / GIF time", f"{v['mp4_time_ratio']:.2f}", _target("mp4_time_ratio"),
                _verdict("mp4_time_ratio", v["mp4_time_ratio"])))
    for kind in ("mp4", "webm"):
        out.append((f"video {kind.upper()}: peak RSS, largest process (ffmpeg included)", b.fmt_mb(v[kind]["peak_rss"]),
                    _target("video_rss_mb", " MB"), _verdict("video_rss_mb", v[kind]["peak_rss"] / b.MB)))
        out.append((f"video {kind.upper()}: peak RSS 1,200 / 120 frames", f"{v[kind]['memory_ratio']:.2f}",
                    _target("video_memory_ratio"), _verdict("video_memory_ratio", v[kind]["memory_ratio"])))
    o = w["orbit"]
    out.append(("orbit: surface --orbit 90 / fixed camera (median)", f"{o['ratio']:.2f} ({b.fmt_s(o['orbit'])} / "
                f"{b.fmt_s(o['fixed'])})", _target("orbit_ratio"), _verdict("orbit_ratio", o["ratio"])))
    for stem, g in w["gallery"].items():
        ratio = g["html"]["bytes"] / g["gif"]["bytes"]
        out.append((f"gallery {stem}: HTML / GIF bytes (WebP / GIF {g['webp']['bytes'] / g['gif']['bytes']:.2f})",
                    f"{ratio:.2f}", _target("html_ratio"), _verdict("html_ratio", ratio)))
    for stem, n in w["notebook"].items():
        chars, secs = n["player_chars"] / n["gif_bytes"], n["player_s"] / n["gif_s"]
        out.append((f"notebook {stem}: player characters / GIF bytes", f"{chars:.2f}", _target("repr_bytes_ratio"),
                    _verdict("repr_bytes_ratio", chars)))
        out.append((f"notebook {stem}: player time / GIF display time", f"{secs:.2f}", _target("repr_time_ratio"),
                    _verdict("repr_time_ratio", secs)))
    return out


def markdown(b, w: dict) -> list[str]:
    """The section's part of docs/benchmarks.md."""
    v = w["video"]
    md = ["## Web formats and video\n",
          f"Video: `gdanim render params` (the article's run and 120 frames, `--style article`, `--size {VIDEO_SIZE}`, "
          "`--out OUT.gif|OUT.mp4|OUT.webm`), whole processes, alternating, medians; peak RSS is that of the largest "
          "single process (the parent, a render worker or ffmpeg).\n",
          "| output | seconds (runs) | peak RSS | peak RSS at 1,200 frames | bytes |", "| --- | --- | --- | --- | --- |"]
    for kind in VIDEO_KINDS:
        e = v[kind]
        long = b.fmt_mb(e["long_peak_rss"]) if "long_peak_rss" in e else ""
        md.append(f"| {kind.upper()} | {b.fmt_s(e['wall'])} ({', '.join(f'{x:.2f}' for x in e['walls'])}) | "
                  f"{b.fmt_mb(e['peak_rss'])} | {long} | {e['bytes']:,} |")
    md.append(f"\nMP4 / GIF time {v['mp4_time_ratio']:.2f}, WebM / GIF time {v['webm_time_ratio']:.2f}.\n")
    o = w["orbit"]
    md.append(f"Moving camera: `gdanim render surface` (article's run and frames, 1000x1000, GIF) with `--orbit 90` "
              f"took {b.fmt_s(o['orbit'])} against {b.fmt_s(o['fixed'])} with the fixed camera, {o['ratio']:.2f}x "
              f"(runs: {', '.join(f'{x:.2f}' for x in o['walls']['orbit'])} / "
              f"{', '.join(f'{x:.2f}' for x in o['walls']['fixed'])} s).\n")
    md += ["Gallery (`gdanim demo`'s animations at full size), one whole-process render each:\n",
           "| animation | GIF bytes | WebP bytes | HTML bytes | HTML / GIF | GIF s | WebP s | HTML s |",
           "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    for stem, g in w["gallery"].items():
        md.append(f"| {stem} | {g['gif']['bytes']:,} | {g['webp']['bytes']:,} | {g['html']['bytes']:,} | "
                  f"{g['html']['bytes'] / g['gif']['bytes']:.2f} | {g['gif']['wall']:.2f} | {g['webp']['wall']:.2f} | "
                  f"{g['html']['wall']:.2f} |")
    md += ["\nNotebook display, in one process after import (medians): the player (`_repr_html_`) against the "
           "GIF display it replaced (a GIF saved and embedded in base64):\n",
           "| animation | player chars | GIF display chars | GIF bytes | player s | GIF display s |",
           "| --- | --- | --- | --- | --- | --- |"]
    for stem, n in w["notebook"].items():
        md.append(f"| {stem} | {n['player_chars']:,} | {n['gif_chars']:,} | {n['gif_bytes']:,} | "
                  f"{n['player_s']:.2f} | {n['gif_s']:.2f} |")
    return md + [""]
