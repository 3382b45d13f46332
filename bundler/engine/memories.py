"""Linear memories, allocated by EdgeBox for wasmtime, so that JS can see wasm memory live.

`memory.buffer` in the WebAssembly JS API is an ArrayBuffer over the module's memory itself:
wasm-bindgen, AssemblyScript and Emscripten glue read and write strings and bytes through
it. Here JS runs inside the engine, a wasm module of its own, which can address only its own
linear memory. So wasmtime is given a memory creator (its C API's host memory creator):

- each user module's memory is a `memfd`, mapped into the host reservation wasmtime asks for
  (pages past the current size stay PROT_NONE, so the module's accesses are bounds-checked
  by the hardware exactly as wasmtime's own memories are);
- the same pages are mapped a second time, MAP_SHARED, into a *window*: a range of the
  4 GiB that wasmtime reserves for the engine's memory (Config.memory_reservation), above
  everything the engine may ever use (its maximum, the JS heap limit plus headroom). The engine's compiled code relies on guard pages for bounds, so
  a load from a window address reaches the module's memory. The engine makes an ArrayBuffer
  whose data pointer is the window (glue.c), and JS reads and writes the module's memory
  directly: no copy, no host call per access;
- when a module's memory grows, wasmtime calls `grow` here; it opens more of the module's
  pages and counts a *generation* in the engine's memory, which the engine checks after every
  wasm call to detach the old buffers, as the JS API specifies.

A user module still sees only its own memory (its own reservation); the engine sees user
memories only through their windows, whose pages are the modules' and nothing else. On a
system without `memfd_create` (not Linux), no creator is installed: memories are wasmtime's
own, and reading `buffer` says that live buffers need Linux.
"""

from __future__ import annotations

import ctypes
import os
import threading
from dataclasses import dataclass, field
from typing import Any

from wasmtime import _bindings

PAGE = 65536
ADDRESS_SPACE = 1 << 32  # a 32-bit memory: the engine's windows live below this
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


@dataclass
class EngineMemory:
    """The engine's memory (wasmtime's own allocation): where its 4 GiB reservation starts,
    the most it may grow to, and where its lowest window begins."""

    base: int
    maximum: int
    windows_top: int = ADDRESS_SPACE
    users: list[LinearMemory] = field(default_factory=list)  # memories with a window here


@dataclass
class LinearMemory:
    """One memory wasmtime asked for: `base` is its host address, `size` the bytes open."""

    key: int
    kind: str  # "user" (a module's memory: a memfd, may get a window) or "other"
    base: int
    size: int
    maximum: int
    reservation: int  # bytes reserved at `base`, guard included
    fd: int = -1  # the memfd of a user memory
    window: int | None = None  # its address inside the engine's memory, once mapped there
    engine: EngineMemory | None = None
    generation_at: int = 0  # the engine's generation counter (an engine address), once known
    alive: bool = True


_memories: dict[int, LinearMemory] = {}
_next_key = 1
_lock = threading.Lock()
_context = threading.local()  # .kind: what the next memory is for; .created: where to record it


class WindowUnavailable(Exception):
    """A user memory cannot be seen live from the engine (its window does not fit)."""


def expecting(kind: str, created: list[LinearMemory] | None = None) -> None:
    """Say what the memories wasmtime creates next, on this thread, are for."""
    _context.kind = kind
    _context.created = created


def open_window(memory: LinearMemory, engine: EngineMemory) -> int:
    """Map a user memory into the engine's memory (once); return the engine address."""
    if memory.window is not None:
        return memory.window
    if memory.fd < 0:
        raise WindowUnavailable("this memory was not created by EdgeBox")
    length = _round_up(memory.maximum, PAGE)
    top = engine.windows_top
    start = top - length
    if start < _round_up(engine.maximum, PAGE):
        raise WindowUnavailable(
            "the engine's 4 GiB address space has no room left for it above the JS heap; "
            "lower --heap-limit or --wasm-memory-limit"
        )
    _mmap(engine.base + start, length, PROT_READ_WRITE, MAP_SHARED | MAP_FIXED, memory.fd, 0)
    engine.windows_top = start
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
    maximum[0] = m.maximum
    return m.base


@_bindings.wasmtime_memory_grow_callback_t
def _grow(env: int, new_size: int) -> int:
    m = _memories[env]
    try:
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
        maximum = min(maximum, ADDRESS_SPACE)
        reservation = _round_up(max(reserved, maximum) + guard)
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
            m = LinearMemory(key, kind, base, minimum, maximum, reservation, fd)
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
