"""Run the README's code blocks; ``tests/test_readme.py`` runs this file as one subprocess.

A fresh interpreter runs every block, as a user's shell and notebook would, away from
pytest's capture and threads; the test gives it a time limit, so a render that hangs
fails the test instead of hanging the suite. Usage: ``python tests/_readme.py WORKDIR
RESULT.json``: runs the blocks in WORKDIR and writes the commands it ran to RESULT.json.

``bash`` blocks run line by line (``gdanim ...`` in-process through ``gdanim.cli.main``,
which must return 0; ``mkdir -p`` too), ``python`` blocks in one shared namespace. A
block under ``<!-- readme-test: skip ... -->`` or ``<!-- readme-test: pytest -->``, and
``text`` blocks, do not run here.
"""
from __future__ import annotations

import json
import os
import re
import shlex
import sys
from pathlib import Path

import numpy as np

README = Path(__file__).resolve().parent.parent / "README.md"
FENCE = re.compile(r"(?:<!-- readme-test: (?P<mark>\w+)[^>]*-->\s*\n)?```(?P<lang>\w*)\n(?P<body>.*?)\n```", re.S)


def blocks() -> list[tuple[str, str, str]]:
    """(language, marker or '', body) of every fenced block, in order."""
    return [(m["lang"], m["mark"] or "", m["body"]) for m in FENCE.finditer(README.read_text(encoding="utf-8"))]


def commands(body: str) -> list[list[str]]:
    """A bash block's commands as argv lists: continuation lines joined, comments dropped."""
    joined = re.sub(r"\\\n\s*", " ", body)
    return [argv for argv in (shlex.split(line, comments=True) for line in joined.splitlines()) if argv]


def yaml_commands(body: str) -> list[str]:
    """The gdanim commands of a CI yaml's run: steps."""
    runs = [line.split("- run:", 1)[1] for line in body.splitlines() if "- run:" in line]
    return [" ".join(part.split()) for run in runs for part in run.split("&&") if part.split()[:1] == ["gdanim"]]


def write_houses(path: Path) -> None:
    """houses.csv as the README shows it: semicolons, an ID column, size, rooms and price."""
    rng = np.random.default_rng(7)
    size = rng.uniform(40, 220, 60).round(1)
    rooms = np.clip(np.round(size / 35 + rng.normal(0, 0.6, 60)), 1, 8)
    price = (1800 * size + 9000 * rooms + rng.normal(0, 20000, 60) + 30000).round(-2)
    rows = ["id;size;rooms;price"] + [f"h{i:03d};{s};{r:g};{p:.0f}" for i, (s, r, p) in enumerate(zip(size, rooms, price))]
    path.write_text("\n".join(rows) + "\n")


def run_command(argv: list[str]) -> None:
    from gdanim.cli import main

    if argv[:2] == ["mkdir", "-p"]:
        for directory in argv[2:]:
            os.makedirs(directory, exist_ok=True)
        return
    if argv[0] != "gdanim":
        raise SystemExit(f"README commands are gdanim commands (or mkdir -p), got {shlex.join(argv)}")
    if main(argv[1:]) != 0:
        raise SystemExit(f"README command failed: {shlex.join(argv)}")


def run_readme(workdir: Path) -> list[str]:
    """Every runnable block, in order, in ``workdir``; the commands run, as text."""
    os.chdir(workdir)
    write_houses(workdir / "houses.csv")
    namespace: dict = {"__name__": "readme"}
    ran = []
    for lang, mark, body in blocks():
        if mark or lang == "text":
            continue
        if lang == "bash":
            for argv in commands(body):
                run_command(argv)
                ran.append(" ".join(argv))
        elif lang == "python":
            exec(compile(body, str(README), "exec"), namespace)
    return ran


if __name__ == "__main__":
    import matplotlib

    matplotlib.use("Agg")
    ran = run_readme(Path(sys.argv[1]).resolve())
    Path(sys.argv[2]).write_text(json.dumps(ran))
