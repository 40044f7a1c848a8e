"""Races: every run equals the run alone, the shared clock, stop-at, divergence, tuning, --json, manifests."""
import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_objectives import readme_loop

import gdanim
from gdanim.cli import main
from gdanim.errors import ConfigError
from gdanim.engines.stream import FrameRenderer
from gdanim.races import TUNE_GRID, race
from gdanim.runspec import RunSpec, parse_run
from gdanim.style import STYLES
from gdanim.views.race_contour import RaceContourView
from gdanim.views.race_panels import velocities

ROSENBROCK = [("gd", 0.001), ("momentum", 0.001), ("rmsprop", 0.01), ("adam", 0.05)]
SIX_POINTS_LRS = (0.0005, 0.005, 0.03, 0.05)


def rosenbrock_race(steps=500, **options):
    return race("rosenbrock", runs=[f"{name}:lr={lr}" for name, lr in ROSENBROCK], steps=steps, start="-1.2,1",
                **options)


def six_points_race(epochs=200):
    return race(data="six-points", runs=[f"gd:lr={lr}" for lr in SIX_POINTS_LRS], epochs=epochs, init="w=3,b=-1")


def same_run(a, b):
    for name in ("params", "J", "grads", "batch_J", "lr", "epoch"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name), err_msg=name)
    assert (a.diverged_at, a.stopped_at, a.stop_reason) == (b.diverged_at, b.stopped_at, b.stop_reason)


# ---------------------------------------------------------------------------- --run


def test_run_text_reads_continued_values_and_schedules():
    spec = parse_run("momentum:lr=0.01,beta=0.5,start=-1.2,1,label=heavy,ball")
    assert spec == RunSpec("momentum", lr=0.01, options={"beta": 0.5}, start="-1.2,1", label="heavy,ball",
                           text="momentum:lr=0.01,beta=0.5,start=-1.2,1,label=heavy,ball")
    spec = parse_run("sgd:lr=0.1,schedule=cosine:steps=500,min=1e-4,batch=2,order=shuffle,seed=3")
    assert (spec.schedule, spec.batch_size, spec.order, spec.seed) == ("cosine:steps=500,min=1e-4", 2, "shuffle", 3)
    assert parse_run("adam") == RunSpec("adam", text="adam")
    assert spec.describe(0.1) == "sgd lr 0.1 cosine:steps=500,min=1e-4 batch 2 shuffle seed 3"


run_text = st.one_of(
    st.text(max_size=40),
    st.builds(lambda name, rest: f"{name}:{rest}", st.sampled_from(["gd", "sgd", "momentum", "adam", "rmsprop", "x"]),
              st.text(alphabet="lrbetaschedulstpw=,.:-0123456789e", max_size=40)),
)


@settings(derandomize=True, max_examples=500, deadline=None)
@given(text=run_text)
def test_run_text_parses_or_gives_one_line(text):
    try:
        spec = parse_run(text)
    except ConfigError as exc:
        assert "\n" not in str(exc) and str(exc).startswith(f"--run {text!r}:")
        return
    assert spec.text == text and (spec.lr is None or spec.lr > 0)


# ---------------------------------------------------------------------------- exact numbers


def test_every_run_of_a_race_equals_the_same_run_alone():
    runs = ["gd:lr=0.001", "nesterov:lr=0.0005,beta=0.8", "rmsprop:lr=0.01,rho=0.95",
            "adam:lr=0.05,schedule=step:every=100,factor=0.5", "momentum:lr=0.001,start=0,2"]
    r = race("rosenbrock", runs=runs, steps=300, start="-1.2,1")
    alone = [
        gdanim.train(objective="rosenbrock", optimizer="gd", lr=0.001, steps=300, start="-1.2,1"),
        gdanim.train(objective="rosenbrock", optimizer="nesterov", lr=0.0005, beta=0.8, steps=300, start="-1.2,1"),
        gdanim.train(objective="rosenbrock", optimizer="rmsprop", lr=0.01, rho=0.95, steps=300, start="-1.2,1"),
        gdanim.train(objective="rosenbrock", optimizer="adam", lr=0.05, schedule="step:every=100,factor=0.5",
                     steps=300, start="-1.2,1"),
        gdanim.train(objective="rosenbrock", optimizer="momentum", lr=0.001, steps=300, start="0,2"),
    ]
    for ours, theirs in zip(r.histories, alone):
        same_run(ours, theirs)
    data_race = race(data="six-points", runs=["sgd:lr=0.01,batch=2,order=shuffle,seed=3", "gd:lr=0.02"], epochs=20)
    same_run(data_race.histories[0], gdanim.train("six-points", optimizer="sgd", lr=0.01, batch_size=2,
                                                  order="shuffle", seed=3, epochs=20))
    assert data_race.steps == 60 and data_race.histories[1].steps == 20  # a clock of steps: 3 a epoch against 1


