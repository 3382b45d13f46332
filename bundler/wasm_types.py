"""What a wasm module exports and imports, with their types.

Validation is wasmtime's (`Module.validate`), so its messages reach the user. The
types are read here from the binary's type, import, function, table, memory,
global and export sections: wasmtime-py's type reflection aborts the whole
process on a v128 type, and a user's module must never be able to do that.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Literal

import wasmtime

from .errors import InvalidWasm, SourceSpan
from .wasm_reader import WasmReader

# "(ref extern)": a non-null externref (typed references); "ref": any other reference type
ValTypeName = Literal["i32", "i64", "f32", "f64", "v128", "funcref", "externref", "(ref extern)", "ref"]
ExternKind = Literal["func", "table", "memory", "global", "tag"]

# One letter per type, as the engine glue reads signatures (glue.c: WasmFunc).
TYPE_LETTER: dict[str, str] = {
    "i32": "i", "i64": "I", "f32": "f", "f64": "F",
    "externref": "e", "(ref extern)": "E",
    "v128": "v", "funcref": "r", "ref": "r",
}  # fmt: skip
# What crosses between JS and wasm: numbers, and externref as any JS value (glue.c keeps
# the value and wasm holds its number as an i31ref: link.py REF_HELPERS)
JS_CALLABLE_TYPES = ("i32", "i64", "f32", "f64", "externref", "(ref extern)")
REFERENCE_TYPES = ("externref", "(ref extern)")


@dataclass(frozen=True)
class WasmSignature:
    params: tuple[ValTypeName, ...]
    results: tuple[ValTypeName, ...]

    def __str__(self) -> str:
        res = self.results[0] if len(self.results) == 1 else "(" + ", ".join(self.results) + ")"
        return "(" + ", ".join(self.params) + ") -> " + res

    @property
    def js_callable(self) -> bool:
        """False when a v128 or reference type would have to cross into JS."""
        return all(t in JS_CALLABLE_TYPES for t in self.params + self.results)

    @property
    def param_letters(self) -> str:
        return "".join(TYPE_LETTER[t] for t in self.params)

    @property
    def result_letters(self) -> str:
        return "".join(TYPE_LETTER[t] for t in self.results)


@dataclass(frozen=True)
class GlobalKind:
    type: ValTypeName
    mutable: bool

    def __str__(self) -> str:
        return f"(mut {self.type})" if self.mutable else self.type


@dataclass(frozen=True)
class Limits:
    min: int
    max: int | None


@dataclass(frozen=True)
class WasmExport:
    name: str
    kind: ExternKind
    signature: WasmSignature | None = None  # for "func"
    global_type: GlobalKind | None = None  # for "global"
    limits: Limits | None = None  # for "memory" and "table"
    param_names: tuple[str, ...] = ()  # for "func": from the name section, where the module has one

    def describe(self) -> str:
        if self.signature is not None:
            return f"func {self.signature}"
        if self.global_type is not None:
            return f"global {self.global_type}"
        return self.kind


@dataclass(frozen=True)
class WasmImport:
    module: str
    name: str
    kind: ExternKind
    signature: WasmSignature | None = None
    global_type: GlobalKind | None = None
    limits: Limits | None = None


@dataclass(frozen=True)
class WasmInterface:
    """Everything the bundler needs to know about one .wasm file."""

    sha256: str
    exports: tuple[WasmExport, ...]
    imports: tuple[WasmImport, ...] = field(default=())
    has_start: bool = False

    def export(self, name: str) -> WasmExport | None:
        return self._by_name.get(name)

    @cached_property
    def _by_name(self) -> dict[str, WasmExport]:
        return {e.name: e for e in self.exports}


class _Reader(WasmReader):
    """WasmReader plus the typed parts of the format this module needs."""

    def valtype(self) -> ValTypeName:
        b = self.byte()
        simple: dict[int, ValTypeName] = {
            0x7F: "i32", 0x7E: "i64", 0x7D: "f32", 0x7C: "f64", 0x7B: "v128",
            0x70: "funcref", 0x6F: "externref",
        }  # fmt: skip
        if b in simple:
            return simple[b]
        if b in (0x63, 0x64):  # (ref null? heaptype)
            heap = self.sleb()
            if heap == -0x11:  # extern (0x6f as a signed LEB)
                return "externref" if b == 0x63 else "(ref extern)"
            return "ref"
        if 0x69 <= b <= 0x74:  # GC abbreviations (anyref, eqref, …)
            return "ref"
        raise ValueError(f"unknown value type 0x{b:02x}")

    def limits(self) -> Limits:
        flags = self.byte()
        lo = self.uleb()
        hi = self.uleb() if flags & 1 else None
        return Limits(lo, hi)


def _local_names(s: _Reader) -> dict[int, dict[int, str]]:
    """The "name" custom section's local names (parameters are a function's first
    locals); {} for any other custom section, or a name section that does not read."""
    try:
        if s.name() != "name":
            return {}
        while s.pos < s.end:
            sub, size = s.byte(), s.uleb()
            if sub != 2:
                s.pos += size
                continue
            out: dict[int, dict[int, str]] = {}
            for _ in range(s.uleb()):
                func = s.uleb()
                out[func] = {s.uleb(): s.name() for _ in range(s.uleb())}
            return out
    except (ValueError, UnicodeDecodeError):
        pass  # names are a convenience: a malformed section is ignored, as engines do
    return {}


def _read_sections(data: bytes, file: str) -> WasmInterface:
    r = _Reader(data, 8)
    types: list[WasmSignature | None] = []
    imports: list[WasmImport] = []
    func_types: list[int] = []  # type index of each function, imports first
    globals_: list[GlobalKind] = []
    memories: list[Limits] = []
    tables: list[Limits] = []
    exports: list[WasmExport] = []
    export_funcs: dict[int, int] = {}  # position in `exports` → function index
    local_names: dict[int, dict[int, str]] = {}  # function index → local index → name
    has_start = False
    while r.pos < len(data):
        sid = r.byte()
        size = r.uleb()
        s = _Reader(data, r.pos, r.pos + size)
        r.pos += size
        if sid == 1:
            for _ in range(s.uleb()):
                form = s.byte()
                if form == 0x4E:  # a GC recursion group: not callable from JS
                    raise ValueError("GC type definitions (rec groups) are not supported")
                if form != 0x60:
                    raise ValueError(f"unsupported type form 0x{form:02x}")
                params = tuple(s.valtype() for _ in range(s.uleb()))
                results = tuple(s.valtype() for _ in range(s.uleb()))
                types.append(WasmSignature(params, results))
        elif sid == 2:
            for _ in range(s.uleb()):
                mod, name, kind = s.name(), s.name(), s.byte()
                if kind == 0:
                    ti = s.uleb()
                    func_types.append(ti)
                    imports.append(WasmImport(mod, name, "func", signature=types[ti]))
                elif kind == 1:
                    s.valtype()
                    lim = s.limits()
                    tables.append(lim)
                    imports.append(WasmImport(mod, name, "table", limits=lim))
                elif kind == 2:
                    lim = s.limits()
                    memories.append(lim)
                    imports.append(WasmImport(mod, name, "memory", limits=lim))
                elif kind == 3:
                    g = GlobalKind(s.valtype(), s.byte() == 1)
                    globals_.append(g)
                    imports.append(WasmImport(mod, name, "global", global_type=g))
                elif kind == 4:
                    s.byte()
                    s.uleb()
                    imports.append(WasmImport(mod, name, "tag"))
                else:
                    raise ValueError(f"unknown import kind {kind}")
        elif sid == 3:
            func_types.extend(s.uleb() for _ in range(s.uleb()))
        elif sid == 4:
            for _ in range(s.uleb()):
                if data[s.pos] == 0x40:  # table with an initialiser
                    s.bytes(2)
                    s.valtype()
                    tables.append(s.limits())
                    s.const_expr()
                else:
                    s.valtype()
                    tables.append(s.limits())
        elif sid == 5:
            memories.extend(s.limits() for _ in range(s.uleb()))
        elif sid == 6:
            for _ in range(s.uleb()):
                globals_.append(GlobalKind(s.valtype(), s.byte() == 1))
                s.const_expr()
        elif sid == 7:
            for _ in range(s.uleb()):
                name, kind, idx = s.name(), s.byte(), s.uleb()
                if kind == 0:
                    exports.append(WasmExport(name, "func", signature=types[func_types[idx]]))
                    export_funcs[len(exports) - 1] = idx
                elif kind == 1:
                    exports.append(WasmExport(name, "table", limits=tables[idx]))
                elif kind == 2:
                    exports.append(WasmExport(name, "memory", limits=memories[idx]))
                elif kind == 3:
                    exports.append(WasmExport(name, "global", global_type=globals_[idx]))
                else:
                    exports.append(WasmExport(name, "tag"))
        elif sid == 8:
            has_start = True
        elif sid == 0:
            local_names.update(_local_names(s))
        # every other section (tags, elements, code, data, …) is skipped by its size
    for pos, idx in export_funcs.items():
        names = local_names.get(idx)
        sig = exports[pos].signature
        if names and sig is not None:
            exports[pos] = replace(
                exports[pos], param_names=tuple(names.get(i, "") for i in range(len(sig.params)))
            )
    return WasmInterface(
        sha256=hashlib.sha256(data).hexdigest(),
        exports=tuple(exports),
        imports=tuple(imports),
        has_start=has_start,
    )


_validator = None


def _validation_engine() -> wasmtime.Engine:
    global _validator
    if _validator is None:
        _validator = wasmtime.Engine()
    return _validator


def read_interface(data: bytes, file: str) -> WasmInterface:
    """Validate `data` with wasmtime and read its exports and imports."""
    if data[:4] != b"\0asm":
        raise InvalidWasm(
            f"{file} is not a WebAssembly module (it does not start with the \\0asm magic)",
            SourceSpan(file),
        )
    try:
        wasmtime.Module.validate(_validation_engine(), data)
    except wasmtime.WasmtimeError as e:
        raise InvalidWasm(
            f"{file} is not a valid WebAssembly module: {str(e).strip()}", SourceSpan(file)
        ) from None
    try:
        return _read_sections(data, file)
    except (ValueError, IndexError, UnicodeDecodeError) as e:
        raise InvalidWasm(f"{file}: cannot read its interface: {e}", SourceSpan(file)) from None
