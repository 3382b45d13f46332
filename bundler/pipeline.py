"""The bundle pipeline: graph → link plan → generated modules → bytecode → .ebx bytes."""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from . import build_cache, reads
from .analysis import analyze
from .cache import entry as cache_entry
from .cache import flush_writes, put_entry_later
from .checker import check_graph, with_call_facts
from .diagnostics import Diagnostic
from .ebx import Manifest, decode, encode
from .engine.build import EngineArtifact, ensure_engine
from .engine.sandbox import Permissions, run_on_big_stack, sandbox_for_compiling
from .errors import CheckFailed, JSSyntaxError, SourceSpan
from .graph import (
    ImportMap,
    JSModule,
    JSONModule,
    ModuleGraph,
    WasmModule,
    WasmSource,
    build_graph,
    display_path,
    graph_recursion,
    read_bytes,
)
from .limits import Limits
from .link import plan_links
from .optimize import rewrite_for_engine
from .precompile import precompile
from .resolve import Conditions
from .source_phase import plan_sources
from .sourcemap import LoadedMap, load_map
from .stubs import GeneratedModule, check_stub_sizes, generate_modules
from .wasm_types import WasmExport, WasmImport

ADAPTER_PATH = "link/adapter.wasm"
IMPORTS_PATH = "link/imports.wasm"


@dataclass(frozen=True)
class BuiltBundle:
    data: bytes
    manifest: Manifest
    graph: ModuleGraph
    generated: dict[str, GeneratedModule]
    diagnostics: tuple[Diagnostic, ...]  # warnings and notes; a build with errors raises
    map_files: tuple[Path, ...] = ()  # source map files read (sourcemap.py)

    def inputs(self) -> list[Path]:
        """Every file the build read: no output may be written over one of them."""
        entry = self.graph.modules[self.graph.entry].path
        return [m.path for m in self.graph.modules.values()] + [
            entry.parent / "edgebox.json",
            *self.map_files,
        ]


@dataclass(frozen=True)
class CheckResult:
    graph: ModuleGraph
    diagnostics: tuple[Diagnostic, ...]
    maps: dict[str, LoadedMap] = field(default_factory=dict)  # JS module id → its source map

    @property
    def errors(self) -> int:
        return sum(1 for d in self.diagnostics if d.severity == "error")


def check_entry(
    entry: Path, import_map: list[str] | None = None, conditions: str | Sequence[str] | None = None
) -> CheckResult:
    """Walk the graph from `entry` and check every call site; writes nothing. `conditions`
    replaces the default package conditions (resolve.DEFAULT_CONDITIONS). The result of an
    unchanged graph comes from the build cache (build_cache.py)."""
    if reads.active():
        return _check_entry(entry, import_map, conditions)
    build_key = build_cache.check_key(entry, import_map, conditions)
    hit = build_cache.lookup(build_key)
    if hit is not None and (result := hit.result()) is not None:
        return result
    with reads.session() as record:
        try:
            result = _check_entry(entry, import_map, conditions)
        finally:
            _end_of_build()  # the per-module entries, before the build that rests on them is kept
    build_cache.save(build_key, record, result.diagnostics, None, [], len(result.graph.modules), result)
    return result


def _check_entry(
    entry: Path, import_map: list[str] | None, conditions: str | Sequence[str] | None
) -> CheckResult:
    graph = build_graph(
        entry, ImportMap.load(reads.resolve(entry), import_map), Conditions.parse(conditions), scan=True
    )
    with graph_recursion():
        graph = with_call_facts(graph)
    validate_scanned(graph)
    with graph_recursion():
        diagnostics = check_graph(graph)
    # each module's source map, read now so that --check reports a map it cannot use (EB015)
    maps = {
        mod_id: load_map(mod.path, mod.source, mod.file, graph.root, graph.project)
        for mod_id, mod in graph.js_modules().items()
    }
    map_warnings = [d for m in maps.values() for d in m.diagnostics]
    return CheckResult(graph, (*diagnostics, *map_warnings), maps)


