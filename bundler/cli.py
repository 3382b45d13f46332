"""Command-line entry points: argument parsing and turning errors into messages, nothing else."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from .errors import EdgeBoxError, UsageError
from .escape import printable
from .limits import Limits

EXIT_INTERNAL = 70

if TYPE_CHECKING:
    from .build_cache import Hit
    from .diagnostics import Diagnostic
    from .engine.sandbox import Permissions


class _Formatter(argparse.HelpFormatter):
    """argparse's formatter, told the terminal's width through `os`: argparse makes one for
    every add_argument (to check its metavar), and asks shutil for the width, an import
    (shutil, bz2, lzma) of ~2 ms on every start that never prints help."""

    def __init__(self, prog: str) -> None:
        try:
            columns = int(os.environ.get("COLUMNS") or 0)
        except ValueError:
            columns = 0
        if columns <= 0:
            try:
                columns = os.get_terminal_size(1).columns
            except OSError:
                columns = 80  # as shutil.get_terminal_size falls back
        super().__init__(prog, width=columns - 2)


class _Parser(argparse.ArgumentParser):
    def __init__(self, **kwargs: object) -> None:
        super().__init__(formatter_class=_Formatter, **kwargs)  # type: ignore[arg-type]

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{self.prog}: {message}", hint=f"run {self.prog} --help for usage")


def _open_standard_streams() -> None:
    """A closed stdout or stderr (`edgebox-exec app.ebx >&-`) is None in Python: write to
    /dev/null instead, as a program with a closed stream would."""
    if sys.stdout is None:
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 (for the life of the process)
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w")  # noqa: SIM115


class _StreamFailed(EdgeBoxError):
    """stdout could not be written (a full disk, a closed pipe)."""


def _write(stream: TextIO, text: str) -> None:
    """Write to stdout or stderr. A stdout that fails is an error of its own (exit 1); a
    stderr that fails is let go: there is nowhere left to say anything, and the exit code
    must stay the one the run earned."""
    try:
        stream.write(text)
        stream.flush()
    except OSError as e:
        if stream is sys.stderr:
            return
        raise _StreamFailed(f"cannot write to standard output: {e.strerror or e}") from None


def _guard(main: Callable[[Sequence[str]], int], argv: Sequence[str] | None) -> int:
    """Run `main`; every failure becomes a message and an exit code, never a traceback."""
    _open_standard_streams()
    try:
        code = main(sys.argv[1:] if argv is None else argv)
        _write(sys.stdout, "")  # flush what the program printed through Python
        return code
    except EdgeBoxError as e:
        try:
            sys.stdout.flush()
        except OSError:
            pass
        from .diagnostics import render_error  # only on failure: its imports cost a clean start

        _write(sys.stderr, render_error(e))
        return e.exit_code
    except KeyboardInterrupt:
        _write(sys.stderr, "interrupted\n")
        return 130
    except SystemExit as e:  # --help, --version: argparse exits; a caller of *_main gets the code
        return e.code if isinstance(e.code, int) else 0
    except Exception as e:  # a bug of ours: say so plainly
        if os.environ.get("EDGEBOX_DEBUG"):
            import traceback

            traceback.print_exc()
        _write(
            sys.stderr,
            f"internal error: {type(e).__name__}: {e}\n"
            "  = hint: this is a bug in EdgeBox; set EDGEBOX_DEBUG=1 for the details\n",
        )
        return EXIT_INTERNAL


def _print_diagnostics(diags: Sequence[Diagnostic], fmt: str, stream: TextIO) -> None:
    from .diagnostics import render_json, render_sarif, render_text

    if fmt == "json":
        _write(stream, render_json(diags))
    elif fmt == "sarif":
        _write(stream, render_sarif(diags))
    else:
        _write(stream, render_text(diags, stream))


class _VersionAction(argparse.Action):
    """--version: reads the package metadata only when asked (importlib.metadata costs
    start-up time on every run otherwise)."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: object):
        super().__init__(option_strings, dest, nargs=0, help="print the version and exit")

    def __call__(self, parser: argparse.ArgumentParser, *args: object) -> None:
        from .version import version

        _write(sys.stdout, f"{parser.prog} {version()}\n")
        parser.exit()


def _add_version(p: argparse.ArgumentParser) -> None:
    p.add_argument("--version", action=_VersionAction)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _check_exit(diags: Sequence[Diagnostic], warnings_as_errors: bool) -> int:
    failing = ("error", "warning") if warnings_as_errors else ("error",)
    return 1 if any(d.severity in failing for d in diags) else 0


