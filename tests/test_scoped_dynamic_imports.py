"""Calls through `await import()` inside functions and blocks are checked as at the top level.

`const m = await import("./m.wasm")` (or `const { add } = ...`) in an async function, an
arrow function, a method or a block binds the module there; a call through that binding in
its scope is checked against the export's signature and reported at its exact line:column.
"""

from __future__ import annotations

import json

M_WAT = """
(module
  (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)
  (func (export "big") (param i64) (result i64) local.get 0))
"""

# another module with an `add` of another signature: which binding a call goes through matters
N_WAT = '(module (func (export "add") (param i32) (result i32) local.get 0))'


def _diagnostics(project, js: str) -> list[tuple[str, int, int]]:
    project.wat("m.wasm", M_WAT)
    project.wat("n.wasm", N_WAT)
    project.write("app.js", js)
    r = project.bundle("--check", "--format", "json", "app.js")
    assert r.err == ""
    return [(d["code"], d["line"], d["column"]) for d in json.loads(r.out)]


def test_wrong_calls_inside_functions_are_reported_at_their_position(project):
    js = """\
async function inAsyncFunction() {
  const m = await import("./m.wasm");
  m.add(1, 2);
  return m.add(1);
}
const inArrow = async () => {
  const { add, big: wide } = await import("./m.wasm");
  add(1, 2);
  wide(1);
  return add(1, 2, 3);
};
class C {
  async inMethod() {
    const m = await import("./m.wasm");
    return m.big(5n) + m["big"]("x");
  }
}
if (globalThis.flag) {
  const m = await import("./m.wasm");
  m.add(1n, 2);
}
"""
    assert _diagnostics(project, js) == [
        ("EB002", 4, 10),  # m.add(1)
        ("EB003", 9, 8),  # wide(1): i64 takes a BigInt
        ("EB002", 10, 20),  # add(1, 2, 3): the extra argument
        ("EB003", 15, 33),  # m["big"]("x")
        ("EB003", 20, 9),  # m.add(1n, 2) in a block
    ]


def test_right_calls_inside_functions_are_not_reported(project):
    js = """\
export async function f() {
  const m = await import("./m.wasm");
  const { add } = await import("./m.wasm");
  return m.add(1, 2) + add(3, 4) + Number(m.big(5n));
}
export const g = async () => (await import("./m.wasm")).add(1, 2);
"""
    assert _diagnostics(project, js) == []


def test_unknown_exports_inside_functions_are_reported(project):
    js = """\
async function f() {
  const { sub } = await import("./m.wasm");
  const m = await import("./m.wasm");
  return m.mul(1, 2);
}
"""
    assert _diagnostics(project, js) == [("EB001", 2, 11), ("EB001", 4, 12)]


def test_each_scope_checks_against_its_own_binding(project):
    """The same name bound to different modules, at the top level and in two functions."""
    js = """\
import * as m from "./m.wasm";
async function one() {
  const m = await import("./n.wasm");
  m.add(1);
  m.add(1, 2);
}
async function two() {
  const m = await import("./m.wasm");
  m.add(1, 2);
  m.add(1);
}
m.add(1, 2);
m.add(1);
"""
    assert _diagnostics(project, js) == [("EB002", 5, 12), ("EB002", 10, 3), ("EB002", 13, 1)]


def test_a_name_redeclared_in_an_inner_scope_is_not_taken_for_the_import(project):
    js = """\
async function f(flag) {
  const m = await import("./m.wasm");
  const inner = (m) => m.add(1);
  { const m = { add() {} }; m.add(1); }
  try { flag(); } catch (m) { m.add(1); }
  return m.add(1);
}
"""
    assert _diagnostics(project, js) == [("EB002", 6, 10)]


def test_a_source_phase_import_is_not_a_namespace(project):
    js = """\
async function f() {
  const s = await import.source("./m.wasm");
  return s.add(1);
}
"""
    assert _diagnostics(project, js) == []


def test_programs_with_scoped_imports_run_as_written(project):
    """The namespace rewrite leaves a function's own binding alone when it shadows the
    module's: each call reaches the module it names."""
    project.wat("m.wasm", M_WAT)
    project.wat("n.wasm", N_WAT)
    project.write(
        "app.js",
        """\
import * as m from "./m.wasm";
async function viaN() {
  const m = await import("./n.wasm");
  return m.add(41);
}
const viaM = async () => {
  const { add } = await import("./m.wasm");
  return add(40, 2);
};
console.log(m.add(1, 2), await viaN(), await viaM());
""",
    )
    r = project.run("app.js")
    assert (r.code, r.out) == (0, "3 41 42\n"), r.err
