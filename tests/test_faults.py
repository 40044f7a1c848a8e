"""Faults during a render: signals, full disks, concurrent writers, no ffmpeg.

In every case the earlier output survives byte for byte, no partial file appears under
the target name, and temporary files (``.NAME.PID.HEX.tmp`` beside the target) are
removed, by the run itself or, after kill -9, by the next render into that directory.
"""
from __future__ import annotations

import errno
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PIL import Image

from _fakes import FullDisk
from _procs import children, cmdline, ended, wait_until
from gdanim.cli import main
from gdanim.output import atomic, mp4

pytestmark = pytest.mark.skipif(os.name == "nt", reason="POSIX signals and /proc")

EARLIER = b"GIF89a an earlier render that must survive"
SMALL = ["--size=200x150", "--frames=0:4", "--epochs=5", "--workers=1", "--quiet"]
TEMP = re.compile(r"\.(?P<name>.+)\.(?P<pid>\d+)\.[0-9a-f]+\.tmp")


def cli(*argv):
    return [sys.executable, "-m", "gdanim.cli", *argv]


def temps(directory: Path) -> list[str]:
    return sorted(n for n in os.listdir(directory) if TEMP.fullmatch(n))


def start_long_render(out: Path, workers: int, size="800x600"):
    """A render of a few seconds, in its own process group, like a job started from a shell."""
    argv = cli("render", "params", f"--size={size}", "--frames=all", "--epochs=400", f"--workers={workers}", "--quiet",
               "--no-manifest", f"--out={out}")
    return subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)


def interrupt_mid_render(tmp_path, sig, workers, *, group, suffix=".gif", size="800x600"):
    out = tmp_path / f"out{suffix}"
    out.write_bytes(EARLIER)
    process = start_long_render(out, workers, size)
    try:
        wait_until(lambda: temps(tmp_path) or process.poll() is not None, 60, "the temporary file")
        assert process.poll() is None, f"the render ended before the signal: {process.communicate()}"
        if workers > 1:
            wait_until(lambda: len(children(process.pid)) >= workers or process.poll() is not None, 30, "the workers")
        time.sleep(0.3)  # well into the render
        assert process.poll() is None, "the render finished before the signal; make it longer"
        workers_seen = {pid: cmdline(pid) for pid in children(process.pid)}
        (os.killpg if group else os.kill)(process.pid, sig)
        out_text, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    assert out.read_bytes() == EARLIER
    return process.returncode, err, workers_seen, out


# ---------------------------------------------------------------------------- signals


@pytest.mark.parametrize(
    "sig, workers, group, code, message",
    [
        pytest.param(signal.SIGINT, 2, True, 130, "gdanim: interrupted; earlier output left as it was", id="ctrl-c-group-2-workers"),
        pytest.param(signal.SIGINT, 1, False, 130, "gdanim: interrupted; earlier output left as it was", id="sigint-1-worker"),
        pytest.param(signal.SIGTERM, 2, False, 143, "gdanim: terminated; earlier output left as it was", id="sigterm-2-workers"),
        pytest.param(signal.SIGTERM, 1, True, 143, "gdanim: terminated; earlier output left as it was", id="sigterm-group-1-worker"),
    ],
)
def test_signal_mid_render_keeps_earlier_output(tmp_path, sig, workers, group, code, message):
    returncode, err, workers_seen, out = interrupt_mid_render(tmp_path, sig, workers, group=group)
    assert returncode == code
    assert err.splitlines() == [message]  # one line: no traceback from the parent or the workers
    assert sorted(os.listdir(tmp_path)) == [out.name]  # no temporary file left
    wait_until(lambda: all(ended(pid) for pid in workers_seen), 10, "the workers to end")


@pytest.mark.parametrize("group", [False, True], ids=["pid", "group"])
def test_sigterm_mid_mp4_render_stops_ffmpeg(tmp_path, group):
    """Sent to the whole job too: then it must not kill workers waiting for work, each
    holding the task queue's lock, which the pool needs to stop."""
    # ffmpeg creates its (temporary) output once it has a few frames: two workers feed it early
    returncode, err, children_seen, out = interrupt_mid_render(tmp_path, signal.SIGTERM, 2, group=group, suffix=".mp4",
                                                              size="320x240")
    assert returncode == 143
    assert err.splitlines() == ["gdanim: terminated; earlier output left as it was"]
    assert sorted(os.listdir(tmp_path)) == [out.name]
    assert any("ffmpeg" in command for command in children_seen.values()), children_seen
    wait_until(lambda: all(ended(pid) for pid in children_seen), 10, "ffmpeg and the workers to end")


