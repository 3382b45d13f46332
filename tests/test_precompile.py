"""Wasm the engine compiles while the program runs is compiled when the bundle is built, so the
first run on the machine finds its machine code cached (issue 11, point 2): a module embedded in
the JS as base64, as Emscripten's SINGLE_FILE and hand-written loaders ship it."""

from __future__ import annotations

import base64
import secrets

import wasmtime

from bundler.cache import cache_dir
from bundler.precompile import embedded_modules

ADD = bytes(
    wasmtime.wat2wasm(
        '(module (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add))'
    )
)


def test_base64_wasm_in_a_string_is_found_whatever_surrounds_it():
    b64 = base64.b64encode(ADD).decode()
    source = (
        f'const a = "{b64}";\nconst b = `data:application/octet-stream;base64,{b64}`;\n'
        "const c = 'AGFzbQEAAAA';  // a header alone is not a module\nconst d = 'hello';\n"
    )
    assert embedded_modules(source) == [ADD, ADD]


def test_an_embedded_module_is_compiled_by_the_bundler_not_the_run(project):
    """A module big enough that its machine code stands out from the run's own small glue, and
    new (a unique constant) so that no earlier test compiled it."""
    funcs = "".join(
        f'(func (export "f{i}") (param i32) (result i32) (i32.mul (local.get 0) (i32.const {i})))'
        for i in range(400)
    )
    unique = secrets.randbelow(2**31)
    wat = f'(module {funcs} (func (export "id") (result i32) (i32.const {unique})))'
    b64 = base64.b64encode(bytes(wasmtime.wat2wasm(wat))).decode()
    project.write(
        "app.js",
        f'const bytes = Uint8Array.from(atob("{b64}"), (c) => c.charCodeAt(0));\n'
        "const { instance } = await WebAssembly.instantiate(bytes);\nconsole.log(instance.exports.id(), instance.exports.f3(5));\n",
    )
    out = project.root / "app.ebx"
    assert project.bundle(project.root / "app.js", "-o", out).code == 0
    project.write("warm.js", "console.log(1);\n")  # the engine's own machine code, if this is the first run
    assert project.run("warm.js").code == 0
    compiled = cache_dir() / "compiled"
    before = {p.name for p in compiled.glob("*.cwasm")}
    r = project.exec(out)
    assert (r.code, r.out) == (0, f"{unique} 15\n"), r.err
    new = sorted(
        (compiled / name).stat().st_size for name in {p.name for p in compiled.glob("*.cwasm")} - before
    )
    assert all(size < 20_000 for size in new), new  # only the run's glue (an export's case), never the module
