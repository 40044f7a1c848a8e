"""One module per view; each draws its static part once and moves a few artists per frame."""
from ..errors import ConfigError
from .contour import ContourView
from .params import ParamsView
from .plane import PlaneView
from .residuals import ResidualsView
from .surface import SurfaceView
from .walkthrough import WalkthroughView

VIEWS = {v.name: v for v in (ParamsView, ResidualsView, SurfaceView, ContourView, PlaneView, WalkthroughView)}


def explaining() -> list[str]:
    """The views that ``explain`` (an equation strip of each frame's update) applies to."""
    return [name for name, view in VIEWS.items() if view.explains]


def get(name: str):
    try:
        return VIEWS[name]
    except KeyError:
        raise ConfigError(f"unknown view {name!r}; choose one of: {', '.join(VIEWS)}") from None
