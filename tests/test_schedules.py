"""Learning-rate schedules: their formulas, their use by every optimiser, and bad ones refused."""
import math

import numpy as np
import pytest

import gdanim
from gdanim import schedules
from gdanim.errors import ConfigError

T = np.arange(12)


@pytest.mark.parametrize(
    "spec, expected",
    [
        ("constant", [0.1] * 12),
        ("step:every=5,factor=0.5", [0.1] * 5 + [0.05] * 5 + [0.025] * 2),
        ("exp:0.9", [0.1 * 0.9**t for t in range(12)]),
        ("cosine:steps=8,min=0.01", [0.01 + 0.09 * (1 + math.cos(math.pi * min(t, 8) / 8)) / 2 for t in range(12)]),
        ("inverse:0.5", [0.1 / (1 + 0.5 * t) for t in range(12)]),
    ],
)
def test_schedule_formulas(spec, expected):
    np.testing.assert_allclose(schedules.rates(schedules.make(spec, 0.1), 12), expected, rtol=1e-15)


@pytest.mark.parametrize("optimizer", ["gd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"])
def test_every_optimizer_follows_its_schedule(optimizer):
    """With a schedule, step t's update is the constant-lr update scaled by lr(t) / lr."""
    h = gdanim.train(objective="booth", optimizer=optimizer, lr=0.02, schedule="step:every=3,factor=0.5", steps=9)
    assert h.lr.tolist() == [0.02] * 3 + [0.01] * 3 + [0.005] * 3
    base = gdanim.optim.make(optimizer, 1.0)
    state = base.init(h.params[0])
    for t in range(9):
        unit, state = base.update(h.grads[t], state)
        np.testing.assert_allclose(h.params[t + 1] - h.params[t], h.lr[t] * unit, rtol=1e-12)
    assert h.config["schedule"] == "step:every=3,factor=0.5" and h.config["lr"] == 0.02


def test_schedule_object_as_lr():
    h = gdanim.train(objective="booth", lr=schedules.exponential(0.01, 0.5), steps=4)
    assert h.lr.tolist() == [0.01, 0.005, 0.0025, 0.00125] and h.config["schedule"] == "exp:0.5"


@pytest.mark.parametrize(
    "spec, message",
    [
        ("step:every=5,factor=0", "gives learning rate 0 at step 5"),
        ("exp:-0.5", "gives learning rate -0.05 at step 1"),
        ("inverse:-0.25", "at step 4"),
        ("exp:1e-200", "gives learning rate 0 at step 2"),
        ("cosine:steps=10,min=0", "gives learning rate 0 at step 10"),
        ("exp", "unknown schedule"),
        ("linear:3", "unknown schedule"),
        ("exp:abc", "'abc'"),
        ("exp:nan", "not a finite number"),
        ("step:every=0", "whole number"),
        ("step:factor=2", "step:every=N,factor=F"),
        ("cosine:steps=3,max=1", "cosine:steps=N,min=LR"),
    ],
)
def test_bad_schedules_are_one_line(spec, message):
    with pytest.raises(ConfigError, match=message) as info:
        gdanim.train(objective="booth", lr=0.1, schedule=spec, steps=20)
    assert "\n" not in str(info.value)


def test_cosine_reaching_min_after_the_run_is_fine():
    h = gdanim.train(objective="booth", lr=0.1, schedule="cosine:steps=10,min=0", steps=10)
    assert h.lr[-1] > 0 and h.steps == 10
