"""Property test of the trainer: on random finite data and learning rates the run is
finite or flagged as diverged (keeping its finite prefix), or the input is refused
with a one-line error. Never a silent NaN or inf.
"""
from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from gdanim.data import from_arrays
from gdanim.errors import DataError, DivergenceError
from gdanim.losses import LOSSES
from gdanim.optim import OPTIMIZERS
from gdanim.train import DIVERGENCE_FACTOR, INIT_SCHEMES, ORDERS, train

# derandomized: the same examples in every run, so a CI run is red only for a change
FUZZ = settings(max_examples=500, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])


def magnitude(lo: int, hi: int):
    """Finite floats whose size spans 10**lo .. 10**hi, either sign, and zero."""
    return st.one_of(
        st.just(0.0),
        st.builds(lambda m, e: m * 10.0**e, st.floats(-10, 10, allow_nan=False), st.integers(lo, hi)),
    )


@st.composite
def runs(draw):
    n = draw(st.integers(1, 8))
    k = draw(st.integers(1, 3))
    scale = draw(st.sampled_from([(-3, 3), (-8, 8), (-2, 40), (100, 150), (140, 165), (200, 300)]))
    X = np.array(draw(st.lists(magnitude(*scale), min_size=n * k, max_size=n * k))).reshape(n, k)
    y = np.array(draw(st.lists(magnitude(*scale), min_size=n, max_size=n)))
    optimizer = draw(st.sampled_from(list(OPTIMIZERS)))
    if optimizer == "gd":
        batch_size = draw(st.sampled_from([None, n]))
    else:
        batch_size = draw(st.one_of(st.none(), st.integers(1, n)))
    init = draw(st.one_of(
        st.sampled_from(INIT_SCHEMES),
        st.lists(magnitude(-3, 6), min_size=k + 1, max_size=k + 1),
    ))
    options = dict(
        loss=draw(st.sampled_from(list(LOSSES))),
        optimizer=optimizer,
        lr=10.0 ** draw(st.floats(-12, 6, allow_nan=False)),
        steps=draw(st.integers(1, 60)),
        batch_size=batch_size,
        order=draw(st.sampled_from(ORDERS)),
        init=init,
        seed=draw(st.integers(0, 2**32)),
    )
    return X, y, options


def check_finite_history(h, total_steps):
    arrays = {name: getattr(h, name) for name in ("params", "J", "grads", "batch_J")}
    for name, a in arrays.items():
        assert np.isfinite(a).all(), f"{name} holds a non-finite value: {a}"
    records = h.params.shape[0]
    assert h.J.shape == (records,) and h.epoch.shape == (records,)
    assert h.grads.shape == (records - 1, h.params.shape[1]) and h.batch_J.shape == (records - 1,)
    assert records >= 1
    limit = DIVERGENCE_FACTOR * max(float(h.J[0]), 1.0)
    assert (h.J <= limit).all()
    if h.diverged_at is None:
        assert records == total_steps + 1
    else:
        # the records before the blow-up, then the flag naming the step that broke it
        assert h.diverged_at == records and 1 <= h.diverged_at <= total_steps
    json.dumps(h.summary(), allow_nan=False)  # what `gdanim train --json` prints is valid, finite JSON


@FUZZ
@given(run=runs())
def test_trainer_is_finite_or_flags_divergence(run):
    X, y, options = run
    data = from_arrays(X, y, "fuzz")
    try:
        h = train(data, **options)
    except DataError as e:  # data or initial values too large for float64: a clean, one-line refusal
        assert "\n" not in str(e) and "not finite" in str(e)
        event("refused: cost not finite")
        return
    check_finite_history(h, options["steps"])
    event("finite" if h.diverged_at is None else "diverged")
    if h.diverged_at is None:
        return
    # --strict refuses the same run, naming the same step
    with pytest.raises(DivergenceError, match=f"diverged at step {h.diverged_at} "):
        train(data, **{**options, "strict": True})
    # and the prefix is the run itself: stopping one step earlier gives the same records, no flag.
    # (J may differ in the last bits: it is evaluated for a block of records at once, the
    # block's length changes numpy's summation order, and data spanning 1e100 and more
    # loses digits to cancellation.)
    if h.diverged_at >= 2:
        shorter = train(data, **{**options, "steps": h.diverged_at - 1})
        assert shorter.diverged_at is None
        np.testing.assert_array_equal(shorter.params, h.params)
        np.testing.assert_allclose(shorter.J, h.J, rtol=1e-6, atol=0)


def test_known_divergence():
    """The issue's example: six-points at lr 0.1 blows up at step 12."""
    h = train("six-points", lr=0.1, init="w=3,b=-1", epochs=500)
    assert h.diverged_at == 12
    check_finite_history(h, 500)


def test_a_run_starting_at_an_underflowing_cost_has_no_verdict_not_a_crash():
    """Found by the fuzz test: J at the start underflows to zero, so the 1e-6 relative
    tolerance is zero; estimating the epochs left took log(0)."""
    data = from_arrays(np.array([[0.0]]), np.array([9.65416489e-177]), "fuzz")
    h = train(data, optimizer="adagrad", lr=1.0, steps=32, init="zeros", order="sequential")
    assert h.J[0] == 0.0 and h.J[-1] > 0.0
    assert h.summary()["convergence"] is None
    json.dumps(h.summary(), allow_nan=False)
