"""An objective written as an expression, e.g. 'x**2 + 10*y**2', parsed without eval.

Grammar (Python's precedence; ``**`` binds tighter than unary minus and is right-associative)::

    expr   := term (('+' | '-') term)*
    term   := unary (('*' | '/') unary)*
    unary  := '-' unary | power
    power  := atom ('**' unary)?
    atom   := NUMBER | NAME | FUNCTION '(' expr ')' | '(' expr ')'

FUNCTION is one of sin cos tan exp log sqrt abs tanh; ``pi`` is the constant. Every
other name is a parameter, in order of first appearance unless ``params`` orders them.
Anything else is refused with one line naming the offending part.

The parsed expression is a tape: nodes in evaluation order, each an operation on
earlier nodes. Forward: evaluate the tape over numpy arrays (so J works on grids).
Backward: sweep the tape in reverse, adding each node's adjoint times its local
derivative to its inputs' adjoints (reverse-mode differentiation): the gradient is
exact, not a finite difference.
"""
from __future__ import annotations

import math
import re

import numpy as np

from ..errors import ConfigError
from .base import Objective

MAX_LENGTH = 2000  # characters
MAX_DEPTH = 60  # nested parentheses, calls, minus signs and powers

# name -> (f(a), df/da (a, f(a)))
FUNCTIONS = {
    "sin": (np.sin, lambda a, f: np.cos(a)),
    "cos": (np.cos, lambda a, f: -np.sin(a)),
    "tan": (np.tan, lambda a, f: 1 + f * f),
    "exp": (np.exp, lambda a, f: f),
    "log": (np.log, lambda a, f: 1 / a),
    "sqrt": (np.sqrt, lambda a, f: 0.5 / f),
    "abs": (np.abs, lambda a, f: np.sign(a)),
    "tanh": (np.tanh, lambda a, f: 1 - f * f),
}
CONSTANTS = {"pi": math.pi}
ALLOWED = "numbers, names, + - * / **, parentheses and " + " ".join(FUNCTIONS)
_TOKEN = re.compile(
    r"\s*(?:(?P<number>(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)|(?P<name>[A-Za-z_][A-Za-z_0-9]*)|(?P<op>\*\*|[-+*/()]))",
    re.ASCII,
)


class _Parser:
    """Recursive descent over the tokens, appending nodes to a tape."""

    def __init__(self, text: str, what: str):
        self.text, self.what = text, what
        self.tokens = self._tokenize()
        self.i = 0
        self.depth = 0
        self.tape: list[tuple] = []  # (op, operands...): 'num' value | 'var' name | 'neg' a | op a b | fn a
        self.names: list[str] = []

    def fail(self, message: str):
        raise ConfigError(f"{self.what} {self.text!r}: {message}")

    def _tokenize(self):
        tokens, pos, text = [], 0, self.text
        while pos < len(text):
            m = _TOKEN.match(text, pos)
            if m is None or m.end() == pos:
                if text[pos:].strip() == "":
                    break
                bad = text[pos:].lstrip()[0]
                at = len(text) - len(text[pos:].lstrip())
                self.fail(f"{bad!r} at position {at} is not allowed; use {ALLOWED}")
            kind = m.lastgroup
            tokens.append((kind, m.group(kind), m.start(kind)))
            pos = m.end()
        return tokens

    def peek(self):
        return self.tokens[self.i] if self.i < len(self.tokens) else (None, None, len(self.text))

    def take(self, *ops):
        kind, value, _ = self.peek()
        if kind == "op" and value in ops:
            self.i += 1
            return value
        return None

    def emit(self, *node) -> int:
        self.tape.append(node)
        return len(self.tape) - 1

    def parse(self) -> int:
        if not self.tokens:
            self.fail("the expression is empty")
        root = self.expr()
        kind, value, at = self.peek()
        if kind is not None:
            self.fail(f"unexpected {value!r} at position {at}")
        return root

    def nested(self, parse):
        self.depth += 1
        if self.depth > MAX_DEPTH:
            self.fail(f"nested more than {MAX_DEPTH} levels deep")
        node = parse()
        self.depth -= 1
        return node

    def expr(self) -> int:
        node = self.term()
        while op := self.take("+", "-"):
            node = self.emit(op, node, self.term())
        return node

    def term(self) -> int:
        node = self.unary()
        while op := self.take("*", "/"):
            node = self.emit(op, node, self.unary())
        return node

    def unary(self) -> int:
        if self.take("-"):
            return self.emit("neg", self.nested(self.unary))
        return self.power()

    def power(self) -> int:
        base = self.atom()
        if self.take("**"):
            return self.emit("**", base, self.nested(self.unary))
        return base

    def atom(self) -> int:
        kind, value, at = self.peek()
        if kind is None:
            self.fail("the expression ends too early")
        self.i += 1
        if kind == "number":
            number = float(value)
            if not math.isfinite(number):
                self.fail(f"the number {value} is too large")
            return self.emit("num", number)
        if kind == "name":
            if self.take("("):
                if value not in FUNCTIONS:
                    self.fail(f"unknown function {value!r}; the functions are {' '.join(FUNCTIONS)}")
                node = self.emit(value, self.nested(self.expr))
                self.expect_close(at)
                return node
            if value in FUNCTIONS:
                self.fail(f"{value!r} is a function: write {value}(...)")
            if value in CONSTANTS:
                return self.emit("num", CONSTANTS[value])
            if value not in self.names:
                self.names.append(value)
            return self.emit("var", value)
        if value == "(":
            node = self.nested(self.expr)
            self.expect_close(at)
            return node
        self.fail(f"unexpected {value!r} at position {at}")

    def expect_close(self, opened_at: int):
        if not self.take(")"):
            kind, value, at = self.peek()
            found = "the end" if kind is None else f"{value!r} at position {at}"
            self.fail(f"the '(' at position {opened_at} is not closed (found {found})")


