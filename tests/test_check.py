"""``gdanim check``: exact and tolerance comparisons, their messages, refusals and reports."""
import json
import shutil

import matplotlib
import numpy as np
import pytest
from matplotlib import ft2font
from PIL import Image

import gdanim
from gdanim import cli, manifest as manifests
from gdanim.animation import animate
from gdanim.check import DEFAULT_MAX_CHANGED_FRACTION, DEFAULT_TOLERANCE, compare
from gdanim.framediff import CHANGED_LEVEL, diff_image
from gdanim.framestore import FrameKeeper
from gdanim.hashing import digest, frame_hash
from gdanim.manifest import load_manifest
from gdanim.report import frame_ranges

FRAMES = "0:31:5"  # records 0, 5, ..., 30: 7 frames


def small(lr=0.02, size=(200, 150)):
    return animate(gdanim.train("six-points", lr=lr, epochs=30), "params", FRAMES, size=size, workers=1)


def run_check(capsys, new, baseline, *options):
    code = cli.main(["check", str(new), "--baseline", str(baseline), *map(str, options)])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    """The baseline: a GIF render with its manifest and kept frames."""
    result = small().save(tmp_path_factory.mktemp("base") / "base.gif", keep_frames=True)
    return result.manifest


@pytest.fixture(scope="module")
def lr_changed(tmp_path_factory):
    """The same render with the learning rate 1% higher."""
    return small(lr=0.0202).save(tmp_path_factory.mktemp("lr") / "new.gif", keep_frames=True)


def kept_frames(manifest_path):
    with np.load(manifests.frames_path(manifest_path)) as kept:
        return [kept[name] for name in sorted(kept.files)]


def derived(directory, name, template, frames=None, hashes=None, **fields):
    """Write NAME.gif's manifest (and its frames when given) as a render of NAME.gif would."""
    if frames is not None:
        keeper = FrameKeeper(directory / f"{name}.gif")
        for rgba in frames:
            keeper.add(rgba)
        keeper.close()
        hashes = [frame_hash(f) for f in frames]
    manifest = {**load_manifest(template), **fields}
    manifest.update(frame_hashes=hashes, frames=len(hashes), digest=digest(hashes))
    manifest["output"] = {**manifest["output"], "file": f"{name}.gif"}
    return manifests.write_json(manifests.manifest_path(directory / f"{name}.gif"), manifest)


def edited(hashes, indices):
    return [("f" * 64 if i in indices else h) for i, h in enumerate(hashes)]


# --------------------------------------------------------------------------- exact mode


def test_the_same_render_matches(base, tmp_path, capsys):
    new = small().save(tmp_path / "new.gif")
    code, out, err = run_check(capsys, new.path, base)
    assert (code, err) == (0, "")
    assert out == f"OK: all 7 frames match the baseline exactly\n  new:      {new.manifest}\n  baseline: {base}\n"


def test_a_one_percent_learning_rate_change_fails_and_names_the_first_frame(base, lr_changed, capsys):
    old = load_manifest(base)["frame_hashes"]
    differing = [i for i, (a, b) in enumerate(zip(old, lr_changed.hashes)) if a != b]
    assert differing  # the change is visible
    code, out, _ = run_check(capsys, lr_changed.path, base)
    assert code == 1
    lines = out.splitlines()
    assert lines[0] == (f"FAIL: {len(differing)} of 7 frames differ from the baseline; "
                        f"first differing frame: {differing[0]}; differing frames: {frame_ranges(differing)}")
    assert lines[-1] == "  config changes: training.lr: 0.02 -> 0.0202"


def test_the_report_names_the_first_differing_frame_and_the_ranges(base, tmp_path, capsys):
    hashes = edited(load_manifest(base)["frame_hashes"], {2, 3, 4, 6})
    new = derived(tmp_path, "new", base, hashes=hashes)
    code, out, _ = run_check(capsys, new, base)
    assert code == 1
    assert out.splitlines() == [
        "FAIL: 4 of 7 frames differ from the baseline; first differing frame: 2; differing frames: 2-4, 6",
        f"  new:      {new}",
        f"  baseline: {base}",
    ]


def test_a_frame_count_change_is_stated(base, tmp_path, capsys):
    hashes = load_manifest(base)["frame_hashes"]
    shorter = derived(tmp_path, "shorter", base, hashes=hashes[:6])
    code, out, _ = run_check(capsys, shorter, base)
    assert (code, out.splitlines()[0]) == (
        1, "FAIL: frame count changed: the baseline has 7 frames, new has 6; the first 6 frames match")
    longer = derived(tmp_path, "longer", base, hashes=edited(hashes, {1}) + [hashes[-1]])
    code, out, _ = run_check(capsys, longer, base)
    assert (code, out.splitlines()[0]) == (
        1, "FAIL: frame count changed: the baseline has 7 frames, new has 8; "
           "among the first 7: first differing frame: 1; differing frames: 1")


