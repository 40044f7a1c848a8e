"""--explain: each frame's update written out with the History's numbers."""
import numpy as np
import pytest

import gdanim
from gdanim.animation import animate
from gdanim.walkthrough.numbers import fixed, significant, symbol
from gdanim.walkthrough.strip import explain_rows

SMALL = dict(size=(240, 180), workers=1)


def test_the_hand_worked_single_step():
    # one-point: x = 1.5, y = 0.8; half-mse J = (w x + b - y)^2 / 2 at w = 0.8, b = 0.2:
    # r = 1.4 - 0.8 = 0.6, dJ/dw = r x = 0.9, dJ/db = r = 0.6; lr 0.1: w = 0.71, b = 0.14
    h = gdanim.train("one-point", loss="half-mse", lr=0.1, init="w=0.8,b=0.2", steps=1)
    rows = explain_rows(h, [0, 1])
    assert rows[0] == [["start: w = 0.8, b = 0.2"]]
    assert rows[1] == [["w′ = w − η ∂J/∂w = 0.8 − 0.1 × 0.9 = 0.71"], ["b′ = b − η ∂J/∂b = 0.2 − 0.1 × 0.6 = 0.14"]]


def test_numbers_are_the_recorded_batch_gradients_not_the_full_one():
    h = gdanim.train("six-points", optimizer="sgd", lr=0.01, steps=4, init="w=3,b=-1")
    (w_row, b_row) = explain_rows(h, [3])[3]
    full = h.cost_grad(h.params[2])
    recorded = h.grads[2]
    assert not np.allclose(full, recorded)
    w, g, new = significant(h.params[2, 0]), significant(recorded[0]), significant(h.params[3, 0])
    shown = f"({g})" if g.startswith("−") else g
    assert w_row == [f"w′ = w − η ∂L/∂w = {w} − 0.01 × {shown} = {new}"]
    assert b_row[0].endswith(f"= {significant(h.params[3, 1])}")


def test_momentum_shows_its_velocity():
    h = gdanim.train("six-points", optimizer="momentum", lr=0.001, epochs=2, init="w=3,b=-1")
    (w_row, _) = explain_rows(h, [2])[2]
    v = 0.9 * h.grads[0, 0] + h.grads[1, 0]
    assert w_row[0] == f"v = β v + ∂J/∂w = 0.9 × {significant(h.grads[0, 0])} + {significant(h.grads[1, 0])} = {significant(v)}"
    assert w_row[1].startswith("w′ = w − η v = ")


def test_without_explain_frames_are_unchanged_and_with_it_they_differ(tmp_path):
    h = gdanim.train("six-points", lr=0.02, epochs=6)
    plain = animate(h, "params", "0:7:3", **SMALL).save(tmp_path / "a", manifest=False)
    off = animate(h, "params", "0:7:3", explain=False, **SMALL).save(tmp_path / "b", manifest=False)
    on = animate(h, "params", "0:7:3", explain=True, **SMALL).save(tmp_path / "c", manifest=False)
    assert plain.hashes == off.hashes
    assert all(a != b for a, b in zip(plain.hashes, on.hashes))


@pytest.mark.parametrize("view", ["residuals", "contour"])
def test_other_views_explain(view, tmp_path):
    h = gdanim.train("six-points", lr=0.02, epochs=6)
    assert animate(h, view, "0:7:3", explain=True, **SMALL).save(tmp_path / view, manifest=False).frames == 3


def test_params_explain_matches_its_baseline(gdanim_check):
    h = gdanim.train("one-point", loss="half-mse", lr=0.1, init="w=0.8,b=0.2", steps=4)
    gdanim_check(animate(h, "params", "all", explain=True, **SMALL), name="params-explain-light")


def test_number_formats():
    assert [fixed(v) for v in (0.0, -0.0, 0.2116, -4.232, -16.928, -0.0004, 2.1e12)] == [
        "0.000", "0.000", "0.212", "−4.232", "−16.928", "−4.000e−04", "2.100e+12"]
    assert [fixed(v, "d") for v in (4.0, -14.0, 0.05)] == ["4", "−14", "0.05"]
    assert [significant(v) for v in (0.8, 0.9000000000000001, 0.7100000000000001, -12345.6)] == ["0.8", "0.9", "0.71", "−1.235e+04"]
    assert [symbol(n) for n in ("w", "w1", "w12", "b", "W1[0,0]")] == ["w", "w₁", "w₁₂", "b", "W1[0,0]"]
