"""The running engine: one wasmtime Store holding user modules, the adapter and engine.wasm.

Python's part is set-up only: create the shared memory, instantiate in the order
user modules → adapter → engine (each one's imports exist before it), hand the
engine its modules, then make one call, `edgebox_run`. From there on JS runs in
the engine and wasm exports are reached wasm-to-wasm; no Python function is
registered as an import anywhere, so no call can land in Python.
"""

from __future__ import annotations

import ctypes
import fcntl
import json
import os
import re
import struct
import sys
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple, TypeVar

import wasmtime

from ..cache import cache_dir, store
from ..digest import sha256_hex
from ..errors import BundleError, EdgeBoxError, UsageError, WasmTrap
from ..limits import (
    EXIT_HEAP_LIMIT,
    EXIT_STACK_LIMIT,
    EXIT_TIME_LIMIT,
    EXIT_WASM_MEMORY_LIMIT,
    MAX_HEAP,
    MAX_TABLE_ELEMENTS,
    LimitExceeded,
    Limits,
    cap_module,
    format_size,
    memory_share,
)
from . import memories
from .build import EngineArtifact
from .late_link import LateLinker

T = TypeVar("T")

# The engine's own settings; the compiled-code cache is keyed by them.
# The wasm native stack. Deep JS recursion uses it through QuickJS's interpreter, so
# it must outlast QuickJS's own limit (JS_STACK_BYTES of shadow stack). Sandboxes run
# on a thread with an OS stack of RUN_THREAD_STACK to hold it (run_on_big_stack).
# QuickJS's recursive C functions (its parser, JSON.parse, Array.prototype.flat) check the
# shadow stack only, and their frames take up to ~16x more native stack than shadow stack:
# with 16 MiB, `new Function` of 30,000 nested parentheses or JSON.parse of 100,000 nested
# arrays trapped (uncatchable, the run ended) where they now throw a catchable RangeError.
# 128 MiB is over twice the most any measured case needed (32-48 MiB); it is reserved, not
# used, until a recursion goes that deep (tests/test_limits.py). The cost: a runaway wasm
# recursion touches all of it before its trap (peak RSS 304 MB against 113 MB with 16 MiB).
MAX_WASM_STACK = 128 * 1024 * 1024
RUN_THREAD_STACK = MAX_WASM_STACK + 64 * 1024 * 1024
PYTHON_RECURSION_LIMIT = 20_000  # on the sandbox thread (run_on_big_stack)


@cache
def _config_key(epoch: bool) -> str:
    """Our settings plus the identity of the wasmtime library that compiles the code.

    Serialized machine code only loads into the wasmtime that made it; the shared
    library's size and mtime identify it without importlib.metadata's start-up cost.
    """
    package = os.path.dirname(wasmtime.__file__)
    libs = sorted(  # not Path.glob: its pattern compiler was ~1 ms of every start
        os.path.join(package, sub, name)
        for sub in os.listdir(package)
        if os.path.isdir(os.path.join(package, sub))
        for name in os.listdir(os.path.join(package, sub))
        if name.startswith("_libwasmtime")
    )
    ident = [(os.path.basename(p), os.stat(p).st_size, os.stat(p).st_mtime_ns) for p in libs]
    return f"{ident}/opt=speed/stack={MAX_WASM_STACK}/exceptions/multi-memory/gc/hostmem/epoch={epoch}"


_ENGINES: dict[bool, wasmtime.Engine] = {}
_ENGINES_LOCK = threading.Lock()


def wasm_engine(epoch: bool = False) -> wasmtime.Engine:
    """The wasmtime engine; `epoch` compiles in the interruption checks --time-limit needs.

    The checks cost JS 35–40% (QuickJS's interpreter loop has a
    back-edge per opcode), so code for runs without a time limit is compiled
    without them; docs/performance.md has the numbers. One Engine per setting for
    the whole process, made under a lock: the sandbox thread and the thread that
    ticks the epoch must share it (two Engines would refuse to link each other's
    modules, and a tick of the wrong one would never stop the run).
    """
    with _ENGINES_LOCK:
        if epoch not in _ENGINES:
            _ENGINES[epoch] = _new_engine(epoch)
        return _ENGINES[epoch]


def _new_engine(epoch: bool) -> wasmtime.Engine:
    config = wasmtime.Config()
    # wasmtime refuses a max_wasm_stack above its async stack size, which wasmtime-py
    # does not expose; the C API's setter is in its bindings.
    from wasmtime import _bindings

    _bindings._wasmtime_config_async_stack_size_set(config.ptr(), MAX_WASM_STACK + 1024 * 1024)
    config.cranelift_opt_level = "speed"
    config.max_wasm_stack = MAX_WASM_STACK
    config.wasm_exceptions = True  # JS exceptions unwind through wasm frames (imports.wat.j2)
    config.wasm_multi_memory = True  # the adapter copies between the engine's and user memories
    # externref crosses to JS as an i31ref made extern (link.py REF_HELPERS): GC's types
    config.wasm_function_references = True
    config.wasm_gc = True
    config.epoch_interruption = epoch  # --time-limit: the host ticks the epoch, wasm checks it
    # every 32-bit memory gets all 4 GiB reserved: bounds are checked by guard pages, and a
    # memory never moves when it grows (the engine's holds the windows onto user memories
    # that live memory.buffer maps, memories.py)
    config.memory_reservation = memories.ADDRESS_SPACE
    if memories.install(config.ptr()):
        # copy-on-write images of data segments are for wasmtime's own mmap memories only
        # (with a memory creator it panics: "memory_image is Some only for mmap-based memories")
        config.memory_init_cow = False
    return wasmtime.Engine(config)


def compiled_module(data: bytes, epoch: bool = False, name: str = "a wasm module") -> wasmtime.Module:
    """Compile `data`, or load its machine code from the cache (wasmtime `serialize`)."""
    if not data.startswith(b"\0asm"):  # wasmtime would take other bytes for WAT text
        raise BundleError(f"{name} is not a WebAssembly binary")
    return _cached_or_compiled(sha256_hex(data), lambda: data, epoch, name)


CAP_RULES = 1  # the version of limits.cap_module's rules, in compiled_user_module's key


def compiled_user_module(
    um: UserModule, wasm_memory: int, epoch: bool = False
) -> tuple[bytes, wasmtime.Module]:
    """A user module as the sandbox instantiates it (its memories and tables capped) and its
    machine code. With `um.sha256` (the bundle verified it) the cache key is made from that
    hash and the cap, not from the capped bytes: hashing a snapshot's module, megabytes of
    data segments, cost 10-20 ms on every start."""
    capped = cap_module(um.data, wasm_memory, um.module_id, cap_maximum=not memories.AVAILABLE)
    if not um.cached:
        try:
            return capped, wasmtime.Module(wasm_engine(epoch), capped)
        except wasmtime.WasmtimeError as e:
            raise BundleError(
                f"{um.module_id} is not a valid WebAssembly module: {str(e).strip().splitlines()[0]}"
            ) from None
    if um.sha256 is None:
        return capped, compiled_module(capped, epoch, um.module_id)
    if not capped.startswith(b"\0asm"):
        raise BundleError(f"{um.module_id} is not a WebAssembly binary")
    # what cap_module's output depends on besides the bytes (bump CAP_RULES when its rules change)
    cap = f"{CAP_RULES} {wasm_memory} {not memories.AVAILABLE} {MAX_TABLE_ELEMENTS}"
    key = sha256_hex(f"capped {cap}\0{um.sha256}".encode())
    return capped, _cached_or_compiled(key, lambda: capped, epoch, um.module_id)


