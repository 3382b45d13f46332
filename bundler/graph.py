"""The module graph: every module reachable from the entry, and how each specifier resolves.

A worklist walk from the entry (esbuild's "scan" phase): read each JS module's
imports and exports (tree-sitter's scan, scan.py, where it can vouch for them; else
esprima's parse), collect its static imports, re-exports and `import()` calls with a
string literal, resolve each specifier to a file (the import map, then a path
relative to the importer, then a package: import_map.py, files.py, resolve.py),
read .wasm interfaces and .json text, and keep going until nothing new turns up.

A source-phase import (`import source m from "./x.wasm"`, `import.source("./x.wasm")`)
brings the wasm module into the bundle as a source only: its imports are not followed,
and unless something imports it normally it is not instantiated (a `WasmSource`).
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from . import reads
from .analysis import ModuleFacts, analyze_cached
from .errors import InvalidWasm, JSSyntaxError, LinkError, ModuleNotFound, PackageNotFound, SourceSpan
from .escape import printable
from .files import JS_EXTENSIONS, bundlable, display_path, find_module_file
from .import_map import ImportMap
from .resolve import Conditions, PackageResolver, Resolution, engine_builtin
from .typescript import TS_EXTENSIONS, to_javascript, unsupported_file
from .wasm_types import WasmInterface, read_interface

WASI_MODULE = "wasi_snapshot_preview1"
# The snapshot before preview 1: same function names, different layouts (fd_seek's whence
# numbers END as 1 where preview 1 has CUR; dirent and filestat differ too). Binding it to
# preview 1 would silently corrupt data, so it is refused.
OLD_WASI_MODULE = "wasi_unstable"
RESERVED_PREFIX = "edgebox:"  # EdgeBox's own modules; no user specifier may name one
# The ESM-integration proposal reserves import and export names, and module names, that start
# with these; of them, only the JS String Builtins module exists.
PROPOSAL_RESERVED = ("wasm:", "wasm-js:")
# The JS String Builtins: the engine provides them to every wasm module that imports them
# (link.py checks their types), so the name is not a file to find.
JS_STRING_MODULE = "wasm:js-string"

# The longest chain of static imports a bundle may have. Linking a module graph is a
# depth-first walk in QuickJS, on the engine's stack; 5,000 leaves it room (6,000 ran
# in a test), where Node 20 stops between 3,000 and 5,000 with a RangeError.
MAX_IMPORT_DEPTH = 5_000
# Python recursion the later phases may use on a graph that deep (the checker follows
# re-export chains recursively); frames of pure Python calls live on the heap.
GRAPH_RECURSION_LIMIT = 4 * MAX_IMPORT_DEPTH + 1_000


@dataclass(frozen=True)
class JSModule:
    path: Path
    source: str
    facts: ModuleFacts = field(repr=False)

    @property
    def file(self) -> str:
        return display_path(self.path)


@dataclass(frozen=True)
class WasmModule:
    path: Path
    data: bytes = field(repr=False)
    interface: WasmInterface


@dataclass(frozen=True)
class WasmSource:
    """A wasm module only source-phase imports reach: in the bundle for its bytes (JS gets
    its `WebAssembly.Module`), never instantiated, its imports neither followed nor linked."""

    path: Path
    data: bytes = field(repr=False)
    interface: WasmInterface


@dataclass(frozen=True)
class JSONModule:
    path: Path
    source: str


Module = JSModule | WasmModule | WasmSource | JSONModule


@dataclass(frozen=True)
class LeftOut:
    """A dynamic import the bundle does not hold, and why; `error` is the class the import()
    rejects with (a module that cannot be linked rejects with a WebAssembly.LinkError)."""

    reason: str
    span: SourceSpan
    error: str = "TypeError"


@dataclass(frozen=True)
class ModuleGraph:
    """Modules keyed by id (their path relative to `root`, with '/' separators)."""

    root: Path
    entry: str
    modules: dict[str, Module]
    resolve: dict[str, dict[str, str]]  # importer id → specifier → target id
    project: Path = field(default=Path("/"))  # project_root(entry): files outside it are warned about
    # Packages found in node_modules directories (real paths): part of the project wherever
    # they lie, as a workspace hoists or links them (EB012).
    packages: tuple[Path, ...] = ()
    # `import("name")` of what the bundle cannot hold (a Node built-in, a package not
    # installed, a CommonJS one): importer id → specifier → why. The build goes on, with a
    # warning (EB013), and that import() rejects at run time with the reason, as it does in
    # Node when it cannot load the module. Code behind an `if (isNode)` runs nowhere here.
    left_out: dict[str, dict[str, LeftOut]] = field(default_factory=dict)
    # Source-phase imports: importer id → specifier → the wasm module id (a WasmModule,
    # or a WasmSource when nothing imports it normally). Not in `resolve`: what the
    # engine runs imports a generated module in their place (source_phase.py).
    sources: dict[str, dict[str, str]] = field(default_factory=dict)
    # Files modules reach by `new URL("./x", import.meta.url)`, by id (their path relative to
    # `root`, as a module's): the bundle carries them, and fetch() of that URL reads them.
    assets: dict[str, Path] = field(default_factory=dict)

    def outside_project(self, module_id: str) -> bool:
        path = self.modules[module_id].path
        return not (path.is_relative_to(self.project) or any(path.is_relative_to(p) for p in self.packages))

    def js_modules(self) -> dict[str, JSModule]:
        return {k: m for k, m in self.modules.items() if isinstance(m, JSModule)}

    def wasm_modules(self) -> dict[str, WasmModule]:
        """The wasm modules that are instantiated (every one but a WasmSource)."""
        return {k: m for k, m in self.modules.items() if isinstance(m, WasmModule)}

    def source_targets(self) -> list[str]:
        """The wasm module ids some source-phase import reaches, sorted."""
        return sorted({t for specs in self.sources.values() for t in specs.values()})


PROJECT_MARKERS = ("package.json", "edgebox.json", ".git")


def project_root(entry: Path) -> Path:
    """The project an entry belongs to: the nearest directory above it holding
    package.json, edgebox.json or .git; else the working directory, when the entry is
    inside it; else the entry's own directory. A module outside it is bundled, with a
    warning (EB012): an import map or an absolute path may otherwise pull in any file."""
    for d in entry.parents:
        if any(reads.exists(d / m) for m in PROJECT_MARKERS):
            return d
    cwd = reads.resolve(Path.cwd())
    return cwd if entry.is_relative_to(cwd) else entry.parent


def is_wasi_module(name: str) -> bool:
    return name == WASI_MODULE


def is_relative(spec: str) -> bool:
    return spec.startswith("./") or spec.startswith("../") or spec.startswith("/")


def _installed_package(path: Path) -> Path | None:
    """The package directory under node_modules that holds `path`, if one does: an import
    map may point into an installed package, which is part of the project as a package
    found by name is (EB012)."""
    parts = path.parts
    if "node_modules" not in parts:
        return None
    at = len(parts) - 1 - parts[::-1].index("node_modules")
    depth = 2 if at + 1 < len(parts) and parts[at + 1].startswith("@") else 1
    return Path(*parts[: at + 1 + depth]) if at + depth < len(parts) - 1 else None


def _resolve_file(
    spec: str,
    importer: Path,
    span: SourceSpan,
    import_map: ImportMap | None = None,
    packages: PackageResolver | None = None,
) -> Resolution:
    """Where `spec`, imported by `importer`, leads: through the import map first, then as a
    path relative to the importer, then as a package (resolve.py)."""
    if "\0" in spec:  # no file name can hold one, and the engine's module names are C strings
        raise ModuleNotFound(
            f"cannot resolve {spec!r}: a module specifier cannot contain a NUL character", span
        )
    if spec.startswith(RESERVED_PREFIX):
        raise ModuleNotFound(
            f"cannot import '{spec}': '{RESERVED_PREFIX}' specifiers are reserved for EdgeBox's own modules",
            span,
        )
    packages = packages or PackageResolver()
    mapped = import_map.lookup(spec, span) if import_map is not None else None
    if mapped is not None:
        packages.refuse_commonjs(mapped, spec, span)
        return Resolution(mapped, _installed_package(mapped))
    if not is_relative(spec):
        found = packages.resolve(spec, importer, span)
        return Resolution(bundlable(found.path, spec, span), found.package_dir)
    base = reads.resolve(importer.parent / spec) if not spec.startswith("/") else Path(spec)
    found_file = find_module_file(base)
    if found_file is not None:
        packages.refuse_commonjs(found_file, spec, span)
        return Resolution(bundlable(found_file, spec, span))
    declaration = next((d for d in _declaration_files(base) if reads.is_file(d)), None)
    if declaration is not None:  # tsc would find the types there; there is no code to run
        raise ModuleNotFound(
            f"cannot import '{spec}': {unsupported_file(declaration)}", span,
            hint="import what it declares with `import type`; a value needs a .ts or .js module",
        )  # fmt: skip
    raise ModuleNotFound(
        f"cannot find module '{spec}' (looked for {display_path(base)})",
        span,
        hint="check the path; it is relative to the importing file",
    )


def _declaration_files(base: Path) -> list[Path]:
    """The .d.ts files TypeScript would read for a specifier that names no module."""
    stem = base.with_suffix("") if base.suffix in JS_EXTENSIONS else base
    return [stem.with_name(stem.name + ".d.ts"), stem.with_name(stem.name + ".d.mts")]


# The largest file of each kind a bundle takes. JS is parsed by esprima, in pure Python, at
# ~60 KB/s and ~250 bytes of memory per byte of source: 8 MiB is two minutes and 2 GB.
# A wasm module or a JSON file is one bundle entry (ebx.MAX_ENTRY_BYTES).
MAX_MODULE_BYTES = {".js": 8 * 1024 * 1024, ".mjs": 8 * 1024 * 1024, ".json": 64 * 1024 * 1024,
                    ".wasm": 256 * 1024 * 1024, ".ts": 8 * 1024 * 1024, ".mts": 8 * 1024 * 1024}  # fmt: skip


def read_bytes(path: Path, span: SourceSpan | None = None) -> bytes:
    """The file's bytes, after its size is checked against its kind's limit."""
    limit = MAX_MODULE_BYTES.get(path.suffix, MAX_MODULE_BYTES[".js"])
    try:
        with open(path, "rb") as f:
            size = os.fstat(f.fileno()).st_size
            if size > limit:
                raise ModuleNotFound(
                    f"{display_path(path)} is {size / 1048576:.1f} MiB; EdgeBox bundles {path.suffix} files "
                    f"up to {limit // 1048576} MiB"
                    + (" (its JS parser reads ~60 KB/s: this one would take minutes and gigabytes)"
                       if path.suffix in (*JS_EXTENSIONS, *TS_EXTENSIONS) else ""),
                    span,
                    hint="split it into modules, or load the data at run time instead of bundling it",
                )  # fmt: skip
            st = os.fstat(f.fileno())
            data = f.read()
            reads.note_file(path, st, data)
            return data
    except OSError as e:
        raise ModuleNotFound(f"cannot read {display_path(path)}: {e.strerror}", span) from None


def _read_text(path: Path, span: SourceSpan | None) -> str:
    try:
        return read_bytes(path, span).decode("utf-8")
    except UnicodeDecodeError as e:
        raise JSSyntaxError(
            f"{display_path(path)} is not UTF-8 text (byte {e.start})", SourceSpan(display_path(path))
        ) from None


def load_module(path: Path, span: SourceSpan | None = None, scan: bool = False) -> Module:
    """The module at `path`, read and checked; a JS module's facts may be `partial` (only
    its imports and exports) with `scan` (analysis.analyze_cached)."""
    try:
        str(path).encode("utf-8")
    except UnicodeEncodeError:
        # module ids become JS strings, JSON keys and C strings in the engine: all UTF-8
        raise ModuleNotFound(
            f"{printable(os.fsencode(path).decode('utf-8', 'backslashreplace'))}: "
            "the file name is not UTF-8, which EdgeBox needs for module names; rename the file",
            span,
        ) from None
    not_typescript = unsupported_file(path)  # an entry .tsx or .d.ts (imports: files.bundlable)
    if not_typescript is not None:
        raise ModuleNotFound(not_typescript, span or SourceSpan(display_path(path)))
    if path.suffix == ".wasm":
        data = read_bytes(path, span)
        try:
            return WasmModule(path, data, read_interface(data, display_path(path)))
        except InvalidWasm as e:
            if span is not None and e.hint is None:
                e.hint = f"imported at {span}"
            raise
    if path.suffix == ".json":
        text = _read_text(path, span)
        try:
            json.loads(text)
        except json.JSONDecodeError as e:
            raise JSSyntaxError(
                f"invalid JSON: {e.msg}",
                SourceSpan(display_path(path), e.lineno, e.colno, e.lineno, e.colno + 1),
            ) from None
        except RecursionError:
            raise JSSyntaxError("JSON nested too deeply to import", SourceSpan(display_path(path))) from None
        return JSONModule(path, text)
    source = _read_text(path, span)
    if path.suffix in TS_EXTENSIONS:
        # types erased, every position kept: what follows reads JS at the .ts file's lines
        source = to_javascript(source, display_path(path))
    return JSModule(path, source, analyze_cached(source, path, display_path(path), scan))


def reserved_names(mod: WasmModule) -> str | None:
    """Why the ESM-integration proposal refuses to link `mod` (names it reserves), or None."""
    file = display_path(mod.path)
    for imp in mod.interface.imports:
        if imp.module.startswith(PROPOSAL_RESERVED) and imp.module != JS_STRING_MODULE:
            return f"{file} imports from '{imp.module}', a module name the ESM-integration proposal reserves"
        if imp.name.startswith(PROPOSAL_RESERVED):
            return f"{file} imports '{imp.name}', a name the ESM-integration proposal reserves"
    for exp in mod.interface.exports:
        if exp.name.startswith(PROPOSAL_RESERVED):
            return f"{file} exports '{exp.name}', a name the ESM-integration proposal reserves"
    return None


def _wasm_import_targets(
    mod: WasmModule, import_map: ImportMap, packages: PackageResolver
) -> dict[str, Resolution]:
    """Each module specifier a wasm module imports from, resolved; WASI's names and the JS
    String Builtins' are not files."""
    file = display_path(mod.path)
    reserved = reserved_names(mod)
    if reserved:
        raise LinkError(
            reserved, SourceSpan(file), hint="names starting 'wasm:' or 'wasm-js:' cannot be linked"
        )
    targets: dict[str, Resolution] = {}
    missing: list[str] = []
    for imp in mod.interface.imports:
        spec = imp.module
        if spec == OLD_WASI_MODULE:
            raise LinkError(
                f"{file} imports '{imp.name}' from wasi_unstable, the WASI snapshot before preview 1; "
                "EdgeBox provides wasi_snapshot_preview1 only (their layouts differ: fd_seek's "
                "whence, directory entries, file stats), so it would run with corrupted data",
                SourceSpan(file),
                hint="rebuild the module with a current toolchain (wasi-libc, wasi-sdk, zig and rustc "
                "emit wasi_snapshot_preview1)",
            )
        if spec.startswith(RESERVED_PREFIX):
            raise LinkError(
                f"{file} imports '{imp.name}' from '{spec}': '{RESERVED_PREFIX}' module names are "
                "reserved for EdgeBox's own modules",
                SourceSpan(file),
            )
        if is_wasi_module(spec) or spec == JS_STRING_MODULE or spec in targets:
            continue
        mapped = import_map.lookup(spec, SourceSpan(file))
        if mapped is not None:
            targets[spec] = Resolution(mapped)
        elif is_relative(spec):
            targets[spec] = _resolve_file(spec, mod.path, SourceSpan(file))
        else:
            try:  # a package, as a JS import of the same name would find it
                targets[spec] = _resolve_file(spec, mod.path, SourceSpan(file), packages=packages)
            except PackageNotFound:
                if spec not in missing:
                    missing.append(spec)
    if missing:
        names = ", ".join(
            f"'{m}' ({', '.join(sorted({i.name for i in mod.interface.imports if i.module == m})[:6])})"
            for m in missing
        )
        first = missing[0]
        raise LinkError(
            f"{file} imports from module names that are not files: {names}; no node_modules "
            f"directory holds a package of {'that name' if len(missing) == 1 else 'those names'} either",
            SourceSpan(file),
            hint=f"map each to a JS or wasm file: --import-map {first}=./{first}.js, "
            f'or in edgebox.json beside the entry: {{"imports": {{"{first}": "./{first}.js"}}}}',
        )
    for spec, resolution in targets.items():
        target = resolution.path
        if not reads.is_file(target):
            raise ModuleNotFound(
                f"{file} imports from '{spec}', but {display_path(target)} does not exist", SourceSpan(file)
            )
    return targets


