"""Where an edgebox-exec start goes, phase by phase: medians over N fresh processes.

    python bench/startup_phases.py [--runs N]

Each process imports what edgebox-exec imports, in its order, then runs the hello bundle
through `exec_main` with the Sandbox's steps timed (by wrapping its methods; the figures
include the wrappers' few µs). Python's own start before the first line is not included:
bench/startup_compare.py has the whole process.
"""

from __future__ import annotations

import argparse
import ast
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HELLO = 'import { add } from "./math.wasm";\nconsole.log("hello", add(1, 2));\n'  # as startup_compare.py

CHILD = r"""
import sys, time
T = [("start", time.perf_counter())]
def mark(what): T.append((what, time.perf_counter()))
import bundler.engine, wasmtime
mark("import wasmtime (+ bundler/__init__, its dataclasses)")
import bundler.cli
mark("import bundler.cli (argparse, escape, limits)")
import bundler.ebx
mark("import bundler.ebx (zipfile, hashlib, json)")
import bundler.runtime.run
mark("import the runtime (sandbox, build, late_link, memories)")
from bundler.engine import sandbox as sb
def wrap(name, before, after):
    original = getattr(sb.Sandbox, name)
    def timed(self, *a, **k):
        if before: mark(before)
        result = original(self, *a, **k)
        if after: mark(after)
        return result
    setattr(sb.Sandbox, name, timed)
wrap("__init__", "parse flags, read + verify the bundle, ensure_engine", "Sandbox: machine code, instantiate, _initialize")
wrap("init", None, "edgebox_init (QuickJS runtime, prelude, eager web APIs)")
wrap("run", "hand over the bytecode modules", "edgebox_run (the program)")
bundler.cli.exec_main(["hello.ebx"])
mark("the rest (thread join, flush)")
print(repr([(b[0], (b[1] - a[1]) * 1e3) for a, b in zip(T, T[1:])]), file=sys.stderr)
"""


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=12)
    args = ap.parse_args()
    subprocess.run([sys.executable, str(ROOT / "samples/build.py"), "math"], check=True, capture_output=True)
    phases: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        shutil.copy(ROOT / "samples/math/math.wasm", work / "math.wasm")
        (work / "hello.mjs").write_text(HELLO)
        bundle = [str(Path(sys.executable).parent / "edgebox-bundle"), "hello.mjs", "-o", "hello.ebx"]
        subprocess.run(bundle, cwd=work, check=True, capture_output=True)
        for _ in range(args.runs + 1):  # the first warms the caches and is left out
            r = subprocess.run([sys.executable, "-c", CHILD], cwd=work, capture_output=True, text=True)
            if r.returncode != 0:
                raise SystemExit(r.stderr)
            for name, ms in ast.literal_eval(r.stderr.strip().splitlines()[-1]):
                phases.setdefault(name, []).append(ms)
    print(f"edgebox-exec hello.ebx, ms, median and range of {args.runs} processes\n")
    print(f"| {'phase':<58} | {'median':>6} | {'range':>12} |")
    print(f"|{'-' * 60}|{'-' * 8}|{'-' * 14}|")
    for name, values in phases.items():
        v = values[1:]
        span = f"{min(v):.1f}–{max(v):.1f}"
        print(f"| {name:<58} | {statistics.median(v):6.1f} | {span:>12} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
