"""The gdanim command's happy paths (bad input is in test_cli_errors.py)."""
import inspect
import json
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

import gdanim
from gdanim.cli import main


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_train_json_is_one_object(capsys):
    code, out, err = run(capsys, "train", "--data", "six-points", "--lr", "0.001", "--init", "w=3,b=-1", "--epochs", "12000", "--json")
    # the article's run is 5.3e-6 above J*, not within 1e-6: one line says so, the JSON carries the numbers
    assert code == 0 and err == (
        "gdanim: warning: not converged after 12,000 epochs: J = 42.6669 is 0.000533% above the optimum 42.6667; "
        "at lr 0.001 about 2,117 more epochs would bring it within 1e-06 "
        "(--lr auto, 0.0437956, converges in 462 epochs from this start)\n")
    summary = json.loads(out)
    assert set(summary) == {"data", "n", "dropped_rows", "objective", "gradient", "params", "steps", "epochs", "lr",
                            "initial", "final", "optimum", "standardize", "convergence", "learning_rates", "scale_ratio",
                            "diverged_at", "stopped_at", "stop_reason"}
    assert summary["objective"] == "six-points" and summary["gradient"] == "exact"
    assert summary["lr"] == {"schedule": "constant", "first": 0.001, "last": 0.001, "auto": False}
    assert summary["convergence"]["more_epochs"] == 2117 and summary["convergence"]["estimate"] == "exact"
    assert summary["learning_rates"]["epochs_at_fastest"] == 462 and summary["dropped_rows"] == 0
    assert summary["stopped_at"] is None and summary["stop_reason"] is None
    assert summary["params"] == ["w", "b"] and summary["n"] == 6
    assert summary["steps"] == 12000 and summary["epochs"] == 12000 and summary["diverged_at"] is None
    assert summary["initial"]["w"] == 3.0 and summary["initial"]["b"] == -1.0
    x = np.array([1, 2, 4, 5, 6, 7.0]); y = np.array([4, -12, 3, -11, -5, -17.0])
    w_opt, b_opt = np.polyfit(x, y, 1)
    assert summary["optimum"]["w"] == pytest.approx(w_opt, rel=1e-12)
    assert summary["optimum"]["b"] == pytest.approx(b_opt, rel=1e-12)
    assert summary["optimum"]["J"] == pytest.approx(np.mean((w_opt * x + b_opt - y) ** 2), rel=1e-12)
    assert summary["initial"]["J"] == pytest.approx(np.mean((3 * x - 1 - y) ** 2), rel=1e-15)


def test_train_table_and_save(capsys, tmp_path):
    code, out, _ = run(capsys, "train", "--data", "one-point", "--loss", "half-mse", "--lr", "0.1", "--init", "w=0.8,b=0.2",
                       "--steps", "1", "--save", str(tmp_path / "run.npz"))
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("data one-point  (n = 1)   gd, lr 0.1, 1 steps / 1 epochs")
    assert lines[2].split() == ["initial", "0.8", "0.2", "0.18"]
    assert lines[3].split() == ["final", "0.71", "0.14", "0.0820125"]
    h = gdanim.History.load(tmp_path / "run.npz")
    np.testing.assert_allclose(h.params[1], [0.71, 0.14], atol=1e-12)


def test_render_from_saved_history_writes_gif_and_manifest(capsys, tmp_path):
    run(capsys, "train", "--data", "six-points", "--lr", "0.01", "--epochs", "20", "--save", str(tmp_path / "run.npz"))
    code, out, err = run(capsys, "render", "residuals", "--history", str(tmp_path / "run.npz"), "--frames", "0:20:4",
                         "--size", "200x150", "--out", str(tmp_path / "r.gif"), "--workers", "1", "--quiet")
    assert code == 0 and out == "" and err == ""
    with Image.open(tmp_path / "r.gif") as im:
        assert im.n_frames == 5
    manifest = json.loads((tmp_path / "r.gif.frames.json").read_text())
    assert manifest["frames"] == 5 and len(manifest["frame_hashes"]) == 5


def test_view_option_for_the_wrong_view(capsys, tmp_path):
    code, _, err = run(capsys, "render", "params", "--orbit", "30", "--out", str(tmp_path / "a.gif"))
    assert code == 2 and err.strip() == "gdanim: error: --orbit applies to the surface view, not params"
    assert not (tmp_path / "a.gif").exists()


def test_fps_above_50_warns_for_gif(capsys, tmp_path):
    code, _, err = run(capsys, "render", "params", "--epochs", "3", "--frames", "0:3", "--size", "200x150", "--fps", "60",
                       "--workers", "1", "--quiet", "--out", str(tmp_path / "a.gif"), "--no-manifest")
    assert code == 0
    assert err.splitlines()[0] == "gdanim: warning: --fps 60 is above 50; most GIF viewers slow such GIFs down"
    assert err.splitlines()[1].startswith("gdanim: warning: not converged after 3 epochs: J = ")
    assert len(err.splitlines()) == 2


def test_demo_quick_renders_the_gallery(tmp_path):
    done = subprocess.run([sys.executable, "-m", "gdanim.cli", "demo", "--quick", "--quiet", "--out", str(tmp_path)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    names = ["params.gif", "residuals.gif", "surface.gif", "contour.gif", "plane.gif", "boundary.gif", "network.gif",
             "landscape.gif", "params.webp", "residuals.html",
             "walkthrough.gif", "race.gif", "lr-grid.gif", "race-boundary.gif"]
    for name in names:
        assert (tmp_path / name).stat().st_size > 0
    table = done.stdout.splitlines()
    assert table[0].split()[:5] == ["file", "frames", "pixels", "bytes", "seconds"]
    assert [row.split()[0].rsplit("/", 1)[-1] for row in table[1:]] == names
    with Image.open(tmp_path / "plane.gif") as im:
        assert im.n_frames == int(table[5].split()[1]) == 60
    with Image.open(tmp_path / "race.gif") as im:  # frames 0:100:2,100:501:10 of the Rosenbrock race
        assert im.n_frames == int(table[1 + names.index("race.gif")].split()[1]) == 50 + 41
    with Image.open(tmp_path / "params.webp") as im:
        assert im.n_frames == int(table[1 + names.index("params.webp")].split()[1]) == int(table[1].split()[1])
    gifs = [n for n in names if n.endswith(".gif")]
    assert sorted(p.name for p in tmp_path.glob("*.frames.json")) == sorted(f"{n}.frames.json" for n in gifs)
    with Image.open(tmp_path / "walkthrough.gif") as im:  # the tutorial's first epoch: 1 + 6 steps x 5 phases
        assert im.n_frames == int(table[1 + names.index("walkthrough.gif")].split()[1]) == 31 and im.size == (960, 540)


def test_the_console_script_spares_setter_docstrings(monkeypatch):
    """Only the console script skips the property lists of Artist classes' set()
    docstrings (built as matplotlib imports); in Python help() keeps them."""
    import matplotlib.artist
    import matplotlib.lines

    from gdanim import cli

    assert "linewidth" in matplotlib.lines.Line2D.set.__doc__
    monkeypatch.setattr(matplotlib.artist, "kwdoc", matplotlib.artist.kwdoc)  # put back afterwards
    cli._no_setter_docstrings()

    class Mark(matplotlib.artist.Artist):
        def set_size(self, size):
            """Set the size."""

    assert Mark.set.__doc__.endswith("(not listed: gdanim's command line left them out)")
    assert "size" in str(inspect.signature(Mark.set))  # the signature is still whole
