"""A user wasm module's state after the snapshot run, written back into the module itself.

The approach Wizer takes for Javy and Fastly Compute, done here in Python: a copy of each
module is *instrumented* (every memory, mutable global and table it defines, and every
function a table can hold, exported under names no module uses; for each reference global
and table that cannot hold functions, a function that says whether an element is null)
and instantiated in the snapshot run in place of the original. After the entry's imports
ran, the state is read through those exports and the original module is *rewritten* so
that instantiating it gives that state:

- each memory it defines: its minimum is the size it grew to, and its contents are new
  active data segments (runs of non-zero bytes); the module's own active segments are
  emptied (they ran already, and would overwrite what the run wrote), keeping their
  indices, which `memory.init` and `data.drop` use;
- each mutable global it defines: its initialiser is the constant it holds;
- each table it defines: its minimum is its size, and its elements are new active element
  segments naming the module's own functions; the old active segments are emptied;
- the start function is dropped: it ran. (A WASI reactor's `_initialize` likewise: the
  runtime does not call it again for a snapshotted module.)

Nothing is restored at run time: the module is instantiated as any other, and wasmtime
copies the data segments into its memory. What cannot be written back is refused with its
reason (SnapshotRefused): a table element or a global holding a function of another module
or a host function, a non-null reference that is not a function (an externref: a JS
value), a mutable v128 global, a NaN in a
float global (its payload bits are not readable exactly), a table with an initialiser.
"""

from __future__ import annotations

import ctypes
import math
import struct
from dataclasses import dataclass, field
from typing import Any

from .errors import EdgeBoxError
from .wasm_reader import WasmReader, sleb128, uleb128

# Export names of the instrumented copy: a colon and a space cannot start a name any
# toolchain emits for a module's own exports.
PREFIX = "edgebox snapshot: "
SECTION_ORDER = [0, 1, 2, 3, 4, 5, 13, 6, 7, 8, 9, 12, 10, 11]  # 0 (custom) is placed as found
CHUNK = 4096  # memory is scanned for non-zero bytes in chunks of this size
MAX_SEGMENTS = 50_000  # wasmtime validates at most 100,000 data segments in a module
# abstract heap types that are functions (func, nofunc); anything else is not a function
FUNC_HEAPS = (0x70, 0x73)


class WasmStateRefused(EdgeBoxError):
    """A module's state that cannot be written back into it; the message says why."""


def _vec(items: list[bytes]) -> bytes:
    return uleb128(len(items)) + b"".join(items)


def _i32_const(n: int) -> bytes:
    n &= 0xFFFF_FFFF
    return b"\x41" + sleb128(n - (1 << 32) if n >= 1 << 31 else n) + b"\x0b"


@dataclass
class Global:
    index: int  # in the global index space
    valtype: bytes  # as encoded
    mutable: bool


@dataclass
class Table:
    index: int
    reftype: bytes
    flags: int
    minimum: int
    maximum: int | None
    initialised: bool  # the 0x40 form: a table with an initialiser expression


@dataclass
class Memory:
    index: int
    flags: int
    minimum: int
    maximum: int | None


@dataclass
class Layout:
    """What the rewrite needs to know of a module: its sections, and what it defines."""

    sections: list[tuple[int, bytes]]
    imported: dict[int, int] = field(default_factory=lambda: {0: 0, 1: 0, 2: 0, 3: 0, 4: 0})
    tables: list[Table] = field(default_factory=list)
    memories: list[Memory] = field(default_factory=list)
    globals: list[Global] = field(default_factory=list)
    refs: set[int] = field(default_factory=set)  # functions a table or a global can hold
    exports: set[str] = field(default_factory=set)
    functions: int = 0  # functions it defines


def _valtype(r: WasmReader) -> bytes:
    start = r.pos
    if r.byte() in (0x63, 0x64):
        r.sleb()
    return r.data[start : r.pos]


