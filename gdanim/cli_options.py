"""Command-line options and steps that several commands share: training, output, view
options, and rendering a History or a Race. ``cli`` and ``cli_race`` build on it."""
from __future__ import annotations

import argparse
import sys

from .errors import ConfigError


def training_options(p: argparse.ArgumentParser) -> None:
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
    g.add_argument("--model", help="with --data, instead of linear regression: sigmoid[:bias=false] or mlp:hidden=H"
                   "[,activation=sigmoid|tanh|relu][,output=sigmoid|linear][,bias=false]")
    g.add_argument("--loss", help=f"{' | '.join(LOSSES)}, and half-sse | log-loss with --model (default mse; data only)")
    g.add_argument("--optimizer", default="gd", help=f"{' | '.join(OPTIMIZERS)} (default gd)")
    g.add_argument("--lr", default="0.01", help="learning rate (default 0.01), or auto: gd's fastest constant rate "
                   "2/(lmin+lmax) from the exact Hessian")
    g.add_argument("--schedule", help=f"learning-rate schedule: {' | '.join(SCHEDULES)} (default constant)")
    g.add_argument("--batch-size", type=int, help="rows per step (default: 1 for sgd, all rows otherwise)")
    g.add_argument("--order", default="sequential", help="sequential | shuffle | sample (mini-batch order)")
    g.add_argument("--init", help="zeros | ones | uniform | normal | truncated-normal | w=3,b=-1, and scaled-normal | FILE.json "
                   "with --model mlp (default: zeros, the function's usual start, or scaled-normal drawn with seed 0)")
    g.add_argument("--start", help="the starting point, e.g. --start=-1.2,1 or --start=x=-1.2,y=1")
    g.add_argument("--seed", type=int, default=0, help="seed for the init scheme and batch order (default 0)")
    length = g.add_mutually_exclusive_group()
    length.add_argument("--epochs", type=int, help="epochs to train (default 100)")
    length.add_argument("--steps", type=int, help="stop after this many updates")
    g.add_argument("--stop-at", help="end the run once J - J* <= TOL (TOL, or J:TOL) or the gradient norm <= TOL (grad:TOL)")
    g.add_argument("--strict", action="store_true", help="treat divergence as an error instead of a warning")
    g.add_argument("--J-every", dest="J_every", metavar="N|epoch",
                   help="mini-batch runs: J on all rows at every N-th record (or every epoch) and the last, not after "
                   "every step; views compute the J they show")


def objective_or_data(args, default_data: str | None = "six-points"):
    """(objective, data) from --objective or --data (and --x, --y, --params, --loss), refusing both at once."""
    from .objectives import make_objective

    objective = data = None
    if getattr(args, "model", None) is not None:
        objective = _model(args)
    elif args.objective is None:
        if args.params is not None:
            raise ConfigError("--params applies to --objective expressions")
        if args.data is None and default_data is None:
            raise ConfigError("give --objective (a function or an expression) or --data to race on")
        data = _load(args, args.data or default_data)
    elif given := _data_options(args):
        raise ConfigError(f"--{given[0]} and --objective conflict: train on data or on an objective, "
                          "not both")
    else:
        objective = make_objective(args.objective, params=args.params, what="--objective")
        if args.loss is not None:
            raise ConfigError(f"--loss applies to --data, not to --objective {objective.label!r}")
    return objective, data


def _data_options(args) -> list[str]:
    """The options given that only data takes (--data, --x, ... --standardize), as flags without dashes."""
    names = ("data", "x", "y", "delimiter", "drop_missing", "standardize")
    return [name.replace("_", "-") for name in names if getattr(args, name, None) not in (None, False)]


def view_options(args, table: dict) -> dict:
    """The view options given on the command line, each refused for views it does not apply to."""
    options = {}
    for name, views in table.items():
        value = getattr(args, name)
        if value is None or value is False:
            continue
        if args.view not in views:
            listed = " and ".join([", ".join(views[:-1]), views[-1]] if len(views) > 1 else views)
            raise ConfigError(f"--{name} applies to the {listed} view{'s' * (len(views) > 1)}, not {args.view}")
        options[name] = value
    return options


