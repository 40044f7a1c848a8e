"""``gdanim race`` on bad input: one line, exit status 2, nothing touched; and the race views' frame hashes.

The error cases run ``gdanim.cli.main`` in-process against an output directory that
holds an earlier render; afterwards every byte of it must be as it was.
Baselines are regenerated only on purpose: ``scripts/test tests/test_race_cli.py --gdanim-generate``.
"""
import warnings

import pytest
from test_cli_errors import check_one_error_line, choices, seed_outputs, snapshot

import gdanim
from gdanim.animation import animate
from gdanim.cli import main
from gdanim.optim import OPTIMIZERS
from gdanim.races import race
from gdanim.views import RACE_VIEWS

RENDER = ["--size=160x120", "--frames=0:3", "--quiet", "--workers=1"]
ROSENBROCK = ["--objective=rosenbrock", "--steps=5"]


def case(id, argv, expect, view="contour"):
    return pytest.param(["race", view, *argv], expect, id=id)


CASES = [
    case("unknown-optimizer-in-run", ROSENBROCK + ["--run=newton:lr=1"],
         r"--run 'newton:lr=1': unknown optimizer 'newton'; choose one of: " + choices(OPTIMIZERS) + "$"),
    case("unknown-option-in-run", ROSENBROCK + ["--run=gd:beta=0.9"],
         r"--run 'gd:beta=0.9': optimizer 'gd' has no option 'beta' \(its options: none\); run options: lr, "),
    case("unknown-adam-option", ROSENBROCK + ["--run=adam:beta=0.9"],
         r"--run 'adam:beta=0.9': optimizer 'adam' has no option 'beta' \(its options: b1, b2, eps\)"),
    case("option-without-value", ROSENBROCK + ["--run=gd:0.1"], r"--run 'gd:0.1': cannot read '0.1': write option=value"),
    case("lr-not-a-number", ROSENBROCK + ["--run=gd:lr=fast"], r"--run 'gd:lr=fast': lr must be a finite number, got 'fast'$"),
    case("unknown-schedule-in-run", ROSENBROCK + ["--run=gd:schedule=warm"],
         r"--run 'gd:schedule=warm': unknown schedule 'warm'; choose one of: constant, step:every=N,factor=F"),
    case("schedule-goes-negative", ["--objective=rosenbrock", "--steps=20", "--run=gd:lr=0.1,schedule=cosine:steps=10,min=-1"],
         r"--run 'gd:lr=0.1,schedule=cosine:steps=10,min=-1': schedule 'cosine:steps=10,min=-1' gives learning "
         r"rate -0.00504065 at step 2; the learning rate must stay positive"),
    case("unknown-order-in-run", ["--data=six-points", "--epochs=3", "--run=sgd:order=random"],
         r"--run 'sgd:order=random': unknown order 'random'; choose one of: sequential, shuffle, sample$"),
    case("start-wrong-length", ROSENBROCK + ["--run=gd", "--start=1,2,3"], r"error: --start needs 2 values \(x, y\), got 3$"),
    case("run-start-wrong-length", ROSENBROCK + ["--run=gd:start=1"],
         r"--run 'gd:start=1': start needs 2 values \(x, y\), got 1$"),
    case("tune-with-nothing-to-tune", ROSENBROCK + ["--run=gd:lr=0.1", "--run=adam:lr=0.1", "--tune"],
         r"--tune has nothing to tune: every run sets lr=; leave lr= out of the runs to tune$"),
    case("no-run", ROSENBROCK, r"a race needs at least one run: give --run like gd:lr=0.01 \(once per run\)$"),
    case("data-and-objective", ROSENBROCK + ["--data=six-points", "--run=gd"],
         r"--data and --objective conflict: train on data or on an objective, not both$"),
    case("neither-data-nor-objective", ["--steps=5", "--run=gd"],
         r"give --objective \(a function or an expression\) or --data to race on$"),
    case("unknown-objective", ["--objective=rosenbruck", "--steps=5", "--run=gd"],
         r"unknown objective 'rosenbruck' in --objective; choose one of: rosenbrock, "),
    case("malformed-expression", ["--objective=x**", "--steps=5", "--run=gd"], r"--objective 'x\*\*': "),
    case("unknown-race-view", ROSENBROCK + ["--run=gd"], r"unknown race view 'paths'; choose one of: " + choices(RACE_VIEWS),
         view="paths"),
    case("trail-on-loss", ROSENBROCK + ["--run=gd", "--trail=3"], r"--trail applies to the contour and grid views, not loss$",
         view="loss"),
    case("trail-zero", ROSENBROCK + ["--run=gd", "--trail=0"], r"--trail must be a whole number of steps >= 1, got 0$"),
    case("fit-without-data", ROSENBROCK + ["--run=gd"], r"the fit view draws fitted lines over data; 'rosenbrock' has no data",
         view="fit"),
    case("stop-at-unreadable", ROSENBROCK + ["--run=gd", "--stop-at=abc"],
         r"error: --stop-at must be a tolerance on J like 1e-6, or grad:1e-6; got 'abc'$"),
    case("frames-beyond-the-clock", ["--objective=rosenbrock", "--steps=2", "--run=gd", "--frames=0:5"],
         r"frame spec item '0:5': record 4 is out of range: this run has records 0\.\.2$"),
]


