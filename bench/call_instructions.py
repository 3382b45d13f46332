"""Machine instructions per call, counted by valgrind (callgrind): the same number on every run.

Wall-clock figures on a shared 2-core machine move by 2x from run to run; instruction counts
do not. Three programs run the same 200,000-iteration loop: an empty body, a call of a JS
function, a call of a wasm export (through engine -> adapter -> module). Each count includes
start-up, which the differences cancel.

    python bench/call_instructions.py
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import wasmtime

ITERATIONS = 200_000
BODIES = {"empty loop": "s = s + 0;", "JS call": "s = jsadd(s, i);", "wasm call": "s = add(s, i);"}
WAT = '(module (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add))'
BIN = Path(sys.executable).parent


def _instructions(cmd: list[str], cwd: Path) -> int:
    out = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *cmd],
        cwd=cwd, capture_output=True, text=True, check=True,
    )  # fmt: skip
    m = re.search(r"Collected : (\d+)", out.stderr)
    assert m, out.stderr[-2000:]
    return int(m.group(1))


def main() -> None:
    if shutil.which("valgrind") is None:
        sys.exit("valgrind is not installed (apt-get install valgrind)")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "m.wasm").write_bytes(wasmtime.wat2wasm(WAT))
        counts = {}
        for name, body in BODIES.items():
            src = root / "p.js"
            src.write_text(
                'import { add } from "./m.wasm";\nfunction jsadd(a, b) { return (a + b) | 0; }\n'
                f"let s = 0;\nfor (let i = 0; i < {ITERATIONS}; i++) {{ {body} }}\nconsole.log(s);\n"
            )
            subprocess.run(
                [BIN / "edgebox-bundle", src, "-o", root / "p.ebx"], check=True, capture_output=True
            )
            subprocess.run(
                [BIN / "edgebox-exec", root / "p.ebx"], check=True, capture_output=True
            )  # warm the cache
            if not counts:
                # valgrind's CPU reports other features than the machine's, so machine code
                # compiled outside it is not reused inside it: warm the cache under it too
                _instructions([str(BIN / "edgebox-exec"), "p.ebx"], root)
            counts[name] = _instructions([str(BIN / "edgebox-exec"), "p.ebx"], root)
    empty = counts["empty loop"]
    print(f"instructions, valgrind --tool=callgrind ({ITERATIONS:,} iterations; start-up included)\n")
    print("| loop body                    | whole run, millions | per iteration above the empty loop |")
    print("|------------------------------|---------------------|------------------------------------|")
    for name in BODIES:
        above = (counts[name] - empty) / ITERATIONS
        print(f"| {name:28} | {counts[name] / 1e6:19.1f} | {above:34.0f} |")
    js = (counts["JS call"] - empty) / ITERATIONS
    wasm = (counts["wasm call"] - empty) / ITERATIONS
    print(f"\nabove the empty loop: JS call {js:.0f}, wasm call {wasm:.0f}; wasm / JS = {wasm / js:.2f}")


if __name__ == "__main__":
    main()
