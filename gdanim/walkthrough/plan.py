"""A run walked through step by step: which frames show what, and the same as text.

A detailed step is shown in five phases, as the SGD tutorial does:

==============  ==================================================================
feed            the batch's rows are highlighted and fed to the input nodes
yhat            the prediction is computed (forward pass)
L               the loss is computed and logged (epoch, batch, loss)
derivatives     the backward pass puts the partial derivatives on the edges
update          the optimiser updates every parameter, with its numbers
==============  ==================================================================

Other steps are one compact frame each (the whole step at once). Steps count from
0 in ``detail`` as records do in ``frames`` (``0:6`` is the first six steps) and
from 1 on screen and in the transcript (step 1 takes record 0 to record 1).

The numbers come from the History: parameters, batch losses and gradients as
recorded; the prediction and the edges' partial derivatives from the model's forward
pass at the recorded parameters (checked against the recorded loss and gradient);
the optimiser's state by replaying its update over the recorded gradients.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from ..errors import ConfigError, FrameSpecError
from ..sampling import parse_frames
from ..train_options import batch_generator, batch_rows
from .updates import OptimizerReplay

PHASES = ("feed", "yhat", "L", "derivatives", "update")
MAX_FEATURES = 4
MAX_PARAMS = MAX_FEATURES + 1  # the equations of one step fit a frame's strip up to here
DEFAULT_DETAIL_STEPS = 12  # the first epoch in detail, up to this many steps


@dataclass(frozen=True)
class Frame:
    record: int  # the record whose parameters, chart and log the frame shows
    step: int | None  # the step it is about (0-based), None before the first step
    phase: str | None  # one of PHASES, or None for a compact frame


def check_model(history):
    """The History's computation graph, or one line saying why there is none to draw."""
    if history.objective is None:
        raise ConfigError("the walkthrough needs the model a History was trained on; this one was recorded without it")
    return check_objective(history.objective)


def check_objective(objective):
    """The objective's computation graph, or one line saying why there is none to draw."""
    graph = objective.graph()
    if graph is None:
        raise ConfigError(
            f"the walkthrough draws models with a computation graph (linear regression on data); "
            f"{objective.label!r} has none: try gdanim render contour"
        )
    k = objective.data.k
    if k > MAX_FEATURES:
        raise ConfigError(
            f"the walkthrough draws 1 to {MAX_FEATURES} features; {objective.data.name} has {k}: "
            "try gdanim render params (predicted against actual) or contour --axes"
        )
    if len(objective.names) > MAX_PARAMS:
        raise ConfigError(
            f"the walkthrough draws models of at most {MAX_PARAMS} parameters on a frame (such as mlp:hidden=1 on two "
            f"inputs); {objective.label!r} has {len(objective.names)}: try gdanim render network or weights"
        )
    return graph


def parse_detail(spec, steps: int, what: str = "detail=") -> np.ndarray:
    """The steps (0-based) a frame spec over steps selects, or none for '' / None."""
    if spec is None or (isinstance(spec, str) and not spec.strip()):
        return np.empty(0, dtype=np.int64)
    if steps < 1:
        raise ConfigError(f"{what} {spec}: this run has no steps to show in detail")
    try:
        return parse_frames(spec, steps)
    except FrameSpecError as exc:
        message = re.sub(r"\brecord(s?)\b", r"step\1", str(exc))
        raise ConfigError(f"{what} {message}") from None


def default_detail(history) -> str:
    """The first epoch, at most DEFAULT_DETAIL_STEPS steps."""
    per_epoch = history.config.get("steps_per_epoch", 1)
    return f"0:{max(1, min(per_epoch, DEFAULT_DETAIL_STEPS, history.steps))}"


