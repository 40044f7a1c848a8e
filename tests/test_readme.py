"""Every command in the README runs, as written (the runner and its rules: ``tests/_readme.py``).

The bash and python blocks run in one subprocess (a fresh interpreter, like a user's
shell and notebook) under a time limit. A block under ``<!-- readme-test: pytest -->``
is a test file, run by pytest with the gdanim plugin: it generates its baseline, then
passes against it. A block under ``<!-- readme-test: skip ... -->`` does not run (the
CI yaml, the scripts that set up this repository), but every ``gdanim`` command in
the CI yaml must be one the runner ran.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from _readme import blocks, yaml_commands

RUNNER = Path(__file__).resolve().parent / "_readme.py"
TIME_LIMIT = 600  # seconds; a hang fails the test rather than the suite

pytest_plugins = ["pytester"]


def test_the_readme_marks_every_block_it_does_not_run():
    kinds = {(lang, mark) for lang, mark, _ in blocks()}
    assert kinds <= {("bash", ""), ("python", ""), ("python", "pytest"), ("text", ""), ("bash", "skip"),
                     ("yaml", "skip")}, kinds
    assert ("yaml", "skip") in kinds and ("python", "pytest") in kinds


def test_every_readme_command_runs(tmp_path):
    workdir, result = tmp_path / "readme", tmp_path / "ran.json"
    workdir.mkdir()
    done = subprocess.run([sys.executable, str(RUNNER), str(workdir), str(result)], capture_output=True, text=True,
                          timeout=TIME_LIMIT, env={**os.environ, "MPLBACKEND": "Agg", "TMPDIR": str(tmp_path)})
    assert done.returncode == 0, done.stderr[-3000:]
    ran = json.loads(result.read_text())
    assert len(ran) >= 14
    assert "Traceback" not in done.stderr
    for lang, mark, body in blocks():
        if lang == "yaml":
            for command in yaml_commands(body):
                assert command in ran, f"the CI yaml's {command!r} is not in a tested block"


def test_the_readme_pytest_snippet_generates_then_passes(pytester):
    (snippet,) = [body for lang, mark, body in blocks() if mark == "pytest"]
    pytester.makepyfile(test_readme_snippet=snippet)
    generated = pytester.runpytest_subprocess("-p", "no:hypothesispytest", "--gdanim-generate", timeout=TIME_LIMIT)
    generated.assert_outcomes(passed=1)
    assert (pytester.path / "tests" / "baselines" / "params.contact.png").is_file()
    pytester.runpytest_subprocess("-p", "no:hypothesispytest", timeout=TIME_LIMIT).assert_outcomes(passed=1)


def test_renders_leave_no_thread_to_fork_beside(tmp_path):
    """The README renders in one process, as a notebook does: a thread left running by one
    render (tqdm's monitor) could hold a lock when the next render forks its workers."""
    import threading

    import gdanim

    history = gdanim.train("six-points", epochs=3)
    before = set(threading.enumerate())
    gdanim.animate(history, "params", "0:3", size=(160, 120), workers=1, quiet=False).save(tmp_path / "a.gif")
    assert [t.name for t in set(threading.enumerate()) - before] == []
