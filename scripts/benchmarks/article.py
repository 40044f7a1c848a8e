"""The seed article's workload, shared by the render, memory and quality benchmarks.

Six points, batch gradient descent, lr 0.001 from w=3, b=-1 for 12,000 epochs, 120
sampled frames, 1000x1000 px in the article style, as GIF.
"""
from __future__ import annotations

from pathlib import Path

VIEWS = ("params", "residuals", "surface")
FRAMES = "0:50,50:100:5,100:12000:200"  # 120 frames
LONG_FRAMES = "0:12000:10"  # 1,200 frames
TRAINING = ["--data", "six-points", "--lr", "0.001", "--init", "w=3,b=-1", "--epochs", "12000"]
BIG_OUTPUT = ["--size", "1000x1000", "--dpi", "100", "--style", "article"]


def render_args(view: str, frames: str = FRAMES) -> list[str]:
    """``gdanim`` arguments rendering ``view`` of the article's run (``--out`` comes from the Case)."""
    return ["render", view, *TRAINING, "--frames", frames, *BIG_OUTPUT]


def output(work: Path, tool: str, view: str) -> Path:
    """Where the render benchmark leaves ``tool``'s GIF of ``view`` (the quality benchmark compares with it)."""
    return work / f"{tool}-{view}.gif"
