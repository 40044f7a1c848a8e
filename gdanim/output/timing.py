"""Frame timing in whole ticks (a GIF counts centiseconds), free of float error.

Each frame lasts the difference of its rounded end time and the previous one's, so
rounding errors never accumulate over a long animation; the last frame also holds the
end pause.
"""
from __future__ import annotations

import math
from fractions import Fraction

from ..errors import ConfigError


def check_timing(fps: float, end_pause: float) -> None:
    if not (math.isfinite(fps) and fps > 0):
        raise ConfigError(f"fps must be a positive number; got {fps}")
    if not (math.isfinite(end_pause) and end_pause >= 0):
        raise ConfigError(f"end pause must be zero or more seconds; got {end_pause}")


def frame_end(i: int, fps: float, ticks: int) -> int:
    """When frame ``i`` ends, in whole ticks (``ticks`` a second) from the start:
    ``round()`` (half to even) of the exact value."""
    return round(Fraction(ticks * (i + 1)) / Fraction(fps))


def frame_delay(i: int, fps: float, ticks: int) -> int:
    """Frame ``i``'s duration in ticks, at least 1."""
    start = frame_end(i - 1, fps, ticks) if i else 0
    return max(1, frame_end(i, fps, ticks) - start)


def pause(end_pause: float, ticks: int) -> int:
    """``end_pause`` seconds in whole ticks."""
    return round(Fraction(end_pause) * ticks)


def delays(n_frames: int, fps: float, end_pause: float, ticks: int) -> list[int]:
    """Every frame's duration in ticks, the last one extended by ``end_pause`` seconds."""
    check_timing(fps, end_pause)
    durations = [frame_delay(i, fps, ticks) for i in range(n_frames)]
    if durations:
        durations[-1] += pause(end_pause, ticks)
    return durations
