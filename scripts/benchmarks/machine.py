"""What the benchmarks ran on: CPU, memory, OS, library versions and the checkout."""
from __future__ import annotations

import os
import platform
from importlib import metadata

from .context import ROOT


def _version(pkg: str) -> str:
    try:
        return metadata.version(pkg)
    except metadata.PackageNotFoundError:
        return "?"


def _first_line_value(path: str, prefix: str) -> str | None:
    try:
        with open(path) as f:
            for line in f:
                if line.startswith(prefix):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return None


def _head() -> str | None:
    """The commit checked out, read rather than run (the working tree may hold uncommitted edits)."""
    try:
        ref = (ROOT / ".git" / "HEAD").read_text().strip()
    except OSError:
        return None
    if not ref.startswith("ref: "):
        return ref[:12]
    ref_path = ROOT / ".git" / ref[5:]
    return ref_path.read_text().strip()[:12] if ref_path.exists() else None


def machine_info() -> dict:
    mem_kb = _first_line_value("/proc/meminfo", "MemTotal")
    return {
        "cpu": _first_line_value("/proc/cpuinfo", "model name") or "?",
        "cpu_count": os.cpu_count(),
        "cpus_usable": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "memory": int(mem_kb.split()[0]) * 1024 if mem_kb else None,
        "platform": platform.platform(),
        "python": platform.python_version(),
        "numpy": _version("numpy"),
        "matplotlib": _version("matplotlib"),
        "pillow": _version("pillow"),
        "celluloid": _version("celluloid"),
        "gdanim": _version("gdanim"),
        "head": _head(),
    }