def _resolve_source(
    spec: str, importer: Path, span: SourceSpan, import_map: ImportMap, packages: PackageResolver
) -> Resolution:
    """Where a source-phase import leads: a .wasm file, the one kind of module with a source
    phase (the words are V8's: a source import of JS is a SyntaxError there, as here)."""
    target = _resolve_file(spec, importer, span, import_map, packages)
    if target.path.suffix != ".wasm":
        kind = "a JSON module" if target.path.suffix == ".json" else "a JS module"
        raise LinkError(
            f"Source phase import object is not defined for module '{spec}' "
            f"({display_path(target.path)}): {kind} has no source phase; only WebAssembly modules "
            "can be imported with `import source` or `import.source()`",
            span,
            hint="import it without `source` for its namespace, or import a .wasm file's source",
        )
    return target


def _check_depth(entry: Path, found: dict[Path, Module], edges: dict[Path, dict[str, Path]]) -> None:
    """Refuse a graph whose static import chain is deeper than the engine can link.

    The depth is that of the depth-first walk linking does (imports in source order,
    each module entered once), walked here with a stack of its own, not recursion."""

    def static_imports(path: Path) -> Iterator[Path]:
        mod = found[path]
        specs = (
            [r.specifier for r in mod.facts.imports if r.kind != "dynamic"]
            if isinstance(mod, JSModule)
            else list(edges[path])
        )
        return (edges[path][s] for s in specs if s in edges[path])

    entered = {entry}
    stack = [(entry, static_imports(entry))]
    while stack:
        target = next(stack[-1][1], None)
        if target is None:
            stack.pop()
        elif target not in entered:
            entered.add(target)
            stack.append((target, static_imports(target)))
            if len(stack) > MAX_IMPORT_DEPTH:
                names = [display_path(p) for p, _ in stack]
                shown = " -> ".join(names[:3] + ["..."] + names[-2:])
                raise LinkError(
                    f"the chain of imports from {names[0]} is more than {MAX_IMPORT_DEPTH:,} modules "
                    f"deep ({shown}); EdgeBox links chains up to {MAX_IMPORT_DEPTH:,} deep",
                    SourceSpan(names[0]),
                    hint="import the modules from one place instead of each from the one before",
                )


