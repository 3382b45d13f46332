"""The module graph: every module reachable from the entry, and how each specifier resolves.

A worklist walk from the entry (esbuild's "scan" phase): parse each JS module
with esprima, collect its static imports, re-exports and `import()` calls with a
string literal, resolve each relative specifier to a file, read .wasm interfaces
and .json text, and keep going until nothing new turns up.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from .analysis import ModuleFacts, analyze_cached
from .errors import InvalidWasm, JSSyntaxError, ModuleNotFound, SourceSpan
from .wasm_types import WasmInterface, read_interface

JS_EXTENSIONS = (".js", ".mjs")
SUPPORTED_EXTENSIONS = (*JS_EXTENSIONS, ".json", ".wasm")


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
class JSONModule:
    path: Path
    source: str


Module = JSModule | WasmModule | JSONModule


@dataclass(frozen=True)
class ModuleGraph:
    """Modules keyed by id (their path relative to `root`, with '/' separators)."""

    root: Path
    entry: str
    modules: dict[str, Module]
    resolve: dict[str, dict[str, str]]  # importer id → specifier → target id

    def js_modules(self) -> dict[str, JSModule]:
        return {k: m for k, m in self.modules.items() if isinstance(m, JSModule)}

    def wasm_modules(self) -> dict[str, WasmModule]:
        return {k: m for k, m in self.modules.items() if isinstance(m, WasmModule)}


def display_path(path: Path) -> str:
    """How a file is named in messages: relative to the working directory when inside it."""
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


def _resolve_file(spec: str, importer: Path, span: SourceSpan) -> Path:
    if not (spec.startswith("./") or spec.startswith("../") or spec.startswith("/")):
        raise ModuleNotFound(
            f"cannot resolve '{spec}': only relative paths ('./x.js', '../y.wasm') name modules",
            span,
            hint="bare module names need an import map, which this version does not read yet",
        )
    base = (importer.parent / spec).resolve() if not spec.startswith("/") else Path(spec)
    candidates = [base]
    if base.suffix not in SUPPORTED_EXTENSIONS:
        candidates += [base.with_name(base.name + ext) for ext in JS_EXTENSIONS]
        candidates += [base / ("index" + ext) for ext in JS_EXTENSIONS]
    for c in candidates:
        if c.is_file():
            if c.suffix not in SUPPORTED_EXTENSIONS:
                raise ModuleNotFound(
                    f"cannot import '{spec}': {c.suffix or 'extensionless'} files are not modules "
                    "EdgeBox can bundle (.js, .mjs, .json, .wasm)",
                    span,
                )
            return c
    raise ModuleNotFound(
        f"cannot find module '{spec}' (looked for {display_path(base)})",
        span,
        hint="check the path; it is relative to the importing file",
    )


def _read_text(path: Path, span: SourceSpan | None) -> str:
    try:
        return path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as e:
        raise JSSyntaxError(
            f"{display_path(path)} is not UTF-8 text (byte {e.start})", SourceSpan(display_path(path))
        ) from None
    except OSError as e:
        raise ModuleNotFound(f"cannot read {display_path(path)}: {e.strerror}", span) from None


def load_module(path: Path, span: SourceSpan | None = None) -> Module:
    if path.suffix == ".wasm":
        try:
            data = path.read_bytes()
        except OSError as e:
            raise ModuleNotFound(f"cannot read {display_path(path)}: {e.strerror}", span) from None
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
        return JSONModule(path, text)
    source = _read_text(path, span)
    return JSModule(path, source, analyze_cached(source, path, display_path(path)))


def build_graph(entry: Path) -> ModuleGraph:
    entry = entry.resolve()
    if not entry.is_file():
        raise ModuleNotFound(f"cannot find the entry module {display_path(entry)}")
    found: dict[Path, Module] = {}
    edges: dict[Path, dict[str, Path]] = {}
    work: list[tuple[Path, SourceSpan | None]] = [(entry, None)]
    while work:
        path, span = work.pop()
        if path in found:
            continue
        mod = load_module(path, span)
        found[path] = mod
        edges[path] = {}
        if isinstance(mod, JSModule):
            for rec in mod.facts.imports:
                span = rec.span.at(mod.file)
                target = _resolve_file(rec.specifier, path, span)
                edges[path][rec.specifier] = target
                work.append((target, span))
    root = Path(os.path.commonpath([p.parent for p in found]))

    def module_id(p: Path) -> str:
        return p.relative_to(root).as_posix()

    return ModuleGraph(
        root=root,
        entry=module_id(entry),
        modules={module_id(p): m for p, m in sorted(found.items())},
        resolve={
            module_id(p): {s: module_id(t) for s, t in sorted(e.items())}
            for p, e in sorted(edges.items())
            if e
        },
    )
