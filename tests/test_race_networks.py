"""Races of network models (``gdanim race boundary|loss --model ...``) and sparse J (``J_every``).

Every run of a race is the History a separate ``train`` of that run gives, to the bit;
the race boundary view renders the same frames for any number of workers and refuses,
in one line, data it cannot draw. With ``J_every`` the trainer records J on the full
data only at some records; everything else it records, and J wherever it was
recorded or is computed later, is what a run recording J at every step holds.
"""
import json

import numpy as np
import pytest
from test_cli_errors import check_one_error_line

import gdanim
from gdanim.animation import animate
from gdanim.cli import main
from gdanim.errors import ConfigError
from gdanim.races import race

MOONS = "moons:n=60,noise=0.1,seed=0"
MLP = "mlp:hidden=4"
RUNS = ["sgd:lr=0.5,batch=15", "adam:lr=0.05", "momentum:lr=1,beta=0.8"]
ARRAYS = ("params", "J", "grads", "batch_J", "epoch", "lr")


def moons_race(runs=RUNS, epochs=12):
    return race(MLP, data=MOONS, runs=runs, epochs=epochs)


def test_each_run_is_a_separate_train_to_the_bit():
    r = moons_race()
    alone = [
        gdanim.train(MOONS, objective=MLP, optimizer="sgd", lr=0.5, batch_size=15, epochs=12),
        gdanim.train(MOONS, objective=MLP, optimizer="adam", lr=0.05, epochs=12),
        gdanim.train(MOONS, objective=MLP, optimizer="momentum", lr=1.0, beta=0.8, epochs=12),
    ]
    assert [h.steps for h in r.histories] == [48, 12, 12] and r.steps == 48
    for raced, single in zip(r.histories, alone):
        for name in ARRAYS:
            assert np.array_equal(getattr(raced, name), getattr(single, name)), name
        assert raced.names == single.names and len(raced.names) == 17  # 2*4 + 4 + 4 + 1
    # the clock: at step 30 the sgd run shows record 30, the others hold their last (12)
    assert r.records_at(30).tolist() == [30, 12, 12]


def test_race_boundary_frames_are_the_same_for_any_number_of_workers(tmp_path):
    r = moons_race()
    hashes = []
    for workers in (1, 2):
        result = animate(r, "boundary", "0:49:8", size=(320, 180), workers=workers).save(tmp_path / f"w{workers}.gif")
        hashes.append(result.hashes)
    assert len(hashes[0]) == 7 and hashes[0] == hashes[1]
    assert len(set(hashes[0])) == 7  # every frame moves


def test_race_boundary_draws_each_run_in_its_colour_and_holds_ended_runs(tmp_path):
    from gdanim.views import RACE_VIEWS
    from gdanim.style import STYLES

    r = moons_race()
    view = RACE_VIEWS["boundary"](r, np.arange(0, 49, 8), STYLES["light"])
    assert view.stats_text(1, 40) == view.stats_text(1, 12)  # adam ended at 12: held
    h = r.histories[1]
    acc = ((h.predict(12, h.data.X) >= 0.5) == (h.data.y >= 0.5)).mean()
    assert view.stats_text(1, 40) == f"step 12  J {h.J[12]:.4g}  acc {100 * acc:.1f}%"
    assert set(view.colors) <= {c.lower() for c in view.key_colors()}


def test_race_loss_and_boundary_from_the_command_line(tmp_path, capsys):
    for view in ("loss", "boundary"):
        out = tmp_path / f"{view}.gif"
        argv = ["race", view, f"--data={MOONS}", f"--model={MLP}", "--epochs=12", "--frames=0:49:24",
                "--size=320x180", "--workers=1", "--quiet", "--json", f"--out={out}"]
        assert main(argv + [f"--run={run}" for run in RUNS]) == 0
        summary = json.loads(capsys.readouterr().out)
        assert [run["steps"] for run in summary["runs"]] == [48, 12, 12]
        runs = json.loads(out.with_name(out.name + ".frames.json").read_text())["config"]["training"]["runs"]
        assert [run["run"] for run in runs] == RUNS and runs[0]["model"].startswith(MLP + ",")


