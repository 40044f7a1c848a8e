"""The ``gdanim`` command: train, render, walkthrough, demo, hash, check.

Bad input ends with one line on stderr and exit status 2; a difference found by
``check`` exits 1.
"""
from __future__ import annotations

import argparse
import atexit
import contextlib
import json
import math
import os
import signal
import sys
import warnings
from pathlib import Path

from .errors import ConfigError, GdanimError

EXIT_BAD_INPUT = 2


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, not usage + message
        raise ConfigError(f"{self.prog}: {message} (see --help)")


def _training_options(p: argparse.ArgumentParser) -> None:
    from .losses import LOSSES
    from .objectives import INIT_SCHEMES, REGISTRY
    from .optim import OPTIMIZERS
    from .schedules import SCHEDULES

    g = p.add_argument_group("data or objective, and training")
    g.add_argument("--data", help="built-in dataset name or CSV file (default six-points, unless --objective)")
    g.add_argument("--x", help="CSV feature column(s), comma-separated (default: all but --y)")
    g.add_argument("--y", help="CSV target column (default: the last)")
    functions = " | ".join(name for name, entry in REGISTRY.items() if not entry.needs_data)
    g.add_argument("--objective", help=f"instead of --data: {functions} (bowl:kappa=K,angle=DEG), or an expression "
                   "such as 'x**2 + 10*y**2'")
    g.add_argument("--params", help="the order of an expression's parameters, e.g. b,a (default: first appearance)")
    g.add_argument("--loss", help=f"{' | '.join(LOSSES)} (default mse; data only)")
    g.add_argument("--optimizer", default="gd", help=f"{' | '.join(OPTIMIZERS)} (default gd)")
    g.add_argument("--lr", type=float, default=0.01, help="learning rate (default 0.01)")
    g.add_argument("--schedule", help=f"learning-rate schedule: {' | '.join(SCHEDULES)} (default constant)")
    g.add_argument("--batch-size", type=int, help="rows per step (default: 1 for sgd, all rows otherwise)")
    g.add_argument("--order", default="sequential", help="sequential | shuffle | sample (mini-batch order)")
    g.add_argument("--init", help=f"{' | '.join(INIT_SCHEMES)} | w=3,b=-1 (default: zeros, or the "
                   "function's usual start)")
    g.add_argument("--start", help="the starting point, e.g. --start=-1.2,1 or --start=x=-1.2,y=1")
    g.add_argument("--seed", type=int, default=0, help="seed for the init scheme and batch order (default 0)")
    length = g.add_mutually_exclusive_group()
    length.add_argument("--epochs", type=int, help="epochs to train (default 100)")
    length.add_argument("--steps", type=int, help="stop after this many updates")
    g.add_argument("--stop-at", help="end the run once J - J* <= TOL (TOL, or J:TOL) or the gradient norm <= TOL (grad:TOL)")
    g.add_argument("--strict", action="store_true", help="treat divergence as an error instead of a warning")


def _history(args):
    """Train from the options, or load --history; warn once if training diverged."""
    from . import data as datasets
    from .history import History
    from .objectives import make_objective
    from .train import train

    if getattr(args, "history", None):
        history = History.load(args.history)
    else:
        objective = data = None
        if args.objective is None:
            if args.params is not None:
                raise ConfigError("--params applies to --objective expressions")
            data = datasets.load(args.data or "six-points", x=args.x, y=args.y)
        elif args.data is not None or args.x is not None or args.y is not None:
            raise ConfigError(f"--{'data' if args.data is not None else 'x' if args.x is not None else 'y'} and "
                              "--objective conflict: train on data or on an objective, not both")
        else:
            objective = make_objective(args.objective, params=args.params, what="--objective")
            if args.loss is not None:
                raise ConfigError(f"--loss applies to --data, not to --objective {objective.label!r}")
        history = train(
            data, objective=objective, loss=args.loss, optimizer=args.optimizer, lr=args.lr, schedule=args.schedule,
            epochs=args.epochs, steps=args.steps, batch_size=args.batch_size, order=args.order, init=args.init,
            start=args.start, seed=args.seed, strict=args.strict, stop_at=args.stop_at,
        )
    if history.diverged_at is not None:
        schedule = history.config.get("schedule")
        lr = f"lr={history.config['lr']:g}" + (f", schedule {schedule}" if schedule else "")
        print(
            f"gdanim: warning: training diverged at step {history.diverged_at} ({lr}); "
            "try a smaller learning rate, or --strict to make this an error",
            file=sys.stderr,
        )
    return history


