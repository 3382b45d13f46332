"""µs to format an error's stack, with and without a source map: the cost a map adds.

    python bench/source_maps.py [--errors N]

The same program is bundled twice: once as it is, once with an inline source map (one
segment every 4 columns of every line, to an original file). In each run the program makes
N errors three calls deep and reads each one's `stack`, timed inside the engine with
performance.now(); the first read of the mapped run, which fetches and decodes the
module's table, is timed on its own. Also times making the errors without reading `stack`.
"""

from __future__ import annotations

import argparse
import base64
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PROGRAM = """
function c() { return new Error("x"); }
function b() { return c(); }
function a() { return b(); }
const N = %d;
const t0 = performance.now();
const first = a().stack;
const t1 = performance.now();
let made = [];
for (let i = 0; i < N; i++) made.push(a());
const t2 = performance.now();
let length = 0;
for (const e of made) length += e.stack.length;
const t3 = performance.now();
console.log(JSON.stringify({ first: (t1 - t0) * 1000, make: (t2 - t1) * 1000 / N, read: (t3 - t2) * 1000 / N,
  frame: first.split("\\n")[0] }));
"""


def with_inline_map(js: str) -> str:
    """`js` with a map sending every 4th column of each line to the same place in app.ts."""
    from bundler.sourcemap import encode_vlq

    lines = []
    orig_line = orig_col = 0
    for n, text in enumerate(js.split("\n")):
        segs = []
        gen_col = 0
        for col in range(0, max(len(text), 1), 4):
            segs.append(
                encode_vlq(col - gen_col) + "A" + encode_vlq(n - orig_line) + encode_vlq(col - orig_col)
            )
            gen_col, orig_line, orig_col = col, n, col
        lines.append(",".join(segs))
    sm = {"version": 3, "sources": ["app.ts"], "names": [], "mappings": ";".join(lines)}
    data = base64.b64encode(json.dumps(sm).encode()).decode()
    return js + f"\n//# sourceMappingURL=data:application/json;base64,{data}\n"


def run(entry: Path) -> dict[str, float]:
    import subprocess

    exe = Path(sys.executable).parent / "edgebox-exec"
    proc = subprocess.run([str(exe), str(entry)], capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"{entry} failed:\n{proc.stderr}")
    result: dict[str, float] = json.loads(proc.stdout)
    return result


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--errors", type=int, default=20_000)
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as d:
        plain = Path(d) / "plain.js"
        mapped = Path(d) / "mapped.js"
        js = PROGRAM % args.errors
        plain.write_text(js)
        mapped.write_text(with_inline_map(js))
        rows = [("no map", run(plain)), ("inline map", run(mapped))]
    print(
        f"{'bundle':12} {'first stack read':>17} {'new Error (3 deep)':>19} {'read .stack':>12}  first frame"
    )
    for name, r in rows:
        print(
            f"{name:12} {r['first']:14.1f} µs {r['make']:16.2f} µs {r['read']:9.2f} µs  {r['frame'].strip()}"
        )


if __name__ == "__main__":
    main()
