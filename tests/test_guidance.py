"""Learning rates from the exact Hessian, convergence verdicts and what the command line says.

The hand-worked example: x = -2, 0, 2 and y = 1, 4, 5 with mse. Then Z^T Z = diag(8, 3)
and J's Hessian is 2/3 Z^T Z = diag(16/3, 2): the edge of stability is 2/(16/3) = 3/8,
the fastest constant rate 2/(2 + 16/3) = 3/11 with contraction (16/3 - 2)/(16/3 + 2) = 5/11.
The optimum is w = 1, b = 10/3 with J* = 2/9, and from w = b = 0 the error is
(-1, -10/3), so after m gd steps at lr

    J - J* = 8/3 (1 - 16 lr/3)^(2m) + 100/9 (1 - 2 lr)^(2m).
"""
import json

import numpy as np
import pytest

import gdanim
from gdanim.cli import main
from gdanim.convergence import RTOL, assess
from gdanim.data import from_arrays
from gdanim.guidance import LearningRates, learning_rates, scale_spread
from gdanim.run_notes import notes

X3, Y3 = np.array([-2.0, 0.0, 2.0]), np.array([1.0, 4.0, 5.0])
OPTIMUM_J = 2 / 9


def three_points(scale=1.0):
    return from_arrays(X3 * scale, Y3, name="three")


def gap_after(m, lr):
    """J - J* after m gd steps from zeros, in closed form (module docstring)."""
    return 8 / 3 * (1 - 16 * lr / 3) ** (2 * m) + 100 / 9 * (1 - 2 * lr) ** (2 * m)


def first_converged_step(lr):
    m = 0
    while gap_after(m, lr) > RTOL * OPTIMUM_J:
        m += 1
    return m


def test_learning_rates_by_hand():
    rates = learning_rates(gdanim.train(three_points(), epochs=1).objective)
    np.testing.assert_allclose(rates.eigenvalues, [2, 16 / 3], rtol=1e-15)
    assert rates.largest_stable == pytest.approx(3 / 8, rel=1e-15)
    assert rates.fastest == pytest.approx(3 / 11, rel=1e-15)
    assert rates.contraction == pytest.approx(5 / 11, rel=1e-14)
    # at the fastest rate both directions shrink by the same factor: -5/11 and +5/11
    np.testing.assert_allclose(np.sort(rates.factors(3 / 11)), [-5 / 11, 5 / 11], rtol=1e-14)


def test_collinear_columns_use_the_smallest_positive_eigenvalue():
    # one point at x = 1: Z^T Z = [[1, 1], [1, 1]] has eigenvalues 0 and 2; with mse, H = 2 Z^T Z (0 and 4).
    # The flat direction never moves, so lmin is 4: the fastest rate 1/4 lands on the optimum in one step.
    rates = LearningRates.of(2 * np.array([[1.0, 1.0], [1.0, 1.0]]))
    assert rates.largest_stable == pytest.approx(0.5, rel=1e-15)
    assert rates.fastest == pytest.approx(0.25, rel=1e-15) and rates.contraction == pytest.approx(0.0, abs=1e-15)
    h = gdanim.train(from_arrays([1.0], [3.0]), lr="auto", epochs=1)
    np.testing.assert_allclose(h.params[1], [1.5, 1.5], rtol=1e-15)  # w + b = 3: on the optimum's line
    assert assess(h).converged


@pytest.mark.parametrize("lr, epochs", [(0.1, 10), (0.3, 5), (3 / 11, 1)])
def test_further_epochs_are_exact(lr, epochs):
    h = gdanim.train(three_points(), lr=lr, epochs=epochs)
    c = assess(h)
    needed = first_converged_step(lr)
    assert not c.converged and c.estimate == "exact"
    assert c.more_epochs == needed - epochs
    assert c.percent == pytest.approx(100 * gap_after(epochs, lr) / OPTIMUM_J, rel=1e-9)
    assert h.convergence == c
    # and the trainer agrees: converged exactly at that epoch, not one before
    longer = gdanim.train(three_points(), lr=lr, epochs=needed)
    assert assess(longer).converged
    assert not assess(gdanim.train(three_points(), lr=lr, epochs=needed - 1)).converged


