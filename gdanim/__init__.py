"""gdanim: make gradient descent visible."""
from . import data as datasets
from .errors import GdanimError
from .history import History
from .train import train
from .version import __version__

__all__ = ["Animation", "History", "GdanimError", "animate", "datasets", "train", "__version__"]


def __getattr__(name):
    # The renderer imports matplotlib; load it on first use, not with the trainer.
    if name in ("animate", "Animation"):
        from . import animation

        return getattr(animation, name)
    raise AttributeError(f"module 'gdanim' has no attribute {name!r}")