def _limits(r: WasmReader) -> tuple[int, int, int | None]:
    flags = r.byte()
    minimum = r.uleb()
    maximum = r.uleb() if flags & 1 else None
    return flags, minimum, maximum


def _expr(r: WasmReader) -> bytes:
    start = r.pos
    r.const_expr()
    return r.data[start : r.pos]


@dataclass
class Segment:
    raw: bytes
    active: bool
    target: int = 0  # the table or memory an active segment writes
    reftype: bytes = b"\x70"  # an element segment's type


def _elements(body: bytes) -> list[Segment]:
    r = WasmReader(body)
    out = []
    for _ in range(r.uleb()):
        start = r.pos
        flags = r.uleb()
        active = not flags & 1
        table = r.uleb() if flags & 2 and active else 0
        if active:
            r.const_expr()
        reftype = b"\x70"
        if flags & 4:
            if flags & 3:
                reftype = _valtype(r)
            for _ in range(r.uleb()):
                r.const_expr()
        else:
            if flags & 3:
                r.byte()  # elemkind: 0x00, funcref
            for _ in range(r.uleb()):
                r.uleb()
        out.append(Segment(body[start : r.pos], active, table, reftype))
    return out


def _element_refs(seg: Segment) -> set[int]:
    r = WasmReader(seg.raw)
    flags = r.uleb()
    if flags & 2 and not flags & 1:
        r.uleb()
    if not flags & 1:
        r.const_expr()
    out: set[int] = set()
    if flags & 4:
        if flags & 3:
            _valtype(r)
        for _ in range(r.uleb()):
            out |= r.const_expr()
    else:
        if flags & 3:
            r.byte()
        for _ in range(r.uleb()):
            out.add(r.uleb())
    return out


def _datas(body: bytes) -> list[Segment]:
    r = WasmReader(body)
    out = []
    for _ in range(r.uleb()):
        start = r.pos
        flags = r.uleb()
        memory = r.uleb() if flags == 2 else 0
        if flags != 1:
            r.const_expr()
        r.bytes(r.uleb())
        out.append(Segment(body[start : r.pos], flags != 1, memory))
    return out


def read_layout(data: bytes, module_id: str) -> Layout:
    """Parse what the snapshot needs of `data`; a malformed module is a WasmStateRefused."""
    try:
        return _read_layout(data)
    except (ValueError, UnicodeDecodeError) as e:
        raise WasmStateRefused(f"wasm module {module_id} could not be read ({e})") from None


def _read_layout(data: bytes) -> Layout:
    r = WasmReader(data, 8)
    sections: list[tuple[int, bytes]] = []
    while r.pos < r.end:
        sid = r.byte()
        sections.append((sid, r.bytes(r.uleb())))
    lay = Layout(sections)
    for sid, body in sections:
        s = WasmReader(body)
        if sid == 3:
            lay.functions = s.uleb()
        elif sid == 2:
            for _ in range(s.uleb()):
                s.name()
                s.name()
                kind = s.byte()
                index = lay.imported[kind]
                lay.imported[kind] += 1
                if kind in (0, 4):
                    if kind == 4:
                        s.byte()
                    s.uleb()
                elif kind == 1:
                    _valtype(s)
                    _limits(s)
                elif kind == 2:
                    _limits(s)
                elif kind == 3:
                    lay.globals.append(Global(index, _valtype(s), bool(s.byte() & 1)))
        elif sid == 4:
            for _ in range(s.uleb()):
                initialised = s.data[s.pos] == 0x40
                if initialised:
                    s.bytes(2)
                reftype = _valtype(s)
                flags, minimum, maximum = _limits(s)
                index = lay.imported[1] + len(lay.tables)
                lay.tables.append(Table(index, reftype, flags, minimum, maximum, initialised))
                if initialised:
                    lay.refs |= s.const_expr()
        elif sid == 5:
            for _ in range(s.uleb()):
                flags, minimum, maximum = _limits(s)
                lay.memories.append(Memory(lay.imported[2] + len(lay.memories), flags, minimum, maximum))
        elif sid == 6:
            for _ in range(s.uleb()):
                valtype = _valtype(s)
                mutable = bool(s.byte() & 1)
                lay.refs |= s.const_expr()
                lay.globals.append(Global(len(lay.globals), valtype, mutable))
        elif sid == 7:
            for _ in range(s.uleb()):
                name = s.name()
                kind = s.byte()
                index = s.uleb()
                lay.exports.add(name)
                if kind == 0:
                    lay.refs.add(index)
        elif sid == 9:
            for seg in _elements(body):
                lay.refs |= _element_refs(seg)
    return lay


