"""boundary: a 2-8-1 network learning two moons. ``gdanim render boundary`` against
../shared/bench/peer_boundary.py (FuncAnimation, a new contourf every frame), whole
process, alternating, medians; the network trainer's cost in the bench process.

The peer's own lines fix the work: its training section (everything before it reads
its command line) runs here once, giving the data, the initial weights (written to
an init file for ``--init``), the 3,001 losses and the 150 frame epochs. gdanim
trains the same network on ``moons:n=200,noise=0.1,seed=0`` (the same construction)
with loss mse at lr 5 (the peer's delta rule on half the mse at lr 10 is the same
step), and its losses must match the peer's to 1e-9. Both render those 150 epochs
at 1200x600 to a GIF.

Training cost: the same network for 3,000 full-batch epochs (target <= 0.3 s), and a
10-32-1 network on 100,000 rows for 200 epochs of mini-batches of 256 (time and
History size reported), trained whole with ``J_every="epoch"``: J on all 100,000 rows
at the 201 epoch boundaries, every parameter, gradient and batch loss at each of the
78,200 steps. For comparison, J after every step (the default) is timed over the
first 2 epochs (1 with ``--quick``) and extrapolated: that J is nearly all of its time.
The History's size is measured from its arrays.
"""
from __future__ import annotations

import dataclasses
import json
import time

import numpy as np

from .measure import MB, median
from .tables import Target, fmt_mb, fmt_s, info_row, md_row, process_cells, process_header

NAME = "boundary"
TITLE = "Networks: decision boundary against the peer, and the network trainer"
REFERENCES = {"peer": "peer_boundary.py"}
SPEEDUP = Target(">=", 15.0, "x")
PEAK_RSS_MB = Target("<=", 200.0, " MB")
LOSS_AGREEMENT = Target("<=", 1e-9)
SMALL_TRAIN = Target("<=", 0.3, " s")
MODEL, DATA = "mlp:hidden=8", "moons:n=200,noise=0.1,seed=0"
BIG_N, BIG_K, BIG_HIDDEN, BIG_EPOCHS, BIG_BATCH = 100_000, 10, 32, 200, 256
TIMED_EPOCHS, QUICK_TIMED_EPOCHS = 2, 1  # of the run recording J after every step


def peer_training(ctx) -> dict:
    """Run the peer script's training section (up to where it reads its arguments) and keep what it made."""
    source = ctx.find_reference(REFERENCES["peer"]).read_text()
    namespace: dict = {"__name__": "peer_boundary"}
    exec(compile(source[: source.index("out_path = sys.argv[1]")], "peer_boundary.py", "exec"), namespace)
    W1, b1, W2, b2 = namespace["snapshots"][0]
    return {"X": namespace["X"], "losses": np.array(namespace["losses"]), "frames": list(namespace["FRAMES"]),
            "init": {"W1": W1.tolist(), "b1": b1.tolist(), "W2": W2.tolist(), "b2": b2.tolist()},
            "epochs": namespace["EPOCHS"], "lr": namespace["LR"]}


def run(ctx) -> dict:
    import gdanim

    peer = peer_training(ctx)
    init = ctx.work / "peer-init.json"
    init.write_text(json.dumps(peer["init"]))
    data = gdanim.datasets.load(DATA)
    history = gdanim.train(data, objective=MODEL, loss="mse", lr=peer["lr"] / 2, epochs=peer["epochs"], init=str(init))
    loss_diff = float(np.max(np.abs(history.J - peer["losses"])))
    ctx.log(f"same data: {np.array_equal(data.X, peer['X'])}; losses differ by at most {loss_diff:.1e}")

    frames = ",".join(map(str, peer["frames"]))
    args = ["render", "boundary", "--data", DATA, "--model", MODEL, "--loss", "mse", "--lr", f"{peer['lr'] / 2:g}",
            "--epochs", str(peer["epochs"]), "--init", str(init), "--frames", frames, "--size", "1200x600"]
    gd_case = ctx.gdanim("gdanim", args, output=ctx.work / "boundary-gdanim.gif", timeout=120)
    gd_case = dataclasses.replace(gd_case, shown=gd_case.shown.replace(frames, "FRAMES").replace(str(init), "INIT.json"))
    cases = [gd_case, ctx.reference("peer", REFERENCES["peer"], [], output=ctx.work / "boundary-peer.gif")]
    figures = ctx.alternate(cases)
    figures["speedup"] = figures["peer"]["wall"] / figures["gdanim"]["wall"]
    figures["commands"] = [case.shown for case in cases]
    figures["frames_list"] = peer["frames"]
    figures["same_data"] = bool(np.array_equal(data.X, peer["X"]))
    figures["loss_diff"] = loss_diff
    figures["training"] = training_cost(ctx, data, gdanim)
    return figures


