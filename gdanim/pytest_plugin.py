"""pytest plugin (entry point ``pytest11``): compare animations with frame-hash baselines.

::

    def test_params_view(gdanim_check):
        history = gdanim.train("six-points", lr=0.05, epochs=30)
        gdanim_check(animate(history, "params", "0:28:4", size=(200, 150), workers=1), name="params")

The fixture renders into the test's tmp_path and compares the frames with
``<baseline dir>/<name>.frames.json`` exactly as ``gdanim check`` does, failing with
the same message. ``--gdanim-generate`` writes the baselines instead (and their
frames, for checks given a tolerance), each with a contact sheet ``NAME.contact.png``
to review (every Nth frame, numbered) and, with ``--gdanim-keep-frames``, the
animation itself (``NAME.gif``). ``--gdanim-report-dir DIR`` puts the diff report of a
failing check in ``DIR/NAME/``, where CI can upload it. A baseline made with the same settings but
another matplotlib or FreeType cannot be expected to match, so when its frames
differ the test is skipped with the reason, unless ``--gdanim-strict`` makes it fail.

gdanim is imported only when the fixture is used: pytest loads this module in every
run of every project installed beside gdanim.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

#: Where baselines live, under the rootdir, unless --gdanim-baseline-dir says otherwise.
DEFAULT_BASELINE_DIR = "tests/baselines"

_WRITTEN = pytest.StashKey[list]()


def pytest_addoption(parser):
    group = parser.getgroup("gdanim", "gdanim frame-hash baselines")
    group.addoption("--gdanim-baseline-dir", metavar="DIR",
                    help=f"where the NAME.frames.json baselines live (default: {DEFAULT_BASELINE_DIR} under the rootdir)")
    group.addoption("--gdanim-generate", action="store_true",
                    help="write the baselines instead of comparing with them")
    group.addoption("--gdanim-strict", action="store_true",
                    help="fail, rather than skip, when a baseline was made with another matplotlib or FreeType")
    group.addoption("--gdanim-keep-frames", action="store_true",
                    help="with --gdanim-generate, also write each animation as NAME.gif beside its baseline")
    group.addoption("--gdanim-report-dir", metavar="DIR",
                    help="write the diff report of each failing check into DIR/NAME/ (default: the test's tmp_path)")


def pytest_configure(config):
    config.stash[_WRITTEN] = []


def pytest_terminal_summary(terminalreporter, config):
    written = config.stash.get(_WRITTEN, [])
    if written:
        terminalreporter.write_line(f"gdanim: wrote {len(written)} baseline file(s) to {baseline_dir(config)}")


def baseline_dir(config) -> Path:
    """--gdanim-baseline-dir (relative to where pytest was started), else tests/baselines under the rootdir."""
    option = config.getoption("gdanim_baseline_dir")
    if option:
        return Path(config.invocation_params.dir, option)
    return Path(config.rootpath, DEFAULT_BASELINE_DIR)


@pytest.fixture
def gdanim_check(request, tmp_path):
    """``gdanim_check(anim, name, *, tolerance=None, max_changed_fraction=None)``.

    Renders ``anim`` (a ``gdanim.animation.Animation``) and compares it with the
    baseline ``name``: exact frame hashes, or pixels when a tolerance or fraction is
    given (the baseline then needs its frames, which --gdanim-generate keeps).
    Returns the CheckResult; returns None when generating.
    """
    config = request.config

    def check(anim, name: str, *, tolerance=None, max_changed_fraction=None):
        from .check import compare
        from .contact_sheet import write_contact_sheet
        from .decode import png_frame_files
        from .errors import GdanimError
        from .manifest import FRAMES_SUFFIX, MANIFEST_SUFFIX, frames_path
        from .output.atomic import atomic_path

        if not isinstance(name, str) or not name or Path(name).name != name or name.startswith("."):
            raise ValueError(f"gdanim_check: name must be a plain file name, got {name!r}")
        pixels = tolerance is not None or max_changed_fraction is not None
        generate = config.getoption("gdanim_generate")
        baseline = baseline_dir(config) / f"{name}{MANIFEST_SUFFIX}"
        rendered = anim.save(f"{tmp_path / name}/", keep_frames=generate and pixels)  # PNG frames: lossless
        if generate:
            baseline.parent.mkdir(parents=True, exist_ok=True)
            copies = [(rendered.manifest, baseline)]
            if pixels:
                copies.append((frames_path(rendered.manifest), baseline.with_name(f"{name}{FRAMES_SUFFIX}")))
            for source, target in copies:
                with atomic_path(target) as temp:
                    shutil.copyfile(source, temp)
                config.stash[_WRITTEN].append(target)
            sheet = baseline.with_name(f"{name}.contact.png")
            config.stash[_WRITTEN].append(write_contact_sheet(sheet, png_frame_files(rendered.path)))
            if config.getoption("gdanim_keep_frames"):
                config.stash[_WRITTEN].append(anim.save(baseline.with_name(f"{name}.gif"), manifest=False).path)
            return None
        if not baseline.is_file():
            pytest.fail(f"no baseline {baseline}: run pytest --gdanim-generate to write it, "
                        "then review it and commit it", pytrace=False)
        try:
            limits = dict(tolerance=tolerance, max_changed_fraction=max_changed_fraction)
            shared = config.getoption("gdanim_report_dir")  # there, only failures leave a report
            private = None if shared else tmp_path / f"{name}-report"
            outcome = compare(rendered.manifest, baseline, **limits, report_dir=private)
            if shared and not outcome.ok:
                report = Path(config.invocation_params.dir, shared, name)
                outcome = compare(rendered.manifest, baseline, **limits, report_dir=report)
        except GdanimError as exc:
            pytest.fail(str(exc), pytrace=False)
        if outcome.ok:
            return outcome
        if outcome.blames_environment and not config.getoption("gdanim_strict"):
            pytest.skip(outcome.message)
        pytest.fail(outcome.message, pytrace=False)

    return check
