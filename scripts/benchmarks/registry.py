"""The benchmarks, in report order: a module's place here is its section number in the report."""
from __future__ import annotations

from importlib import import_module

NAMES = ("trainer", "render", "memory", "quality", "scale", "race", "boundary", "web", "walkthrough")
INTERFACE = ("NAME", "TITLE", "run", "summary", "table")


def _load(name: str):
    module = import_module(f"{__package__}.{name}")
    missing = [attr for attr in INTERFACE if not hasattr(module, attr)]
    if missing or module.NAME != name:
        raise SystemExit(f"bench: benchmarks/{name}.py must define {', '.join(INTERFACE)} with NAME = {name!r}"
                         f" (missing: {', '.join(missing) or 'none'})")
    return module


BENCHMARKS = tuple(_load(name) for name in NAMES)
