"""gdanim: make gradient descent visible."""
from . import data as datasets
from .errors import GdanimError
from . import schedules
from .history import History
from .objectives.custom import objective
from .train import train

__version__ = "0.1.0"
__all__ = ["Animation", "History", "GdanimError", "animate", "datasets", "objective", "schedules", "train", "__version__"]


def __getattr__(name):
    # The renderer imports matplotlib; load it on first use, not with the trainer.
    if name in ("animate", "Animation"):
        from . import animation

        return getattr(animation, name)
    raise AttributeError(f"module 'gdanim' has no attribute {name!r}")
