"""Every command in the README runs, as written.

The README's fenced blocks run in order in one temporary directory: ``bash`` blocks
line by line (``gdanim ...`` in-process through ``gdanim.cli.main``, which must
return 0; ``mkdir -p`` too), ``python`` blocks in one shared namespace. A block under
``<!-- readme-test: pytest -->`` is a test file run by pytest with the gdanim plugin
(generating its baseline, then checking against it); one under ``<!-- readme-test:
skip ... -->`` does not run (the CI yaml, the scripts that set up this repository),
but every ``gdanim`` command in it must appear in a block that does. ``text`` blocks
are not code. ``houses.csv``, the README's "own CSV", is written here first in the
shape the README shows.
"""
from __future__ import annotations

import os
import re
import shlex
from pathlib import Path

import numpy as np
import pytest

from gdanim.cli import main

README = Path(__file__).resolve().parent.parent / "README.md"
FENCE = re.compile(r"(?:<!-- readme-test: (?P<mark>\w+)[^>]*-->\s*\n)?```(?P<lang>\w*)\n(?P<body>.*?)\n```", re.S)

pytest_plugins = ["pytester"]


def blocks() -> list[tuple[str, str, str]]:
    """(language, marker or '', body) of every fenced block, in order."""
    return [(m["lang"], m["mark"] or "", m["body"]) for m in FENCE.finditer(README.read_text(encoding="utf-8"))]


def commands(body: str) -> list[list[str]]:
    """A bash block's commands as argv lists: continuation lines joined, comments dropped."""
    joined = re.sub(r"\\\n\s*", " ", body)
    found = []
    for line in joined.splitlines():
        argv = shlex.split(line, comments=True)
        if argv:
            found.append(argv)
    return found


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


def test_the_readme_marks_every_block_it_does_not_run():
    kinds = {(lang, mark) for lang, mark, _ in blocks()}
    assert kinds <= {("bash", ""), ("python", ""), ("python", "pytest"), ("text", ""), ("bash", "skip"),
                     ("yaml", "skip")}, kinds
    assert ("yaml", "skip") in kinds and ("python", "pytest") in kinds


def test_every_readme_command_runs(tmp_path, monkeypatch, capsys, pytester):
    run_dir = tmp_path / "readme"
    run_dir.mkdir()
    monkeypatch.chdir(run_dir)
    write_houses(run_dir / "houses.csv")
    namespace: dict = {"__name__": "readme"}
    ran = []
    for lang, mark, body in blocks():
        if mark == "pytest":
            run_as_pytest(pytester, body)
        elif mark or lang == "text":
            continue
        elif lang == "bash":
            for argv in commands(body):
                run_command(argv)
                ran.append(" ".join(argv))
        elif lang == "python":
            exec(compile(body, str(README), "exec"), namespace)
    capsys.readouterr()
    assert len(ran) >= 10
    # the CI example only uses commands this test ran
    for lang, mark, body in blocks():
        if lang == "yaml":
            for command in yaml_commands(body):
                assert command in ran, f"the CI yaml's {command!r} is not in a tested block"


def run_command(argv: list[str]) -> None:
    if argv[:2] == ["mkdir", "-p"]:
        for directory in argv[2:]:
            os.makedirs(directory, exist_ok=True)
        return
    assert argv[0] == "gdanim", f"README commands are gdanim commands (or mkdir -p), got {argv}"
    assert main(argv[1:]) == 0, f"README command failed: {shlex.join(argv)}"


def run_as_pytest(pytester, body: str) -> None:
    """The snippet as a test file: --gdanim-generate writes its baseline (and contact sheet), then it passes."""
    here = os.getcwd()
    os.chdir(pytester.path)
    try:
        pytester.makepyfile(test_readme_snippet=body)
        generated = pytester.runpytest("-p", "no:hypothesispytest", "--gdanim-generate")
        generated.assert_outcomes(passed=1)
        assert (pytester.path / "tests" / "baselines" / "params.contact.png").is_file()
        pytester.runpytest("-p", "no:hypothesispytest").assert_outcomes(passed=1)
    finally:
        os.chdir(here)