@contextmanager
def graph_recursion() -> Iterator[None]:
    """Room for recursion as deep as the deepest graph build_graph accepts."""
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(max(old, GRAPH_RECURSION_LIMIT))
    try:
        yield
    finally:
        sys.setrecursionlimit(old)


def build_graph(
    entry: Path, import_map: ImportMap | None = None, conditions: Conditions | None = None, scan: bool = False
) -> ModuleGraph:
    """The graph from `entry`. With `scan`, JS modules may carry `partial` facts (read by
    tree-sitter: imports and exports only); checker.with_call_facts completes the ones
    whose calls are checked."""
    with reads.session():
        return _build_graph(entry, import_map, conditions, scan)


def _build_graph(
    entry: Path, import_map: ImportMap | None, conditions: Conditions | None, scan: bool
) -> ModuleGraph:
    entry = reads.resolve(entry)
    import_map = import_map or ImportMap.load(entry)
    packages = PackageResolver(conditions)
    package_dirs: set[Path] = set()
    if not reads.is_file(entry):
        raise ModuleNotFound(f"cannot find the entry module {display_path(entry)}")
    found: dict[Path, Module] = {}
    edges: dict[Path, dict[str, Path]] = {}
    left_out: dict[Path, dict[str, LeftOut]] = {}
    source_edges: dict[Path, dict[str, Path]] = {}
    source_spans: dict[Path, SourceSpan] = {}  # a source-phase import of each, for messages
    asset_paths: set[Path] = set()
    project = project_root(entry)
    work: list[tuple[Path, SourceSpan | None]] = [(entry, None)]
    while work:
        path, span = work.pop()
        if path in found:
            continue
        mod = load_module(path, span, scan)
        found[path] = mod
        edges[path] = {}
        if isinstance(mod, JSModule):
            # a file that is not there, or lies outside the package (or project) of the module
            # naming it, is not bundled (fetch() then says it is not in the bundle): a package
            # must not carry ../../.ssh/id_rsa into a bundle that gets deployed
            home = _installed_package(path) or project
            for ref in mod.facts.assets:
                asset = reads.resolve(path.parent / ref.specifier)
                if reads.is_file(asset) and asset.is_relative_to(home):
                    asset_paths.add(asset)
            for rec in mod.facts.imports:
                span = rec.span.at(mod.file)
                if rec.phase == "source":
                    target = _resolve_source(rec.specifier, path, span, import_map, packages)
                    source_edges.setdefault(path, {})[rec.specifier] = target.path
                    source_spans.setdefault(target.path, span)
                    if target.package_dir is not None:
                        package_dirs.add(target.package_dir)
                    continue
                try:
                    target = _resolve_file(rec.specifier, path, span, import_map, packages)
                except ModuleNotFound as e:
                    if engine_builtin(rec.specifier):
                        continue  # the engine has it (node:fs, node:process): no file to bundle
                    # a relative path that leads nowhere stays an error: that is a typo, not
                    # a module meant for another runtime
                    if rec.kind != "dynamic" or is_relative(rec.specifier):
                        raise
                    left_out.setdefault(path, {})[rec.specifier] = LeftOut(e.message, span)
                    continue
                if rec.kind == "dynamic" and target.path.suffix == ".wasm" and target.path not in found:
                    # a module the proposal refuses to link: that import() rejects with a LinkError
                    wasm = load_module(target.path, span)
                    reserved = reserved_names(wasm) if isinstance(wasm, WasmModule) else None
                    if reserved:
                        left_out.setdefault(path, {})[rec.specifier] = LeftOut(reserved, span, "LinkError")
                        continue
                edges[path][rec.specifier] = target.path
                work.append((target.path, span))
                if target.package_dir is not None:
                    package_dirs.add(target.package_dir)
        elif isinstance(mod, WasmModule):
            for spec, target in _wasm_import_targets(mod, import_map, packages).items():
                edges[path][spec] = target.path
                work.append((target.path, SourceSpan(display_path(path))))
                if target.package_dir is not None:
                    package_dirs.add(target.package_dir)
    for path, span in sorted(source_spans.items()):
        if path not in found:  # only ever imported as a source: its own imports are not followed
            wasm = load_module(path, span)
            assert isinstance(wasm, WasmModule)
            found[path] = WasmSource(wasm.path, wasm.data, wasm.interface)
            edges[path] = {}
    _check_depth(entry, found, edges)
    root = Path(os.path.commonpath([p.parent for p in [*found, *asset_paths]]))

    prefix = len(str(root).rstrip("/")) + 1  # every module and asset lies under root

    def module_id(p: Path) -> str:
        return str(p)[prefix:]  # p.relative_to(root).as_posix(), without pathlib's cost

    return ModuleGraph(
        root=root,
        project=project,
        packages=tuple(sorted(package_dirs)),
        entry=module_id(entry),
        modules={module_id(p): m for p, m in sorted(found.items())},
        resolve={
            module_id(p): {s: module_id(t) for s, t in sorted(e.items())}
            for p, e in sorted(edges.items())
            if e
        },
        left_out={module_id(p): dict(sorted(e.items())) for p, e in sorted(left_out.items())},
        sources={
            module_id(p): {s: module_id(t) for s, t in sorted(e.items())}
            for p, e in sorted(source_edges.items())
        },
        assets={module_id(p): p for p in sorted(asset_paths)},
    )
