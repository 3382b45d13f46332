"""`import wasmtime` with its C bindings defined when first used, not all at import.

wasmtime-py's `_bindings.py` (generated) defines ~760 ctypes functions at import: each a
symbol looked up in libwasmtime, its argument types set and a Python wrapper defined. That
was ~15 ms of `import wasmtime` (~40% of it) on every edgebox-exec start, which calls a few
dozen of them. `install()` puts a loader for that one module in front of Python's: the
file's classes, enums and aliases run at import as before; each function (its symbol
lookup, types and wrapper) runs the first time something reads it, through module
`__getattr__` on `_bindings` and on `_ffi` (which star-imports it). The names `_ffi`'s own
functions use as globals stay at import, since a global lookup has no such hook.

The split is made once per wasmtime file with `ast` (~0.2 s) and kept in the cache as
compiled code, keyed by the file's path, size and mtime and by Python's bytecode magic.
Anything unexpected (another layout of the file, an unreadable cache) loads the module
the ordinary way. wasmtime-py stays the dependency; nothing of it is copied here.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import marshal
import os
import sys
import threading
import types
from collections.abc import Sequence
from typing import Any

from ..cache import cache_dir, store
from ..digest import sha256_hex

TARGET = "wasmtime._bindings"
FORMAT = 2  # of the cached split; bump when _split changes


def install() -> None:
    """Make the next `import wasmtime` lazy about its bindings (a no-op once it is imported)."""
    if "wasmtime" in sys.modules or any(isinstance(f, _Finder) for f in sys.meta_path):
        return
    sys.meta_path.insert(0, _Finder())


class _Finder:
    """A meta path finder for TARGET only (duck-typed: importlib.abc costs ~3 ms to import)."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None = None, target: types.ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname != TARGET:
            return None
        sys.meta_path.remove(self)  # one module, once
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if (
            spec is None
            or spec.origin is None
            or not isinstance(spec.loader, importlib.machinery.SourceFileLoader)
        ):
            return spec
        spec.loader = _Loader(spec.loader, spec.origin)  # type: ignore[assignment]
        return spec


class _Loader:
    def __init__(self, ordinary: importlib.machinery.SourceFileLoader, origin: str):
        self.ordinary = ordinary
        self.origin = origin

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType | None:
        return None

    def exec_module(self, module: types.ModuleType) -> None:
        split = _cached_split(self.origin)
        if split is None:
            self.ordinary.exec_module(module)
            return
        eager, lazy = split
        namespace = module.__dict__
        exec(marshal.loads(eager), namespace)  # noqa: S102 (wasmtime-py's own code, split)
        pending: set[str] = set()
        # One definer at a time: the sandbox thread and the thread ticking the epoch may both
        # reach a name first, and a ctypes class defined twice is two incompatible types.
        lock = threading.RLock()

        def define(name: str) -> Any:
            with lock:
                if name in namespace:
                    return namespace[name]
                entry = lazy.get(name)
                if entry is None:
                    raise AttributeError(f"module {TARGET!r} has no attribute {name!r}")
                deps, code = entry
                pending.add(name)
                try:
                    for dep in deps:  # the globals its code reads, defined first
                        if dep not in namespace and dep not in pending:
                            define(dep)
                    exec(marshal.loads(code), namespace)  # noqa: S102
                finally:
                    pending.discard(name)
                return namespace[name]

        namespace["__getattr__"] = define
        ffi = sys.modules.get("wasmtime._ffi")
        if ffi is not None:  # `ffi.wasmtime_...` reads the star-imported names from there

            def from_ffi(name: str) -> Any:
                value = define(name)
                setattr(ffi, name, value)
                return value

            ffi.__getattr__ = from_ffi  # type: ignore[method-assign]


def _cached_split(origin: str) -> Split | None:
    try:
        st = os.stat(origin)
        magic = importlib.util.MAGIC_NUMBER.hex()
        where = sha256_hex(os.fsencode(origin))[:16]
        key = f"{FORMAT}-{magic}-{st.st_size}-{st.st_mtime_ns}-{where}"
        path = cache_dir() / "wasmtime-bindings" / f"{key}.bin"
        try:
            saved = marshal.loads(path.read_bytes())
            return saved[0], saved[1]
        except (OSError, ValueError, EOFError, TypeError, IndexError):
            pass
        ffi_path = os.path.join(os.path.dirname(origin), "_ffi.py")
        with open(origin, encoding="utf-8") as f, open(ffi_path, encoding="utf-8") as g:
            split = _split(f.read(), g.read(), origin)
    except (OSError, SyntaxError, ValueError):
        return None
    if split is not None:
        store(path, marshal.dumps(split))
    return split


Split = tuple[bytes, dict[str, tuple[tuple[str, ...], bytes]]]


def _split(source: str, ffi_source: str, filename: str) -> Split | None:
    """(code for what runs at import, {name: (the names its code reads, code defining it)})."""
    import ast

    tree = ast.parse(source, filename)
    groups: dict[str, list[ast.stmt]] = {}  # `_f = dll.f` with its `_f.argtypes = ...`; `def f`; a class
    assigned: dict[str, int] = {}
    for stmt in tree.body:
        for node in ast.walk(stmt):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                assigned[node.id] = assigned.get(node.id, 0) + 1
    order: list[ast.stmt] = []
    for stmt in tree.body:
        name = _lazy_name(stmt, groups, assigned)
        if name is None:
            order.append(stmt)
        else:
            groups.setdefault(name, []).append(stmt)
    if not groups:
        return None

    def reads(nodes: list[ast.stmt]) -> set[str]:
        return {n.id for s in nodes for n in ast.walk(s) if isinstance(n, ast.Name)}

    deps = {name: tuple(sorted((reads(stmts) & groups.keys()) - {name})) for name, stmts in groups.items()}
    # What _ffi's functions and the module's remaining lines read as globals runs at import,
    # with everything it reads in turn.
    eager_names: set[str] = set()
    todo = list((reads(ast.parse(ffi_source).body) | reads(order)) & groups.keys())
    while todo:
        n = todo.pop()
        if n not in eager_names:
            eager_names.add(n)
            todo += deps[n]
    at_import = {id(s) for s in order} | {id(s) for n in eager_names for s in groups[n]}
    eager = [s for s in tree.body if id(s) in at_import]
    lazy = {
        name: (deps[name], marshal.dumps(compile(ast.Module(body=stmts, type_ignores=[]), filename, "exec")))
        for name, stmts in groups.items()
        if name not in eager_names
    }
    eager_code = compile(ast.Module(body=eager, type_ignores=[]), filename, "exec")
    return marshal.dumps(eager_code), lazy


def _lazy_name(stmt: Any, groups: dict[str, list[Any]], assigned: dict[str, int]) -> str | None:
    """The name a statement defines lazily, or None for one that runs at import."""
    import ast

    if isinstance(stmt, ast.FunctionDef | ast.ClassDef):
        return stmt.name if assigned.get(stmt.name, 0) == 0 else None
    if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
        target = stmt.targets[0]
        if isinstance(target, ast.Name) and assigned[target.id] == 1:
            return target.id  # `_f = dll.f`, `wasm_name_t = wasm_byte_vec_t`
        if (
            isinstance(target, ast.Attribute)
            and isinstance(target.value, ast.Name)
            and target.value.id in groups
            and target.attr in ("restype", "argtypes")
        ):
            return target.value.id  # `_f.restype = ...`
    return None
