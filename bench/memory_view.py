"""A typed-array loop over `memory.buffer` against the same loop over a plain ArrayBuffer.

`memory.buffer` is the wasm module's memory itself, mapped into the engine (see
bundler/engine/memories.py), so reading it through a Uint8Array should cost what reading any
ArrayBuffer costs. The table also shows the explicit Memory API (`getUint8`, one host
round trip through the adapter per byte) and Node on the same program.

    python bench/memory_view.py
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import wasmtime

BYTES = 1 << 20
ROUNDS = 8
WAT = '(module (memory (export "memory") 16 16) (func (export "fill") (memory.fill (i32.const 0) (i32.const 3) (i32.const 1048576))))'
PROGRAM = f"""
import * as m from "./m.wasm";
m.fill();
const plain = new Uint8Array({BYTES}).fill(3);
const sum = (u8) => {{ let s = 0; for (let i = 0; i < u8.length; i++) s += u8[i]; return s; }};
function time(label, f) {{
  let best = Infinity, result;
  for (let r = 0; r < {ROUNDS}; r++) {{
    const t = performance.now(); result = f(); best = Math.min(best, performance.now() - t);
  }}
  console.log(label, (best * 1e6 / {BYTES}).toFixed(2), result);
}}
time("plain", () => sum(plain));
time("live", () => sum(new Uint8Array(m.memory.buffer)));
if (typeof m.memory.getUint8 === "function") {{
  const mem = m.memory;
  time("api", () => {{ let s = 0; for (let i = 0; i < {BYTES // 16}; i++) s += mem.getUint8(i); return s * 16; }});
}}
"""
BIN = Path(sys.executable).parent


def _run(cmd: list[str], cwd: Path) -> dict[str, float]:
    out = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=True).stdout
    return {m.group(1): float(m.group(2)) for m in re.finditer(r"^(\w+) ([\d.]+) ", out, re.M)}


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "m.wasm").write_bytes(wasmtime.wat2wasm(WAT))
        (root / "app.mjs").write_text(PROGRAM)
        ours = _run([str(BIN / "edgebox-exec"), "app.mjs"], root)
        node = (
            _run(["node", "--experimental-wasm-modules", "--no-warnings", "app.mjs"], root)
            if shutil.which("node")
            else {}
        )
    print(f"ns per byte summed through a Uint8Array, best of {ROUNDS} rounds over 1 MiB\n")
    print("| loop over                              |  EdgeBox |     Node |")
    print("|----------------------------------------|----------|----------|")
    rows = [("a plain ArrayBuffer", "plain"), ("memory.buffer (live, zero-copy)", "live")]
    rows.append(("Memory API getUint8 (copies a byte)", "api"))
    for label, key in rows:
        n = f"{node[key]:8.2f}" if key in node else "       -"
        print(f"| {label:38} | {ours.get(key, float('nan')):8.2f} | {n} |")
    print(f"\nmemory.buffer / plain ArrayBuffer in EdgeBox: {ours['live'] / ours['plain']:.2f}")


if __name__ == "__main__":
    main()
