"""Gradient descent on any objective, recording every step.

A run is an objective, an optimiser and a batch schedule. One update, from record k
to record k+1::

    J_batch, grad = objective.batch_value_and_gradient(theta, rows(k))   # or the full gradient
    u, state      = optimizer.update(grad, state)
    theta         = theta + u

Objectives without data, and full-batch runs, take the full gradient at every step
(through the objective's fast path when it has one). J on the full data is evaluated
for a block of records at once. The trainer knows nothing of any particular model:
``gdanim.objectives`` turns data or a spec into the objective.

Divergence: training stops at the first record whose parameters or J are not finite,
or whose J exceeds ``1e12 * max(J0, 1)``, or that an update with a gradient or batch
loss that is not finite (float64 overflow) produced. The History keeps the records before it and
``diverged_at`` names the step. A run also ends, cleanly, at the first record beyond
the objective's ``bound`` (kept) or within ``stop_at`` (kept); ``stopped_at`` names it.
Steps are deterministic, so checking a block at a time keeps exactly the prefix a
step-by-step check would.

Sparse J (``J_every``, mini-batch runs): J on all rows after every step costs far
more than a step on a small batch (100,000 rows against 256). With ``J_every=N``
(or 'epoch') the trainer evaluates J only at records 0, N, 2N, ... and the last;
the other entries of ``History.J`` are NaN, ``History.J_records`` lists the records
that carry J and ``History.J_at`` computes any other from its parameters, exactly as
training would have. Every parameter, gradient, batch loss and learning rate is
still recorded at every step. Divergence through J's size and ``stop_at`` on J are
seen at the records that carry J; non-finite parameters, gradients and batch losses
at every step.
"""
from __future__ import annotations

import math
import numbers

import numpy as np

from . import guidance, optim, schedules, validate
from .errors import DataError, DivergenceError
from .history import History
from .objectives import INIT_SCHEMES, make_objective
from .train_options import StopRule, batch_rows, batch_size_for, initial_params, run_length
from .validate import ParamError

ORDERS = ("sequential", "shuffle", "sample")
DIVERGENCE_FACTOR = 1e12
_BLOCK = 2048  # records checked for divergence at a time

__all__ = ["DIVERGENCE_FACTOR", "INIT_SCHEMES", "ORDERS", "train"]