def _limit_flags(p: argparse.ArgumentParser, what: str) -> None:
    p.add_argument(
        "--wasm-memory-limit", metavar="SIZE", help=f"{what}: memory per user wasm module (default 256MiB)"
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


def _output_path(text: str) -> Path:
    if not text:  # Path("") would be ".", the working directory
        raise argparse.ArgumentTypeError("the output path is empty")
    return Path(text)


def _conditions_flag(p: argparse.ArgumentParser, what: str) -> None:
    from .conditions import DEFAULT_CONDITIONS

    p.add_argument(
        "--conditions", action="append", metavar="A,B", default=None,
        help=f"{what}the conditions a package's \"exports\" and \"imports\" are matched against, "
        f"replacing the default list ({','.join(DEFAULT_CONDITIONS)}); \"default\" always matches",
    )  # fmt: skip


def _permissions(args: argparse.Namespace) -> Permissions:
    from .engine.sandbox import Permissions

    return Permissions.checked(args.allow_read, args.allow_write, args.allow_env)


def _bundle_main(argv: Sequence[str]) -> int:
    from .build_cache import results_kept

    with results_kept(False):  # what this command reads of a build is all a hit needs to hold
        return _bundle(argv)


def _bundle(argv: Sequence[str]) -> int:
    from .errors import CheckFailed
    from .output import check_output, write_output

    p = _Parser(prog="edgebox-bundle", description="Bundle a JS entry module and its wasm imports.")
    _add_version(p)
    p.add_argument("entry", type=Path, help="the entry JS module")
    p.add_argument("-o", "--output", type=_output_path, help="the .ebx file to write")
    p.add_argument(
        "--emit-types", type=_output_path, metavar="DIR", help="write a .d.ts per wasm module to DIR"
    )
    p.add_argument("--check", action="store_true", help="only check call sites against wasm signatures")
    p.add_argument(
        "--snapshot",
        action="store_true",
        help="evaluate what the entry imports now and store the engine's memory in the bundle (JS only)",
    )
    p.add_argument("--format", choices=("text", "json", "sarif"), default="text", help="diagnostics format")
    p.add_argument("--warnings-as-errors", action="store_true", help="fail on warnings too")
    p.add_argument(
        "--import-map", action="append", metavar="NAME=PATH", default=[],
        help="resolve a bare module name a wasm or JS module imports (env=./env.js); repeatable",
    )  # fmt: skip
    _conditions_flag(p, "")
    _permission_flags(p, "record in the manifest that the bundle asks for")
    p.add_argument("--trap-mode", choices=("abort", "exception"), help="record the default trap mode")
    _limit_flags(p, "record a default limit")
    args = p.parse_args(argv)
    machine = args.format != "text"  # json and sarif go to stdout, and always as a whole document
    if args.check:
        hit = _cached_build(args)
        if hit is not None:
            _print_diagnostics(hit.diagnostics, args.format, sys.stdout)
            return _check_exit(hit.diagnostics, args.warnings_as_errors)
        from .pipeline import check_entry

        try:
            result = check_entry(args.entry, args.import_map, args.conditions)
        except CheckFailed as e:  # diagnostics found before the checks (TypeScript's EB014)
            _print_diagnostics(e.diagnostics, args.format, sys.stdout)
            return 1
        except EdgeBoxError as e:
            if not machine:
                raise
            _print_failure(e, args.format)
            return e.exit_code
        _print_diagnostics(result.diagnostics, args.format, sys.stdout)
        return _check_exit(result.diagnostics, args.warnings_as_errors)
    if args.output is None and args.emit_types is None:
        raise UsageError("edgebox-bundle: say where to write the bundle with -o OUT.ebx")
    if args.output is not None and args.emit_types is None:
        try:
            check_output(args.output, [args.entry])
            hit = _cached_build(args)
            if hit is not None and hit.data is not None:
                write_output(args.output, hit.data, hit.inputs)
        except EdgeBoxError as e:
            if not machine:
                raise
            _print_failure(e, args.format)
            return e.exit_code
        if hit is not None and hit.data is not None:
            if hit.diagnostics or machine:
                _print_diagnostics(hit.diagnostics, args.format, sys.stdout if machine else sys.stderr)
            n = hit.modules
            _write(sys.stderr, f"wrote {args.output} ({len(hit.data):,} bytes, {_plural(n, 'module')})\n")
            return 0
    from .pipeline import build_bundle
    from .stubs import write_types

    try:
        if args.output is not None:
            check_output(args.output, [args.entry])  # before the work, not only after it
        built = build_bundle(
            args.entry,
            args.warnings_as_errors,
            args.import_map,
            _permissions(args),
            {"trap_mode": args.trap_mode} if args.trap_mode else None,
            Limits().overridden(args.wasm_memory_limit, args.heap_limit, args.time_limit),
            args.conditions,
            args.snapshot,
        )
    except CheckFailed as e:
        _print_diagnostics(e.diagnostics, args.format, sys.stdout if machine else sys.stderr)
        return 1
    except EdgeBoxError as e:
        if not machine:
            raise
        _print_failure(e, args.format)
        return e.exit_code
    inputs = built.inputs()
    written: list[Path] = []
    try:  # written before the diagnostics document, so that it can report a failure to write
        if args.emit_types is not None:
            written += write_types(built.generated, args.emit_types, inputs)
        if args.output is not None:
            write_output(args.output, built.data, inputs)
    except EdgeBoxError as e:
        if not machine:
            raise
        _print_failure(e, args.format)
        return e.exit_code
    if built.diagnostics or machine:
        _print_diagnostics(built.diagnostics, args.format, sys.stdout if machine else sys.stderr)
    for path in written:
        _write(sys.stderr, f"wrote {path}\n")
    if args.output is not None:
        n = len(built.manifest.modules)
        _write(sys.stderr, f"wrote {args.output} ({len(built.data):,} bytes, {_plural(n, 'module')})\n")
    return 0


def _cached_build(args: argparse.Namespace) -> Hit | None:
    """The build cache's entry for these arguments (build_cache.py), looked up without
    importing the bundler's phases: a warm hit costs less than importing them. Flags the
    bundler checks against the file system first (--allow-read, --allow-write) go the
    usual way."""
    from .build_cache import bundle_key, check_key, lookup

    if args.check:
        return lookup(check_key(args.entry, args.import_map, args.conditions))
    if args.allow_read or args.allow_write or args.snapshot:
        return None
    try:
        limits = Limits().overridden(args.wasm_memory_limit, args.heap_limit, args.time_limit)
    except EdgeBoxError:
        return None  # said by the build, as always
    return lookup(
        bundle_key(
            args.entry,
            args.warnings_as_errors,
            args.import_map,
            ((), (), bool(args.allow_env)),
            {"trap_mode": args.trap_mode} if args.trap_mode else None,
            limits.to_json(),
            args.conditions,
            args.snapshot,
        )
    )


def _print_failure(e: EdgeBoxError, fmt: str) -> None:
    """A build that stopped before any check, as a complete json/sarif document."""
    from .diagnostics import render_failure_json, render_failure_sarif

    _write(sys.stdout, render_failure_json(e) if fmt == "json" else render_failure_sarif(e))
    _write(sys.stderr, f"edgebox-bundle: {printable(e.message)}\n")


def _exec_main(argv: Sequence[str]) -> int:
    from .ebx import decode, read_bundle
    from .runtime.run import bundle_limits, requested_permissions, run_bundle, ungranted

    p = _Parser(
        prog="edgebox-exec",
        usage="edgebox-exec [options] BUNDLE [ARGS ...]",
        description="Run an EdgeBox bundle (or a .js entry) in the sandbox.",
    )
    _add_version(p)
    p.add_argument(
        "bundle",
        type=Path,
        metavar="BUNDLE",
        help="a .ebx bundle, or a .js/.mjs/.ts/.mts entry to bundle in memory",
    )
    p.add_argument(
        "--import-map", action="append", metavar="NAME=PATH", default=[], help="as for edgebox-bundle"
    )
    _conditions_flag(p, "for a .js entry: ")
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
    p.add_argument(
        "args",
        nargs=argparse.REMAINDER,
        metavar="ARGS",
        help="arguments for the program (scriptArgs); optional",
    )
    args = p.parse_args(argv)
    granted = _permissions(args)  # flags first: a bad one is reported before any work
    if args.bundle.suffix in (".js", ".mjs", ".ts", ".mts"):
        from .errors import CheckFailed
        from .pipeline import build_bundle  # the bundler (esprima, jinja2) loads only when needed

        try:
            built = build_bundle(args.bundle, import_map=args.import_map, conditions=args.conditions)
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

        _write(sys.stdout, describe(bundle, str(args.bundle)))
        return 0
    missing = ungranted(requested_permissions(bundle), granted)
    if missing:
        asked = printable(" ".join(missing))  # from the manifest: anything may be in it
        _write(
            sys.stderr,
            f"edgebox: this bundle asks for {asked}; not granted (pass the flags to edgebox-exec to grant)\n",
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
    _exit_now(exec_main())


def _exit_now(code: int) -> None:
    """End the process without Python's own teardown, which frees every module and
    wasmtime object one by one (the Store's reserved memories, the mapped machine code):
    ~10-20 ms of a start-up that matters (docs/performance.md). Exit handlers still run
    (an engine built outside an unusable cache is removed by one) and the standard
    streams are flushed; everything else the process holds, the kernel frees at once."""
    import atexit

    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # closed or broken: nothing more can be said on it
            pass
    os._exit(code)
