"""The training half of the ``gdanim`` command: the run, ``gdanim train``'s table, and what is said after it.

``gdanim train`` and ``gdanim render`` share the options (``cli_options``). After a run the command
says, one line each on stderr: rows left out of a CSV, the learning rate ``--lr auto``
chose, a learning rate at or above gd's edge of stability, a divergence, and a run
that has not converged (how far from the optimum, and the epochs still needed).
"""
from __future__ import annotations

import json
import sys

WIDE_TABLE = 8  # more columns than this print as one line per parameter


def history_from(args, check=None, meanwhile=None):
    """(History, trained here?): train from the options, or load --history.
    ``check(objective)``, if given, may refuse an --objective or --model before training;
    ``meanwhile()``, if given, runs while the model trains (``forked.beside``)."""
    from .cli_options import objective_or_data
    from .forked import beside
    from .history import History
    from .train import train

    if getattr(args, "history", None):
        return History.load(args.history), False

    def trained():
        objective, data = objective_or_data(args)
        if check is not None and objective is not None:
            check(objective)
        return train(
            data, objective=objective, loss=args.loss if args.model is None else None, standardize=args.standardize,
            optimizer=args.optimizer, lr=args.lr, schedule=args.schedule, epochs=args.epochs, steps=args.steps,
            batch_size=args.batch_size, order=args.order, init=args.init, start=args.start, seed=args.seed,
            strict=args.strict, stop_at=args.stop_at, J_every=args.J_every,
        )

    return (trained() if meanwhile is None else beside(trained, meanwhile)), True


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
        if title:
            lines.append(f"{title}:")
        lines += _points(points)
    if summary["diverged_at"] is not None:
        lines.append(f"diverged at step {summary['diverged_at']}")
    if summary["stopped_at"] is not None:
        why = "left the bound" if summary["stop_reason"] == "bound" else f"reached --stop-at {config.get('stop_at')}"
        lines.append(f"stopped at step {summary['stopped_at']}: {why}")
    return lines


def _points(points) -> list[str]:
    """initial, final and optimum as rows; a network's many weights as one line each."""
    names = points["params"] + ["J"]
    rows = [row for row in ("initial", "final", "optimum") if points[row] is not None]
    if len(names) > WIDE_TABLE:
        width = max(map(len, names)) + 2
        return [f"{'':>{width}}" + "".join(f"{row:>16}" for row in rows)] + [
            f"{n:>{width}}" + "".join(f"{points[row][n]:>16.8g}" for row in rows) for n in names]
    return [" " * 9 + "".join(f"{n:>16}" for n in names)] + [
        f"{row:>9}" + "".join(f"{points[row][n]:>16.8g}" for n in names) for row in rows]
