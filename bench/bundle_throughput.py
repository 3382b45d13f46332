"""Bundling throughput on a real ~1.2 MB graph: cold and warm `edgebox-bundle`, two trees side by side.

    python bench/bundle_throughput.py [--runs N] [--before DIR] [--check] [--in-process]

The graph: lodash-es and date-fns (pinned, installed with npm into the EdgeBox cache once,
as tests/npm does), whole, through their index modules (~945 ES modules, ~1.16 MB of JS),
plus one wasm module whose export the entry calls (so a call site is checked). Each figure
is the whole command (`python -c ... edgebox_bundle()`), process start-up included.

- cold: no per-module facts, no bytecode and no cached build in the cache (the engine, its
  machine code and the wasm module's are there, as after any first use on a machine);
- warm: the same graph again, nothing changed.

`--in-process`: each figure is `build_bundle()` (or `check_entry()`) alone, timed inside the
process that runs it: no interpreter start-up, no imports.

`--before DIR`: a tree of the code to compare with (e.g. `git archive main | tar -x -C DIR`),
run with the same Python; the runs are interleaved (before, after, before, after, ...) so
both see the same load on this shared machine. Medians, ranges in brackets.
"""

from __future__ import annotations

import argparse
import hashlib
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

PACKAGES = {"lodash-es": "4.17.21", "date-fns": "4.1.0"}
APP = """import * as _ from "lodash-es";
import * as dfns from "date-fns";
import { add } from "./math.wasm";
console.log(Object.keys(_).length, Object.keys(dfns).length, add(2, 3));
"""
MATH = '(module (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add))'
# What a cold run finds missing: the per-module caches (facts; bytecode where the tree has it:
# directories of files before, one database after) and the whole-build cache (after).
PER_MODULE = (
    "analysis",
    "bytecode",
    "builds",
    "modules.sqlite3",
    "modules.sqlite3-wal",
    "modules.sqlite3-shm",
)
# --in-process: the child times the build itself and prints the seconds last
IN_PROCESS = """
import sys, time
from pathlib import Path
from bundler.pipeline import build_bundle, check_entry
entry = Path(sys.argv[1])
t = time.perf_counter()
check_entry(entry) if sys.argv[2] == "check" else build_bundle(entry)
print(time.perf_counter() - t)
"""


def install() -> Path:
    """A project directory whose node_modules holds the pinned packages, installed once."""
    from bundler.cache import cache_dir, locked
    from bundler.toolchain import build_wat

    specs = [f"{n}@{v}" for n, v in sorted(PACKAGES.items())]
    prefix = cache_dir() / "bench-graph" / hashlib.sha256("\n".join(specs).encode()).hexdigest()[:16]
    done = prefix / ".installed"
    with locked(prefix.parent / ".lock"):
        if not done.is_file():
            npm = shutil.which("npm")
            if npm is None:
                sys.exit("npm is not installed: the benchmark's packages cannot be installed")
            prefix.mkdir(parents=True, exist_ok=True)
            (prefix / "package.json").write_text(json.dumps({"name": "edgebox-bench-graph", "private": True}))
            subprocess.run(
                [npm, "install", "--no-audit", "--no-fund", "--ignore-scripts", "--save-exact", *specs],
                cwd=prefix, check=True, capture_output=True,
            )  # fmt: skip
            done.write_text("\n".join(specs) + "\n")
    (prefix / "math.wat").write_text(MATH)
    if not (prefix / "math.wasm").is_file():
        build_wat(prefix / "math.wat", prefix / "math.wasm")
    (prefix / "app.mjs").write_text(APP)
    return prefix


def run(tree: Path, entry: Path, cache: Path, out: Path, check: bool, in_process: bool = False) -> float:
    env = {**os.environ, "EDGEBOX_CACHE_DIR": str(cache), "PYTHONPATH": str(tree)}
    if in_process:
        command = ["-c", IN_PROCESS, str(entry), "check" if check else "bundle"]
    else:
        args = ["--check", str(entry)] if check else [str(entry), "-o", str(out)]
        command = ["-c", "from bundler.cli import edgebox_bundle; edgebox_bundle()", *args]
    t0 = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, *command], capture_output=True, text=True, env=env, cwd=tree,
    )  # fmt: skip
    elapsed = time.perf_counter() - t0
    if proc.returncode != 0:
        sys.exit(f"{tree}: edgebox-bundle failed:\n{proc.stdout[-2000:]}{proc.stderr[-2000:]}")
    return float(proc.stdout.split()[-1]) if in_process else elapsed