def test_a_size_change_is_stated(base, tmp_path, capsys):
    new = small(size=(220, 150)).save(tmp_path / "wide.gif")
    code, out, _ = run_check(capsys, new.path, base)
    assert (code, out.splitlines()[0]) == (1, "FAIL: frame size changed: the baseline is 200x150 pixels, new is 220x150")
    assert "  config changes: render.size: [200, 150] -> [220, 150]" in out.splitlines()


def test_another_matplotlib_or_freetype_is_explained(base, lr_changed, tmp_path, capsys):
    versions = {**load_manifest(base)["versions"], "matplotlib": "3.0.0", "freetype": "2.6.1"}
    old = derived(tmp_path, "old", base, hashes=load_manifest(base)["frame_hashes"], versions=versions)
    code, out, _ = run_check(capsys, lr_changed.path, old)
    assert code == 1
    assert (f"  environment: the baseline was made with matplotlib 3.0.0 and FreeType 2.6.1, new with matplotlib "
            f"{matplotlib.__version__} and FreeType {ft2font.__freetype_version__}; text and antialiasing change "
            "between these versions, so exact hashes cannot be expected to match. Compare pixels with --tolerance "
            "(the baseline needs its NAME.frames.npz, from --keep-frames) or regenerate the baseline in this "
            "environment") in out.splitlines()
    changed_settings = compare(lr_changed.manifest, old)
    assert changed_settings.environment.startswith("the baseline was made with matplotlib 3.0.0")
    assert changed_settings.config_changes == ["training.lr: 0.02 -> 0.0202"]
    assert not changed_settings.blames_environment  # the settings changed: a real difference
    # Equal frames pass whatever the versions.
    same = compare(base, old)
    assert same.ok and same.environment is None and "environment" not in same.message
    # Same settings, different frames: the versions may be why.
    other = derived(tmp_path, "other", base, hashes=edited(load_manifest(base)["frame_hashes"], {4}))
    blamed = compare(other, old)
    assert not blamed.ok and blamed.differing == [4] and blamed.config_changes == []
    assert blamed.blames_environment


def test_decoded_gif_hashes_are_not_compared_with_rendered_ones(base, tmp_path, capsys):
    shutil.copy(base.with_name("base.gif"), tmp_path / "lonely.gif")  # no manifest beside it
    code, out, err = run_check(capsys, tmp_path / "lonely.gif", base)
    assert (code, out) == (2, "")
    assert err.startswith(f"gdanim: error: cannot compare hashes: the new manifest hashes frames decoded from a GIF "
                          f"({tmp_path / 'lonely.gif'} (decoded)), the other hashes rendered frames; GIF frames are "
                          "palette-quantised, so no frame could match.")
    assert err.count("\n") == 1


def test_hashes_of_two_decoded_gifs_compare_exactly(base, tmp_path, capsys):
    shutil.copy(base.with_name("base.gif"), tmp_path / "a.gif")
    (tmp_path / "a.json").write_text(manifests.dumps(manifests.hash_file(tmp_path / "a.gif")))
    small().save(tmp_path / "b.gif", manifest=False)
    code, out, _ = run_check(capsys, tmp_path / "b.gif", tmp_path / "a.json")
    assert (code, out.splitlines()[0]) == (0, "OK: all 7 frames match the baseline exactly")


def test_a_png_directory_without_a_manifest_is_decoded_losslessly(base, tmp_path, capsys):
    small().save(f"{tmp_path / 'frames'}/", manifest=False)
    code, out, _ = run_check(capsys, tmp_path / "frames", base)
    assert code == 0
    assert out.splitlines()[:2] == ["OK: all 7 frames match the baseline exactly",
                                    f"  new:      {tmp_path / 'frames'} (decoded)"]


def test_a_manifest_under_the_earlier_name_is_read_only_for_the_output_it_names(tmp_path, capsys):
    """gdanim used to name the manifest of out.gif and of out.mp4 alike: out.frames.json."""
    earlier = tmp_path / "out.frames.json"
    small().save(tmp_path / "out.mp4").manifest.rename(earlier)
    small().save(tmp_path / "out.gif", manifest=False)
    code, out, _ = run_check(capsys, tmp_path / "out.mp4", tmp_path / "out.mp4")
    assert code == 0 and out.splitlines()[1] == f"  new:      {earlier}"
    code, out, _ = run_check(capsys, tmp_path / "out.gif", tmp_path / "out.gif")  # out.mp4's: not used
    assert code == 0 and out.splitlines()[1] == f"  new:      {tmp_path / 'out.gif'} (decoded)"
    small().save(tmp_path / "out.mp4")  # the current name, once there, wins
    code, out, _ = run_check(capsys, tmp_path / "out.mp4", earlier)
    assert code == 0 and out.splitlines()[1:] == [f"  new:      {tmp_path / 'out.mp4.frames.json'}",
                                                  f"  baseline: {earlier}"]


