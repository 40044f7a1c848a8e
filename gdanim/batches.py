"""Which rows each step of a mini-batch run used, replayed from the History's config.

A History stores no batches (memory stays O(steps x params)). ``train`` draws them
from the second child of ``SeedSequence(seed)`` (the first seeds the init scheme)
through ``train_options.batch_rows``, which must be called epoch by epoch in order;
replaying those calls in that order gives the same rows, so views can show the batch
behind each step. tests/test_batches.py holds the replay to the recorded batch losses.
"""
from __future__ import annotations

import numpy as np

from .train_options import batch_rows


def batch_rows_at(history, steps) -> dict[int, np.ndarray]:
    """{step: row indices of the batch that step's update used} for the given steps."""
    config, n = history.config, history.data.n
    per_epoch = config["steps_per_epoch"]
    rng = np.random.default_rng(np.random.SeedSequence(config["seed"]).spawn(2)[1])
    rows = batch_rows(n, config["batch_size"], config["order"], per_epoch, rng)
    everything = np.arange(n)
    found, drawn_epoch, first = {}, -1, None
    for step in sorted(set(int(s) for s in steps)):
        epoch = step // per_epoch
        while drawn_epoch < epoch:  # each epoch's shuffle or sample is drawn at its first step
            drawn_epoch += 1
            first = rows(drawn_epoch * per_epoch)
        found[step] = everything[first if step == epoch * per_epoch else rows(step)]
    return found