def test_lr_auto_is_the_fastest_rate_and_converges_soonest():
    h = gdanim.train(three_points(), lr="auto", epochs=40)
    assert h.config["lr"] == pytest.approx(3 / 11, rel=1e-15) and h.config["lr_auto"] is True
    assert assess(h).converged
    s = h.summary()
    assert s["lr"]["auto"] is True
    assert s["learning_rates"]["epochs_at_fastest"] == first_converged_step(3 / 11)
    # no constant rate converges sooner from this start (the stable ones on a fine grid)
    assert all(first_converged_step(lr) >= first_converged_step(3 / 11) for lr in np.linspace(0.01, 0.37, 37))


def test_converged_runs_have_no_notes():
    h = gdanim.train(three_points(), lr="auto", epochs=40)
    assert notes(h) == ["note: --lr auto: 0.272727, the fastest constant learning rate for gd here, 2/(lmin+lmax) "
                        "with lmin, lmax the extreme eigenvalues of J's Hessian"]
    assert notes(gdanim.train(three_points(), lr=0.2, epochs=60)) == []


def test_not_converged_line():
    h = gdanim.train(three_points(), lr=0.1, epochs=10)
    percent = 100 * gap_after(10, 0.1) / OPTIMUM_J
    assert notes(h) == [
        f"warning: not converged after 10 epochs: J = {OPTIMUM_J + gap_after(10, 0.1):.6g} is {percent:.3g}% above the "
        f"optimum 0.222222; at lr 0.1 about {first_converged_step(0.1) - 10} more epochs would bring it within 1e-06 "
        f"(--lr auto, 0.272727, converges in {first_converged_step(3 / 11)} epochs from this start)"
    ]


def test_edge_of_stability_warning_names_the_edge():
    at_edge = gdanim.train(three_points(), lr=0.375, epochs=30)
    assert at_edge.diverged_at is None  # w flips sign forever: a two-cycle, not a blow-up
    lines = notes(at_edge)
    assert lines[0] == ("warning: --lr 0.375 is at or above the edge of stability for gd, 2/lmax = 0.375: the steepest "
                        "direction flips sign every epoch and never settles; the fastest constant rate is 0.272727 "
                        "(--lr auto)")
    assert lines[1].startswith("warning: not converged after 30 epochs: J = ")
    assert lines[1].endswith("; at lr 0.375 it gets no closer")
    assert at_edge.summary()["learning_rates"]["at_or_above_edge"] is True
    below = gdanim.train(three_points(), lr=0.37, epochs=30)
    assert below.summary()["learning_rates"]["at_or_above_edge"] is False
    assert not any("edge" in line for line in notes(below))


def test_divergence_names_the_edge_and_suggests_standardize_for_spread_scales():
    h = gdanim.train(three_points(scale=100), lr=0.01, epochs=50)
    assert h.diverged_at is not None
    rms = np.sqrt(np.mean((X3 * 100) ** 2))  # 163.3; the intercept's column of ones has 1
    ratio, low, high = scale_spread(h.objective)
    assert ratio == pytest.approx(rms, rel=1e-12) and (low, high) == ("the intercept 1", "x 163")
    edge = 2 / (2 / 3 * 80000)  # J's Hessian is diag(2/3 * 2 * 40000, 2)
    assert notes(h) == [
        f"warning: training diverged at step {h.diverged_at} (lr=0.01); try a smaller learning rate (below 2/lmax = "
        f"{edge:.6g} for gd; --lr auto: {2 / (2 + 2 / 3 * 80000):.6g}); the columns' scales differ 163x "
        "(the intercept 1, x 163): try --standardize, or --strict to make this an error"
    ]


