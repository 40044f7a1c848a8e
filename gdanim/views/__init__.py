"""One module per view; each draws its static part once and moves a few artists per frame."""
from ..validate import choice
from .contour import ContourView
from .params import ParamsView
from .plane import PlaneView
from .residuals import ResidualsView
from .surface import SurfaceView

VIEWS = {v.name: v for v in (ParamsView, ResidualsView, SurfaceView, ContourView, PlaneView)}


def get(name: str):
    return choice("view", name, VIEWS)
