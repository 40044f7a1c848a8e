"""Which records of a run become frames.

A run of ``n_records`` records numbers them 0..n_records-1, record 0 being the
initial state. A frame spec is a comma-separated list of items, whitespace allowed:

=========  ===========================================================
``A:B``    records A..B-1
``A:B:S``  every S-th record from A up to B-1 (S >= 1)
``N``      record N
``log:N``  N distinct, roughly log-spaced records from 0 to the last, both included
           (every record if N >= n_records; ``log:1`` is record 0)
``all``    every record
=========  ===========================================================

The frames are the union of the items, sorted. Every selected record must exist, so
``0:50,50:100:5,100:12000:200`` on a run of 12001 records gives 120 frames, the
last being record 11900.
"""
from __future__ import annotations

import re

import numpy as np

from .errors import FrameSpecError
from .validate import shown

__all__ = ["describe", "parse_frames"]

DEFAULT_FRAMES = "log:120"  # what an animation shows unless told
_GRAMMAR = "use A:B, A:B:S, N, log:N or all"
_DIGITS = re.compile(r"[0-9]+")
_MAX_DIGITS = 30  # longer numbers are out of range of any run; this keeps int() cheap


def parse_frames(spec: str, n_records: int) -> np.ndarray:
    """The records a frame spec selects: sorted, distinct int64 indices in [0, n_records).

    Raises:
        FrameSpecError: an empty spec or item, an item that does not parse, A >= B,
            a step or log count below 1, or a selected record >= n_records. The
            one-line message quotes the item and gives the run's records.
    """
    if not isinstance(spec, str):
        raise TypeError(f"a frame spec is a string, got {type(spec).__name__}")
    n_records = int(n_records)
    if n_records < 1:
        raise ValueError(f"n_records must be at least 1, got {n_records}")
    last = n_records - 1
    if not spec.strip():
        raise FrameSpecError(f"empty frame spec: {_GRAMMAR}, with records 0..{last}")
    parts = [_select(item.strip(), n_records, spec) for item in spec.split(",")]
    return np.unique(np.concatenate(parts)).astype(np.int64)


def describe(frames) -> str:
    """A short summary: ``"120 frames from record 0 to 11900"``, plus the stride when it is even."""
    frames = np.asarray(frames, dtype=np.int64)
    if frames.size == 0:
        return "no frames"
    if frames.size == 1:
        return f"1 frame (record {frames[0]})"
    text = f"{frames.size} frames from record {frames[0]} to {frames[-1]}"
    steps = np.unique(np.diff(frames))
    if steps.size == 1:
        text += ", every record" if steps[0] == 1 else f", every {steps[0]} records"
    return text


def _select(item: str, n_records: int, spec: str) -> np.ndarray:
    """The records one item selects, checked against the run."""
    last = n_records - 1
    records = f"records 0..{last}"
    if not item:
        raise FrameSpecError(f"frame spec {shown(spec)} has an empty item ({records})")

    fields = [f.strip() for f in item.split(":")]
    keyword = fields[0].lower()
    if len(fields) == 1 and keyword == "all":
        return np.arange(n_records)
    if keyword == "log" and len(fields) == 2:
        count = _whole(fields[1], item, records)
        if count < 1:
            raise FrameSpecError(f"frame spec item {shown(item)}: log:N needs N >= 1 ({records})")
        return _log_spaced(count, n_records)
    if not 1 <= len(fields) <= 3 or not all(_DIGITS.fullmatch(f) or _is_number_like(f) for f in fields):
        raise FrameSpecError(f"frame spec item {shown(item)} is not valid: {_GRAMMAR}, with {records}")

    numbers = [_whole(f, item, records) for f in fields]
    if len(numbers) == 1:
        start, stop, step = numbers[0], numbers[0] + 1, 1
    else:
        start, stop = numbers[:2]
        step = numbers[2] if len(numbers) == 3 else 1
        if start >= stop:
            raise FrameSpecError(f"frame spec item {shown(item)} selects nothing: A:B needs A < B ({records})")
        if step < 1:
            raise FrameSpecError(f"frame spec item {shown(item)}: the step must be at least 1 ({records})")
    highest = start + (stop - 1 - start) // step * step
    if highest > last:
        raise FrameSpecError(
            f"frame spec item {shown(item)}: record {highest} is out of range: this run has {records}"
        )
    return np.arange(start, stop, step)


def _log_spaced(count: int, n_records: int) -> np.ndarray:
    """Exactly ``min(count, n_records)`` distinct records, geometric in 1 + index.

    Both 0 and the last record are included when count >= 2. The ideal positions
    ``geomspace(1, n_records, count) - 1`` are rounded, pushed up just enough to be
    distinct, and capped so that the remaining ones still fit below the last record.
    """
    if count >= n_records:
        return np.arange(n_records)
    last = n_records - 1
    i = np.arange(count)
    ideal = np.rint(np.geomspace(1, n_records, count) - 1).astype(np.int64)
    rising = i + np.maximum.accumulate(ideal - i)  # ideal, or previous + 1 if that is larger
    return np.minimum(rising, last - (count - 1) + i)


def _whole(text: str, item: str, records: str) -> int:
    """A non-negative integer written in ASCII digits."""
    if not _DIGITS.fullmatch(text):
        raise FrameSpecError(f"frame spec item {shown(item)}: {shown(text)} is not a whole number >= 0 ({records})")
    digits = text.lstrip("0") or "0"
    if len(digits) > _MAX_DIGITS:
        raise FrameSpecError(f"frame spec item {shown(item)}: {digits[:12]}... is out of range: this run has {records}")
    return int(digits)


def _is_number_like(text: str) -> bool:
    """Text meant as a number but not a whole one (1.5, -3, 1e3): worth a precise message."""
    return bool(re.fullmatch(r"[-+]?[0-9.]+(?:[eE][-+]?[0-9]+)?", text))
