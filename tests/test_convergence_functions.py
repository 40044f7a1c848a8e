"""Convergence verdicts and learning-rate guidance beyond linear regression.

Every objective that knows its optimum gets a verdict. booth and bowl are quadratics
with a known constant Hessian, so gd on them gets the same exact guidance as linear
regression. booth: J = a^2 + b^2 (a = x + 2y - 7, b = 2x + y - 5) has H = [[10, 8],
[8, 10]], eigenvalues 2 along (1, -1) and 18 along (1, 1): edge 2/18 = 1/9, fastest
2/20 = 0.1, contraction 16/20 = 0.8. From (-8, 8) the error to (1, 3) is (-9, 5): its
components along the unit eigenvectors are -4/sqrt2 (lambda 18) and -14/sqrt2 (lambda 2), so

    J - J* = 72 (1 - 18 lr)^(2m) + 98 (1 - 2 lr)^(2m),  J* = 0, J(0) = 170.

Other objectives with a known optimum (rosenbrock, a Python function) get J's recent
rate carried on; those without one (saddle) get none.
"""
import math

import numpy as np
import pytest

import gdanim
from gdanim.cli import main
from gdanim.convergence import assess
from gdanim.guidance import learning_rates
from gdanim.run_notes import notes


def booth_gap(m, lr):
    return 72 * (1 - 18 * lr) ** (2 * m) + 98 * (1 - 2 * lr) ** (2 * m)


def booth_steps(lr):
    """The first m with J - J* <= 1e-6 J(0), counted in the closed form."""
    m = 0
    while booth_gap(m, lr) > 1e-6 * 170:
        m += 1
    return m


def test_booth_and_bowl_know_their_hessian():
    booth = learning_rates(gdanim.objectives.make_objective("booth"))
    np.testing.assert_allclose(booth.eigenvalues, [2, 18], rtol=1e-15)
    assert (booth.largest_stable, booth.fastest) == (pytest.approx(1 / 9, rel=1e-15), pytest.approx(0.1, rel=1e-15))
    assert booth.contraction == pytest.approx(0.8, rel=1e-15)
    bowl = gdanim.objectives.make_objective("bowl:kappa=10,angle=30")
    np.testing.assert_allclose(learning_rates(bowl).eigenvalues, [1, 10], rtol=1e-14)
    # the Hessian is the gradient's derivative: a gradient difference along any direction is H times it
    step = np.array([0.3, -0.7])
    np.testing.assert_allclose(bowl.gradient(step) - bowl.gradient(np.zeros(2)), bowl.hessian @ step, rtol=1e-14)
    assert learning_rates(gdanim.objectives.make_objective("rosenbrock")) is None


def test_booth_further_steps_are_exact():
    h = gdanim.train(objective="booth", start="-8,8", lr=0.02, steps=30)
    c = assess(h)
    assert c.estimate == "exact" and c.relative_to == "initial" and not c.converged
    assert c.percent == pytest.approx(100 * booth_gap(30, 0.02) / 170, rel=1e-12)
    assert c.more_epochs == booth_steps(0.02) - 30 == 133
    assert notes(h) == [
        f"warning: not converged after 30 steps: J = {booth_gap(30, 0.02):.6g} is above the optimum 0 by "
        f"{100 * booth_gap(30, 0.02) / 170:.3g}% of the initial J; at lr 0.02 about 133 more steps would bring it "
        f"within 1e-06 (--lr auto, 0.1, converges in {booth_steps(0.1)} steps from this start)"
    ]
    assert assess(gdanim.train(objective="booth", start="-8,8", lr=0.02, steps=booth_steps(0.02))).converged
    assert not assess(gdanim.train(objective="booth", start="-8,8", lr=0.02, steps=booth_steps(0.02) - 1)).converged
    auto = gdanim.train(objective="booth", start="-8,8", lr="auto", steps=booth_steps(0.1))
    assert auto.config["lr"] == 0.1 and assess(auto).converged and booth_steps(0.1) == 31


