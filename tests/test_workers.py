"""Forked render workers: they must never hang a render, nor keep the encoder's pipe.

A pool stops its workers with SIGTERM at the end of every parallel render. A worker
that kept the parent's Python-level SIGTERM handler could miss that signal and wait on
the pool's task queue for ever, with the parent waiting on it (issue 13).
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest

from _procs import children, cmdline, wait_until

pytestmark = pytest.mark.skipif(os.name == "nt" or not os.path.isdir("/proc"), reason="fork, POSIX signals and /proc")

RENDERS = 300

BACK_TO_BACK = r"""
import sys
import numpy as np
from gdanim.render import EncodeAndHash
from gdanim.engines.stream import render_stream
from gdanim.hashing import frame_hash
from gdanim.output import signals
from gdanim.output.yuv import yuv420_payload


class Numbered:  # the smallest animation: frame i is 2x2 pixels of value i
    def render(self, i):
        return np.full((2, 2, 4), i, np.uint8)


signals.install_signal_cleanup()  # the CLI's handlers, which forked workers used to keep
frames = [np.full((2, 2, 4), i, np.uint8) for i in range(7)]
expected = [(yuv420_payload(f), frame_hash(f), None) for f in frames]
for run in range(int(sys.argv[1])):
    assert list(render_stream(Numbered(), 7, lambda: EncodeAndHash.start("mp4", None, None, False), 2)) == expected, run
print(int(sys.argv[1]))
"""


def test_back_to_back_parallel_renders_never_hang():
    """Each render forks a pool of two workers for two chunks of frames, then stops it.

    The hang lies in starting and stopping the pool, not in drawing: the smallest
    frames keep 300 renders to a few seconds.
    """
    try:
        done = subprocess.run([sys.executable, "-c", BACK_TO_BACK, str(RENDERS)], capture_output=True, text=True,
                              timeout=240)
    except subprocess.TimeoutExpired:
        pytest.fail(f"{RENDERS} back-to-back parallel renders did not finish: a render hung")
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [str(RENDERS)]


def pipes(pid: int) -> set[str]:
    """The pipes a process holds, as ``pipe:[inode]``."""
    try:
        fds = os.listdir(f"/proc/{pid}/fd")
    except FileNotFoundError:
        pytest.fail(f"process {pid} ended while it was being watched")
    found = set()
    for fd in fds:
        try:
            target = os.readlink(f"/proc/{pid}/fd/{fd}")
        except OSError:  # closed meanwhile
            continue
        if target.startswith("pipe:"):
            found.add(target)
    return found


def test_forked_workers_do_not_hold_the_ffmpeg_pipe(tmp_path):
    """ffmpeg ends when its input does: only the parent may hold the pipe's write end."""
    out = tmp_path / "out.mp4"
    process = subprocess.Popen(
        [sys.executable, "-m", "gdanim.cli", "render", "params", "--size=320x240", "--frames=all", "--epochs=400",
         "--workers=2", "--quiet", "--no-manifest", f"--out={out}"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )
    try:
        wait_until(lambda: len(children(process.pid)) >= 3 or process.poll() is not None, 60, "ffmpeg and the workers")
        found = children(process.pid)
        ffmpeg = [pid for pid in found if "ffmpeg" in cmdline(pid)]
        workers = [pid for pid in found if pid not in ffmpeg]
        assert len(ffmpeg) == 1 and len(workers) == 2, {pid: cmdline(pid) for pid in found}
        ffmpeg_input = os.readlink(f"/proc/{ffmpeg[0]}/fd/0")
        assert ffmpeg_input in pipes(process.pid)  # the parent writes the frames into it
        for worker in workers:  # forked with the pipe, a worker closes it as it starts
            wait_until(lambda: ffmpeg_input not in pipes(worker), 20, f"worker {worker} to close ffmpeg's pipe")
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    assert process.returncode == 128 + signal.SIGTERM, err
    assert os.listdir(tmp_path) == []
