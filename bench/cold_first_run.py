"""A large wasm package on a cold machine-code cache: bundle, first run, second run.

    python bench/cold_first_run.py [CASE]     # an npm corpus case (tests/npm), default loro-crdt

Issue 13, point 4: the module compiled when bundling must not be compiled again by the
first run on the same machine. Each step runs as its own process against a cache of its own
(the engine's build linked in, its machine code not), and the table counts the .cwasm
entries each step added: a compile always writes one, so a step that added none compiled
nothing. Node runs the same app for scale.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "npm"))

BIN = Path(sys.executable).parent


def timed(cmd: list[str], cwd: Path, env: dict[str, str]) -> float:
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{proc.stderr[-2000:]}")
    return time.perf_counter() - t0


def main() -> int:
    case = sys.argv[1] if len(sys.argv) > 1 else "loro-crdt"
    import corpus  # tests/npm/corpus.py: installs the corpus once per machine

    from bundler.cache import cache_dir

    work = corpus.workdir(case)
    with tempfile.TemporaryDirectory() as tmp:
        cache = Path(tmp) / "cache"
        (cache / "engine").mkdir(parents=True)
        for entry in (cache_dir() / "engine").iterdir():
            (cache / "engine" / entry.name).symlink_to(entry)
        env = {**os.environ, "EDGEBOX_CACHE_DIR": str(cache)}

        def entries() -> dict[str, int]:
            d = cache / "compiled"
            return {p.name: p.stat().st_size for p in d.glob("*.cwasm")} if d.is_dir() else {}

        def added(before: dict[str, int]) -> str:
            new = sorted((n for name, n in entries().items() if name not in before), reverse=True)
            return f"{len(new)} ({', '.join(f'{n / 1e6:.1f}' for n in new)} MB)" if new else "0"

        rows: list[tuple[str, float, str | None]] = []
        before = entries()
        t = timed([str(BIN / "edgebox-bundle"), "app.mjs", "-o", "app.ebx"], work, env)
        rows.append(("edgebox-bundle app.mjs (cold cache)", t, added(before)))
        from bundler.ebx import read_bundle

        bundle = read_bundle(work / "app.ebx")
        sizes = [len(bundle.file(m["wasm"])) for m in bundle.manifest.modules.values() if m["kind"] == "wasm"]
        for what in ("edgebox-exec app.ebx, first run", "edgebox-exec app.ebx, second run"):
            before = entries()
            t = timed([str(BIN / "edgebox-exec"), "app.ebx"], work, env)
            rows.append((what, t, added(before)))
    node = shutil.which("node")
    if node:
        t = timed(corpus.node_command(case, node, work / "app.mjs"), work, dict(os.environ))
        rows.append(("node app.mjs", t, None))
    wasm = ", ".join(f"{n / 1e6:.1f} MB" for n in sorted(sizes, reverse=True))
    print(f"{case} (bundled wasm: {wasm}), s, one run each\n")
    print(f"| {'step':<38} | {'s':>6} | {'compiled (machine code written)':<40} |")
    print(f"|{'-' * 40}|{'-' * 8}|{'-' * 42}|")
    for name, t, n in rows:
        print(f"| {name:<38} | {t:6.2f} | {n or '':<40} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
