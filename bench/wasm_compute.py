"""Wasm compute, side by side: the same C module's recursive fib and sieve under EdgeBox, Node, Deno.

    python bench/wasm_compute.py [--rounds N]

The work runs inside wasm, so this measures each runtime's wasm compiler (wasmtime's Cranelift
for EdgeBox, V8's for Node and Deno), not the call path or JS. Each
figure is timed inside the program with performance.now() around one call; the table gives the
median of N interleaved rounds, one process per runtime per round. The program checks its
results, so a runtime that computed something else fails the bench.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bundler.toolchain import build_c  # noqa: E402

C_SOURCE = r"""
#include <stdint.h>
#define EXPORT(name) __attribute__((export_name(name)))

EXPORT("fib") int32_t fib(int32_t n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

static uint8_t composite[20000001];

/* how many primes are below n (n <= 20,000,000) */
EXPORT("sieve") int32_t sieve(int32_t n) {
    int32_t count = 0;
    for (int32_t i = 0; i < n; i++) composite[i] = 0;
    for (int32_t i = 2; i < n; i++) {
        if (composite[i]) continue;
        count++;
        for (int64_t j = (int64_t)i * i; j < n; j += i) composite[j] = 1;
    }
    return count;
}
"""

PROGRAM = """
import { fib, sieve } from "./compute.wasm";
let t = performance.now();
const f = fib(32);
const fibMs = performance.now() - t;
t = performance.now();
const primes = sieve(20000000);
const sieveMs = performance.now() - t;
if (f !== 2178309 || primes !== 1270607) throw new Error(`wrong results: ${f} ${primes}`);
console.log(JSON.stringify({ fib: fibMs, sieve: sieveMs }));
"""


def _runtimes(work: Path) -> dict[str, list[str]]:
    bin_dir = Path(sys.executable).parent
    out = {"EdgeBox": [str(bin_dir / "edgebox-exec"), str(work / "app.ebx")]}
    node = shutil.which("node")
    if node:
        out["Node"] = [node, "--experimental-wasm-modules", "--no-warnings", str(work / "app.mjs")]
    local_deno = ROOT / ".tools/node_modules/.bin/deno"
    deno = str(local_deno) if local_deno.exists() else shutil.which("deno")
    if deno:
        out["Deno"] = [deno, "run", "--quiet", str(work / "app.mjs")]
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        (work / "compute.c").write_text(C_SOURCE)
        build_c(work / "compute.c", work / "compute.wasm", opt="-O2")
        (work / "app.mjs").write_text(PROGRAM)
        bundle = subprocess.run(
            [str(Path(sys.executable).parent / "edgebox-bundle"), "app.mjs", "-o", "app.ebx"],
            cwd=work,
            capture_output=True,
            text=True,
        )
        if bundle.returncode != 0:
            raise SystemExit(bundle.stderr)
        runtimes = _runtimes(work)
        times: dict[str, dict[str, list[float]]] = {name: {"fib": [], "sieve": []} for name in runtimes}
        for _ in range(args.rounds):
            for name, cmd in runtimes.items():
                run = subprocess.run(cmd, cwd=work, capture_output=True, text=True)
                if run.returncode != 0:
                    raise SystemExit(f"{name} failed:\n{run.stderr}")
                result = json.loads(run.stdout)
                for key in ("fib", "sieve"):
                    times[name][key].append(result[key])
    print(f"wasm compute, ms inside the program, median of {args.rounds} interleaved rounds\n")
    print(f"| {'runtime':<8} | {'fib(32), recursive':>18} | {'sieve(2e7)':>10} | {'/ Node (sum)':>12} |")
    print(f"|{'-' * 10}|{'-' * 20}|{'-' * 12}|{'-' * 14}|")
    node_sum = sum(statistics.median(v) for v in times["Node"].values()) if "Node" in times else None
    for name, t in times.items():
        fib_ms, sieve_ms = statistics.median(t["fib"]), statistics.median(t["sieve"])
        ratio = f"{(fib_ms + sieve_ms) / node_sum:.2f}" if node_sum else "-"
        print(f"| {name:<8} | {fib_ms:>18.1f} | {sieve_ms:>10.1f} | {ratio:>12} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
