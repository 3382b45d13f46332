"""A wasm module's imports from `wasm:js-string` are the engine's JS String Builtins, not a
file: the graph does not look for one, and the module bundles and runs."""

from __future__ import annotations

WAT = """
(module
  (import "wasm:js-string" "length" (func $len (param externref) (result i32)))
  (func (export "len") (param externref) (result i32) (call $len (local.get 0))))
"""


def test_a_wasm_module_importing_js_string_builtins_bundles_and_runs(project):
    project.wat("s.wasm", WAT)
    project.write("app.js", 'import { len } from "./s.wasm";\nconsole.log(len("hello"));\n')
    r = project.run("app.js")
    assert (r.code, r.out) == (0, "5\n"), r.err
