"""Command-line entry points: argument parsing and turning errors into messages, nothing else."""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from .errors import EdgeBoxError, UsageError
from .limits import Limits

EXIT_INTERNAL = 70

if TYPE_CHECKING:
    from .diagnostics import Diagnostic
    from .engine.sandbox import Permissions


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{self.prog}: {message}", hint=f"run {self.prog} --help for usage")


def _guard(main: Callable[[Sequence[str]], int], argv: Sequence[str] | None) -> int:
    """Run `main`; every failure becomes a message and an exit code, never a traceback."""
    from .diagnostics import render_error

    try:
        return main(sys.argv[1:] if argv is None else argv)
    except EdgeBoxError as e:
        sys.stdout.flush()
        sys.stderr.write(render_error(e))
        return e.exit_code
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        return 130
    except Exception as e:  # a bug of ours: say so plainly
        if os.environ.get("EDGEBOX_DEBUG"):
            traceback.print_exc()
        sys.stderr.write(
            f"internal error: {type(e).__name__}: {e}\n"
            "  = hint: this is a bug in EdgeBox; set EDGEBOX_DEBUG=1 for the details\n"
        )
        return EXIT_INTERNAL


def _print_diagnostics(diags: Sequence[Diagnostic], fmt: str, stream: TextIO) -> None:
    from .diagnostics import render_json, render_sarif, render_text

    if fmt == "json":
        stream.write(render_json(diags))
    elif fmt == "sarif":
        stream.write(render_sarif(diags))
    else:
        stream.write(render_text(diags, stream))


def _check_exit(diags: Sequence[Diagnostic], warnings_as_errors: bool) -> int:
    failing = ("error", "warning") if warnings_as_errors else ("error",)
    return 1 if any(d.severity in failing for d in diags) else 0


def _limit_flags(p: argparse.ArgumentParser, what: str) -> None:
    p.add_argument(
        "--wasm-memory-limit", metavar="SIZE", help=f"{what}: memory per user wasm module (default 32MiB)"
    )
    p.add_argument("--heap-limit", metavar="SIZE", help=f"{what}: the JS heap (default 256MiB)")
    p.add_argument(
        "--time-limit", metavar="SECONDS", help=f"{what}: wall-clock time for the whole run (default none)"
    )


def _permission_flags(p: argparse.ArgumentParser, what: str) -> None:
    p.add_argument(
        "--allow-read", action="append", default=[], metavar="DIR", help=f"{what}: read DIR (WASI)"
    )
    p.add_argument(
        "--allow-write", action="append", default=[], metavar="DIR", help=f"{what}: read and write DIR"
    )
    p.add_argument("--allow-env", action="store_true", help=f"{what}: the environment")


def _permissions(args: argparse.Namespace) -> Permissions:
    from .engine.sandbox import Permissions

    for d in [*args.allow_read, *args.allow_write]:
        if not Path(d).is_dir():
            raise UsageError(f"--allow-read/--allow-write: {d} is not a directory")
    return Permissions(tuple(args.allow_read), tuple(args.allow_write), args.allow_env)


