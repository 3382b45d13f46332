"""ns per call: a wasm export called from JS in EdgeBox, against a JS call, an empty loop and Node.

    python bench/call_overhead.py [--iterations N] [--repeats R]

Each figure is the time of one loop iteration (best of R runs), measured inside the
program with performance.now(), so start-up is not counted. The wasm module is
samples/math/math.wasm built from C; the JS `add` is the same function in JS. "late" is the
same module's `add` from an instance the program makes at run time (WebAssembly.instantiate
on its bytes): its slot is reached through the adapter's late-bound table.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PROGRAM = """
import * as math from "./math.wasm";
import bytes from "./bytes.js";
const late = (await WebAssembly.instantiate(bytes)).instance.exports.add;
function jsAdd(a, b) {{ return (a + b) | 0; }}
const N = {n};
function timeIt(body) {{
  const t0 = performance.now();
  body();
  return ((performance.now() - t0) * 1e6) / N;
}}
const results = {{ wasm: Infinity, late: Infinity, js: Infinity, empty: Infinity }};
for (let r = 0; r < {repeats}; r++) {{
  results.wasm = Math.min(results.wasm, timeIt(() => {{ let s = 0; for (let i = 0; i < N; i++) s = math.add(s, i); globalThis.sink = s; }}));
  results.late = Math.min(results.late, timeIt(() => {{ let s = 0; for (let i = 0; i < N; i++) s = late(s, i); globalThis.sink = s; }}));
  results.js = Math.min(results.js, timeIt(() => {{ let s = 0; for (let i = 0; i < N; i++) s = jsAdd(s, i); globalThis.sink = s; }}));
  results.empty = Math.min(results.empty, timeIt(() => {{ let s = 0; for (let i = 0; i < N; i++) s = (s + i) | 0; globalThis.sink = s; }}));
}}
console.log(JSON.stringify(results));
"""


def measure_edgebox(work: Path, n: int, repeats: int, *exec_flags: str) -> dict[str, float]:
    from bundler.cli import bundle_main

    (work / "bench.mjs").write_text(PROGRAM.format(n=n, repeats=repeats))
    out = work / "bench.ebx"
    if bundle_main([str(work / "bench.mjs"), "-o", str(out)]) != 0:
        raise SystemExit("bundling the benchmark failed")
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            "from bundler.cli import edgebox_exec; edgebox_exec()",
            *exec_flags,
            str(out),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    if proc.returncode != 0:
        raise SystemExit("running the benchmark failed:\n" + proc.stderr)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def measure_node(work: Path, n: int, repeats: int) -> dict[str, float] | None:
    node = shutil.which("node")
    if node is None:
        return None
    proc = subprocess.run(
        [node, "--experimental-wasm-modules", "--no-warnings", str(work / "bench.mjs")],
        capture_output=True, text=True, cwd=work,
    )  # fmt: skip
    if proc.returncode != 0:
        return None
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--iterations", type=int, default=1_000_000)
    ap.add_argument("--repeats", type=int, default=5)
    args = ap.parse_args()
    subprocess.run([sys.executable, str(ROOT / "samples/build.py"), "math"], check=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        shutil.copy(ROOT / "samples/math/math.wasm", work / "math.wasm")
        wasm = (work / "math.wasm").read_bytes()
        (work / "bytes.js").write_text(f"export default new Uint8Array({list(wasm)});\n")
        ours = measure_edgebox(work, args.iterations, args.repeats)
        node = measure_node(work, args.iterations * 10, args.repeats)
        # --trap-mode=exception sends every call through a host function: far slower, so fewer
        catching = measure_edgebox(
            work, max(args.iterations // 200, 1000), args.repeats, "--trap-mode=exception"
        )
        # --time-limit compiles wasm with epoch-interruption checks: a cost on every loop back-edge
        timed = measure_edgebox(work, args.iterations, args.repeats, "--time-limit=3600")
    rows = [
        ("wasm add() from JS", "wasm"),
        ("same, instantiated late", "late"),
        ("same add() in JS", "js"),
        ("empty loop iteration", "empty"),
    ]
    print(f"call overhead, ns per loop iteration (best of {args.repeats}, {args.iterations:,} iterations)\n")
    print(f"| {'what':<24} | {'EdgeBox':>9} | {'with --time-limit':>17} | {'Node':>9} |")
    print(f"|{'-' * 26}|{'-' * 11}|{'-' * 19}|{'-' * 11}|")
    for label, key in rows:
        node_v = f"{node[key]:9.1f}" if node else "      n/a"
        print(f"| {label:<24} | {ours[key]:9.1f} | {timed[key]:17.1f} | {node_v} |")
    ratio = ours["wasm"] / ours["js"]
    net = (ours["wasm"] - ours["empty"]) / max(ours["js"] - ours["empty"], 1e-9)
    print()
    print(f"wasm call / JS call in EdgeBox: {ratio:.2f}  (issue 13: at most 1.0)")
    print(
        f"instantiated at run time: {ours['late'] - ours['wasm']:+.1f} ns a call against a bundled module's"
    )
    print(f"same, with the empty loop subtracted from both: {net:.2f}")
    print(f"with --time-limit set: wasm call / JS call {timed['wasm'] / timed['js']:.2f}; "
          f"JS call {timed['js'] / ours['js']:.2f}x the default")  # fmt: skip
    if node:
        print(f"EdgeBox wasm call / Node wasm call: {ours['wasm'] / node['wasm']:.1f}x")
    print(
        f"wasm add() with --trap-mode=exception: {catching['wasm']:.0f} ns per call "
        f"({catching['wasm'] / ours['wasm']:.0f}x the default mode: each call crosses into the host)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
