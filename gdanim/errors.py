"""User-facing errors.

Everything a user can cause by bad input derives from ``GdanimError``: the CLI prints
its message as one line and exits with status 2. Anything else is a bug and keeps
its traceback.
"""


class GdanimError(Exception):
    """Bad input or an impossible request; the message is one self-contained line."""


class DataError(GdanimError, ValueError):
    """A dataset or CSV file that cannot be used (names file, row and column)."""


class FrameSpecError(GdanimError, ValueError):
    """A malformed or out-of-range frame spec."""


class ConfigError(GdanimError, ValueError):
    """An option value that is out of range or unknown."""


class UnknownOptionError(ConfigError, TypeError):
    """A keyword argument that a function does not take (a TypeError too, as Python's own is)."""


class OutputError(GdanimError, OSError):
    """An output path that cannot be written."""


class DivergenceError(GdanimError, ArithmeticError):
    """Training diverged and the caller asked for --strict."""
