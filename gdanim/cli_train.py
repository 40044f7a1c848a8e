"""The training half of the ``gdanim`` command: its options, the run, and what is said after it.

``gdanim train`` and ``gdanim render`` share the options. After a run the command
says, one line each on stderr: rows left out of a CSV, the learning rate ``--lr auto``
chose, a learning rate at or above gd's edge of stability, a divergence, and a run
that has not converged (how far from the optimum, and the epochs still needed).
"""
from __future__ import annotations

import argparse
import json
import sys

from .errors import ConfigError


def add_training_options(p: argparse.ArgumentParser) -> None:
    from .losses import LOSSES
    from .objectives import REGISTRY
    from .optim import OPTIMIZERS
    from .schedules import SCHEDULES

    g = p.add_argument_group("data or objective, and training")
    g.add_argument("--data", help="built-in dataset name or CSV file (default six-points, unless --objective)")
    g.add_argument("--x", help="CSV feature columns: names or 0-based indices, comma-separated; a name with a comma "
                   "in double quotes (default: all but --y)")
    g.add_argument("--y", help="CSV target column, a name or 0-based index (default: the last)")
    g.add_argument("--delimiter", help="CSV cell separator: ',', ';', tab, '|' ... (default: the file's own)")
    g.add_argument("--drop-missing", action="store_true", help="leave out CSV rows with empty or NA cells (says how many)")
    g.add_argument("--standardize", nargs="?", const="features", metavar="features|all",
                   help="train on z-scored features (all: the target too); parameters are reported in both units")
    functions = " | ".join(name for name, entry in REGISTRY.items() if not entry.needs_data)
    g.add_argument("--objective", help=f"instead of --data: {functions} (bowl:kappa=K,angle=DEG), or an expression "
                   "such as 'x**2 + 10*y**2'")
    g.add_argument("--params", help="the order of an expression's parameters, e.g. b,a (default: first appearance)")
    g.add_argument("--loss", help=f"{' | '.join(LOSSES)} (default mse; data only)")
    g.add_argument("--optimizer", default="gd", help=f"{' | '.join(OPTIMIZERS)} (default gd)")
    g.add_argument("--lr", default="0.01", help="learning rate (default 0.01), or auto: gd's fastest constant rate "
                   "2/(lmin+lmax) from the exact Hessian")
    g.add_argument("--schedule", help=f"learning-rate schedule: {' | '.join(SCHEDULES)} (default constant)")
    g.add_argument("--batch-size", type=int, help="rows per step (default: 1 for sgd, all rows otherwise)")
    g.add_argument("--order", default="sequential", help="sequential | shuffle | sample (mini-batch order)")
    g.add_argument("--init", help="zeros | uniform | normal | truncated-normal | w=3,b=-1 (default: zeros, or the "
                   "function's usual start)")
    g.add_argument("--start", help="the starting point, e.g. --start=-1.2,1 or --start=x=-1.2,y=1")
    g.add_argument("--seed", type=int, default=0, help="seed for the init scheme and batch order (default 0)")
    length = g.add_mutually_exclusive_group()
    length.add_argument("--epochs", type=int, help="epochs to train (default 100)")
    length.add_argument("--steps", type=int, help="stop after this many updates")
    g.add_argument("--stop-at", help="end the run once J - J* <= TOL (TOL, or J:TOL) or the gradient norm <= TOL (grad:TOL)")
    g.add_argument("--strict", action="store_true", help="treat divergence as an error instead of a warning")


def history_from(args):
    """(History, trained here?): train from the options, or load --history."""
    from . import data as datasets
    from .history import History
    from .objectives import make_objective
    from .train import train

    if getattr(args, "history", None):
        return History.load(args.history), False
    objective = data = None
    if args.objective is None:
        if args.params is not None:
            raise ConfigError("--params applies to --objective expressions")
        data = datasets.load(args.data or "six-points", x=args.x, y=args.y, delimiter=args.delimiter,
                             drop_missing=args.drop_missing)
    else:
        data_options = {"data": args.data, "x": args.x, "y": args.y, "delimiter": args.delimiter,
                        "drop-missing": args.drop_missing or None, "standardize": args.standardize}
        given = [name for name, value in data_options.items() if value is not None]
        if given:
            raise ConfigError(f"--{given[0]} and --objective conflict: train on data or on an objective, not both")
        objective = make_objective(args.objective, params=args.params, what="--objective")
        if args.loss is not None:
            raise ConfigError(f"--loss applies to --data, not to --objective {objective.label!r}")
    history = train(
        data, objective=objective, loss=args.loss, standardize=args.standardize, optimizer=args.optimizer, lr=args.lr,
        schedule=args.schedule, epochs=args.epochs, steps=args.steps, batch_size=args.batch_size, order=args.order,
        init=args.init, start=args.start, seed=args.seed, strict=args.strict, stop_at=args.stop_at,
    )
    return history, True


def say_after_run(history) -> None:
    """The notes and warnings on a run just trained, one line each on stderr."""
    from .run_notes import notes

    for line in notes(history):
        print(f"gdanim: {line}", file=sys.stderr)


def cmd_train(args) -> int:
    from .run_notes import learning_rate_lines

    history, _ = history_from(args)
    if args.save:
        history.save(args.save)
    summary = history.summary()
    if args.json:
        print(json.dumps(summary))
    else:
        print("\n".join(_table(history, summary) + learning_rate_lines(summary)))
    say_after_run(history)
    return 0


def _table(history, summary) -> list[str]:
    config = history.config
    what = f"objective {summary['objective']}" if summary["data"] is None else f"data {summary['data']}  (n = {summary['n']:,})"
    schedule = "" if "schedule" not in config else f" ({config['schedule']})"
    auto = " (auto)" if summary["lr"]["auto"] else ""
    gradient = "" if summary["gradient"] == "exact" else f"   {summary['gradient']} gradient"
    length = f"{summary['steps']:,} steps" + ("" if summary["data"] is None else f" / {summary['epochs']:,} epochs")
    scaled = "" if summary["standardize"] is None else f"   standardized {summary['standardize']['mode']}"
    lines = [f"{what}   {config['optimizer']}, lr {config['lr']:g}{auto}{schedule}, {length}{gradient}{scaled}"]
    tables = [("", summary)] if summary["standardize"] is None else [("in the data's units", summary),
                                                                   ("standardized (as trained)", summary["trained"])]
    for title, points in tables:
        names = points["params"] + ["J"]
        if title:
            lines.append(f"{title}:")
        lines.append(" " * 9 + "".join(f"{n:>16}" for n in names))
        for row in ("initial", "final", "optimum"):
            if points[row] is not None:
                lines.append(f"{row:>9}" + "".join(f"{points[row][n]:>16.8g}" for n in names))
    if summary["diverged_at"] is not None:
        lines.append(f"diverged at step {summary['diverged_at']}")
    if summary["stopped_at"] is not None:
        why = "left the bound" if summary["stop_reason"] == "bound" else f"reached --stop-at {config.get('stop_at')}"
        lines.append(f"stopped at step {summary['stopped_at']}: {why}")
    return lines
