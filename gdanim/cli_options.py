"""Option groups that several ``gdanim`` commands share."""
from __future__ import annotations

import argparse


def output_options(p: argparse.ArgumentParser, frames: str, size: str, fps: float) -> None:
    """--frames, --out, --fps and the rest of rendering, with the command's own defaults."""
    from .engines import ENGINES
    from .style import STYLES

    g = p.add_argument_group("frames and output")
    g.add_argument("--frames", default=frames, help=f"records to show, e.g. 0:50,50:100:5,100:12000:200 (default {frames})")
    g.add_argument("--out", default="outputs/animation.gif", help=".gif, .mp4, or a directory for PNG frames")
    g.add_argument("--fps", type=float, default=fps, help=f"frames per second (default {fps:g})")
    g.add_argument("--end-pause", type=float, default=1.5, help="seconds to hold the last frame (default 1.5)")
    g.add_argument("--size", default=size, help=f"WxH in pixels (default {size})")
    g.add_argument("--dpi", type=float, default=100, help="dots per inch: scales text and lines (default 100)")
    g.add_argument("--style", default="light", help=f"{' | '.join(STYLES)} (default light)")
    g.add_argument("--engine", default="stream", help=f"{' | '.join(ENGINES)} (default stream)")
    g.add_argument("--workers", type=int, help="render processes (default: CPU count)")
    g.add_argument("--quiet", action="store_true", help="no progress bar or summary")
    g.add_argument("--no-manifest", action="store_true", help="do not write NAME.frames.json")
    g.add_argument("--keep-frames", action="store_true", help="also store the raw frames as NAME.frames.npz")
