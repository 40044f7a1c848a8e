"""Numbers and names as the equation strips write them.

Numbers are the History's, rounded only here, for display: ``fixed`` writes three
decimals as the SGD tutorial does (0.000 − 0.05 × (−4.232) = 0.212), ``significant``
four significant digits, for runs whose numbers span many orders of magnitude
(0.8 − 0.1 × 0.9 = 0.71). Data values and constants (the learning rate, β) are
written as short as they are (4, 0.05). Minus signs are the typographic ones (−).
"""
from __future__ import annotations

_SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def _tidy(text: str) -> str:
    if text.startswith("-") and text.strip("-0.") == "":  # -0.000: a negative rounded to nothing
        text = text[1:]
    return text.replace("-", "−")


def fixed(value: float, kind: str = "v") -> str:
    """Three decimals for computed values (scientific beyond 1e5 or below 1e-3), short for the rest."""
    if kind != "v":
        return _tidy(f"{value:g}")
    if value == 0 or 1e-3 <= abs(value) < 1e5:
        return _tidy(f"{value:.3f}")
    return _tidy(f"{value:.3e}")


def significant(value: float, kind: str = "v", digits: int = 4) -> str:
    """Four (or ``digits``) significant digits for computed values, short for the rest."""
    return _tidy(f"{value:.{digits}g}" if kind == "v" else f"{value:g}")


def symbol(name: str) -> str:
    """A parameter's name as a symbol: trailing digits as subscripts (w1 -> w₁)."""
    stem = name.rstrip("0123456789")
    return stem + name[len(stem):].translate(_SUBSCRIPTS) if stem else name
