"""Whole-process measurement: wall time, peak RSS, sampled tree RSS/PSS, and other processes' load.

Peak RSS is ``ru_maxrss`` of ``wait4`` on the process, which Linux reports as the largest
peak of any single process in its tree (the process or a reaped descendant, e.g. a forked
render worker). A small launcher process spawns and reaps each command, because a child's
``ru_maxrss`` starts from the peak of the process that forked it. The tree's summed RSS
and PSS are sampled every 0.25 s (PSS shares copy-on-write pages of forked workers
fairly; RSS counts them once per process).
"""
from __future__ import annotations

import json
import math
import os
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

MB = 1e6  # figures are in MB = 10^6 bytes
QUIET_CORES = 0.25  # a measurement starts once other processes use less than this (or after QUIET_WAIT)
QUIET_WAIT = 30.0
QUIET_BUDGET_TOTAL = 600.0  # seconds of such waiting for the whole run

_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def median(values) -> float:
    return statistics.median(values) if values else float("nan")


# -- memory of a process tree, from /proc ------------------------------------------------


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


# -- CPU used by other processes (the machine is shared) ---------------------------------


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


class Quiet:
    """Holds each measurement back until other processes are quiet, within a budget for the whole run."""

    def __init__(self, budget: float = QUIET_BUDGET_TOTAL):
        self.left = budget

    def wait(self) -> float:
        """Wait (at most QUIET_WAIT s) until other processes use < QUIET_CORES cores; returns the seconds waited."""
        start = time.perf_counter()
        limit = min(QUIET_WAIT, self.left)
        while True:
            probe = OtherLoad()
            time.sleep(0.5)
            load = probe.cores()
            waited = time.perf_counter() - start
            if math.isnan(load) or load < QUIET_CORES or waited >= limit:
                self.left = max(0.0, self.left - waited)
                if waited > 5:
                    log(f"waited {waited:.0f} s for other processes to quieten (now {load:.2f} cores busy)")
                return waited


# -- one whole process ------------------------------------------------------------------

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


def run_process(cmd: list[str], *, timeout: float, quiet: Quiet, cwd=None, env=None) -> dict:
    """Run ``cmd`` to completion: wall seconds, peak RSS (largest single process), sampled tree RSS/PSS.

    After ``timeout`` seconds the command's process group (the launcher's session) is
    killed and the result's ``rc`` is ``"timeout"``.
    """
    timed_out = False
    quiet.wait()
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


def summarise(runs: list[dict]) -> dict:
    """Several runs of one command as one figure: median wall, largest peaks, every run's wall and load."""
    summary = {
        "wall": median([x["wall"] for x in runs]),
        "walls": [x["wall"] for x in runs],
        "peak_rss": max(x["peak_rss"] for x in runs),
        "tree_rss": max(x["tree_rss"] for x in runs),
        "tree_pss": max(x["tree_pss"] for x in runs),
        "attempts": sum(x["attempts"] for x in runs),
        "other_cores": [x["other_cores"] for x in runs],
    }
    if "bytes" in runs[-1]:
        summary.update(bytes=runs[-1]["bytes"], bytes_vary=len({x["bytes"] for x in runs}) > 1,
                       frames=runs[-1]["frames"])
    return summary
