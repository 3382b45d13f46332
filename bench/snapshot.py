"""Time to first output with and without `edgebox-bundle --snapshot`, whole process.

    python bench/snapshot.py [--runs N] [--programs hello,lodash,tiktoken] [--phases] [--restore-costs]

The programs: hello (no imports: the snapshot saves only the engine's own start); one that
imports all of lodash-es 4.17.21 (640 modules, installed with npm into the cache once); and
two with wasm from the npm corpus (tests/npm/corpus.py installs its pinned packages once):
tiktoken 1.0.22, whose imported module builds the cl100k_base encoder (the wasm module parses
a 1.7 MB rank table into its own memory), and `loro` (not by default): loro-crdt 1.17.1,
imported only, whose bundler build awaits a dynamic import and instantiates its module
through the WebAssembly JS API at import, which --snapshot refuses. Each is bundled plainly and with --snapshot; the
runs are interleaved (plain, snapshot, plain, ...) so that the load of a shared machine falls
on both alike. Time to first output is from spawning edgebox-exec to its first stdout line.

`--phases` times the start's phases inside N fresh processes each: reading and verifying the
bundle, prelink (instantiating), the engine's start (edgebox_init plus loading the modules)
against the restore (the image copied in, then edgebox_rearm), and the run.

`--restore-costs` prints, in one process, what each way of reading and writing the engine's
image costs (the options measured for issue 13, point 3): the image inflated from a deflated
entry or read from a stored one, hashed, and copied into engine memory through
wasmtime's Memory.write or one memmove per run of pages.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "npm"))

LODASH = "4.17.21"
HELLO = 'console.log("hello");\n'
LODASH_APP = 'import * as _ from "lodash-es";\nconsole.log(_.chunk([1, 2, 3, 4, 5], 2).length, _.VERSION);\n'
TIKTOKEN_INIT = 'import { get_encoding } from "tiktoken";\nexport const enc = get_encoding("cl100k_base");\n'
TIKTOKEN_APP = (
    'import { enc } from "./tiktoken-init.mjs";\n'
    'console.log("tokens", enc.encode("hello world, tokenizers split text into subword units.").length);\n'
)
LORO_APP = (
    'import { LoroDoc } from "loro-crdt/bundler";\n'
    'const doc = new LoroDoc();\ndoc.getText("t").insert(0, "hi");\nconsole.log(doc.getText("t").toString());\n'
)


def lodash_dir() -> Path:
    from bundler.cache import cache_dir

    d = cache_dir() / "bench-snapshot" / f"lodash-es-{LODASH}"
    if not (d / "node_modules" / "lodash-es" / "package.json").exists():
        d.mkdir(parents=True, exist_ok=True)
        (d / "package.json").write_text(json.dumps({"private": True, "dependencies": {"lodash-es": LODASH}}))
        npm = shutil.which("npm")
        if npm is None:
            raise SystemExit("npm is needed once, to install lodash-es")
        subprocess.run([npm, "install", "--no-audit", "--no-fund", "--silent"], cwd=d, check=True)
    return d


def corpus_dir() -> Path:
    """A directory of this bench's own beside the corpus's node_modules (tests copy their
    cases under cases/, and replace them)."""
    import corpus

    d = corpus.install() / f"bench-snapshot-{os.getpid()}"
    d.mkdir(exist_ok=True)
    return d


def first_output_ms(cmd: list[str], cwd: Path) -> float:
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=cwd)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    elapsed = (time.perf_counter() - t0) * 1e3
    rest, err = proc.communicate()
    if proc.returncode != 0 or not line:
        raise SystemExit(f"{cmd} failed:\n{err.decode()}")
    return elapsed


def programs(chosen: list[str], work: Path) -> dict[str, Path]:
    out: dict[str, Path] = {}
    if "hello" in chosen:
        out["hello"] = work / "hello.mjs"
        out["hello"].write_text(HELLO)
    if "lodash" in chosen:
        out[f"lodash-es {LODASH} (640 modules)"] = lodash_dir() / "bench-app.mjs"
        out[f"lodash-es {LODASH} (640 modules)"].write_text(LODASH_APP)
    if "tiktoken" in chosen or "loro" in chosen:
        d = corpus_dir()
        if "tiktoken" in chosen:
            (d / "tiktoken-init.mjs").write_text(TIKTOKEN_INIT)
            out["tiktoken 1.0.22 (cl100k_base built at import)"] = d / "tiktoken-app.mjs"
            (d / "tiktoken-app.mjs").write_text(TIKTOKEN_APP)
        if "loro" in chosen:
            out["loro-crdt 1.17.1 (imported)"] = d / "loro-app.mjs"
            (d / "loro-app.mjs").write_text(LORO_APP)
    return out


def restore_costs(bundle_cmd: list[str], work: Path, runs: int) -> None:
    """In-process: each way of getting the engine's image from the bundle into engine memory."""
    import ctypes
    import hashlib
    import io
    import zipfile
    import zlib

    import wasmtime

    src = work / "hello.mjs"
    src.write_text(HELLO)
    out = work / "costs.ebx"
    subprocess.run([*bundle_cmd, str(src), "-o", str(out), "--snapshot"], check=True, capture_output=True)
    image = zipfile.ZipFile(out).read("snapshot/engine-memory.bin")
    archives = {}
    for kind in (zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED):
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as z:
            z.writestr(zipfile.ZipInfo("image"), image, compress_type=kind, compresslevel=9)
        archives[kind] = buf.getvalue()
    store = wasmtime.Store()
    pages = -(-len(image) // 65536)
    memory = wasmtime.Memory(store, wasmtime.MemoryType(wasmtime.Limits(pages, pages)))
    base = ctypes.cast(memory.data_ptr(store), ctypes.c_void_p).value or 0

    def memmove() -> None:
        ctypes.memmove(base, ctypes.cast(ctypes.c_char_p(image), ctypes.c_void_p).value, len(image))

    steps = {
        "read a deflated entry (inflate + CRC-32)": lambda: zipfile.ZipFile(
            io.BytesIO(archives[zipfile.ZIP_DEFLATED])
        ).read("image"),
        "read a stored entry (CRC-32)": lambda: zipfile.ZipFile(
            io.BytesIO(archives[zipfile.ZIP_STORED])
        ).read("image"),
        "sha256 (the bundle's integrity check)": lambda: hashlib.sha256(image).hexdigest(),
        "Memory.write (bytes → bytearray → memory)": lambda: memory.write(store, image, 0),
        "one memmove into memory": memmove,
        "(for scale) zlib.crc32 alone": lambda: zlib.crc32(image),
    }
    print(
        f"the hello snapshot's engine image: {len(image) / 1048576:.2f} MiB; median of {runs} in one process\n"
    )
    print("| step | ms |")
    print("|---|---|")
    for name, fn in steps.items():
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            fn()
            times.append((time.perf_counter() - t0) * 1e3)
        print(f"| {name} | {statistics.median(times):.2f} |")


PHASES = """
import json, sys, time
from pathlib import Path
from bundler.ebx import read_bundle
from bundler.engine.sandbox import run_sandboxed
from bundler.runtime.run import bundle_limits, prelink
from bundler.snapshot import restore

t0 = time.perf_counter()
bundle = read_bundle(Path(sys.argv[1]))
t1 = time.perf_counter()
out = {"read + verify the bundle": (t1 - t0) * 1e3}

def go():
    a = time.perf_counter()
    sandbox = prelink(bundle, quiet=True)
    b = time.perf_counter()
    if "snapshot" in bundle.manifest.extra:
        restore(sandbox, bundle)
        sandbox.rearm([])
    else:
        sandbox.init(bundle.manifest.resolve, [], unbundled=bundle.manifest.extra.get("unbundled"))
        for mod_id, mod in bundle.manifest.modules.items():
            sandbox.add_module(mod_id, bundle.file(mod["code"]), is_bytecode=True)
    c = time.perf_counter()
    sandbox.run(bundle.manifest.entry)
    d = time.perf_counter()
    out.update({"prelink": (b - a) * 1e3, "engine start or restore": (c - b) * 1e3, "run": (d - c) * 1e3})

run_sandboxed(go, bundle_limits(bundle))
print(json.dumps(out))
"""


def phases(bundle_cmd: list[str], chosen: dict[str, Path], work: Path, runs: int) -> None:
    python = str(Path(bundle_cmd[0]).with_name("python"))
    print(f"inside {runs} fresh processes each (plain and snapshot interleaved): median ms\n")
    print("| program | phase | plain | --snapshot |")
    print("|---|---|---|---|")
    for name, src in chosen.items():
        paths = {}
        for kind, extra in (("plain", []), ("snapshot", ["--snapshot"])):
            paths[kind] = work / f"{src.stem}-{kind}.ebx"
            subprocess.run(
                [*bundle_cmd, str(src), "-o", str(paths[kind]), *extra], check=True, capture_output=True
            )
        got: dict[str, dict[str, list[float]]] = {"plain": {}, "snapshot": {}}
        for _ in range(runs):
            for kind, path in paths.items():
                p = subprocess.run(
                    [python, "-c", PHASES, str(path)],
                    capture_output=True,
                    text=True,
                    cwd=src.parent,
                    check=True,
                )
                for phase, ms in json.loads(p.stdout.splitlines()[-1]).items():
                    got[kind].setdefault(phase, []).append(ms)
        for phase in got["plain"]:
            cells = [f"{statistics.median(got[k][phase]):.1f}" for k in ("plain", "snapshot")]
            print(f"| {name} | {phase} | {cells[0]} | {cells[1]} |")
        total = {k: statistics.median([sum(v) for v in zip(*got[k].values(), strict=True)]) for k in got}
        print(f"| {name} | **all four** | {total['plain']:.1f} | {total['snapshot']:.1f} |", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=21)
    ap.add_argument("--programs", default="hello,lodash,tiktoken")
    ap.add_argument("--phases", action="store_true")
    ap.add_argument("--restore-costs", action="store_true")
    opts = ap.parse_args()
    exec_cmd = [sys.executable, "-m", "bundler.cli", "exec"]
    if (ROOT / ".venv" / "bin" / "edgebox-exec").exists():
        exec_cmd = [str(ROOT / ".venv" / "bin" / "edgebox-exec")]
    bundle_cmd = [str(Path(exec_cmd[0]).with_name("edgebox-bundle"))]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        if opts.restore_costs:
            restore_costs(bundle_cmd, work, opts.runs)
            return
        chosen = programs(opts.programs.split(","), work)
        if opts.phases:
            try:
                phases(bundle_cmd, chosen, work, opts.runs)
            finally:
                cleanup(chosen, work)
            return
        print(f"time to first output, ms: median [min–max] of {opts.runs} interleaved runs\n")
        print(
            "| program | plain | --snapshot | snapshot/plain | bundle size plain → snapshot | bundling s, plain → snapshot |"
        )
        print("|---|---|---|---|---|---|")
        try:
            for name, src in chosen.items():
                paths, build = {}, {}
                for kind, extra in (("plain", []), ("snapshot", ["--snapshot"])):
                    out = work / f"{src.stem}-{kind}.ebx"
                    t0 = time.perf_counter()
                    b = subprocess.run(
                        [*bundle_cmd, str(src), "-o", str(out), *extra], capture_output=True, text=True
                    )
                    build[kind] = time.perf_counter() - t0
                    if b.returncode != 0:
                        raise SystemExit(f"bundling {src} failed:\n{b.stderr}")
                    paths[kind] = out
                    first_output_ms([*exec_cmd, str(out)], src.parent)  # warm the page cache
                times: dict[str, list[float]] = {"plain": [], "snapshot": []}
                for _ in range(opts.runs):
                    for kind in ("plain", "snapshot"):
                        times[kind].append(first_output_ms([*exec_cmd, str(paths[kind])], src.parent))
                med = {k: statistics.median(v) for k, v in times.items()}
                cell = {k: f"{med[k]:.0f} [{min(v):.0f}–{max(v):.0f}]" for k, v in times.items()}
                sizes = " → ".join(
                    f"{os.path.getsize(paths[k]) / 1024:,.0f} KiB" for k in ("plain", "snapshot")
                )
                print(
                    f"| {name} | {cell['plain']} | {cell['snapshot']} | {med['snapshot'] / med['plain']:.2f}× "
                    f"| {sizes} | {build['plain']:.1f} → {build['snapshot']:.1f} |",
                    flush=True,
                )
        finally:
            cleanup(chosen, work)


def cleanup(chosen: dict[str, Path], work: Path) -> None:
    for src in chosen.values():
        if src.parent != work:
            src.unlink(missing_ok=True)
            if src.parent.name.startswith("bench-snapshot-"):
                shutil.rmtree(src.parent, ignore_errors=True)


if __name__ == "__main__":
    main()
