"""The two-class datasets: their constructions written out, specs, a CSV of classes, bad specs."""
import numpy as np
import pytest

import gdanim
from gdanim.data.classification import DEFAULTS
from gdanim.errors import ConfigError


def test_moons_is_the_peer_scripts_construction():
    """../shared/bench/peer_boundary.py, lines for lines."""
    rng = np.random.default_rng(0)
    n = 200
    t = rng.uniform(0, np.pi, n)
    upper = np.arange(n) < n // 2
    X = np.where(upper[:, None], np.c_[np.cos(t), np.sin(t)], np.c_[1 - np.cos(t), 0.5 - np.sin(t)])
    X += rng.normal(0, 0.1, X.shape)
    d = gdanim.datasets.load("moons:n=200,noise=0.1,seed=0")
    np.testing.assert_array_equal(d.X, X)
    np.testing.assert_array_equal(d.y, (~upper).astype(float))
    assert d.name == "moons:n=200,noise=0.1,seed=0" and gdanim.datasets.load("moons").name == d.name
    assert d.feature_names == ("x1", "x2") and d.target_name == "class"


def test_xor_is_the_four_corners_and_noisy_copies():
    d = gdanim.datasets.load("xor")
    assert d.X.tolist() == [[0, 0], [0, 1], [1, 0], [1, 1]] and d.y.tolist() == [0, 1, 1, 0]
    noisy = gdanim.datasets.load("xor:n=10,noise=0.05,seed=2")
    corners = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])[np.arange(10) % 4]
    np.testing.assert_array_equal(noisy.X, corners + np.random.default_rng(2).normal(0, 0.05, (10, 2)))
    assert noisy.y.tolist() == [0, 1, 1, 0] * 2 + [0, 1]


def test_circles_and_blobs():
    c = gdanim.datasets.load("circles:n=9,noise=0")
    radius = np.hypot(c.X[:, 0], c.X[:, 1])
    np.testing.assert_allclose(radius, [1.0] * 5 + [0.5] * 4, rtol=1e-15)
    assert c.y.tolist() == [0] * 5 + [1] * 4
    rng = np.random.default_rng(0)
    t = rng.uniform(0, 2 * np.pi, 9)
    np.testing.assert_allclose(c.X[:, 0], np.where(np.arange(9) >= 5, 0.5, 1.0) * np.cos(t), rtol=1e-15)
    b = gdanim.datasets.load("blobs:n=6,spread=0.5,distance=4,seed=1")
    centres = np.array([[-2.0, 0.0]] * 3 + [[2.0, 0.0]] * 3)
    np.testing.assert_array_equal(b.X, centres + np.random.default_rng(1).normal(0, 0.5, (6, 2)))
    assert b.y.tolist() == [0, 0, 0, 1, 1, 1]


@pytest.mark.parametrize("name", list(DEFAULTS))
def test_every_set_rebuilds_from_its_name(name):
    d = gdanim.datasets.load(name)
    again = gdanim.datasets.load(d.name)
    np.testing.assert_array_equal(again.X, d.X)
    np.testing.assert_array_equal(again.y, d.y)
    assert set(np.unique(d.y)) <= {0.0, 1.0}


def test_a_csv_with_a_class_column_trains_with_log_loss(tmp_path):
    path = tmp_path / "passed.csv"
    path.write_text("hours,score,passed\n1,40,0\n2,52,0\n3,48,1\n4,70,1\n5,66,1\n0.5,30,0\n")
    run = gdanim.train(str(path), objective="sigmoid", loss="log-loss", lr=0.002, epochs=50)
    assert run.names == ("w1", "w2", "b") and run.J[-1] < run.J[0]
    bad = tmp_path / "grades.csv"
    bad.write_text("hours,grade\n1,0\n2,0.5\n3,1\n")
    with pytest.raises(gdanim.GdanimError, match=r"grades\.csv: log-loss needs a target of 0 or 1, but row 2 has grade = 0.5"):
        gdanim.train(str(bad), objective="sigmoid", loss="log-loss", steps=1)


@pytest.mark.parametrize("spec, message", [
    ("moons:n=1", r"'moons:n=1': n must be at least 2, got 1$"),
    ("moons:n=ten", r"n must be a whole number, got 'ten'$"),
    ("circles:noise=-0.1", r"noise must be a finite number >= 0, got '-0.1'$"),
    ("blobs:centres=3", r"cannot read 'centres=3' in 'blobs:centres=3'; write blobs:n=200,spread=1,distance=4,seed=0"),
    ("backprop-2-1-1:n=2", r"backprop-2-1-1 takes no options$"),
])
def test_bad_specs_are_one_line(spec, message):
    with pytest.raises(ConfigError, match=message):
        gdanim.datasets.load(spec)