def _nothing():
    pass


def test_a_pool_that_cannot_stop_has_its_workers_killed(monkeypatch):
    """multiprocessing's terminate() can wait for ever when a worker ended in the middle
    of a message (a render interrupted while workers send megabyte frames; reproduced
    by killing a worker as it sends a 300 MB result). Past STOP_WITHIN the workers are
    killed and the render goes on ending, with its own error."""
    import multiprocessing.pool
    import threading

    from gdanim.engines import pool as pools

    monkeypatch.setattr(pools, "STOP_WITHIN", 0.2)
    stuck, start = threading.Event(), time.monotonic()
    with pytest.raises(RuntimeError, match="^the render failed$"):
        with pools.forked_pool(2, _nothing, ()) as pool:
            workers, finalizer = [w.pid for w in pool._pool], pool._terminate

            def terminate_that_waits_for_ever():
                finalizer.cancel()  # nor at exit: it would wait on locks the killed workers hold
                # as terminate() starts: the pool forks no more workers (it replaces dead
                # ones, which, killed or not, would outlive the test waiting on that lock)
                pool._worker_handler._state = multiprocessing.pool.TERMINATE
                stuck.wait()

            pool.terminate = terminate_that_waits_for_ever
            raise RuntimeError("the render failed")
    assert time.monotonic() - start < 3
    wait_until(lambda: all(ended(pid) for pid in workers), 5, "the workers to be killed")
    stuck.set()


