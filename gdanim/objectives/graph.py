"""A model's computation graph and one step's numbers on it, for step-by-step views.

A model that can be walked through returns a ``Graph`` from ``graph()`` and a
``StepValues`` from ``step_values(theta, rows)``. The graph lists nodes in layers
from the top (the forward pass runs down the layers, the backward pass up them) and
the edges between them; an edge the backward pass labels carries the text of its
partial derivative. ``StepValues`` holds every number of one step on one batch:
each node's value, each labelled edge's partial derivative, the batch loss and
gradient, and the equations that produce them, as plain data with the numbers
unrounded. The views decide how to round and lay them out.

Layered models (a sigmoid unit, a small network) plug in the same way: their
hidden units are ``model`` nodes in middle layers, a weight may sit on an edge
(``Edge.param``) instead of a node, and ``StepValues.deltas`` gives the backward
pass's delta at a node.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

ROLES = ("input", "target", "param", "model", "loss")


@dataclass(frozen=True)
class Node:
    name: str  # the key of its value in StepValues.nodes: 'x1', 'w1', 'yhat', 'L'
    symbol: str  # as drawn (Unicode): 'x₁', 'ŷ'
    role: str  # one of ROLES; the views colour nodes by role
    layer: int  # 0 at the top


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    partial: str = ""  # the label in the backward pass, e.g. '∂ŷ/∂w₁'; '' for none
    param: str = ""  # the parameter the edge carries (a network's weight), if any

    @property
    def key(self) -> tuple[str, str]:
        return (self.source, self.target)


@dataclass(frozen=True)
class Graph:
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    symbols: dict = field(default_factory=dict, hash=False)  # parameters on edges, as drawn: {'W2[0,0]': 'W₁'}

    def layers(self) -> list[list[Node]]:
        """Nodes grouped by layer, top first, each layer in the order given."""
        count = 1 + max(node.layer for node in self.nodes)
        return [[node for node in self.nodes if node.layer == i] for i in range(count)]

    def node(self, name: str) -> Node:
        return next(node for node in self.nodes if node.name == name)


@dataclass(frozen=True)
class Equation:
    """``lhs = definition = numbers = result``, the numbers written into ``template``.

    ``template`` has one ``{}`` per value ('{} × {} + {}'), or is '' when the
    equation shows no substitution. ``kinds`` has one letter per value: 'v' a value
    computed in the run, 'd' a data value, 'c' a constant such as the learning rate;
    the views round each kind in its own way.
    """

    lhs: str
    definition: str
    template: str
    values: tuple[float, ...]
    kinds: str
    result: float

    def __post_init__(self):
        if len(self.kinds) != len(self.values) or self.template.count("{}") != len(self.values):
            raise ValueError(f"equation {self.lhs}: template, values and kinds do not match")

    def text(self, number, define: bool = True) -> str:
        """The equation with every value written by ``number(value, kind)``; without
        its definition if ``define`` is False.

        A negative value gets parentheses where an operator comes before it or a
        power after it: 0.000 − 0.05 × (−4.232), (−16.928)².
        """
        parts = [self.lhs, self.definition if define else ""]
        if self.template:
            chunks = self.template.split("{}")
            out = [chunks[0]]
            for i, (value, kind) in enumerate(zip(self.values, self.kinds)):
                shown = number(value, kind)
                before, after = "".join(out).rstrip()[-1:], chunks[i + 1][:1]
                if shown.startswith(("−", "-")) and (before in _OPERATORS or after in _POWERS):
                    shown = f"({shown})"
                out += [shown, chunks[i + 1]]
            parts.append("".join(out))
        parts.append(number(self.result, "v"))
        return " = ".join(part for part in parts if part)


_OPERATORS = set("×+−-/·")
_POWERS = set("²³")


@dataclass
class StepValues:
    """Every number of one step on one batch, unrounded.

    nodes: each node's value; inputs, targets and predictions as the batch mean.
    partials: each labelled edge's partial derivative (batch mean), by ``Edge.key``.
    deltas: the backward pass's delta at a node (layered models), by node name.
    loss, gradient: J on the batch and dJ/dtheta, as the trainer computed them.
    forward / loss_equations / backward: how the prediction, the loss and the
        gradient are computed, for the equation strip.
    """

    rows: np.ndarray
    nodes: dict[str, float]
    partials: dict[tuple[str, str], float]
    loss: float
    gradient: np.ndarray
    forward: tuple[Equation, ...]
    loss_equations: tuple[Equation, ...]
    backward: tuple[Equation, ...]
    deltas: dict[str, float] = field(default_factory=dict)
