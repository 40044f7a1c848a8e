"""The ``gdanim`` command: train, render, walkthrough, demo, hash, check.

Bad input ends with one line on stderr and exit status 2; a difference found by
``check`` exits 1.
"""
from __future__ import annotations

import argparse
import atexit
import contextlib
import json
import os
import signal
import sys
import warnings
from pathlib import Path

from .cli_options import output_options, render, training_options, view_options
from .cli_race import add_race_parser
from .cli_train import cmd_train, history_from, say_after_run
from .errors import ConfigError, GdanimError
from .heap import reuse_freed_frames
from .validate import CLI, ParamError
from .version import __version__

EXIT_BAD_INPUT = 2


class _Parser(argparse.ArgumentParser):
    """argparse whose complaints are one ConfigError line, without a second "gdanim:"."""

    def error(self, message):
        raise ConfigError(f"{message} (see {self.prog} --help)")

    def parse_args(self, args=None, namespace=None):
        parsed, extras = self.parse_known_args(args, namespace)
        if extras:  # name the subcommand whose --help lists the valid options
            where = f"{self.prog} {parsed.command}" if getattr(parsed, "command", None) else self.prog
            raise ConfigError(f"unrecognized arguments: {' '.join(extras)} (see {where} --help)")
        return parsed


VIEW_OPTIONS = {"elev": ("surface", "plane"), "azim": ("surface", "plane"), "orbit": ("surface",),
                "axes": ("surface", "contour", "landscape"), "record": ("network",),
                "explain": ("params", "residuals", "contour")}


def cmd_render(args) -> int:
    history, trained = history_from(args, meanwhile=lambda: _load_renderer(args.view))
    code = render(history, args, view_options(args, VIEW_OPTIONS))
    if trained:
        say_after_run(history)
    return code


def _load_renderer(view: str) -> None:
    """Import what rendering ``view`` needs (matplotlib's figure and Agg, the view's
    module), while the model trains; a bad name is left for the render to report."""
    from . import animation  # noqa: F401
    from .views import VIEWS

    if view in VIEWS:
        VIEWS[view]  # the registry imports a view's module when its class is asked for


def cmd_walkthrough(args) -> int:
    from .sampling import parse_frames
    from .walkthrough import Walkthrough, check_objective

    if args.data is None and args.objective is None:
        args.data = "backprop-demo"  # the SGD tutorial's table
    history, trained = history_from(args, check=check_objective)  # a model without a graph is refused before training
    # checks the model and --detail here, so that the messages name the options as given
    walk = Walkthrough(history, parse_frames(args.frames, history.steps + 1), args.detail, "--detail")
    if args.transcript:
        print("\n".join(walk.transcript()))
        code = 0
    else:
        code = render(history, args, {} if args.detail is None else {"detail": args.detail})
    if trained:
        say_after_run(history)
    return code


def cmd_demo(args) -> int:
    from .demo import run_demo

    return run_demo(Path(args.out), quick=args.quick, quiet=args.quiet, workers=args.workers)


def cmd_hash(args) -> int:
    from .manifest import hash_file

    print(json.dumps(hash_file(args.file), indent=2, sort_keys=True))
    return 0


def cmd_check(args) -> int:
    from .check import compare

    outcome = compare(args.new, args.baseline, tolerance=args.tolerance, max_changed_fraction=args.max_changed_fraction,
                      report_dir=args.report)
    print(outcome.message)
    return 0 if outcome.ok else 1



