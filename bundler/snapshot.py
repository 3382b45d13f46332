"""edgebox-bundle --snapshot: the entry's imports evaluated at bundle time, the engine's memory kept.

A program's entry module *is* the program (it prints, reads its arguments), so its body
is never run at bundle time. What it imports is: a synthetic module that imports the
entry's static imports, in the entry's order, is evaluated in a sandbox set up exactly as
edgebox-exec sets one up, and the engine's whole linear memory is then stored in the
bundle (`snapshot/engine-memory.bin`, the non-zero pages only, a hashed entry like any
other). edgebox-exec instantiates as it always does — the same calls in the same order,
so every allocation lands at the address it had — writes the image back, re-applies the
run's own settings (Sandbox.rearm) and evaluates the entry, whose imports are then
already evaluated in the restored heap.

User wasm modules instantiated at start keep their state too (snapshot_wasm.py): the
snapshot run instantiates copies that export everything they define, and each module is
then rewritten so that its data segments, global initialisers and element segments are
that state, its start function dropped; the rewritten module replaces the original in
the bundle (the original is kept only for a source-phase import), so edgebox-exec restores
it by instantiating it, and the user memories' windows in the engine's memory are left
out of the engine's image.

What is refused, each with its reason: an entry in an import cycle, output written while
the imports ran, timers or promise jobs left pending, an unhandled rejection, top-level
await that does not settle, modules instantiated (or WebAssembly objects made) through the
WebAssembly JS API, a wasm table or global holding a function of another module or a JS
value (snapshot_wasm.py). What cannot be detected, and is documented instead
(docs/guide.md): a value read from Date.now(), Math.random(), crypto or WASI's clocks and
random_get while the imports ran is the bundling run's; WASI state a wasm module cached
(its environment, its preopened directories) is the bundling run's, which grants none.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .ebx import Bundle, decode, encode
from .errors import EdgeBoxError

if TYPE_CHECKING:
    from .snapshot_wasm import ModuleState

# edgebox-exec imports this module for `restore` on every start of a snapshot: what only
# bundling needs (snapshot_wasm, tempfile: ~10 ms) is imported where it is used.

IMAGE_PATH = "snapshot/engine-memory.bin"
# The synthetic module's id: not a relative path, so no bundled module can have it.
SYNTHETIC = "<edgebox snapshot>"
PAGE = 65536
# The image holds the engine memory's non-zero blocks of this size: 4 KiB blocks make the
# hello image 1.34 MiB where 64 KiB pages made it 1.88 (read and hashed on every start).
BLOCK = 4096

PREINIT_REASONS = {
    2: "a module awaits at top level and did not settle",
    3: "promise jobs were still pending after the imports ran (their order against the entry's body would change)",
    4: "timers were still pending after the imports ran",
    5: "a promise was rejected and not handled while the imports ran",
    6: "the JS heap limit was reached while the imports ran",
}


class SnapshotRefused(EdgeBoxError):
    """This bundle's state cannot be captured; the message says why."""

    def __init__(self, reason: str):
        super().__init__(f"--snapshot: {reason}; bundle without --snapshot")


def entry_imports(facts_imports: Any) -> list[str]:
    """The specifiers the entry evaluates before its body, in source order (static imports
    and re-exports; source-phase imports evaluate nothing)."""
    specs: list[str] = []
    for rec in facts_imports:
        if rec.kind in ("import", "reexport") and rec.phase == "evaluation" and rec.specifier not in specs:
            specs.append(rec.specifier)
    return specs


def _reaches(resolve: dict[str, dict[str, str]], start: list[str], target: str) -> bool:
    seen: set[str] = set()
    work = list(start)
    while work:
        mod = work.pop()
        if mod == target:
            return True
        if mod in seen:
            continue
        seen.add(mod)
        work.extend(resolve.get(mod, {}).values())
    return False