@validate.keywords
def train(
    data=None,
    *,
    objective=None,
    loss: str | None = None,
    standardize=None,
    params=None,
    optimizer: str = "gd",
    lr=0.01,
    schedule=None,
    epochs: int | None = None,
    steps: int | None = None,
    batch_size: int | None = None,
    order: str = "sequential",
    init=None,
    start=None,
    seed: int = 0,
    strict: bool = False,
    stop_at=None,
    beta: float | None = None,
    rho: float | None = None,
    b1: float | None = None,
    b2: float | None = None,
    eps: float | None = None,
    J_every=None,
) -> History:
    """Minimise an objective by gradient descent and return its History.

    data: a ``Dataset``, a built-in name or a CSV path: linear regression on it.
    objective: instead of data, a built-in function ('rosenbrock', 'bowl:kappa=10'),
        an expression ('x**2 + 10*y**2'; ``params`` orders its names) or an Objective
        (``gdanim.objective``). Objectives without data take a full step every time.
    loss: mse (default), half-mse or sse, for data.
    standardize: 'features' (or True) trains on z-scored features, 'all' on a z-scored
        target too; parameters are then in standardized units (names end in _z) and
        ``objective.scaling`` carries them back (``History.summary`` reports both).
    optimizer: gd (full batch), sgd (mini-batch, default batch 1), momentum, nesterov,
        adagrad, rmsprop or adam (full batch unless batch_size is given); beta, rho,
        b1, b2 and eps are the optimisers' options.
    lr: the learning rate, a ``gdanim.schedules.Schedule``, or 'auto': for gd on linear
        regression, the fastest constant rate 2/(lmin+lmax) of the exact Hessian.
    schedule: a spec such as 'exp:0.99' or 'cosine:steps=500,min=1e-4' starting at lr.
    epochs / steps: run length; give at most one (default 100 epochs).
    order: how mini-batches are drawn: sequential, shuffle (reshuffled every epoch)
        or sample (with replacement at every step).
    init / start: a scheme (zeros, uniform, normal, truncated-normal), a mapping of
        every parameter name to a value, a sequence of values, "w=3,b=-1" or "-1.2,1".
        Default: the objective's usual start (rosenbrock: -1.2,1), else zeros.
    stop_at: end the run once J - J* (J where J* is unknown) is at most this number,
        or "grad:TOL" once the gradient's norm is at most TOL.
    strict: raise DivergenceError instead of returning a diverged History.
    J_every: mini-batch runs only: evaluate J on the full data at every N-th record
        (an int N, or 'epoch' for the first record of every epoch) and the last,
        instead of after every step (see "Sparse J" in the module docstring).
    """
    obj = make_objective(objective, data=data, loss=loss, params=params, standardize=standardize)
    names, n = obj.names, obj.n
    if init is not None and start is not None:
        raise ParamError("start", lambda w: f"give {w.spelling.name('init')} or {w.name}, not both")
    options = {k: v for k, v in dict(beta=beta, rho=rho, b1=b1, b2=b2, eps=eps).items() if v is not None}
    lr, lr_auto = guidance.resolve_lr(lr, obj, optimizer)
    base_lr, lr_schedule = _learning_rate(lr, schedule)
    optim.make(optimizer, base_lr, **options)  # an unknown optimizer or option fails before any work
    validate.choice("order", order, ORDERS)
    batch = batch_size_for(optimizer, batch_size, n)
    full_batch = n is None or (batch == n and order != "sample")
    per_epoch = 1 if full_batch else math.ceil(n / batch)
    total = run_length(epochs, steps, per_epoch)
    validate.whole("seed", seed)
    stop_rule = StopRule.parse(stop_at, obj)
    every = J_interval(J_every, full_batch, per_epoch)
    rates = None if lr_schedule is None else schedules.rates(lr_schedule, total)
    transform = optim.make(optimizer, base_lr if rates is None else rates.__getitem__, **options)
    init_rng, batch_rng = (np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(2))
    begin = start if start is not None else init
    if begin is None:
        begin = "zeros" if obj.default_start is None else list(obj.default_start)
    theta0 = initial_params(obj, begin, init_rng, "start" if start is not None else "init")

    if full_batch:
        full_gradient = obj.full_batch_stepper() or obj.gradient

        def gradient(step, theta):  # the batch loss is a placeholder: for full batches it is J
            return np.nan, full_gradient(theta)
    else:
        rows = batch_rows(n, batch, order, per_epoch, batch_rng)

        def gradient(step, theta):
            return obj.batch_value_and_gradient(theta, rows(step))

    try:
        params = np.empty((total + 1, len(names)))
        grads = np.empty((total, len(names)))
        batch_J = np.empty(total)
        J = np.empty(total + 1)
    except MemoryError:
        gib = (2 * total + 1) * (len(names) + 1) * 8 / 2**30
        raise ParamError("steps" if steps is not None else "epochs", lambda w: (
            f"{total:,} steps need about {gib:,.0f} GiB of memory for their records; give a smaller {w.name}"
        )) from None
    params[0] = theta0
    with np.errstate(all="ignore"):
        J[0] = obj.value(theta0)
    if not math.isfinite(J[0]):
        hint = "use smaller initial values or rescale the data" if obj.data is not None else "start somewhere else"
        raise DataError(f"{obj.label}: the cost at the initial parameters is not finite; {hint}")
    limit = DIVERGENCE_FACTOR * max(float(J[0]), 1.0)  # a Python float: inf, not an overflow warning

    theta, state = theta0, transform.init(theta0)
    diverged_at = stopped_at = stop_reason = None
    run_steps = total
    if stop_rule.on_J and stop_rule.reached_J(J[:1]).any():
        run_steps, stopped_at, stop_reason = 0, 0, "stop_at"
    with np.errstate(all="ignore"):
        for first in range(0, run_steps, _BLOCK):
            last = min(run_steps, first + _BLOCK)
            for step in range(first, last):
                batch_J[step], grads[step] = gradient(step, theta)
                update, state = transform.update(grads[step], state)
                theta = theta + update
                params[step + 1] = theta
            block = slice(first + 1, last + 1)
            carries = J_carried(np.arange(first + 1, last + 1), every, total)
            if every == 1:
                J[block] = obj.value(params[block])
            else:
                J[block] = np.nan
                J[block][carries] = obj.value(params[block][carries])
            tame = ~carries | (np.isfinite(J[block]) & (J[block] <= limit))
            bad = ~(np.isfinite(params[block]).all(axis=1) & tame)
            # an update whose batch loss or gradient overflowed breaks the record it produces
            bad |= ~np.isfinite(grads[first:last]).all(axis=1)
            if not full_batch:  # (full batches keep a NaN placeholder in batch_J until the end)
                bad |= ~np.isfinite(batch_J[first:last])
            diverged = first + 1 + int(np.argmax(bad)) if bad.any() else math.inf
            stop = stop_rule.first_stop(first, params[block], J[block], grads[first:last], obj.bound)
            if stop[0] < diverged:
                stopped_at, stop_reason = stop
                break
            if bad.any():
                diverged_at = diverged
                break

    shown_lr = base_lr if rates is None or diverged_at is None else rates[diverged_at - 1]
    if diverged_at is not None:
        if strict:
            raise DivergenceError(
                f"training diverged at step {diverged_at} (lr={shown_lr:g}); try a smaller learning rate"
            )
        kept = diverged_at
    else:
        kept = total + 1 if stopped_at is None else stopped_at + 1
    params, J, grads, batch_J = params[:kept], J[:kept], grads[: kept - 1], batch_J[: kept - 1]
    if every > 1 and not J_carried(kept - 1, every, total):  # the last record always carries J
        with np.errstate(all="ignore"):
            J[-1] = obj.value(params[-1])
    if full_batch:
        batch_J = J[:-1].copy()
    record_steps = np.arange(params.shape[0])
    epoch = np.where(record_steps == 0, 0, (record_steps - 1) // per_epoch + 1)
    lr_used = np.full(kept - 1, base_lr) if rates is None else rates[: kept - 1].copy()

    config = {
        **obj.config(),
        "optimizer": optimizer,
        "optimizer_options": {**optim.defaults(optimizer), **options},
        "lr": base_lr,
        "batch_size": batch,
        "order": order,
        "steps_per_epoch": per_epoch,
        "init": begin if isinstance(begin, str) else dict(zip(names, theta0.tolist())),
        "initial": theta0.tolist(),
        "seed": seed,
        "epochs": epochs,
        "steps": total,
    }
    if lr_auto:
        config["lr_auto"] = True
    if lr_schedule is not None:
        config["schedule"] = lr_schedule.label
    if stop_at is not None:
        config["stop_at"] = stop_rule.label
    if every > 1:
        config["J_every"] = every
    return History(obj, names, params, J, grads, batch_J, epoch, lr_used, config, diverged_at, stopped_at, stop_reason)


def J_interval(J_every, full_batch: bool, per_epoch: int) -> int:
    """Records from one full-data J to the next: 1 (every record), N, or an epoch's steps."""
    if J_every is None:
        return 1
    if full_batch:
        raise ParamError("J_every", lambda w: f"{w.name} applies to mini-batch runs; a full-batch step costs as "
                         "much as J, which is recorded after every step")
    if J_every == "epoch":
        return per_epoch
    if isinstance(J_every, str) and J_every.isdigit():
        J_every = int(J_every)
    if isinstance(J_every, bool) or not isinstance(J_every, numbers.Integral) or J_every < 1:
        raise ParamError("J_every", lambda w: f"{w.name} must be a whole number >= 1 or 'epoch', got {J_every!r}")
    return int(J_every)


def J_carried(records, every: int, total: int):
    """Whether each record carries J: every ``every``-th, and the run's last (record ``total``)."""
    records = np.asarray(records)
    return (records % every == 0) | (records == total)


def _learning_rate(lr, schedule):
    """(initial lr, Schedule or None): a number lr with an optional spec, or a Schedule as lr."""
    if isinstance(lr, schedules.Schedule):
        if schedule is not None:
            raise ParamError("schedule", lambda w: f"give a schedule as {w.spelling.name('lr')} or as {w.name}, not both")
        return validate.positive_float("lr", lr.initial), lr
    lr = validate.positive_float("lr", lr)
    if schedule is None or schedule == "constant":
        return lr, None
    return lr, schedules.make(schedule, lr)
