"""Errors a user can cause, each carrying where it happened.

They are raised by any phase and turned into a message in one place, the CLI;
a Python traceback is never what a user sees.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from .diagnostics import Diagnostic


# The values edgebox-exec handles are NamedTuples, not dataclasses: `dataclasses` imports
# `inspect` (with ast, dis, tokenize), ~7 ms of every start, and each dataclass costs ~0.4 ms
# to define; a NamedTuple ~0.05 ms (docs/performance.md, start-up).
class SourceSpan(NamedTuple):
    """A place in a source file: 1-based line, 1-based column, and where it ends."""

    file: str
    line: int = 0
    column: int = 0
    end_line: int = 0
    end_column: int = 0

    def __str__(self) -> str:
        if self.line:
            return f"{self.file}:{self.line}:{self.column}"
        return self.file


class EdgeBoxError(Exception):
    """Base class. `exit_code` is what the CLI exits with."""

    exit_code = 1

    def __init__(self, message: str, span: SourceSpan | None = None, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.span = span
        self.hint = hint  # one line
        self.notes: tuple[str, ...] = ()  # lines printed after it as they are (trap frames)


class EngineBuildError(EdgeBoxError):
    """The engine could not be fetched, verified or compiled."""


class ModuleNotFound(EdgeBoxError):
    """An import names a file that does not exist or cannot be resolved."""


class PackageNotFound(ModuleNotFound):
    """A bare name that no node_modules directory holds a package for."""


class JSSyntaxError(EdgeBoxError):
    """A JS module does not parse."""


class InvalidWasm(EdgeBoxError):
    """A .wasm file is not a valid WebAssembly module."""


class LinkError(EdgeBoxError):
    """Imports and exports do not fit together."""


class BundleError(EdgeBoxError):
    """A .ebx file is damaged, tampered with, or not a bundle at all."""


class CheckFailed(EdgeBoxError):
    """Signature checks found errors; `diagnostics` holds them all (warnings too)."""

    def __init__(self, diagnostics: Sequence[Diagnostic], message: str = "signature checks failed"):
        super().__init__(message)
        self.diagnostics = diagnostics


class WasmTrap(EdgeBoxError):
    """A wasm function trapped while the program ran."""


class UsageError(EdgeBoxError):
    exit_code = 2