def _export_name(kind: str, index: int) -> str:
    return f"{PREFIX}{kind} {index}"


def instrumented(data: bytes, module_id: str) -> bytes:
    """`data` with everything the snapshot reads exported: the memories, mutable globals and
    tables it defines, and the functions its tables and globals can hold."""
    lay = read_layout(data, module_id)
    clash = sorted(n for n in lay.exports if n.startswith(PREFIX))
    if clash:
        raise WasmStateRefused(f"wasm module {module_id} already exports {clash[0]!r}")
    extra: list[bytes] = []

    def export(kind: str, code: int, index: int) -> None:
        name = _export_name(kind, index).encode()
        extra.append(uleb128(len(name)) + name + bytes([code]) + uleb128(index))

    for f in sorted(lay.refs):
        export("func", 0, f)
    for t in lay.tables:
        export("table", 1, t.index)
    for m in lay.memories:
        export("memory", 2, m.index)
    for g in lay.globals:
        if g.mutable and g.index >= lay.imported[3]:
            export("global", 3, g.index)
    # wasmtime's Python API reads every non-function reference (an externref is an i31ref made
    # extern here, link.py) as None: whether one is null is asked of the module itself
    checks: list[tuple[int, bytes]] = []  # (type: 0 no params, 1 an i32 param; body)
    for g in lay.globals:
        if (
            g.mutable
            and g.index >= lay.imported[3]
            and _is_reference(g.valtype)
            and not _holds_functions(g.valtype)
        ):
            checks.append((0, b"\x23" + uleb128(g.index) + b"\xd1\x0b"))
            export("isnull global", 0, lay.imported[0] + lay.functions + len(checks) - 1)
    for t in lay.tables:
        if not _holds_functions(t.reftype):
            checks.append((1, b"\x20\x00\x25" + uleb128(t.index) + b"\xd1\x0b"))
            export("isnull table", 0, lay.imported[0] + lay.functions + len(checks) - 1)
    sections = _with_functions(list(lay.sections), lay, checks)
    for i, (sid, body) in enumerate(sections):
        if sid == 7:
            r = WasmReader(body)
            count = r.uleb()
            sections[i] = (7, uleb128(count + len(extra)) + body[r.pos :] + b"".join(extra))
            break
    else:
        sections = _insert(sections, 7, _vec(extra))
    return _encode(data[:8], sections)


NULL_CHECK_TYPES = (b"\x60\x00\x01\x7f", b"\x60\x01\x7f\x01\x7f")  # () -> i32, (i32) -> i32


def _with_functions(
    sections: list[tuple[int, bytes]], lay: Layout, checks: list[tuple[int, bytes]]
) -> list[tuple[int, bytes]]:
    """`sections` with the functions `checks` appended (after every index the module uses)."""
    if not checks:
        return sections
    types = _function_types(sections)
    if types is None:
        raise WasmStateRefused(
            "its types use the GC proposal's forms (rec, sub), which the snapshot cannot extend to "
            "read its reference globals and tables"
        )
    bodies = [uleb128(len(b"\x00" + code)) + b"\x00" + code for _, code in checks]
    added = {1: NULL_CHECK_TYPES, 3: tuple(uleb128(types + kind) for kind, _ in checks), 10: tuple(bodies)}
    for sid, items in added.items():
        for i, (other, body) in enumerate(sections):
            if other == sid:
                r = WasmReader(body)
                count = r.uleb()
                sections[i] = (sid, uleb128(count + len(items)) + body[r.pos :] + b"".join(items))
                break
        else:
            sections = _insert(sections, sid, _vec(list(items)))
    return sections


