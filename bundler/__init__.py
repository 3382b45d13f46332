"""EdgeBox: bundle JS that imports wasm, check it, run it in a WebAssembly sandbox.

The public API mirrors the command line, option for option (docs/guide.md, "Python API"):

    from bundler import bundle, check, run
    result = check("app.js")                         # diagnostics only, writes nothing
    data = bundle("app.js", heap_limit="64MiB")      # the .ebx bytes (raises CheckFailed on errors)
    done = run(data, ["arg"], capture_output=True)   # verify, prelink, run
    done.exit_code, done.stdout, done.stderr

Everything else in the package is private.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal, NamedTuple

from .errors import (
    BundleError,
    CheckFailed,
    EdgeBoxError,
    InvalidWasm,
    JSSyntaxError,
    LinkError,
    ModuleNotFound,
    UsageError,
    WasmTrap,
)

if TYPE_CHECKING:
    from .engine.sandbox import Permissions
    from .pipeline import CheckResult

__all__ = [
    "bundle",
    "check",
    "run",
    "RunResult",
    "EdgeBoxError",
    "BundleError",
    "CheckFailed",
    "InvalidWasm",
    "JSSyntaxError",
    "LinkError",
    "ModuleNotFound",
    "UsageError",
    "WasmTrap",
]

TrapMode = Literal["abort", "exception"]


class RunResult(NamedTuple):  # not a dataclass: see errors.SourceSpan
    """How a run ended. `stdout`/`stderr` hold the program's output with capture_output=True
    (else None: it went to this process's). `error` is what stopped the run from outside
    the program (a wasm trap, a limit), as edgebox-exec would report it, or None."""

    exit_code: int
    stdout: str | None = None
    stderr: str | None = None
    error: EdgeBoxError | None = None


def check(
    entry: str | Path, *, import_map: str | Sequence[str] = (), conditions: str | Sequence[str] | None = None
) -> CheckResult:
    """Walk the import graph from `entry` and check every wasm call site (`edgebox-bundle --check`)."""
    from .pipeline import check_entry

    return check_entry(_path(entry), _names(import_map), conditions)


def bundle(
    entry: str | Path,
    *,
    warnings_as_errors: bool = False,
    import_map: str | Sequence[str] = (),
    conditions: str | Sequence[str] | None = None,
    allow_read: Sequence[str] = (),
    allow_write: Sequence[str] = (),
    allow_env: bool = False,
    trap_mode: TrapMode | None = None,
    wasm_memory_limit: str | int | None = None,
    heap_limit: str | int | None = None,
    time_limit: str | float | None = None,
    snapshot: bool = False,
) -> bytes:
    """Bundle `entry` and everything it imports; returns the .ebx bytes (`edgebox-bundle -o`).

    The permissions, trap mode and limits are recorded as the bundle's defaults, as the
    same flags of edgebox-bundle record them. Sizes are written like "64MiB" or given as a
    number of bytes; times in seconds. `conditions` ("worker,import" or a list) replaces the
    default conditions packages are resolved with, as `--conditions` does. `snapshot`: evaluate
    what the entry imports now and store the engine's memory (`--snapshot`, docs/guide.md).
    """
    from .limits import Limits
    from .pipeline import build_bundle

    return build_bundle(
        _path(entry),
        warnings_as_errors,
        _names(import_map),
        _permissions(allow_read, allow_write, allow_env),
        {"trap_mode": _trap_mode(trap_mode)} if trap_mode else None,
        Limits().overridden(_text(wasm_memory_limit), _text(heap_limit), _text(time_limit)),
        conditions,
        snapshot,
    ).data


def run(
    bundle: bytes | bytearray | memoryview | str | Path,
    args: Sequence[str] = (),
    *,
    import_map: str | Sequence[str] = (),
    conditions: str | Sequence[str] | None = None,
    trap_mode: TrapMode | None = None,
    allow_read: Sequence[str] = (),
    allow_write: Sequence[str] = (),
    allow_env: bool = False,
    wasm_memory_limit: str | int | None = None,
    heap_limit: str | int | None = None,
    time_limit: str | float | None = None,
    capture_output: bool = False,
) -> RunResult:
    """Verify and run a bundle (`edgebox-exec`): its bytes, a .ebx path, or a .js entry to
    bundle in memory first. Bad input (a damaged bundle, a bad option) raises; what the
    program does, a trap or a limit included, is in the RunResult."""
    from .ebx import decode, read_bundle
    from .limits import LimitExceeded
    from .runtime.run import bundle_limits, run_bundle

    if isinstance(bundle, bytes | bytearray | memoryview):
        loaded = decode(bytes(bundle), "<bundle>")
    elif isinstance(bundle, str | Path) and Path(bundle).suffix in (".js", ".mjs", ".ts", ".mts"):
        from .pipeline import build_bundle

        built = build_bundle(Path(bundle), import_map=_names(import_map), conditions=conditions)
        loaded = decode(built.data, str(bundle))
    elif isinstance(bundle, str | Path):
        loaded = read_bundle(Path(bundle))
    else:
        raise UsageError(f"run: give the bundle as bytes or a path, not {type(bundle).__name__}")
    if isinstance(args, str) or not all(isinstance(a, str) for a in args):
        raise UsageError("run: args is a list of strings (the program's scriptArgs)")
    permissions = _permissions(allow_read, allow_write, allow_env)
    limits = bundle_limits(loaded).overridden(_text(wasm_memory_limit), _text(heap_limit), _text(time_limit))
    mode = _trap_mode(trap_mode) if trap_mode else None
    import tempfile  # here: `import bundler` is on every edgebox-exec's start-up path

    with tempfile.TemporaryDirectory(prefix="edgebox-run-") as tmp:
        capture = (os.path.join(tmp, "stdout"), os.path.join(tmp, "stderr")) if capture_output else None
        error: EdgeBoxError | None = None
        try:
            code = run_bundle(loaded, args, mode, permissions, limits, capture)
        except (WasmTrap, LimitExceeded) as e:
            code, error = e.exit_code, e
        if capture is None:
            return RunResult(code, error=error)
        out, err = (Path(f).read_text(encoding="utf-8", errors="replace") for f in capture)
        return RunResult(code, out, err, error)


def _permissions(read: Sequence[str], write: Sequence[str], env: bool) -> Permissions:
    from .engine.sandbox import Permissions

    return Permissions.checked(read, write, env, ("allow_read", "allow_write"))


def _path(entry: str | Path) -> Path:
    if not isinstance(entry, str | Path):
        raise UsageError(f"the entry is a path (str or Path), not {type(entry).__name__}")
    return Path(entry)


def _text(value: str | float | None) -> str | None:
    """A size or a time as the flags take it: "64MiB", or a number (bytes; seconds)."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise UsageError(f"a limit is a number or a string like '64MiB', not {type(value).__name__}")
    return str(value)


def _names(import_map: str | Sequence[str]) -> list[str]:
    return [import_map] if isinstance(import_map, str) else list(import_map)


def _trap_mode(mode: str) -> str:
    if mode not in ("abort", "exception"):
        raise UsageError(f"trap_mode: {mode!r} is not 'abort' or 'exception'")
    return mode
