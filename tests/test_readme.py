"""Every command in the README runs, as written (the runner and its rules: ``tests/_readme.py``).

The bash, console and python blocks run in two subprocesses side by side (fresh
interpreters, like a user's shell and notebook) under a time limit. A block under
``<!-- readme-test: pytest -->`` is a test file, run by pytest with the gdanim plugin: it
generates its baseline, then passes against it. A block under ``<!-- readme-test: skip ... -->`` does not run (the
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
from _readme import blocks, runnable, share, yaml_commands

RUNNER = Path(__file__).resolve().parent / "_readme.py"
TIME_LIMIT = 600  # seconds; a hang fails the test rather than the suite
PARTS = 2  # interpreters running the blocks side by side

pytest_plugins = ["pytester"]


def test_the_readme_marks_every_block_it_does_not_run():
    kinds = {(lang, mark) for lang, mark, _ in blocks()}
    assert kinds <= {("bash", ""), ("console", ""), ("python", ""), ("python", "pytest"), ("text", ""),
                     ("bash", "skip"), ("yaml", "skip")}, kinds
    assert ("yaml", "skip") in kinds and ("python", "pytest") in kinds


def test_every_readme_command_runs(tmp_path):
    """Two interpreters share the blocks (``_readme.share``), each in a directory of its own."""
    env = {**os.environ, "MPLBACKEND": "Agg", "TMPDIR": str(tmp_path)}
    runs = []
    for part in range(PARTS):
        workdir, result = tmp_path / f"readme{part}", tmp_path / f"ran{part}.json"
        workdir.mkdir()
        process = subprocess.Popen([sys.executable, str(RUNNER), str(workdir), str(result), str(part), str(PARTS)],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        runs.append((process, result))
    ran = []
    for process, result in runs:
        try:
            _, stderr = process.communicate(timeout=TIME_LIMIT)
        finally:
            process.kill()
        assert process.returncode == 0, stderr[-3000:]
        assert "Traceback" not in stderr
        ran += json.loads(result.read_text())
    assert sorted(sum(share(PARTS), [])) == list(range(len(runnable())))  # every block in exactly one part
    assert len(ran) >= 14
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


def test_console_blocks_check_what_the_command_prints(tmp_path, monkeypatch):
    """booth at lr auto (0.1) from (-8, 8): J = 170 * 0.64^m exactly, 69.632 after two steps."""
    from _readme import run_console

    monkeypatch.chdir(tmp_path)
    block = ("$ gdanim train --objective booth --steps 2 --lr auto --start=-8,8\n"
             "objective booth   gd, lr 0.1 (auto), 2 steps\n"
             "                        x               y               J\n"
             "  initial              -8               8             170\n"
             "    final           -4.76             6.2          69.632\n")
    assert run_console(block + "...\n") == ["gdanim train --objective booth --steps 2 --lr auto --start=-8,8"]
    with pytest.raises(SystemExit, match=r"printed \['objective booth   gd, lr 0.1 \(auto\), 2 steps', "):
        run_console(block)  # the whole output, not its first line: a mismatch
    with pytest.raises(SystemExit, match=r"the README shows \['objective booth   gd, lr 0.2"):
        run_console(block.replace("0.1 (auto)", "0.2 (auto)") + "...\n")
