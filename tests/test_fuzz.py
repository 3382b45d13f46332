"""Fuzzing: mutated bundles, wasm modules and JS sources end in a clean error or a correct run.

Never a Python traceback, an internal error (exit 70) or a hang. Each target starts
from a valid input and lets hypothesis mutate it: raw byte edits, structured edits
of the bundle's manifest, and entries altered *with* their hashes re-signed, so
the engine and the linker meet content that passed verification.

The fast profile (CI) runs EDGEBOX_FUZZ_EXAMPLES cases per target (default 200);
`bash scripts/fuzz.sh` runs a long one. The case counts and what each case ended
in are printed at the end of the pytest run.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import sys
import zipfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bundler.ebx import manifest_seal
from bundler.limits import EXIT_HEAP_LIMIT, EXIT_STACK_LIMIT, EXIT_TIME_LIMIT, EXIT_WASM_MEMORY_LIMIT

EXAMPLES = int(os.environ.get("EDGEBOX_FUZZ_EXAMPLES", "200"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    derandomize=EXAMPLES <= 200,  # CI runs the same cases every time; long runs explore
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
RUN_LIMIT = "--time-limit=3"  # a mutation may well write an endless loop
CLEAN_EXITS = {1, 2, EXIT_HEAP_LIMIT, EXIT_WASM_MEMORY_LIMIT, EXIT_TIME_LIMIT, EXIT_STACK_LIMIT}

# target -> outcome -> cases, printed by conftest.pytest_terminal_summary
OUTCOMES: dict[str, Counter[str]] = {}

WAT = """(module
  (import "./host.js" "note" (func $note (param i32)))
  (memory (export "memory") 1)
  (global $g (export "counter") (mut i32) (i32.const 5))
  (data (i32.const 16) "edgebox")
  (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)
  (func (export "wide") (param i64) (result i64) local.get 0 i64.const 3 i64.mul)
  (func (export "bump") (result i32)
    global.get $g i32.const 1 i32.add global.set $g global.get $g call $note global.get $g)
  (func (export "load") (param i32) (result i32) local.get 0 i32.load8_u))
"""
HOST = "export function note(n) { console.log('note', n); }\n"
APP = """import * as m from "./m.wasm";
import { helper } from "./helper.js";
const total = [1, 2, 3].reduce((a, b) => m.add(a, b), 0);
console.log("add", total, m.wide(7n), m.bump(), m.counter.value ?? m.counter);
console.log("load", m.load(16), helper({ k: [1, "two"] }));
try { m.wide(total); } catch (e) { console.log("caught", e.constructor.name); }
"""
HELPER = "export function helper(o) { return JSON.stringify(o); }\n"


def _record(target: str, outcome: str) -> None:
    OUTCOMES.setdefault(target, Counter())[outcome] += 1


def _outcome(code: int) -> str:
    return {0: "ran", 1: "refused or failed cleanly", 2: "usage error"}.get(code, f"limit (exit {code})")


def _assert_clean(r, target: str) -> None:
    """The one property every case must have, whatever the mutation."""
    assert "Traceback" not in r.err, r.err
    assert "internal error" not in r.err, r.err
    assert r.code == 0 or r.code in CLEAN_EXITS, (r.code, r.err)
    if r.code != 0:
        assert "error" in r.err.lower(), (
            r.err
        )  # says what went wrong (an EdgeBox error or an uncaught JS one)
    _record(target, _outcome(r.code))


@dataclass(frozen=True)
class Valid:
    root: Path
    bundle: bytes
    wasm: bytes
    output: str  # what the valid bundle prints

    def __repr__(self) -> str:  # hypothesis prints the fixtures of a failing case
        return f"Valid({self.root})"


@pytest.fixture(scope="module")
def valid(tmp_path_factory) -> Valid:
    """A valid project, its bundle and its output, made once; each case works on copies."""
    from bundler.toolchain import build_wat

    root = tmp_path_factory.mktemp("fuzz")
    for name, text in {"app.js": APP, "helper.js": HELPER, "host.js": HOST, "m.wat": WAT}.items():
        (root / name).write_text(text)
    build_wat(root / "m.wat", root / "m.wasm")
    bin_dir = Path(sys.executable).parent
    subprocess.run([bin_dir / "edgebox-bundle", "app.js", "-o", "app.ebx"], cwd=root, check=True)
    run = subprocess.run([bin_dir / "edgebox-exec", "app.ebx"], cwd=root, capture_output=True, text=True)
    assert run.returncode == 0 and "add 6 21n 6" in run.stdout, run.stderr
    return Valid(root, (root / "app.ebx").read_bytes(), (root / "m.wasm").read_bytes(), run.stdout)


# --- mutations ---------------------------------------------------------------------


@st.composite
def byte_edits(draw, data: bytes) -> bytes:
    """A few flips, insertions, deletions or a truncation of `data`."""
    out = bytearray(data)
    for _ in range(draw(st.integers(1, 4))):
        if not out:
            break
        kind = draw(st.sampled_from(["flip", "set", "insert", "delete", "truncate"]))
        at = draw(st.integers(0, len(out) - 1))
        if kind == "flip":
            out[at] ^= 1 << draw(st.integers(0, 7))
        elif kind == "set":
            out[at] = draw(st.sampled_from([0x00, 0x7F, 0x80, 0xFF, 0x01]))
        elif kind == "insert":
            out[at:at] = draw(st.binary(min_size=1, max_size=8))
        elif kind == "delete":
            del out[at : at + draw(st.integers(1, 8))]
        else:
            del out[at:]
    return bytes(out)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**40), 2**40) | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=6,
)


def _paths(obj, prefix=()):
    """Every key path in a JSON document."""
    yield prefix
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield from _paths(v, (*prefix, k))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from _paths(v, (*prefix, i))


def _zip(entries: dict[str, bytes]) -> bytes:
    """A bundle of `entries`, the manifest's hash recorded anew so the checks behind it are reached."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.comment = manifest_seal(entries["manifest.json"])
        for name, data in entries.items():
            z.writestr(name, data)
    return buf.getvalue()


