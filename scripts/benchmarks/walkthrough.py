"""walkthrough: ``gdanim walkthrough`` on the SGD tutorial's run, whole process, wall time per frame.

The tutorial's command (backprop-demo, sgd, batch 1, in order, lr 0.05, w1 = -0.017,
w2 = -0.048, b = 0, the first six steps in detail, 60 steps asked for) at 1280x720,
GIF, default workers. Every frame's text changes, so this measures the bitmap text
path (``gdanim.views.text``) as much as the renderer. The run diverges at step 44
(lr 0.05 is too large for this data), so the GIF holds 68 frames: record 0, 6 steps
of 5 phases and 37 compact steps.
"""
from __future__ import annotations

from .tables import Target, md_row, process_cells, process_header

NAME = "walkthrough"
TITLE = "Step-by-step walkthrough"
PER_FRAME = Target("<=", 30.0, " ms")  # wall time per frame, whole process
TUTORIAL = ["walkthrough", "--data", "backprop-demo", "--optimizer", "sgd", "--batch-size", "1", "--order", "sequential",
            "--lr", "0.05", "--init", "w1=-0.017,w2=-0.048,b=0", "--detail", "0:6", "--steps", "60",
            "--size", "1280x720"]


def run(ctx) -> dict:
    case = ctx.gdanim("gdanim", TUTORIAL, output=ctx.work / "walkthrough.gif", timeout=120)
    result = ctx.alternate([case])["gdanim"]
    result["ms_per_frame"] = 1000.0 * result["wall"] / result["frames"]
    result["command"] = case.shown
    return result


def summary(result: dict) -> list:
    shown = f"{result['ms_per_frame']:.1f} ms ({result['wall']:.2f} s / {result['frames']} frames)"
    return [PER_FRAME.row("walkthrough: wall per frame, 1280x720 GIF, whole process", result["ms_per_frame"], shown)]


def table(result: dict) -> str:
    verdict = PER_FRAME.verdict(result["ms_per_frame"])
    return "\n".join([
        "The SGD tutorial's walkthrough, whole process (start, train, render, encode, exit), default workers:\n",
        f"```\n{result['command']}\n```\n",
        process_header(["tool"]),
        md_row(["gdanim", *process_cells(result)]),
        f"\nWall time per frame: **{result['ms_per_frame']:.1f} ms** (target {PER_FRAME.text()}: {verdict}).\n",
    ])
