"""What loads, and what does not: a render imports only what it draws and writes with.

Imports are most of a short render's fixed cost, so the trainer never loads matplotlib,
and a render loads one view, no progress bar it does not show, no other engine and no
network code. Each check runs in a fresh interpreter and reads ``sys.modules``.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from gdanim.views import RACE_VIEWS, VIEWS

LOADED = "import json, sys; print(json.dumps(sorted(sys.modules)))"


def loaded_after(code: str, tmp_path) -> set[str]:
    done = subprocess.run([sys.executable, "-c", f"{code}\n{LOADED}"], capture_output=True, text=True, timeout=120,
                          cwd=tmp_path, env={**os.environ, "MPLBACKEND": "Agg"})
    assert done.returncode == 0, done.stderr
    return set(json.loads(done.stdout.splitlines()[-1]))


def under(modules: set[str], *packages: str) -> list[str]:
    return sorted(m for m in modules if any(m == p or m.startswith(p + ".") for p in packages))


def test_the_trainer_loads_no_plotting(tmp_path):
    modules = loaded_after("import gdanim\ngdanim.train('six-points', epochs=5)", tmp_path)
    assert "gdanim.train" in modules
    assert under(modules, "matplotlib", "mpl_toolkits", "PIL", "tqdm", "celluloid", "gdanim.views", "gdanim.output") == []
    assert under(modules, "gdanim.objectives.mlp", "gdanim.objectives.sigmoid", "gdanim.objectives.neural") == []


def test_a_quiet_render_loads_its_view_and_format_only(tmp_path):
    modules = loaded_after(
        "from gdanim.cli import main\n"
        "assert main(['render', 'params', '--epochs=20', '--frames=0:3', '--size=160x120', '--quiet', '--out=a.gif']) == 0",
        tmp_path)
    assert (tmp_path / "a.gif").stat().st_size > 0
    assert "gdanim.views.params" in modules
    others = {f"gdanim.views.{name}" for name in ("surface", "contour", "plane", "boundary", "network", "landscape",
                                                 "weights", "residuals", "race_contour", "race_grid", "race_surface")}
    assert sorted(others & modules) == []
    # no bar is shown, no other engine runs, nothing is plotted through pyplot, and
    # Pillow writes the GIF's frames without its file-format plugins
    assert under(modules, "tqdm", "celluloid", "gdanim.engines.celluloid", "matplotlib.pyplot", "PIL.GifImagePlugin",
                 "PIL.JpegImagePlugin", "PIL.BmpImagePlugin") == []
    assert under(modules, "gdanim.objectives.mlp", "gdanim.objectives.neural") == []


@pytest.mark.parametrize("views", [VIEWS, RACE_VIEWS], ids=["views", "race-views"])
def test_the_view_registries_name_their_classes(views):
    """Each registry entry loads the class of that name (the registry imports lazily)."""
    assert len(views) == len(list(views)) >= 5
    for name in views:
        assert name in views and views[name].name == name
    assert "nosuch" not in views
