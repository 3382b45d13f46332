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
import sqlite3
import subprocess
import sys
import time
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


def _rows(cache: Path) -> dict[tuple[str, str], bytes]:
    with sqlite3.connect(cache / "modules.sqlite3") as db:
        return {(k, key): bytes(d) for k, key, d in db.execute("SELECT kind, key, data FROM entries")}


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
    for entry in (cache / "builds").rglob("*.pickle"):  # whole builds: damaged, never used
        _flip_byte(entry)
    # per-module entries (facts, bytecode): rows of one database, each after its sha256
    rows = _rows(cache)
    assert {kind for kind, _ in rows} >= {"bytecode"}, "the bundles above cached their modules' bytecode"
    with sqlite3.connect(cache / "modules.sqlite3") as db:
        for (kind, key), data in rows.items():  # QuickJS's bytecode reader trusts its input
            damaged = bytearray(data)
            damaged[int(len(damaged) * 0.9)] ^= 0xFF
            db.execute("UPDATE entries SET data = ? WHERE kind = ? AND key = ?", (bytes(damaged), kind, key))
    r = subprocess.run([BIN / "edgebox-exec", "app.js"], cwd=root, env=env, capture_output=True, text=True)
    assert (r.returncode, r.stdout) == (0, EXPECTED), r.stderr
    import hashlib

    # re-analysed and recompiled (which loads the compiler's machine code, damaged above)
    for (kind, key), data in _rows(cache).items():
        assert hashlib.sha256(data[32:]).digest() == data[:32], (kind, key)

    for cwasm in (cache / "compiled").glob("*.cwasm"):
        digest = hashlib.sha256(cwasm.read_bytes()).hexdigest()
        assert json.loads(cwasm.with_suffix(".sha256").read_text())["sha256"] == digest  # rewritten whole

    engine_wasm = next((cache / "engine").rglob("engine.wasm"))
    _flip_byte(engine_wasm)
    r = subprocess.run([BIN / "edgebox-exec", "app.js"], cwd=root, env=env, capture_output=True, text=True)
    assert (r.returncode, r.stdout) == (0, EXPECTED), r.stderr
    assert "the cached engine in" in r.stderr and "is damaged; rebuilding it" in r.stderr
    assert not _leftovers(cache)


# ---------------------------------------------------------------------------------------------
# Found by attacking EdgeBox (issue 9, items 15 and 22), and fixed
# ---------------------------------------------------------------------------------------------

# Waits, then runs code that earlier parts of the program never touched (regular expressions,
# BigInt, JSON, Date): their machine code pages are first needed after the wait.
LATE_APP = """
import { mix } from "./m.wasm";
console.log("before", mix(2, 3));
setTimeout(() => {
  const text = JSON.stringify({ re: /(a+)+b/.exec("aaab")[1], big: (2n ** 200n).toString(36), d: new Date(0).toISOString() });
  console.log("after", text.length > 20, mix(3, 4));
}, 1500);
"""


def _warm_copy(tmp_path: Path) -> tuple[Path, Path, dict[str, str]]:
    """A project with a cache of its own whose engine is the suite's (linked, not rebuilt)."""
    from bundler.cache import cache_dir
    from bundler.toolchain import build_wat

    root = tmp_path / "p"
    root.mkdir()
    (root / "app.js").write_text(LATE_APP)
    (root / "m.wat").write_text(WAT)
    build_wat(root / "m.wat", root / "m.wasm")
    cache = tmp_path / "cache"
    (cache / "engine").mkdir(parents=True)
    for entry in (cache_dir() / "engine").iterdir():
        (cache / "engine" / entry.name).symlink_to(entry)
    return root, cache, {**os.environ, "EDGEBOX_CACHE_DIR": str(cache)}


def test_cached_code_cut_short_under_a_running_program_does_not_kill_it(tmp_path):
    """Item 15: cached .cwasm files were mapped; truncating one in place while a run had it
    mapped killed the run with SIGBUS (exit 135, no message). They are read, not mapped."""
    root, cache, env = _warm_copy(tmp_path)
    r = subprocess.run(
        [BIN / "edgebox-bundle", "app.js", "-o", "app.ebx"], cwd=root, env=env, capture_output=True, text=True
    )
    assert r.returncode == 0, r.stderr
    warm = subprocess.run(
        [BIN / "edgebox-exec", "app.ebx"], cwd=root, env=env, capture_output=True, text=True
    )
    assert warm.returncode == 0, warm.stderr  # the cache now holds every module's machine code
    run = _start(root, env, "edgebox-exec", "app.ebx")
    assert run.stdout.readline() == "before 7\n"  # loaded from the cache and running
    for cwasm in (cache / "compiled").glob("*.cwasm"):
        with open(cwasm, "r+b") as f:
            f.truncate(0)  # in place, as a careless cleaner would
    out, err = run.communicate(timeout=60)
    assert run.returncode == 0, err
    assert out == "after true 13\n"