class Walkthrough:
    """The frames of a walkthrough of ``history`` over ``records``, and their numbers."""

    def __init__(self, history, records, detail=None, what: str = "detail="):
        self.graph = check_model(history)
        self.history = h = history
        self.objective = h.objective
        self.detail = parse_detail(default_detail(h) if detail is None else detail, h.steps, what)
        detailed = set(self.detail.tolist())
        shown = sorted(set(int(r) for r in records) | {s + 1 for s in detailed})
        self.frames = []
        for r in shown:
            if r >= 1 and r - 1 in detailed:
                self.frames += [Frame(r - 1 + (phase == "update"), r - 1, phase) for phase in PHASES]
            else:
                self.frames.append(Frame(r, r - 1 if r else None, None))
        steps = sorted({f.step for f in self.frames if f.step is not None})
        self.per_epoch = int(h.config.get("steps_per_epoch", 1))
        self._epochs = self._replay_batches(steps)
        self.replay = OptimizerReplay(h, steps)
        self._values = {}
        names = {**self.graph.symbols, **{node.name: node.symbol for node in self.graph.nodes}}
        self.symbols = [names.get(name, name) for name in h.names]

    @property
    def records(self) -> np.ndarray:
        """The record each frame shows, one per frame."""
        return np.array([f.record for f in self.frames], dtype=np.int64)

    def _replay_batches(self, steps) -> dict[int, list[np.ndarray]]:
        """The rows of every step of the epochs holding ``steps``, drawn again as the trainer
        drew them (the other epochs only draw their order, to keep the generator in step)."""
        config, n, per_epoch = self.history.config, self.objective.n, self.per_epoch
        batch, order = int(config.get("batch_size") or n), config.get("order", "sequential")
        epochs = {s // per_epoch for s in steps}
        if batch == n and order != "sample":  # full batches
            return {epoch: [np.arange(n)] * per_epoch for epoch in epochs}
        rows = batch_rows(n, batch, order, per_epoch, batch_generator(int(config.get("seed", 0))))
        replayed = {}
        for epoch in range(1 + max(epochs, default=-1)):
            first = epoch * per_epoch
            if epoch in epochs:
                replayed[epoch] = [np.arange(n)[rows(step)] for step in range(first, first + per_epoch)]
            else:
                rows(first)
        return replayed

    def rows(self, step: int) -> np.ndarray:
        """The rows of a step the frames show."""
        return self._epochs[step // self.per_epoch][step % self.per_epoch]

    def epoch_batch(self, step: int) -> tuple[int, int]:
        """(epoch, batch) of a step, both counted from 1."""
        return step // self.per_epoch + 1, step % self.per_epoch + 1

    def values(self, step: int):
        """The model's numbers for ``step``, with the loss and gradient the History recorded."""
        if step not in self._values:
            h, theta, rows = self.history, self.history.params[step], self.rows(step)
            recorded = (float(h.batch_J[step]), h.grads[step])
            loss, gradient = self.objective.batch_value_and_gradient(theta, rows)
            scale = max(1.0, float(np.abs(recorded[1]).max()), abs(recorded[0]))
            if not (np.allclose(gradient, recorded[1], rtol=1e-9, atol=1e-12 * scale)
                    and np.isclose(loss, recorded[0], rtol=1e-9, atol=1e-12 * scale)):
                raise ConfigError(f"step {step + 1} of this History does not match its model and data; cannot walk through it")
            self._values[step] = self.objective.step_values(theta, rows, recorded)
        return self._values[step]

    def updates(self, step: int) -> list[list]:
        """Per parameter, the optimiser's equations for ``step`` (state first, then the new value)."""
        return [self.replay.equations(self.history, step, j, symbol) for j, symbol in enumerate(self.symbols)]

    def done_rows(self, frame: Frame) -> np.ndarray:
        """Rows already used in the frame's epoch (ticked in the data table)."""
        if frame.step is None:
            return np.empty(0, dtype=np.int64)
        epoch, i = divmod(frame.step, self.per_epoch)
        used = self._epochs[epoch][: i + (frame.phase in (None, "update"))]
        return np.unique(np.concatenate(used)) if used else np.empty(0, dtype=np.int64)

    def logged_steps(self, frame: Frame) -> int:
        """How many steps' losses the training log holds at this frame."""
        if frame.step is None:
            return 0
        return frame.step + (frame.phase in (None, "L", "derivatives", "update"))

    def transcript(self) -> list[str]:
        """One line per frame (per phase of a detailed step), every number unrounded."""
        return [self.transcript_line(frame) for frame in self.frames]

    def transcript_line(self, frame: Frame) -> str:
        h = self.history
        params = " ".join(f"{name}={value!r}" for name, value in zip(h.names, h.params[frame.record].tolist()))
        if frame.step is None:
            return f"record {frame.record}: {params} J={float(h.J[frame.record])!r}"
        step = frame.step
        values = self.values(step)
        epoch, batch = self.epoch_batch(step)
        rows = ",".join(str(r + 1) for r in values.rows)
        inputs = " ".join(f"{n.name}={values.nodes[n.name]!r}" for n in self.graph.nodes if n.role in ("input", "target"))
        states = " ".join(
            f"{key}[{name}]={value!r}"
            for j, name in enumerate(h.names)
            for key, value in ((k, float(v[j])) for k, v in self.replay.states[step].after.items())
        )
        update = f"{states} {params}".strip()
        if frame.phase is None:
            return f"step {step + 1}: epoch={epoch} batch={batch} rows={rows} L={values.loss!r} {update}"
        head = f"step {step + 1} {frame.phase}:"
        if frame.phase == "feed":
            return f"{head} epoch={epoch} batch={batch} rows={rows} {inputs}"
        if frame.phase == "yhat":
            predictions = " ".join(f"{n.name}={values.nodes[n.name]!r}" for n in self.graph.nodes if n.role == "model")
            return f"{head} {predictions}"
        if frame.phase == "L":
            return f"{head} L={values.loss!r}"
        if frame.phase == "derivatives":
            on_weights = {e.key for e in self.graph.edges if e.param}  # those are the gradient's
            partials = [f"d{target}/d{source}={value!r}" for (source, target), value in values.partials.items()
                        if (source, target) not in on_weights]
            deltas = [f"delta[{name}]={value!r}" for name, value in values.deltas.items()]
            gradient = [f"dL/d{name}={float(g)!r}" for name, g in zip(h.names, values.gradient)]
            return " ".join([head, *partials, *deltas, *gradient])
        return f"{head} {update}"
