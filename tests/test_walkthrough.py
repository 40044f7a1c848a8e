"""The walkthrough: the tutorial's first step by hand, the transcript against the History,
frames and phases, batches, optimisers with state, and bad input."""
import re

import numpy as np
import pytest

import gdanim
from gdanim.animation import animate
from gdanim.cli import main
from gdanim.errors import ConfigError
from gdanim.history import History
from gdanim.style import get as get_style
from gdanim.views.walkthrough import WalkthroughView
from gdanim.walkthrough import PHASES, Walkthrough

TUTORIAL = dict(optimizer="sgd", batch_size=1, order="sequential", lr=0.05, init="w1=-0.017,w2=-0.048,b=0")
TINY = dict(size=(320, 180), workers=1)


@pytest.fixture(scope="module")
def tutorial():
    return gdanim.train("backprop-demo", steps=12, **TUTORIAL)


def first_step_by_hand():
    """The tutorial's first step: row (x1, x2, y) = (4, 1, 2), w1 = -0.017, w2 = -0.048, b = 0."""
    x1, x2, y, w1, w2, b, eta = 4.0, 1.0, 2.0, -0.017, -0.048, 0.0, 0.05
    yhat = w1 * x1 + w2 * x2 + b  # -0.116
    loss = (yhat - y) ** 2  # 4.477456
    dL_dyhat = 2 * (yhat - y)  # -4.232
    grads = {"w1": dL_dyhat * x1, "w2": dL_dyhat * x2, "b": dL_dyhat * 1.0}  # -16.928, -4.232, -4.232
    new = {"w1": w1 - eta * grads["w1"], "w2": w2 - eta * grads["w2"], "b": b - eta * grads["b"]}
    return yhat, loss, dL_dyhat, grads, new


def test_first_step_numbers_are_the_tutorials(tutorial):
    yhat, loss, dL_dyhat, grads, new = first_step_by_hand()
    assert (yhat, loss, dL_dyhat) == pytest.approx((-0.116, 4.477456, -4.232), rel=1e-12)
    assert new == pytest.approx({"w1": 0.8294, "w2": 0.1636, "b": 0.2116}, rel=1e-12)
    values = Walkthrough(tutorial, [0, 1], "0:1").values(0)
    assert values.nodes["yhat"] == pytest.approx(yhat, rel=1e-15)
    assert values.loss == tutorial.batch_J[0] == pytest.approx(loss, rel=1e-15)
    assert values.partials == pytest.approx(
        {("yhat", "L"): dL_dyhat, ("w1", "yhat"): 4.0, ("w2", "yhat"): 1.0, ("b", "yhat"): 1.0}, rel=1e-15)
    assert dict(zip(tutorial.names, values.gradient)) == pytest.approx(grads, rel=1e-15)
    assert dict(zip(tutorial.names, tutorial.params[1])) == pytest.approx(new, rel=1e-15)


def test_first_step_on_screen_is_the_tutorials_arithmetic(tutorial):
    view = WalkthroughView(tutorial, np.arange(13), get_style("light"), detail="0:1")
    by_phase = {view.plan.frames[i].phase: view.script[i] for i in range(1, 6)}
    strip = {phase: [" | ".join(texts) for texts, _ in c.strip[0]] for phase, c in by_phase.items()}
    assert strip["feed"] == ["feed row 1: x₁ = 4, x₂ = 1, y = 2"]
    assert strip["yhat"] == ["ŷ = w₁x₁ + w₂x₂ + b = −0.017 × 4 + (−0.048) × 1 + 0.000 = −0.116"]
    assert strip["L"] == ["L = (ŷ − y)² = (−0.116 − 2)² = 4.477"]
    assert strip["derivatives"] == [
        "∂L/∂ŷ = 2(ŷ − y) = 2 × (−0.116 − 2) = −4.232",
        "∂L/∂w₁ = ∂L/∂ŷ · ∂ŷ/∂w₁ = −4.232 × 4 = −16.928",
        "∂L/∂w₂ = ∂L/∂ŷ · ∂ŷ/∂w₂ = −4.232 × 1 = −4.232",
        "∂L/∂b = ∂L/∂ŷ · ∂ŷ/∂b = −4.232 × 1 = −4.232",
    ]
    assert strip["update"] == [
        "w₁′ = w₁ − η ∂L/∂w₁ = −0.017 − 0.05 × (−16.928) = 0.829",
        "w₂′ = w₂ − η ∂L/∂w₂ = −0.048 − 0.05 × (−4.232) = 0.164",
        "b′ = b − η ∂L/∂b = 0.000 − 0.05 × (−4.232) = 0.212",
    ]
    assert by_phase["derivatives"].labels == {
        ("yhat", "L"): "∂L/∂ŷ = −4.232", ("w1", "yhat"): "∂ŷ/∂w₁ = 4", ("w2", "yhat"): "∂ŷ/∂w₂ = 1",
        ("b", "yhat"): "∂ŷ/∂b = 1",
    }
    # nodes fill in phase by phase; the update shows the new parameters
    assert "yhat" not in by_phase["feed"].values and by_phase["feed"].values["x1"] == "4"
    assert by_phase["yhat"].values["yhat"] == "−0.116" and "L" not in by_phase["yhat"].values
    assert by_phase["L"].values["L"] == "4.477"
    assert [by_phase["L"].values[n] for n in ("w1", "w2", "b")] == ["−0.017", "−0.048", "0.000"]
    assert [by_phase["update"].values[n] for n in ("w1", "w2", "b")] == ["0.829", "0.164", "0.212"]
    # the table: row 1 highlighted throughout, ticked once updated; the log gets the loss at L
    assert all(c.current.tolist() == [0] for c in by_phase.values())
    assert [c.done.tolist() for c in by_phase.values()] == [[], [], [], [], [0]]
    assert [c.logged for c in by_phase.values()] == [0, 0, 1, 1, 1]
    assert view.log_entries[0].split() == ["1", "1", "4.477"]