@pytest.mark.parametrize("argv, expect", CASES)
def test_bad_race_input_is_one_line_and_touches_nothing(argv, expect, tmp_path, capsys):
    out_dir = tmp_path / "outputs"
    before = seed_outputs(out_dir)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        code = main([*argv[:2], *RENDER, f"--out={out_dir}/out.gif", *argv[2:]])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    check_one_error_line(err, expect)
    assert snapshot(out_dir) == before


# ---------------------------------------------------------------------------- frame hashes


def rosenbrock_race():
    runs = ["gd:lr=0.001", "momentum:lr=0.001", "rmsprop:lr=0.01", "adam:lr=0.05"]
    return race("rosenbrock", runs=runs, steps=60, start="-1.2,1")


def six_points_race():
    return race(data="six-points", runs=[f"gd:lr={lr}" for lr in (0.0005, 0.005, 0.03, 0.05)], epochs=80,
                init="w=3,b=-1")


def moons_race():
    return race("mlp:hidden=3", data="moons:n=40,noise=0.1,seed=0", runs=["sgd:lr=2,batch=10", "adam:lr=0.1"],
                epochs=15)


@pytest.mark.parametrize("view, make, options, size", [
    ("contour", rosenbrock_race, dict(trail=10, field=True, arrows=True), (200, 150)),
    ("surface", rosenbrock_race, {}, (200, 150)),
    ("loss", rosenbrock_race, {}, (160, 160)),
    ("grid", six_points_race, {}, (200, 150)),
    ("fit", six_points_race, {}, (160, 160)),
    ("boundary", moons_race, {}, (320, 180)),
])
def test_race_view_matches_its_baseline(gdanim_check, view, make, options, size):
    anim = animate(make(), view, "0:61:12", size=size, workers=1, **options)
    gdanim_check(anim, name=f"race-{view}")


def test_the_python_race_renders_like_the_command(tmp_path):
    r = rosenbrock_race()
    result = animate(r, "loss", "0:61:30", size=(160, 120), workers=1).save(tmp_path / "a.gif")
    argv = ["race", "loss", "--objective=rosenbrock", "--start=-1.2,1", "--steps=60", "--frames=0:61:30",
            "--size=160x120", "--workers=1", "--quiet", f"--out={tmp_path / 'b.gif'}"]
    assert main(argv + [f"--run={spec.text}" for spec in r.specs]) == 0
    assert (tmp_path / "b.gif").read_bytes() == result.path.read_bytes()
    assert gdanim.race is race and isinstance(r, gdanim.Race)