def test_bowl_at_the_edge_warns_in_steps():
    h = gdanim.train(objective="bowl", lr=0.2, steps=30)  # kappa 10: edge 2/10
    assert notes(h) == [
        "warning: --lr 0.2 is at or above the edge of stability for gd, 2/lmax = 0.2: the steepest direction flips "
        "sign every step and never settles; the fastest constant rate is 0.181818 (--lr auto)",
        f"warning: not converged after 30 steps: J = {h.J[-1]:.6g} is above the optimum 0 by "
        f"{100 * h.J[-1] / h.J[0]:.3g}% of the initial J; at lr 0.2 it gets no closer",
    ]
    # v (here y, angle 0) flips between +-1.2 forever: J -> K 1.2^2 / 2 = 7.2
    assert h.J[-1] == pytest.approx(7.2, rel=1e-5)


def test_a_python_function_with_an_optimum_gets_the_recent_rate():
    # J = (x - 1)^2 + y^2 from (0, 0): each gd step at lr 0.1 multiplies the error by 0.8, J by 0.64
    f = gdanim.objective(lambda t: (t[..., 0] - 1) ** 2 + t[..., 1] ** 2, names=("x", "y"), optimum=(1, 0))
    h = gdanim.train(objective=f, lr=0.1, steps=5)
    c = assess(h)
    assert c.J == pytest.approx(0.64**5, rel=1e-9) and c.percent == pytest.approx(100 * 0.64**5, rel=1e-9)
    assert c.estimate == "recent rate"
    assert c.more_epochs == math.ceil(math.log(1e-6) / math.log(0.64)) - 5 == 26


def test_rosenbrock_in_json_and_on_stderr(capsys):
    code = main(["train", "--objective", "rosenbrock", "--lr", "0.001", "--steps", "10", "--json"])
    out, err = capsys.readouterr()
    J = gdanim.train(objective="rosenbrock", lr=0.001, steps=10).J
    more = math.ceil(math.log(1e-6 * J[0] / J[10]) / math.log((J[10] / J[5]) ** (1 / 5)))
    c = __import__("json").loads(out)["convergence"]
    assert code == 0 and (c["more_epochs"], c["estimate"], c["J"]) == (more, "recent rate", J[10])
    assert err == f"gdanim: warning: not converged after 10 steps: J = {J[10]:.6g} is above the optimum 0 by " \
                  f"{100 * J[10] / J[0]:.3g}% of the initial J; about {more:,} more steps at its recent rate would " \
                  "bring it within 1e-06\n"


def test_a_local_minimum_is_not_the_optimum():
    h = gdanim.train(objective="rastrigin", lr=0.001, steps=300)  # settles in the local minimum near (2, 3)

    def local_minimum(t):  # per coordinate: Newton on 2t + 20 pi sin(2 pi t) = 0
        for _ in range(50):
            t -= (2 * t + 20 * np.pi * np.sin(2 * np.pi * t)) / (2 + 40 * np.pi**2 * np.cos(2 * np.pi * t))
        return t

    x, y = local_minimum(2.0), local_minimum(3.0)
    c = assess(h)
    assert not c.converged and c.reason == "not falling"
    assert c.J == pytest.approx(20 + x * x - 10 * np.cos(2 * np.pi * x) + y * y - 10 * np.cos(2 * np.pi * y), rel=1e-9)
    assert notes(h)[0].endswith("; J has stopped falling (a local minimum, a plateau or a cycle)")


def test_no_known_optimum_no_verdict():
    h = gdanim.train(objective="saddle", lr=0.1, steps=50)
    assert assess(h) is None and notes(h) == [] and h.summary()["convergence"] is None
    assert gdanim.train(objective="himmelblau", lr=0.01, steps=100).convergence.converged  # J* = 0 at all four


def test_each_run_of_a_race_has_its_verdict():
    race = gdanim.race("booth", runs=["gd:lr=0.02", "gd:lr=0.1"], steps=40, start="-8,8")
    slow, fast = (run["convergence"] for run in race.summary()["runs"])
    assert (slow["estimate"], slow["more_epochs"], slow["converged"]) == ("exact", booth_steps(0.02) - 40, False)
    assert slow["percent"] == pytest.approx(100 * booth_gap(40, 0.02) / 170, rel=1e-12)
    assert fast["converged"] is True and booth_steps(0.1) <= 40