def add_snapshot(
    data: bytes, specifiers: list[str], source: str, sourced: frozenset[str] = frozenset()
) -> bytes:
    """The bundle `data` with a snapshot of its entry's imports evaluated, or SnapshotRefused.
    `sourced`: the wasm modules a source-phase import reaches, whose original bytes stay."""
    import tempfile

    from .engine.sandbox import run_sandboxed
    from .runtime.run import bundle_limits
    from .snapshot_wasm import WasmStateRefused, instrumented, rewritten

    bundle = decode(data, source)
    manifest = bundle.manifest
    instances = list(manifest.link["instances"])
    try:
        probes = {m: instrumented(bundle.file(manifest.modules[m]["wasm"]), m) for m in instances}
    except WasmStateRefused as e:
        raise SnapshotRefused(str(e)) from None
    entry = manifest.entry
    # the engine's own modules (node:fs) are not in the resolution map, and import nothing
    targets = [t for s in specifiers if (t := manifest.resolve.get(entry, {}).get(s)) is not None]
    if _reaches(manifest.resolve, targets, entry):
        raise SnapshotRefused(
            f"the entry {entry} is part of an import cycle, so what it imports cannot run without it"
        )
    limits = bundle_limits(bundle)
    with tempfile.TemporaryDirectory(prefix="edgebox-snapshot-") as tmp:
        out, err = str(Path(tmp) / "stdout"), str(Path(tmp) / "stderr")
        meta, image, states = run_sandboxed(lambda: _evaluate(bundle, specifiers, (out, err), probes), limits)
        written = Path(out).read_bytes() + Path(err).read_bytes()
    if written:
        shown = written[:200].decode("utf-8", errors="replace").strip()
        raise SnapshotRefused(
            f"the entry's imports wrote output while they ran ({shown!r}); in a snapshot it would "
            "be printed once at bundle time and never by the program"
        )
    files = dict(bundle.files)
    files[IMAGE_PATH] = image
    rewritten_paths: dict[str, str] = {}
    modules = dict(manifest.modules)
    for n, mod_id in enumerate(instances):
        original = manifest.modules[mod_id]["wasm"]
        try:
            module = rewritten(bundle.file(original), mod_id, states[mod_id])
        except WasmStateRefused as e:
            raise SnapshotRefused(str(e)) from None
        # uncompressed beside the image (ebx.STORED_PREFIX); the original stays only for a
        # source-phase import, which gives JS the module's own bytes
        path = f"snapshot/wasm/{n}.wasm"
        files[path] = module
        rewritten_paths[mod_id] = path
        if mod_id not in sourced:
            del files[original]
            modules[mod_id] = {**modules[mod_id], "wasm": path}
    snap = {**meta, "image": IMAGE_PATH, "evaluated": specifiers}
    if rewritten_paths:
        snap["wasm"] = rewritten_paths
    extra = {**manifest.extra, "snapshot": snap}
    out_data = encode(manifest._replace(modules=modules, extra=extra, files={}), files)
    if rewritten_paths:
        _check_restores(out_data, source, limits)
    return out_data


def _check_restores(data: bytes, source: str, limits: Any) -> None:
    """Instantiate the rewritten modules once, as edgebox-exec will: what wasmtime refuses is
    said now, and their machine code is cached, so that the first run compiles nothing."""
    from .engine.sandbox import run_sandboxed
    from .runtime.run import prelink

    bundle = decode(data, source)

    def go() -> None:
        sandbox = prelink(bundle, limits=limits, quiet=True)
        restore(sandbox, bundle)

    try:
        run_sandboxed(go, limits)
    except EdgeBoxError as e:
        raise SnapshotRefused(f"the rewritten wasm modules do not instantiate: {e}") from None


def _evaluate(
    bundle: Bundle, specifiers: list[str], capture: tuple[str, str], probes: dict[str, bytes]
) -> tuple[dict[str, Any], bytes, dict[str, ModuleState]]:
    from .runtime.run import bundle_limits, prelink

    manifest = bundle.manifest
    sandbox = prelink(bundle, limits=bundle_limits(bundle), capture=capture, wasm_override=probes)
    probe = sandbox.stack_probe()
    resolve = {**manifest.resolve, SYNTHETIC: dict(manifest.resolve.get(manifest.entry, {}))}
    sandbox.init(resolve, (), unbundled=manifest.extra.get("unbundled"))
    for mod_id, mod in manifest.modules.items():
        sandbox.add_module(mod_id, bundle.file(mod["code"]), is_bytecode=True)
    body = "".join(f"import {json.dumps(s)};\n" for s in specifiers)
    sandbox.add_module(SYNTHETIC, body.encode("utf-8"), is_bytecode=False)
    code, text = sandbox.preinit(SYNTHETIC)
    if code == 1:
        raise SnapshotRefused(f"the entry's imports threw while they ran: {text.strip()}")
    if code:
        raise SnapshotRefused(PREINIT_REASONS.get(code, f"the engine refused it (reason {code})"))
    late = sandbox.late_link
    if late.instances or late.modules or late.deferred:
        raise SnapshotRefused(
            "the entry's imports compiled or instantiated wasm through the WebAssembly JS API (or a "
            "deferred module's stub), whose modules and instances live outside the engine's memory"
        )
    if late.handles or late.functions:
        raise SnapshotRefused(
            "the entry's imports made WebAssembly JS API objects (a Memory, Table, Global or a table's "
            "function) whose host side lives outside the engine's memory"
        )
    if sandbox.stack_probe() != probe:
        raise SnapshotRefused("the engine's stack pointer did not return to where it started")
    originals = {m: bundle.file(manifest.modules[m]["wasm"]) for m in manifest.link["instances"]}
    states = _wasm_states(sandbox, originals, probes)
    pages, _ = sandbox.memory_pages()
    runs: list[list[int]] = []
    parts: list[bytes] = []
    memory = sandbox.read_memory(0, pages * PAGE)
    zero = bytes(BLOCK)
    # the windows onto user memories are those modules' pages, which their rewritten modules hold
    windows = sorted((start, start + length) for start, length in sandbox.windows())
    block = 0
    while block < pages * PAGE // BLOCK:
        at = block * BLOCK
        inside = next((end for start, end in windows if start <= at < end), None)
        if inside is not None:
            block = inside // BLOCK
            continue
        chunk = memory[at : at + BLOCK]
        if chunk != zero:
            if runs and runs[-1][0] + runs[-1][1] == block:
                runs[-1][1] += 1
            else:
                runs.append([block, 1])
            parts.append(chunk)
        block += 1
    meta = {
        "engine": manifest.engine["sha256"],
        "pages": pages,
        "block": BLOCK,
        "runs": runs,
        "stack_probe": probe,
        "import_stack": sandbox.import_stack_base(),
    }
    return meta, b"".join(parts), states