def compiled_engine(engine: EngineArtifact, epoch: bool = False) -> wasmtime.Module:
    """The engine's machine code, keyed by the sha256 its artifact records: a start whose
    code is cached neither reads nor hashes engine.wasm's 1.5 MB (2-8 ms)."""

    def wasm() -> bytes:
        data = engine.path.read_bytes()
        if sha256_hex(data) != engine.sha256:
            raise BundleError(f"{engine.path} changed while this program started; run it again")
        return data

    return _cached_or_compiled(engine.sha256, wasm, epoch, "the engine")


def _cached_or_compiled(sha256: str, wasm: Callable[[], bytes], epoch: bool, name: str) -> wasmtime.Module:
    key = sha256_hex(f"{_config_key(epoch)}\0{sha256}".encode())
    path = cache_dir() / "compiled" / f"{key}.cwasm"
    module = _load_intact(path, path.with_suffix(".sha256"), wasm_engine(epoch))
    if module is not None:
        return module
    try:
        module = wasmtime.Module(wasm_engine(epoch), wasm())
    except wasmtime.WasmtimeError as e:
        raise BundleError(
            f"{name} is not a valid WebAssembly module: {str(e).strip().splitlines()[0]}"
        ) from None
    machine_code = bytes(module.serialize())
    if store(path, machine_code):
        _record(path, path.with_suffix(".sha256"), sha256_hex(machine_code), len(machine_code))
    return module


# Cached machine code goes through a sealed memfd: a private copy the kernel makes (no
# page faults in this process, ~2 ms for the engine's 3.3 MB) that wasmtime then maps. Read
# into bytes, wasmtime copies it again into memory of its own and touches every page: 18-40
# ms for the engine on this machine (docs/performance.md). The cache file itself is never
# mapped: another process may truncate it in place, and a mapped file cut short under a
# running program kills it with SIGBUS.
_MEMFD = sys.platform == "linux" and hasattr(os, "memfd_create") and os.path.isdir("/proc/self/fd")
_SEALS = fcntl.F_SEAL_SHRINK | fcntl.F_SEAL_GROW | fcntl.F_SEAL_WRITE | fcntl.F_SEAL_SEAL if _MEMFD else 0


def _load_intact(path: Path, digest_path: Path, engine: wasmtime.Engine) -> wasmtime.Module | None:
    """A cached .cwasm's machine code if it is byte for byte what was written there, else None.

    wasmtime trusts serialized machine code as it would its own output, so a file
    damaged on disk must never reach it. The sidecar records the sha256 and the
    file's stat (size, inode, mtime, ctime) at writing time. Any write to the file
    since changes its ctime, which no user-level tool can set back, and then the
    bytes are hashed (~3 ms for the engine's 3 MB); a stat unchanged before and after
    the copy skips the hash, as git's index does. The copy must have the recorded size.
    A file that is not machine code for this wasmtime (another build) is None too.
    """
    try:
        record = json.loads(digest_path.read_bytes())
        with open(path, "rb") as f:
            stat = _stat_key(os.fstat(f.fileno()))
            size = record["stat"][0]
            if stat[0] != size:
                return None  # cut short (or grown) since it was recorded
            if not _MEMFD:
                data = f.read()
                if len(data) != size or (record["stat"] != stat and sha256_hex(data) != record["sha256"]):
                    return None
                if record["stat"] != stat:
                    _record(path, digest_path, record["sha256"], size)  # a copied cache
                return wasmtime.Module.deserialize(engine, data)
            fd = os.memfd_create("edgebox-cwasm", os.MFD_CLOEXEC | os.MFD_ALLOW_SEALING)
            try:
                copied = 0
                while copied < size:
                    n = os.sendfile(fd, f.fileno(), copied, size - copied)
                    if n == 0:
                        return None  # cut short while copying
                    copied += n
                unchanged = record["stat"] == stat == _stat_key(os.fstat(f.fileno()))
                if not unchanged:
                    if sha256_hex(os.pread(fd, size + 1, 0)) != record["sha256"]:
                        return None
                    _record(path, digest_path, record["sha256"], size)  # same bytes, new stat
                fcntl.fcntl(fd, fcntl.F_ADD_SEALS, _SEALS)
                return wasmtime.Module.deserialize_file(engine, f"/proc/self/fd/{fd}")
            except OSError:
                pass  # a kernel that cannot sendfile or seal here: the copy below still works
            finally:
                os.close(fd)
            f.seek(0)
            data = f.read()
            if len(data) != size or sha256_hex(data) != record["sha256"]:
                return None
            return wasmtime.Module.deserialize(engine, data)
    except wasmtime.WasmtimeError:
        return None  # from another wasmtime build: recompile and replace it
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        return None  # absent, empty or unreadable: compile afresh


def _stat_key(st: os.stat_result) -> list[int]:
    return [st.st_size, st.st_ino, st.st_mtime_ns, st.st_ctime_ns]


def _record(path: Path, digest_path: Path, sha256: str, size: int) -> None:
    try:
        stat = _stat_key(path.stat())
    except OSError:
        return
    if stat[0] == size:
        store(digest_path, json.dumps({"sha256": sha256, "stat": stat}).encode())


EPOCH_TICK = 0.01  # seconds per epoch tick while a time limit is set

# How long after its time limit a run may go on before the host gives up on it: wasm
# is stopped by the epoch check within a tick, so a run still going this long after
# its limit is blocked in a host call (a WASI poll_oneoff sleep, a read that waits).
DEADLINE_GRACE = 0.5

_deadlines: dict[int, float] = {}  # sandbox thread id → when its time limit runs out (monotonic)


def arm_deadline(store: wasmtime.Store, seconds: float) -> None:
    """Start the time limit of the run on this thread: wasm is interrupted `seconds` from
    now (epoch ticks), and run_on_big_stack stops waiting for the thread a little later."""
    store.set_epoch_deadline(int(seconds / EPOCH_TICK) + 1)
    _deadlines[threading.get_ident()] = time.monotonic() + seconds


class DeadlinePassed(Exception):
    """The run's thread is still busy well past its time limit (blocked in a host call)."""


def run_on_big_stack(fn: Callable[[], T], ticking: bool = False) -> T:
    """Call `fn` on a thread whose OS stack holds MAX_WASM_STACK of wasm frames.

    The main thread's stack (8 MiB by default) is smaller than the wasm stack the
    engine is allowed; running out of it would crash the process instead of trapping.
    With `ticking`, this thread ticks the epoch that time limits count, and raises
    DeadlinePassed if `fn` is still running DEADLINE_GRACE after its deadline: the
    thread (a daemon) is then left behind, stuck where no check can reach it.
    """
    result: list[T] = []
    error: list[BaseException] = []

    def body() -> None:
        # In --trap-mode=exception every JS -> wasm call nests a few Python frames: the
        # default limit (1000) would stop JS <-> wasm recursion ~200 calls deep. This
        # thread's stack holds the engine's own limit (~1000 such calls) instead.
        old_limit = sys.getrecursionlimit()
        sys.setrecursionlimit(max(old_limit, PYTHON_RECURSION_LIMIT))
        try:
            result.append(fn())
        except BaseException as e:  # handed to the calling thread as is
            error.append(e)
        finally:
            sys.setrecursionlimit(old_limit)

    old = threading.stack_size(RUN_THREAD_STACK)
    try:
        t = threading.Thread(target=body, name="edgebox-sandbox", daemon=True)
        t.start()
    finally:
        threading.stack_size(old)
    epoch_engine = wasm_engine(True) if ticking else None
    try:
        while t.is_alive():
            t.join(EPOCH_TICK if ticking else 0.1)  # a timed wait keeps Ctrl-C working
            if epoch_engine is not None:
                epoch_engine.increment_epoch()
                expires = _deadlines.get(t.ident or 0)
                if expires is not None and time.monotonic() > expires + DEADLINE_GRACE and t.is_alive():
                    raise DeadlinePassed()
    finally:
        _deadlines.pop(t.ident or 0, None)
    if error:
        raise error[0]
    return result[0]