def _function_types(sections: list[tuple[int, bytes]]) -> int | None:
    """How many types the type section defines, if all are plain function types; else None."""
    for sid, body in sections:
        if sid == 1:
            r = WasmReader(body)
            count = r.uleb()
            for _ in range(count):
                if r.byte() != 0x60:
                    return None
                for _ in range(2):
                    for _ in range(r.uleb()):
                        _valtype(r)
            return count
    return 0


def _is_reference(valtype: bytes) -> bool:
    return valtype[0] in (0x63, 0x64) or 0x69 <= valtype[0] <= 0x74


def _holds_functions(reftype: bytes) -> bool:
    return reftype[0] in FUNC_HEAPS or (reftype[0] in (0x63, 0x64) and _is_func_heap(reftype))


def _insert(sections: list[tuple[int, bytes]], sid: int, body: bytes) -> list[tuple[int, bytes]]:
    rank = SECTION_ORDER.index(sid)
    for i, (other, _) in enumerate(sections):
        if other != 0 and SECTION_ORDER.index(other) > rank:
            return [*sections[:i], (sid, body), *sections[i:]]
    return [*sections, (sid, body)]


def _encode(header: bytes, sections: list[tuple[int, bytes]]) -> bytes:
    out = bytearray(header)
    for sid, body in sections:
        out.append(sid)
        out += uleb128(len(body)) + body
    return bytes(out)


@dataclass
class ModuleState:
    """What one instrumented instance held when the snapshot was taken."""

    memories: dict[int, bytes]  # memory index → its whole contents
    globals: dict[int, bytes]  # global index → its new initialiser (a constant expression)
    tables: dict[int, list[int | None]]  # table index → each element's function index, or null


def func_key(value: Any) -> tuple[int, int] | None:
    """wasmtime's identity of a function reference: the store and its VMFuncRef address
    (a table element and the export of the same function of the same instance share it)."""
    raw = getattr(value, "_func", None)
    if raw is None:
        return None
    return (int(raw.store_id), int(getattr(raw, "__private") or 0))


