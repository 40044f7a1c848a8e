"""The pytest plugin: every view against tests/baselines, and how the plugin behaves.

Baselines are regenerated only on purpose: ``scripts/test tests/test_plugin.py --gdanim-generate``.
"""
import numpy as np
import pytest

import gdanim
from gdanim import hashing, manifest as manifests
from gdanim.animation import animate

pytest_plugins = ["pytester"]


@pytest.mark.parametrize("view, data, lr, style", [
    ("params", "six-points", 0.02, "light"),
    ("residuals", "six-points", 0.02, "light"),
    ("surface", "six-points", 0.02, "light"),
    ("contour", "six-points", 0.02, "light"),
    ("plane", "six-points-2d", 0.01, "light"),
    ("params", "six-points", 0.02, "article"),
])
def test_view_matches_its_baseline(gdanim_check, view, data, lr, style):
    history = gdanim.train(data, lr=lr, epochs=30)
    anim = animate(history, view, "0:31:5", size=(200, 150), style=style, workers=1)
    gdanim_check(anim, name=f"{view}-{style}")


TEST_FILE = """
import gdanim
from gdanim.animation import animate


def test_small(gdanim_check):
    history = gdanim.train("six-points", lr={lr}, epochs=30)
    gdanim_check(animate(history, "params", "0:31:10", size=(160, 120), workers=1), name="small"{options})
"""


def write_test(pytester, lr=0.02, options=""):
    pytester.makepyfile(test_small=TEST_FILE.format(lr=lr, options=options))


def run(pytester, *args):
    """pytest on the test file, in this process, without hypothesis's slow end-of-run summary."""
    return pytester.runpytest("-p", "no:hypothesispytest", *args)


def test_generate_then_pass_then_fail_like_gdanim_check(pytester):
    write_test(pytester)
    generated = run(pytester, "--gdanim-generate")
    generated.assert_outcomes(passed=1)
    baselines = pytester.path / "tests" / "baselines"
    assert sorted(p.name for p in baselines.iterdir()) == ["small.contact.png", "small.frames.json"]
    generated.stdout.fnmatch_lines([f"gdanim: wrote 2 baseline file(s) to {baselines}"])
    run(pytester).assert_outcomes(passed=1)

    write_test(pytester, lr=0.0202)
    failed = run(pytester)
    failed.assert_outcomes(failed=1)
    failed.stdout.fnmatch_lines([
        "FAIL: * of 4 frames differ from the baseline; first differing frame: *; differing frames: *",
        "  new:      */small.frames.json",
        f"  baseline: {baselines / 'small.frames.json'}",
        "  config changes: training.lr: 0.02 -> 0.0202",
        "  report:   */small-report/index.html",
    ])


def test_a_missing_baseline_fails_and_says_how_to_make_it(pytester):
    write_test(pytester)
    result = run(pytester)
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines([f"no baseline {pytester.path}/tests/baselines/small.frames.json: "
                                 "run pytest --gdanim-generate to write it, then review it and commit it"])


def test_another_matplotlib_skips_unless_strict(pytester):
    write_test(pytester)
    run(pytester, "--gdanim-generate").assert_outcomes(passed=1)
    baseline = pytester.path / "tests" / "baselines" / "small.frames.json"
    manifest = manifests.load_manifest(baseline)
    manifest["versions"]["matplotlib"] = "3.0.0"
    manifests.write_json(baseline, manifest)
    run(pytester).assert_outcomes(passed=1)  # equal frames pass whatever the versions

    # The same settings, frames that differ: as another matplotlib would render them.
    manifest["frame_hashes"][2] = "0" * 64
    manifest["digest"] = hashing.digest(manifest["frame_hashes"])
    manifests.write_json(baseline, manifest)
    skipped = run(pytester, "-rs")
    skipped.assert_outcomes(skipped=1)
    skipped.stdout.fnmatch_lines(["SKIPPED * FAIL: 1 of 4 frames differs from the baseline; first differing frame: 2*",
                                  "  environment: the baseline was made with matplotlib 3.0.0 and FreeType *"])
    strict = run(pytester, "--gdanim-strict")
    strict.assert_outcomes(failed=1)
    strict.stdout.fnmatch_lines(["  environment: the baseline was made with matplotlib 3.0.0 and FreeType *"])

    # Changed settings are a real difference, whatever the versions.
    write_test(pytester, lr=0.0202)
    changed = run(pytester)
    changed.assert_outcomes(failed=1)
    changed.stdout.fnmatch_lines(["  config changes: training.lr: 0.02 -> 0.0202"])