def test_similar_scales_do_not_suggest_standardize():
    h = gdanim.train(three_points(), lr=0.01, epochs=5)
    assert scale_spread(h.objective)[0] == pytest.approx(np.sqrt(8 / 3), rel=1e-12)
    assert "standardize" not in notes(h)[0]


def test_stochastic_and_other_optimisers():
    sgd = gdanim.train(three_points(), optimizer="sgd", lr=0.05, epochs=20)
    c = assess(sgd)
    assert c.more_epochs is None and c.reason == "stochastic"
    assert "stochastic steps at a constant learning rate hover above it" in notes(sgd)[0]
    momentum = gdanim.train(three_points(), optimizer="momentum", lr=0.01, epochs=40)
    c = assess(momentum)
    J, Js = momentum.J, OPTIMUM_J
    rate = ((J[40] - Js) / (J[20] - Js)) ** (1 / 20)
    assert c.estimate == "recent rate"
    assert c.more_epochs == int(np.ceil(np.log(RTOL * Js / (J[40] - Js)) / np.log(rate)))


def test_json_and_stderr_say_the_same(tmp_path, capsys):
    path = tmp_path / "three.csv"
    path.write_text("x,y\n-2,1\n0,4\n2,5\n")
    code = main(["train", "--data", str(path), "--lr", "0.1", "--epochs", "10", "--json"])
    out, err = capsys.readouterr()
    s = json.loads(out)
    c = s["convergence"]
    assert code == 0 and c["converged"] is False and c["relative_to"] == "optimum"
    assert c["more_epochs"] == first_converged_step(0.1) - 10 and c["tolerance"] == 1e-6
    assert err == f"gdanim: warning: not converged after 10 epochs: J = {c['J']:.6g} is {c['percent']:.3g}% above " \
                  f"the optimum 0.222222; at lr 0.1 about {c['more_epochs']} more epochs would bring it within 1e-06 " \
                  f"(--lr auto, 0.272727, converges in {s['learning_rates']['epochs_at_fastest']} epochs from this start)\n"
    assert s["learning_rates"]["largest_stable"] == pytest.approx(3 / 8, rel=1e-15)


def test_train_prints_both_learning_rates(tmp_path, capsys):
    path = tmp_path / "three.csv"
    path.write_text("x,y\n-2,1\n0,4\n2,5\n")
    assert main(["train", "--data", str(path), "--lr", "auto", "--epochs", "40"]) == 0
    out, err = capsys.readouterr()
    assert out.splitlines()[0] == f"data {path}  (n = 3)   gd, lr 0.272727 (auto), 40 steps / 40 epochs"
    assert out.splitlines()[-3:] == [
        "learning rates for gd, from the exact Hessian:",
        "  largest stable  2/lmax        = 0.375",
        f"  fastest         2/(lmin+lmax) = 0.272727   (converges in {first_converged_step(3 / 11)} epochs from this start)",
    ]
    assert err.startswith("gdanim: note: --lr auto: 0.272727, the fastest constant learning rate for gd here")


def test_zero_optimum_is_measured_against_the_initial_J():
    h = gdanim.train("line-100", lr=0.01, epochs=100)  # y = 2x + 3 exactly: J* is 0 up to rounding
    c = assess(h)
    assert c.relative_to == "initial"
    assert c.percent == pytest.approx(100 * (h.J[-1] - h.optimum_J) / h.J[0], rel=1e-12)
    zero = "0" if h.optimum_J == 0 else "0 (up to rounding)"
    assert notes(h)[0].startswith(f"warning: not converged after 100 epochs: J = {h.J[-1]:.6g} is above the optimum "
                                  f"{zero} by {c.percent:.3g}% of the initial J; at lr 0.01 about ")
    assert h.optimum_J != 0  # numpy's lstsq leaves a rounding residue: the message says so