@pytest.mark.parametrize("argv, expect", [
    (["--objective=rosenbrock", "--steps=3"], r"the boundary view draws fitted lines over data; 'rosenbrock' has no "),
    (["--data=DATA3", "--model=sigmoid", "--epochs=2"],
     r"the boundary view draws the input space, which needs 1 or 2 inputs; this data has 3 \(try the loss or fit view\)$"),
])
def test_race_boundary_refuses_what_it_cannot_draw(argv, expect, tmp_path, capsys):
    csv = tmp_path / "three.csv"
    csv.write_text("a,b,c,y\n" + "".join(f"{i},{i % 3},{i % 2},{i % 2}\n" for i in range(8)))
    argv = [a.replace("DATA3", str(csv)) for a in argv]
    code = main(["race", "boundary", *argv, "--run=gd:lr=0.1", "--quiet", f"--out={tmp_path / 'x.gif'}"])
    assert code == 2
    check_one_error_line(capsys.readouterr().err, expect)
    assert not (tmp_path / "x.gif").exists()


# ---------------------------------------------------------------------------- sparse J


def sgd_run(**options):
    return gdanim.train(MOONS, objective=MLP, optimizer="sgd", lr=0.5, batch_size=15, order="shuffle", seed=2,
                        **options)


def test_J_every_records_everything_else_and_J_where_it_says():
    every, sparse = sgd_run(epochs=6), sgd_run(epochs=6, J_every="epoch")
    assert sparse.config["J_every"] == 4 and "J_every" not in every.config
    assert sparse.J_records.tolist() == [0, 4, 8, 12, 16, 20, 24]
    assert np.flatnonzero(np.isfinite(sparse.J)).tolist() == sparse.J_records.tolist()
    for name in ("params", "grads", "batch_J", "epoch", "lr"):
        assert np.array_equal(getattr(sparse, name), getattr(every, name)), name
    assert np.array_equal(sparse.J[sparse.J_records], every.J[sparse.J_records])
    # J at any other record, computed from its parameters, is what training records
    assert np.array_equal(sparse.J_at([5, 23, 5]), every.J[[5, 23, 5]])
    assert np.isfinite(sparse.J[[5, 23]]).all() and np.isnan(sparse.J[6])  # kept, and only those


def test_J_every_keeps_the_last_record_and_counts_from_zero():
    h = sgd_run(steps=23, J_every=7)
    assert h.J_records.tolist() == [0, 7, 14, 21, 23]
    assert np.flatnonzero(np.isfinite(h.J)).tolist() == [0, 7, 14, 21, 23]
    assert h.J[23] == sgd_run(steps=23).J[23]


def test_J_every_survives_save_and_load(tmp_path):
    h = sgd_run(steps=10, J_every=4)
    h.save(tmp_path / "h.npz")
    back = gdanim.History.load(tmp_path / "h.npz")
    assert back.J_records.tolist() == [0, 4, 8, 10] and np.array_equal(back.J, h.J, equal_nan=True)


@pytest.mark.parametrize("options, expect", [
    (dict(optimizer="gd", J_every=5), "J_every= applies to mini-batch runs; a full-batch step costs as much as J"),
    (dict(optimizer="sgd", J_every=0), "J_every= must be a whole number >= 1 or 'epoch', got 0"),
    (dict(optimizer="sgd", J_every="often"), "J_every= must be a whole number >= 1 or 'epoch', got 'often'"),
])
def test_J_every_refuses_bad_values(options, expect):
    with pytest.raises(ConfigError) as info:
        gdanim.train(MOONS, objective=MLP, epochs=2, **options)
    assert str(info.value).startswith(expect)


def test_J_every_on_the_command_line(tmp_path, capsys):
    argv = ["train", f"--data={MOONS}", f"--model={MLP}", "--optimizer=sgd", "--batch-size=15", "--epochs=3", "--json"]
    assert main(argv + ["--J-every=epoch"]) == 0
    sparse = json.loads(capsys.readouterr().out)
    assert main(argv) == 0
    assert sparse == json.loads(capsys.readouterr().out)  # the summary's J are at records that carry it
    assert main(argv[:-1] + ["--J-every=0"]) == 2
    check_one_error_line(capsys.readouterr().err, r"--J-every must be a whole number >= 1 or 'epoch', got 0$")


def test_views_show_the_J_a_sparse_run_computes(tmp_path):
    every, sparse = sgd_run(epochs=6), sgd_run(epochs=6, J_every="epoch")
    a = animate(every, "boundary", "0:25:5", size=(200, 150), workers=1).save(tmp_path / "a.gif")
    b = animate(sparse, "boundary", "0:25:5", size=(200, 150), workers=1).save(tmp_path / "b.gif")
    assert a.hashes == b.hashes


def test_J_at_fills_only_what_J_every_left_out():
    objective = gdanim.objectives.make_objective("rosenbrock")
    trace = gdanim.History.from_trace([[0.0, 0.0], [1.0, 1.0]], [1.0, np.nan], objective=objective)
    assert np.isnan(trace.J_at([1]))[0] and np.isnan(trace.J[1])  # a trace's own NaN stays as given
