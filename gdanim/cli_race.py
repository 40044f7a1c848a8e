"""``gdanim race``: several runs of one objective, trained and rendered on a shared clock.

It renders through the same options, animation and manifests as ``gdanim render``
(``cli_options.output_options`` and ``cli_options.render``); what differs is how the runs are given.
"""
from __future__ import annotations

import argparse
import json

RACE_VIEW_OPTIONS = {
    "trail": ("contour", "grid"), "field": ("contour",), "arrows": ("contour", "grid"),
    "axes": ("contour", "surface", "grid"), "elev": ("surface",), "azim": ("surface",),
}


def add_race_parser(sub) -> None:
    from .cli_options import output_options
    from .losses import LOSSES
    from .views import RACE_VIEWS

    p = sub.add_parser("race", help="race several optimisers or learning rates on one objective")
    p.add_argument("view", help=" | ".join(RACE_VIEWS))
    g = p.add_argument_group("what to minimise")
    g.add_argument("--objective", help="rosenbrock, beale, himmelblau, booth, rastrigin, saddle, bowl:kappa=K,angle=DEG, "
                   "or an expression such as 'x**2 + 10*y**2'")
    g.add_argument("--params", help="the order of an expression's parameters, e.g. b,a")
    g.add_argument("--data", help="instead of --objective: a built-in dataset or CSV file (linear regression, "
                   "or --model)")
    g.add_argument("--model", help="with --data, instead of linear regression: sigmoid[:bias=false] or mlp:hidden=H"
                   "[,activation=sigmoid|tanh|relu][,output=sigmoid|linear][,bias=false]")
    g.add_argument("--x", help="CSV feature column(s), comma-separated")
    g.add_argument("--y", help="CSV target column")
    g.add_argument("--loss", help=f"{' | '.join(LOSSES)}, and half-sse | log-loss with --model (default mse; data only)")
    g = p.add_argument_group("the runs")
    g.add_argument("--run", action="append", default=[], metavar="NAME:opt=value,...",
                   help="one run, repeated once per run: an optimiser and its options, e.g. gd:lr=0.001, "
                   "momentum:lr=0.001,beta=0.9, adam:lr=0.05,start=-1.2,1 (options: lr, schedule, batch, order, seed, "
                   "start, label and the optimiser's own)")
    length = g.add_mutually_exclusive_group()
    length.add_argument("--steps", type=int, help="updates per run")
    length.add_argument("--epochs", type=int, help="epochs per run (default 100)")
    g.add_argument("--start", help="where every run starts unless it sets start=, e.g. --start=-1.2,1")
    g.add_argument("--init", help="instead of --start: zeros | uniform | normal | truncated-normal | w=3,b=-1, "
                   "and scaled-normal | FILE.json with --model mlp")
    g.add_argument("--stop-at", help="a run holds its point once J - J* <= TOL (TOL) or the gradient norm <= TOL "
                   "(grad:TOL)")
    g.add_argument("--tune", action="store_true", help="pick the lr of every run without lr= from 25 log-spaced "
                   "values, 1e-5 to 1: lowest final J, or fewest steps to --stop-at")
    g.add_argument("--json", action="store_true", help="print one JSON object: each run's initial, final and best "
                   "values, its steps and whether it diverged")
    output_options(p)
    g = p.add_argument_group("view options")
    g.add_argument("--trail", type=int, help="fade all but the last N steps of each path (contour, grid)")
    g.add_argument("--field", action="store_true", help="the normalised negative-gradient field (contour)")
    g.add_argument("--arrows", action="store_true", help="the negative gradient, and momentum's velocity, at each "
                   "current point (contour, grid)")
    g.add_argument("--axes", help="the two parameters to plot, e.g. w1,b (contour, surface, grid)")
    g.add_argument("--elev", type=float, help="camera elevation in degrees (surface)")
    g.add_argument("--azim", type=float, help="camera azimuth in degrees (surface)")
    p.set_defaults(func=cmd_race)


def cmd_race(args: argparse.Namespace) -> int:
    from .cli_options import objective_or_data, render, view_options
    from .races import CLI_NAMES, build_race
    from .views import get

    get(args.view, race=True)  # an unknown view fails before any training
    options = view_options(args, RACE_VIEW_OPTIONS)
    objective, data = objective_or_data(args, default_data=None)
    race = build_race(
        objective, data=data, runs=args.run, steps=args.steps, epochs=args.epochs, start=args.start, init=args.init,
        stop_at=args.stop_at, tune=args.tune, loss=args.loss if args.model is None else None, params=None,
        names=CLI_NAMES,
    )
    code = render(race, args, options)
    if args.json:
        print(json.dumps(race.summary()))
    return code