def read_state(
    data: bytes,
    module_id: str,
    get: Any,
    store: Any,
    foreign: dict[tuple[int, int], str],
) -> ModuleState:
    """Read an instrumented instance's state; `data` is the module before it was instrumented.
    `get(name)` is the instance's export by name; `foreign`
    names the functions of every other instance, to say whose a stray reference is."""
    import wasmtime

    lay = read_layout(data, module_id)
    funcs: dict[tuple[int, int], int] = {}
    for f in sorted(lay.refs):
        key = func_key(get(_export_name("func", f)))
        if key is not None:
            funcs.setdefault(key, f)

    def function_index(value: Any, where: str) -> int | None:
        if isinstance(value, wasmtime.Val):
            value = value.value
        if value is None:
            return None
        key = func_key(value)
        if key is not None and key in funcs:
            return funcs[key]
        whose = foreign.get(key) if key is not None else None
        raise WasmStateRefused(
            f"wasm module {module_id}: {where} holds "
            + (
                f"a function of {whose}"
                if whose
                else "a function that is not its own (a host or JS function)"
            )
            + ", which cannot be written into the module"
        )

    state = ModuleState({}, {}, {})
    for m in lay.memories:
        memory = get(_export_name("memory", m.index))
        size = memory.data_len(store)
        ptr = ctypes.cast(memory.data_ptr(store), ctypes.c_void_p).value or 0
        state.memories[m.index] = ctypes.string_at(ptr, size) if size else b""
    functions = lay.imported[0] + lay.functions  # the null checks follow the module's own
    checks = 0
    for g in lay.globals:
        if not g.mutable or g.index < lay.imported[3]:
            continue
        if _is_reference(g.valtype) and not _holds_functions(g.valtype):
            is_null = get(_export_name("isnull global", functions + checks))
            checks += 1
            if not is_null(store):
                raise WasmStateRefused(
                    f"wasm module {module_id}: global {g.index} holds a JS value (a reference), which "
                    "lives in the engine's heap and cannot be written into the module"
                )
            state.globals[g.index] = b"\xd0" + _heap(g.valtype) + b"\x0b"
            continue
        value = get(_export_name("global", g.index)).value(store)
        state.globals[g.index] = _constant(g.valtype, value, module_id, g.index, function_index)
    for t in lay.tables:
        table = get(_export_name("table", t.index))
        size = table.size(store)
        if t.initialised and size:
            raise WasmStateRefused(
                f"wasm module {module_id}: table {t.index} has an initialiser expression, which "
                "the snapshot cannot rewrite"
            )
        elements: list[int | None] = []
        if _holds_functions(t.reftype):
            for i in range(size):
                elements.append(function_index(table.get(store, i), f"table {t.index} element {i}"))
        else:
            is_null = get(_export_name("isnull table", functions + checks))
            checks += 1
            for i in range(size):
                if not is_null(store, i):
                    raise WasmStateRefused(
                        f"wasm module {module_id}: table {t.index} element {i} holds a JS value (a "
                        "reference), which lives in the engine's heap and cannot be written into the module"
                    )
                elements.append(None)
        state.tables[t.index] = elements
    return state


def _is_func_heap(reftype: bytes) -> bool:
    heap = WasmReader(reftype, 1).sleb()
    return heap >= 0 or (heap & 0x7F) in FUNC_HEAPS  # a concrete type index: a function type here


def _constant(valtype: bytes, value: Any, module_id: str, index: int, function_index: Any) -> bytes:
    code = valtype[0]
    if code == 0x7F:
        return _i32_const(int(value))
    if code == 0x7E:
        n = int(value) & 0xFFFF_FFFF_FFFF_FFFF
        return b"\x42" + sleb128(n - (1 << 64) if n >= 1 << 63 else n) + b"\x0b"
    if code in (0x7D, 0x7C):
        if math.isnan(value):
            raise WasmStateRefused(
                f"wasm module {module_id}: global {index} holds a NaN, whose payload bits cannot be "
                "read exactly"
            )
        return (
            b"\x43" + struct.pack("<f", value) + b"\x0b"
            if code == 0x7D
            else b"\x44" + struct.pack("<d", value) + b"\x0b"
        )
    if code == 0x7B:
        raise WasmStateRefused(
            f"wasm module {module_id}: global {index} is a mutable v128, which cannot be read"
        )
    f = function_index(value, f"global {index}")  # only function references reach here
    return b"\xd0" + _heap(valtype) + b"\x0b" if f is None else b"\xd2" + uleb128(f) + b"\x0b"


def _heap(valtype: bytes) -> bytes:
    """The heap type of a reference type, for `ref.null`."""
    return valtype[1:] if valtype[0] in (0x63, 0x64) else valtype[:1]


def _memory_segments(index: int, image: bytes) -> list[bytes]:
    """Active data segments for the non-zero runs of `image`: runs of zero chunks split them,
    chunks as large as keep the segments under MAX_SEGMENTS."""
    chunk = CHUNK
    while True:
        out = _segments_by(index, image, chunk)
        if len(out) <= MAX_SEGMENTS:
            return out
        chunk *= 4


