"""--standardize: train on z-scores, report in the data's units, draw the same line over the raw data."""
import json

import numpy as np
import pytest
from _tables import FEATURES, diabetes_like, write_csv

import gdanim
from gdanim.cli import main
from gdanim.convergence import assess
from gdanim.data import Dataset, from_arrays
from gdanim.errors import ConfigError, DataError
from gdanim.objectives.linear import LinearRegression
from gdanim.run_notes import notes
from gdanim.scaling import Scaling


def table():
    X, y = diabetes_like()
    return Dataset("table", X, y, FEATURES, "progression")


def lstsq(data):
    Z = np.hstack([data.X, np.ones((data.n, 1))])
    return np.linalg.lstsq(Z, data.y, rcond=None)[0]


def test_scaling_by_hand():
    # x = 1, 3 (mean 2, sd 1) and y = 1, 5 (mean 3, sd 2): both scale to -1, 1, where w' = 1, b' = 0 fit.
    data = from_arrays([1.0, 3.0], [1.0, 5.0])
    both = Scaling.fit(data, "all")
    np.testing.assert_array_equal(both.apply(data).X[:, 0], [-1, 1])
    np.testing.assert_array_equal(both.apply(data).y, [-1, 1])
    np.testing.assert_allclose(both.to_original([1.0, 0.0]), [2.0, -1.0], rtol=1e-15)  # y = 2x - 1
    features = Scaling.fit(data, "features")
    np.testing.assert_allclose(features.to_original([2.0, 3.0]), [2.0, -1.0], rtol=1e-15)
    np.testing.assert_allclose(features.to_scaled([2.0, -1.0]), [2.0, 3.0], rtol=1e-15)
    assert both.original_cost(0.25) == pytest.approx(1.0)  # s_y^2 = 4


@pytest.mark.parametrize("mode", ["features", "all"])
def test_round_trip_and_the_same_line(mode):
    h = gdanim.train(table(), standardize=mode, lr="auto", epochs=50)
    scaling, raw = h.objective.scaling, table()
    original = scaling.to_original(h.params)
    np.testing.assert_allclose(scaling.to_scaled(original), h.params, rtol=1e-11, atol=1e-11)
    raw_model = LinearRegression(raw)
    for k in (0, 1, 10, 50):
        # the fit panels draw history.predict over the raw X: the original-unit line, point for point
        np.testing.assert_allclose(h.predict(k, raw.X), raw.X @ original[k, :-1] + original[k, -1], rtol=1e-11)
        assert scaling.original_cost(h.J[k]) == pytest.approx(raw_model.value(original[k]), rel=1e-10)
    assert h.data.X is not None and np.array_equal(h.data.X, raw.X)  # the views get the raw data


@pytest.mark.parametrize("mode", ["features", "all"])
def test_diabetes_like_table_converges_within_2000_epochs(mode):
    h = gdanim.train(table(), standardize=mode, lr="auto", epochs=2000)
    J_star = h.optimum_J
    first = int(np.argmax((h.J - J_star) / J_star <= 1e-6))
    assert 0 < first <= 2000 and assess(h).converged
    assert first == h.summary()["learning_rates"]["epochs_at_fastest"]  # the guidance predicted it exactly
    s = h.summary()
    best = lstsq(table())
    names = [f"w{i}" for i in range(1, 11)] + ["b"]
    assert s["params"] == names and s["trained"]["params"] == [f"{n}_z" for n in names]
    np.testing.assert_allclose([s["optimum"][n] for n in names], best, rtol=1e-9)
    np.testing.assert_allclose([s["final"][n] for n in names], best, rtol=1e-6)
    raw_J = LinearRegression(table()).optimum_value
    assert s["optimum"]["J"] == pytest.approx(raw_J, rel=1e-12)
    assert s["standardize"]["mode"] == mode
    assert s["standardize"]["features"]["s1"]["scale"] == pytest.approx(table().X[:, 4].std(), rel=1e-15)
    assert notes(h)[-1].startswith("note: --lr auto: ")  # converged: no warning


def test_unscaled_table_diverges_and_the_warning_suggests_standardize():
    h = gdanim.train(table(), lr=0.01, epochs=100)
    assert h.diverged_at == 2
    line = notes(h)[0]
    assert line.startswith("warning: training diverged at step 2 (lr=0.01); try a smaller learning rate (below 2/lmax = ")
    assert "; the columns' scales differ 192x (the intercept 1, s1 192): try --standardize, or --strict" in line
    assert "standardize" not in "".join(notes(gdanim.train(table(), standardize=True, lr="auto", epochs=2000)))


def test_history_save_load_keeps_the_standardized_objective(tmp_path):
    h = gdanim.train(table(), standardize="all", lr="auto", epochs=20)
    h.save(tmp_path / "run.npz")
    back = gdanim.History.load(tmp_path / "run.npz")
    assert back.names == h.names and back.objective.scaling.mode == "all"
    assert back.summary() == h.summary()


def test_cli_json_gives_both_units(tmp_path, capsys):
    X, y = diabetes_like()
    path = write_csv(tmp_path / "table.csv", X, y)
    assert main(["train", "--data", str(path), "--standardize", "--lr", "auto", "--epochs", "2000", "--json"]) == 0
    out, err = capsys.readouterr()
    s = json.loads(out)
    assert s["params"][:3] == ["w1", "w2", "w3"] and s["trained"]["params"][-1] == "b_z"
    np.testing.assert_allclose([s["final"][n] for n in s["params"]], lstsq(table()), rtol=1e-6)
    assert s["convergence"]["converged"] is True and s["lr"]["auto"] is True
    assert err.splitlines() == [f"gdanim: note: --lr auto: {s['lr']['first']:.6g}, the fastest constant learning rate "
                                "for gd here, 2/(lmin+lmax) with lmin, lmax the extreme eigenvalues of J's Hessian"]


def test_cli_table_shows_both_units(tmp_path, capsys):
    path = tmp_path / "xy.csv"
    path.write_text("x,y\n1,1\n3,5\n")
    assert main(["train", "--data", str(path), "--standardize", "all", "--lr", "auto", "--epochs", "3"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].endswith("standardized all")
    assert lines[1] == "in the data's units:" and lines[2].split() == ["w", "b", "J"]
    final = lines[4].split()
    assert final[:3] == ["final", "2", "-1"] and float(final[3]) < 1e-29  # y = 2x - 1: one step at lr auto
    assert lines[6] == "standardized (as trained):" and lines[7].split() == ["w_z", "b_z", "J"]


def test_bad_standardize_requests():
    with pytest.raises(ConfigError, match=r"^standardize= must be features or all \(True means features\), got 'x'$"):
        gdanim.train("six-points", standardize="x")
    with pytest.raises(ConfigError, match=r"^standardize= applies to linear regression on data, not to 'booth'$"):
        gdanim.train(objective="booth", standardize=True)
    with pytest.raises(DataError, match=r"^one-point: column 'x' is constant, so it cannot be standardized"):
        gdanim.train("one-point", standardize=True)


def test_views_show_standardized_parameters_by_name():
    h = gdanim.train("six-points", standardize=True, lr="auto", epochs=30)
    assert h.names == ("w_z", "b_z")
    frames = list(gdanim.animate(h, "contour", "0:30:10", size=(160, 120), workers=1).frames())
    assert len(frames) == 3 and frames[0].shape == (120, 160, 3)