def _export_json(e: WasmExport) -> dict[str, Any]:
    out: dict[str, Any] = {"name": e.name, "kind": e.kind}
    if e.signature is not None:
        out["params"] = list(e.signature.params)
        out["results"] = list(e.signature.results)
    if e.global_type is not None:
        out["type"] = e.global_type.type
        out["mutable"] = e.global_type.mutable
    return out


def _import_json(i: WasmImport) -> dict[str, Any]:
    return {"module": i.module, "name": i.name, "kind": i.kind}


_QJS_POS = re.compile(r"at [^\n]*?:(\d+):(\d+)")


def _entry_name(mod_id: str) -> str:
    """A module id as an archive entry name: readers refuse backslashes and other oddities
    in entry names (a backslash is a separator on Windows), so they are %-escaped."""
    return quote(mod_id, safe="/._-+@")


def _compile_error(mod_id: str, path: Path, text: str) -> JSSyntaxError:
    """QuickJS rejected what esprima accepted: pass its message on, with its position."""
    first = text.splitlines()[0].strip() if text.strip() else ""
    if not first or first.endswith("out of memory"):
        first = "QuickJS ran out of memory compiling this module; split it into smaller ones"
    m = _QJS_POS.search(text)
    line, col = (int(m.group(1)), int(m.group(2))) if m else (0, 0)
    return JSSyntaxError(first, SourceSpan(display_path(path), line, col, line, col + 1))


def build_bundle(
    entry: Path,
    warnings_as_errors: bool = False,
    import_map: list[str] | None = None,
    permissions: Permissions | None = None,
    run_defaults: dict[str, Any] | None = None,
    limits: Limits | None = None,
    conditions: str | Sequence[str] | None = None,
    snapshot: bool = False,
) -> BuiltBundle:
    """The bundle of `entry`; from the build cache when nothing it read has changed (a
    `snapshot` build runs the program's start, whose result no file decides: never cached)."""
    if reads.active():
        return _build_bundle(
            entry, warnings_as_errors, import_map, permissions, run_defaults, limits, conditions, snapshot
        )
    if snapshot:
        with reads.session():
            try:
                return _build_bundle(
                    entry,
                    warnings_as_errors,
                    import_map,
                    permissions,
                    run_defaults,
                    limits,
                    conditions,
                    snapshot,
                )
            finally:
                _end_of_build()
    chosen = permissions or Permissions()
    build_key = build_cache.bundle_key(
        entry,
        warnings_as_errors,
        import_map,
        (chosen.read, chosen.write, chosen.env),
        run_defaults,
        (limits or Limits()).to_json(),
        conditions,
        snapshot,
    )
    hit = build_cache.lookup(build_key)
    if hit is not None and (built := hit.result()) is not None:
        return built
    with reads.session() as record:
        try:
            built = _build_bundle(
                entry, warnings_as_errors, import_map, permissions, run_defaults, limits, conditions, snapshot
            )
        finally:
            _end_of_build()
    build_cache.save(
        build_key, record, built.diagnostics, built.data, built.inputs(), len(built.manifest.modules), built
    )
    return built