def test_the_rosenbrock_race_equals_the_readme_formulas():
    r = rosenbrock_race()
    assert r.labels == ["gd lr 0.001", "momentum lr 0.001", "rmsprop lr 0.01", "adam lr 0.05"]
    for h, (name, lr) in zip(r.histories, ROSENBROCK):
        np.testing.assert_allclose(h.params, readme_loop(name, lr, np.array([-1.2, 1.0]), 500), rtol=1e-12, atol=0)


def test_a_run_that_reaches_stop_at_holds_its_point_on_the_shared_clock():
    # bowl kappa=3, gd at lr 2/(1+3) = 0.5: J_k = J_0 / 4**k, J_0 = (1.8**2 + 3 * 1.2**2) / 2 = 3.78,
    # so J_k <= 1e-3 first at k = 6 (3.78 / 4096 = 9.2e-4; 3.78 / 1024 = 3.7e-3)
    r = race("bowl:kappa=3", runs=["gd:lr=0.5", "gd:lr=0.05"], steps=40, start="-1.8,1.2", stop_at=1e-3)
    fast, slow = r.histories
    assert (fast.stopped_at, fast.stop_reason, fast.steps) == (6, "stop_at", 6)
    assert fast.J[6] == pytest.approx(3.78 / 4096, rel=1e-12) and fast.J[5] > 1e-3
    assert slow.stopped_at is None and slow.steps == 40 and r.steps == 40
    assert [r.records_at(k).tolist() for k in (0, 5, 6, 7, 40)] == [[0, 0], [5, 5], [6, 6], [6, 7], [6, 40]]
    assert (r.status(0, 5), r.status(0, 6), r.status(0, 40), r.status(1, 40)) == (
        "step 5", "stopped at step 6", "stopped at step 6", "step 40")
    view = RaceContourView(r, np.array([0, 3, 6, 20, 40]), STYLES["light"])
    renderer = FrameRenderer(view, 160, 120, 100)
    for i, k in enumerate(view.records):
        renderer.render(i)
        for run, h in enumerate(r.histories):
            held = h.params[min(k, h.steps)]
            assert np.array_equal(np.ravel(view.runs[run].dot.get_data()), held)


def plain_gd_on_six_points(lr, epochs, w=3.0, b=-1.0):
    """gd on J = mean((w x + b - y)^2) by hand; stops at the first record whose J passes 1e12 max(J0, 1)."""
    x = np.array([1.0, 2, 4, 5, 6, 7])
    y = np.array([4.0, -12, 3, -11, -5, -17])
    params = [(w, b)]
    limit = None
    for k in range(1, epochs + 1):
        r = w * x + b - y
        w, b = w - lr * 2 * np.mean(r * x), b - lr * 2 * np.mean(r)
        J = np.mean((w * x + b - y) ** 2)
        limit = limit or 1e12 * max(np.mean((3.0 * x - 1.0 - y) ** 2), 1.0)
        if not np.isfinite(J) or J > limit:
            return np.array(params), k
        params.append((w, b))
    return np.array(params), None


def test_a_diverging_run_stops_and_the_others_go_on():
    r = six_points_race()
    for h, lr in zip(r.histories, SIX_POINTS_LRS):
        expected, diverged_at = plain_gd_on_six_points(lr, 200)
        assert h.diverged_at == diverged_at
        np.testing.assert_allclose(h.params, expected, rtol=1e-9, atol=1e-12)
    diverged = r.histories[3]
    assert diverged.diverged_at == 60 and diverged.steps == 59
    assert [h.steps for h in r.histories[:3]] == [200, 200, 200] and r.steps == 200
    assert r.status(3, 58) == "step 58" and r.status(3, 59) == r.status(3, 200) == "diverged at step 60"
    assert r.records_at(150).tolist() == [150, 150, 150, 59]


