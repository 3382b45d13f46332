"""The cache under concurrency and damage.

Several edgebox processes started at once on an empty cache all succeed (the engine
is built once under a lock; everything else is content-addressed and written
atomically), and an entry damaged on disk is detected and rebuilt, never run.
These run real processes on a cache of their own, so the engine is built from its
pinned sources here once more (about half a minute).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent
APP = 'import { mix } from "./m.wasm";\nconsole.log("mix", mix(6, 7), mix(-1, 2));\n'
WAT = '(module (func (export "mix") (param i32 i32) (result i32) local.get 0 local.get 1 i32.mul i32.const 1 i32.add))'
EXPECTED = "mix 43 -1\n"


@pytest.fixture(scope="module")
def cold(tmp_path_factory):
    """A project and an empty cache directory, shared by the tests below, in order."""
    from bundler.toolchain import build_wat

    root = tmp_path_factory.mktemp("cold")
    (root / "app.js").write_text(APP)
    (root / "m.wat").write_text(WAT)
    build_wat(root / "m.wat", root / "m.wasm")
    cache = root / "cache"
    env = {**os.environ, "EDGEBOX_CACHE_DIR": str(cache)}
    return root, cache, env


def _start(root: Path, env: dict[str, str], *argv: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [str(BIN / argv[0]), *argv[1:]], cwd=root, env=env, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip


def _leftovers(cache: Path) -> list[Path]:
    return [p for p in cache.rglob("*") if p.name.endswith(".tmp")]


def test_processes_racing_on_a_cold_cache_all_succeed(cold):
    root, cache, env = cold
    procs = [
        _start(root, env, "edgebox-exec", "app.js"),
        _start(root, env, "edgebox-exec", "app.js"),
        _start(root, env, "edgebox-bundle", "app.js", "-o", "app.ebx"),
        _start(root, env, "edgebox-bundle", "--check", "app.js"),
    ]
    results = [(p.args, *p.communicate(timeout=900), p.returncode) for p in procs]
    for args, _out, err, code in results:
        assert code == 0, (args, err)
        assert "Traceback" not in err
    assert results[0][1] == results[1][1] == EXPECTED
    # The engine was built once: one process built it, the others waited on the lock.
    assert sum("building the JS engine" in err for _, _, err, _ in results) == 1
    assert not _leftovers(cache)
    r = subprocess.run([BIN / "edgebox-exec", "app.ebx"], cwd=root, env=env, capture_output=True, text=True)
    assert (r.returncode, r.stdout) == (0, EXPECTED)
    for cwasm in (cache / "compiled").glob("*.cwasm"):
        assert cwasm.with_suffix(".sha256").exists(), cwasm


def _flip_byte(path: Path, at: float = 0.5) -> None:
    data = bytearray(path.read_bytes())
    data[int(len(data) * at)] ^= 0xFF
    path.write_bytes(bytes(data))


def test_damaged_cache_entries_are_detected_and_rebuilt(cold):
    root, cache, env = cold
    compiled = sorted((cache / "compiled").glob("*.cwasm"), key=lambda p: p.stat().st_size)
    assert compiled, "the race test above fills the cache"
    _flip_byte(compiled[-1])  # the engine's machine code: must never be run damaged
    compiled[0].write_bytes(compiled[0].read_bytes()[:100])  # truncated
    for entry in (cache / "analysis").rglob("*.json"):
        entry.write_text("{ not json")
    r = subprocess.run([BIN / "edgebox-exec", "app.js"], cwd=root, env=env, capture_output=True, text=True)
    assert (r.returncode, r.stdout) == (0, EXPECTED), r.stderr
    import hashlib

    for cwasm in (cache / "compiled").glob("*.cwasm"):
        digest = hashlib.sha256(cwasm.read_bytes()).hexdigest()
        assert json.loads(cwasm.with_suffix(".sha256").read_text())["sha256"] == digest  # rewritten whole
    for entry in (cache / "analysis").rglob("*.json"):
        json.loads(entry.read_text())  # re-analysed and replaced

    engine_wasm = next((cache / "engine").rglob("engine.wasm"))
    _flip_byte(engine_wasm)
    r = subprocess.run([BIN / "edgebox-exec", "app.js"], cwd=root, env=env, capture_output=True, text=True)
    assert (r.returncode, r.stdout) == (0, EXPECTED), r.stderr
    assert "the cached engine in" in r.stderr and "is damaged; rebuilding it" in r.stderr
    assert not _leftovers(cache)