def _build_bundle(
    entry: Path,
    warnings_as_errors: bool,
    import_map: list[str] | None,
    permissions: Permissions | None,
    run_defaults: dict[str, Any] | None,
    limits: Limits | None,
    conditions: str | Sequence[str] | None,
    snapshot: bool,
) -> BuiltBundle:
    checked = _check_entry(entry, import_map, conditions)
    graph = checked.graph
    bad = [
        d
        for d in checked.diagnostics
        if d.severity == "error" or (warnings_as_errors and d.severity == "warning")
    ]
    if bad:
        raise CheckFailed(list(checked.diagnostics), f"{len(bad)} problem(s) found; no bundle written")
    check_stub_sizes(graph)
    with graph_recursion():
        plan = plan_links(graph)
    source_modules = plan_sources(graph)
    generated = {**generate_modules(graph, plan), **source_modules.modules}
    engine = ensure_engine()
    _note_engine(engine)
    sources = {
        mod_id: rewrite_for_engine(mod_id, mod, graph) if isinstance(mod, JSModule) else generated[mod_id].js
        for mod_id, mod in graph.modules.items()
    }
    sources.update({gen_id: generated[gen_id].js for gen_id in source_modules.ids.values()})
    resolve = {
        importer: {**graph.resolve.get(importer, {}), **source_modules.resolve.get(importer, {})}
        for importer in sorted(set(graph.resolve) | set(source_modules.resolve))
    }
    bytecode = run_on_big_stack(lambda: _compile_js(engine, graph, resolve, sources))
    files: dict[str, bytes] = {}
    modules: dict[str, dict[str, Any]] = {}
    for mod_id in sources:
        mod = graph.modules.get(mod_id)
        code_path = f"js/{_entry_name(mod_id)}.qbc"
        files[code_path] = bytecode[mod_id]
        entry_json: dict[str, Any] = {"kind": "js", "code": code_path}
        if isinstance(mod, WasmModule | WasmSource):
            wasm_path = f"wasm/{_entry_name(mod_id)}"
            files[wasm_path] = mod.data
            entry_json = {
                "kind": "wasm",
                "code": code_path,
                "wasm": wasm_path,
                "exports": [_export_json(e) for e in mod.interface.exports],
                "imports": [_import_json(i) for i in mod.interface.imports],
            }
        elif isinstance(mod, JSONModule):
            entry_json["kind"] = "json"
        table = checked.maps[mod_id].table if mod_id in checked.maps else None
        if table is not None:
            entry_json["map"] = f"maps/{_entry_name(mod_id)}.json"
            files[entry_json["map"]] = table.to_json()
        modules[mod_id] = entry_json
    assets: dict[str, str] = {}
    for asset_id, asset_path in graph.assets.items():
        assets[asset_id] = f"assets/{_entry_name(asset_id)}"
        files[assets[asset_id]] = read_bytes(asset_path)  # under its kind's size limit, as a module
    files[ADAPTER_PATH] = plan.adapter_wasm()
    files[IMPORTS_PATH] = plan.imports_wasm()
    manifest = Manifest(
        engine=engine.identity(),
        entry=graph.entry,
        modules=modules,
        resolve=resolve,
        link={"adapter": ADAPTER_PATH, "imports": IMPORTS_PATH, **plan.to_json()},
        files={},
        extra={
            "permissions": (permissions or Permissions()).to_json(),
            "limits": (limits or Limits()).to_json(),
            **({"run": run_defaults} if run_defaults else {}),
            **({"unbundled": unbundled} if (unbundled := _unbundled(graph)) else {}),
            **({"assets": assets} if assets else {}),
        },
    )
    data = encode(manifest, files)
    starts = any(
        m.interface.has_start or m.interface.export("_initialize") is not None
        for m in graph.wasm_modules().values()
    )
    _dry_run_instantiation(data, entry, starts)
    # what the engine compiles while the program runs, compiled now (into the cache)
    late = [
        m.data
        for m_id, m in graph.modules.items()
        if isinstance(m, WasmSource) or (isinstance(m, WasmModule) and m_id in plan.deferred)
    ] + [files[f] for a, f in assets.items() if a.endswith(".wasm")]
    js = [m.source for m in graph.modules.values() if isinstance(m, JSModule)]
    chosen = limits or Limits()
    run_on_big_stack(lambda: precompile(js, late, chosen.wasm_memory, chosen.time is not None))
    if snapshot:
        from .snapshot import add_snapshot, entry_imports

        entry_mod = graph.modules[graph.entry]
        specifiers = entry_imports(entry_mod.facts.imports) if isinstance(entry_mod, JSModule) else []
        # a wasm module JS gets as a source keeps its original bytes beside the rewritten one
        sourced = frozenset(
            target
            for m_id, m in graph.modules.items()
            if isinstance(m, JSModule)
            for rec in m.facts.imports
            if rec.phase == "source" and (target := resolve.get(m_id, {}).get(rec.specifier)) is not None
        )
        data = add_snapshot(data, specifiers, str(entry), sourced)
        manifest = decode(data, str(entry)).manifest
    map_files = tuple(m.map_path for m in checked.maps.values() if m.map_path is not None)
    return BuiltBundle(data, manifest, graph, generated, checked.diagnostics, map_files)


