"""EdgeBox: bundle JS that imports wasm, check it, run it in a WebAssembly sandbox.

The public API mirrors the command line:

    from bundler import bundle, check, run
    result = check("app.js")            # diagnostics only, writes nothing
    data = bundle("app.js")             # the .ebx bytes (raises CheckFailed on errors)
    exit_code = run(data)               # verify, prelink, run

Everything else in the package is private.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import (
    BundleError,
    CheckFailed,
    EdgeBoxError,
    InvalidWasm,
    JSSyntaxError,
    LinkError,
    ModuleNotFound,
    WasmTrap,
)

if TYPE_CHECKING:
    from .pipeline import CheckResult

__all__ = [
    "bundle",
    "check",
    "run",
    "EdgeBoxError",
    "BundleError",
    "CheckFailed",
    "InvalidWasm",
    "JSSyntaxError",
    "LinkError",
    "ModuleNotFound",
    "WasmTrap",
]


def check(entry: str | Path) -> CheckResult:
    """Walk the import graph from `entry` and check every wasm call site."""
    from .pipeline import check_entry

    return check_entry(Path(entry))


def bundle(entry: str | Path, warnings_as_errors: bool = False) -> bytes:
    """Bundle `entry` and everything it imports; returns the .ebx bytes."""
    from .pipeline import build_bundle

    return build_bundle(Path(entry), warnings_as_errors).data


def run(bundle_bytes: bytes, args: Sequence[str] = ()) -> int:
    """Verify and run a bundle held in memory; returns the program's exit code."""
    from .ebx import decode
    from .runtime.run import run_bundle

    return run_bundle(decode(bundle_bytes, "<bundle>"), args)