def _bundle_main(argv: Sequence[str]) -> int:
    from .ebx import write_atomically
    from .errors import CheckFailed
    from .pipeline import build_bundle, check_entry
    from .stubs import write_types

    p = _Parser(prog="edgebox-bundle", description="Bundle a JS entry module and its wasm imports.")
    p.add_argument("entry", type=Path, help="the entry JS module")
    p.add_argument("-o", "--output", type=Path, help="the .ebx file to write")
    p.add_argument("--emit-types", type=Path, metavar="DIR", help="write a .d.ts per wasm module to DIR")
    p.add_argument("--check", action="store_true", help="only check call sites against wasm signatures")
    p.add_argument("--format", choices=("text", "json", "sarif"), default="text", help="diagnostics format")
    p.add_argument("--warnings-as-errors", action="store_true", help="fail on warnings too")
    p.add_argument(
        "--import-map", action="append", metavar="NAME=PATH", default=[],
        help="resolve a bare module name a wasm or JS module imports (env=./env.js); repeatable",
    )  # fmt: skip
    _permission_flags(p, "record in the manifest that the bundle asks for")
    p.add_argument("--trap-mode", choices=("abort", "exception"), help="record the default trap mode")
    _limit_flags(p, "record a default limit")
    args = p.parse_args(argv)
    if args.check:
        result = check_entry(args.entry, args.import_map)
        _print_diagnostics(result.diagnostics, args.format, sys.stdout)
        return _check_exit(result.diagnostics, args.warnings_as_errors)
    if args.output is None and args.emit_types is None:
        raise UsageError("edgebox-bundle: say where to write the bundle with -o OUT.ebx")
    try:
        built = build_bundle(
            args.entry,
            args.warnings_as_errors,
            args.import_map,
            _permissions(args),
            {"trap_mode": args.trap_mode} if args.trap_mode else None,
            Limits().overridden(args.wasm_memory_limit, args.heap_limit, args.time_limit),
        )
    except CheckFailed as e:
        _print_diagnostics(e.diagnostics, args.format, sys.stderr if args.format == "text" else sys.stdout)
        return 1
    if built.diagnostics:
        _print_diagnostics(
            built.diagnostics, args.format, sys.stderr if args.format == "text" else sys.stdout
        )
    if args.emit_types is not None:
        for path in write_types(built.generated, args.emit_types):
            print(f"wrote {path}", file=sys.stderr)
    if args.output is not None:
        write_atomically(args.output, built.data)
        n = len(built.manifest.modules)
        print(f"wrote {args.output} ({len(built.data)} bytes, {n} modules)", file=sys.stderr)
    return 0


def _exec_main(argv: Sequence[str]) -> int:
    from .ebx import decode, read_bundle
    from .runtime.run import bundle_limits, requested_permissions, run_bundle, ungranted

    p = _Parser(prog="edgebox-exec", description="Run an EdgeBox bundle (or a .js entry) in the sandbox.")
    p.add_argument("bundle", type=Path, help="a .ebx bundle, or a .js/.mjs entry to bundle in memory")
    p.add_argument(
        "--import-map", action="append", metavar="NAME=PATH", default=[], help="as for edgebox-bundle"
    )
    p.add_argument(
        "--trap-mode", choices=("abort", "exception"), default=None,
        help="abort (default): a wasm trap ends the run; exception: it throws a catchable "
        "WebAssembly.RuntimeError (every wasm call then passes through the host, ~µs each)",
    )  # fmt: skip
    _permission_flags(p, "grant user wasm modules")
    _limit_flags(p, "limit")
    p.add_argument(
        "--info", action="store_true", help="describe the bundle and what it asks for; run nothing"
    )
    p.add_argument("args", nargs=argparse.REMAINDER, help="arguments for the program (scriptArgs)")
    args = p.parse_args(argv)
    if args.bundle.suffix in (".js", ".mjs"):
        from .errors import CheckFailed
        from .pipeline import build_bundle  # the bundler (esprima, jinja2) loads only when needed

        try:
            built = build_bundle(args.bundle, import_map=args.import_map)
        except CheckFailed as e:
            _print_diagnostics(e.diagnostics, "text", sys.stderr)
            return 1
        if built.diagnostics:
            _print_diagnostics(built.diagnostics, "text", sys.stderr)
        bundle = decode(built.data, str(args.bundle))
    else:
        bundle = read_bundle(args.bundle)
    if args.info:
        from .runtime.info import describe

        sys.stdout.write(describe(bundle, str(args.bundle)))
        return 0
    granted = _permissions(args)
    missing = ungranted(requested_permissions(bundle), granted)
    if missing:
        print(
            f"edgebox: this bundle asks for {' '.join(missing)}; not granted (pass the flags to edgebox-exec to grant)",
            file=sys.stderr,
        )
    limits = bundle_limits(bundle).overridden(args.wasm_memory_limit, args.heap_limit, args.time_limit)
    code = run_bundle(bundle, args.args, args.trap_mode, granted, limits)
    sys.stdout.flush()
    return code


def bundle_main(argv: Sequence[str] | None = None) -> int:
    return _guard(_bundle_main, argv)


def exec_main(argv: Sequence[str] | None = None) -> int:
    return _guard(_exec_main, argv)


def edgebox_bundle() -> None:
    sys.exit(bundle_main())


def edgebox_exec() -> None:
    sys.exit(exec_main())
