"""gdanim: make gradient descent visible."""
from . import data as datasets
from .errors import GdanimError
from .history import History
from .train import train

__version__ = "0.1.0"
__all__ = ["History", "GdanimError", "datasets", "train", "__version__"]
