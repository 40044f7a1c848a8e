"""Run the README's code blocks; ``tests/test_readme.py`` runs this file as one subprocess.

A fresh interpreter runs every block, as a user's shell and notebook would, away from
pytest's capture and threads; the test gives it a time limit, so a render that hangs
fails the test instead of hanging the suite. Usage: ``python tests/_readme.py WORKDIR
RESULT.json [PART COUNT]``: runs the blocks (or part PART of COUNT, see ``share``) in
WORKDIR and writes the commands it ran to RESULT.json.

``bash`` blocks run line by line (``gdanim ...`` in-process through ``gdanim.cli.main``,
which must return 0; ``mkdir -p`` and ``echo TEXT > FILE`` too), ``console`` blocks
likewise, each ``$ gdanim ...`` line checked against the output printed under it, and
``python`` blocks in one shared namespace. A
block under ``<!-- readme-test: skip ... -->`` or ``<!-- readme-test: pytest -->``, and
``text`` blocks, do not run here.
"""
from __future__ import annotations

import json
import os
import re
import shlex
import sys
import textwrap
from contextlib import redirect_stdout
from io import StringIO
from pathlib import Path

import numpy as np

README = Path(__file__).resolve().parent.parent / "README.md"
# A fence opens and closes at the start of a line, indented alike (a block inside a list item).
FENCE = re.compile(r"(?:^<!-- readme-test: (?P<mark>\w+)[^>]*-->\s*\n)?^(?P<indent> *)```(?P<lang>\w*)\n"
                   r"(?P<body>.*?)\n(?P=indent)```$", re.S | re.M)


def blocks() -> list[tuple[str, str, str]]:
    """(language, marker or '', body) of every fenced block, in order, its indent removed."""
    return [(m["lang"], m["mark"] or "", textwrap.dedent(m["body"]))
            for m in FENCE.finditer(README.read_text(encoding="utf-8"))]


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
    if argv[0] == "echo" and argv[-2:-1] == [">"]:
        Path(argv[-1]).write_text(" ".join(argv[1:-2]) + "\n")
        return
    if argv[0] != "gdanim":
        raise SystemExit(f"README commands are gdanim commands (or mkdir -p, echo TEXT > FILE), got {shlex.join(argv)}")
    if main(argv[1:]) != 0:
        raise SystemExit(f"README command failed: {shlex.join(argv)}")


def run_console(body: str) -> list[str]:
    """A ``console`` block: each ``$ gdanim ...`` line runs, and prints the lines under it
    (all of them, or up to a line ``...``: the first ones)."""
    ran = []
    for session in re.split(r"^\$ ", body, flags=re.M)[1:]:
        command, *expected = session.rstrip("\n").split("\n")
        printed = StringIO()
        with redirect_stdout(printed):
            run_command(shlex.split(command))
        shown = printed.getvalue().splitlines()
        if "..." in expected:
            expected, shown = expected[:expected.index("...")], shown[:expected.index("...")]
        if shown != expected:
            raise SystemExit(f"README command {command!r} printed {shown!r}, the README shows {expected!r}")
        ran.append(command)
    return ran


def runnable() -> list[tuple[str, str]]:
    """(language, body) of every block that runs, in order."""
    return [(lang, body) for lang, mark, body in blocks() if not mark and lang != "text"]


def share(count: int) -> list[list[int]]:
    """The runnable blocks split into ``count`` parts of about equal work, each in README
    order. The python blocks share one namespace, so they all go to part 0; each other
    block goes to the part with the least work so far (about a second per command)."""
    parts, work = [[] for _ in range(count)], [0.0] * count
    todo = runnable()
    for i, (lang, body) in enumerate(todo):
        if lang == "python":
            parts[0].append(i)
            work[0] += 1.5
    for i, (lang, body) in enumerate(todo):
        if lang != "python":
            lightest = work.index(min(work))
            parts[lightest].append(i)
            work[lightest] += body.count("$ gdanim") if lang == "console" else \
                sum(1 for argv in commands(body) if argv[0] == "gdanim")
    return [sorted(part) for part in parts]


def run_readme(workdir: Path, part: int = 0, count: int = 1) -> list[str]:
    """Part ``part`` of ``count`` of the runnable blocks (see ``share``), in order, in
    ``workdir``; the commands run, as text."""
    os.chdir(workdir)
    write_houses(workdir / "houses.csv")
    namespace: dict = {"__name__": "readme"}
    ran = []
    todo = runnable()
    for i in share(count)[part]:
        lang, body = todo[i]
        if lang == "bash":
            for argv in commands(body):
                run_command(argv)
                ran.append(" ".join(argv))
        elif lang == "console":
            ran += run_console(body)
        elif lang == "python":
            exec(compile(body, str(README), "exec"), namespace)
    return ran


if __name__ == "__main__":
    import matplotlib

    matplotlib.use("Agg")
    part, count = (int(n) for n in sys.argv[3:5]) if len(sys.argv) > 3 else (0, 1)
    ran = run_readme(Path(sys.argv[1]).resolve(), part, count)
    Path(sys.argv[2]).write_text(json.dumps(ran))