def _entries(bundle: bytes) -> dict[str, bytes]:
    z = zipfile.ZipFile(io.BytesIO(bundle))
    return {n: z.read(n) for n in z.namelist()}


@st.composite
def manifest_edits(draw, bundle: bytes) -> bytes:
    """The bundle with one manifest field replaced, deleted or retyped."""
    entries = _entries(bundle)
    manifest = json.loads(entries["manifest.json"])
    path = draw(st.sampled_from([p for p in _paths(manifest) if p]))
    parent = manifest
    for key in path[:-1]:
        parent = parent[key]
    if draw(st.booleans()) and isinstance(parent, dict):
        del parent[path[-1]]
    else:
        parent[path[-1]] = draw(JSON_VALUES)
    entries["manifest.json"] = json.dumps(manifest).encode()
    return _zip(entries)


@st.composite
def resigned_entry_edits(draw, bundle: bytes) -> bytes:
    """One entry's content mutated and its manifest hash updated to match.

    Verification passes; what follows (linking, the engine loading bytecode, the
    adapter and user modules instantiating) meets the damaged content.
    """
    entries = _entries(bundle)
    name = draw(st.sampled_from(sorted(n for n in entries if n != "manifest.json")))
    entries[name] = draw(byte_edits(entries[name]))
    manifest = json.loads(entries["manifest.json"])
    manifest["files"][name] = hashlib.sha256(entries[name]).hexdigest()
    entries["manifest.json"] = json.dumps(manifest).encode()
    return _zip(entries)


@st.composite
def js_edits(draw, source: str) -> str:
    """Text edits of a JS source: deleted spans, duplicated spans, inserted tokens."""
    text = source
    tokens = ["(", ")", "{", "}", "[", "]", ";", ",", ".", "=>", "`", '"', "'", "/", "*", "\\",
              "await ", "import ", "export ", "m.", "1n", "-", "0x", "\n", "//", "/*", "${", "..."]  # fmt: skip
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(text)))
        kind = draw(st.sampled_from(["delete", "duplicate", "insert"]))
        if kind == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 12)) :]
        elif kind == "duplicate":
            n = draw(st.integers(1, 20))
            text = text[:at] + text[at : at + n] + text[at:]
        else:
            text = text[:at] + draw(st.sampled_from(tokens)) + text[at:]
    return text


# --- targets -----------------------------------------------------------------------


def _exec_bytes(project, data: bytes):
    path = project.root / "case.ebx"
    path.write_bytes(data)
    return project.exec(RUN_LIMIT, path)


@FUZZ
@given(data=st.data())
def test_fuzz_bundle_bytes(project, valid, data):
    """Raw byte edits anywhere in the archive: refused, or (metadata only) the same run."""
    r = _exec_bytes(project, data.draw(byte_edits(valid.bundle)))
    _assert_clean(r, "bundle bytes")
    if r.code == 0:
        assert r.out == valid.output  # a mutation verification let through changed nothing that runs


@FUZZ
@given(data=st.data())
def test_fuzz_bundle_manifest(project, valid, data):
    case = data.draw(manifest_edits(valid.bundle))
    _assert_clean(_exec_bytes(project, case), "bundle manifest fields")


@FUZZ
@given(data=st.data())
def test_fuzz_bundle_entries_resigned(project, valid, data):
    case = data.draw(resigned_entry_edits(valid.bundle))
    _assert_clean(_exec_bytes(project, case), "bundle entries (hashes re-signed)")


@FUZZ
@given(data=st.data())
def test_fuzz_wasm_module(project, valid, data):
    """A mutated m.wasm at bundle time: a clean error naming it, or a bundle that runs cleanly."""
    for name in ("app.js", "helper.js", "host.js"):
        (project.root / name).write_bytes((valid.root / name).read_bytes())
    (project.root / "m.wasm").write_bytes(data.draw(byte_edits(valid.wasm)))
    r = _bundle_and_run(project, "wasm module")
    if (
        r.code != 0
    ):  # refused naming the module, or a call site in app.js its mutated signatures no longer fit
        assert "m.wasm" in r.err or "app.js:" in r.err


@FUZZ
@given(data=st.data())
def test_fuzz_js_source(project, valid, data):
    """A mutated app.js: a clean error with file:line:column, or a bundle that runs cleanly."""
    for name in ("m.wasm", "helper.js", "host.js"):
        (project.root / name).write_bytes((valid.root / name).read_bytes())
    (project.root / "app.js").write_text(data.draw(js_edits(APP)))
    _bundle_and_run(project, "JS source")


def _bundle_and_run(project, target: str):
    """Bundle app.js; run the bundle if one was written. Returns the bundling result."""
    out = project.root / "case.ebx"
    out.unlink(missing_ok=True)
    r = project.bundle(project.root / "app.js", "-o", out, RUN_LIMIT)
    _assert_clean(r, f"{target} (bundle)")
    if r.code == 0:
        _assert_clean(project.exec(out), f"{target} (run)")
    else:
        assert not out.exists()  # nothing half-written
    return r
