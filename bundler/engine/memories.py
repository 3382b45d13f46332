"""Linear memories, allocated by EdgeBox for wasmtime, so that JS can see wasm memory live.

`memory.buffer` in the WebAssembly JS API is an ArrayBuffer over the module's memory itself:
wasm-bindgen, AssemblyScript and Emscripten glue read and write strings and bytes through
it. Here JS runs inside the engine, a wasm module of its own, which can address only its own
linear memory. So wasmtime is given a memory creator (its C API's host memory creator):

- each user module's memory is a `memfd`, mapped into the host reservation wasmtime asks for
  (pages past the current size stay PROT_NONE, so the module's accesses are bounds-checked
  by the hardware exactly as wasmtime's own memories are);
- the same pages are mapped a second time, MAP_SHARED, into a *window*: a block of the
  engine's own heap (64 KiB-aligned, the size of the memory's maximum) that the engine
  allocated for it, so that it lies inside the engine memory's current size. Loads and
  stores would reach any mapped address of the engine's reservation, but the engine's
  `memory.copy` and `memory.fill` (memcpy, memset, every typed-array bulk operation) are
  bounds-checked against that size. The engine makes an ArrayBuffer whose data pointer is
  the window (glue.c), and JS reads and writes the module's memory directly: no copy, no
  host call per access;
- when a module's memory grows, wasmtime calls `grow` here; it opens more of the module's
  pages and counts a *generation* in the engine's memory, which the engine checks after every
  wasm call to detach the old buffers, as the JS API specifies;
- `--wasm-memory-limit` is enforced here too: a grow past the memory's share of it is refused
  (memory.grow returns -1, as at a declared maximum) and recorded, so that a run that then
  fails (a Rust allocator aborting with `unreachable`) is reported as that limit, exactly.

A user module still sees only its own memory (its own reservation); the engine sees user
memories only through their windows, whose pages are the modules' and nothing else. On a
system without `memfd_create` (not Linux), no creator is installed: memories are wasmtime's
own, and reading `buffer` says that live buffers need Linux.
"""

from __future__ import annotations

import ctypes
import os
import threading
from collections.abc import Callable
from typing import Any

from wasmtime import _bindings

PAGE = 65536
ADDRESS_SPACE = 1 << 32  # a 32-bit memory's largest size
PROT_NONE, PROT_READ_WRITE = 0, 3
MAP_SHARED, MAP_PRIVATE, MAP_FIXED, MAP_ANONYMOUS, MAP_NORESERVE = 0x01, 0x02, 0x10, 0x20, 0x4000

# EDGEBOX_LIVE_MEMORY=0 turns live buffers off (memories are then wasmtime's own), to tell
# whether a problem comes from them; their absence is what a non-Linux system gets.
AVAILABLE = (
    hasattr(os, "memfd_create")
    and os.uname().sysname == "Linux"
    and os.environ.get("EDGEBOX_LIVE_MEMORY", "1") != "0"
)

_libc = ctypes.CDLL(None, use_errno=True)
_libc.mmap.restype = ctypes.c_void_p
_libc.mmap.argtypes = [
    ctypes.c_void_p,
    ctypes.c_size_t,
    ctypes.c_int,
    ctypes.c_int,
    ctypes.c_int,
    ctypes.c_long,
]
_libc.mprotect.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
_libc.munmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t]
MAP_FAILED = ctypes.c_void_p(-1).value


def _mmap(addr: int | None, length: int, prot: int, flags: int, fd: int = -1, offset: int = 0) -> int:
    p = _libc.mmap(addr, length, prot, flags, fd, offset)
    if p is None or p == MAP_FAILED:
        raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()))
    return int(p)


