"""gdanim benchmarks, measured in one run: ``scripts/bench`` (see ``--help``).

Sections (``--only`` picks some):

trainer  12,000 epochs of gd on synthetic n = 1,000,000: ``gdanim.train`` against a
         plain per-epoch numpy loop (the seed article's way), same data, same run.
render   params / residuals / surface at 1000x1000, the article's 120 frames, GIF:
         ``gdanim render`` against the reference pipelines in ../shared/bench
         (seed_style.py: celluloid; peer_funcanimation.py: FuncAnimation), whole
         process, alternating, medians.
memory   peak RSS of ``gdanim render params`` at 1,200 frames against 120 frames.
quality  PSNR of the decoded GIF frames against the rendered RGB frames.
scale    loading a 1,000,000-row CSV; a render with n = 1,000,000 against n = 6;
         1,000,000 SGD steps of batch 1 over 1,000,000 rows (time, memory, History size).
web      GIF / MP4 / WebM at 1920x1080 (time, memory at 120 and 1,200 frames); the
         gallery as GIF, WebP and HTML (bytes); the notebook display (see bench_web.py).

Whole-process figures: wall time from spawn to reap; peak RSS is ``ru_maxrss`` of
``wait4`` on the process, which Linux reports as the largest peak of any single
process in its tree (the process or a reaped descendant, e.g. a forked render
worker). A small launcher process spawns and reaps each command, because a child's
``ru_maxrss`` starts from the peak of the process that forked it. The process tree's summed RSS and PSS are also sampled every 0.25 s (PSS
shares copy-on-write pages of forked workers fairly; RSS counts them once per process).

A full run writes docs/benchmarks.md; ``--quick`` or ``--only`` runs write it only
when given ``--doc PATH``.
"""
from __future__ import annotations

import argparse
import datetime
import json
import math
import os
import platform
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from importlib import metadata
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
SECTIONS = ("trainer", "render", "memory", "quality", "scale", "web")
VIEWS = ("params", "residuals", "surface")
TOOLS = ("gdanim", "seed", "peer")
MB = 1e6  # figures are in MB = 10^6 bytes

# -- the workloads ---------------------------------------------------------------------
TRAIN_N, TRAIN_EPOCHS, TRAIN_LR = 1_000_000, 12_000, 0.1
QUICK_PLAIN_EPOCHS = 1_200
ARTICLE_FRAMES = "0:50,50:100:5,100:12000:200"  # 120 frames
LONG_FRAMES = "0:12000:10"  # 1,200 frames
ARTICLE_TRAINING = ["--data", "six-points", "--lr", "0.001", "--init", "w=3,b=-1", "--epochs", "12000"]
BIG_OUTPUT = ["--size", "1000x1000", "--dpi", "100", "--style", "article"]
SCALE_N = 1_000_000
SCALE_SPEC = "synthetic:n={n},w=2,b=3,noise=0.5,seed=0"
SCALE_RENDER = ["--lr", "0.1", "--epochs", "200", "--frames", "log:60", "--size", "480x270"]
SGD_STEPS, SGD_LR = 1_000_000, 0.01

# -- targets: (label, comparison, bound) -------------------------------------------------
TARGETS = {
    "trainer_ratio": (">=", 100.0),
    "trainer_rel": ("<=", 1e-9),
    "speedup_seed": (">=", 20.0),
    "speedup_peer": (">=", 12.0),
    "rss_mb": ("<=", 200.0),
    "gif_ratio": ("<=", 0.5),
    "memory_ratio": ("<=", 1.2),
    "psnr": (">=", 30.0),
    "scale_ratio": ("<=", 1.3),
}


def verdict(key: str, value: float) -> str:
    op, bound = TARGETS[key]
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    ok = value >= bound if op == ">=" else value <= bound
    return "pass" if ok else "MISS"


def target_text(key: str, unit: str = "") -> str:
    op, bound = TARGETS[key]
    sym = "≥" if op == ">=" else "≤"
    return f"{sym} {bound:g}{unit}"


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


# ==================================================================== process measurement


def _process_tree(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    try:
        entries = os.listdir("/proc")
    except OSError:
        return [root]
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry))
    tree, stack = [root], [root]
    while stack:
        for child in children.get(stack.pop(), ()):
            tree.append(child)
            stack.append(child)
    return tree


_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def _tree_memory(root: int) -> tuple[int, int]:
    """(summed RSS, summed PSS) in bytes of the processes below ``root`` (the launcher)."""
    rss = pss = 0
    for pid in _process_tree(root)[1:]:
        try:
            with open(f"/proc/{pid}/statm") as f:
                rss += int(f.read().split()[1]) * _PAGE
            with open(f"/proc/{pid}/smaps_rollup") as f:
                for line in f:
                    if line.startswith("Pss:"):
                        pss += int(line.split()[1]) * 1024
                        break
        except (OSError, ValueError, IndexError):
            continue
    return rss, pss


class _Sampler(threading.Thread):
    def __init__(self, pid: int, interval: float = 0.25):
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.stop = threading.Event()
        self.rss = self.pss = 0

    def run(self):
        if not os.path.isdir("/proc"):
            return
        while not self.stop.wait(self.interval):
            rss, pss = _tree_memory(self.pid)
            self.rss, self.pss = max(self.rss, rss), max(self.pss, pss)


# Runs the measured command and reports its wall time and ru_maxrss. A launcher is
# needed: on Linux a child's ru_maxrss starts from the high-water RSS of the process
# it was forked (or vforked) from, here the bench process with its large arrays; the
# launcher is a fresh, small Python, so its child's figure is the child's own.
_LAUNCHER = r"""
import json, os, subprocess, sys, time
report, cmd = sys.argv[1], sys.argv[2:]
start = time.perf_counter()
proc = subprocess.Popen(cmd)
_, status, usage = os.wait4(proc.pid, 0)
wall = time.perf_counter() - start
with open(report, "w") as f:
    json.dump({"wall": wall, "maxrss_kb": usage.ru_maxrss, "rc": os.waitstatus_to_exitcode(status)}, f)
"""