def test_transcript_is_the_history_unrounded(tutorial):
    walk = Walkthrough(tutorial, np.arange(13), "0:3")
    lines = walk.transcript()
    assert len(lines) == len(walk.frames) == 13 - 3 + 3 * len(PHASES)
    assert lines[5] == "step 1 update: w1=0.8294 w2=0.16360000000000002 b=0.2116"
    h = tutorial
    checked = 0
    for line in lines:
        fields = dict(re.findall(r"(\S+)=(\S+)", line))
        head = line.split(":")[0].split()
        if head[0] == "record":
            assert [float(fields[n]) for n in h.names] == h.params[0].tolist()
            continue
        step = int(head[1]) - 1
        phase = head[2] if len(head) > 2 else None
        if phase in (None, "update"):
            assert [float(fields[n]) for n in h.names] == h.params[step + 1].tolist()
            checked += 1
        if phase in (None, "L"):
            assert float(fields["L"]) == h.batch_J[step]
        if phase == "derivatives":
            assert [float(fields[f"dL/d{n}"]) for n in h.names] == h.grads[step].tolist()
        if phase == "feed":
            row = int(fields["rows"]) - 1
            assert (float(fields["x1"]), float(fields["x2"]), float(fields["y"])) == (*h.data.X[row], h.data.y[row])
    assert checked == 12


def test_detail_and_frames_choose_phase_and_compact_frames(tutorial):
    walk = Walkthrough(tutorial, [0, 4, 8, 12], "1,2")
    assert [(f.record, f.step, f.phase) for f in walk.frames] == [
        (0, None, None),
        *[(1 + (p == "update"), 1, p) for p in PHASES],
        *[(2 + (p == "update"), 2, p) for p in PHASES],
        (4, 3, None), (8, 7, None), (12, 11, None),
    ]
    anim = animate(tutorial, "walkthrough", "0:13:4", detail="1,2", **TINY)
    assert anim.n_frames == 14 and anim.records.tolist() == [0, 1, 1, 1, 1, 2, 2, 2, 2, 2, 3, 4, 8, 12]


def test_larger_batches_show_batch_means_and_every_row():
    h = gdanim.train("backprop-demo", optimizer="sgd", batch_size=3, lr=0.01, steps=4, init="ones")
    walk = Walkthrough(h, range(5), "0:2")
    values = walk.values(1)
    X, y = h.data.X[3:6], h.data.y[3:6]
    yhat = X @ h.params[1][:2] + h.params[1][2]
    assert values.rows.tolist() == [3, 4, 5]
    assert values.nodes["x1"] == pytest.approx(X[:, 0].mean(), rel=1e-15)
    assert values.nodes["yhat"] == pytest.approx(yhat.mean(), rel=1e-14)
    assert values.partials[("yhat", "L")] == pytest.approx(np.mean(2 * (yhat - y)), rel=1e-14)
    assert values.gradient.tolist() == h.grads[1].tolist()
    assert values.gradient[0] == pytest.approx(np.mean(2 * (yhat - y) * X[:, 0]), rel=1e-14)
    update = next(f for f in walk.frames if f.step == 1 and f.phase == "update")
    assert walk.done_rows(update).tolist() == [0, 1, 2, 3, 4, 5]


def test_shuffled_batches_are_replayed_as_trained():
    h = gdanim.train("backprop-demo", optimizer="sgd", batch_size=2, order="shuffle", lr=0.01, steps=9, seed=3)
    walk = Walkthrough(h, range(10), "0:9")
    for step in range(9):
        loss, grad = h.objective.batch_value_and_gradient(h.params[step], walk.rows(step))
        assert (loss, grad.tolist()) == (h.batch_J[step], h.grads[step].tolist())
    epoch = np.concatenate([walk.rows(s) for s in range(3)])
    assert sorted(epoch.tolist()) == list(range(6))


