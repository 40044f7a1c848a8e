"""One module per view; each draws its static part once and moves a few artists per frame.

``VIEWS`` show one run (a History); ``RACE_VIEWS`` show the runs of a race (a Race).
Both map a view's name to its class, and import a view's module only when its class
is asked for: a render loads the one view it draws (the 3-D toolkit only for the 3-D
views), and listing the names loads none.
"""
from collections.abc import Mapping
from importlib import import_module

from ..validate import choice


class _Registry(Mapping):
    """View name -> view class, each module imported on first use."""

    def __init__(self, where: dict[str, str]):
        self._where = where  # name -> "module:Class", relative to this package

    def __getitem__(self, name):
        module, cls = self._where[name].split(":")
        return getattr(import_module(f".{module}", __name__), cls)

    def __contains__(self, name):
        return name in self._where

    def __iter__(self):
        return iter(self._where)

    def __len__(self):
        return len(self._where)


VIEWS = _Registry({
    "params": "params:ParamsView", "residuals": "residuals:ResidualsView", "surface": "surface:SurfaceView",
    "contour": "contour:ContourView", "plane": "plane:PlaneView", "boundary": "boundary:BoundaryView",
    "network": "network:NetworkView", "landscape": "landscape:LandscapeView", "weights": "weights:WeightsView",
    "walkthrough": "walkthrough:WalkthroughView",
})
RACE_VIEWS = _Registry({
    "contour": "race_contour:RaceContourView", "surface": "race_surface:RaceSurfaceView",
    "loss": "race_loss:RaceLossView", "grid": "race_grid:RaceGridView", "fit": "race_fit:RaceFitView",
    "boundary": "race_boundary:RaceBoundaryView",
})


def get(name: str, race: bool = False):
    return choice("race view" if race else "view", name, RACE_VIEWS if race else VIEWS)
