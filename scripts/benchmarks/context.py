"""What a benchmark's ``run(ctx)`` gets: the options, a work directory, and whole-process measuring.

``ctx.alternate(cases)`` is the usual comparison: a gdanim command (``ctx.gdanim``) against
reference scripts (``ctx.reference``), run in turn, whole process, each case's medians and
peaks (see the package docstring for a whole benchmark built on it).
"""
from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from .measure import MB, OtherLoad, Quiet, log, run_process, summarise

ROOT = Path(__file__).resolve().parents[2]
REFERENCE_DIRS = (ROOT.parent / "shared" / "bench", Path("/work/shared/bench"))
REFERENCE_SHOWN = "../shared/bench"  # how the report names the first of REFERENCE_DIRS


@dataclass(frozen=True)
class Case:
    """One command to measure: ``key`` names it in the results, ``shown`` is how a reader types it."""

    key: str
    cmd: tuple[str, ...]
    shown: str
    output: Path | None = None  # the file it writes: its size and frame count are recorded
    timeout: float = 180.0


def byte_compile() -> None:
    """Compile gdanim's modules to bytecode, as installing it from a wheel does.

    An editable install leaves that to the first import, and with
    PYTHONDONTWRITEBYTECODE set (as on the shared machine) nothing is kept, so every
    gdanim process would compile its ~90 modules again: a few hundredths of a second
    that an installed copy never pays, nor do the references, whose libraries pip
    compiled when it installed them. Stale bytecode is never used: Python checks
    each module's source against it.
    """
    import compileall

    compileall.compile_dir(ROOT / "gdanim", quiet=1)


def gdanim_command() -> list[str]:
    script = Path(sys.executable).parent / "gdanim"
    return [str(script)] if script.exists() else [sys.executable, "-m", "gdanim.cli"]


def frame_count(path: Path) -> int | None:
    """Frames in an image file (GIF, WebP, PNG) as Pillow counts them; None if Pillow cannot open it."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as im:
            return getattr(im, "n_frames", 1)
    except UnidentifiedImageError:
        return None


@dataclass
class Context:
    work: Path  # outputs go here
    quick: bool
    runs: int  # runs of each repeated measurement (1 with --quick)
    section: str = ""  # the benchmark running now, for logs and incidents
    quiet: Quiet = field(default_factory=Quiet)
    incidents: list[str] = field(default_factory=list)  # failed or hung attempts, for the report

    def log(self, msg: str) -> None:
        log(f"{self.section}: {msg}" if self.section else msg)

    def wait_for_quiet(self) -> OtherLoad:
        """Wait for other processes to quieten, then start counting their load (for in-process timing)."""
        self.quiet.wait()
        return OtherLoad()

    # -- whole processes ----------------------------------------------------------------

    def run(self, cmd, what: str, *, timeout: float = 180, retries: int = 2, cwd=None, env=None) -> dict:
        """Measure ``cmd`` (see measure.run_process), rerun if it fails or hangs (the package may be mid-edit)."""
        what = f"{self.section} {what}" if self.section else what
        for attempt in range(retries + 1):
            result = run_process(list(cmd), timeout=timeout, quiet=self.quiet, cwd=cwd, env=env)
            if result["rc"] == 0:
                result["attempts"] = attempt + 1
                return result
            if result["rc"] == "timeout":
                problem = f"hung: killed after {timeout:g} s"
            else:
                last_line = (result["stderr"].strip().splitlines() or ["(no stderr)"])[-1]
                problem = f"exit {result['rc']}: {last_line[:300]}"
            self.incidents.append(f"{what}, attempt {attempt + 1}: {problem}")
            log(f"{what} failed, attempt {attempt + 1}: {problem}")
            time.sleep(2)
        raise RuntimeError(f"{what} failed {retries + 1} times; last stderr:\n{result['stderr'][-2000:]}")

    def alternate(self, cases: list[Case], runs: int | None = None) -> dict[str, dict]:
        """Run the cases in turn, ``runs`` rounds (default ``self.runs``); each case's figures summarised."""
        runs = self.runs if runs is None else runs
        raw: dict[str, list[dict]] = {case.key: [] for case in cases}
        for round_ in range(runs):
            for case in cases:
                res = self.run(case.cmd, case.key, timeout=case.timeout)
                note = ""
                if case.output is not None:
                    res["bytes"], res["frames"] = case.output.stat().st_size, frame_count(case.output)
                    note = f"  {res['bytes'] / MB:6.2f} MB out  {res['frames']} frames"
                raw[case.key].append(res)
                self.log(f"run {round_ + 1}/{runs} {case.key:16s} {res['wall']:7.2f} s  "
                         f"peak {res['peak_rss'] / MB:6.0f} MB{note}  other load {res['other_cores']:.2f} cores")
        return {key: summarise(results) for key, results in raw.items()}

    # -- the commands -------------------------------------------------------------------

    def gdanim(self, key: str, args: list[str], *, output: Path, timeout: float = 60) -> Case:
        """``gdanim ARGS --out OUTPUT --quiet``."""
        cmd = [*gdanim_command(), *args, "--out", str(output), "--quiet"]
        shown = " ".join(["gdanim", *args, "--out", f"OUT{output.suffix}", "--quiet"])
        return Case(key, tuple(cmd), shown, output, timeout)

    def reference(self, key: str, script: str, args: list[str], *, output: Path, timeout: float = 900) -> Case:
        """``python REFERENCE_DIR/SCRIPT ARGS OUTPUT``, run with this venv's Python."""
        cmd = [sys.executable, str(self.find_reference(script)), *args, str(output)]
        shown = " ".join(["python", f"{self.reference_shown(script)}/{script}", *args, f"OUT{output.suffix}"])
        return Case(key, tuple(cmd), shown, output, timeout)

    @staticmethod
    def find_reference(script: str) -> Path:
        """The reference script's path; a clear exit if it is in none of REFERENCE_DIRS."""
        for directory in REFERENCE_DIRS:
            if (directory / script).exists():
                return directory / script
        raise SystemExit(f"bench: cannot find the reference {script} in ../shared/bench or /work/shared/bench")

    def reference_shown(self, script: str) -> str:
        """The directory holding the reference script, as the report shows it."""
        found = self.find_reference(script).parent
        return REFERENCE_SHOWN if found == REFERENCE_DIRS[0] else str(found)