def cmd_train(args) -> int:
    history = _history(args)
    if args.save:
        history.save(args.save)
    summary = history.summary()
    if args.json:
        print(json.dumps(summary))
        return 0
    config = history.config
    what = f"objective {summary['objective']}" if summary["data"] is None else f"data {summary['data']}  (n = {summary['n']:,})"
    schedule = "" if "schedule" not in config else f" ({config['schedule']})"
    gradient = "" if summary["gradient"] == "exact" else f"   {summary['gradient']} gradient"
    length = f"{summary['steps']:,} steps" + ("" if summary["data"] is None else f" / {summary['epochs']:,} epochs")
    print(f"{what}   {config['optimizer']}, lr {config['lr']:g}{schedule}, {length}{gradient}")
    names = summary["params"] + ["J"]
    print(f"{'':>9}" + "".join(f"{n:>16}" for n in names))
    for row in ("initial", "final", "optimum"):
        if summary[row] is not None:
            print(f"{row:>9}" + "".join(f"{summary[row][n]:>16.8g}" for n in names))
    if summary["diverged_at"] is not None:
        print(f"diverged at step {summary['diverged_at']}")
    if summary["stopped_at"] is not None:
        why = "left the bound" if summary["stop_reason"] == "bound" else f"reached --stop-at {config.get('stop_at')}"
        print(f"stopped at step {summary['stopped_at']}: {why}")
    return 0


VIEW_OPTIONS = {"elev": ("surface", "plane"), "azim": ("surface", "plane"), "orbit": ("surface",), "axes": ("surface", "contour"),
                "explain": ("params", "residuals", "contour"), "detail": ("walkthrough",)}


def cmd_render(args, history=None) -> int:
    from .animation import animate

    history = _history(args) if history is None else history
    options = {}
    for name, views in VIEW_OPTIONS.items():
        value = getattr(args, name, None)
        if value is None:
            continue
        if args.view not in views:
            raise ConfigError(f"--{name} applies to the {' and '.join(views)} view{'s' * (len(views) > 1)}, not {args.view}")
        if isinstance(value, float) and not math.isfinite(value):
            raise ConfigError(f"--{name} must be a finite number of degrees, got {value:g}")
        options[name] = value
    anim = animate(
        history, args.view, args.frames, size=args.size, dpi=args.dpi, style=args.style, engine=args.engine,
        workers=args.workers, fps=args.fps, end_pause=args.end_pause, quiet=args.quiet, **options,
    )
    # after animate() has checked --fps, so an invalid fps gives one error line, not a warning too
    if args.fps > 50 and args.out.lower().endswith(".gif"):
        print(f"gdanim: warning: --fps {args.fps:g} is above 50; most GIF viewers slow such GIFs down", file=sys.stderr)
    result = anim.save(args.out, manifest=not args.no_manifest, keep_frames=args.keep_frames)
    if not args.quiet:
        print(f"{result.path}: {result.frames} frames, {result.width}x{result.height}, {result.bytes:,} bytes, "
              f"{result.seconds:.2f} s", file=sys.stderr)
    return 0


def cmd_walkthrough(args) -> int:
    from .objectives import make_objective
    from .sampling import parse_frames
    from .walkthrough import Walkthrough, check_objective

    if args.objective is not None and args.history is None:  # a model without a graph: say so before training
        check_objective(make_objective(args.objective, params=args.params, what="--objective"))
    if args.data is None and args.objective is None:
        args.data = "backprop-demo"  # the SGD tutorial's table
    history = _history(args)
    # checks the model and --detail here, so that the messages name the options as given
    walk = Walkthrough(history, parse_frames(args.frames, history.steps + 1), args.detail, "--detail")
    if args.transcript:
        print("\n".join(walk.transcript()))
        return 0
    return cmd_render(args, history)


def cmd_demo(args) -> int:
    from .demo import run_demo

    return run_demo(Path(args.out), quick=args.quick, quiet=args.quiet, workers=args.workers)


def cmd_hash(args) -> int:
    from .hashing import hash_file

    print(json.dumps(hash_file(args.file), indent=2, sort_keys=True))
    return 0


def cmd_check(args) -> int:
    from .hashing import check

    outcome = check(args.new, args.baseline, tolerance=args.tolerance, max_changed_fraction=args.max_changed_fraction,
                    report_dir=args.report)
    print(outcome.message)
    return 0 if outcome.ok else 1


