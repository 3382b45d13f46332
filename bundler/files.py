"""Which files EdgeBox bundles, how a path specifier finds one, and how files are named in messages.

Shared by the module graph (relative specifiers), the import map and the package resolver,
so that every way of naming a module ends at the same rules: only .js, .mjs, .json and .wasm
files are ever bundled, and an extensionless path finds `x.js`, `x.mjs` or `x/index.js`.
"""

from __future__ import annotations

import os
from pathlib import Path

from .errors import ModuleNotFound, SourceSpan

JS_EXTENSIONS = (".js", ".mjs")
SUPPORTED_EXTENSIONS = (*JS_EXTENSIONS, ".json", ".wasm")


def display_path(path: Path) -> str:
    """How a file is named in messages: relative to the working directory when inside it."""
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


def candidates(base: Path) -> list[Path]:
    """The files a path specifier may name, in the order they are tried: the path itself,
    then (without a bundlable extension) `.js`, `.mjs`, `/index.js`, `/index.mjs`."""
    found = [base]
    if base.suffix not in SUPPORTED_EXTENSIONS:
        found += [base.with_name(base.name + ext) for ext in JS_EXTENSIONS]
        found += [base / ("index" + ext) for ext in JS_EXTENSIONS]
    return found


def find_module_file(base: Path) -> Path | None:
    """The first of `candidates(base)` that is a file, or None."""
    return next((c for c in candidates(base) if c.is_file()), None)


def bundlable(path: Path, spec: str, span: SourceSpan | None) -> Path:
    """`path`, if it is a file of a kind EdgeBox bundles (.js, .mjs, .json, .wasm)."""
    if path.suffix == ".cjs":
        raise ModuleNotFound(
            f"cannot import '{spec}': {display_path(path)} is CommonJS (a .cjs file), and EdgeBox bundles "
            "ES modules only",
            span,
        )
    if path.suffix not in SUPPORTED_EXTENSIONS:
        raise ModuleNotFound(
            f"cannot import '{spec}': {display_path(path)} is {'an ' + path.suffix if path.suffix else 'an extensionless'} "
            "file, not a module EdgeBox can bundle (.js, .mjs, .json, .wasm)",
            span,
        )
    return path
