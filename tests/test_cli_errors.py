"""Bad input at the command line: one clear line, exit status 2, no traceback, nothing touched.

Every case runs ``gdanim.cli.main`` in-process (fast); a selection also runs as a real
``python -m gdanim.cli`` subprocess, which proves the exit status and the absence of a
traceback end to end. Before each run the output directory holds an earlier render
(``out.gif`` and its manifest) and a few other files; afterwards every byte of it must
be as it was, with no file added or removed.

docs/robustness.md lists these cases with the messages they produce.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
from PIL import Image

from gdanim.cli import main
from gdanim.data import BUILTIN
from gdanim.engines import ENGINES
from gdanim.losses import LOSSES
from gdanim.optim import OPTIMIZERS
from gdanim.style import STYLES
from gdanim.train import ORDERS
from gdanim.views import VIEWS

# Files in the output directory before every run; none may change.
EARLIER = {
    "out.gif": b"GIF89a earlier render, must survive",
    "out.gif.frames.json": b'{"earlier": "manifest"}\n',
    "out.frames.json": b'{"earlier": "manifest, under the name gdanim used before"}\n',
    "out.avi": b"an earlier file under the unknown suffix",
    "out.mp4": b"an earlier mp4",
    "afile": b"a regular file where a directory is expected",
    "h.npz": b"an earlier history",
}

# A small, quick render; a case overrides or removes (None) options.
BASE = {"--size": "200x150", "--frames": "0:4", "--epochs": "5", "--workers": "1", "--quiet": True, "--out": "{o}/out.gif"}


def case(id, view="params", expect="", command="render", **options):
    """``options`` use underscores for dashes: lr="0" is --lr=0, batch_size=None drops --batch-size."""
    opts = {f"--{k.replace('_', '-')}": v for k, v in options.items()}
    return pytest.param(command, view, opts, expect, id=id)


def choices(names):
    """A message that lists every valid choice, in order."""
    return ".*".join(re.escape(n) for n in names)


DATA = "{d}"
CASES = [
    # -- data files
    case("data-missing-file", data=f"{DATA}/missing.csv", expect=r"data file not found: .*/missing\.csv$"),
    case("data-empty-file", data=f"{DATA}/empty.csv", expect=r"empty\.csv: the file is empty; it needs a header row and data rows$"),
    case("data-blank-file", data=f"{DATA}/blank.csv", expect=r"blank\.csv: the file is empty"),
    case("data-header-only", data=f"{DATA}/header.csv", expect=r"header\.csv: no data rows after the header$"),
    case("data-non-numeric-cell", data=f"{DATA}/nonnum.csv", expect=r"nonnum\.csv line 3, column \"y\": not a number: 'abc'$"),
    case("data-nan", data=f"{DATA}/nan.csv",
         expect=r"nan\.csv line 3, column \"x\": missing value 'nan'; --drop-missing leaves out rows with missing values$"),
    case("data-empty-cell", data=f"{DATA}/hole.csv",
         expect=r"hole\.csv line 3, column \"y\": empty cell; --drop-missing leaves out rows with missing values$"),
    case("data-id-column", data=f"{DATA}/ids.csv",
         expect=r"ids\.csv line 2, column \"id\": not a number: 'A1'; choose columns with --x$"),
    case("data-text-target", data=f"{DATA}/ids.csv", x="x", y="id",
         expect=r"ids\.csv line 2, column \"id\": not a number: 'A1'; choose the target with --y$"),
    case("data-column-index-out-of-range", data=f"{DATA}/three.csv", x="0,4",
         expect=r"three\.csv: --x 4 is out of range: the columns are numbered 0 to 3$"),
    case("data-bad-delimiter", data=f"{DATA}/three.csv", delimiter="ab",
         expect=r"--delimiter must be one character such as ';' or ',', or tab; got 'ab'$"),
    case("data-nothing-left", data=f"{DATA}/gone.csv", drop_missing=True,
         expect=r"gone\.csv: no data rows after the header \(2 with missing values left out\)$"),
    case("data-inf", data=f"{DATA}/inf.csv", expect=r"inf\.csv line 3, column \"y\": not a finite number: 'inf'$"),
    case("data-minus-inf", data=f"{DATA}/neginf.csv", expect=r"neginf\.csv line 2, column \"x\": not a finite number: '-inf'$"),
    case("data-overflowing-number", data=f"{DATA}/overflow.csv", expect=r"overflow\.csv line 2, column \"y\": not a finite number: '1e999'$"),
    case("data-ragged-short-row", data=f"{DATA}/ragged.csv", expect=r"ragged\.csv line 3 has 1 cell, but the header has 2 columns$"),
    case("data-ragged-long-row", data=f"{DATA}/ragged_long.csv", expect=r"ragged_long\.csv line 2 has 3 cells, but the header has 2 columns$"),
    case("data-single-column", data=f"{DATA}/single.csv", expect=r"single\.csv: only one column \(\"x\"\); need at least one x column and a y column$"),
    case("data-not-utf8", data=f"{DATA}/latin1.csv", expect=r"latin1\.csv line 3: not UTF-8 text \(byte 0xe9\)"),
    case("data-header-is-data", data=f"{DATA}/noheader.csv", expect=r"noheader\.csv line 1: the header row looks like data"),
    case("data-is-a-directory", data=DATA, expect=r"is a directory, not a CSV file$"),
    case("data-unknown-x-column", data=f"{DATA}/three.csv", x="a,q", expect=r"three\.csv: no column \"q\"; the columns are \"a\", \"b\", \"c\", \"y\" \(or 0-based indices\)$"),
    case("data-x-for-builtin", x="a", expect=r"--x applies to CSV files, not to the built-in 'six-points'$"),
    case("standardize-for-builtin-function", objective="booth", standardize="all", epochs=None, steps="3",
         expect=r"--standardize and --objective conflict: train on data or on an objective, not both$"),
    case("standardize-unknown-mode", standardize="target", expect=r"--standardize must be features or all \(True means features\), got 'target'$"),
    case("standardize-constant-column", data=f"{DATA}/flat.csv", standardize="features",
         expect=r"flat\.csv: column 'c' is constant, so it cannot be standardized \(its standard deviation is 0\); leave it out$"),
    case("lr-auto-with-adam", optimizer="adam", lr="auto",
         expect=r"--lr auto is worked out for gd \(2/\(lmin\+lmax\) from the exact Hessian\); give adam a number$"),
    case("lr-auto-on-a-function", objective="rosenbrock", lr="auto", epochs=None, steps="3",
         expect=r"--lr auto needs J's exact Hessian, which linear regression, booth and bowl have and 'rosenbrock' does "
                r"not; give a number$"),
    case("data-overflowing-cost", data=f"{DATA}/huge.csv", expect=r"huge\.csv: the cost at the initial parameters is not finite"),
    case("data-bad-synthetic-spec", data="synthetic:n=0", expect=r"synthetic: n must be a whole number >= 1, got 0$"),
    case("history-missing", history="{o}/none.npz", expect=r"history file not found: .*/none\.npz$"),
    # -- training options
    case("lr-zero", lr="0", expect=r"error: --lr must be a positive finite number, got 0$"),
    case("lr-negative", lr="-0.5", expect=r"error: --lr must be a positive finite number, got -0\.5$"),
    case("lr-nan", lr="nan", expect=r"error: --lr must be a positive finite number, got nan$"),
    case("lr-inf", lr="inf", expect=r"error: --lr must be a positive finite number, got inf$"),
    case("lr-not-a-number", lr="fast", expect=r"error: --lr must be a number, got 'fast'$"),
    case("epochs-zero", epochs="0", expect=r"error: --epochs must be a whole number >= 1, got 0$"),
    case("epochs-negative", epochs="-3", expect=r"error: --epochs must be a whole number >= 1, got -3$"),
    case("steps-zero", epochs=None, steps="0", expect=r"error: --steps must be a whole number >= 1, got 0$"),
    case("steps-negative", epochs=None, steps="-1", expect=r"error: --steps must be a whole number >= 1, got -1$"),
    case("epochs-and-steps", steps="3",
         expect=r"^gdanim: error: argument --steps: not allowed with argument --epochs \(see gdanim render --help\)$"),
    case("unrecognized-argument", color="red",
         expect=r"^gdanim: error: unrecognized arguments: --color=red \(see gdanim render --help\)$"),
    case("steps-too-many-for-memory", epochs=None, steps=str(10**15), expect=r"steps need about [\d,]+ GiB of memory"),
    case("batch-size-zero", optimizer="sgd", batch_size="0", expect=r"--batch-size must be a whole number >= 1, got 0$"),
    case("batch-size-negative", optimizer="sgd", batch_size="-2", expect=r"--batch-size must be a whole number >= 1, got -2$"),
    case("batch-size-above-n", optimizer="sgd", batch_size="7", expect=r"--batch-size 7 is larger than the data \(6 rows\)$"),
    case("batch-size-with-gd", batch_size="3", expect=r"gd is full-batch; use --optimizer sgd for mini-batches$"),
    case("seed-negative", seed="-1", expect=r"error: --seed must be a whole number >= 0, got -1$"),
    case("init-not-finite", init="w=inf,b=0", expect=r"error: --init values must be finite$"),
    case("init-unreadable", init="w=a", expect=r"cannot read 'w=a' in 'w=a'; write name=value pairs like w=3,b=-1$"),
    case("init-overflowing-cost", init="w=1e200,b=0", expect=r"the cost at the initial parameters is not finite"),
    # -- names: the message lists the valid choices
    case("unknown-dataset", data="nosuch", expect=r"unknown dataset 'nosuch': .*" + choices(BUILTIN[:-1])),
    case("unknown-view", view="nosuch", expect=r"unknown view 'nosuch'; choose one of: " + choices(VIEWS)),
    case("unknown-optimizer", optimizer="newton", expect=r"unknown optimizer 'newton'; choose one of: " + choices(OPTIMIZERS)),
    case("unknown-loss", loss="huber", expect=r"unknown loss 'huber'; choose one of: " + choices(LOSSES)),
    case("unknown-style", style="neon", expect=r"unknown style 'neon'; choose one of: " + choices(STYLES)),
    case("unknown-engine", engine="fast", expect=r"unknown engine 'fast'; choose one of: " + choices(ENGINES)),
    case("unknown-order", optimizer="sgd", order="random", expect=r"unknown order 'random'; choose one of: " + choices(ORDERS)),
    case("unknown-init", init="he", expect=r"unknown init 'he'; choose one of: zeros, ones, uniform, normal, truncated-normal"),
    case("unknown-command", command="paint", view=None, expect=r"argument command: invalid choice: 'paint'"),
    # -- frames
    case("frames-malformed", frames="0:", expect=r"frame spec item '0:' is not valid: use A:B, A:B:S, N, log:N or all, with records 0\.\.5$"),
    case("frames-words", frames="first ten", expect=r"frame spec item 'first ten' is not valid"),
    case("frames-empty", frames="", expect=r"empty frame spec: use A:B, A:B:S, N, log:N or all, with records 0\.\.5$"),
    case("frames-empty-item", frames="0:2,,3", expect=r"frame spec '0:2,,3' has an empty item \(records 0\.\.5\)$"),
    case("frames-reversed", frames="5:2", expect=r"frame spec item '5:2' selects nothing: A:B needs A < B \(records 0\.\.5\)$"),
    case("frames-step-zero", frames="0:4:0", expect=r"frame spec item '0:4:0': the step must be at least 1 \(records 0\.\.5\)$"),
    case("frames-log-zero", frames="log:0", expect=r"frame spec item 'log:0': log:N needs N >= 1 \(records 0\.\.5\)$"),
    case("frames-negative", frames="-1", expect=r"frame spec item '-1': '-1' is not a whole number >= 0 \(records 0\.\.5\)$"),
    case("frames-fraction", frames="1.5", expect=r"frame spec item '1.5': '1.5' is not a whole number >= 0"),
    case("frames-out-of-range", frames="0:100", expect=r"frame spec item '0:100': record 99 is out of range: this run has records 0\.\.5$"),
    case("frames-single-out-of-range", frames="6", expect=r"frame spec item '6': record 6 is out of range: this run has records 0\.\.5$"),
    case("frames-huge-number", frames="9" * 40, expect=r"is out of range: this run has records 0\.\.5$"),
    # -- size, fps and other render options
    case("size-width-below-100", size="99x150", expect=r"--size 99x150 is out of range: each side must be 100 to 7680 pixels$"),
    case("size-height-below-100", size="200x99", expect=r"--size 200x99 is out of range: each side must be 100 to 7680 pixels$"),
    case("size-width-above-7680", size="7681x200", expect=r"--size 7681x200 is out of range: each side must be 100 to 7680 pixels$"),
    case("size-height-above-7680", size="200x7681", expect=r"--size 200x7681 is out of range: each side must be 100 to 7680 pixels$"),
    case("size-zero", size="0x0", expect=r"--size 0x0 is out of range"),
    case("size-negative", size="-200x150", expect=r"--size -200x150 is out of range"),
    case("size-malformed", size="big", expect=r"--size must look like 960x540 \(pixels\), got 'big'$"),
    case("size-half", size="200x", expect=r"--size must look like 960x540 \(pixels\), got '200x'$"),
    case("fps-zero", fps="0", expect=r"--fps must be above 0 and at most 100, got 0$"),
    case("fps-negative", fps="-5", expect=r"--fps must be above 0 and at most 100, got -5$"),
    case("fps-above-100", fps="101", expect=r"--fps must be above 0 and at most 100, got 101$"),
    case("fps-nan", fps="nan", expect=r"--fps must be above 0 and at most 100, got nan$"),
    case("fps-inf", fps="inf", expect=r"--fps must be above 0 and at most 100, got inf$"),
    case("dpi-zero", dpi="0", expect=r"--dpi must be above 0 and at most 1200, got 0$"),
    case("end-pause-negative", end_pause="-1", expect=r"--end-pause must be 0 to 60 seconds, got -1\.0$"),
    case("workers-zero", workers="0", expect=r"--workers must be a whole number >= 1, got 0$"),
    # -- output paths
    case("out-missing-directory", out="{o}/nodir/out.gif", expect=r"cannot write .*/nodir/out\.gif: directory .*/nodir does not exist$"),
    case("out-under-a-file", out="{o}/afile/out.gif", expect=r"cannot write .*/afile/out\.gif: .*/afile is not a directory$"),
    case("out-png-dir-is-a-file", out="{o}/afile/", expect=r"cannot write .*/afile/: .*/afile is not a directory$"),
    case("out-no-suffix", out="{o}/anim",
         expect=r"cannot write .*/anim: no suffix; use \.gif, \.mp4, \.webp, \.webm, \.html, or end the path with / for PNG frames$"),
    case("out-unknown-extension", out="{o}/out.avi",
         expect=r"cannot write .*/out\.avi: unknown output suffix '\.avi'; use \.gif, \.mp4, \.webp, \.webm, \.html, or end the path with / for PNG frames$"),
    case("out-mp4-odd-size", out="{o}/out.mp4", size="201x150", expect=r"--size 201x150 has an odd side: MP4 \(H\.264 yuv420p\) needs an even width and height$"),
    case("out-webm-odd-size", out="{o}/out.webm", size="200x151", expect=r"--size 200x151 has an odd side: WebM \(VP9 yuv420p\) needs an even width and height$"),
    case("quality-above-100", out="{o}/out.webp", quality="101", expect=r"--quality must be a whole number from 0 to 100, got 101$"),
    case("quality-negative", out="{o}/out.html", quality="-1", expect=r"--quality must be a whole number from 0 to 100, got -1$"),
    case("quality-not-whole", out="{o}/out.webp", quality="50.5", expect=r"argument --quality: invalid int value: '50\.5' \(see gdanim render --help\)$"),
    case("quality-on-a-gif", quality="80", expect=r"--quality applies only to \.webp and \.html outputs, not to GIF$"),
    # -- view requirements and options
    case("plane-with-one-feature", view="plane", expect=r"the plane view needs exactly two features; this data has 1$"),
    case("plane-with-three-features", view="plane", data=f"{DATA}/three.csv", expect=r"the plane view needs exactly two features; this data has 3$"),
    case("surface-three-params-no-axes", view="surface", data="six-points-2d",
         expect=r"this model has 3 parameters \(w1, w2, b\); pick two with --axes, e.g\. --axes w1,b$"),
    case("contour-four-params-no-axes", view="contour", data=f"{DATA}/three.csv",
         expect=r"this model has 4 parameters \(w1, w2, w3, b\); pick two with --axes, e.g\. --axes w1,b$"),
    case("axes-unknown-parameter", view="contour", data="six-points-2d", axes="w1,q",
         expect=r"unknown parameter 'q' in --axes; this model's parameters are w1, w2, b$"),
    case("axes-one-name", view="surface", data="six-points-2d", axes="w1", expect=r"--axes needs two different parameter names"),
    case("axes-on-params-view", axes="w,b", expect=r"--axes applies to the surface, contour and landscape views, not params$"),
    case("orbit-on-params-view", orbit="30", expect=r"--orbit applies to the surface view, not params$"),
    case("orbit-nan", view="surface", orbit="nan", expect=r"--orbit must be a finite number of degrees, got nan$"),
    case("orbit-with-celluloid", view="surface", orbit="30", engine="celluloid",
         expect=r"--orbit needs the stream engine: celluloid photographs artists, not the camera, so every frame would show the last angle$"),
    case("elev-inf", view="surface", elev="inf", expect=r"--elev must be a finite number of degrees, got inf$"),
    # -- divergence under --strict: refuses, writes nothing
    case("strict-divergence", lr="0.1", init="w=3,b=-1", epochs="500", strict=True,
         expect=r"training diverged at step 12 \(lr=0\.1\); try a smaller learning rate$"),
    # -- train
    case("train-strict-divergence-keeps-save", command="train", view=None, lr="0.1", init="w=3,b=-1", epochs="500",
         strict=True, save="{o}/h.npz", expect=r"training diverged at step 12"),
    case("train-save-missing-directory", command="train", view=None, save="{o}/nodir/h.npz",
         expect=r"cannot write .*/nodir/h\.npz: No such file or directory$"),
    case("train-lr-zero", command="train", view=None, lr="0", expect=r"--lr must be a positive finite number"),
    case("train-unrecognized-argument", command="train", view=None, frames="0:4",
         expect=r"^gdanim: error: unrecognized arguments: --frames=0:4 \(see gdanim train --help\)$"),
]

# Cases that also run as real subprocesses: at least one from each group.
SUBPROCESS = [
    "data-missing-file", "data-non-numeric-cell", "lr-zero", "lr-not-a-number", "unknown-view",
    "frames-out-of-range", "size-width-below-100", "fps-above-100", "out-under-a-file", "plane-with-one-feature",
]


# ---------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    d = tmp_path_factory.mktemp("data")
    files = {
        "empty.csv": b"",
        "blank.csv": b"\n \n\t\n",
        "header.csv": b"x,y\n",
        "nonnum.csv": b"x,y\n1,2\n3,abc\n",
        "nan.csv": b"x,y\n1,2\nnan,3\n",
        "inf.csv": b"x,y\n1,2\n2,inf\n",
        "neginf.csv": b"x,y\n-inf,2\n2,3\n",
        "overflow.csv": b"x,y\n1,1e999\n2,3\n",
        "ragged.csv": b"x,y\n1,2\n3\n",
        "ragged_long.csv": b"x,y\n1,2,3\n4,5\n",
        "single.csv": b"x\n1\n2\n",
        "latin1.csv": b"x,y\n1,2\n\xe9,3\n",
        "noheader.csv": b"1,2\n3,4\n",
        "three.csv": b"a,b,c,y\n1,2,3,4\n2,3,1,5\n3,1,2,7\n",
        "huge.csv": b"x,y\n1e200,1\n2e200,3\n3e200,2\n",
        "hole.csv": b"x,y\n1,2\n3,\n",
        "gone.csv": b"x,y\n1,\n,3\n",
        "ids.csv": b"id,x,y\nA1,1,2\nA2,2,3\n",
        "flat.csv": b"a,c,y\n1,5,2\n2,5,3\n3,5,1\n",
    }
    for name, content in files.items():
        (d / name).write_bytes(content)
    return d


BASE_RENDER_ONLY = {"--size", "--frames", "--workers", "--quiet", "--out"}


def argv_for(command, view, options, data_dir, out_dir):
    """The command line of a case, each option as --name=value (so values may start with '-')."""
    opts = {**BASE, **options}
    if command != "render":
        opts = {k: v for k, v in opts.items() if k not in BASE_RENDER_ONLY or k in options}
    argv = [command] + ([view] if view else [])
    for key, value in opts.items():
        if value is None or value is False:
            continue
        if value is True:
            argv.append(key)
        else:
            argv.append(f"{key}={value.format(d=data_dir, o=out_dir)}")
    return argv


def seed_outputs(out_dir: Path) -> dict:
    out_dir.mkdir(exist_ok=True)
    for name, content in EARLIER.items():
        (out_dir / name).write_bytes(content)
    return snapshot(out_dir)


def snapshot(directory: Path) -> dict:
    """Every file under ``directory`` (hidden ones too) and its bytes."""
    return {str(p.relative_to(directory)): p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file()}


def check_one_error_line(err: str, expect: str):
    lines = err.splitlines()
    assert len(lines) == 1, f"expected one line on stderr, got:\n{err}"
    assert "Traceback" not in err
    line = lines[0]
    assert line.startswith("gdanim: error: "), line
    assert re.search(expect, line), f"{line!r} does not match {expect!r}"


# ---------------------------------------------------------------------------- in-process


@pytest.mark.parametrize("command, view, options, expect", CASES)
def test_bad_input_in_process(command, view, options, expect, data_dir, tmp_path, capsys):
    out_dir = tmp_path / "outputs"
    before = seed_outputs(out_dir)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        code = main(argv_for(command, view, options, data_dir, out_dir))
    out, err = capsys.readouterr()
    assert code == 2
    assert out == ""
    check_one_error_line(err, expect)
    assert snapshot(out_dir) == before, "an output file was added, removed or changed"
    assert not [w for w in caught if "matplotlib" not in w.filename], [str(w.message) for w in caught]


@pytest.mark.skipif(not hasattr(os, "geteuid"), reason="POSIX permissions")
def test_unwritable_output_directory(tmp_path, capsys, monkeypatch):
    """chmod 0o500 blocks writes for a normal user; root ignores it, so as root the
    permission check is simulated (the 'under a file' case covers a real failure)."""
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "out.gif").write_bytes(b"earlier")
    locked.chmod(0o500)
    try:
        if os.geteuid() == 0:
            real_access = os.access
            monkeypatch.setattr(os, "access", lambda p, mode, **k: False if os.fspath(p) == str(locked) else real_access(p, mode, **k))
        code = main(["render", "params", "--size=200x150", "--frames=0:4", "--epochs=5", "--workers=1", "--quiet",
                     f"--out={locked}/out.gif"])
        out, err = capsys.readouterr()
        assert code == 2
        check_one_error_line(err, rf"cannot write {re.escape(str(locked))}/out\.gif: directory {re.escape(str(locked))} is not writable$")
        assert sorted(os.listdir(locked)) == ["out.gif"] and (locked / "out.gif").read_bytes() == b"earlier"
    finally:
        locked.chmod(0o700)


# ---------------------------------------------------------------------------- subprocesses


@pytest.fixture(scope="module")
def subprocess_runs(data_dir, tmp_path_factory):
    """Run the SUBPROCESS cases as real processes, all at once (each pays Python's start-up)."""
    by_id = {p.id: p.values for p in CASES}
    runs = {}
    for case_id in SUBPROCESS:
        command, view, options, expect = by_id[case_id]
        out_dir = tmp_path_factory.mktemp(case_id)
        before = seed_outputs(out_dir)
        argv = argv_for(command, view, options, data_dir, out_dir)
        process = subprocess.Popen([sys.executable, "-m", "gdanim.cli", *argv], stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True, cwd=out_dir)
        runs[case_id] = (process, out_dir, before, expect)
    results = {}
    for case_id, (process, out_dir, before, expect) in runs.items():
        out, err = process.communicate(timeout=120)
        results[case_id] = (process.returncode, out, err, snapshot(out_dir), before, expect)
    return results


@pytest.mark.parametrize("case_id", SUBPROCESS)
def test_bad_input_subprocess(case_id, subprocess_runs):
    code, out, err, after, before, expect = subprocess_runs[case_id]
    assert code == 2, err
    assert out == ""
    check_one_error_line(err, expect)
    assert after == before


# ---------------------------------------------------------------------------- divergence


DIVERGING = ["render", "params", "--data", "six-points", "--lr", "0.1", "--init", "w=3,b=-1", "--epochs", "500",
             "--size", "320x240", "--workers", "1"]


def test_divergence_renders_up_to_the_blow_up_and_warns_once(tmp_path):
    out = tmp_path / "div.gif"
    done = subprocess.run([sys.executable, "-m", "gdanim.cli", *DIVERGING, "--quiet", "--out", str(out)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    assert done.stderr.splitlines() == [
        "gdanim: warning: training diverged at step 12 (lr=0.1); try a smaller learning rate "
        "(below 2/lmax = 0.0441779 for gd; --lr auto: 0.0437956), or --strict to make this an error"
    ]
    with Image.open(out) as im:
        assert im.n_frames == 12  # records 0..11: everything before the blow-up
    json.loads((tmp_path / "div.gif.frames.json").read_text())  # a complete manifest beside it
    # the "diverged at step 12" label on the last frame: tests/test_render.py::test_status_line_and_divergence_label


def test_divergence_strict_train_json_is_not_printed(capsys):
    code = main(["train", "--lr", "0.1", "--init", "w=3,b=-1", "--epochs", "500", "--strict", "--json"])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert err == "gdanim: error: training diverged at step 12 (lr=0.1); try a smaller learning rate\n"