def test_the_velocity_arrow_is_the_optimisers_own_velocity():
    h = rosenbrock_race(steps=50).histories[1]  # momentum: theta_{k+1} = theta_k - lr v_{k+1}
    v = velocities(h)
    np.testing.assert_allclose(v[1:], (h.params[:-1] - h.params[1:]) / 0.001, rtol=1e-8, atol=1e-9)
    assert velocities(rosenbrock_race(steps=5).histories[2]) is None  # rmsprop keeps no velocity


# ---------------------------------------------------------------------------- tuning


def bowl_closed_form(lr, steps=50, kappa=10, start=(-1.8, 1.2)):
    """J_k of gd on bowl:kappa=K (angle 0): u_k = (1 - lr)^k u_0, v_k = (1 - K lr)^k v_0."""
    k = np.arange(steps + 1)
    J = ((1 - lr) ** (2 * k) * start[0] ** 2 + kappa * (1 - kappa * lr) ** (2 * k) * start[1] ** 2) / 2
    diverged = bool((J > 1e12 * max(J[0], 1.0)).any())
    return J, diverged


def test_tune_picks_the_documented_grid_value_with_the_lowest_final_J():
    assert np.array_equal(TUNE_GRID, np.logspace(-5, 0, 25))
    finals = [np.inf if d else J[-1] for J, d in map(bowl_closed_form, TUNE_GRID)]
    expected = TUNE_GRID[int(np.argmin(finals))]
    assert expected == TUNE_GRID[20]  # 10**(-5 + 20 * 5 / 24) = 0.1468: the largest rate that does not diverge
    r = race("bowl:kappa=10", runs=["gd", "gd:lr=0.01"], steps=50, start="-1.8,1.2", tune=True)
    assert r.histories[0].config["lr"] == expected and r.histories[1].config["lr"] == 0.01
    assert r.labels == ["gd lr 0.147 (tuned)", "gd lr 0.01"]
    np.testing.assert_allclose(r.tuned[0]["final_J"], finals, rtol=1e-9)
    summary = r.summary()
    assert [run["tuned"] for run in summary["runs"]] == [True, False]
    assert summary["tune_grid"] == "25 values from 1e-5 to 1, log-spaced"
    again = race("bowl:kappa=10", runs=["gd", "gd:lr=0.01"], steps=50, start="-1.8,1.2", tune=True)
    same_run(r.histories[0], again.histories[0])


def test_tune_with_stop_at_picks_the_fewest_steps():
    steps = {}
    for lr in TUNE_GRID:
        J, diverged = bowl_closed_form(lr, steps=120)
        reached = np.nonzero(J <= 1e-6)[0]
        if not diverged and len(reached):
            steps[lr] = reached[0]
    expected = min(steps, key=lambda lr: (steps[lr], lr))
    r = race("bowl:kappa=10", runs=["gd"], steps=120, start="-1.8,1.2", tune=True, stop_at=1e-6)
    assert r.histories[0].config["lr"] == expected and r.histories[0].stopped_at == steps[expected]
    assert r.tuned[0]["criterion"] == "fewest steps to stop_at"


def test_python_errors_name_the_keywords():
    with pytest.raises(gdanim.GdanimError, match=r"^tune= has nothing to tune: every run sets lr="):
        race("rosenbrock", runs=["gd:lr=0.1"], steps=5, tune=True)
    with pytest.raises(gdanim.GdanimError, match=r"^start= needs 2 values \(x, y\), got 3$"):
        race("rosenbrock", runs=["gd"], steps=5, start="1,2,3")
    with pytest.raises(gdanim.GdanimError, match=r"^runs= 'gd:start=1': start needs 2 values"):
        race("rosenbrock", runs=["gd:start=1"], steps=5)
    with pytest.raises(gdanim.GdanimError, match=r"^a race needs at least one run: give runs= like gd:lr=0.01"):
        race("rosenbrock", runs=[], steps=5)