def training_cost(ctx, data, gdanim) -> dict:
    """Seconds for the 2-8-1 run (median) and the 10-32-1 mini-batch run (once), in this process."""
    ctx.wait_for_quiet()
    small = []
    for _ in range(max(ctx.runs, 3)):
        start = time.perf_counter()
        gdanim.train(data, objective=MODEL, lr=5.0, epochs=3000)
        small.append(time.perf_counter() - start)
    rng = np.random.default_rng(0)
    X = rng.normal(size=(BIG_N, BIG_K))
    y = (X @ rng.normal(size=BIG_K) + 0.5 * rng.normal(size=BIG_N) > 0).astype(float)
    big_data = gdanim.datasets.from_arrays(X, y, name="normal-100k")
    run = dict(objective=f"mlp:hidden={BIG_HIDDEN}", loss="log-loss", optimizer="sgd", batch_size=BIG_BATCH, lr=0.1)
    ctx.log(f"10-32-1 on {BIG_N:,} rows, {BIG_EPOCHS} epochs of batches of {BIG_BATCH}, J every epoch ...")
    other = ctx.wait_for_quiet()
    start = time.perf_counter()
    big = gdanim.train(big_data, epochs=BIG_EPOCHS, J_every="epoch", **run)
    seconds = time.perf_counter() - start
    measured = sum(getattr(big, name).nbytes for name in ("params", "J", "grads", "batch_J", "epoch", "lr"))
    assert measured == history_bytes(big.steps, len(big.names)), "History's arrays are not what history_bytes counts"
    big_J = [float(big.J[0]), float(big.J[-1])]
    del big
    epochs = QUICK_TIMED_EPOCHS if ctx.quick else TIMED_EPOCHS
    ctx.log(f"... and J after every step, {epochs} epochs ...")
    start = time.perf_counter()
    dense = gdanim.train(big_data, epochs=epochs, **run)
    dense_seconds = time.perf_counter() - start
    return {"small_times": small, "small": median(small), "big_seconds": seconds, "big_other_cores": other.cores(),
            "big_bytes": measured, "big_steps": BIG_EPOCHS * dense.config["steps_per_epoch"],
            "big_params": len(dense.names), "big_J": big_J, "dense_epochs": epochs, "dense_steps": dense.steps,
            "dense_measured": dense_seconds, "dense_seconds": dense_seconds * BIG_EPOCHS / epochs}


def history_bytes(steps: int, params: int) -> int:
    """params and J per record, grads, batch_J and lr per step, epoch per record (int64): 8 bytes each."""
    return 8 * ((steps + 1) * (params + 2) + steps * (params + 2))


def summary(r: dict) -> list:
    g, t = r["gdanim"], r["training"]
    extrapolated = " (extrapolated)"
    return [
        info_row("boundary: gdanim / peer (median)", f"{fmt_s(g['wall'])} / {fmt_s(r['peer']['wall'])}"),
        SPEEDUP.row("boundary: speedup vs peer", r["speedup"], f"{r['speedup']:.1f}x"),
        PEAK_RSS_MB.row("boundary: gdanim peak RSS (largest process)", g["peak_rss"] / MB, fmt_mb(g["peak_rss"])),
        LOSS_AGREEMENT.row("boundary: losses against the peer's, max difference", r["loss_diff"], f"{r['loss_diff']:.1e}"),
        SMALL_TRAIN.row("networks: 2-8-1, 3,000 full-batch epochs", t["small"], fmt_s(t["small"])),
        info_row("networks: 10-32-1, 100k rows, 200 epochs of 256, J every epoch", fmt_s(t["big_seconds"]),
                 f"History {t['big_bytes'] / MB:,.0f} MB"),
        info_row(f"networks: the same, J after every step{extrapolated}", fmt_s(t["dense_seconds"]), ""),
    ]


def table(r: dict) -> str:
    t = r["training"]
    rows = [md_row([tool, *process_cells(r[tool])]) for tool in ("gdanim", "peer")]
    extrapolated = (f"**extrapolated** from the first {t['dense_epochs']} epochs ({t['dense_steps']:,} steps) in "
                    f"{t['dense_measured']:.1f} s; J on all rows after every step is nearly all of it")
    return "\n".join([
        "```", *r["commands"], "```\n",
        f"FRAMES: the peer's 150 epochs, {r['frames_list'][0]} to {r['frames_list'][-1]}; INIT.json: its initial "
        f"weights. Same data: {r['same_data']}; gdanim's 3,001 losses differ from the peer's by at most "
        f"**{r['loss_diff']:.1e}** (target {LOSS_AGREEMENT.text()}: {LOSS_AGREEMENT.verdict(r['loss_diff'])}).\n",
        process_header(["tool"]), *rows, "",
        f"Speedup **{r['speedup']:.1f}x** (target {SPEEDUP.text()}: {SPEEDUP.verdict(r['speedup'])}).\n",
        "Training, in the bench process:\n",
        "| run | seconds | |\n| --- | --- | --- |",
        f"| 2-8-1 on moons, gd, 3,000 epochs | {t['small']:.3f} | median of {len(t['small_times'])}; target "
        f"{SMALL_TRAIN.text()}: {SMALL_TRAIN.verdict(t['small'])} |",
        f"| 10-32-1 on 100,000 rows, sgd, batches of 256, 200 epochs ({t['big_steps']:,} steps), "
        f"`J_every=\"epoch\"` | {t['big_seconds']:.1f} | measured whole; J at the 201 epoch boundaries, "
        f"everything else at every step; History {t['big_bytes'] / MB:,.0f} MB ({t['big_params']} parameters: "
        f"params and grads of every step), other load {t['big_other_cores']:.2f} cores |",
        f"| the same, J after every step | {t['dense_seconds']:.1f} | {extrapolated} |",
        "",
    ])
