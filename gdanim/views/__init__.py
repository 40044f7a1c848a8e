"""One module per view; each draws its static part once and moves a few artists per frame.

``VIEWS`` show one run (a History); ``RACE_VIEWS`` show the runs of a race (a Race).
"""
from ..validate import choice
from .boundary import BoundaryView
from .contour import ContourView
from .landscape import LandscapeView
from .network import NetworkView
from .params import ParamsView
from .plane import PlaneView
from .race_boundary import RaceBoundaryView
from .race_contour import RaceContourView
from .race_fit import RaceFitView
from .race_grid import RaceGridView
from .race_loss import RaceLossView
from .race_surface import RaceSurfaceView
from .residuals import ResidualsView
from .surface import SurfaceView
from .walkthrough import WalkthroughView
from .weights import WeightsView

VIEWS = {v.name: v for v in (ParamsView, ResidualsView, SurfaceView, ContourView, PlaneView,
                             BoundaryView, NetworkView, LandscapeView, WeightsView, WalkthroughView)}
RACE_VIEWS = {v.name: v for v in (RaceContourView, RaceSurfaceView, RaceLossView, RaceGridView, RaceFitView,
                                  RaceBoundaryView)}


def explaining() -> list[str]:
    """The views that ``explain`` (an equation strip of each frame's update) applies to."""
    return [name for name, view in VIEWS.items() if view.explains]


def get(name: str, race: bool = False):
    return choice("race view" if race else "view", name, RACE_VIEWS if race else VIEWS)