def test_an_unusable_cache_is_named_and_the_run_goes_on(tmp_path):
    """Item 22: a cache directory that could not be written ended in exit 70. Now the warning
    names the directory and why, and the bundle and the run go on without caching."""
    root, cache, env = _warm_copy(tmp_path)
    (cache / "compiled").write_text("a file where the compiled-code cache should be")
    (cache / "analysis").write_text("and another")
    (cache / "modules.sqlite3").mkdir()  # a directory where the modules' database should be
    for argv in (["edgebox-bundle", "app.js", "-o", "app.ebx"], ["edgebox-exec", "app.ebx"]):
        r = subprocess.run([BIN / argv[0], *argv[1:]], cwd=root, env=env, capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
        assert f"the cache directory {cache} cannot be written" in r.stderr
        assert r.stderr.count("cannot be written") == 1  # said once, not once per entry
        assert "internal error" not in r.stderr
    assert r.stdout == "before 7\nafter true 13\n"


def test_a_cache_that_cannot_hold_the_engine_builds_it_for_the_run(tmp_path):
    """Item 22: with no engine and a cache that cannot be written, the engine is built in a
    temporary directory (slow, and said), instead of an internal error."""
    from bundler.toolchain import build_wat

    (tmp_path / "app.js").write_text(APP)
    (tmp_path / "m.wat").write_text(WAT)
    build_wat(tmp_path / "m.wat", tmp_path / "m.wasm")
    blocker = tmp_path / "cache-is-a-file"
    blocker.write_text("not a directory")
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env = {**os.environ, "EDGEBOX_CACHE_DIR": str(blocker), "TMPDIR": str(scratch)}
    r = subprocess.run(
        [BIN / "edgebox-exec", "app.js"], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert (r.returncode, r.stdout) == (0, EXPECTED), r.stderr
    assert f"the cache directory {blocker} cannot be written" in r.stderr
    assert "internal error" not in r.stderr
    # built once for the process (bundling and running both need it), and not left behind
    assert r.stderr.count("building the JS engine") == 1, r.stderr
    assert list(scratch.iterdir()) == []


@pytest.mark.parametrize("start", ["", "(func $s) (start $s)"], ids=["no-start", "start-function"])
def test_the_first_run_compiles_nothing_the_build_compiled(tmp_path, monkeypatch, capfd, start):
    """Issue 10, point 5: the bundle-time check compiled with epoch checks and the first run
    without them, so a big module was compiled twice, once per command."""
    import wasmtime

    from bundler.cli import bundle_main, exec_main
    from bundler.engine import sandbox

    root, cache, env = _warm_copy(tmp_path)
    monkeypatch.setenv("EDGEBOX_CACHE_DIR", str(cache))
    (root / "m.wat").write_text(
        f'(module {start} (func (export "mix") (param i32 i32) (result i32) local.get 0 local.get 1 i32.mul))'
    )
    from bundler.toolchain import build_wat

    build_wat(root / "m.wat", root / "m.wasm")
    (root / "app.js").write_text(APP)
    monkeypatch.chdir(root)
    assert bundle_main(["app.js", "-o", "app.ebx"]) == 0

    class NoCompiling(wasmtime.Module):
        def __init__(self, *a, **k):
            raise AssertionError("compiled again instead of using what the build compiled")

    monkeypatch.setattr(sandbox.wasmtime, "Module", NoCompiling)
    capfd.readouterr()
    assert exec_main(["app.ebx"]) == 0
    assert capfd.readouterr().out == "mix 42 -2\n"


def test_a_file_verified_once_is_hashed_again_after_any_write(tmp_path, monkeypatch):
    """The engine's hash is remembered by the file's stat (start-up, docs/performance.md):
    a write that keeps the size and puts the mtime back still changes the ctime, and then
    the bytes are hashed again and the damage is seen."""
    import hashlib

    from bundler.cache import RACY_NS, file_has_sha256

    monkeypatch.setenv("EDGEBOX_CACHE_DIR", str(tmp_path / "cache"))
    f = tmp_path / "engine.wasm"
    f.write_bytes(b"\0asm" + bytes(1000))
    good = hashlib.sha256(f.read_bytes()).hexdigest()
    assert file_has_sha256(f, good)
    assert not (tmp_path / "cache" / "verified").exists(), "too fresh to be remembered by its stat"
    time.sleep(RACY_NS / 1e9 + 0.1)
    assert file_has_sha256(f, good)
    assert list((tmp_path / "cache" / "verified").iterdir()), "the verification is remembered"
    assert file_has_sha256(f, good)  # from the record
    assert not file_has_sha256(f, "0" * 64)  # a record is for one digest only
    st = f.stat()
    f.write_bytes(b"\0asm" + bytes(999) + b"\1")  # same size
    os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns))  # mtime put back; the ctime moved on
    assert not file_has_sha256(f, good)


