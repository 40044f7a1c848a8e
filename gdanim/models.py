"""The linear model now lives in ``gdanim.objectives.linear``; these names stay importable from here."""
from .objectives.linear import LinearStats, backward, design, forward, param_names, predict

__all__ = ["LinearStats", "backward", "design", "forward", "param_names", "predict"]
