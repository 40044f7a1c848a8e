"""gdanim: make gradient descent visible."""
from . import data as datasets
from .errors import GdanimError
from . import schedules
from .history import History
from .objectives.custom import objective
from .races import Race, race
from .train import train
from .version import __version__

__all__ = ["Animation", "History", "GdanimError", "Race", "animate", "datasets", "objective", "race", "schedules", "train",
           "__version__"]


def __getattr__(name):
    # The renderer imports matplotlib; load it on first use, not with the trainer.
    if name in ("animate", "Animation"):
        from . import animation

        return getattr(animation, name)
    raise AttributeError(f"module 'gdanim' has no attribute {name!r}")
