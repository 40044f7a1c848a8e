"""The command line on objectives: train and render with --objective, and its bad input."""
import json
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image
from test_cli_errors import check_one_error_line, seed_outputs, snapshot

import gdanim
from gdanim.cli import main

RENDER = ["render", "contour", "--size=160x120", "--frames=0:4", "--workers=1", "--quiet"]


def test_train_objective_json(capsys):
    code = main(["train", "--objective", "rosenbrock", "--start=-1.2,1", "--optimizer", "adam", "--lr", "0.05",
                 "--steps", "200", "--schedule", "exp:0.99", "--json"])
    out, err = capsys.readouterr()
    assert code == 0
    s = json.loads(out)
    assert s["objective"] == "rosenbrock" and s["gradient"] == "exact" and s["data"] is None
    assert s["params"] == ["x", "y"] and s["steps"] == 200
    assert s["initial"] == {"x": -1.2, "y": 1.0, "J": pytest.approx(24.2, rel=1e-14)}
    assert s["optimum"] == {"x": 1.0, "y": 1.0, "J": 0.0}
    assert s["lr"] == {"schedule": "exp:0.99", "first": 0.05, "last": pytest.approx(0.05 * 0.99**199, rel=1e-14),
                       "auto": False}
    # no Hessian, so no learning-rate guidance; the optimum is known, so a verdict, at J's recent rate of fall
    assert s["learning_rates"] is None and s["standardize"] is None
    J = gdanim.train(objective="rosenbrock", start="-1.2,1", optimizer="adam", lr=0.05, steps=200,
                     schedule="exp:0.99").J  # the same run in Python; J* = 0, so gaps are J themselves
    rate = (J[200] / J[100]) ** (1 / 100)
    more = int(np.ceil(np.log(1e-6 * 24.2 / J[200]) / np.log(rate)))
    assert s["convergence"] == {"converged": False, "J": J[200], "optimum_J": 0.0, "gap": J[200], "relative_to": "initial",
                                "percent": pytest.approx(100 * J[200] / 24.2, rel=1e-14), "tolerance": 1e-6,
                                "more_epochs": more, "estimate": "recent rate", "reason": None}
    assert err == f"gdanim: warning: not converged after 200 steps: J = {J[200]:.6g} is above the optimum 0 by " \
                  f"{100 * J[200] / 24.2:.3g}% of the initial J; about {more:,} more steps at its recent rate would " \
                  "bring it within 1e-06\n"


def test_train_expression_with_params_and_stop_at(capsys):
    code = main(["train", "--objective", "x**2 + 10*y**2", "--params", "y,x", "--start=1,1", "--lr", "0.04",
                 "--steps", "1000", "--stop-at", "grad:1e-6", "--json"])
    s = json.loads(capsys.readouterr().out)
    assert code == 0 and s["params"] == ["y", "x"] and s["stop_reason"] == "stop_at"
    # y shrinks by 1 - 0.04*20 = 0.2 a step, x by 1 - 0.04*2 = 0.92: x decides when |grad| <= 1e-6
    assert s["stopped_at"] == s["steps"] == int(np.ceil(np.log(1e-6 / 2) / np.log(0.92)))


def test_train_table_for_a_function(capsys):
    code = main(["train", "--objective", "saddle", "--lr", "0.1", "--steps", "100"])
    lines = capsys.readouterr().out.splitlines()
    assert code == 0
    assert lines[0] == "objective saddle   gd, lr 0.1, 30 steps"
    assert [line.split()[0] for line in lines[2:]] == ["initial", "final", "stopped"]
    assert lines[-1] == "stopped at step 30: left the bound"


def test_render_contour_of_an_objective(tmp_path, capsys):
    out = tmp_path / "r.gif"
    code = main([*RENDER, "--objective", "himmelblau", "--optimizer", "momentum", "--lr", "0.005", "--steps", "4",
                 f"--out={out}"])
    assert code == 0
    with Image.open(out) as im:
        assert im.n_frames == 4 and im.size == (160, 120)
    manifest = json.loads((tmp_path / "r.gif.frames.json").read_text())
    assert manifest["config"]["training"]["objective"] == {"kind": "function", "text": "himmelblau"}


BAD = [
    (["--objective", "rosenbrok"], r"unknown objective 'rosenbrok' in --objective; choose one of: rosenbrock, beale"),
    (["--objective", "bowl:kappa=abc"], r"--objective: bowl kappa must be a number, got 'abc'$"),
    (["--objective", "x**2 +* y"], r"--objective 'x\*\*2 \+\* y': unexpected '\*' at position 6$"),
    (["--objective", "x + (y"], r"the '\(' at position 4 is not closed"),
    (["--objective", "gamma(x) + y"], r"unknown function 'gamma'"),
    (["--objective", "x[1] + y"], r"'\[' at position 1 is not allowed"),
    (["--objective", "2 + 3"], r"has no parameters"),
    (["--objective", "x**2 + y", "--params", "x"], r"'y' is missing"),
    (["--objective", "rosenbrock", "--params", "x,y"], r"params applies to expressions"),
    (["--objective", "rosenbrock", "--start=1,2,3"], r"--start needs 2 values \(x, y\), got 3$"),
    (["--objective", "rosenbrock", "--start=a,b"], r"unknown init 'a,b'"),
    (["--objective", "rosenbrock", "--data", "six-points"], r"--data and --objective conflict"),
    (["--objective", "rosenbrock", "--loss", "sse"], r"--loss applies to --data"),
    (["--objective", "rosenbrock", "--batch-size", "2"], r"--batch-size applies to objectives with data"),
    (["--objective", "booth", "--schedule", "step:every=2,factor=0"], r"gives learning rate 0 at step 2;"),
    (["--objective", "booth", "--schedule", "exp:-1"], r"gives learning rate -0\.01 at step 1;"),
    (["--objective", "booth", "--schedule", "inverse:nan"], r"not a finite number"),
    (["--objective", "booth", "--schedule", "warmup:3"], r"unknown schedule 'warmup:3'"),
    (["--objective", "booth", "--stop-at", "loss:1"], r"--stop-at must be a tolerance on J like 1e-6, or grad:1e-6; got 'loss:1'$"),
    (["--params", "a,b"], r"--params applies to --objective expressions"),
]


@pytest.mark.parametrize("command", ["render", "train"])
@pytest.mark.parametrize("options, expect", BAD)
def test_bad_objective_input(command, options, expect, tmp_path, capsys):
    out_dir = tmp_path / "outputs"
    before = seed_outputs(out_dir)
    if command == "render":
        argv = [*RENDER, "--steps=4", f"--out={out_dir}/out.gif", *options]
    else:
        argv = ["train", "--steps=4", f"--save={out_dir}/h.npz", *options]
    code = main(argv)
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    check_one_error_line(err, expect)
    assert snapshot(out_dir) == before


def test_bad_objective_as_a_real_process(tmp_path):
    before = seed_outputs(tmp_path)
    done = subprocess.run([sys.executable, "-m", "gdanim.cli", "train", "--objective", "__import__('os')",
                           f"--save={tmp_path}/h.npz"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and done.stdout == ""
    check_one_error_line(done.stderr, r"\"'\" at position 11 is not allowed")
    assert snapshot(tmp_path) == before
