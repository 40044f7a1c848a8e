"""What the whole suite promises: no child process of it outlives it.

A render's workers, ffmpeg and Chromium all end with the test that started them. (A
grandchild orphaned on the way is handed to init, out of sight of this check; the
fault tests look for those themselves.) A process left behind is a defect (a pool that forked a replacement worker after its
workers were killed waited on a dead worker's lock for ever); it also keeps the
suite's output pipe open, so a runner reading to the end of it would wait for ever.
"""
import contextlib
import os
import signal
import time

import pytest

from _procs import children, cmdline, ended

GRACE = 5.0  # seconds for children to finish ending after the last test


@pytest.fixture(scope="session", autouse=True)
def no_process_outlives_the_suite():
    yield
    if not os.path.isdir("/proc"):
        return
    deadline = time.monotonic() + GRACE
    while (left := [pid for pid in children(os.getpid()) if not ended(pid)]) and time.monotonic() < deadline:
        time.sleep(0.05)
    if left:
        named = "; ".join(f"{pid} {cmdline(pid)}" for pid in left)
        for pid in left:  # so that the suite itself still ends
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
        pytest.fail(f"processes outlived the suite (killed now): {named}")
