"""Gradient descent on the linear model, recording every step.

One update, from record k to record k+1::

    residual = Z_batch @ theta - y_batch            # forward
    grad     = Z_batch.T @ (2 c(B) residual)        # backward (see losses, models)
    u, state = optimizer.update(grad, state)
    theta    = theta + u

Full-batch runs take the gradient from the sufficient statistics instead (O(k^2) a
step, whatever n). J on the full data comes from the same statistics, evaluated for
a block of records at once.

Divergence: training stops at the first record whose parameters or J are not finite,
or whose J exceeds ``1e12 * max(J0, 1)``, or that an update with a gradient or batch
loss that is not finite (float64 overflow) produced. The History keeps the records before it and
``diverged_at`` names the step. Steps are deterministic, so checking a block at a
time keeps exactly the prefix a step-by-step check would.
"""
from __future__ import annotations

import math
import numbers
from typing import Mapping, Sequence

import numpy as np

from . import data as datasets
from . import losses, optim
from .errors import ConfigError, DataError, DivergenceError
from .history import History
from .models import LinearStats, backward, design, param_names

ORDERS = ("sequential", "shuffle", "sample")
INIT_SCHEMES = ("zeros", "uniform", "normal", "truncated-normal")
DIVERGENCE_FACTOR = 1e12
DEFAULT_EPOCHS = 100
_BLOCK = 2048  # records checked for divergence at a time


