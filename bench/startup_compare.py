"""Whole-process start-up side by side: EdgeBox, Node and Deno on the same hello program.

    python bench/startup_compare.py [--runs N] [--baseline DIR]

The program prints a line and calls one wasm export (`samples/math/math.wasm`); Node runs it
with --experimental-wasm-modules, Deno natively. Runs are interleaved (every round runs each
command once, in a shuffled order), because this machine's speed swings from second to second:
the table gives medians and ranges, and each runtime's ratio to Node taken round by round
(the median of per-round ratios, which holds still under load better than a ratio of medians).

--baseline DIR adds a row for the `bundler` package in DIR (an older checkout, e.g. from
`git archive`), run with the same Python, so that a change is measured against its parent
side by side rather than on another day.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

HELLO = 'import { add } from "./math.wasm";\nconsole.log("hello", add(1, 2));\n'
EXPECTED = b"hello 3\n"


def _exec_script() -> list[str]:
    """edgebox-exec as users run it: the console script beside this Python, else the module."""
    script = Path(sys.executable).parent / "edgebox-exec"
    if script.exists():
        return [sys.executable, str(script)]
    return [sys.executable, "-c", "from bundler.cli import edgebox_exec; edgebox_exec()"]


def _deno() -> str | None:
    local = ROOT / ".tools/node_modules/.bin/deno"
    return str(local) if local.exists() else shutil.which("deno")


def _wall_ms(cmd: list[str], cwd: Path, env: dict[str, str] | None, check_output: bool) -> float:
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, cwd=cwd, env=env)
    ms = (time.perf_counter() - t0) * 1e3
    if proc.returncode != 0 or (check_output and proc.stdout != EXPECTED):
        raise SystemExit(
            f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stdout!r}\n{proc.stderr.decode()}"
        )
    return ms


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=30, help="rounds (each runs every command once)")
    ap.add_argument("--baseline", type=Path, help="a directory holding an older bundler/ to compare with")
    args = ap.parse_args()
    subprocess.run([sys.executable, str(ROOT / "samples/build.py"), "math"], check=True, capture_output=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        shutil.copy(ROOT / "samples/math/math.wasm", work / "math.wasm")
        (work / "hello.mjs").write_text(HELLO)
        from bundler.cli import bundle_main

        if bundle_main([str(work / "hello.mjs"), "-o", str(work / "hello.ebx")]) != 0:
            raise SystemExit("bundling hello.mjs failed")
        rows: list[tuple[str, list[str], dict[str, str] | None, bool]] = [
            ("edgebox-exec hello.ebx", [*_exec_script(), "hello.ebx"], None, True),
        ]
        if args.baseline is not None:
            # bundled by the baseline's own bundler: its engine may differ from this one's
            env = {**os.environ, "PYTHONPATH": str(args.baseline.resolve())}
            bundle_baseline = (
                "from bundler.cli import bundle_main; bundle_main(['hello.mjs', '-o', 'old.ebx'])"
            )
            subprocess.run([sys.executable, "-c", bundle_baseline], cwd=work, env=env, check=True)
            rows.append(
                (f"  the same, {args.baseline.name}/bundler", [*_exec_script(), "old.ebx"], env, True)
            )
        rows += [
            ("  python -c pass (site, no imports)", [sys.executable, "-c", "pass"], None, False),
            ("  python -c 'import wasmtime'", [sys.executable, "-c", "import wasmtime"], None, False),
        ]
        node = shutil.which("node")
        if node:
            node_cmd = [node, "--experimental-wasm-modules", "--no-warnings", "hello.mjs"]
            rows.append(("node hello.mjs", node_cmd, None, True))
        deno = _deno()
        if deno:
            rows.append(("deno run hello.mjs", [deno, "run", "--quiet", "hello.mjs"], None, True))
        for _, cmd, env, check in rows:  # warm the page cache and the compiled-code cache first
            _wall_ms(cmd, work, env, check)
        times: list[list[float]] = [[] for _ in rows]
        for _ in range(args.runs):
            order = list(range(len(rows)))
            random.shuffle(order)
            for i in order:
                _, cmd, env, check = rows[i]
                times[i].append(_wall_ms(cmd, work, env, check))
    node_i = next((i for i, r in enumerate(rows) if r[0] == "node hello.mjs"), None)
    print(f"whole-process start-up, ms: {args.runs} interleaved rounds (hello + one wasm export)\n")
    print(f"| {'command':<40} | {'median':>7} | {'range':>15} | {'/ node, per round':>17} |")
    print(f"|{'-' * 42}|{'-' * 9}|{'-' * 17}|{'-' * 19}|")
    for i, (name, *_rest) in enumerate(rows):
        t = sorted(times[i])
        ratio = ""
        if node_i is not None:
            r = statistics.median(a / b for a, b in zip(times[i], times[node_i], strict=True))
            ratio = f"{r:.2f}"
        span = f"{t[0]:.1f}–{t[-1]:.1f}"
        print(f"| {name:<40} | {statistics.median(t):7.1f} | {span:>15} | {ratio:>17} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