def test_the_engine_sources_digest_is_remembered_until_any_source_changes(tmp_path, monkeypatch):
    """The engine's build key hashes its 630 KB of glue on every start unless remembered by
    the files' stats (cache.files_digest): a change to any of them, even one that keeps the
    size and the mtime, computes it again, and a damaged record is not believed."""
    from bundler.cache import RACY_NS, files_digest

    monkeypatch.setenv("EDGEBOX_CACHE_DIR", str(tmp_path / "cache"))
    files = [tmp_path / "glue.c", tmp_path / "prelude.js"]
    for f in files:
        f.write_text(f"// {f.name}\n")
    computed: list[str] = []

    def digest() -> str:
        value = "".join(f.read_text() for f in files)
        computed.append(value)
        return value

    assert files_digest(files, digest) == "// glue.c\n// prelude.js\n"
    assert files_digest(files, digest) == "// glue.c\n// prelude.js\n"
    assert len(computed) == 2, "files changed in the last two seconds are not remembered yet"
    time.sleep(RACY_NS / 1e9 + 0.1)
    files_digest(files, digest)
    assert files_digest(files, digest) == "// glue.c\n// prelude.js\n"
    assert len(computed) == 3, "remembered once the files had settled"
    st = files[1].stat()
    files[1].write_text("// prelude.jx\n")  # same size, mtime put back: the ctime moves on
    os.utime(files[1], ns=(st.st_atime_ns, st.st_mtime_ns))
    assert files_digest(files, digest) == "// glue.c\n// prelude.jx\n"
    assert len(computed) == 4
    (record,) = (tmp_path / "cache" / "verified").iterdir()
    record.write_text('{"stat": 1}')
    assert files_digest(files, digest) == "// glue.c\n// prelude.jx\n"
    assert len(computed) == 5


def test_the_engine_key_follows_flags_and_patches_changed_in_the_process(tmp_path, monkeypatch):
    """bench/js_suite.py's variants change build.py's flags and patches in their own process,
    after the sources' digest was remembered by the files' stats: each variant must still get
    an engine of its own, not the current one under its key."""
    from bundler import cache
    from bundler.engine import build

    monkeypatch.setenv("EDGEBOX_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(cache, "RACY_NS", 0)  # remembered even if a source was just edited
    current = build.source_key()
    assert list((tmp_path / "cache" / "verified").iterdir()), "the digest was remembered"
    assert build.source_key() == current
    monkeypatch.setattr(build, "FAST_PATH_PATCHES", ())
    without_fast_paths = build.source_key()
    monkeypatch.setattr(build, "CFLAGS", (*build.CFLAGS, "-flto"))
    assert len({current, without_fast_paths, build.source_key()}) == 3


@pytest.mark.parametrize("size", [0, 3, 64 * 1024, 256 * 1024, 256 * 1024 + 1, 3 * 1024 * 1024])
def test_sha256_hex_agrees_with_hashlib_on_both_sides_of_its_cutover(size):
    """digest.sha256_hex hashes small inputs with CPython's own sha256 (no OpenSSL import at
    start-up) and large ones with hashlib's: the same digest either way."""
    import hashlib

    from bundler import digest
    from bundler.digest import SMALL, sha256_hex

    assert SMALL == 256 * 1024
    assert digest._BUILTIN is not None, "this Python has its own sha256 (_sha2 or _sha256)"
    data = bytes((i * 7 + size) % 251 for i in range(size))
    assert sha256_hex(data) == hashlib.sha256(data).hexdigest()
