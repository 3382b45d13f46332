"""wasmtime's C bindings defined on first use (bundler/engine/lazy_bindings.py).

Every name wasmtime-py's `_bindings` defines must still be there, be one object however it
is reached (a ctypes structure defined twice would be two incompatible types), and a
function's argument types must be the module's own classes. Each check runs in a fresh
process on a cache of its own: once splitting the file, once loading the split from the cache.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

CHECK = r"""
import ast, sys
import bundler.engine  # installs the lazy loader
import wasmtime
from wasmtime import _bindings, _ffi

assert isinstance(_bindings.__dict__.get("__getattr__"), type(lambda: 0)), "not the lazy loader"
defined_at_import = sum(1 for v in _bindings.__dict__.values() if type(v).__name__ == "function")
tree = ast.parse(open(_bindings.__file__, encoding="utf-8").read())
names = set()
for stmt in tree.body:
    if isinstance(stmt, (ast.FunctionDef, ast.ClassDef)):
        names.add(stmt.name)
    elif isinstance(stmt, ast.Assign):
        names |= {t.id for t in stmt.targets if isinstance(t, ast.Name)}
functions = sum(isinstance(s, ast.FunctionDef) for s in tree.body)
for name in sorted(names):
    value = getattr(_bindings, name)
    if not name.startswith("_"):
        assert getattr(_ffi, name) is value, name
vec = _bindings.wasm_byte_vec_t
assert _bindings._wasm_byte_vec_new.argtypes[0]._type_ is vec
assert _ffi.wasm_byte_vec_t is vec and _ffi.wasm_name_t is vec
# and wasmtime works through them
store = wasmtime.Store()
module = wasmtime.Module(store.engine, '(module (func (export "f") (param i32) (result i32) local.get 0 i32.const 1 i32.add))')
assert wasmtime.Instance(store, module, []).exports(store)["f"](store, 41) == 42
print(defined_at_import, functions, len(names))
"""


def test_every_binding_is_there_once_and_works(tmp_path):
    env = {**os.environ, "EDGEBOX_CACHE_DIR": str(tmp_path / "cache")}
    root = Path(__file__).resolve().parent.parent
    outputs = []
    for _ in range(2):  # the first process splits the file, the second reads the split
        r = subprocess.run([sys.executable, "-c", CHECK], cwd=root, env=env, capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
        outputs.append(r.stdout.split())
    assert list((tmp_path / "cache" / "wasmtime-bindings").iterdir()), "the split is cached"
    for at_import, functions, _names in outputs:
        assert int(functions) > 500
        assert int(at_import) < int(functions) // 10, "most functions are defined when first used"


def test_an_unreadable_split_falls_back_to_the_ordinary_import(tmp_path):
    cache = tmp_path / "cache"
    (cache / "wasmtime-bindings").mkdir(parents=True)
    env = {**os.environ, "EDGEBOX_CACHE_DIR": str(cache)}
    root = Path(__file__).resolve().parent.parent
    first = subprocess.run([sys.executable, "-c", CHECK], cwd=root, env=env, capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    for entry in (cache / "wasmtime-bindings").iterdir():
        entry.write_bytes(b"not marshal data")
    r = subprocess.run([sys.executable, "-c", CHECK], cwd=root, env=env, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr  # split again from the file and replaced