class UserModule(NamedTuple):  # not a dataclass: see errors.SourceSpan
    """A user wasm module to instantiate, under its bundle id, with what each import binds to.

    `imports` has one entry per import of the module, in order: ("wasi", name),
    ("js", trampoline id) or ("wasm", exporting module id, export name).
    """

    module_id: str
    data: bytes
    imports: tuple[tuple[str, ...], ...] = ()
    memory: str | None = None  # its first exported memory, to tell when the memory limit ended a run
    reactor: bool = False  # exports _initialize (a WASI reactor): called before anything else
    sha256: str | None = None  # of `data`, when the bundle verified it (compiled_user_module)
    cached: bool = True  # False: compiled for this sandbox only (a snapshot's instrumented copy)


class TrapContext(NamedTuple):
    """Names the sandbox needs to explain a trap: slot number → (module id, export), and
    trampoline id → the JS function a wasm module imports through it."""

    funcs: Mapping[int, tuple[str, str]]
    js_imports: Mapping[int, str] = MappingProxyType({})


# QuickJS's own stack limit (bytes of C shadow stack). Measured so that it fires
# before the 1 MiB wasm native stack runs out: see tests/test_limits.py.
JS_STACK_BYTES = 4 * 1024 * 1024 - 256 * 1024

# The engine's memory may grow this much past the JS heap limit: shadow stack, data,
# allocator slack.
ENGINE_MEMORY_HEADROOM = 64 * 1024 * 1024

# The stack the trampolines use for wasm → JS call arguments, in engine memory: room for
# ~1,000 nested calls (as deep as the wasm stack lets JS <-> wasm recursion go) of 128
# arguments each; past it, the engine's stack-limit RangeError.
IMPORT_STACK_BYTES = 1024 * 1024


class Permissions(NamedTuple):
    """What WASI gives user modules beyond stdout and stderr. Deny by default.

    Directories are preopened under the path as given (`--allow-read=data` is
    `data` inside the sandbox); read-only ones cannot be written, created in or
    removed from. `env` passes the host environment through.
    """

    read: tuple[str, ...] = ()
    write: tuple[str, ...] = ()
    env: bool = False

    def to_json(self) -> dict[str, object]:
        return {"read": list(self.read), "write": list(self.write), "env": self.env}

    @staticmethod
    def checked(
        read: Sequence[str],
        write: Sequence[str],
        env: bool,
        names: tuple[str, str] = ("--allow-read", "--allow-write"),
    ) -> Permissions:
        """Permissions from flags (or API arguments named `names`), each directory checked."""
        for name, dirs in zip(names, (read, write), strict=True):
            if isinstance(dirs, str):
                raise UsageError(f"{name}: give a list of directories, not one string")
            for d in dirs:
                if d == "":
                    # an unset $DIR in `--allow-read=$DIR` would otherwise grant the working directory
                    raise UsageError(f"{name}: the directory is empty; name it (use {name}=. for this one)")
                try:
                    d.encode("utf-8")
                except UnicodeEncodeError:  # WASI names a preopened directory in UTF-8
                    shown = os.fsencode(d).decode("utf-8", "backslashreplace")
                    raise UsageError(
                        f"{name}: {shown}: a directory name must be UTF-8 to be granted"
                    ) from None
                if not Path(d).is_dir():
                    raise UsageError(f"{name}: {d} is not a directory")
        return Permissions(tuple(read), tuple(write), env)

    def flags(self) -> list[str]:
        return (
            [f"--allow-read={d}" for d in self.read]
            + [f"--allow-write={d}" for d in self.write]
            + (["--allow-env"] if self.env else [])
        )


def _wasi_config(
    permissions: Permissions, quiet: bool = False, capture: tuple[str, str] | None = None
) -> wasmtime.WasiConfig:
    """stdin, stdout and stderr (the process's; with `capture`, files for the output and no
    input), plus only what `permissions` grants: no arguments."""
    wasi = wasmtime.WasiConfig()
    if capture is not None:
        wasi.stdout_file, wasi.stderr_file = capture
    elif not quiet:
        wasi.inherit_stdin()  # process.stdin and fs.readFileSync(0) (engine/web/fs.js)
        wasi.inherit_stdout()
        wasi.inherit_stderr()
    if permissions.env:
        wasi.inherit_env()
    # Each directory under its name as given, its absolute path and its path relative to the
    # working directory, so that a program reaches a granted file by any of them, as it would
    # outside the sandbox.
    # A directory granted both ways is writable under every name either flag gives it
    # (`--allow-read=data --allow-write=./data`): a read-only preopen of the same absolute name
    # would shadow the writable one and refuse the writes that were granted.
    writable = {Path(d).resolve() for d in permissions.write}
    done: set[str] = set()
    for d, mutable in [*((d, True) for d in permissions.write), *((d, False) for d in permissions.read)]:
        resolved = Path(d).resolve()
        for name in _guest_names(d):
            if name not in done:
                done.add(name)
                wasi.preopen_dir(str(resolved), name, mutable or resolved in writable)
    return wasi


def _guest_names(directory: str) -> list[str]:
    absolute, cwd = Path(directory).resolve(), Path.cwd().resolve()
    names = [directory, absolute.as_posix()]
    if absolute.is_relative_to(cwd):
        names.append(absolute.relative_to(cwd).as_posix())
    return list(dict.fromkeys(names))