def test_a_manifest_left_from_an_earlier_render_is_refused(tmp_path, capsys):
    small().save(tmp_path / "out.gif")
    small(lr=0.0202).save(tmp_path / "out.gif", manifest=False)  # the old manifest stays
    code, _, err = run_check(capsys, tmp_path / "out.gif", tmp_path / "out.gif.frames.json")
    assert code == 2
    assert err == (f"gdanim: error: {tmp_path / 'out.gif.frames.json'} describes an earlier render, not the current "
                   f"{tmp_path / 'out.gif'}: render again with its manifest (without --no-manifest), or delete it "
                   "to compare decoded frames\n")


@pytest.mark.parametrize("name, content, message", [
    ("gone.frames.json", None, "new {path}: no such file or directory"),
    ("notes.txt", "hello", "new {path}: expected a .frames.json manifest, an output (.gif, .mp4, .webp, .webm, .html) "
                           "or a PNG directory"),
    ("player.html", "<p>", "new {path}: no manifest {dir}/player.html.frames.json beside it, and HTML frames cannot be "
                           "decoded exactly; render it again without --no-manifest"),
    ("clip.mp4", "not really", "new {path}: no manifest {dir}/clip.mp4.frames.json beside it, and MP4 frames cannot be "
                               "decoded exactly; render it again without --no-manifest"),
])
def test_unusable_inputs_are_one_line_errors(base, tmp_path, capsys, name, content, message):
    if content is not None:
        (tmp_path / name).write_text(content)
    code, out, err = run_check(capsys, tmp_path / name, base)
    assert (code, out) == (2, "")
    assert err == "gdanim: error: " + message.format(path=tmp_path / name, dir=tmp_path) + "\n"


# --------------------------------------------------------------------------- tolerance mode


def with_faint_line(frame):
    """The frame with a 60-pixel, one-pixel-wide line drawn into it, 20 levels off the pixels below."""
    out = frame.copy()
    below = out[40, 20:80, :3]
    out[40, 20:80, :3] = np.where(below >= 20, below - 20, below + 20)
    return out


def test_tolerance_defaults_catch_a_one_pixel_line_that_rms_alone_misses(base, tmp_path, capsys):
    frames = kept_frames(base)
    frames[3] = with_faint_line(frames[3])
    new = derived(tmp_path, "new", base, frames=frames)
    outcome = compare(new, base, tolerance=DEFAULT_TOLERANCE)
    line = outcome.stats[3]
    assert line.rms <= DEFAULT_TOLERANCE  # RMS alone would pass this frame...
    assert line.changed == 60 and line.changed_fraction > DEFAULT_MAX_CHANGED_FRACTION  # ...the fraction does not
    assert not outcome.ok and outcome.differing == [3]
    assert set(outcome.stats) == {3}  # frames with equal hashes are not even loaded
    assert compare(new, base, tolerance=DEFAULT_TOLERANCE, max_changed_fraction=1.0).ok
    code, out, _ = run_check(capsys, new, base, "--tolerance", DEFAULT_TOLERANCE)
    assert code == 1
    assert out.splitlines()[:2] == [
        "FAIL: 1 of 7 frames differs from the baseline beyond tolerance (RMS <= 1, changed pixels <= 0.01%); "
        "first differing frame: 3; differing frames: 3",
        f"  frame 3: RMS {line.rms:.3f}, changed pixels 0.2% (60 of 30000)",
    ]


def test_tolerance_passes_small_differences(base, tmp_path, capsys):
    frames = kept_frames(base)
    frames[5] = frames[5].copy()
    frames[5][10:20, 10:20, :3] ^= 1  # 100 pixels off by one level: below CHANGED_LEVEL
    new = derived(tmp_path, "new", base, frames=frames)
    code, out, _ = run_check(capsys, new, base, "--max-changed-fraction", "0")
    assert code == 0
    assert out.splitlines()[0] == ("OK: all 7 frames within tolerance (RMS <= 1, changed pixels <= 0%); largest "
                                   "difference: frame 5: RMS 0.058, changed pixels 0% (0 of 30000)")
    assert CHANGED_LEVEL == 8


def test_tolerance_mode_needs_the_baseline_frames(base, lr_changed, tmp_path, capsys):
    bare = derived(tmp_path, "bare", base, hashes=load_manifest(base)["frame_hashes"])  # no .frames.npz
    code, out, err = run_check(capsys, lr_changed.manifest, bare, "--tolerance", "2")
    assert (code, out) == (2, "")
    assert err == (f"gdanim: error: comparing pixels needs the baseline frames: {tmp_path / 'bare.gif.frames.npz'} is "
                   "missing; render with --keep-frames to keep them\n")
    # Identical frames need no pixels at all.
    assert compare(bare, bare, tolerance=2).ok


