"""Each optimiser's update as equations with its numbers, replayed from a History.

``OptimizerReplay`` runs the History's optimiser again over the gradients the
History recorded and keeps its state (v, a, s, m; see ``gdanim.optim``) around the
steps asked for. The replay repeats the trainer's arithmetic exactly, so every
replayed parameter equals the recorded one to the last bit; it checks that it does.

``update_equations`` writes one parameter's update in the optimiser's own form, for
example ``b′ = b − η ∂L/∂b = 0.000 − 0.05 × (−4.232) = 0.212`` for sgd, or the
velocity and then the step for momentum. The new value is the History's.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import optim
from ..errors import ConfigError
from ..objectives.graph import Equation


@dataclass(frozen=True)
class StepState:
    before: dict[str, np.ndarray]  # the optimiser's named state before the step
    after: dict[str, np.ndarray]  # and after it
    t: int  # the step's number counted from 1 (Adam's bias correction)


class OptimizerReplay:
    """The optimiser's state around each of ``steps`` (0-based), from the History's gradients."""

    def __init__(self, history, steps):
        config = history.config
        self.name = config.get("optimizer")
        if self.name not in optim.OPTIMIZERS:
            raise ConfigError("this History does not record which optimizer made it, so its updates cannot be shown")
        self.options = {**optim.defaults(self.name), **config.get("optimizer_options", {})}
        lr = history.lr.__getitem__ if "schedule" in config else float(config["lr"])
        transform = optim.make(self.name, lr, **self.options)
        wanted = set(int(s) for s in steps)
        count = 1 + max(wanted, default=-1)
        theta = history.params[0]
        state = transform.init(theta)
        replayed = np.empty((count, theta.size))
        self.states: dict[int, StepState] = {}
        for step in range(count):
            before = optim.named_state(self.name, state)
            update, state = transform.update(history.grads[step], state)
            theta = replayed[step] = theta + update
            if step in wanted:
                self.states[step] = StepState(before, optim.named_state(self.name, state), step + 1)
        differ = np.flatnonzero((replayed != history.params[1 : count + 1]).any(axis=1))
        if differ.size:
            raise ConfigError(
                f"step {differ[0] + 1} of this History cannot be replayed from its gradients "
                "(it was not recorded by gdanim.train); its updates cannot be shown"
            )

    def equations(self, history, step: int, j: int, symbol: str, loss: str = "L") -> list[Equation]:
        """Parameter j's update at ``step``: its state's equations, then the new value."""
        around = self.states[step]
        before = {k: float(v[j]) for k, v in around.before.items()}
        after = {k: float(v[j]) for k, v in around.after.items()}
        return update_equations(
            self.name, self.options, float(history.lr[step]), symbol, float(history.params[step, j]),
            float(history.params[step + 1, j]), float(history.grads[step, j]), before, after, around.t, loss,
        )


def update_equations(name, options, eta, symbol, value, new, grad, before, after, t, loss="L") -> list[Equation]:
    """The update of one parameter ``symbol`` from ``value`` to ``new`` with gradient ``grad``.

    before / after: the optimiser's state for this parameter (floats by name); t:
    the step counted from 1. ``loss`` names what was differentiated (L or J).
    """
    d = f"∂{loss}/∂{symbol}"
    new_symbol = f"{symbol}′"
    if name in ("gd", "sgd"):
        return [Equation(new_symbol, f"{symbol} − η {d}", "{} − {} × {}", (value, eta, grad), "vcv", new)]
    if name in ("momentum", "nesterov"):
        beta, v = options["beta"], after["v"]
        velocity = Equation("v", f"β v + {d}", "{} × {} + {}", (beta, before["v"], grad), "cvv", v)
        if name == "momentum":
            return [velocity, Equation(new_symbol, f"{symbol} − η v", "{} − {} × {}", (value, eta, v), "vcv", new)]
        step = Equation(new_symbol, f"{symbol} − η ({d} + β v)", "{} − {} × ({} + {} × {})", (value, eta, grad, beta, v),
                        "vcvcv", new)
        return [velocity, step]
    eps = options["eps"]
    scaled = "{} − {} × {} / (√{} + {})"
    if name == "adagrad":
        a = after["a"]
        return [
            Equation("a", f"a + ({d})²", "{} + {}²", (before["a"], grad), "vv", a),
            Equation(new_symbol, f"{symbol} − η {d} / (√a + ε)", scaled, (value, eta, grad, a, eps), "vcvvc", new),
        ]
    if name == "rmsprop":
        rho, s = options["rho"], after["s"]
        return [
            Equation("s", f"ρ s + (1 − ρ)({d})²", "{} × {} + {} × {}²", (rho, before["s"], 1 - rho, grad), "cvcv", s),
            Equation(new_symbol, f"{symbol} − η {d} / (√s + ε)", scaled, (value, eta, grad, s, eps), "vcvvc", new),
        ]
    if name == "adam":
        b1, b2, m, s = options["b1"], options["b2"], after["m"], after["s"]
        m_hat, s_hat = m / (1.0 - b1**t), s / (1.0 - b2**t)
        return [
            Equation("m", f"β₁ m + (1 − β₁) {d}", "{} × {} + {} × {}", (b1, before["m"], 1 - b1, grad), "cvcv", m),
            Equation("s", f"β₂ s + (1 − β₂)({d})²", "{} × {} + {} × {}²", (b2, before["s"], 1 - b2, grad), "cvcv", s),
            Equation(new_symbol, f"{symbol} − η m̂ / (√ŝ + ε)", scaled, (value, eta, m_hat, s_hat, eps), "vcvvc", new),
        ]
    raise ConfigError(f"optimizer {name!r} has no equations to show")
