"""One module per view; each draws its static part once and moves a few artists per frame."""
from ..errors import ConfigError
from .boundary import BoundaryView
from .contour import ContourView
from .landscape import LandscapeView
from .network import NetworkView
from .params import ParamsView
from .plane import PlaneView
from .residuals import ResidualsView
from .surface import SurfaceView
from .weights import WeightsView

VIEWS = {v.name: v for v in (ParamsView, ResidualsView, SurfaceView, ContourView, PlaneView)}
# units and networks
VIEWS.update({v.name: v for v in (BoundaryView, NetworkView, LandscapeView, WeightsView)})


def get(name: str):
    try:
        return VIEWS[name]
    except KeyError:
        raise ConfigError(f"unknown view {name!r}; choose one of: {', '.join(VIEWS)}") from None