def render(subject, args, options: dict) -> int:
    """Render a History or a Race with the frames-and-output options, as ``render`` and ``race`` share them."""
    from .animation import animate

    anim = animate(
        subject, args.view, args.frames, size=args.size, dpi=args.dpi, style=args.style, engine=args.engine,
        workers=args.workers, fps=args.fps, end_pause=args.end_pause, quiet=args.quiet, title=args.title,
        caption=args.caption, transparent=args.transparent, **options,
    )
    # after animate() has checked --fps, so an invalid fps gives one error line, not a warning too
    if args.fps > 50 and args.out.lower().endswith(".gif"):
        print(f"gdanim: warning: --fps {args.fps:g} is above 50; most GIF viewers slow such GIFs down", file=sys.stderr)
    result = anim.save(args.out, manifest=not args.no_manifest, keep_frames=args.keep_frames, quality=args.quality)
    if not args.quiet:
        print(f"{result.path}: {result.frames} frames, {result.width}x{result.height}, {result.bytes:,} bytes, "
              f"{result.seconds:.2f} s", file=sys.stderr)
    return 0


def output_options(p: argparse.ArgumentParser, *, size: str = "960x540", fps: float = 20) -> None:
    """--frames, --out, --size and the rest, for every command that renders (``size`` and
    ``fps``: the command's own defaults)."""
    from .sampling import DEFAULT_FRAMES
    from .engines import ENGINES
    from .style import STYLES

    g = p.add_argument_group("frames and output")
    g.add_argument("--frames", default=DEFAULT_FRAMES, help=f"records to show, e.g. 0:50,50:100:5,100:12000:200 (default {DEFAULT_FRAMES})")
    g.add_argument("--out", default="outputs/animation.gif",
                   help=".gif, .mp4, .webp, .webm, .html (a player), or a directory for PNG frames (a path ending "
                   "with / or an existing directory)")
    g.add_argument("--quality", type=int, help="0-100: lossy .webp or .html frames (default: lossless)")
    g.add_argument("--fps", type=float, default=fps, help=f"frames per second (default {fps:g})")
    g.add_argument("--end-pause", type=float, default=1.5, help="seconds to hold the last frame (default 1.5)")
    g.add_argument("--size", default=size, help=f"WxH in pixels (default {size})")
    g.add_argument("--dpi", type=float, default=100, help="dots per inch: scales text and lines (default 100)")
    g.add_argument("--style", default="light", help=f"{' | '.join(STYLES)} (default light)")
    g.add_argument("--engine", default="stream", help=f"{' | '.join(ENGINES)} (default stream)")
    g.add_argument("--workers", type=int, help="render processes (default: CPU count)")
    g.add_argument("--quiet", action="store_true", help="no progress bar or summary")
    g.add_argument("--no-manifest", action="store_true", help="do not write NAME.frames.json")
    g.add_argument("--keep-frames", action="store_true", help="also store the raw frames as NAME.frames.npz")
    g.add_argument("--title", help="a title across the top of every frame ($...$ is mathtext)")
    g.add_argument("--caption", help="a line below the axes, for a source or a formula ($...$ is mathtext)")
    g.add_argument("--transparent", action="store_true",
                   help="see-through background: alpha in PNG frames, 1-bit transparency in a GIF (not MP4)")


def _load(args, name):
    """The dataset ``name`` with the command line's column and CSV options."""
    from . import data as datasets

    return datasets.load(name, x=args.x, y=args.y, delimiter=getattr(args, "delimiter", None),
                         drop_missing=getattr(args, "drop_missing", False))


def _model(args):
    """The --model on the --data: a sigmoid unit or a network."""
    from .objectives import make_objective

    if args.objective is not None:
        raise ConfigError("--model and --objective conflict: a model trains on --data; an objective has no data")
    if args.data is None:
        raise ConfigError("--model needs --data, e.g. --data moons --model mlp:hidden=8")
    if getattr(args, "standardize", None) is not None:
        raise ConfigError("--standardize applies to linear regression, not to --model")
    return make_objective(args.model, data=_load(args, args.data), loss=args.loss, what="--model")