def _local_derivatives(op, node, values, result):
    """[(input, d result / d input)] for one tape node."""
    if op == "neg":
        return [(node[1], -1.0)]
    if op in FUNCTIONS:
        a = values[node[1]]
        return [(node[1], FUNCTIONS[op][1](a, result))]
    a, b = values[node[1]], values[node[2]]
    if op == "+":
        return [(node[1], 1.0), (node[2], 1.0)]
    if op == "-":
        return [(node[1], 1.0), (node[2], -1.0)]
    if op == "*":
        return [(node[1], b), (node[2], a)]
    if op == "/":
        return [(node[1], 1 / b), (node[2], -a / (b * b))]
    return [(node[1], b * a ** (b - 1)), (node[2], result * np.log(a))]  # a ** b


class Expression(Objective):
    """J given as text; its gradient by reverse-mode differentiation of the parsed tape."""

    def __init__(self, text: str, params=None, what: str = "objective"):
        if len(text) > MAX_LENGTH:
            raise ConfigError(f"{what}: the expression is longer than {MAX_LENGTH} characters")
        parser = _Parser(text.strip(), what)
        self.root = parser.parse()
        self.tape = parser.tape
        self.label = self.text = parser.text
        found = parser.names
        if not found:
            raise ConfigError(f"{what} {self.text!r} has no parameters: write it in names such as x and y")
        self.names = tuple(found) if params is None else _ordered(params, found, self.text)
        self.index = {name: i for i, name in enumerate(self.names)}
        # nodes that depend on a parameter; the others need no derivative
        self.varies = []
        for op, *args in self.tape:
            self.varies.append(op == "var" or (op != "num" and any(self.varies[a] for a in args)))

    @property
    def spec(self) -> dict:
        return {"kind": "expression", "text": self.text, "params": list(self.names)}

    def _forward(self, theta):
        values = []
        for op, *args in self.tape:
            if op == "num":
                values.append(args[0])
            elif op == "var":
                values.append(theta[..., self.index[args[0]]])
            elif op == "neg":
                values.append(-values[args[0]])
            elif op in FUNCTIONS:
                values.append(FUNCTIONS[op][0](values[args[0]]))
            else:
                a, b = values[args[0]], values[args[1]]
                values.append(a + b if op == "+" else a - b if op == "-" else a * b if op == "*" else a / b if op == "/" else a**b)
        return values

    def value(self, theta):
        theta = np.asarray(theta, float)
        with np.errstate(all="ignore"):
            return np.asarray(self._forward(theta)[self.root], float) + np.zeros(theta.shape[:-1])

    def gradient(self, theta):
        theta = np.asarray(theta, float)
        grad = np.zeros(len(self.names))
        with np.errstate(all="ignore"):
            values = self._forward(theta)
            adjoint = [0.0] * len(self.tape)
            adjoint[self.root] = 1.0
            for k in range(self.root, -1, -1):
                node = self.tape[k]
                if not self.varies[k]:
                    continue
                if node[0] == "var":
                    grad[self.index[node[1]]] += adjoint[k]
                    continue
                for arg, local in _local_derivatives(node[0], node, values, values[k]):
                    if self.varies[arg]:
                        adjoint[arg] = adjoint[arg] + adjoint[k] * local
        return grad


def _ordered(params, found: list[str], text: str) -> tuple[str, ...]:
    names = [p.strip() for p in params.split(",")] if isinstance(params, str) else [str(p) for p in params]
    missing = [n for n in found if n not in names]
    extra = [n for n in names if n not in found]
    if missing or extra or len(set(names)) != len(names):
        problem = f"{missing[0]!r} is missing" if missing else f"{extra[0]!r} is not in it" if extra else "a name repeats"
        raise ConfigError(f"params must name each parameter of {text!r} once ({', '.join(found)}); {problem}")
    return tuple(names)