def build_parser() -> argparse.ArgumentParser:
    from .animation import DEFAULT_FRAMES
    from .cli_options import output_options
    from .views import VIEWS

    parser = _Parser(prog="gdanim", description="Make gradient descent visible.")
    parser.add_argument("--version", action="version", version=f"gdanim {__import__('gdanim').__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p = sub.add_parser("train", help="train and print the run (or --json, --save)")
    _training_options(p)
    p.add_argument("--save", help="write the History to this .npz")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=cmd_train)

    p = sub.add_parser("render", help="render a view as GIF, MP4 or PNG frames")
    p.add_argument("view", help=" | ".join(VIEWS))
    _training_options(p)
    p.add_argument("--history", help="render a saved History (.npz) instead of training")
    output_options(p, DEFAULT_FRAMES, "960x540", 20)
    g = p.add_argument_group("view options")
    g.add_argument("--elev", type=float, help="camera elevation in degrees (surface, plane)")
    g.add_argument("--azim", type=float, help="camera azimuth in degrees (surface, plane)")
    g.add_argument("--orbit", type=float, help="turn the camera this many degrees over the animation (surface)")
    g.add_argument("--axes", help="the two parameters to plot, e.g. w1,b (surface, contour)")
    g.add_argument("--explain", action="store_true", default=None,
                   help="add the arithmetic of each frame's update, with its numbers (params, residuals, contour)")
    p.set_defaults(func=cmd_render)

    p = sub.add_parser("walkthrough", help="each step phase by phase: computation graph, data, log and arithmetic")
    _training_options(p)
    p.set_defaults(optimizer="sgd", lr=0.05)
    p.add_argument("--history", help="walk through a saved History (.npz) instead of training")
    output_options(p, DEFAULT_FRAMES, "1280x720", 2)
    g = p.add_argument_group("walkthrough")
    g.add_argument("--detail", help="steps shown phase by phase, counted from 0 like --frames, e.g. 0:6 (default: "
                                    "the first epoch, at most 12 steps); other steps get one frame each")
    g.add_argument("--transcript", action="store_true", help="print the walkthrough as text, one line a phase, instead")
    p.set_defaults(func=cmd_walkthrough, view="walkthrough")

    p = sub.add_parser("demo", help="render the gallery into outputs/ and print a table")
    p.add_argument("--out", default="outputs", help="directory (default outputs)")
    p.add_argument("--quick", action="store_true", help="small frames, fewer of them")
    p.add_argument("--quiet", action="store_true")
    p.add_argument("--workers", type=int)
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("hash", help="print a manifest of a GIF's or PNG directory's decoded frames")
    p.add_argument("file")
    p.set_defaults(func=cmd_hash)

    p = sub.add_parser("check", help="compare a render with a baseline manifest (exit 1 on a difference)")
    p.add_argument("new", help="a .frames.json manifest, or a GIF / PNG directory")
    p.add_argument("--baseline", required=True, help="the baseline NAME.frames.json")
    p.add_argument("--tolerance", type=float, help="RMS (0-255) allowed per frame; compares pixels, not hashes")
    p.add_argument("--max-changed-fraction", type=float, help="fraction of pixels allowed to change per frame")
    p.add_argument("--report", help="write diff images and a JSON and HTML summary here")
    p.set_defaults(func=cmd_check)
    return parser


def main(argv=None) -> int:
    import matplotlib

    matplotlib.use("Agg")
    warnings.filterwarnings("ignore", module="matplotlib")
    try:
        args = build_parser().parse_args(argv)
        return args.func(args)
    except GdanimError as exc:
        print(f"gdanim: error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("gdanim: interrupted; earlier output left as it was", file=sys.stderr)
        return 130
    except SystemExit as exc:  # SIGTERM, turned into SystemExit(143) by encode.install_signal_cleanup
        if exc.code == 128 + signal.SIGTERM:
            print("gdanim: terminated; earlier output left as it was", file=sys.stderr)
        raise
    except BrokenPipeError:
        return 0


def run() -> None:
    """The console script: ``main()``, then a quick exit.

    By the time ``main()`` returns every output is committed or removed. The exit
    handlers still run, but the interpreter's teardown, which frees matplotlib's and
    numpy's module graphs one object at a time, is skipped: it takes a tenth of a
    second or more and changes nothing on disk.
    """
    code = main()
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError):  # a reader that went away (| head) is no error
            stream.flush()
    os._exit(code)


if __name__ == "__main__":
    run()
