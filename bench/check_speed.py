"""Check speed: cold and warm `edgebox-bundle --check` on a generated ~1 MB, 100-file project.

    python bench/check_speed.py [--files N] [--kb K] [--runs R]

The project has N JS modules of about K KB each, calling four wasm modules
through namespace, named and re-exported imports. "cold" runs with an empty
analysis cache; "warm, one file changed" edits one module and checks again;
"warm, nothing changed" checks again as is. Each figure is the whole command,
process start-up included (best of R), plus the same in one process.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WASM = {
    "math": '(module (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)'
    ' (func (export "scale") (param f64 f64) (result f64) local.get 0 local.get 1 f64.mul))',
    "hash": '(module (func (export "mix") (param i64 i64) (result i64) local.get 0 local.get 1 i64.xor)'
    ' (func (export "seed") (result i64) i64.const 42))',
    "codec": '(module (func (export "encode") (param i32) (result i32) local.get 0)'
    ' (func (export "decode") (param i32 i32) (result i32) local.get 0))',
    "vec": '(module (func (export "dot") (param f32 f32 f32 f32) (result f32) local.get 0 local.get 2 f32.mul))',
}

FUNCTION = """
export function work{n}(input, options = {{}}) {{
  const items = Array.from({{ length: input.length }}, (_, i) => ({{ id: i, value: input[i] * {n} }}));
  let total = math.add({n}, items.length);
  for (const item of items) {{
    if (item.value % 3 === 0) total = math.add(total, item.id);
    else total = add(total | 0, {n});
  }}
  const h = hash.mix(BigInt(total), {n}n);
  const s = scale(total * 1.5, 2.0) + vec.dot(1, 2, 3, 4);
  const text = `item-${{total}}-${{h}}-${{s.toFixed(2)}}`;
  const code = codec.encode(text.length) + codec.decode({n}, 7);
  return {{ total, h, s, text, code, tag: options.tag ?? "w{n}" }};
}}
"""


def generate(root: Path, files: int, kb: int) -> Path:
    from bundler.toolchain import build_wat

    for name, wat in WASM.items():
        (root / f"{name}.wat").write_text(wat)
        build_wat(root / f"{name}.wat", root / f"{name}.wasm")
    (root / "reexports.js").write_text(
        'export { add, scale } from "./math.wasm";\nexport * from "./codec.wasm";\n'
    )
    header = (
        'import * as math from "./math.wasm";\nimport * as hash from "./hash.wasm";\n'
        'import * as codec from "./reexports.js";\nimport * as vec from "./vec.wasm";\n'
        'import { add, scale } from "./reexports.js";\n'
    )
    per = max(1, (kb * 1024) // len(FUNCTION.format(n=1000)))
    for f in range(files):
        body = "".join(FUNCTION.format(n=f * 1000 + i) for i in range(per))
        (root / f"mod{f:03}.js").write_text(header + body)
    entry = root / "app.js"
    entry.write_text(
        "".join(f'import * as m{f} from "./mod{f:03}.js";\n' for f in range(files))
        + f"console.log({' + '.join(f'Object.keys(m{f}).length' for f in range(files))});\n"
    )
    return entry


def whole_command(entry: Path, cache: Path) -> float:
    env = {**os.environ, "EDGEBOX_CACHE_DIR": str(cache)}
    t0 = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", "from bundler.cli import edgebox_bundle; edgebox_bundle()", "--check", str(entry)],
        capture_output=True, text=True, env=env, cwd=ROOT,
    )  # fmt: skip
    elapsed = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit("check failed:\n" + proc.stdout[-2000:] + proc.stderr[-2000:])
    return elapsed


def in_process(entry: Path, cache: Path) -> float:
    os.environ["EDGEBOX_CACHE_DIR"] = str(cache)
    from bundler.pipeline import check_entry

    t0 = time.perf_counter()
    result = check_entry(entry)
    elapsed = time.perf_counter() - t0
    assert result.errors == 0, [str(d) for d in result.diagnostics[:3]]
    return elapsed


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--files", type=int, default=100)
    ap.add_argument("--kb", type=int, default=10)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp) / "project"
        work.mkdir()
        entry = generate(work, args.files, args.kb)
        size = sum(p.stat().st_size for p in work.glob("*.js"))
        cache = Path(tmp) / "cache"
        cold = []
        for _ in range(args.runs):
            shutil.rmtree(cache, ignore_errors=True)
            cold.append(whole_command(entry, cache))
        warm_same = min(whole_command(entry, cache) for _ in range(args.runs))
        changed = work / "mod050.js"
        warm_changed = []
        for i in range(args.runs):
            changed.write_text(changed.read_text() + f"\nexport const edit{i} = {i};\n")
            warm_changed.append(whole_command(entry, cache))
        # the same three in one process (no interpreter start-up or imports)
        shutil.rmtree(cache, ignore_errors=True)
        ip_cold = in_process(entry, cache)
        changed.write_text(changed.read_text() + "\nexport const editX = 1;\n")
        ip_changed = in_process(entry, cache)
        ip_same = in_process(entry, cache)
    print(
        f"edgebox-bundle --check on {args.files} files, {size / 1024:.0f} KB of JS, 4 wasm modules (best of {args.runs})\n"
    )
    print(f"| {'run':<32} | {'whole command, s':>16} | {'in process, s':>13} |")
    print(f"|{'-' * 34}|{'-' * 18}|{'-' * 15}|")
    print(f"| {'cold (empty cache)':<32} | {min(cold):16.2f} | {ip_cold:13.2f} |")
    print(f"| {'warm, one ~10 KB file changed':<32} | {min(warm_changed):16.2f} | {ip_changed:13.2f} |")
    print(f"| {'warm, nothing changed':<32} | {warm_same:16.2f} | {ip_same:13.2f} |")
    print(f"\ncold throughput: {size / 1024 / min(cold):.0f} KB/s; target for warm, one file changed: < 1 s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
