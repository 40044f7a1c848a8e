"""gdanim benchmarks, measured in one run: ``scripts/bench`` (see ``--help``).

Sections (``--only`` picks some), one module each, in report order (registry.NAMES):

trainer  12,000 epochs of gd on synthetic n = 1,000,000: ``gdanim.train`` against a
         plain per-epoch numpy loop (the seed article's way), same data, same run.
render   params / residuals / surface at 1000x1000, the article's 120 frames, GIF:
         ``gdanim render`` against the reference pipelines in ../shared/bench
         (seed_style.py: celluloid; peer_funcanimation.py: FuncAnimation), whole
         process, alternating, medians.
memory   peak RSS of ``gdanim render params`` at 1,200 frames against 120 frames.
quality  PSNR of the decoded GIF frames against the rendered RGB frames.
scale    loading a 1,000,000-row CSV; a render with n = 1,000,000 against n = 6;
         1,000,000 SGD steps of batch 1 over 1,000,000 rows (time, memory, History size).
web      GIF / MP4 / WebM at 1920x1080 (time, memory at 120 and 1,200 frames); the
         gallery as GIF, WebP and HTML (bytes); the notebook display.

The other modules: ``__main__`` (options, the run), ``context`` (what ``run`` gets),
``measure`` (whole-process wall time, peak RSS, tree RSS/PSS, other processes' load),
``tables`` (targets, number formats), ``report`` (stdout table and markdown page),
``machine`` (what it ran on), ``article`` (the article's workload, shared by three
sections). A full run writes docs/benchmarks.md; ``--quick`` or ``--only`` runs write
it only when given ``--doc PATH``.

Adding a benchmark: write ``benchmarks/NAME.py`` and add "NAME" to ``registry.NAMES``
(its place there is its section number). The module defines

    NAME = "race"                      # the --only choice and the results key
    TITLE = "Optimiser race"           # the section heading
    REFERENCES = {"peer": "peer_race.py"}   # optional: scripts in ../shared/bench,
                                       # checked before anything is measured
    SPEEDUP = tables.Target(">=", 5.0, "x")

    def run(ctx) -> dict:              # measure; the dict must be JSON-serialisable
        out = ctx.work
        cases = [ctx.gdanim("gdanim", ["race", ...], output=out / "race-gdanim.gif", timeout=120),
                 ctx.reference("peer", "peer_race.py", [], output=out / "race-peer.gif")]
        figures = ctx.alternate(cases)  # alternating, whole process, medians, peak RSS
        figures["speedup"] = figures["peer"]["wall"] / figures["gdanim"]["wall"]
        figures["commands"] = [case.shown for case in cases]
        return figures

    def summary(result) -> list:       # rows of the summary table (stdout and page)
        return [SPEEDUP.row("race: speedup vs peer", result["speedup"], f"{result['speedup']:.1f}x")]

    def table(result) -> str:          # the section's markdown, below its heading
        rows = [tables.md_row([tool, *tables.process_cells(result[tool])]) for tool in ("gdanim", "peer")]
        return "\n".join(["```", *result["commands"], "```\n", tables.process_header(["tool"]), *rows, ""])

``ctx`` also has ``quick``, ``runs``, ``log``, ``run`` (one measured process, retried),
and ``wait_for_quiet`` for timing inside the bench process.
"""
