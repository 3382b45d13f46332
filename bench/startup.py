"""ms to start: a hello-world bundle that calls one wasm export, whole process, best of N.

    python bench/startup.py [--runs N]

Also breaks the EdgeBox start into its phases, measured in one process:
reading + verifying the bundle, prelinking (instantiating user modules, adapter and
engine, with machine code from the cache) and running.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

HELLO = 'import { add } from "./math.wasm";\nconsole.log("hello", add(1, 2));\n'


def best_wall_ms(cmd: list[str], runs: int, cwd: Path) -> float:
    best = float("inf")
    for _ in range(runs):
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, cwd=cwd)
        best = min(best, (time.perf_counter() - t0) * 1e3)
        if proc.returncode != 0:
            raise SystemExit(f"{cmd} failed:\n{proc.stderr.decode()}")
    return best


def phases_ms(bundle_path: Path, runs: int) -> dict[str, float]:
    import os

    from bundler.ebx import read_bundle
    from bundler.runtime.run import prelink

    best: dict[str, float] = {}
    devnull = os.open(os.devnull, os.O_WRONLY)
    saved = os.dup(1)
    try:
        for _ in range(runs):
            t0 = time.perf_counter()
            bundle = read_bundle(bundle_path)
            t1 = time.perf_counter()
            sandbox = prelink(bundle)
            sandbox.init(bundle.manifest.resolve)
            for mod_id, mod in bundle.manifest.modules.items():
                sandbox.add_module(mod_id, bundle.file(mod["code"]), True)
            t2 = time.perf_counter()
            os.dup2(devnull, 1)
            sandbox.run(bundle.manifest.entry)
            os.dup2(saved, 1)
            t3 = time.perf_counter()
            for k, v in (("read + verify", t1 - t0), ("prelink + load", t2 - t1), ("run", t3 - t2)):
                best[k] = min(best.get(k, float("inf")), v * 1e3)
    finally:
        os.dup2(saved, 1)
    return best


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=10)
    args = ap.parse_args()
    subprocess.run([sys.executable, str(ROOT / "samples/build.py"), "math"], check=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        shutil.copy(ROOT / "samples/math/math.wasm", work / "math.wasm")
        (work / "hello.mjs").write_text(HELLO)
        from bundler.cli import bundle_main

        bundle_main([str(work / "hello.mjs"), "-o", str(work / "hello.ebx")])
        exec_cmd = [
            sys.executable,
            "-c",
            "from bundler.cli import edgebox_exec; edgebox_exec()",
            str(work / "hello.ebx"),
        ]
        ours = best_wall_ms(exec_cmd, args.runs, ROOT)
        py = best_wall_ms([sys.executable, "-c", "import wasmtime"], args.runs, ROOT)
        node = shutil.which("node")
        node_ms = (
            best_wall_ms([node, "--experimental-wasm-modules", "--no-warnings", "hello.mjs"], args.runs, work)
            if node
            else None
        )
        phases = phases_ms(work / "hello.ebx", args.runs)
    print(f"start-up, ms, best of {args.runs} (hello world calling one wasm export)\n")
    print(f"| {'what':<40} | {'ms':>7} |")
    print(f"|{'-' * 42}|{'-' * 9}|")
    print(f"| {'edgebox-exec hello.ebx (whole process)':<40} | {ours:7.1f} |")
    print(f"| {'  of which python + import wasmtime':<40} | {py:7.1f} |")
    for k, v in phases.items():
        print(f"| {'  ' + k:<40} | {v:7.1f} |")
    if node_ms is not None:
        print(f"| {'node hello.mjs (whole process)':<40} | {node_ms:7.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