def test_baseline_dir_option_and_tolerance_checks_keep_frames(pytester):
    write_test(pytester, options=", tolerance=1.0")
    run(pytester, "--gdanim-generate", "--gdanim-baseline-dir", "golden").assert_outcomes(passed=1)
    golden = pytester.path / "golden"
    assert sorted(p.name for p in golden.iterdir()) == ["small.contact.png", "small.frames.json", "small.frames.npz"]
    run(pytester, "--gdanim-baseline-dir", "golden").assert_outcomes(passed=1)

    write_test(pytester, lr=0.0202, options=", tolerance=1.0")
    failed = run(pytester, "--gdanim-baseline-dir", "golden")
    failed.assert_outcomes(failed=1)
    failed.stdout.fnmatch_lines(["FAIL: * of 4 frames differ from the baseline beyond tolerance (RMS <= 1, *"])


# ---------------------------------------------------------------------------- review: contact sheets, reports


def test_generate_writes_a_contact_sheet_of_the_frames(pytester):
    from PIL import Image

    from gdanim.contact_sheet import GAP, LABEL_SIZE

    write_test(pytester)
    run(pytester, "--gdanim-generate").assert_outcomes(passed=1)
    with Image.open(pytester.path / "tests" / "baselines" / "small.contact.png") as image:
        sheet = np.asarray(image.convert("RGB"))
    # four 160x120 frames (records 0, 10, 20, 30), small enough to tile at full size, in one row
    tile_h, label_h = 120, LABEL_SIZE + 6
    assert sheet.shape == (GAP + tile_h + label_h + GAP, GAP + 4 * (160 + GAP), 3)
    history = gdanim.train("six-points", lr=0.02, epochs=30)
    frames = list(animate(history, "params", "0:31:10", size=(160, 120), workers=1).frames())
    for i, frame in enumerate(frames):
        x = GAP + i * (160 + GAP)
        np.testing.assert_array_equal(sheet[GAP:GAP + tile_h, x:x + 160], frame)
        label = sheet[GAP + tile_h:GAP + tile_h + label_h, x:x + 160]
        assert (label < 128).any()  # "frame i" written under each tile


def test_keep_frames_writes_the_animation_beside_the_baseline(pytester):
    from PIL import Image

    write_test(pytester)
    run(pytester, "--gdanim-generate", "--gdanim-keep-frames").assert_outcomes(passed=1)
    baselines = pytester.path / "tests" / "baselines"
    assert sorted(p.name for p in baselines.iterdir()) == ["small.contact.png", "small.frames.json", "small.gif"]
    with Image.open(baselines / "small.gif") as gif:
        assert gif.n_frames == 4 and gif.size == (160, 120)


def test_report_dir_collects_failure_reports(pytester):
    write_test(pytester)
    run(pytester, "--gdanim-generate").assert_outcomes(passed=1)
    run(pytester, "--gdanim-report-dir", "reports").assert_outcomes(passed=1)
    assert not (pytester.path / "reports").exists()  # passing checks leave nothing to upload
    write_test(pytester, lr=0.0202)
    failed = run(pytester, "--gdanim-report-dir", "reports")
    failed.assert_outcomes(failed=1)
    report = pytester.path / "reports" / "small"
    failed.stdout.fnmatch_lines([f"  report:   {report / 'index.html'}"])
    assert {"index.html", "summary.json"} <= {p.name for p in report.iterdir()}
    # exact baselines keep no frames, so the report shows the new ones: frames 1-3 differ
    assert sorted(p.name for p in report.glob("frame_*.png")) == [f"frame_0000{i}-new.png" for i in (1, 2, 3)]


@pytest.mark.parametrize("n, chosen", [
    (1, [0]),
    (5, [0, 1, 2, 3, 4]),
    (24, list(range(24))),
    (25, list(range(0, 25, 2))),
    (120, list(range(0, 120, 5)) + [119]),
])
def test_contact_sheet_frames(n, chosen):
    from gdanim.contact_sheet import chosen_frames

    assert chosen_frames(n) == chosen
