"""Wasm that JS carries in a string, compiled when the bundle is built.

Toolchains embed their module in the JS as base64: Emscripten's `-sSINGLE_FILE` output (a
`data:application/octet-stream;base64,` URL), AssemblyScript's and hand-written loaders
(hash-wasm, argon2-browser). The program decodes it and calls `WebAssembly.instantiate`,
which the host compiles (engine/late_link.py). Finding those strings in the bundle's JS and
compiling them here puts their machine code in the cache, keyed as the run-time compile keys
it, so the first run on this machine does not compile them again: one compile per module.

A string that only looks like wasm (it decodes to something wasmtime refuses) is skipped:
whether it is one is the program's business, and the run-time compile will say.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterable

# base64 of "\0asm" and version 1, then the rest: at least a header and one section
EMBEDDED_WASM = re.compile(r"AGFzbQEAAAA[A-Za-z0-9+/]{8,}={0,2}")


def embedded_modules(source: str) -> list[bytes]:
    """The wasm binaries a JS source holds as base64 string contents."""
    found = []
    for match in EMBEDDED_WASM.finditer(source):
        text = match.group(0)
        try:
            found.append(base64.b64decode(text + "=" * (-len(text) % 4), validate=True))
        except (binascii.Error, ValueError):
            continue
    return found


def precompile(sources: Iterable[str], modules: Iterable[bytes], wasm_memory_limit: int, epoch: bool) -> int:
    """Compile every module embedded in the JS `sources`, and the bundled `modules` the engine
    compiles while the program runs (a source-phase import's, a deferred module's), into the
    machine-code cache, as the run's compile keys them; returns how many (compiled or cached)."""
    import wasmtime

    from .engine import memories
    from .engine.late_link import function_cases
    from .engine.sandbox import compiled_module
    from .errors import EdgeBoxError
    from .limits import cap_module
    from .wasm_types import read_interface

    done = 0
    seen: set[bytes] = set()
    for data in [*modules, *(d for source in sources for d in embedded_modules(source))]:
        if data not in seen:
            seen.add(data)
            try:
                capped = cap_module(data, wasm_memory_limit, "embedded", cap_maximum=not memories.AVAILABLE)
                compiled_module(capped, epoch, "an embedded wasm module")
                # and the engine's glue for its exported functions, which the run makes too
                wat, slots = function_cases(read_interface(data, "an embedded wasm module"))
                if slots:
                    compiled_module(bytes(wasmtime.wat2wasm(wat)), epoch, "run-time glue")
                done += 1
            except EdgeBoxError:
                pass  # not a module wasmtime takes: the run will say so, if it ever compiles it
    return done