def _wasm_states(
    sandbox: Any, originals: dict[str, bytes], probes: dict[str, bytes]
) -> dict[str, ModuleState]:
    """Each instrumented user module's state, read through the exports it was given."""
    from .snapshot_wasm import WasmStateRefused, func_key, read_layout, read_state

    instances = list(originals)
    store = sandbox.store
    names: dict[tuple[int, int], str] = {}
    for mod_id in instances:
        link = sandbox.link_names[mod_id]
        for name in read_layout(probes[mod_id], mod_id).exports:
            key = func_key(sandbox.links.get(store, link, name))
            if key is not None:
                names.setdefault(key, f"wasm module {mod_id}")
    states = {}
    for mod_id in instances:
        link = sandbox.link_names[mod_id]
        try:
            states[mod_id] = read_state(
                originals[mod_id],
                mod_id,
                lambda name, link=link: sandbox.links.get(store, link, name),
                store,
                {k: v for k, v in names.items() if v != f"wasm module {mod_id}"},
            )
        except WasmStateRefused as e:
            raise SnapshotRefused(str(e)) from None
    return states


def restore(sandbox: Any, bundle: Bundle) -> None:
    """Write the bundle's snapshot into a sandbox just made by prelink, before anything ran in it."""
    snap = bundle.manifest.extra["snapshot"]
    if snap["engine"] != bundle.manifest.engine["sha256"]:
        raise SnapshotRefusedAtRun("it was taken with another engine build than the bundle names")
    if sandbox.stack_probe() != snap["stack_probe"]:
        raise SnapshotRefusedAtRun("this engine's stack is laid out differently from the one that took it")
    pages, maximum = sandbox.memory_pages()
    if maximum is not None and snap["pages"] > maximum:
        raise SnapshotRefusedAtRun(
            f"it holds {snap['pages'] * PAGE >> 20} MiB of engine memory, more than this run's heap "
            "limit allows; raise --heap-limit"
        )
    block = int(snap.get("block", PAGE))
    if block not in (BLOCK, PAGE):
        raise SnapshotRefusedAtRun(f"its block size {block} is not one this edgebox reads")
    runs = [(int(first), int(count)) for first, count in snap["runs"]]
    image = bundle.file(snap["image"])
    if sum(c for _, c in runs) * block != len(image) or any(
        (f + c) * block > snap["pages"] * PAGE for f, c in runs
    ):
        raise SnapshotRefusedAtRun("its page list does not match its image")
    sandbox.restore_memory(snap["pages"], runs, image, block)
    # wasi-libc's start-up allocates for the environment and preopened directories (so with
    # --allow-env or --allow-read the engine's own allocations land elsewhere): the image's
    # allocator holds the trampolines' stack where the bundling run had it
    sandbox.set_import_stack_base(snap["import_stack"])


class SnapshotRefusedAtRun(EdgeBoxError):
    """A bundle's snapshot that this edgebox-exec cannot restore."""

    def __init__(self, reason: str):
        super().__init__(
            f"cannot restore the bundle's snapshot: {reason}; rebuild it with edgebox-bundle --snapshot"
        )
