"""Time to first output with and without `edgebox-bundle --snapshot`, whole process.

    python bench/snapshot.py [--runs N]

Two programs: hello (no imports: the snapshot saves only the engine's own start) and one
that imports all of lodash-es 4.17.21 (640 modules, installed with npm into the cache
once) and prints a result. Each is bundled plainly and with --snapshot; the runs are
interleaved (plain, snapshot, plain, ...) so that the load of a shared machine falls on
both alike. Time to first output is from spawning edgebox-exec to its first stdout line.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LODASH = "4.17.21"
HELLO = 'console.log("hello");\n'
LODASH_APP = 'import * as _ from "lodash-es";\nconsole.log(_.chunk([1, 2, 3, 4, 5], 2).length, _.VERSION);\n'


def lodash_dir() -> Path:
    from bundler.cache import cache_dir

    d = cache_dir() / "bench-snapshot" / f"lodash-es-{LODASH}"
    if not (d / "node_modules" / "lodash-es" / "package.json").exists():
        d.mkdir(parents=True, exist_ok=True)
        (d / "package.json").write_text(json.dumps({"private": True, "dependencies": {"lodash-es": LODASH}}))
        npm = shutil.which("npm")
        if npm is None:
            raise SystemExit("npm is needed once, to install lodash-es")
        subprocess.run([npm, "install", "--no-audit", "--no-fund", "--silent"], cwd=d, check=True)
    return d


def first_output_ms(cmd: list[str], cwd: Path) -> float:
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=cwd)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    elapsed = (time.perf_counter() - t0) * 1e3
    rest, err = proc.communicate()
    if proc.returncode != 0 or not line:
        raise SystemExit(f"{cmd} failed:\n{err.decode()}")
    return elapsed


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=21)
    opts = ap.parse_args()
    exec_cmd = [sys.executable, "-m", "bundler.cli", "exec"]
    if (ROOT / ".venv" / "bin" / "edgebox-exec").exists():
        exec_cmd = [str(ROOT / ".venv" / "bin" / "edgebox-exec")]
    bundle_cmd = [str(Path(exec_cmd[0]).with_name("edgebox-bundle"))]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        programs = {"hello": work / "hello.mjs"}
        programs["hello"].write_text(HELLO)
        lodash = lodash_dir()
        programs["lodash-es (640 modules)"] = lodash / "bench-app.mjs"
        programs["lodash-es (640 modules)"].write_text(LODASH_APP)
        print(f"time to first output, ms: median [min–max] of {opts.runs} interleaved runs\n")
        print("| program | plain | --snapshot | snapshot/plain | bundle size plain → snapshot |")
        print("|---|---|---|---|---|")
        for name, src in programs.items():
            paths = {}
            for kind, extra in (("plain", []), ("snapshot", ["--snapshot"])):
                out = work / f"{src.stem}-{kind}.ebx"
                subprocess.run(
                    [*bundle_cmd, str(src), "-o", str(out), *extra], check=True, capture_output=True
                )
                paths[kind] = out
                first_output_ms([*exec_cmd, str(out)], src.parent)  # warm the compiled-code cache
            times: dict[str, list[float]] = {"plain": [], "snapshot": []}
            for _ in range(opts.runs):
                for kind in ("plain", "snapshot"):
                    times[kind].append(first_output_ms([*exec_cmd, str(paths[kind])], src.parent))
            med = {k: statistics.median(v) for k, v in times.items()}
            cell = {k: f"{med[k]:.0f} [{min(v):.0f}–{max(v):.0f}]" for k, v in times.items()}
            sizes = " → ".join(f"{os.path.getsize(paths[k]) / 1024:,.0f} KiB" for k in ("plain", "snapshot"))
            print(
                f"| {name} | {cell['plain']} | {cell['snapshot']} | {med['snapshot'] / med['plain']:.2f}× | {sizes} |"
            )
        (lodash / "bench-app.mjs").unlink()


if __name__ == "__main__":
    main()