# ---------------------------------------------------------------------------- the command


RACE_ARGV = ["race", "contour", "--objective", "rosenbrock", "--start=-1.2,1", "--steps", "40", "--frames", "0:41:10",
             "--size", "160x120", "--quiet", "--workers", "1"] + [f"--run={n}:lr={lr}" for n, lr in ROSENBROCK]


def test_race_json_gives_each_runs_initial_final_and_best(tmp_path, capsys):
    out = tmp_path / "race.gif"
    assert main(RACE_ARGV + ["--out", str(out), "--json", "--run=gd:lr=0.01,label=too fast"]) == 0
    summary = json.loads(capsys.readouterr().out)
    alone = rosenbrock_race(steps=40)
    fast = gdanim.train(objective="rosenbrock", lr=0.01, steps=40, start="-1.2,1")
    assert [run["label"] for run in summary["runs"]] == alone.labels + ["too fast"]
    for run, h in zip(summary["runs"], alone.histories + [fast]):
        best = int(np.argmin(h.J))
        assert run["initial"] == {"x": -1.2, "y": 1.0, "J": h.J[0], "step": 0}
        assert run["final"] == {"x": h.params[-1, 0], "y": h.params[-1, 1], "J": h.J[-1], "step": h.steps}
        assert run["best"] == {"x": h.params[best, 0], "y": h.params[best, 1], "J": h.J[best], "step": best}
        assert (run["steps"], run["diverged"], run["diverged_at"]) == (h.steps, h.diverged_at is not None, h.diverged_at)
    assert summary["runs"][4]["diverged"] and summary["runs"][4]["diverged_at"] == fast.diverged_at
    manifest = json.loads((tmp_path / "race.gif.frames.json").read_text())
    runs = manifest["config"]["training"]["runs"]
    assert [(run["run"], run["optimizer"], run["lr"]) for run in runs] == [
        ("gd:lr=0.001", "gd", 0.001), ("momentum:lr=0.001", "momentum", 0.001), ("rmsprop:lr=0.01", "rmsprop", 0.01),
        ("adam:lr=0.05", "adam", 0.05), ("gd:lr=0.01,label=too fast", "gd", 0.01)]
    assert runs[1]["optimizer_options"] == {"beta": 0.9} and runs[4]["diverged_at"] == fast.diverged_at


def test_any_number_of_workers_writes_the_same_bytes(tmp_path):
    outputs = []
    for workers in (1, 2):
        out = tmp_path / f"grid-{workers}.gif"
        argv = ["race", "grid", "--data", "six-points", "--init", "w=3,b=-1", "--epochs", "80", "--frames", "0:81:8",
                "--size", "160x120", "--quiet", "--workers", str(workers), "--out", str(out)]
        assert main(argv + [f"--run=gd:lr={lr}" for lr in SIX_POINTS_LRS]) == 0
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]


# ---------------------------------------------------------------------------- the scoreboard's text


@pytest.mark.parametrize("fontsize", [6, 8.3, 11.2, 15.5, 22])
def test_cached_glyphs_lay_out_text_as_freetype_does_to_a_pixel(fontsize, monkeypatch):
    from matplotlib.figure import Figure

    from gdanim.views.status import GlyphCachedLine, StatusLine

    fig = Figure()
    plain, cached = (kind(fig, 0, 0, "0" * 32, fontsize, "black") for kind in (StatusLine, GlyphCachedLine))
    texts = ["step 120  J 0.001818", "diverged at step 60  J 4.161e+14"]
    for text in texts:
        freetype, _, below = plain._coverage(text, 100)
        freetype = freetype.astype(int)  # FreeType reuses its buffer
        ours, _, our_below = cached._coverage(text, 100)
        assert ours.shape[0] == freetype.shape[0] and our_below == below
        assert abs(ours.shape[1] - freetype.shape[1]) <= 3
        assert ours.astype(int).sum() == pytest.approx(freetype.sum(), rel=1e-3)  # the same ink
    monkeypatch.setattr(cached, "_font", None)  # every glyph is cached now: FreeType is not asked again
    again, _, _ = cached._coverage(texts[1][::-1], 100)
    assert again.shape[0] == ours.shape[0]