def _round_up(n: int, to: int = 4096) -> int:
    return -(-n // to) * to


# Plain classes, not dataclasses: edgebox-exec imports this module (see errors.SourceSpan).
class EngineMemory:
    """The engine's memory (wasmtime's own allocation): where it starts in the host."""

    def __init__(self, base: int) -> None:
        self.base = base
        self.users: list[LinearMemory] = []  # memories with a window here


class LinearMemory:
    """One memory wasmtime asked for: `base` is its host address, `size` the bytes open."""

    def __init__(
        self,
        key: int,
        kind: str,
        base: int,
        size: int,
        maximum: int,
        reservation: int,
        limit: int,
        declared: int,
        fd: int,
    ) -> None:
        self.key = key
        self.kind = kind  # "user" (a module's memory: a memfd, may get a window) or "other"
        self.base = base
        self.size = size
        self.maximum = maximum  # bytes: the memory's own maximum, or its share of the limit if smaller
        self.reservation = reservation  # bytes reserved at `base`, guard included
        self.limit = limit  # its share of --wasm-memory-limit: grows past it are refused
        self.declared = declared  # the maximum the module declares (ADDRESS_SPACE when none)
        self.refused = 0  # the largest size in bytes a grow asked for and the limit refused
        self.fd = fd  # the memfd of a user memory, else -1
        self.window: int | None = None  # its address inside the engine's memory, once mapped there
        self.engine: EngineMemory | None = None
        self.generation_at = 0  # the engine's generation counter (an engine address), once known
        self.alive = True


_memories: dict[int, LinearMemory] = {}
_next_key = 1
_lock = threading.Lock()
_context = threading.local()  # .kind: what the next memory is for; .created: where to record it


class WindowUnavailable(Exception):
    """A user memory cannot be seen live from the engine (its window does not fit)."""


def expecting(kind: str, created: list[LinearMemory] | None = None, limit: int = ADDRESS_SPACE) -> None:
    """Say what the memories wasmtime creates next, on this thread, are for: "user" (a
    module's, limited to `limit` bytes each) or "other"."""
    _context.kind = kind
    _context.created = created
    _context.limit = limit


def open_window(
    memory: LinearMemory, engine: EngineMemory, allocate: Callable[[int], int], engine_size: Callable[[], int]
) -> int:
    """Map a user memory into the engine's memory (once); return the engine address.

    `allocate(n)` grows the engine's memory by n bytes and returns where they start (an
    unsigned address; 0 when it cannot grow that far); `engine_size()` is the engine memory's
    current size. The window is mapped only where it lies wholly inside that size: anywhere
    else it would cover the engine's own pages, or another memory's."""
    if memory.window is not None:
        return memory.window
    if memory.fd < 0:
        raise WindowUnavailable("this memory was not created by EdgeBox")
    length = max(_round_up(memory.maximum, PAGE), PAGE)  # a memory of 0 pages gets an empty buffer
    start = allocate(length) if length < ADDRESS_SPACE else 0
    if start <= 0 or start % PAGE or start + length > engine_size() or start + length > ADDRESS_SPACE:
        raise WindowUnavailable(
            "the engine's memory has no room left for it: the JS heap, 64 MiB and a window as large "
            "as each exported memory may grow must fit in 4 GiB; lower --wasm-memory-limit (or "
            "--heap-limit), or give the modules' memories a smaller maximum"
        )
    _mmap(engine.base + start, length, PROT_READ_WRITE, MAP_SHARED | MAP_FIXED, memory.fd, 0)
    memory.window = start
    memory.engine = engine
    engine.users.append(memory)
    return start


def by_base(base: int) -> LinearMemory | None:
    for m in _memories.values():
        if m.base == base and m.alive:
            return m
    return None


# ---- the callbacks wasmtime calls (kept referenced for the life of the process) ----


@_bindings.wasmtime_memory_get_callback_t
def _get(env: int, size: Any, maximum: Any) -> int:
    m = _memories[env]
    size[0] = m.size
    # the memory's own maximum, not the limit: so wasmtime asks `_grow` for every grow
    # within it, and a grow the limit refuses is seen, and recorded, here
    maximum[0] = m.declared
    return m.base


@_bindings.wasmtime_memory_grow_callback_t
def _grow(env: int, new_size: int) -> int:
    m = _memories[env]
    try:
        if new_size > m.limit:  # --wasm-memory-limit: refused as at a maximum, and remembered
            m.refused = max(m.refused, new_size)
            return _error("the wasm memory limit")
        if new_size > m.size:
            if _libc.mprotect(m.base + m.size, new_size - m.size, PROT_READ_WRITE) != 0:
                return _error(f"cannot open memory pages: {os.strerror(ctypes.get_errno())}")
            m.size = new_size
        if m.engine is not None and m.generation_at:
            counter = ctypes.c_uint32.from_address(m.engine.base + m.generation_at)
            counter.value = (counter.value + 1) & 0xFFFFFFFF
        return 0
    except Exception as e:  # never let a Python exception cross into wasmtime
        return _error(f"growing a memory failed: {e}")


@ctypes.CFUNCTYPE(None, ctypes.c_void_p)
def _free(env: int) -> None:
    with _lock:
        m = _memories.pop(env, None)
    if m is None:
        return
    m.alive = False
    # A window stays mapped: it lies in the engine's reservation, which wasmtime unmaps
    # whole with the engine's memory (and the store they share goes away with both).
    _libc.munmap(m.base, m.reservation)
    if m.fd >= 0:
        os.close(m.fd)


@_bindings.wasmtime_new_memory_callback_t
def _new(env: int, ty: int, minimum: int, maximum: int, reserved: int, guard: int, out: Any) -> int:
    global _next_key
    try:
        # only a user module's memories get a memfd; wasmtime also asks for others (the
        # heap that holds exception objects, for modules that use exceptions)
        kind = getattr(_context, "kind", "other")
        limit = getattr(_context, "limit", ADDRESS_SPACE) if kind == "user" else ADDRESS_SPACE
        maximum = min(maximum, ADDRESS_SPACE)
        reservation = _round_up(max(reserved, maximum) + guard)
        declared = maximum
        maximum = min(maximum, limit)  # the pages this memory can ever have
        base = _mmap(None, reservation, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE)
        fd = -1
        if kind == "user":
            fd = os.memfd_create("edgebox-wasm-memory", os.MFD_CLOEXEC)
            os.ftruncate(fd, max(_round_up(maximum, PAGE), PAGE))
            _mmap(base, max(_round_up(maximum, PAGE), PAGE), PROT_NONE, MAP_SHARED | MAP_FIXED, fd, 0)
        if minimum and _libc.mprotect(base, minimum, PROT_READ_WRITE) != 0:
            return _error(f"cannot open memory pages: {os.strerror(ctypes.get_errno())}")
        with _lock:
            key = _next_key
            _next_key += 1
            m = LinearMemory(key, kind, base, minimum, maximum, reservation, limit, declared, fd)
            _memories[key] = m
        created = getattr(_context, "created", None)
        if created is not None:
            created.append(m)
        out[0].env = key
        out[0].get_memory = _get
        out[0].grow_memory = _grow
        out[0].finalizer = _free
        return 0
    except Exception as e:
        return _error(f"cannot allocate a wasm memory: {e}")


def _error(message: str) -> int:
    raw = message.encode()
    return int(ctypes.cast(_bindings.wasmtime_error_new(raw), ctypes.c_void_p).value or 0)


@ctypes.CFUNCTYPE(None, ctypes.c_void_p)
def _creator_gone(env: int) -> None:
    pass


_creator: Any = _bindings.wasmtime_memory_creator_t()
_creator.env = None
_creator.new_memory = _new
_creator.finalizer = _creator_gone


def install(config_ptr: object) -> bool:
    """Make a wasmtime Config allocate its memories here; False where that cannot work."""
    if not AVAILABLE:
        return False
    _bindings.wasmtime_config_host_memory_creator_set(config_ptr, ctypes.byref(_creator))
    return True