@pytest.mark.parametrize("optimizer, options", [("momentum", {"beta": 0.9}), ("rmsprop", {"rho": 0.9, "eps": 1e-8}),
                                                ("adam", {"b1": 0.9, "b2": 0.999, "eps": 1e-8})])
def test_stateful_optimisers_show_their_state_from_a_plain_loop(optimizer, options):
    h = gdanim.train("backprop-demo", optimizer=optimizer, batch_size=2, lr=0.01, steps=3, init="ones")
    walk = Walkthrough(h, range(4), "0:3")
    g = h.grads
    m = s = np.zeros(3)
    for t in range(1, 4):  # the optimisers' update rules, written out again
        if optimizer == "momentum":
            s = 0.9 * s + g[t - 1]
        elif optimizer == "rmsprop":
            s = 0.9 * s + 0.1 * g[t - 1] ** 2
        else:
            m, s = 0.9 * m + 0.1 * g[t - 1], 0.999 * s + 0.001 * g[t - 1] ** 2
    rows = walk.updates(2)
    assert [eq.result for eq in rows[0]][-1] == h.params[3, 0]
    state = rows[0][0].result if optimizer != "adam" else rows[0][1].result
    assert state == pytest.approx(s[0], rel=1e-13)
    lhs = [eq.lhs for eq in rows[2]]
    assert lhs == {"momentum": ["v", "b′"], "rmsprop": ["s", "b′"], "adam": ["m", "s", "b′"]}[optimizer]
    line = walk.transcript()[-1]
    assert f"{lhs[0]}[w1]=" in line and f"b={float(h.params[3, 2])!r}" in line


def test_frames_do_not_depend_on_workers_or_engine(tutorial, tmp_path):
    anim = animate(tutorial, "walkthrough", "0:7", detail="0:2", size=(320, 180), workers=1)
    one = anim.save(tmp_path / "one.gif", manifest=False)
    two = animate(tutorial, "walkthrough", "0:7", detail="0:2", size=(320, 180), workers=2).save(tmp_path / "two.gif",
                                                                                                   manifest=False)
    assert one.frames == 15 and one.hashes == two.hashes
    assert (tmp_path / "one.gif").read_bytes() == (tmp_path / "two.gif").read_bytes()
    celluloid = animate(tutorial, "walkthrough", "0:7", detail="0:2", size=(320, 180), engine="celluloid")
    assert sum(1 for _ in celluloid.frames()) == 15


def test_walkthrough_matches_its_baseline(gdanim_check, tutorial):
    gdanim_check(animate(tutorial, "walkthrough", "0:13:3", detail="0:1", **TINY), name="walkthrough-light")


def cli_error(capsys, *argv):
    assert main(list(argv)) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("gdanim: error: ")
    return err[0]


def test_bad_input_is_one_line(capsys, tmp_path):
    out = str(tmp_path / "w.gif")
    line = cli_error(capsys, "walkthrough", "--steps", "12", "--detail", "0:20", "--out", out)
    assert line == "gdanim: error: --detail frame spec item '0:20': step 19 is out of range: this run has steps 0..11"
    line = cli_error(capsys, "walkthrough", "--data", "synthetic:n=20,w=1;2;3;4;5,b=0", "--steps", "3", "--out", out)
    assert "1 to 4 features" in line and "has 5" in line and "gdanim render params" in line
    saved = tmp_path / "rosenbrock.npz"
    gdanim.train(objective="rosenbrock", steps=3, lr=1e-3).save(saved)
    line = cli_error(capsys, "walkthrough", "--history", str(saved), "--out", out)
    assert "'rosenbrock' has none" in line
    assert cli_error(capsys, "walkthrough", "--objective", "rosenbrock", "--lr", "1", "--out", out) == line  # before training
    line = cli_error(capsys, "render", "surface", "--explain", "--epochs", "3", "--out", out)
    assert line == "gdanim: error: --explain applies to the params, residuals and contour views, not surface"
    assert not (tmp_path / "w.gif").exists()


def test_bad_input_in_python_names_the_keyword(tutorial):
    with pytest.raises(ConfigError, match=r"^explain= applies to the params, residuals, contour views, not plane$"):
        animate(tutorial, "plane", explain=True)
    with pytest.raises(ConfigError, match=r"^detail= frame spec item '12': step 12 is out of range"):
        animate(tutorial, "walkthrough", detail="12")
    trace = History.from_trace(tutorial.params, tutorial.J, names=tutorial.names)
    with pytest.raises(ConfigError, match="recorded without it"):
        animate(trace, "walkthrough")
