"""What the command line says after a run, in its own words (``--lr``, ``--standardize``).

One line per note, without the ``gdanim: `` prefix; the numbers come from
``gdanim.convergence`` and ``gdanim.guidance`` (and ``--json`` carries them as fields).
"""
from __future__ import annotations

import numpy as np

from .convergence import assess, epochs_from_start
from .guidance import learning_rates, scale_spread

#: Column scales that differ more than this many times make --standardize worth suggesting.
SCALE_SPREAD_HINT = 10.0
SHOWN_LINES = 5  # dropped rows listed by line number


def notes(history) -> list[str]:
    lines = []
    data, config = history.data, history.config
    if data is not None and data.dropped:
        shown = ", ".join(map(str, data.dropped[:SHOWN_LINES])) + (", ..." if len(data.dropped) > SHOWN_LINES else "")
        total = data.n + len(data.dropped)
        lines.append(f"note: {data.name}: left out {len(data.dropped):,} of {total:,} rows with missing values "
                     f"(line{'s' * (len(data.dropped) > 1)} {shown})")
    rates = learning_rates(history.objective)
    if config.get("lr_auto"):
        lines.append(f"note: --lr auto: {config['lr']:.6g}, the fastest constant learning rate for gd here, "
                     f"2/(lmin+lmax) with lmin, lmax the extreme eigenvalues of J's Hessian")
    gd = rates is not None and config.get("optimizer") == "gd" and len(history.lr)
    above_edge = gd and rates.at_or_above_edge(float(np.max(history.lr)))
    if history.diverged_at is not None:
        lines.append(_diverged(history, rates if gd else None))
    elif above_edge:
        lines.append(f"warning: --lr {float(np.max(history.lr)):g} is at or above the edge of stability for gd, "
                     f"2/lmax = {rates.largest_stable:.6g}: the steepest direction flips sign every {_unit(history)} and never "
                     f"settles; the fastest constant rate is {rates.fastest:.6g} (--lr auto)")
    convergence = assess(history)
    if convergence is not None and not convergence.converged:
        lines.append(_not_converged(history, convergence, rates if gd else None))
    return lines


def learning_rate_lines(summary: dict) -> list[str]:
    """``gdanim train``'s lines on gd's learning rates, from the summary."""
    rates = summary["learning_rates"]
    if rates is None:
        return []
    epochs, unit = rates["epochs_at_fastest"], "step" if summary["data"] is None else "epoch"
    start = "" if epochs is None else f"   (converges in {_count(epochs, unit)} from this start)"
    return [
        "learning rates for gd, from the exact Hessian:",
        f"  largest stable  2/lmax        = {rates['largest_stable']:.6g}",
        f"  fastest         2/(lmin+lmax) = {rates['fastest']:.6g}{start}",
    ]


def _diverged(history, rates) -> str:
    schedule = history.config.get("schedule")
    lr = f"lr={history.config['lr']:g}" + (f", schedule {schedule}" if schedule else "")
    below = "" if rates is None else f" (below 2/lmax = {rates.largest_stable:.6g} for gd; --lr auto: {rates.fastest:.6g})"
    return (f"warning: training diverged at step {history.diverged_at} ({lr}); try a smaller learning rate{below}"
            f"{_scale_hint(history)}, or --strict to make this an error")


def _unit(history) -> str:
    """What a run counts in: epochs over data, steps on a function."""
    return "step" if history.data is None else "epoch"


def _count(number: int, unit: str) -> str:
    return f"{number:,} {unit}{'s' * (number != 1)}"


def _not_converged(history, c, rates) -> str:
    unit = _unit(history)
    length = _count(history.epochs if history.data is not None else history.steps, unit)
    if c.relative_to == "optimum":
        where = f"J = {c.J:.6g} is {c.percent:.3g}% above the optimum {c.optimum_J:.6g}"
    else:
        zero = "0" if c.optimum_J == 0 else "0 (up to rounding)"  # J* counts as 0 here: data on an exact line
        where = f"J = {c.J:.6g} is above the optimum {zero} by {c.percent:.3g}% of the initial J"
    lr = f"lr {history.config['lr']:g}"
    if c.more_epochs is not None:  # exact at one lr; otherwise J's recent rate of fall, whatever the lr did
        pace = f"at {lr} about " if c.estimate == "exact" else "about "
        rate = "" if c.estimate == "exact" else " at its recent rate"
        estimate = f"; {pace}{_count(c.more_epochs, 'more ' + unit)}{rate} would bring it within {c.tolerance:g}"
    elif c.reason == "stochastic":
        estimate = ("; stochastic steps at a constant learning rate hover above it (try gd, a larger --batch-size "
                    "or a decaying --schedule)")
    elif c.reason == "unstable":
        estimate = f"; at {lr} it gets no closer"
    else:
        estimate = "; J has stopped falling (a local minimum, a plateau or a cycle)"
    faster = ""
    if rates is not None and not history.config.get("lr_auto") and history.config["lr"] < 0.5 * rates.fastest:
        epochs = epochs_from_start(history, rates.fastest)
        if epochs is not None:
            faster = f" (--lr auto, {rates.fastest:.6g}, converges in {_count(epochs, unit)} from this start)"
    return f"warning: not converged after {length}: {where}{estimate}{faster}{_scale_hint(history)}"


def _scale_hint(history) -> str:
    spread = scale_spread(history.objective)
    if spread is None or spread[0] <= SCALE_SPREAD_HINT:
        return ""
    ratio, low, high = spread
    return f"; the columns' scales differ {ratio:.3g}x ({low}, {high}): try --standardize"