def _note_engine(engine: EngineArtifact) -> None:
    """The engine is an input too: a bundle records its sha256, and QuickJS's verdict on
    the modules is its verdict."""
    try:
        reads.note_file(engine.path, os.stat(engine.path))
    except OSError:
        pass


def _unbundled(graph: ModuleGraph) -> dict[str, dict[str, str]]:
    """What each left-out import() rejects with, as the engine reads it."""
    return {
        importer: {
            spec: f"{'LinkError: ' if why.error == 'LinkError' else ''}{why.reason} (left out of the bundle, EB013)"
            for spec, why in specs.items()
        }
        for importer, specs in graph.left_out.items()
    }


def _bytecode_key(engine: EngineArtifact, mod_id: str, source: str) -> str:
    """A module's bytecode's cache key: the engine (its sha256: the same QuickJS writes the
    same bytecode), the module's name (QuickJS records it) and source."""
    return hashlib.sha256(f"{engine.sha256}\0{mod_id}\0".encode() + source.encode("utf-8")).hexdigest()


def _cached_bytecode(key: str) -> bytes | None:
    """The cached bytecode if its recorded sha256 holds: QuickJS's bytecode reader trusts
    its input, so a damaged entry must never reach it."""
    data = cache_entry("bytecode", key)
    if data is None:
        return None
    digest, code = data[:32], data[32:]
    return code if len(data) > 32 and hashlib.sha256(code).digest() == digest else None


def _compile_js(
    engine: EngineArtifact,
    graph: ModuleGraph,
    resolve: dict[str, dict[str, str]],
    sources: dict[str, str],
    which: list[str] | None = None,
    keep: bool = False,
) -> dict[str, bytes]:
    """The QuickJS bytecode of the modules `which` names (default: all of `sources`), from
    the cache where it is there: a warm build of an unchanged graph starts no compiler. On
    the big-stack thread: QuickJS resolves a deep import chain recursively, on the wasm
    stack.

    With `keep`, the compiler is kept for the next call on the same graph and resolution:
    `--check`'s compile of the scanned modules, then the bundle's of the entry and the
    generated modules, need one compiler, not two (loading 946 modules into a second one
    took 0.2-0.3 s). Its modules are the graph's, wasm and JSON ones as empty JS modules:
    compiling a module only loads its imports, whatever they hold."""
    out: dict[str, bytes] = {}
    missing: dict[str, str] = {}
    for mod_id in sources if which is None else which:
        key = _bytecode_key(engine, mod_id, sources[mod_id])
        code = _compiled_here.get(key) or _cached_bytecode(key)
        if code is None:
            missing[mod_id] = key
        else:
            out[mod_id] = code
    kept = _kept_compilers.pop(id(graph), None)
    if not missing:
        return out
    if kept is not None and kept[0] is graph and kept[1] == resolve:
        compiler = kept[2]
    else:
        compiler = sandbox_for_compiling(engine, resolve, sources, out)
    if keep:
        _kept_compilers[id(graph)] = (graph, resolve, compiler)
    compiled_all = compiler.compile_many([(mod_id, sources[mod_id]) for mod_id in missing])
    for (mod_id, key), compiled in zip(missing.items(), compiled_all, strict=False):
        if isinstance(compiled, str):
            raise _refused(graph, mod_id, compiled)
        put_entry_later("bytecode", key, _with_digest(compiled))
        _compiled_here[key] = compiled
        out[mod_id] = compiled
    return out


# Bytecode this process compiled, by cache key: `--check`'s compile is read back by the
# bundle's before it is written (cache.flush_writes, at the end of the build).
_compiled_here: dict[str, bytes] = {}
# The compiler `validate_scanned` used, for the bundle's compile (_compile_js's `keep`).
_kept_compilers: dict[int, tuple[ModuleGraph, dict[str, dict[str, str]], Any]] = {}


def _end_of_build() -> None:
    """Write what the build cached, and let go of what it kept for itself."""
    flush_writes()
    _compiled_here.clear()
    _kept_compilers.clear()


