"""Exceptions raised by the tessera package.

    Error                  base of everything tessera raises itself
    ├── CompileError       the compiler rejected the model (diagnostics attached)
    └── RuntimeError       loading or running an artifact failed (also a
        │                  builtins.RuntimeError)
        └── InputError     inputs of the wrong count, name, dtype or shape
                           (also a ValueError)
"""

import builtins
from typing import NamedTuple

__all__ = ["Error", "CompileError", "RuntimeError", "InputError", "Diagnostic"]


class Diagnostic(NamedTuple):
    """One message of the compiler."""

    severity: str  # "error", "warning", "note" or "remark"
    message: str
    location: str  # printed MLIR location, "" when unknown
    node: str  # ONNX node (or value) name the location names, "" when none

    def __str__(self):
        text = f"{self.severity}: {self.message}"
        if self.location:
            text += f" [at {self.location}]"
        return text


class Error(Exception):
    """Base class of the errors tessera raises."""


class CompileError(Error):
    """The compiler rejected the model.

    `str(error)` holds one `error: <message> [at <location>]` line per
    diagnostic, as tessera-compile prints them; `error.diagnostics` holds them
    as Diagnostic tuples and `error.nodes` the ONNX node names they name.
    """

    def __init__(self, diagnostics):
        self.diagnostics = [d if isinstance(d, Diagnostic) else Diagnostic(*d)
                            for d in diagnostics]
        super().__init__("\n".join(str(d) for d in self.diagnostics)
                         or "compilation failed")

    @property
    def nodes(self):
        """Names of the ONNX nodes the errors are about, in order, once each."""
        names = []
        for d in self.diagnostics:
            if d.severity == "error" and d.node and d.node not in names:
                names.append(d.node)
        return names


class RuntimeError(Error, builtins.RuntimeError):
    """Loading or running an artifact failed."""


class InputError(RuntimeError, ValueError):
    """The inputs given to a model do not match what it declares."""