def cold_cache(cache: Path) -> None:
    for name in PER_MODULE:
        if (cache / name).is_dir():
            shutil.rmtree(cache / name)
        else:
            (cache / name).unlink(missing_ok=True)


def fmt(xs: list[float]) -> str:
    return f"{statistics.median(xs):.2f} [{min(xs):.2f}-{max(xs):.2f}]"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--before", type=Path, help="a tree of the code to compare with")
    ap.add_argument("--check", action="store_true", help="time --check instead of a bundle")
    ap.add_argument("--in-process", action="store_true", help="time the build alone, inside its process")
    args = ap.parse_args()
    from bundler.cache import cache_dir

    project = install()
    entry = project / "app.mjs"
    js = [p for p in (project / "node_modules").rglob("*.js")]
    trees = {"after": ROOT, **({"before": args.before.resolve()} if args.before else {})}
    with tempfile.TemporaryDirectory() as tmp:
        caches = {}
        for name, tree in trees.items():
            # each tree's own cache, holding the engine, its machine code and the wasm module's
            caches[name] = Path(tmp) / name
            caches[name].mkdir()
            (caches[name] / "engine").symlink_to(cache_dir() / "engine")  # built once per machine
            run(tree, entry, caches[name], Path(tmp) / f"{name}.ebx", False)  # fills engine and machine code
        cold: dict[str, list[float]] = {n: [] for n in trees}
        warm: dict[str, list[float]] = {n: [] for n in trees}
        for _ in range(args.runs):
            for name, tree in trees.items():  # interleaved
                cold_cache(caches[name])
                out = Path(tmp) / f"{name}.ebx"
                cold[name].append(run(tree, entry, caches[name], out, args.check, args.in_process))
                warm[name].append(run(tree, entry, caches[name], out, args.check, args.in_process))
        modules = sum(1 for _ in json.loads(_manifest(Path(tmp) / "after.ebx"))["modules"])
    graph_files = _graph_files(project)
    size = sum(p.stat().st_size for p in graph_files)
    what = "edgebox-bundle --check" if args.check else "edgebox-bundle"
    where = "in one process (the build alone)" if args.in_process else "whole command"
    print(
        f"{what} on lodash-es {PACKAGES['lodash-es']} + date-fns {PACKAGES['date-fns']} + one wasm module: "
        f"{modules} modules, {size / 1e6:.2f} MB of JS ({len(js)} .js files installed); {where}, "
        f"seconds, median [range] of {args.runs} interleaved runs; load average {_load()}\n"
    )
    print(
        f"| {'run':<8} | "
        + " | ".join(f"{n:>18}" for n in trees)
        + (" | after / before |" if len(trees) > 1 else " |")
    )
    print(
        "|----------|" + "|".join("-" * 20 for _ in trees) + ("|----------------|" if len(trees) > 1 else "|")
    )
    for label, figures in (("cold", cold), ("warm", warm)):
        row = f"| {label:<8} | " + " | ".join(f"{fmt(figures[n]):>18}" for n in trees)
        if len(trees) > 1:
            ratio = statistics.median(figures["after"]) / statistics.median(figures["before"])
            row += f" | {ratio:14.2f}"
        print(row + " |")
    return 0


def _load() -> str:
    try:
        return " ".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


def _manifest(bundle: Path) -> str:
    import zipfile

    with zipfile.ZipFile(bundle) as z:
        return z.read("manifest.json").decode()


def _graph_files(project: Path) -> list[Path]:
    """The JS files of the graph, as the bundler finds them (in this tree's code)."""
    from bundler.graph import build_graph

    graph = build_graph(project / "app.mjs", scan=True)
    return [m.path for m in graph.js_modules().values()]


if __name__ == "__main__":
    sys.exit(main())
