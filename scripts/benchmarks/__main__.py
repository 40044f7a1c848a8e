"""``scripts/bench``: parse the options, run the chosen benchmarks, print and write the report."""
from __future__ import annotations

import argparse
import datetime
import json
import sys
import tempfile
import time
from pathlib import Path

from . import __doc__ as PACKAGE_DOC
from .context import ROOT, Context, byte_compile
from .machine import machine_info
from .measure import OtherLoad, log
from .registry import BENCHMARKS
from .report import markdown, print_table, summary_rows

DEFAULT_DOC = ROOT / "docs" / "benchmarks.md"


def parse(argv) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="scripts/bench", description=PACKAGE_DOC.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--quick", action="store_true",
                   help="smoke test: 1 run each, plain loop run for 1,200 epochs and extrapolated")
    p.add_argument("--runs", type=int, default=3, help="runs of each whole-process measurement (default 3)")
    p.add_argument("--only", action="append", choices=[bench.NAME for bench in BENCHMARKS],
                   help="run only this section (repeatable)")
    p.add_argument("--doc", help="write the markdown here (default: docs/benchmarks.md on a full run, "
                                 "nothing on a --quick or --only run)")
    p.add_argument("--keep", help="keep the rendered outputs in this directory instead of a temporary one")
    p.add_argument("--json", help="also write the raw results as JSON here")
    p.add_argument("--from-json", help="no measuring: rewrite the report from a --json file of an earlier run")
    args = p.parse_args(argv)
    if args.runs < 1:
        p.error("--runs must be at least 1")
    return args


def doc_path(args, options: dict) -> Path | None:
    if args.doc:
        return Path(args.doc)
    return None if options["quick"] or options["only"] else DEFAULT_DOC


def measure(args, work: Path) -> tuple[dict, list[str]]:
    """Run the chosen benchmarks in registry order; their results by name, and the incidents."""
    chosen = [bench for bench in BENCHMARKS if not args.only or bench.NAME in args.only]
    ctx = Context(work=work.resolve(), quick=args.quick, runs=1 if args.quick else args.runs)
    for bench in chosen:  # a missing reference script stops the run before anything is measured
        for script in getattr(bench, "REFERENCES", {}).values():
            ctx.find_reference(script)
    byte_compile()
    log(f"sections: {', '.join(bench.NAME for bench in chosen)}; outputs in {work}")
    results: dict = {}
    for bench in chosen:
        start = time.perf_counter()
        ctx.section = bench.NAME
        results[bench.NAME] = bench.run(ctx)
        ctx.section = ""
        log(f"{bench.NAME} done in {time.perf_counter() - start:.0f} s")
    return results, ctx.incidents


def write_doc(doc: Path | None, text: str) -> None:
    if doc is None:
        print("docs/benchmarks.md not written (a --quick or --only run); pass --doc PATH to write the report")
        return
    doc.parent.mkdir(parents=True, exist_ok=True)
    doc.write_text(text)
    print(f"wrote {doc}")


def rewrite(args) -> int:
    """--from-json: the table and the page again, from an earlier run's results."""
    saved = json.loads(Path(args.from_json).read_text())
    meta = saved["meta"]
    print_table(summary_rows(saved["results"]))
    doc = doc_path(args, meta)
    if doc is not None:
        write_doc(doc, markdown(saved["results"], meta, saved["machine"], meta["started"], meta["elapsed"]))
    return 0


def main(argv=None) -> int:
    args = parse(argv)
    if args.from_json:
        return rewrite(args)
    options = {"quick": args.quick, "runs": args.runs, "only": args.only}
    started = datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    t0 = time.perf_counter()
    whole_run = OtherLoad()
    info = machine_info()
    with tempfile.TemporaryDirectory(prefix="gdanim-bench-") as tmp:
        work = Path(args.keep) if args.keep else Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        results, incidents = measure(args, work)
    elapsed = time.perf_counter() - t0
    results["incidents"] = incidents
    results["other_cores"] = whole_run.cores()

    print()
    print_table(summary_rows(results))
    for line in incidents:
        print(f"incident: {line}")
    print(f"\n{elapsed / 60:.1f} min; machine: {info['cpu_count']} CPUs, Python {info['python']}, "
          f"matplotlib {info['matplotlib']}")
    write_doc(doc_path(args, options), markdown(results, options, info, started, elapsed))
    if args.json:
        meta = {"started": started, "elapsed": elapsed, **options}
        Path(args.json).write_text(json.dumps({"meta": meta, "machine": info, "results": results}, indent=2,
                                              default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