# -- CPU used by other processes (the machine is shared) ---------------------------------
_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _busy_seconds() -> float | None:
    """CPU seconds the whole machine has spent busy since boot (all cores), from /proc/stat."""
    try:
        with open("/proc/stat") as f:
            fields = [int(v) for v in f.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    user, nice, system, idle, iowait, irq, softirq, steal = (fields + [0] * 8)[:8]
    return (user + nice + system + irq + softirq + steal) / _TICK


def _own_seconds() -> float:
    """CPU seconds used by this process and its reaped descendants."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


class OtherLoad:
    """Average number of cores kept busy by processes other than ours, over a stretch of time."""

    def __init__(self):
        self.t, self.busy, self.own = time.perf_counter(), _busy_seconds(), _own_seconds()

    def cores(self) -> float:
        busy = _busy_seconds()
        if busy is None or self.busy is None:
            return math.nan
        elapsed = time.perf_counter() - self.t
        other = (busy - self.busy) - (_own_seconds() - self.own)
        return max(0.0, other / elapsed) if elapsed > 0 else math.nan


QUIET_CORES = 0.25  # a measurement starts once other processes use less than this (or after QUIET_WAIT)
QUIET_WAIT = 30.0
QUIET_BUDGET_TOTAL = 600.0
QUIET_BUDGET = [QUIET_BUDGET_TOTAL]  # seconds of such waiting left for the whole run


def wait_for_quiet() -> float:
    """Wait (at most QUIET_WAIT s) until other processes use < QUIET_CORES cores; returns the seconds waited."""
    start = time.perf_counter()
    limit = min(QUIET_WAIT, QUIET_BUDGET[0])
    while True:
        probe = OtherLoad()
        time.sleep(0.5)
        load = probe.cores()
        waited = time.perf_counter() - start
        if math.isnan(load) or load < QUIET_CORES or waited >= limit:
            QUIET_BUDGET[0] = max(0.0, QUIET_BUDGET[0] - waited)
            if waited > 5:
                log(f"waited {waited:.0f} s for other processes to quieten (now {load:.2f} cores busy)")
            return waited


def run_process(cmd: list[str], *, timeout: float, cwd=None, env=None) -> dict:
    """Run ``cmd`` to completion: wall seconds, peak RSS (largest single process), sampled tree RSS/PSS.

    After ``timeout`` seconds the command's process group (the launcher's session) is
    killed and the result has ``timed_out`` set.
    """
    timed_out = False
    wait_for_quiet()
    other = OtherLoad()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            tempfile.NamedTemporaryFile(suffix=".json") as report:
        proc = subprocess.Popen([sys.executable, "-c", _LAUNCHER, report.name, *cmd], cwd=cwd, env=env,
                                stdout=out, stderr=err, stdin=subprocess.DEVNULL, start_new_session=True)
        sampler = _Sampler(proc.pid)
        sampler.start()
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            timed_out = True
            try:
                os.killpg(proc.pid, signal.SIGKILL)  # the session this launcher leads: only what we started
            except ProcessLookupError:
                pass
            proc.wait()
        other_cores = other.cores()
        sampler.stop.set()
        sampler.join()
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(errors="replace"), err.read().decode(errors="replace")
        try:
            measured = json.loads(Path(report.name).read_text())
        except (OSError, ValueError):
            measured = {"wall": math.nan, "maxrss_kb": 0, "rc": proc.returncode or -1}
        if timed_out:
            measured["rc"] = "timeout"
    return {
        "wall": measured["wall"],
        "peak_rss": measured["maxrss_kb"] * 1024,  # kB on Linux
        "tree_rss": sampler.rss,
        "tree_pss": sampler.pss,
        "other_cores": other_cores,
        "rc": measured["rc"],
        "stdout": stdout,
        "stderr": stderr,
    }


INCIDENTS: list[str] = []  # failed or hung attempts, for the report


def run_checked(cmd: list[str], what: str, retries: int = 2, timeout: float = 180, **kw) -> dict:
    """run_process, retried when it fails or hangs (the package may be mid-edit by others)."""
    for attempt in range(retries + 1):
        result = run_process(cmd, timeout=timeout, **kw)
        if result["rc"] == 0:
            result["attempts"] = attempt + 1
            return result
        if result["rc"] == "timeout":
            problem = f"hung: killed after {timeout:g} s"
        else:
            problem = f"exit {result['rc']}: " + (result["stderr"].strip().splitlines() or ["(no stderr)"])[-1][:300]
        INCIDENTS.append(f"{what}, attempt {attempt + 1}: {problem}")
        log(f"{what} failed, attempt {attempt + 1}: {problem}")
        time.sleep(2)
    raise RuntimeError(f"{what} failed {retries + 1} times; last stderr:\n{result['stderr'][-2000:]}")


def gdanim_cmd() -> list[str]:
    script = Path(sys.executable).parent / "gdanim"
    return [str(script)] if script.exists() else [sys.executable, "-m", "gdanim.cli"]


def reference_dir() -> Path:
    for candidate in (ROOT.parent / "shared" / "bench", Path("/work/shared/bench")):
        if (candidate / "seed_style.py").exists() and (candidate / "peer_funcanimation.py").exists():
            return candidate
    raise SystemExit("bench: cannot find the reference pipelines in ../shared/bench or /work/shared/bench")


def median(values):
    return statistics.median(values) if values else float("nan")


def gif_frame_count(path) -> int:
    from PIL import Image

    with Image.open(path) as im:
        return getattr(im, "n_frames", 1)


# ==================================================================== sections


def bench_trainer(args, ctx) -> dict:
    import gdanim
    from gdanim.data import synthetic

    log(f"trainer: synthetic n={TRAIN_N:,}, gd, lr {TRAIN_LR}, {TRAIN_EPOCHS:,} epochs")
    data = synthetic(n=TRAIN_N, w=2.0, b=3.0, noise=0.5, seed=0)
    gd_times, history = [], None
    wait_for_quiet()
    for _ in range(1 if args.quick else args.runs):
        start = time.perf_counter()
        history = gdanim.train(data, optimizer="gd", lr=TRAIN_LR, epochs=TRAIN_EPOCHS)
        gd_times.append(time.perf_counter() - start)
    gd_time = median(gd_times)
    log(f"trainer: gdanim.train {gd_time:.3f} s (median of {len(gd_times)})")

    # The plain loop, as the seed notebook writes it: every epoch touches all n rows.
    plain_epochs = QUICK_PLAIN_EPOCHS if args.quick else TRAIN_EPOCHS
    x, y = data.X[:, 0], data.y
    w, b, lr = 0.0, 0.0, TRAIN_LR
    W, B, C = [], [], []
    log(f"trainer: plain numpy loop, {plain_epochs:,} epochs ...")
    wait_for_quiet()
    other = OtherLoad()
    start = time.perf_counter()
    for _ in range(plain_epochs):
        e = y - (w * x + b)
        W.append(w); B.append(b); C.append(np.mean(e ** 2))
        dw = np.mean(e * (-2 * x)); db = np.mean(e * -2)
        w -= lr * dw; b -= lr * db
    plain_measured = time.perf_counter() - start
    plain_other = other.cores()
    plain_time = plain_measured * TRAIN_EPOCHS / plain_epochs
    plain_final = np.array([w, b])
    gd_at = history.params[plain_epochs]
    rel = float(np.max(np.abs(gd_at - plain_final)) / np.max(np.abs(plain_final)))
    ratio = plain_time / gd_time
    log(f"trainer: plain {plain_time:.1f} s{' (extrapolated)' if plain_epochs != TRAIN_EPOCHS else ''}, "
        f"ratio {ratio:.0f}x, rel diff {rel:.2e}")
    return {
        "gd_times": gd_times,
        "gd_time": gd_time,
        "plain_epochs": plain_epochs,
        "plain_measured": plain_measured,
        "plain_other_cores": plain_other,
        "plain_time": plain_time,
        "extrapolated": plain_epochs != TRAIN_EPOCHS,
        "ratio": ratio,
        "rel": rel,
        "gd_params": gd_at.tolist(),
        "plain_params": plain_final.tolist(),
        "final_J": float(history.J[plain_epochs]),
        "J_plain": float(np.mean((y - (w * x + b)) ** 2)),
    }


def render_commands(view: str, out: Path, ref: Path) -> dict:
    return {
        "gdanim": gdanim_cmd() + ["render", view, *ARTICLE_TRAINING, "--frames", ARTICLE_FRAMES, *BIG_OUTPUT,
                                  "--out", str(out / f"gdanim-{view}.gif"), "--quiet"],
        "seed": [sys.executable, str(ref / "seed_style.py"), view, str(out / f"seed-{view}.gif")],
        "peer": [sys.executable, str(ref / "peer_funcanimation.py"), view, str(out / f"peer-{view}.gif")],
    }


def bench_render(args, ctx) -> dict:
    ref, out = ctx["ref"], ctx["tmp"]
    runs = 1 if args.quick else args.runs
    raw = {view: {tool: [] for tool in TOOLS} for view in VIEWS}
    for r in range(runs):
        for view in VIEWS:
            cmds = render_commands(view, out, ref)
            for tool in TOOLS:
                res = run_checked(cmds[tool], f"{tool} {view}", timeout=60 if tool == "gdanim" else 900)
                res["bytes"] = (out / f"{tool}-{view}.gif").stat().st_size
                res["frames"] = gif_frame_count(out / f"{tool}-{view}.gif")
                raw[view][tool].append({k: v for k, v in res.items() if k not in ("stdout", "stderr")})
                log(f"render run {r + 1}/{runs} {view:9s} {tool:6s} {res['wall']:7.2f} s  "
                    f"peak {res['peak_rss'] / MB:6.0f} MB  {res['bytes'] / MB:6.2f} MB out  {res['frames']} frames  "
                    f"other load {res['other_cores']:.2f} cores")
    summary = {}
    for view in VIEWS:
        s = {}
        for tool in TOOLS:
            rs = raw[view][tool]
            s[tool] = {
                "wall": median([x["wall"] for x in rs]),
                "walls": [x["wall"] for x in rs],
                "peak_rss": max(x["peak_rss"] for x in rs),
                "tree_rss": max(x["tree_rss"] for x in rs),
                "tree_pss": max(x["tree_pss"] for x in rs),
                "bytes": rs[-1]["bytes"],
                "bytes_vary": len({x["bytes"] for x in rs}) > 1,
                "frames": rs[-1]["frames"],
                "attempts": sum(x["attempts"] for x in rs),
                "other_cores": [x["other_cores"] for x in rs],
            }
        g = s["gdanim"]
        s["speedup_seed"] = s["seed"]["wall"] / g["wall"]
        s["speedup_peer"] = s["peer"]["wall"] / g["wall"]
        s["gif_ratio"] = g["bytes"] / s["seed"]["bytes"]
        summary[view] = s
    return {"runs": runs, "views": summary}


def bench_memory(args, ctx) -> dict:
    out = ctx["tmp"]
    res = {}
    for label, frames in (("120", ARTICLE_FRAMES), ("1200", LONG_FRAMES)):
        cmd = gdanim_cmd() + ["render", "params", *ARTICLE_TRAINING, "--frames", frames, *BIG_OUTPUT,
                              "--out", str(out / f"memory-{label}.gif"), "--quiet"]
        r = run_checked(cmd, f"memory {label} frames", timeout=120)
        r["frames"] = gif_frame_count(out / f"memory-{label}.gif")
        r["bytes"] = (out / f"memory-{label}.gif").stat().st_size
        res[label] = {k: v for k, v in r.items() if k not in ("stdout", "stderr")}
        log(f"memory: {r['frames']} frames {r['wall']:.1f} s, peak {r['peak_rss'] / MB:.0f} MB, "
            f"tree PSS {r['tree_pss'] / MB:.0f} MB, other load {r['other_cores']:.2f} cores")
    res["ratio"] = res["1200"]["peak_rss"] / res["120"]["peak_rss"]
    res["pss_ratio"] = res["1200"]["tree_pss"] / res["120"]["tree_pss"] if res["120"]["tree_pss"] else float("nan")
    res["command"] = " ".join(["gdanim", "render", "params", *ARTICLE_TRAINING, "--frames", LONG_FRAMES, *BIG_OUTPUT,
                               "--out", "OUT.gif", "--quiet"])
    return res


def psnr(a: np.ndarray, b: np.ndarray) -> float:
    mse = float(np.mean((a.astype(np.float32) - b.astype(np.float32)) ** 2))
    return math.inf if mse == 0 else 10 * math.log10(255.0 ** 2 / mse)


def bench_quality(args, ctx) -> dict:
    import hashlib

    import gdanim
    from gdanim.animation import animate
    from PIL import Image, ImageSequence

    history = gdanim.train("six-points", lr=0.001, init="w=3,b=-1", epochs=12000)
    res = {}
    for view in VIEWS:
        anim = animate(history, view, ARTICLE_FRAMES, size=(1000, 1000), style="article", workers=1)
        path = ctx["tmp"] / f"quality-{view}.gif"
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
        cli_gif = ctx["tmp"] / f"gdanim-{view}.gif"
        if cli_gif.exists():  # the CLI render (default workers) should be byte-identical
            digest = lambda p: hashlib.sha256(p.read_bytes()).hexdigest()
            entry["same_as_cli"] = digest(cli_gif) == digest(path)
        res[view] = entry
        log(f"quality: {view} mean PSNR {entry['mean']:.2f} dB, min {entry['min']:.2f} dB over {entry['frames']} frames")
    return res


def bench_scale(args, ctx) -> dict:
    import gdanim
    from gdanim.data import synthetic

    out = ctx["tmp"]
    res = {}

    # (a) loading a 1,000,000-row CSV
    data = synthetic(n=SCALE_N, w=2.0, b=3.0, noise=0.5, seed=0)
    csv_path = out / "million.csv"
    np.savetxt(csv_path, np.column_stack([data.X[:, 0], data.y]), fmt="%.17g", delimiter=",", header="x,y", comments="")
    times = []
    for _ in range(1 if args.quick else args.runs):
        start = time.perf_counter()
        loaded = gdanim.data.load(str(csv_path))
        times.append(time.perf_counter() - start)
    exact = bool(np.array_equal(loaded.X, data.X) and np.array_equal(loaded.y, data.y))
    res["csv"] = {"seconds": median(times), "times": times, "bytes": csv_path.stat().st_size, "exact": exact,
                  "rows": loaded.n}
    log(f"scale: CSV load {res['csv']['seconds']:.2f} s ({res['csv']['bytes'] / MB:.1f} MB file, exact={exact})")
    del loaded

    # (b) the same render with n = 1,000,000 and n = 6, whole process, alternating
    runs = 1 if args.quick else args.runs
    walls = {"big": [], "small": []}
    peaks = {"big": [], "small": []}
    others = {"big": [], "small": []}
    for _ in range(runs):
        for label, n in (("big", SCALE_N), ("small", 6)):
            cmd = gdanim_cmd() + ["render", "params", "--data", SCALE_SPEC.format(n=n), *SCALE_RENDER,
                                  "--out", str(out / f"scale-{label}.gif"), "--quiet"]
            r = run_checked(cmd, f"scale render n={n}", timeout=60)
            walls[label].append(r["wall"])
            peaks[label].append(r["peak_rss"])
            others[label].append(r["other_cores"])
            log(f"scale: render n={n:,} {r['wall']:.2f} s, peak {r['peak_rss'] / MB:.0f} MB, "
                f"other load {r['other_cores']:.2f} cores")
    res["render"] = {
        "big": median(walls["big"]), "small": median(walls["small"]), "walls": walls,
        "peak_big": max(peaks["big"]), "peak_small": max(peaks["small"]), "others": others,
        "ratio": median(walls["big"]) / median(walls["small"]),
        "command": " ".join(["gdanim", "render", "params", "--data", SCALE_SPEC.format(n="N"), *SCALE_RENDER,
                             "--out", "OUT.gif", "--quiet"]),
    }

    # (c) SGD, batch 1, 1,000,000 steps over 1,000,000 rows, in a fresh process
    cmd = [sys.executable, str(Path(__file__).resolve()), "--sgd-child", str(SGD_STEPS)]
    r = run_checked(cmd, "sgd child", timeout=600)
    child = json.loads(r["stdout"].strip().splitlines()[-1])
    child["process_peak_rss"] = r["peak_rss"]  # includes making the data
    res["sgd"] = child
    log(f"scale: SGD {SGD_STEPS:,} steps {child['seconds']:.1f} s, RSS +{child['rss_delta'] / MB:.0f} MB, "
        f"History {child['history_bytes'] / MB:.1f} MB")
    return res


def bench_web(args, ctx) -> dict:
    import bench_web as web

    return web.bench(sys.modules[__name__], args, ctx)


def sgd_child(steps: int) -> None:
    """Runs in its own process: time, peak-RSS growth and History size of a long SGD run."""
    import gdanim
    from gdanim.data import synthetic

    def status(key):
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1]) * 1024
        return None

    data = synthetic(n=SCALE_N, w=2.0, b=3.0, noise=0.5, seed=0)
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


# ==================================================================== report


def machine_info() -> dict:
    def version(pkg):
        try:
            return metadata.version(pkg)
        except metadata.PackageNotFoundError:
            return "?"

    cpu = "?"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem = None
    try:
        with open("/proc/meminfo") as f:
            mem = int(f.readline().split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    head = None
    try:  # read, not run: the commit checked out (the working tree may hold uncommitted edits)
        ref = (ROOT / ".git" / "HEAD").read_text().strip()
        if ref.startswith("ref: "):
            ref_path = ROOT / ".git" / ref[5:]
            if ref_path.exists():
                head = ref_path.read_text().strip()[:12]
        else:
            head = ref[:12]
    except OSError:
        pass
    affinity = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
    return {
        "cpu": cpu,
        "cpu_count": os.cpu_count(),
        "cpus_usable": affinity,
        "memory": mem,
        "platform": platform.platform(),
        "python": platform.python_version(),
        "numpy": version("numpy"),
        "matplotlib": version("matplotlib"),
        "pillow": version("pillow"),
        "celluloid": version("celluloid"),
        "gdanim": version("gdanim"),
        "head": head,
    }


def fmt_s(v: float) -> str:
    return f"{v:.3f} s" if v < 1 else f"{v:.2f} s" if v < 10 else f"{v:.1f} s"


def fmt_mb(v: float) -> str:
    return f"{v / MB:.0f} MB"


def summary_rows(results: dict) -> list[tuple[str, str, str, str]]:
    """(measure, value, target, pass/miss) for every target, plus informational rows."""
    rows = []
    t = results.get("trainer")
    if t:
        label = "plain loop (extrapolated)" if t["extrapolated"] else "plain loop"
        rows.append(("trainer: gdanim.train, 12,000 epochs, n = 1e6", fmt_s(t["gd_time"]), "", ""))
        rows.append((f"trainer: {label}", fmt_s(t["plain_time"]), "", ""))
        rows.append(("trainer: speedup", f"{t['ratio']:.0f}x", target_text("trainer_ratio", "x"),
                     verdict("trainer_ratio", t["ratio"])))
        rows.append(("trainer: final params, max relative difference", f"{t['rel']:.1e}",
                     target_text("trainer_rel"), verdict("trainer_rel", t["rel"])))
    r = results.get("render")
    if r:
        for view, s in r["views"].items():
            g = s["gdanim"]
            rows.append((f"render {view}: gdanim / seed / peer (median)",
                         f"{fmt_s(g['wall'])} / {fmt_s(s['seed']['wall'])} / {fmt_s(s['peer']['wall'])}", "", ""))
            rows.append((f"render {view}: speedup vs seed", f"{s['speedup_seed']:.1f}x",
                         target_text("speedup_seed", "x"), verdict("speedup_seed", s["speedup_seed"])))
            rows.append((f"render {view}: speedup vs peer", f"{s['speedup_peer']:.1f}x",
                         target_text("speedup_peer", "x"), verdict("speedup_peer", s["speedup_peer"])))
            rows.append((f"render {view}: gdanim peak RSS (largest process)", fmt_mb(g["peak_rss"]),
                         target_text("rss_mb", " MB"), verdict("rss_mb", g["peak_rss"] / MB)))
            rows.append((f"render {view}: GIF bytes gdanim / seed", f"{s['gif_ratio']:.2f}",
                         target_text("gif_ratio"), verdict("gif_ratio", s["gif_ratio"])))
    m = results.get("memory")
    if m:
        rows.append(("memory: peak RSS 1,200 / 120 frames (params)",
                     f"{m['ratio']:.2f} ({fmt_mb(m['1200']['peak_rss'])} / {fmt_mb(m['120']['peak_rss'])})",
                     target_text("memory_ratio"), verdict("memory_ratio", m["ratio"])))
    q = results.get("quality")
    if q:
        for view, e in q.items():
            rows.append((f"quality {view}: mean PSNR (min)", f"{e['mean']:.1f} dB ({e['min']:.1f} dB)",
                         target_text("psnr", " dB"), verdict("psnr", e["mean"])))
    sc = results.get("scale")
    if sc:
        rows.append(("scale: load 1,000,000-row CSV", fmt_s(sc["csv"]["seconds"]), "", ""))
        rr = sc["render"]
        rows.append(("scale: render n = 1e6 / n = 6 (wall)",
                     f"{rr['ratio']:.2f} ({fmt_s(rr['big'])} / {fmt_s(rr['small'])})",
                     target_text("scale_ratio"), verdict("scale_ratio", rr["ratio"])))
        sg = sc["sgd"]
        rows.append(("scale: SGD batch 1, 1e6 steps: time", fmt_s(sg["seconds"]), "", ""))
        rows.append(("scale: SGD: peak RSS growth / History arrays",
                     f"{fmt_mb(sg['rss_delta'])} / {sg['history_bytes'] / MB:.1f} MB", "O(steps x params)", ""))
    if results.get("web"):
        import bench_web as web

        rows += web.rows(sys.modules[__name__], results["web"])
    return rows


def print_table(rows) -> None:
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    header = ("measure", "value", "target", "result")
    widths = [max(w, len(h)) for w, h in zip(widths, header)]
    line = "  ".join(h.ljust(w) for h, w in zip(header, widths))
    print(line)
    print("-" * len(line))
    for row in rows:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths)))


def shown_render_commands(ref_display: str) -> list[str]:
    """The section 2 commands as a reader types them."""
    return [
        " ".join(["gdanim", "render", "VIEW", *ARTICLE_TRAINING, "--frames", ARTICLE_FRAMES, *BIG_OUTPUT,
                  "--out", "OUT.gif", "--quiet"]),
        f"python {ref_display}/seed_style.py VIEW OUT.gif",
        f"python {ref_display}/peer_funcanimation.py VIEW OUT.gif",
    ]


def markdown(results: dict, args, info: dict, started: str, elapsed: float) -> str:
    md = []
    add = md.append
    ref = results.get("ref_display", "../shared/bench")
    partial = args.quick or args.only
    add("# Benchmarks\n")
    add("Generated by `scripts/bench` (source: `scripts/bench.py`); do not edit by hand, rerun it.\n")
    if partial:
        add(f"**Partial or smoke run** ({'--quick' if args.quick else ''} {' '.join('--only ' + s for s in args.only or [])}"
            "): figures are indicative only.\n")
    if results.get("other_cores") is not None:
        add(f"Other processes kept {results['other_cores']:.2f} of the {info['cpus_usable']} cores busy on average "
            "during the run (the machine is shared); see *other load* below.\n")
    add(f"Run {started}, {elapsed / 60:.1f} min in all, {'1 run' if args.quick else f'{args.runs} runs'} per "
        "whole-process figure (medians of wall time).\n")
    add("## Machine\n")
    add("| | |\n| --- | --- |")
    add(f"| CPU | {info['cpu']} |")
    add(f"| CPU count | {info['cpu_count']} ({info['cpus_usable']} usable) |")
    if info["memory"]:
        add(f"| memory | {info['memory'] / 2**30:.1f} GiB |")
    add(f"| OS | {info['platform']} |")
    add(f"| Python | {info['python']} |")
    add(f"| numpy / matplotlib / Pillow / celluloid | {info['numpy']} / {info['matplotlib']} / {info['pillow']} / "
        f"{info['celluloid']} |")
    add(f"| gdanim | {info['gdanim']}" + (f" (checkout {info['head']}, working tree as it was)" if info["head"] else "")
        + " |")
    add("")
    add("## Summary\n")
    add("| measure | value | target | result |\n| --- | --- | --- | --- |")
    for row in summary_rows(results):
        add("| " + " | ".join(row) + " |")
    add("")
    add("Sizes are in MB = 10^6 bytes. *Peak RSS* of a whole process is `ru_maxrss` from `wait4`: the largest peak "
        "of any **single** process in its tree (gdanim forks render workers; seed and peer are one process). Each "
        "command is spawned and reaped by a small launcher process (on Linux a child's `ru_maxrss` starts from the "
        "peak of whatever forked it, so it must not be the bench process). The sampled sums over the tree are in "
        "the tables below.\n")
    add("Rerun everything with:\n\n```\nscripts/bench            # full run, writes docs/benchmarks.md (~15 min on 2 cores)"
        "\nscripts/bench --quick    # smoke test: 1 run each, extrapolated plain loop\n"
        "scripts/bench --only render --only quality --runs 5 --doc /tmp/b.md\n```\n")

    t = results.get("trainer")
    if t:
        add("## 1. Trainer fast path\n")
        add(f"`gd` (full batch, MSE, lr {TRAIN_LR}, init zeros) for {TRAIN_EPOCHS:,} epochs on "
            f"`gdanim.data.synthetic(n=1_000_000, w=2.0, b=3.0, noise=0.5, seed=0)`, in the bench process, same data:\n")
        add("- gdanim: `gdanim.train(data, optimizer=\"gd\", lr=0.1, epochs=12000)` (full-batch gradients and J from "
            "the sufficient statistics, O(k²) per step; includes computing them once in O(n)).")
        add("- plain loop: per epoch `e = y - (w*x + b)`, J = `mean(e**2)`, `dw = mean(e*(-2x))`, `db = mean(-2e)`, "
            "update; w, b, J appended to lists (as in the seed notebook).\n")
        add("| | seconds | |\n| --- | --- | --- |")
        add(f"| `gdanim.train` | {t['gd_time']:.3f} | median of {len(t['gd_times'])}: "
            f"{', '.join(f'{v:.3f}' for v in t['gd_times'])} |")
        if t["extrapolated"]:
            add(f"| plain numpy loop | {t['plain_time']:.1f} | **extrapolated** from {t['plain_epochs']:,} epochs "
                f"in {t['plain_measured']:.2f} s |")
        else:
            add(f"| plain numpy loop | {t['plain_time']:.1f} | all {TRAIN_EPOCHS:,} epochs, one run (other load "
                f"{t.get('plain_other_cores', math.nan):.2f} cores) |")
        add(f"| **speedup** | **{t['ratio']:.0f}x** | target {target_text('trainer_ratio', 'x')}: "
            f"{verdict('trainer_ratio', t['ratio'])} |")
        add("")
        add(f"Parameters after {t['plain_epochs']:,} epochs: gdanim (w, b) = ({t['gd_params'][0]!r}, "
            f"{t['gd_params'][1]!r}), plain loop ({t['plain_params'][0]!r}, {t['plain_params'][1]!r}); "
            f"max relative difference **{t['rel']:.1e}** (target {target_text('trainer_rel')}: "
            f"{verdict('trainer_rel', t['rel'])}). J: {t['final_J']!r} vs {t['J_plain']!r}.\n")

    r = results.get("render")
    if r:
        add("## 2. Renderer against the reference pipelines\n")
        add(f"Each view at 1000x1000 px (10x10 in at 100 dpi), the article's 120 frames, GIF; whole process, "
            f"run in turn gdanim, seed, peer for each view, {r['runs']} round{'s' * (r['runs'] != 1)}; "
            f"{'medians; ' if r['runs'] > 1 else ''}commands "
            f"(VIEW = params, residuals, surface; references from `{ref}`, run with the project's venv Python):\n")
        add("```")
        for line in shown_render_commands(ref):
            add(line)
        add("```\n")
        add("gdanim runs with its defaults: stream engine, one render worker per CPU "
            f"({info['cpus_usable']} here), forked after the static part is drawn; it also hashes every frame and "
            "writes the `OUT.frames.json` manifest beside the GIF.\n")
        add("| view | tool | wall (median) | runs | other load, cores | peak RSS, largest process | tree RSS sum | "
            "tree PSS sum | GIF bytes | frames |")
        add("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
        for view, s in r["views"].items():
            for tool in TOOLS:
                x = s[tool]
                add(f"| {view} | {tool} | {x['wall']:.2f} s | {', '.join(f'{v:.1f}' for v in x['walls'])} | "
                    f"{', '.join(f'{v:.2f}' for v in x.get('other_cores', []))} | {fmt_mb(x['peak_rss'])} | {fmt_mb(x['tree_rss'])} | {fmt_mb(x['tree_pss'])} | "
                    f"{x['bytes']:,}{' (varied)' if x['bytes_vary'] else ''} | {x['frames']} |")
        add("")
        add("| view | speedup vs seed | vs peer | gdanim peak RSS | GIF bytes gdanim/seed |")
        add(f"| --- | --- | --- | --- | --- |")
        for view, s in r["views"].items():
            g = s["gdanim"]
            add(f"| {view} | {s['speedup_seed']:.1f}x ({verdict('speedup_seed', s['speedup_seed'])}) | "
                f"{s['speedup_peer']:.1f}x ({verdict('speedup_peer', s['speedup_peer'])}) | "
                f"{fmt_mb(g['peak_rss'])} ({verdict('rss_mb', g['peak_rss'] / MB)}) | "
                f"{s['gif_ratio']:.2f} ({verdict('gif_ratio', s['gif_ratio'])}) |")
        add(f"| target | {target_text('speedup_seed', 'x')} | {target_text('speedup_peer', 'x')} | "
            f"{target_text('rss_mb', ' MB')} | {target_text('gif_ratio')} |")
        add("")
        add("*Other load*: cores kept busy by processes outside the bench during each run (machine busy time from "
            "`/proc/stat` minus the bench's own CPU time); each run starts only once that is below "
            f"{QUIET_CORES} cores, or after waiting {QUIET_WAIT:g} s ({QUIET_BUDGET_TOTAL:g} s in all at most). gdanim uses every core, so it suffers most from "
            "other load.\n")
        add("Peak RSS is the largest single process (`ru_maxrss`, maximum over the runs). Tree sums are sampled every "
            "0.25 s (the maximum seen); RSS counts pages the forked workers share with the parent once per process, "
            "PSS splits them.\n")

    m = results.get("memory")
    if m:
        add("## 3. Constant memory\n")
        add("`gdanim render params` with the article's run (six points, lr 0.001, w=3, b=-1, 12,000 epochs) at "
            "1000x1000, article style, default workers: 120 frames (`--frames " + ARTICLE_FRAMES + "`) against "
            "1,200 frames (`--frames " + LONG_FRAMES + "`), one run each (peak RSS varies little between runs):\n")
        add(f"```\n{m['command']}\n```\n")
        add("| frames | wall | other load, cores | peak RSS, largest process | tree PSS sum | GIF bytes |\n"
            "| --- | --- | --- | --- | --- | --- |")
        for label in ("120", "1200"):
            x = m[label]
            add(f"| {x['frames']:,} | {x['wall']:.1f} s | {x.get('other_cores', math.nan):.2f} | {fmt_mb(x['peak_rss'])} | {fmt_mb(x['tree_pss'])} | {x['bytes']:,} |")
        add(f"\nRatio 1,200 / 120 frames: peak RSS **{m['ratio']:.2f}** (target {target_text('memory_ratio')}: "
            f"{verdict('memory_ratio', m['ratio'])}); tree PSS {m['pss_ratio']:.2f}.\n")

    q = results.get("quality")
    if q:
        add("## 4. GIF quality\n")
        add("In Python: `h = gdanim.train(\"six-points\", lr=0.001, init=\"w=3,b=-1\", epochs=12000)`, "
            f"`anim = gdanim.animation.animate(h, VIEW, \"{ARTICLE_FRAMES}\", size=(1000, 1000), style=\"article\", "
            "workers=1)`, `anim.save(gif)`; each frame of `anim.frames()` (RGB) against the same frame of the GIF "
            "decoded by Pillow (`ImageSequence`, `convert(\"RGB\")`). PSNR over all pixels and channels; an "
            "identical frame counts as 100 dB in the mean.\n")
        add("| view | frames | mean PSNR | min PSNR | identical frames | same bytes as the CLI GIF |")
        add("| --- | --- | --- | --- | --- | --- |")
        for view, e in q.items():
            same = {True: "yes", False: "**no**"}.get(e.get("same_as_cli"), "not compared")
            add(f"| {view} | {e['frames']} | {e['mean']:.2f} dB ({verdict('psnr', e['mean'])}) | {e['min']:.2f} dB | "
                f"{e['identical']} | {same} |")
        add(f"\nTarget: mean {target_text('psnr', ' dB')}. The last column compares with the CLI render of section 2 "
            "(default workers), which should be byte-identical whatever the number of workers.\n")

    sc = results.get("scale")
    if sc:
        c, rr, sg = sc["csv"], sc["render"], sc["sgd"]
        add("## 5. Scale\n")
        add(f"**(a) CSV load.** 1,000,000 rows x 2 columns (`x,y`, `%.17g`, {c['bytes'] / MB:.1f} MB) written by "
            f"`numpy.savetxt`; `gdanim.data.load(path)`: **{c['seconds']:.2f} s** (median of {len(c['times'])}: "
            f"{', '.join(f'{v:.2f}' for v in c['times'])}); values read back exactly: {'yes' if c['exact'] else '**no**'}.\n")
        add(f"**(b) Render with a million rows.** Whole process, alternating, median of {len(rr['walls']['big'])}:\n")
        add(f"```\n{rr['command']}\n```\n")
        add("| N | wall (median) | runs | other load, cores | peak RSS |\n| --- | --- | --- | --- | --- |")
        for label, n in (("big", "1,000,000"), ("small", "6")):
            add(f"| {n} | {rr[label]:.2f} s | {', '.join(f'{v:.2f}' for v in rr['walls'][label])} | "
                f"{', '.join(f'{v:.2f}' for v in rr.get('others', {}).get(label, []))} | {fmt_mb(rr['peak_' + label])} |")
        add(f"\nRatio **{rr['ratio']:.2f}** (target {target_text('scale_ratio')}: {verdict('scale_ratio', rr['ratio'])}).\n")
        add(f"**(c) SGD, batch 1.** `gdanim.train(synthetic(n=1_000_000, w=2.0, b=3.0, noise=0.5, seed=0), "
            f"optimizer=\"sgd\", batch_size=1, steps={SGD_STEPS:_}, lr={SGD_LR})` in a fresh process:\n")
        arrays = ", ".join(f"{k} {v / MB:.1f}" for k, v in sg["arrays"].items())
        add("| | |\n| --- | --- |")
        diverged = "" if sg["diverged_at"] is None else f" (**diverged** at step {sg['diverged_at']:,})"
        add(f"| steps | {sg['steps']:,}{diverged} |")
        add(f"| time | {sg['seconds']:.2f} s ({sg['seconds'] / sg['steps'] * 1e6:.1f} µs a step) |")
        add(f"| peak RSS growth during training | {fmt_mb(sg['rss_delta'])} (from {fmt_mb(sg['rss_before'])}, data "
            f"{fmt_mb(sg['data_bytes'])}; {'VmHWM reset before training' if sg['peak_reset'] else 'process peak'}) |")
        add(f"| History arrays | {sg['history_bytes'] / MB:.1f} MB ({arrays} MB) = "
            f"{sg['history_bytes'] / sg['steps']:.0f} bytes a step |")
        add(f"| final (w, b) | ({sg['final'][0]:.4f}, {sg['final'][1]:.4f}) |")
        add("")
    if results.get("web"):
        import bench_web as web

        md += web.markdown(sys.modules[__name__], results["web"])
    add("## Incidents\n")
    if results.get("incidents"):
        add("Attempts that failed or hung and were rerun (their figures are not used):\n")
        for line in results["incidents"]:
            add(f"- {line}")
        add("")
    else:
        add("None: every command succeeded at the first attempt.\n")
    add("Each whole-process command is rerun (at most twice) if it fails, or if it hangs: it is killed after far "
        "longer than it should take (60 s for a 120-frame gdanim render, 900 s for a reference).\n")
    return "\n".join(md) + "\n"


# ==================================================================== main


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="scripts/bench", description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--quick", action="store_true",
                   help="smoke test: 1 run each, plain loop run for 1,200 epochs and extrapolated")
    p.add_argument("--runs", type=int, default=3, help="runs of each whole-process measurement (default 3)")
    p.add_argument("--only", action="append", choices=SECTIONS, help="run only this section (repeatable)")
    p.add_argument("--doc", help="write the markdown here (default: docs/benchmarks.md on a full run, "
                                 "nothing on a --quick or --only run)")
    p.add_argument("--keep", help="keep the rendered outputs in this directory instead of a temporary one")
    p.add_argument("--json", help="also write the raw results as JSON here")
    p.add_argument("--from-json", help="no measuring: rewrite the report from a --json file of an earlier run")
    p.add_argument("--sgd-child", type=int, help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.sgd_child:
        sgd_child(args.sgd_child)
        return 0
    if args.runs < 1:
        p.error("--runs must be at least 1")
    if args.from_json:
        saved = json.loads(Path(args.from_json).read_text())
        meta = saved["meta"]
        args.quick, args.runs, args.only = meta["quick"], meta["runs"], meta["only"]
        doc = Path(args.doc) if args.doc else (None if args.quick or args.only else ROOT / "docs" / "benchmarks.md")
        print_table(summary_rows(saved["results"]))
        if doc is not None:
            doc.write_text(markdown(saved["results"], args, saved["machine"], meta["started"], meta["elapsed"]))
            print(f"wrote {doc}")
        return 0
    sections = [s for s in SECTIONS if not args.only or s in args.only]
    doc = Path(args.doc) if args.doc else None
    if doc is None and not args.quick and not args.only:
        doc = ROOT / "docs" / "benchmarks.md"

    started = datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    t0 = time.perf_counter()
    whole_run = OtherLoad()
    info = machine_info()
    results: dict = {}
    with tempfile.TemporaryDirectory(prefix="gdanim-bench-") as tmp:
        work = Path(args.keep) if args.keep else Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        ctx = {"tmp": work.resolve()}
        if "render" in sections:
            ctx["ref"] = reference_dir()
            results["ref_display"] = ("../shared/bench" if ctx["ref"] == (ROOT.parent / "shared" / "bench")
                                      else str(ctx["ref"]))
        log(f"sections: {', '.join(sections)}; outputs in {work}")
        for name in sections:
            section_start = time.perf_counter()
            results[name] = globals()[f"bench_{name}"](args, ctx)
            log(f"{name} done in {time.perf_counter() - section_start:.0f} s")
    elapsed = time.perf_counter() - t0
    results["incidents"] = list(INCIDENTS)
    results["other_cores"] = whole_run.cores()

    print()
    print_table(summary_rows(results))
    for line in INCIDENTS:
        print(f"incident: {line}")
    print(f"\n{elapsed / 60:.1f} min; machine: {info['cpu_count']} CPUs, Python {info['python']}, "
          f"matplotlib {info['matplotlib']}")
    if doc is not None:
        doc.parent.mkdir(parents=True, exist_ok=True)
        doc.write_text(markdown(results, args, info, started, elapsed))
        print(f"wrote {doc}")
    else:
        print("docs/benchmarks.md not written (a --quick or --only run); pass --doc PATH to write the report")
    if args.json:
        meta = {"started": started, "elapsed": elapsed, "quick": args.quick, "runs": args.runs, "only": args.only}
        Path(args.json).write_text(json.dumps({"meta": meta, "machine": info, "results": results}, indent=2,
                                              default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