def train(
    data,
    *,
    loss: str = "mse",
    optimizer: str = "gd",
    lr: float = 0.01,
    epochs: int | None = None,
    steps: int | None = None,
    batch_size: int | None = None,
    order: str = "sequential",
    init="zeros",
    seed: int = 0,
    strict: bool = False,
    **optimizer_options: float,
) -> History:
    """Train a linear model by gradient descent and return its History.

    data: a ``Dataset``, a built-in name or a CSV path.
    optimizer: gd (full batch), sgd (mini-batch, default batch 1), momentum, nesterov,
        adagrad, rmsprop or adam (full batch unless batch_size is given). Extra keyword
        arguments are the optimiser's options (beta, rho, b1, b2, eps).
    epochs / steps: run length; give at most one (default 100 epochs).
    order: how mini-batches are drawn: sequential, shuffle (reshuffled every epoch)
        or sample (with replacement at every step).
    init: a scheme (zeros, uniform, normal, truncated-normal; bias 0), a mapping of
        every parameter name to a value, a sequence of values, or "w=3,b=-1".
    strict: raise DivergenceError instead of returning a diverged History.
    """
    dataset = data if isinstance(data, datasets.Dataset) else datasets.load(data)
    n, k = dataset.n, dataset.k
    names = param_names(k)
    loss_fn = losses.get(loss)
    lr = _positive_float("learning rate", lr)
    transform = optim.make(optimizer, lr, **optimizer_options)
    if order not in ORDERS:
        raise ConfigError(f"unknown order {order!r}; choose one of: {', '.join(ORDERS)}")
    batch = _batch_size(optimizer, batch_size, n)
    full_batch = batch == n and order != "sample"
    per_epoch = 1 if full_batch else math.ceil(n / batch)
    total = _run_length(epochs, steps, per_epoch)
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise ConfigError(f"seed must be a whole number >= 0, got {seed!r}")
    init_rng, batch_rng = (np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(2))
    theta0 = initial_params(init, names, init_rng)

    try:
        stats = LinearStats.from_data(dataset.X, dataset.y)  # overflow shows up below as a cost that is not finite
    except np.linalg.LinAlgError as exc:
        raise DataError(f"{dataset.name}: cannot fit a line to this data ({exc}); rescale the data") from None
    factor = loss_fn.factor(n)
    if full_batch:
        gradient = _full_batch_gradient(stats, factor)
    else:
        gradient = _mini_batch_gradient(dataset, loss_fn, batch, order, per_epoch, batch_rng)

    try:
        params = np.empty((total + 1, k + 1))
        grads = np.empty((total, k + 1))
        batch_J = np.empty(total)
        J = np.empty(total + 1)
    except MemoryError:
        gib = (2 * total + 1) * (k + 2) * 8 / 2**30
        raise ConfigError(
            f"{total:,} steps need about {gib:,.0f} GiB of memory for their records; ask for fewer epochs or steps"
        ) from None
    params[0] = theta0
    with np.errstate(all="ignore"):
        J[0] = factor * stats.sse(theta0)
    if not math.isfinite(J[0]):
        raise DataError(
            f"{dataset.name}: the cost at the initial parameters is not finite; "
            "use smaller initial values or rescale the data"
        )
    limit = DIVERGENCE_FACTOR * max(float(J[0]), 1.0)  # a Python float: inf, not an overflow warning

    theta, state = theta0, transform.init(theta0)
    diverged_at = None
    with np.errstate(all="ignore"):
        for start in range(0, total, _BLOCK):
            stop = min(total, start + _BLOCK)
            for step in range(start, stop):
                batch_J[step], grads[step] = gradient(step, theta)
                update, state = transform.update(grads[step], state)
                theta = theta + update
                params[step + 1] = theta
            J[start + 1 : stop + 1] = factor * stats.sse(params[start + 1 : stop + 1])
            block = slice(start + 1, stop + 1)
            bad = ~(np.isfinite(params[block]).all(axis=1) & np.isfinite(J[block]) & (J[block] <= limit))
            # an update whose batch loss or gradient overflowed breaks the record it produces
            bad |= ~np.isfinite(grads[start:stop]).all(axis=1)
            if not full_batch:  # (full batches keep a NaN placeholder in batch_J until the end)
                bad |= ~np.isfinite(batch_J[start:stop])
            if bad.any():
                diverged_at = start + 1 + int(np.argmax(bad))
                break

    if diverged_at is not None:
        if strict:
            raise DivergenceError(
                f"training diverged at step {diverged_at} (lr={lr:g}); try a smaller learning rate"
            )
        params, J = params[:diverged_at], J[:diverged_at]
        grads, batch_J = grads[: diverged_at - 1], batch_J[: diverged_at - 1]
    if full_batch:
        batch_J = J[:-1].copy()
    record_steps = np.arange(params.shape[0])
    epoch = np.where(record_steps == 0, 0, (record_steps - 1) // per_epoch + 1)

    config = {
        "data": dataset.name,
        "n": n,
        "k": k,
        "loss": loss_fn.name,
        "optimizer": optimizer,
        "optimizer_options": {**optim.defaults(optimizer), **optimizer_options},
        "lr": lr,
        "batch_size": batch,
        "order": order,
        "steps_per_epoch": per_epoch,
        "init": init if isinstance(init, str) else dict(zip(names, theta0.tolist())),
        "initial": theta0.tolist(),
        "seed": seed,
        "epochs": epochs,
        "steps": total,
    }
    return History(dataset, names, params, J, grads, batch_J, epoch, config, diverged_at)


def _full_batch_gradient(stats: LinearStats, factor: float):
    """Gradient over the whole data from the sufficient statistics.

    The batch loss returned here is a placeholder: for full batches it equals J,
    which the trainer evaluates for a block of records at once.
    """

    scaled_hessian, optimum = factor * stats.hessian, stats.optimum

    def gradient(step, theta):  # factor * stats.sse_grad(theta), inlined: it runs every step
        return np.nan, (theta - optimum) @ scaled_hessian

    return gradient


def _mini_batch_gradient(dataset, loss_fn, batch: int, order: str, per_epoch: int, rng):
    """Gradient over one batch, drawn as ``order`` says; one epoch is ceil(n / batch) steps."""
    Z, y, n = design(dataset.X), dataset.y, dataset.n
    epoch_rows = {"Z": Z, "y": y}
    sampled = {}

    def rows(step):
        epoch, i = divmod(step, per_epoch)
        if order == "sample":
            if epoch not in sampled:
                sampled.clear()
                sampled[epoch] = rng.integers(0, n, size=(per_epoch, batch))
            idx = sampled[epoch][i]
            return Z[idx], y[idx]
        if order == "shuffle" and i == 0:
            perm = rng.permutation(n)
            epoch_rows["Z"], epoch_rows["y"] = Z[perm], y[perm]
        lo = i * batch
        return epoch_rows["Z"][lo : lo + batch], epoch_rows["y"][lo : lo + batch]

    def gradient(step, theta):
        Zb, yb = rows(step)
        residual = Zb @ theta - yb
        return loss_fn.value(residual), backward(Zb, loss_fn.grad_prediction(residual))

    return gradient


def initial_params(init, names: Sequence[str], rng: np.random.Generator) -> np.ndarray:
    """Initial theta from a scheme name, "w=3,b=-1", a mapping or a sequence."""
    p = len(names)
    if isinstance(init, str) and "=" in init:
        init = parse_assignments(init)
    if isinstance(init, str):
        theta = np.zeros(p)
        if init == "uniform":
            theta[:-1] = rng.uniform(-1.0, 1.0, p - 1)
        elif init == "normal":
            theta[:-1] = rng.standard_normal(p - 1)
        elif init == "truncated-normal":
            draws = rng.standard_normal(4 * p)  # redraw outside two standard deviations
            theta[:-1] = draws[np.abs(draws) <= 2.0][: p - 1]
        elif init != "zeros":
            raise ConfigError(
                f"unknown init {init!r}; choose one of: {', '.join(INIT_SCHEMES)}, or values like {names[0]}=1,b=0"
            )
        return theta
    if isinstance(init, Mapping):
        unknown = sorted(set(init) - set(names))
        missing = [name for name in names if name not in init]
        if unknown or missing:
            what = f"unknown parameter {unknown[0]!r}" if unknown else f"missing {', '.join(missing)}"
            raise ConfigError(f"init: {what}; this model's parameters are {', '.join(names)}")
        init = [init[name] for name in names]
    theta = np.array(init, dtype=float).reshape(-1)
    if theta.shape != (p,):
        raise ConfigError(f"init: expected {p} values ({', '.join(names)}), got {theta.size}")
    if not np.isfinite(theta).all():
        raise ConfigError("init: values must be finite")
    return theta


def parse_assignments(text: str) -> dict[str, float]:
    """'w=3,b=-1' -> {'w': 3.0, 'b': -1.0}."""
    values = {}
    for item in text.split(","):
        name, sep, value = item.partition("=")
        try:
            if not sep:
                raise ValueError
            values[name.strip()] = float(value)
        except ValueError:
            raise ConfigError(f"cannot read {item.strip()!r} in {text!r}; write name=value pairs like w=3,b=-1") from None
    return values


def _positive_float(what: str, value) -> float:
    try:
        value = float(value)
    except (TypeError, ValueError):
        raise ConfigError(f"{what} must be a number, got {value!r}") from None
    if not (math.isfinite(value) and value > 0):
        raise ConfigError(f"{what} must be a positive finite number, got {value!r}")
    return value


def _count(what: str, value) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value <= 0:
        raise ConfigError(f"{what} must be a positive whole number, got {value!r}")
    return int(value)


def _batch_size(optimizer: str, batch_size, n: int) -> int:
    if batch_size is None:
        return 1 if optimizer == "sgd" else n
    batch = _count("batch size", batch_size)
    if batch > n:
        raise ConfigError(f"batch size {batch} is larger than the data ({n} rows)")
    if optimizer == "gd" and batch != n:
        raise ConfigError("gd is full-batch; use --optimizer sgd for mini-batches")
    return batch


def _run_length(epochs, steps, per_epoch: int) -> int:
    if epochs is not None and steps is not None:
        raise ConfigError("give --epochs or --steps, not both")
    if steps is not None:
        return _count("steps", steps)
    return _count("epochs", DEFAULT_EPOCHS if epochs is None else epochs) * per_epoch
