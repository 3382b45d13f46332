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

What is refused, each with its reason: wasm modules (their globals and memories are
their own and mostly unexported), an entry in an import cycle, output written while the
imports ran, timers or promise jobs left pending, an unhandled rejection, top-level
await that does not settle, modules instantiated through the WebAssembly JS API. What
cannot be detected, and is documented instead (docs/guide.md): a value read from
Date.now(), Math.random() or crypto while the imports ran is the bundling run's.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from .ebx import Bundle, decode, encode
from .errors import EdgeBoxError

IMAGE_PATH = "snapshot/engine-memory.bin"
# The synthetic module's id: not a relative path, so no bundled module can have it.
SYNTHETIC = "<edgebox snapshot>"
PAGE = 65536

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


def add_snapshot(data: bytes, specifiers: list[str], source: str) -> bytes:
    """The bundle `data` with a snapshot of its entry's imports evaluated, or SnapshotRefused."""
    from .engine.sandbox import run_sandboxed
    from .runtime.run import bundle_limits

    bundle = decode(data, source)
    manifest = bundle.manifest
    wasm = sorted(m for m, mod in manifest.modules.items() if mod["kind"] == "wasm")
    if wasm:
        raise SnapshotRefused(
            f"wasm module {wasm[0]} has state of its own (globals, memories, tables that are not "
            "exported) which this version cannot capture"
        )
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
        meta, image = run_sandboxed(lambda: _evaluate(bundle, specifiers, (out, err)), limits)
        written = Path(out).read_bytes() + Path(err).read_bytes()
    if written:
        shown = written[:200].decode("utf-8", errors="replace").strip()
        raise SnapshotRefused(
            f"the entry's imports wrote output while they ran ({shown!r}); in a snapshot it would "
            "be printed once at bundle time and never by the program"
        )
    files = dict(bundle.files)
    files[IMAGE_PATH] = image
    extra = {**manifest.extra, "snapshot": {**meta, "image": IMAGE_PATH, "evaluated": specifiers}}
    return encode(manifest._replace(extra=extra, files={}), files)


def _evaluate(
    bundle: Bundle, specifiers: list[str], capture: tuple[str, str]
) -> tuple[dict[str, Any], bytes]:
    from .runtime.run import bundle_limits, prelink

    manifest = bundle.manifest
    sandbox = prelink(bundle, limits=bundle_limits(bundle), capture=capture)
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
    if sandbox.late_link.instances:
        raise SnapshotRefused(
            "the entry's imports instantiated wasm through the WebAssembly JS API, whose instances "
            "live outside the engine's memory"
        )
    if sandbox.stack_probe() != probe:
        raise SnapshotRefused("the engine's stack pointer did not return to where it started")
    pages, _ = sandbox.memory_pages()
    runs: list[list[int]] = []
    parts: list[bytes] = []
    memory = sandbox.read_memory(0, pages * PAGE)
    zero = bytes(PAGE)
    for page in range(pages):
        chunk = memory[page * PAGE : (page + 1) * PAGE]
        if chunk == zero:
            continue
        if runs and runs[-1][0] + runs[-1][1] == page:
            runs[-1][1] += 1
        else:
            runs.append([page, 1])
        parts.append(chunk)
    meta = {
        "engine": manifest.engine["sha256"],
        "pages": pages,
        "runs": runs,
        "stack_probe": probe,
        "import_stack": sandbox.import_stack_base(),
    }
    return meta, b"".join(parts)


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
    runs = [(int(first), int(count)) for first, count in snap["runs"]]
    image = bundle.file(snap["image"])
    if sum(c for _, c in runs) * PAGE != len(image) or any(f + c > snap["pages"] for f, c in runs):
        raise SnapshotRefusedAtRun("its page list does not match its image")
    sandbox.restore_memory(snap["pages"], runs, image)
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
