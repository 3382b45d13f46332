"""Resource limits for a run: wasm memory per user module, JS heap, time.

Set on `edgebox-exec` (`--wasm-memory-limit 32MiB --heap-limit 128MiB --time-limit 5`),
or recorded as a bundle's defaults with the same flags on `edgebox-bundle`. Each
limit that is hit ends the run with a message naming it, its value and the flag
that raises it, and an exit code of its own (docs/security.md).
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

from .errors import BundleError, EdgeBoxError, UsageError
from .wasm_reader import WasmReader, uleb128

MIB = 1024 * 1024
PAGE = 65536

# Exit codes, one per limit (0, 1, 2, 13 and 70 are taken; see docs/security.md).
EXIT_HEAP_LIMIT = 3
EXIT_WASM_MEMORY_LIMIT = 4
EXIT_TIME_LIMIT = 5
EXIT_STACK_LIMIT = 6

_SIZE = r"^\s*(\d+(?:\.\d+)?)\s*(b|kb|kib|k|mb|mib|m|gb|gib|g)?\s*$"  # compiled on first use: start-up counts
_UNITS = {
    None: 1, "b": 1, "k": 1024, "kb": 1000, "kib": 1024, "m": MIB, "mb": 1000**2, "mib": MIB,
    "g": 1024 * MIB, "gb": 1000**3, "gib": 1024 * MIB,
}  # fmt: skip


def parse_size(text: str, flag: str) -> int:
    """'32MiB', '512k', '1.5GiB' or a plain number of bytes."""
    m = re.match(_SIZE, text, re.IGNORECASE)
    if not m:
        raise UsageError(f"{flag}: cannot read {text!r} as a size; write it like 32MiB, 512KiB or 1GiB")
    value = int(float(m.group(1)) * _UNITS[m.group(2).lower() if m.group(2) else None])
    if value <= 0:
        raise UsageError(f"{flag}: a size must be more than 0")
    return value


def format_size(n: int) -> str:
    """32MiB, 37.5MiB, 640KiB: what people write, exact."""
    for unit, size in (("GiB", 1024 * MIB), ("MiB", MIB), ("KiB", 1024)):
        if n >= size and (n * 10) % size == 0:
            return f"{n / size:.1f}".removesuffix(".0") + unit  # never an exponent
    return f"{n}B"


def _whole_mib_above(n: int) -> str:
    return format_size(-(-n // MIB) * MIB)


# The range of each limit. The engine's memory (JS heap + ENGINE_MEMORY_HEADROOM) and a
# user module's memory are 32-bit wasm memories: 4GiB at most. QuickJS starts in ~256KiB.
MIN_WASM_MEMORY, MAX_WASM_MEMORY = PAGE, 4096 * MIB
MIN_HEAP, MAX_HEAP = 1 * MIB, 4096 * MIB - 64 * MIB
MIN_TIME, MAX_TIME = 0.01, 1_000_000.0  # a tick of the epoch; about 11.5 days


class Limits(NamedTuple):  # not a dataclass: see errors.SourceSpan
    wasm_memory: int = 256 * MIB  # per user module (reserved, not committed: pages cost when touched)
    heap: int = 256 * MIB  # the JS heap, as QuickJS counts it
    time: float | None = None  # seconds of wall-clock time for the whole run

    def to_json(self) -> dict[str, Any]:
        return {"wasm_memory": self.wasm_memory, "heap": self.heap, "time": self.time}

    @staticmethod
    def from_json(obj: dict[str, Any] | None, source: str = "the bundle") -> Limits:
        """The limits a manifest records, held to the same ranges as the flags."""
        obj = obj or {}
        base = Limits()
        limits = Limits(
            obj.get("wasm_memory", base.wasm_memory),
            obj.get("heap", base.heap),
            obj.get("time"),
        )
        problem = limits.problem()
        if problem:
            raise BundleError(f"{source}: the limits in its manifest are not usable: {problem}")
        return limits

    def problem(self) -> str | None:
        """What is wrong with these values, or None when each is in its range."""
        for flag, value, low, high in (
            ("--wasm-memory-limit", self.wasm_memory, MIN_WASM_MEMORY, MAX_WASM_MEMORY),
            ("--heap-limit", self.heap, MIN_HEAP, MAX_HEAP),
        ):
            if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
                shown = format_size(value) if isinstance(value, int) and value > 0 else repr(value)
                return f"{flag} {shown} is outside {format_size(low)}..{format_size(high)}"
        t = self.time
        if t is not None and (
            not isinstance(t, int | float) or isinstance(t, bool) or not MIN_TIME <= t <= MAX_TIME
        ):
            return f"--time-limit {t!r} is outside {MIN_TIME:g}..{MAX_TIME:g} seconds"
        return None

    def overridden(self, wasm_memory: str | None, heap: str | None, time: str | None) -> Limits:
        """These limits with whichever command-line flags were given, each in its range."""
        out = self
        if wasm_memory is not None:
            out = out._replace(wasm_memory=parse_size(wasm_memory, "--wasm-memory-limit"))
        if heap is not None:
            out = out._replace(heap=parse_size(heap, "--heap-limit"))
        if time is not None:
            try:
                seconds = float(time)
            except ValueError:
                raise UsageError(f"--time-limit: {time!r} is not a number of seconds") from None
            if seconds != seconds or seconds in (float("inf"), float("-inf")) or seconds <= 0:
                raise UsageError(f"--time-limit: {time!r} is not a positive, finite number of seconds")
            out = out._replace(time=seconds)
        problem = out.problem()
        if problem:
            raise UsageError(problem)
        return out


class LimitExceeded(EdgeBoxError):
    """A resource limit stopped the run."""

    def __init__(self, what: str, value: str, flag: str, exit_code: int, detail: str = ""):
        super().__init__(
            f"{what} reached ({value}){': ' + detail if detail else ''}",
            hint=f"raise it with {flag}" if flag else None,
        )
        self.exit_code = exit_code
        self.detail = detail


# Elements in the tables a user module defines, all its tables together. Tables live in
# host memory (8 bytes an element), outside every linear-memory limit: 10 million is
# 80 MB, far above what toolchains emit (function tables of thousands to ~100,000).
MAX_TABLE_ELEMENTS = 10_000_000


def cap_module(data: bytes, limit: int, module_id: str, cap_maximum: bool = True) -> bytes:
    """`data` with a maximum on everything it defines that grows: its memories share
    `limit` bytes (one memory gets it all), its tables MAX_TABLE_ELEMENTS elements.
    With `cap_maximum` False the memories keep their declared maximum: the memory creator
    (engine/memories.py) enforces the share instead, and records the grows it refuses.

    memory.grow and table.grow past a maximum then fail (-1), as at a declared one.
    A memory or table whose minimum is already larger cannot be instantiated: that
    is an error here. Imported memories and tables are another user module's,
    capped there.
    """
    # Only the table and memory sections change: the rest is joined once from slices of
    # `data` (a snapshot's module holds its memory as megabytes of data segments, which
    # copying section by section took tens of ms).
    pieces: list[bytes | memoryview] = []
    view = memoryview(data)
    done = 0  # data[:done] is in `pieces`
    r = WasmReader(data, 8)
    try:
        while r.pos < r.end:
            start = r.pos
            sid = r.byte()
            size = r.uleb()
            if r.pos + size > r.end:
                raise ValueError("unexpected end of section")
            if sid in (4, 5):
                body = r.bytes(size)
                if sid == 5:
                    new = _cap_memories(WasmReader(body), limit, module_id, cap_maximum)
                else:
                    new = _cap_tables(WasmReader(body), module_id)
                if new != body:
                    pieces += [view[done:start], bytes([sid]) + uleb128(len(new)), new]
                    done = r.pos
            else:
                r.pos += size
    except ValueError:  # a section runs past the end: wasmtime would refuse it too
        raise BundleError(f"{module_id} is not a valid WebAssembly module (a section is cut short)") from None
    if not done:
        return data
    pieces.append(view[done:])
    return b"".join(pieces)


def _capped_limits(r: WasmReader, cap: int, what: str, module_id: str) -> tuple[int, int, int]:
    """Read limits; return (flags with a maximum, minimum, the new maximum)."""
    flags = r.byte()
    if flags & 4:
        raise EdgeBoxError(f"{module_id}: 64-bit {what} (memory64) are not supported")
    if flags & 2:
        raise EdgeBoxError(
            f"{module_id}: shared {what} (the threads proposal: built with -pthread or atomics) are not "
            "supported; build it without threads"
        )
    minimum = r.uleb()
    maximum = r.uleb() if flags & 1 else None
    return flags | 1, minimum, cap if maximum is None else min(maximum, cap)


def _cap_memories(r: WasmReader, limit: int, module_id: str, cap_maximum: bool) -> bytes:
    count = r.uleb()
    share = max(limit // PAGE // max(count, 1), 1)  # pages each memory may have
    out = bytearray(uleb128(count))
    for _ in range(count):
        start = r.pos
        flags, minimum, new_max = _capped_limits(r, share, "memories", module_id)
        if minimum > share:
            shared = f", shared between its {count} memories" if count > 1 else ""
            raise LimitExceeded(
                "wasm memory limit",
                format_size(limit) + shared,
                f"--wasm-memory-limit={_whole_mib_above(minimum * PAGE * count)}",
                EXIT_WASM_MEMORY_LIMIT,
                f"{module_id} declares a memory of at least {format_size(minimum * PAGE)}",
            )
        if cap_maximum:
            out.append(flags)
            out += uleb128(minimum) + uleb128(new_max)
        else:  # the memory creator enforces the share, and sees the grows it refuses
            out += r.data[start : r.pos]
    out += r.data[r.pos : r.end]
    return bytes(out)


def memory_share(data: bytes, limit: int) -> int:
    """The bytes of --wasm-memory-limit each memory `data` defines may have (they share it)."""
    r = WasmReader(data, 8)
    try:
        while r.pos < r.end:
            sid, size = r.byte(), r.uleb()
            if sid == 5:
                return max(limit // PAGE // max(WasmReader(data, r.pos).uleb(), 1), 1) * PAGE
            r.pos += size
    except ValueError:
        pass
    return limit


def _cap_tables(r: WasmReader, module_id: str) -> bytes:
    count = r.uleb()
    share = MAX_TABLE_ELEMENTS // max(count, 1)
    out = bytearray(uleb128(count))
    for _ in range(count):
        start = r.pos
        initialised = r.data[r.pos] == 0x40  # 0x40 0x00 reftype limits init-expr
        if initialised:
            r.bytes(2)
        type_start = r.pos
        r.reftype()
        out += r.data[start : r.pos] if initialised else r.data[type_start : r.pos]
        flags, minimum, new_max = _capped_limits(r, share, "tables", module_id)
        if minimum > share:
            raise EdgeBoxError(
                f"{module_id} declares a table of {minimum:,} elements; EdgeBox allows a module's "
                f"tables {MAX_TABLE_ELEMENTS:,} elements in all (each is 8 bytes of host memory)"
            )
        out.append(flags)
        out += uleb128(minimum) + uleb128(new_max)
        if initialised:
            expr = r.pos
            r.const_expr()
            out += r.data[expr : r.pos]
    out += r.data[r.pos : r.end]
    return bytes(out)