class Sandbox:
    """engine.wasm plus the user modules and adapter of one bundle, linked in one Store."""

    def __init__(
        self,
        engine: EngineArtifact,
        adapter: bytes,
        user_modules: Sequence[UserModule] = (),
        trap_context: TrapContext | None = None,
        imports_module: bytes | None = None,
        trap_mode: str = "abort",
        permissions: Permissions | None = None,
        limits: Limits | None = None,
        quiet: bool = False,
        capture: tuple[str, str] | None = None,
        memory_slots: dict[int, tuple[str, str]] | None = None,
        bundled_counts: tuple[int, int] = (0, 0),
        bundled_wasm: Callable[[str], bytes] | None = None,
        bundled_wasm_ids: Sequence[str] = (),
        bundled_assets: Callable[[str], bytes] | None = None,
        bundled_asset_ids: Sequence[str] = (),
        source_maps: dict[str, str] | None = None,
        bundled_file: Callable[[str], bytes] | None = None,
    ):
        """`memory_slots`: each exported memory JS reaches, by its memory.size slot → (module, export).
        `bundled_counts`: the link plan's slots and JS imports; run-time instances number theirs on.
        `bundled_wasm`: a wasm module's bytes in the bundle by its id (for `import source`), and
        `bundled_wasm_ids` the ids it has; `bundled_assets` a file the bundle carries, by id, and
        `bundled_asset_ids` the ids it has. `source_maps`: the archive file of each JS module's
        source-map table (sourcemap.py), read through `bundled_file` when a stack is mapped."""
        self.source_maps = dict(source_maps or {})
        self._bundled_file = bundled_file
        self._map_tables: dict[str, Any] = {}  # module id → sourcemap.Table, read when first needed
        self._bundled_wasm = bundled_wasm
        self.bundled_wasm_ids = tuple(bundled_wasm_ids)
        self._bundled_assets = bundled_assets
        self.bundled_asset_ids = frozenset(bundled_asset_ids)
        self.trap_context = trap_context or TrapContext({})
        self.trap_mode = trap_mode
        self.limits = limits = limits or Limits()
        self.epoch = limits.time is not None
        self.store = wasmtime.Store(wasm_engine(self.epoch))
        self.permissions = permissions or Permissions()
        self.store.set_wasi(_wasi_config(self.permissions, quiet, capture))
        linker = wasmtime.Linker(wasm_engine(self.epoch))
        linker.define_wasi()
        self.wasi = linker  # WASI's functions, for modules instantiated while the program runs
        # Compile (or load from the cache) everything first: the time limit counts the
        # program, from its first instantiation on, not how long compiling takes.
        engine_module = compiled_engine(engine, self.epoch)
        imports_compiled = compiled_module(
            imports_module or bytes(wasmtime.wat2wasm(EMPTY_IMPORTS_WAT)), self.epoch, "link/imports.wasm"
        )
        self.user_bytes: list[bytes] = []  # as instantiated (memories capped), for trap offsets
        users_compiled = []
        for um in user_modules:
            capped, compiled = compiled_user_module(um, limits.wasm_memory, self.epoch)
            self.user_bytes.append(capped)
            users_compiled.append(compiled)
        adapter_module = compiled_module(adapter, self.epoch, "link/adapter.wasm")
        if limits.time:
            arm_deadline(self.store, limits.time)
        memory_import = next(i for i in engine_module.imports if i.name == "memory")
        assert isinstance(memory_import.type, wasmtime.MemoryType)
        # The JS heap lives here: bound it a little above the heap limit, so that
        # allocation outside QuickJS's own accounting cannot grow without end either.
        # ... and, with live buffers, a window onto each exported user memory JS reaches
        # (and two more, for memories of modules instantiated while the program runs)
        windows = (len({mod for mod, _ in (memory_slots or {}).values()}) + 2) * limits.wasm_memory
        engine_bytes = limits.heap + ENGINE_MEMORY_HEADROOM + (windows if memories.AVAILABLE else 0)
        engine_pages = min(engine_bytes, memories.ADDRESS_SPACE) // 65536
        self.memory = wasmtime.Memory(
            self.store,
            wasmtime.MemoryType(
                wasmtime.Limits(
                    memory_import.type.limits.min, max(engine_pages, memory_import.type.limits.min)
                )
            ),
        )
        # wasmtime's own allocation, 4 GiB reserved (memory_reservation); windows onto user
        # memories are mapped over blocks the engine allocates inside it (memories.open_window)
        base = ctypes.cast(self.memory.data_ptr(self.store), ctypes.c_void_p).value or 0
        self.engine_memory = memories.EngineMemory(base) if memories.AVAILABLE else None
        # slot 0 is filled with the engine's edgebox_call_js once the engine exists
        self.late = wasmtime.Table(
            self.store, wasmtime.TableType(wasmtime.ValType.funcref(), wasmtime.Limits(1, 1)), None
        )
        imports_instance = _link(
            "link/imports.wasm",
            lambda: wasmtime.Instance(self.store, imports_compiled, [self.memory, self.late]),
        )
        # The instances the adapter and user modules import from, by link name: the
        # imports module, the shared memory, and user module i as "m{i}". Looked up
        # through a Linker: wasmtime's C API reads an instance's exports one by one in
        # O(n) each, so building a name map of a module with 10,000 exports took seconds.
        self.links = wasmtime.Linker(wasm_engine(self.epoch))
        self.links.define_instance(self.store, "edgebox_imports", imports_instance)
        self.links.define(self.store, "env", "memory", self.memory)
        self.links.define(self.store, "edgebox", "late", self.late)
        self.late_link = LateLinker(self, *bundled_counts)
        self.links.define(self.store, "edgebox", "late_cases", self.late_link.cases)
        self.link_names = {um.module_id: f"m{i}" for i, um in enumerate(user_modules)}
        # each user module's exported memory, with its size in pages when instantiated
        self.user_memories: dict[str, tuple[wasmtime.Memory, int]] = {}
        self.user_linear: dict[str, list[memories.LinearMemory]] = {}  # those memories.py made
        for um, compiled in zip(user_modules, users_compiled, strict=True):
            self._instantiate_user(linker, um, compiled)
        adapter_instance = _link(
            "link/adapter.wasm", lambda: self.links.instantiate(self.store, adapter_module)
        )
        linker.define(self.store, "env", "memory", self.memory)
        invoke = _need(adapter_instance.exports(self.store), "invoke", "link/adapter.wasm")
        if not isinstance(invoke, wasmtime.Func):
            raise BundleError("link/adapter.wasm: its export 'invoke' is not a function")
        if trap_mode == "exception":
            # Every JS -> wasm call passes through this host function, so that a trap
            # stops here, in Python, instead of unwinding the engine: it becomes a
            # catchable WebAssembly.RuntimeError. It costs a host round trip per call.
            linker.define(self.store, "edgebox_adapter", "invoke", self._trap_catching(invoke))
        else:
            linker.define(self.store, "edgebox_adapter", "invoke", invoke)
        linker.define(self.store, "edgebox_host", "request", self._host_request())
        self.instance = _link("the engine", lambda: linker.instantiate(self.store, engine_module))
        self._exports = self.instance.exports(self.store)
        self._call("_initialize")
        self.late.set(self.store, 0, self._exports["edgebox_call_js"])
        base = self._address("edgebox_alloc", IMPORT_STACK_BYTES)
        sp = self._linked("edgebox_imports", "sp", "link/imports.wasm")
        limit = self._linked("edgebox_imports", "limit", "link/imports.wasm")
        try:
            limit.set_value(self.store, wasmtime.Val.i32(base))
            sp.set_value(self.store, wasmtime.Val.i32(base + IMPORT_STACK_BYTES))
        except (AttributeError, wasmtime.WasmtimeError):
            raise BundleError("link/imports.wasm: 'sp' and 'limit' must be mutable i32 globals") from None
        self.generation_address = self._address("edgebox_generation_ptr")
        self._open_windows(memory_slots or {})

    def _open_windows(self, memory_slots: dict[int, tuple[str, str]]) -> None:
        """Give the engine a window onto every exported memory JS reaches (memories.py)."""
        generation = self.generation_address
        for size_slot, (mod_id, export) in sorted(memory_slots.items()):
            window, reason = 0, 1  # 1: no memory creator here (not Linux)
            memory = self._linked(self.link_names.get(mod_id, ""), export, mod_id)
            linear = None
            if isinstance(memory, wasmtime.Memory) and self.engine_memory is not None:
                base = ctypes.cast(memory.data_ptr(self.store), ctypes.c_void_p).value or 0
                linear = memories.by_base(base)
            if linear is not None and self.engine_memory is not None:
                try:
                    window = memories.open_window(
                        linear,
                        self.engine_memory,
                        self.grow_engine,
                        lambda: self.memory.size(self.store) * 65536,
                    )
                    linear.generation_at = generation
                except memories.WindowUnavailable:
                    reason = 2
            self._call("edgebox_set_window", size_slot, window, reason)

    def bundled_wasm(self, module_id: str) -> bytes:
        """The bytes of a wasm module in the bundle; KeyError when there is none by that id."""
        if self._bundled_wasm is None:
            raise KeyError(module_id)
        return self._bundled_wasm(module_id)

    def source_map_table(self, module_id: str) -> bytes:
        """A module's source-map table as the bundle holds it (JSON), for the engine's mapStack."""
        if module_id not in self.source_maps or self._bundled_file is None:
            raise KeyError(module_id)
        return self._bundled_file(self.source_maps[module_id])

    def _mapped_stack(self, text: str) -> str:
        """A stack QuickJS formatted, with the frames of modules that have maps mapped."""
        if not self.source_maps:
            return text
        from ..sourcemap import Table, map_stack  # only a run with maps that traps needs it

        for module_id in self.source_maps:
            if module_id not in self._map_tables and f"({module_id}:" in text:
                self._map_tables[module_id] = Table.from_json(self.source_map_table(module_id))
        return map_stack(text, self._map_tables)

    def bundled_asset(self, asset_id: str) -> bytes:
        """A file the bundle carries for `new URL("./x", import.meta.url)`; KeyError if none."""
        if self._bundled_assets is None:
            raise KeyError(asset_id)
        return self._bundled_assets(asset_id)

    def grow_engine(self, n: int) -> int:
        """Grow the engine's memory by n bytes (whole pages) for a window: where they start, or 0."""
        return self._address("edgebox_alloc_window", n)

    def _host_request(self) -> wasmtime.Func:
        """The engine's `edgebox_host.request`: the WebAssembly JS API's compiles and
        instantiations, answered by late_link.py. Called only for those, never on a call."""
        i32 = wasmtime.ValType.i32()

        untaken: list[bytes] = []  # an answer too long for the engine's buffer: asked for again

        def request(req: int, length: int, out: int, cap: int) -> int:
            store = self.store
            req, out = req & 0xFFFF_FFFF, out & 0xFFFF_FFFF
            # the second ask, with room, gets the answer already made: instantiating twice
            # would make a second instance
            answer = (
                untaken.pop()
                if untaken
                else self.late_link.answer(bytes(self.memory.read(store, req, req + length)))
            )
            if len(answer) <= cap:
                self.memory.write(store, answer, out)
            else:
                untaken.append(answer)
            return len(answer)

        return wasmtime.Func(self.store, wasmtime.FuncType([i32, i32, i32, i32], [i32]), request)

    def _trap_catching(self, invoke: wasmtime.Func) -> wasmtime.Func:
        store = self.store
        i32 = wasmtime.ValType.i32()
        sp = self._linked("edgebox_imports", "sp", "link/imports.wasm")

        def call(slot: int, ptr: int) -> int:
            # A trap unwinds the trampolines without their epilogues: their argument stack
            # pointer is put back here, or every caught trap would leak its frames.
            saved_sp = sp.value(store)
            try:
                return int(invoke(store, slot, ptr))
            except wasmtime.Trap as trap:
                code = trap.trap_code.name if trap.trap_code is not None else ""
                if code == "INTERRUPT":
                    raise  # the time limit: not the program's to catch
                if code == "STACK_OVERFLOW":
                    sp.set_value(store, wasmtime.Val.i32(saved_sp))
                    return 3  # a RangeError, as V8 throws for it, and the stack limit if uncaught
                message = js_trap_message(trap, self.user_bytes)
            except wasmtime.ExitTrap:
                raise  # proc_exit ends the program, caught or not
            except wasmtime.WasmtimeError as e:  # a WASI call refused the module's pointers
                message = f"WASI call failed: {_error_cause(e)}"
            except (RecursionError, ctypes.ArgumentError) as e:
                # JS -> wasm -> JS ... nested past the host's recursion limit: as deep a
                # recursion as the engine's stack limit, and reported as one
                if isinstance(e, ctypes.ArgumentError) and "RecursionError" not in str(e):
                    raise
                sp.set_value(store, wasmtime.Val.i32(saved_sp))
                return 3
            sp.set_value(store, wasmtime.Val.i32(saved_sp))
            buf = self._address("edgebox_trap_buffer")
            size = self._address("edgebox_trap_buffer_size")
            self.memory.write(store, message.encode()[: size - 1] + b"\0", buf)
            return 2

        return wasmtime.Func(store, wasmtime.FuncType([i32, i32], [i32]), call)

    def _instantiate_user(
        self, linker: wasmtime.Linker, um: UserModule, compiled: wasmtime.Module
    ) -> wasmtime.Instance:
        externs: list[Any] = []
        for binding in um.imports:
            if binding[0] == "wasi":
                try:
                    externs.append(linker.get(self.store, "wasi_snapshot_preview1", binding[1]))
                except wasmtime.WasmtimeError:
                    raise EdgeBoxError(
                        f"{um.module_id} imports {binding[1]!r} from wasi_snapshot_preview1, "
                        "which WASI preview 1 does not provide"
                    ) from None
            elif binding[0] == "js":
                externs.append(self._linked("edgebox_imports", f"j{binding[1]}", "link/imports.wasm"))
            else:  # the manifest check ensures the exporting module came first
                externs.append(self._linked(self.link_names.get(binding[1], ""), binding[2], binding[1]))
        try:
            # its memories get a memfd (for a window) and their share of the memory limit
            created: list[memories.LinearMemory] = []
            memories.expecting("user", created, memory_share(um.data, self.limits.wasm_memory))
            try:
                instance = wasmtime.Instance(self.store, compiled, externs)
            finally:
                memories.expecting("other")
                self.user_linear[um.module_id] = created
            self.links.define_instance(self.store, self.link_names[um.module_id], instance)
            if um.memory is not None:
                memory = self._linked(self.link_names[um.module_id], um.memory, um.module_id)
                if isinstance(memory, wasmtime.Memory):
                    self.user_memories[um.module_id] = (memory, memory.size(self.store))
            if um.reactor:
                init = self._linked(self.link_names[um.module_id], "_initialize", um.module_id)
                if isinstance(init, wasmtime.Func):
                    init(self.store)  # a WASI reactor: run its constructors before anything else
            return instance
        except wasmtime.Trap as e:
            if e.trap_code is not None and e.trap_code.name == "INTERRUPT" and self.limits.time:
                raise self._time_limit(f"the start function of {um.module_id} did not finish") from None
            tramp = _trampoline_called(e)
            if tramp is not None:
                js = self.trap_context.js_imports.get(tramp, "a JS function it imports")
                raise WasmTrap(
                    f"{um.module_id}: its start function called {js}, "
                    "but JS is not running yet while wasm start functions run",
                    hint="export an init function and call it from JS instead of using a start function",
                ) from None
            raise WasmTrap(f"{um.module_id}: its start function trapped: {_trap_reason(e)}") from None
        except wasmtime.ExitTrap as e:
            raise WasmTrap(
                f"{um.module_id}: its start function ended the program (WASI proc_exit({e.code}))"
            ) from None
        except wasmtime.WasmtimeError as e:
            raise EdgeBoxError(f"cannot instantiate {um.module_id}: {_error_cause(e)}") from None

    def _linked(self, link_name: str, export: str, owner: str) -> Any:
        """An export of an instantiated user module, which the link plan relies on."""
        try:
            return self.links.get(self.store, link_name, export)
        except wasmtime.WasmtimeError:
            raise BundleError(
                f"the bundle's link plan needs {export!r} from {owner}, which does not provide it"
            ) from None

    def _call(self, name: str, *args: int) -> int:
        func = self._exports[name]
        assert isinstance(func, wasmtime.Func)
        result = func(self.store, *args)
        return int(result) if result is not None else 0

    def _address(self, name: str, *args: int) -> int:
        """An engine function that returns a pointer or a size: unsigned, as C has it. wasmtime
        gives i32 results signed, and Memory.read/write take a negative start as counted from
        the end, so an address at or above 2 GiB would reach somewhere else."""
        return self._call(name, *args) & 0xFFFF_FFFF

    def _write(self, data: bytes) -> int:
        """Copy bytes (plus a NUL) into engine memory; the engine owns the allocation."""
        ptr = self._address("edgebox_alloc", len(data) + 1)
        if ptr == 0:  # malloc failed: the engine's memory is at its maximum
            raise LimitExceeded(
                "JS heap limit", format_size(self.limits.heap), f"--heap-limit={format_size(self.limits.heap * 2)}",
                EXIT_HEAP_LIMIT, f"the engine could not hold {(len(data) + 1) / 1048576:.1f} MiB of the program's modules",
            )  # fmt: skip
        self.memory.write(self.store, data + b"\0", ptr)
        return ptr

    def _result(self) -> bytes:
        ptr = self._address("edgebox_result_ptr")
        n = self._address("edgebox_result_len")
        return bytes(self.memory.read(self.store, ptr, ptr + n))

    def init(
        self,
        resolve: dict[str, dict[str, str]],
        args: Sequence[str] = (),
        js_stack: int = 0,
        unbundled: dict[str, dict[str, str]] | None = None,
    ) -> None:
        """Start the JS runtime: resolution map, scriptArgs, heap limit, time limit, and why
        each import() the bundle left out fails (importer → specifier → reason)."""
        config = self._run_config(resolve, args, unbundled)
        ptr = self._write(config)
        if self._call("edgebox_init", ptr, len(config), self.limits.heap, js_stack or JS_STACK_BYTES):
            raise EdgeBoxError("the engine failed to start: " + self._result().decode(errors="replace"))
        self._call("edgebox_free", ptr)

    def _run_config(self, resolve: dict[str, dict[str, str]], args: Sequence[str], unbundled: Any) -> bytes:
        time_ms = self.limits.time * 1000 if self.limits.time else 0
        return json.dumps(
            {
                "resolve": resolve,
                "unbundled": unbundled or {},
                "args": list(args),
                "time_limit_ms": time_ms,
                "env": self.permissions.env,  # process.env: readable only with --allow-env
                **({"source_maps": sorted(self.source_maps)} if self.source_maps else {}),
            }
        ).encode()

    # ---- snapshots (bundler/snapshot.py) ----

    def preinit(self, name: str) -> tuple[int, str]:
        """Evaluate module `name` and what it imports, running no event loop: 0, or the engine's
        reason the state cannot be snapshotted (glue.c edgebox_preinit), with its text."""
        ptr = self._write(name.encode())
        code = self._call("edgebox_preinit", ptr)
        self._call("edgebox_free", ptr)
        return code, self._result().decode("utf-8", errors="replace")

    def stack_probe(self) -> int:
        """Where the engine's shadow stack is when the host calls in (glue.c)."""
        return self._address("edgebox_stack_probe")

    def import_stack_base(self) -> int:
        """The argument stack of the wasm → JS trampolines, allocated when the engine started."""
        limit = self._linked("edgebox_imports", "limit", "link/imports.wasm")
        return int(limit.value(self.store)) & 0xFFFF_FFFF

    def set_import_stack_base(self, base: int) -> None:
        """Point the trampolines' argument stack at `base` (a block a restored image allocated)."""
        sp = self._linked("edgebox_imports", "sp", "link/imports.wasm")
        limit = self._linked("edgebox_imports", "limit", "link/imports.wasm")
        limit.set_value(self.store, wasmtime.Val.i32(base))
        sp.set_value(self.store, wasmtime.Val.i32(base + IMPORT_STACK_BYTES))

    def windows(self) -> list[tuple[int, int]]:
        """The windows onto user memories in the engine's memory: (engine address, bytes)."""
        if self.engine_memory is None:
            return []
        return [
            (m.window, max(-(-m.maximum // 65536), 1) * 65536)
            for m in self.engine_memory.users
            if m.window is not None
        ]

    def memory_pages(self) -> tuple[int, int | None]:
        """The engine memory's size and maximum, in 64 KiB pages."""
        return self.memory.size(self.store), self.memory.type(self.store).limits.max

    def read_memory(self, start: int, end: int) -> bytes:
        return bytes(self.memory.read(self.store, start, end))

    def restore_memory(
        self, pages: int, runs: Sequence[tuple[int, int]], image: bytes, block: int = 65536
    ) -> None:
        """Grow the engine memory to `pages` and copy in `image`, the runs of `block`-sized
        blocks listed (the blocks not listed are zero, as fresh pages are). One memmove per run
        straight from the bundle's bytes: Memory.write copies its argument into a bytearray first."""
        size = self.memory.size(self.store)
        if pages > size:
            self.memory.grow(self.store, pages - size)
        if sum(count for _, count in runs) * block != len(image) or any(
            (first + count) * block > self.memory.size(self.store) * 65536 for first, count in runs
        ):
            raise BundleError("the snapshot's block list does not match its image")
        base = ctypes.cast(self.memory.data_ptr(self.store), ctypes.c_void_p).value or 0
        source = ctypes.cast(ctypes.c_char_p(image), ctypes.c_void_p).value or 0
        offset = 0
        for first, count in runs:
            n = count * block
            ctypes.memmove(base + first * block, source + offset, n)
            offset += n

    def rearm(self, args: Sequence[str] = ()) -> None:
        """After a restore: this run's arguments, permissions, heap, stack and time limits,
        and a fresh Math.random seed (glue.c edgebox_rearm)."""
        config = self._run_config({}, args, None)
        ptr = self._write(config)
        if self._call("edgebox_rearm", ptr, len(config), self.limits.heap, JS_STACK_BYTES):
            raise EdgeBoxError(
                "the snapshot could not be restored: " + self._result().decode(errors="replace")
            )
        self._call("edgebox_free", ptr)

    def compile(self, name: str, source: str) -> bytes | str:
        """Module source → QuickJS bytecode, or the compile error text."""
        name_ptr = self._write(name.encode())
        src = source.encode("utf-8")
        src_ptr = self._write(src)
        failed = self._call("edgebox_compile", name_ptr, src_ptr, len(src))
        self._call("edgebox_free", name_ptr)
        self._call("edgebox_free", src_ptr)
        out = self._result()
        return out.decode("utf-8", errors="replace") if failed else out

    def compile_many(self, modules: Sequence[tuple[str, str]]) -> list[bytes | str]:
        """`compile` for each (name, source), in one call into the engine: the bytecode of
        each, in order, up to and including the first that fails (its error text)."""
        if not modules:
            return []
        frame = _framed((name, source.encode("utf-8"), False) for name, source in modules)
        self._call_framed("edgebox_compile_many", frame, "ran out of memory compiling the program's modules")
        out = self._result()
        results: list[bytes | str] = []
        at = 0
        while at < len(out):
            failed, n = struct.unpack_from("<II", out, at)
            data = out[at + 8 : at + 8 + n]
            results.append(data.decode("utf-8", errors="replace") if failed else data)
            at += 8 + n
        return results

    def add_modules(self, modules: Iterable[tuple[str, bytes, bool]]) -> None:
        """`add_module` for each (name, data, is_bytecode), in one call into the engine (one
        call costs tens of microseconds here; four per module were 0.1-0.2 s for 946)."""
        frame = _framed(modules)
        if frame:
            self._call_framed("edgebox_add_modules", frame, "could not hold the program's modules")

    def _call_framed(self, export: str, frame: bytes, failure: str) -> None:
        """Hand `frame` (_framed's records) to the engine's `export`; a failure there is the
        heap running out ("the engine " + `failure`)."""
        ptr = self._write(frame)
        status = self._call(export, ptr, len(frame))
        self._call("edgebox_free", ptr)
        if status != 0:
            raise LimitExceeded(
                "JS heap limit", format_size(self.limits.heap), f"--heap-limit={format_size(self.limits.heap * 2)}",
                EXIT_HEAP_LIMIT, f"the engine {failure}",
            )  # fmt: skip

    def add_module(self, name: str, data: bytes, is_bytecode: bool) -> None:
        name_ptr = self._write(name.encode())
        data_ptr = self._write(data)
        self._call("edgebox_add_module", name_ptr, data_ptr, len(data), int(is_bytecode))
        self._call("edgebox_free", name_ptr)

    def run(self, entry: str) -> int:
        """Run the entry module and everything it starts; returns the exit code."""
        entry_ptr = self._write(entry.encode())
        try:
            code = self._call("edgebox_run", entry_ptr)
        except wasmtime.ExitTrap as e:  # WASI proc_exit (C's exit()): the program's exit status
            sys.stdout.flush()
            return e.code & 0xFF
        except wasmtime.WasmtimeError as e:  # a WASI call refused the module's pointers
            raise self._explain_trap(None, f"a WASI call failed: {_error_cause(e)}") from None
        except wasmtime.Trap as e:
            if e.trap_code is not None and e.trap_code.name == "INTERRUPT":
                raise self._time_limit() from None
            if self._memory_at_limit():
                raise self._memory_limit(
                    f", and the run ended with: {self._explain_trap(e).message}"
                ) from None
            if e.trap_code is not None and e.trap_code.name == "STACK_OVERFLOW":
                err = self._explain_trap(e)
                err.exit_code = EXIT_STACK_LIMIT
                err.hint = (
                    f"stack limit reached ({format_size(MAX_WASM_STACK)} of wasm stack): a recursion "
                    "that does not end needs a base case, not more stack"
                )
                raise err from None
            raise self._explain_trap(e) from None
        if code >= 256:  # process.exitCode: the program's own status, whatever its number
            sys.stdout.flush()
            return code - 256
        if code == EXIT_HEAP_LIMIT:
            sys.stdout.flush()
            raise LimitExceeded(
                "JS heap limit", format_size(self.limits.heap), f"--heap-limit={format_size(self.limits.heap * 2)}",
                EXIT_HEAP_LIMIT,
            )  # fmt: skip
        if code == EXIT_STACK_LIMIT:
            raise LimitExceeded(
                "stack limit", "JS recursion about 11,000 calls deep", "", EXIT_STACK_LIMIT,
                "the recursion above did not stop; make it iterative or bound its depth",
            )  # fmt: skip
        if code not in (0, 13) and self._call("edgebox_heap_limit_seen"):
            sys.stdout.flush()
            heap = format_size(self.limits.heap)
            print(
                f"edgebox-exec: note: the JS heap limit ({heap}) was reached during the run, and the "
                f"program went on; if that is why it failed, raise it with "
                f"--heap-limit={format_size(self.limits.heap * 2)}",
                file=sys.stderr,
            )
        if code not in (0, 13) and self._memory_at_limit():
            # The program ended with its own error, not a trap: a refused grow it handled may
            # have nothing to do with it, so keep its exit status and mention the limit.
            limit = self._memory_limit("")
            sys.stdout.flush()
            print(
                f"edgebox-exec: note: {limit.detail} during the run, and the wasm memory limit "
                f"({format_size(self.limits.wasm_memory)}) refused it; the program went on. If that "
                f"is why it failed, {limit.hint}",
                file=sys.stderr,
            )
        return code

    def _memory_limit(self, ending: str) -> LimitExceeded:
        """The wasm memory limit stopped a module's memory growing: say which, how far it asked
        to grow, and what limit would have let it."""
        mod_id = self._memory_at_limit() or "a module"
        asked = max((m.refused for m in self.user_linear.get(mod_id, [])), default=0)
        wanted = (
            f"{mod_id}'s memory asked to grow to {format_size(asked)}"
            if asked
            else f"{mod_id}'s memory is full"
        )
        raise_to = max(asked, self.limits.wasm_memory * 2)
        return LimitExceeded(
            "wasm memory limit", format_size(self.limits.wasm_memory),
            f"--wasm-memory-limit={format_size(-(-raise_to // (1 << 20)) << 20)}", EXIT_WASM_MEMORY_LIMIT,
            wanted + ending,
        )  # fmt: skip

    def _time_limit(self, detail: str = "") -> LimitExceeded:
        return time_limit_exceeded(self.limits, detail)

    def _memory_at_limit(self) -> str | None:
        """The user module whose memory the wasm memory limit stopped from growing, if any.

        With the memory creator (memories.py) a refused grow is recorded exactly. Without
        it, the best sign is a memory that grew during the run to its maximum."""
        for mod_id, linear in self.user_linear.items():
            if any(m.refused for m in linear):
                return mod_id
        for mod_id, (mem, initial) in self.user_memories.items():
            if self.user_linear.get(mod_id):
                continue
            try:
                size = mem.size(self.store)
                maximum = mem.type(self.store).limits.max
            except wasmtime.WasmtimeError:
                continue
            if size > initial and maximum is not None and size >= maximum:
                return mod_id
        return None

    def _explain_trap(self, trap: wasmtime.Trap | None, reason: str = "") -> WasmTrap:
        """Name the trap, the user module and export being called, and the wasm frames."""
        reason = reason or (_trap_reason(trap) if trap is not None else "unknown trap")
        where = ""
        try:
            slot = self._call("edgebox_current_func")
        except wasmtime.WasmtimeError:
            slot = -1
        if slot in self.trap_context.funcs:
            mod, export = self.trap_context.funcs[slot]
            where = f' in wasm module {mod}, export "{export}"'
        # Named frames only: the engine is stripped, user modules built with names show theirs.
        frames = [
            f"    at {fr.func_name} ({fr.module_name or 'wasm'} function {fr.func_index})"
            for fr in (trap.frames or [] if trap is not None else [])
            if fr.func_name and fr.module_name not in GENERATED_MODULES
        ]
        js_stack = _fold_repeats(self._js_stack_after_trap().splitlines())
        frames = _fold_repeats(frames)
        err = WasmTrap(f"wasm trap: {reason}{where}")
        err.notes = tuple(frames + (["  called from JS:", *js_stack] if js_stack else []))
        return err

    def _js_stack_after_trap(self) -> str:
        """The JS frames of the call that trapped, when the engine can still tell."""
        try:
            self._call("edgebox_js_stack")
            text = self._result().decode("utf-8", errors="replace").rstrip()
        except (wasmtime.WasmtimeError, wasmtime.Trap):
            return ""
        try:
            return self._mapped_stack(text)
        except (ValueError, KeyError, IndexError, TypeError):  # a damaged table: frames as they are
            return text


def time_limit_exceeded(limits: Limits, detail: str = "") -> LimitExceeded:
    assert limits.time is not None
    t = limits.time
    return LimitExceeded("time limit", f"{t:g}s", f"--time-limit={t * 2:g}", EXIT_TIME_LIMIT, detail)


def run_sandboxed(fn: Callable[[], T], limits: Limits) -> T:
    """run_on_big_stack for a program's run, with what can escape wasmtime outside a call
    the Sandbox explains (instantiating the engine, starting QuickJS, a blocked host call)
    turned into the documented errors."""

    def guarded() -> T:
        try:
            return fn()
        except wasmtime.Trap as e:
            if e.trap_code is not None and e.trap_code.name == "INTERRUPT" and limits.time:
                raise time_limit_exceeded(limits, "the program was still starting") from None
            raise WasmTrap(f"wasm trap while the program was starting: {_trap_reason(e)}") from None
        except RecursionError:
            raise LimitExceeded(
                "stack limit", "calls between JS and wasm nested too deeply", "", EXIT_STACK_LIMIT
            ) from None

    try:
        return run_on_big_stack(guarded, ticking=limits.time is not None)
    except DeadlinePassed:
        raise time_limit_exceeded(
            limits, "the program was blocked in a host call (a WASI sleep or read) past its limit"
        ) from None


GENERATED_MODULES = ("edgebox_adapter", "edgebox_imports")  # their frames are EdgeBox's, not the user's


def _fold_repeats(lines: list[str], keep: int = 12) -> list[str]:
    """Collapse runs of identical frames (deep recursion) and cap the length."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        j = i
        while j < len(lines) and lines[j] == lines[i]:
            j += 1
        out.append(lines[i])
        if j - i > 1:
            out.append(f"    ... the same frame {j - i - 1} more times")
        i = j
    if len(out) > keep:
        out = out[:keep] + [f"    ... {len(out) - keep} more"]
    return out


def _need(exports: Any, name: str, owner: str) -> Any:
    """An export the link plan relies on; a crafted bundle may name one that is not there."""
    try:
        return exports[name]
    except KeyError:
        raise BundleError(
            f"the bundle's link plan needs {name!r} from {owner}, which does not provide it"
        ) from None


def _link(what: str, instantiate: Callable[[], T]) -> T:
    """Instantiate generated glue; in a crafted bundle its imports may not fit."""
    try:
        return instantiate()
    except wasmtime.WasmtimeError as e:
        raise BundleError(f"cannot link {what}: {str(e).strip().splitlines()[0]}") from None


def _trampoline_called(trap: wasmtime.Trap) -> int | None:
    """The id of the JS-import trampoline that trapped (imports.wat.j2: JS not running yet)."""
    for frame in trap.frames or []:
        name = frame.func_name or ""
        if frame.module_name == "edgebox_imports" and name[:1] == "j" and name[1:].isdigit():
            return int(name[1:])
    return None


def _error_cause(error: wasmtime.WasmtimeError) -> str:
    """The reason in a wasmtime error, without the wasm backtrace it comes wrapped in:
    its innermost cause, and the WASI function that gave it where one is named."""
    text = str(error).strip()
    causes = text.split("Caused by:", 1)[1] if "Caused by:" in text else text
    lines = [re.sub(r"^\d+:\s*", "", line.strip()) for line in causes.splitlines() if line.strip()]
    if not lines:
        return "unknown error"
    func = re.search(r"wasi_snapshot_preview1::(\w+)", causes)
    return f"{func.group(1)}: {lines[-1]}" if func else lines[-1]


def _trap_reason(trap: wasmtime.Trap) -> str:
    text = trap.message or ""
    kind = re.search(r"wasm trap: (.+)", text)
    if kind:
        return kind.group(1).strip()
    if trap.trap_code is not None:
        return trap.trap_code.name.lower().replace("_", " ")
    if "Caused by:" in text:
        cause = [line.strip() for line in text.split("Caused by:", 1)[1].splitlines() if line.strip()]
        if cause and cause[-1] == "thrown Wasm exception":
            return "an uncaught wasm exception (a tag a wasm module threw, which no wasm code caught)"
        if cause:
            return cause[-1]
    return text.splitlines()[0] if text else "unknown trap"


# What V8 (Node) says for each trap, so that a caught WebAssembly.RuntimeError's
# message is the same in EdgeBox and in Node.
V8_TRAP_MESSAGES = {
    "INTEGER_DIVISION_BY_ZERO": "divide by zero",
    "INTEGER_OVERFLOW": "divide result unrepresentable",
    "UNREACHABLE": "unreachable",
    "MEMORY_OUT_OF_BOUNDS": "memory access out of bounds",
    "HEAP_MISALIGNED": "operation does not support unaligned accesses",
    "BAD_CONVERSION_TO_INTEGER": "float unrepresentable in integer range",
    "INDIRECT_CALL_TO_NULL": "null function or function signature mismatch",
    "BAD_SIGNATURE": "null function or function signature mismatch",
    "TABLE_OUT_OF_BOUNDS": "table index is out of bounds",
    "STACK_OVERFLOW": "Maximum call stack size exceeded",
}


DIV_OPCODES = (0x6D, 0x7F)  # i32.div_s, i64.div_s


def js_trap_message(trap: wasmtime.Trap, module_bytes: Sequence[bytes] = ()) -> str:
    code = trap.trap_code.name if trap.trap_code is not None else ""
    if code == "INTEGER_OVERFLOW":
        # wasmtime has one code for two traps V8 words apart: a signed division that
        # overflows, and a float too large to truncate. The trapping opcode tells.
        frames = trap.frames or []
        offset = frames[0].module_offset if frames else None
        if offset is not None and not any(offset < len(b) and b[offset] in DIV_OPCODES for b in module_bytes):
            return "float unrepresentable in integer range"
        return "divide result unrepresentable"
    return V8_TRAP_MESSAGES.get(code, _trap_reason(trap))


EMPTY_IMPORTS_WAT = (
    '(module (import "env" "memory" (memory 0)) (import "edgebox" "late" (table 1 funcref))'
    ' (tag (export "js_exception")) (global (export "sp") (mut i32) (i32.const 0))'
    ' (global (export "limit") (mut i32) (i32.const 0)))'
)
EMPTY_ADAPTER_WAT = '(module (import "env" "memory" (memory 0)) (func (export "invoke") (param i32 i32) (result i32) unreachable))'


def sandbox_for_compiling(
    engine: EngineArtifact,
    resolve: dict[str, dict[str, str]],
    sources: dict[str, str],
    bytecode: dict[str, bytes] | None = None,
) -> Sandbox:
    """A sandbox for bundle time, compiling JS to bytecode.

    QuickJS resolves a module's imports even when only compiling it, so the
    compiler gets the resolution map and every module: as its bytecode where
    `bytecode` has it (reading bytecode is much cheaper than compiling: compiling
    an entry that imports a 946-module graph compiled all of it again), else as
    source.
    """
    # As much heap as the engine can have: compiling is EdgeBox's own work on the user's
    # sources (a 60 MB JSON module is a 60 MB string constant), not the program's run.
    sandbox = Sandbox(engine, bytes(wasmtime.wat2wasm(EMPTY_ADAPTER_WAT)), limits=Limits(heap=MAX_HEAP))
    sandbox.init(resolve)
    known = bytecode or {}
    sandbox.add_modules(
        (name, known[name], True) if name in known else (name, source.encode("utf-8"), False)
        for name, source in sources.items()
    )
    return sandbox


def _framed(modules: Iterable[tuple[str, bytes, bool]]) -> bytes:
    """Modules as the engine's edgebox_add_modules and edgebox_compile_many read them: each
    its name and a NUL, its length and flag as two little-endian u32s, its data and a NUL."""
    parts = []
    for name, data, flag in modules:
        parts += [name.encode("utf-8"), struct.pack("<BII", 0, len(data), int(flag)), data, b"\0"]
    return b"".join(parts)