def _with_digest(code: bytes) -> Callable[[], bytes]:
    """A bytecode cache entry: the sha256 of the code, then the code (_cached_bytecode)."""
    return lambda: hashlib.sha256(code).digest() + code


_QJS_MODULE = re.compile(r"\n\s*at ([^\n]*?):\d+:\d+")


def _refused(graph: ModuleGraph, mod_id: str, text: str) -> JSSyntaxError:
    """The error for a module QuickJS would not compile. The module at fault is the one
    QuickJS names (compiling a module loads its imports). If tree-sitter read it (partial
    facts), esprima says what is wrong, in its words and at its position, as it did before
    the scan: tree-sitter accepts early errors such as `let a; let a;`. What esprima accepts
    too is reported as QuickJS puts it."""
    m = _QJS_MODULE.search(text)
    if m is not None and m.group(1) in graph.modules:
        mod_id = m.group(1)
    mod = graph.modules.get(mod_id)
    if isinstance(mod, JSModule) and mod.facts.partial:
        try:
            analyze(mod.source, mod.file)
        except JSSyntaxError as e:
            return e
    return _compile_error(mod_id, mod.path if mod is not None else Path(mod_id), text)


def validate_scanned(graph: ModuleGraph) -> None:
    """Compile, with QuickJS, the modules only tree-sitter has read, so that `--check`
    reports the syntax errors esprima would have (see `_refused`); the bytecode is cached
    for the bundle that follows. Other modules' sources are not needed to compile these:
    wasm and JSON modules stand in as empty ones."""
    scanned = sorted(k for k, m in graph.modules.items() if isinstance(m, JSModule) and m.facts.partial)
    if not scanned:
        return
    sources = {k: m.source if isinstance(m, JSModule) else "" for k, m in graph.modules.items()}
    engine = ensure_engine()
    _note_engine(engine)
    run_on_big_stack(lambda: _compile_js(engine, graph, graph.resolve, sources, scanned, keep=True))


BUILD_TIME_LIMIT = 10.0  # seconds for start functions at bundle time (or the bundle's --time-limit)


def _dry_run_instantiation(data: bytes, entry: Path, runs_wasm_at_start: bool) -> None:
    """Instantiate everything once, as edgebox-exec will, before anything is written.

    A start function that traps, a memory larger than the limit or an instantiation
    the engine refuses is reported now, naming the module, not when the bundle runs.
    Output from start functions is discarded; no JS runs.

    The machine code compiled here is cached for edgebox-exec, so it should be the kind
    the run will use: with epoch checks only if the bundle records a time limit. A module
    whose start function (or WASI reactor `_initialize`) runs here needs a time budget,
    which needs epoch checks: then the run's kind is compiled afterwards as well, so the
    first edgebox-exec still compiles nothing.
    """
    from .ebx import decode
    from .engine.build import ensure_engine
    from .engine.sandbox import (
        UserModule,
        compiled_engine,
        compiled_module,
        compiled_user_module,
        run_on_big_stack,
        run_sandboxed,
    )
    from .runtime.run import bundle_limits, prelink

    bundle = decode(data, str(entry))
    limits = bundle_limits(bundle)
    if limits.time is None and not runs_wasm_at_start:
        run_sandboxed(lambda: prelink(bundle, limits=limits, quiet=True), limits)
        return
    # A start function that never returns must not hang the build.
    capped = limits._replace(time=min(limits.time or BUILD_TIME_LIMIT, BUILD_TIME_LIMIT))
    run_sandboxed(lambda: prelink(bundle, limits=capped, quiet=True), capped)
    if limits.time is None:

        def warm() -> None:
            link = bundle.manifest.link
            compiled_engine(ensure_engine())
            compiled_module(bundle.file(link["adapter"]), name="link/adapter.wasm")
            compiled_module(bundle.file(link["imports"]), name="link/imports.wasm")
            for mod_id in link["instances"]:
                path = bundle.manifest.modules[mod_id]["wasm"]
                um = UserModule(mod_id, bundle.file(path), sha256=bundle.manifest.files[path])
                compiled_user_module(um, limits.wasm_memory)  # as the sandbox keys it

        run_on_big_stack(warm)