OPENED_THEN_INTERRUPTED = """
import sys
from gdanim import output
from gdanim.cli import main

real_open_container = output.open_container


def opened_then_interrupted(*args, **kwargs):  # Ctrl-C lands just after the output is opened
    real_open_container(*args, **kwargs)
    raise KeyboardInterrupt


output.open_container = opened_then_interrupted
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.parametrize("suffix", [".gif", ".mp4"])
def test_ctrl_c_between_opening_and_writing_the_output(tmp_path, suffix):
    """A KeyboardInterrupt before the container's ``with`` block (which would abort it)
    still leaves no temporary file: output.atomic removes unfinished outputs at exit."""
    out = tmp_path / f"out{suffix}"
    out.write_bytes(EARLIER)
    done = subprocess.run([sys.executable, "-c", OPENED_THEN_INTERRUPTED, "render", "params", *SMALL, "--no-manifest",
                           f"--out={out}"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 130
    assert done.stderr == "gdanim: interrupted; earlier output left as it was\n"
    assert os.listdir(tmp_path) == [out.name] and out.read_bytes() == EARLIER


def test_kill_9_leaves_earlier_output_and_the_next_render_cleans_up(tmp_path, capsys):
    returncode, _, workers_seen, out = interrupt_mid_render(tmp_path, signal.SIGKILL, 2, group=False)
    assert returncode == -signal.SIGKILL
    # kill -9 runs no cleanup: a stale, dot-prefixed temporary file may remain; never a partial out.gif
    stale = temps(tmp_path)
    assert sorted(os.listdir(tmp_path)) == sorted([out.name, *stale])
    assert all(TEMP.fullmatch(name)["name"] == out.name for name in stale)
    # orphaned workers notice that their parent is gone and end
    wait_until(lambda: all(ended(pid) for pid in workers_seen), 30, "the orphaned workers to end")
    # the next render into the same place removes the dead process's temporary file
    assert main(["render", "params", *SMALL, "--no-manifest", f"--out={out}"]) == 0
    assert os.listdir(tmp_path) == [out.name]
    with Image.open(out) as im:
        assert im.n_frames == 4


def test_kill_9_of_a_png_render_leaves_only_complete_frames(tmp_path):
    frames = tmp_path / "frames"
    # two workers: chunks of frames are written while later ones are still being drawn
    process = subprocess.Popen(
        cli("render", "params", "--size=400x300", "--frames=all", "--epochs=400", "--workers=2", "--quiet",
            "--no-manifest", f"--out={frames}/"),
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        wait_until(lambda: frames.is_dir() and len(os.listdir(frames)) >= 5 or process.poll() is not None, 60, "frames")
        assert process.poll() is None
        process.kill()
        process.wait()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    names = os.listdir(frames)
    pngs = [n for n in names if n.endswith(".png")]
    assert pngs and all(re.fullmatch(r"frame_\d{5}\.png", n) for n in pngs)
    for name in pngs:  # each frame file is whole (written under a temporary name, then renamed)
        with Image.open(frames / name) as im:
            im.load()
    assert all(TEMP.fullmatch(n) for n in set(names) - set(pngs))
    # the next render cleans up the stale temporary and the extra frames
    assert main(["render", "params", *SMALL, "--no-manifest", f"--out={frames}/"]) == 0
    assert sorted(os.listdir(frames)) == [f"frame_{i:05d}.png" for i in range(4)]


# ---------------------------------------------------------------------------- write failures


def seed(tmp_path):
    (tmp_path / "out.gif").write_bytes(EARLIER)
    (tmp_path / "out.gif.frames.json").write_bytes(b"{}\n")
    return {n: (tmp_path / n).read_bytes() for n in os.listdir(tmp_path)}


def contents(tmp_path):
    return {n: (tmp_path / n).read_bytes() for n in os.listdir(tmp_path)}


@pytest.mark.parametrize("budget", [0, 1000, 8000], ids=["at-open", "after-header", "mid-frames"])
def test_disk_full_mid_render(tmp_path, monkeypatch, capsys, budget):
    before = seed(tmp_path)
    real_open = open
    monkeypatch.setattr(atomic, "open", lambda *a, **k: FullDisk(real_open(*a, **k), budget), raising=False)
    out = tmp_path / "out.gif"
    code = main(["render", "params", "--size=200x150", "--frames=all", "--epochs=20", "--workers=1", "--quiet", f"--out={out}"])
    assert code == 2
    assert capsys.readouterr().err == f"gdanim: error: cannot write {out}: No space left on device\n"
    assert contents(tmp_path) == before


def test_disk_full_when_flushing_to_disk(tmp_path, monkeypatch, capsys):
    """The last bytes can fail at fsync (delayed allocation); the file is not moved into place."""
    before = seed(tmp_path)

    def fsync(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(atomic.os, "fsync", fsync)
    out = tmp_path / "out.gif"
    code = main(["render", "params", *SMALL, f"--out={out}"])
    assert code == 2
    assert capsys.readouterr().err == f"gdanim: error: cannot write {out}: No space left on device\n"
    assert contents(tmp_path) == before


@pytest.mark.parametrize("error", [errno.EACCES, errno.EROFS, errno.EIO])
def test_temporary_file_cannot_be_created(tmp_path, monkeypatch, capsys, error):
    """A directory that passes the access check but refuses the write (read-only mount, ACLs, I/O error)."""
    before = seed(tmp_path)

    def refuse(*a, **k):
        raise OSError(error, os.strerror(error))

    monkeypatch.setattr(atomic, "open", refuse, raising=False)
    out = tmp_path / "out.gif"
    code = main(["render", "params", *SMALL, f"--out={out}"])
    assert code == 2
    assert capsys.readouterr().err == f"gdanim: error: cannot write {out}: {os.strerror(error)}\n"
    assert contents(tmp_path) == before


def test_disk_full_in_a_png_directory_keeps_whole_frames(tmp_path, monkeypatch, capsys):
    frames = tmp_path / "frames"
    assert main(["render", "params", *SMALL, "--no-manifest", f"--out={frames}/"]) == 0
    capsys.readouterr()  # that render's note on convergence
    earlier = contents(frames)
    real_open = open
    calls = []

    def open_until_full(*a, **k):  # the third frame file finds the disk full
        calls.append(a)
        return FullDisk(real_open(*a, **k), 0 if len(calls) >= 3 else 10**9)

    monkeypatch.setattr(atomic, "open", open_until_full, raising=False)
    code = main(["render", "params", *SMALL, "--lr=0.02", "--no-manifest", f"--out={frames}/"])
    assert code == 2
    assert capsys.readouterr().err == f"gdanim: error: cannot write {frames}/frame_00002.png: No space left on device\n"
    after = contents(frames)
    assert sorted(after) == sorted(earlier)  # the same, complete frame files: two new, the rest earlier
    assert after["frame_00003.png"] == earlier["frame_00003.png"]
    for name in after:
        with Image.open(frames / name) as im:
            im.load()


# ---------------------------------------------------------------------------- concurrency


def test_two_renders_to_the_same_path_leave_one_complete_file(tmp_path):
    out = tmp_path / "out.gif"
    out.write_bytes(EARLIER)
    runs = [
        subprocess.Popen(cli("render", "params", "--size=300x200", f"--frames=0:{n}", "--epochs=60", "--workers=1",
                             "--quiet", "--no-manifest", f"--out={out}"),
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for n in (40, 60)
    ]
    results = [p.communicate(timeout=120) for p in runs]
    assert [p.returncode for p in runs] == [0, 0], results
    assert os.listdir(tmp_path) == ["out.gif"]
    data = out.read_bytes()
    assert data.startswith(b"GIF89a") and data.endswith(b";")
    with Image.open(out) as im:
        n_frames = im.n_frames
        for i in range(n_frames):
            im.seek(i)
            im.load()
    assert n_frames in (40, 60)  # one writer's file, whole


# ---------------------------------------------------------------------------- no ffmpeg


def test_gif_needs_no_ffmpeg(tmp_path):
    """gdanim writes GIFs itself (LZW through Pillow), so no ffmpeg is no matter: no warning."""
    out = tmp_path / "out.gif"
    env = {**os.environ, "IMAGEIO_FFMPEG_EXE": "/nonexistent/ffmpeg"}
    done = subprocess.run(cli("render", "params", *SMALL, f"--out={out}"), capture_output=True, text=True,
                          env=env, timeout=120)
    # nothing about ffmpeg: the only line is the verdict on the 5-epoch run
    assert done.returncode == 0 and done.stderr.startswith("gdanim: warning: not converged after 5 epochs")
    assert len(done.stderr.splitlines()) == 1 and "ffmpeg" not in done.stderr
    with Image.open(out) as im:
        assert im.n_frames == 4


def test_mp4_without_ffmpeg_is_a_clear_error(tmp_path):
    out = tmp_path / "out.mp4"
    out.write_bytes(b"earlier mp4")
    env = {**os.environ, "IMAGEIO_FFMPEG_EXE": "/nonexistent/ffmpeg"}
    done = subprocess.run(cli("render", "params", *SMALL, f"--out={out}"), capture_output=True, text=True,
                          env=env, timeout=120)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr == (
        f"gdanim: error: cannot write {out}: MP4 needs ffmpeg, and /nonexistent/ffmpeg (set by IMAGEIO_FFMPEG_EXE) "
        "is not an executable ffmpeg; a .gif needs no ffmpeg\n"
    )
    assert os.listdir(tmp_path) == ["out.mp4"] and out.read_bytes() == b"earlier mp4"


def test_mp4_when_imageio_ffmpeg_has_no_binary(tmp_path, monkeypatch, capsys):
    def missing():
        raise RuntimeError("No ffmpeg exe could be found. Install ffmpeg on your system, or set IMAGEIO_FFMPEG_EXE.")

    monkeypatch.delenv("IMAGEIO_FFMPEG_EXE", raising=False)
    monkeypatch.setattr(mp4.imageio_ffmpeg, "get_ffmpeg_exe", missing)
    out = tmp_path / "out.mp4"
    assert main(["render", "params", *SMALL, f"--out={out}"]) == 2
    assert capsys.readouterr().err == (
        f"gdanim: error: cannot write {out}: MP4 needs ffmpeg and none was found (reinstall imageio-ffmpeg); "
        "a .gif needs no ffmpeg\n"
    )
    assert os.listdir(tmp_path) == []


def test_sigterm_to_a_forked_worker_takes_the_default_action(tmp_path):
    """A pool stops its workers with SIGTERM. gdanim's handler (SystemExit, so the parent
    can remove its temporary files) must not run in a forked worker, where the pool's
    machinery could swallow the exception and hang the render."""
    script = r"""
import multiprocessing, os, signal, sys
from gdanim.output import signals
signals.install_signal_cleanup()

def child():
    os.kill(os.getpid(), signal.SIGTERM)
    signal.pause()  # not reached: the signal ends the process

worker = multiprocessing.get_context("fork").Process(target=child)
worker.start()
worker.join(20)
print(worker.exitcode)
try:
    os.kill(os.getpid(), signal.SIGTERM)
except SystemExit as exc:  # the owner still turns SIGTERM into a clean exit
    print(exc.code)
"""
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert run.stdout.split() == [str(-signal.SIGTERM), str(128 + signal.SIGTERM)], run.stderr