def test_kept_frames_from_an_earlier_render_are_refused(base, lr_changed, tmp_path, capsys):
    shutil.copy(lr_changed.manifest, tmp_path / "mixed.frames.json")
    shutil.copy(manifests.frames_path(base), tmp_path / "mixed.frames.npz")
    first = next(i for i, (a, b) in enumerate(zip(load_manifest(base)["frame_hashes"], lr_changed.hashes)) if a != b)
    code, _, err = run_check(capsys, tmp_path / "mixed.frames.json", base, "--tolerance", "1")
    assert code == 2
    assert err == (f"gdanim: error: {tmp_path / 'mixed.frames.npz'}: frame {first} does not match the manifest's hash; "
                   "the file is left from an earlier render (render again with --keep-frames)\n")


@pytest.mark.parametrize("option, value, message", [
    ("--tolerance", "-1", "--tolerance must be an RMS from 0 to 255, got -1.0"),
    ("--tolerance", "nan", "--tolerance must be an RMS from 0 to 255, got nan"),
    ("--max-changed-fraction", "1.5", "--max-changed-fraction must be from 0 to 1, got 1.5"),
])
def test_limits_are_checked(base, capsys, option, value, message):
    code, _, err = run_check(capsys, base, base, option, value)
    assert (code, err) == (2, f"gdanim: error: {message}\n")


# --------------------------------------------------------------------------- reports


def test_report_has_diff_images_and_a_summary(base, tmp_path, capsys):
    frames = kept_frames(base)
    frames[3] = with_faint_line(frames[3])
    new = derived(tmp_path, "new", base, frames=frames)
    report = tmp_path / "report"
    code, out, _ = run_check(capsys, new, base, "--tolerance", "1", "--report", report)
    assert code == 1
    assert out.splitlines()[-1] == f"  report:   {report / 'index.html'}"
    summary = json.loads((report / "summary.json").read_text())
    assert (summary["ok"], summary["mode"], summary["first_difference"], summary["differing"]) == (
        False, "tolerance", 3, [3])
    assert summary["limits"] == {"tolerance": 1.0, "max_changed_fraction": DEFAULT_MAX_CHANGED_FRACTION,
                                 "changed_level": 8}
    assert summary["images"] == {"3": {"new": "frame_00003-new.png", "baseline": "frame_00003-baseline.png",
                                       "diff": "frame_00003-diff.png"}}
    assert [s["frame"] for s in summary["frame_stats"]] == [3] and summary["frame_stats"][0]["changed"] == 60
    np.testing.assert_array_equal(np.asarray(Image.open(report / "frame_00003-new.png")), frames[3])
    diff = np.asarray(Image.open(report / "frame_00003-diff.png"))
    changed = np.argwhere(diff[..., 1:].max(axis=-1) < diff[..., 0])
    assert {tuple(p) for p in changed} == {(40, x) for x in range(20, 80)}
    page = (report / "index.html").read_text()
    assert "gdanim check: FAIL" in page and 'src="frame_00003-diff.png"' in page


def test_exact_mode_report_without_baseline_frames_still_shows_the_new_ones(base, lr_changed, tmp_path, capsys):
    bare = derived(tmp_path, "bare", base, hashes=load_manifest(base)["frame_hashes"])
    report = tmp_path / "report"
    code, _, _ = run_check(capsys, lr_changed.manifest, bare, "--report", report)
    assert code == 1
    summary = json.loads((report / "summary.json").read_text())
    assert all(set(v) == {"new"} for v in summary["images"].values())
    assert len(summary["images"]) == len(summary["differing"])
    assert summary["notes"] == [f"no baseline images: comparing pixels needs the baseline frames: "
                                f"{tmp_path / 'bare.gif.frames.npz'} is missing; render with --keep-frames to keep them"]


def test_diff_image_amplifies_every_difference():
    base = np.full((1, 3, 4), 120, np.uint8)
    new = base.copy()
    new[0, 1, 2] += 1
    new[0, 2, 0] -= 30
    out = diff_image(new, base)
    assert out.tolist() == [[[30, 30, 30], [72, 0, 0], [255, 0, 0]]]


def test_frame_ranges():
    assert frame_ranges([0]) == "0"
    assert frame_ranges([1, 2, 3, 5, 7, 8]) == "1-3, 5, 7-8"
    assert frame_ranges(range(0, 40, 2)) == "0, 2, 4, 6, 8, 10, 12, 14, ... (20 ranges in all)"