def _segments_by(index: int, image: bytes, chunk: int) -> list[bytes]:
    out: list[bytes] = []
    zero = bytes(chunk)
    start: int | None = None
    n = len(image)
    for pos in range(0, n + chunk, chunk):
        nonzero = pos < n and image[pos : pos + chunk] != zero[: min(chunk, n - pos)]
        if nonzero and start is None:
            start = pos
        elif not nonzero and start is not None:
            run = image[start:pos]
            lead = len(run) - len(run.lstrip(b"\0"))
            run = run.strip(b"\0")
            offset = start + lead
            head = b"\x00" if index == 0 else b"\x02" + uleb128(index)
            out.append(head + _i32_const(offset) + uleb128(len(run)) + run)
            start = None
    return out


def _table_segments(table: Table, elements: list[int | None]) -> list[bytes]:
    out: list[bytes] = []
    i = 0
    while i < len(elements):
        if elements[i] is None:
            i += 1
            continue
        j = i
        while j < len(elements) and elements[j] is not None:
            j += 1
        exprs = [b"\xd2" + uleb128(f) + b"\x0b" for f in elements[i:j] if f is not None]
        out.append(b"\x06" + uleb128(table.index) + _i32_const(i) + table.reftype + _vec(exprs))
        i = j
    return out


def rewritten(data: bytes, module_id: str, state: ModuleState) -> bytes:
    """`data` as a module whose instantiation gives `state`, with no start function."""
    lay = read_layout(data, module_id)
    sections: list[tuple[int, bytes]] = []
    new_elems: list[bytes] = []
    for t in lay.tables:
        new_elems += _table_segments(t, state.tables.get(t.index, []))
    new_datas: list[bytes] = []
    for m in lay.memories:
        new_datas += _memory_segments(m.index, state.memories.get(m.index, b""))
    data_count = None
    for sid, body in lay.sections:
        if sid == 8:
            continue  # the start function ran
        if sid == 4:
            body = _vec(
                [
                    t.reftype + _limits_bytes(t.flags, len(state.tables.get(t.index, [])), t.maximum)
                    for t in lay.tables
                ]
            )
        elif sid == 5:
            body = _vec(
                [
                    _limits_bytes(
                        m.flags, max(len(state.memories.get(m.index, b"")) // 65536, m.minimum), m.maximum
                    )
                    for m in lay.memories
                ]
            )
        elif sid == 6:
            body = _rewrite_globals(body, lay, state)
        elif sid == 9:
            segs = _elements(body)
            kept = [_emptied_element(s) if s.active else s.raw for s in segs]
            body = _vec(kept + new_elems)
            new_elems = []
        elif sid == 12:
            data_count = len(sections)
        elif sid == 11:
            segs = _datas(body)
            kept = [b"\x01\x00" if s.active else s.raw for s in segs]
            body = _vec(kept + new_datas)
            new_datas = []
        sections.append((sid, body))
    if new_elems:
        sections = _insert(sections, 9, _vec(new_elems))
    if new_datas:
        sections = _insert(sections, 11, _vec(new_datas))
    if data_count is not None:
        total = next((WasmReader(b).uleb() for s, b in sections if s == 11), 0)
        sections = [(s, uleb128(total) if s == 12 else b) for s, b in sections]
    return _encode(data[:8], sections)


def _emptied_element(seg: Segment) -> bytes:
    """An active element segment as a passive one with no elements, of the same type: it
    already ran, and its index is kept for `table.init` and `elem.drop`."""
    r = WasmReader(seg.raw)
    flags = r.uleb()
    if flags & 4:
        return b"\x05" + seg.reftype + b"\x00"
    return b"\x01\x00\x00"


def _limits_bytes(flags: int, minimum: int, maximum: int | None) -> bytes:
    return bytes([flags]) + uleb128(minimum) + (uleb128(maximum) if maximum is not None else b"")


def _rewrite_globals(body: bytes, lay: Layout, state: ModuleState) -> bytes:
    r = WasmReader(body)
    out = [uleb128(r.uleb())]
    for g in lay.globals[lay.imported[3] :]:
        start = r.pos
        _valtype(r)
        r.byte()
        head = body[start : r.pos]
        expr = _expr(r)
        out.append(head + state.globals.get(g.index, expr))
    return b"".join(out)
