"""The npm corpus: real packages that ship wasm, pinned, installed with npm once per machine.

tests/test_npm_packages.py runs each case's app.mjs under EdgeBox and compares its output
with Node's; bench/package_throughput.py times one of them against Node. Each case is a
directory here holding `app.mjs` (a small program using the package as its README shows),
`expected.txt` (what Node prints for it) and optionally:

- `node-flags`: the flags Node needs to load the same build EdgeBox picks (`-C browser`,
  or `--import ../node-hooks.mjs` for packages made for bundlers, which Node cannot load as
  published; see node-hooks.mjs);
- `edgebox.json`, `*.js`: files the program needs beside it (an import map).

The packages are installed into the EdgeBox cache (`npm-corpus/<hash of the list>/`), so a
second run, or a run without the network, reuses them.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from bundler.cache import cache_dir, locked  # noqa: E402

# Exact versions: what the expected outputs were recorded with.
PACKAGES = {
    "tiktoken": "1.0.22",  # tokenizer (wasm-bindgen, bundler target)
    "@dimforge/rapier3d": "0.21.0",  # physics engine (wasm-bindgen)
    "loro-crdt": "1.17.1",  # CRDT (wasm-bindgen; tests `instanceof WebAssembly.Module`)
    "brotli-wasm": "3.0.1",  # compressor (wasm-bindgen; needs more than 32 MiB of memory)
    "lz4-wasm": "0.9.2",  # compressor (wasm-bindgen, older glue)
    "@wasm-fmt/ruff_fmt": "0.15.20",  # Python formatter (wasm-bindgen, strings both ways)
    "@wasm-fmt/gofmt": "0.7.3",  # Go formatter (TinyGo: no wasm-bindgen, imports nothing)
    "farmhash-modern": "1.1.0",  # hash (wasm-bindgen, i64 results as BigInt)
    "@chainsafe/as-sha256": "1.2.5",  # hash (AssemblyScript; its shipped .wasm imported directly)
    "yoga-layout": "3.2.1",  # layout (Emscripten, embind, wasm embedded: the JS API at run time)
    "xxhash-wasm": "1.1.0",  # hash (wasm embedded as base64, WebAssembly.instantiate)
    "@jsquash/png": "3.1.1",  # image codec (wasm-pack --target web: fetch(new URL(...)))
}

NPM = shutil.which("npm")


class NpmUnavailable(Exception):
    pass


def cases() -> list[str]:
    return sorted(d.name for d in HERE.iterdir() if (d / "app.mjs").is_file())


def install() -> Path:
    """The directory whose node_modules holds every package of the corpus, installed once.

    Raises NpmUnavailable when npm is not installed; an install that fails is an error (with
    npm's own message), not a skip."""
    specs = [f"{name}@{version}" for name, version in sorted(PACKAGES.items())]
    key = hashlib.sha256("\n".join(specs).encode()).hexdigest()[:16]
    prefix = cache_dir() / "npm-corpus" / key
    done = prefix / ".installed"
    if done.is_file():
        return prefix
    if NPM is None:
        raise NpmUnavailable("npm is not installed: the npm corpus cannot be installed")
    prefix.mkdir(parents=True, exist_ok=True)
    with locked(prefix / ".lock"):
        if done.is_file():
            return prefix
        print(
            f"edgebox tests: installing {len(specs)} npm packages for the corpus (once per machine)",
            file=sys.stderr,
        )
        (prefix / "package.json").write_text(json.dumps({"name": "edgebox-npm-corpus", "private": True}))
        proc = subprocess.run(
            [NPM, "install", "--no-audit", "--no-fund", "--ignore-scripts", "--save-exact", *specs],
            cwd=prefix,
            capture_output=True,
            text=True,
            timeout=900,
            env={**os.environ, "npm_config_update_notifier": "false"},
        )
        if proc.returncode != 0:
            raise RuntimeError(f"npm install failed in {prefix}:\n{proc.stderr[-2000:]}")
        done.write_text("\n".join(specs) + "\n")
    return prefix


def workdir(case: str) -> Path:
    """The case's files copied beside the installed packages (the app imports them by name)."""
    prefix = install()
    work = prefix / "cases" / case
    if work.exists():
        shutil.rmtree(work)
    shutil.copytree(HERE / case, work)
    for hooks in ("node-hooks.mjs", "node-hooks-impl.mjs", "node-fetch-file.mjs"):
        shutil.copy(HERE / hooks, prefix / "cases" / hooks)
    return work


def node_command(case: str, node: str, app: Path) -> list[str]:
    flags_file = HERE / case / "node-flags"
    flags = flags_file.read_text().split() if flags_file.is_file() else []
    return [node, "--experimental-wasm-modules", "--no-warnings", *flags, str(app)]


def run_node(case: str, node: str) -> subprocess.CompletedProcess[str]:
    app = workdir(case) / "app.mjs"
    return subprocess.run(
        node_command(case, node, app), cwd=app.parent, capture_output=True, text=True, timeout=300
    )


if __name__ == "__main__":
    # Record Node's output as each case's expected.txt (after changing a case or a version):
    #   python tests/npm/corpus.py [CASE...]
    node = shutil.which("node")
    if node is None:
        sys.exit("node is not installed: the expected outputs are Node's")
    for case in sys.argv[1:] or cases():
        proc = run_node(case, node)
        if proc.returncode != 0:
            sys.exit(f"{case}: node exited {proc.returncode}:\n{proc.stderr}")
        (HERE / case / "expected.txt").write_text(proc.stdout)
        print(f"{case}: {len(proc.stdout.splitlines())} lines recorded")