def build_parser() -> argparse.ArgumentParser:
    from .views import VIEWS

    parser = _Parser(prog="gdanim", description="Make gradient descent visible.")
    parser.add_argument("--version", action="version", version=f"gdanim {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p = sub.add_parser("train", help="train and print the run (or --json, --save)")
    training_options(p)
    p.add_argument("--save", help="write the History to this .npz")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=cmd_train)

    p = sub.add_parser("render", help="render a view as GIF, MP4, WebP, WebM, an HTML player or PNG frames")
    p.add_argument("view", help=" | ".join(VIEWS))
    training_options(p)
    p.add_argument("--history", help="render a saved History (.npz) instead of training")
    output_options(p)
    g = p.add_argument_group("view options")
    g.add_argument("--elev", type=float, help="camera elevation in degrees (surface, plane)")
    g.add_argument("--azim", type=float, help="camera azimuth in degrees (surface, plane)")
    g.add_argument("--orbit", type=float, help="turn the camera this many degrees over the animation (surface)")
    g.add_argument("--axes", help="the two parameters to plot, e.g. w1,b (surface, contour), or for landscape "
                   "\"W1[0,0],W2[0,0]\" or pca")
    g.add_argument("--record", type=int, help="the record whose activations the network view shows (default: the mean)")
    g.add_argument("--explain", action="store_true", default=None,
                   help="add the arithmetic of each frame's update, with its numbers (params, residuals, contour)")
    p.set_defaults(func=cmd_render)

    p = sub.add_parser("walkthrough", help="each step phase by phase: computation graph, data, log and arithmetic")
    training_options(p)
    p.set_defaults(optimizer="sgd", lr=0.05)
    p.add_argument("--history", help="walk through a saved History (.npz) instead of training")
    output_options(p, size="1280x720", fps=2)
    g = p.add_argument_group("walkthrough")
    g.add_argument("--detail", help="steps shown phase by phase, counted from 0 like --frames, e.g. 0:6 (default: "
                                    "the first epoch, at most 12 steps); other steps get one frame each")
    g.add_argument("--transcript", action="store_true", help="print the walkthrough as text, one line a phase, instead")
    p.set_defaults(func=cmd_walkthrough, view="walkthrough")

    add_race_parser(sub)

    p = sub.add_parser("demo", help="render the gallery into outputs/ and print a table")
    p.add_argument("--out", default="outputs", help="directory (default outputs)")
    p.add_argument("--quick", action="store_true", help="small frames, fewer of them")
    p.add_argument("--quiet", action="store_true")
    p.add_argument("--workers", type=int)
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("hash", help="print a manifest of a GIF's, WebP's or PNG directory's decoded frames")
    p.add_argument("file")
    p.set_defaults(func=cmd_hash)

    p = sub.add_parser("check", help="compare a render with a baseline manifest (exit 1 on a difference)")
    p.add_argument("new", help="a .frames.json manifest, or an output (its manifest, else its decoded frames)")
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
        # a bad parameter is named by its flag: the API's fps= is --fps here
        message = exc.spelled(CLI) if isinstance(exc, ParamError) else exc
        print(f"gdanim: error: {message}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("gdanim: interrupted; earlier output left as it was", file=sys.stderr)
        return 130
    except SystemExit as exc:  # SIGTERM, turned into SystemExit(143) by output.signals.install_signal_cleanup
        if exc.code == 128 + signal.SIGTERM:
            print("gdanim: terminated; earlier output left as it was", file=sys.stderr)
        raise
    except BrokenPipeError:
        return 0


def _no_setter_docstrings() -> None:
    """Spare matplotlib writing each Artist class's ``set()`` docstring as it imports.

    Every Artist subclass lists its properties in a docstring built when the class is
    created (``matplotlib.artist.kwdoc``): some 80 ms of a render's imports, for help
    text a command line never shows. Only the console script does without them: in
    Python, ``help()`` keeps its lists."""
    import matplotlib.artist

    if callable(getattr(matplotlib.artist, "kwdoc", None)):
        matplotlib.artist.kwdoc = lambda artist: "(not listed: gdanim's command line left them out)"


def run() -> None:
    """The console script: ``main()``, then a quick exit.

    By the time ``main()`` returns every output is committed or removed. The exit
    handlers still run, but the interpreter's teardown, which frees matplotlib's and
    numpy's module graphs one object at a time, is skipped: it takes a tenth of a
    second or more and changes nothing on disk.
    """
    _no_setter_docstrings()
    reuse_freed_frames()  # this process ends with the command
    code = main()
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError):  # a reader that went away (| head) is no error
            stream.flush()
    os._exit(code)


if __name__ == "__main__":
    run()
