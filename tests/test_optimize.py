"""The namespace rewrite keeps meaning and positions; it only fires where it is safe."""

from __future__ import annotations

from bundler.graph import build_graph
from bundler.optimize import rewrite_namespace_calls

WAT = '(module (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add) (global (export "g") i32 (i32.const 5)))'


def _rewrite(project, js: str) -> str:
    project.wat("m.wasm", WAT)
    project.write("app.js", js)
    g = build_graph(project.root / "app.js")
    return rewrite_namespace_calls(g.js_modules()["app.js"], g.resolve["app.js"], g)


def test_member_calls_become_direct_bindings_of_equal_length(project):
    src = 'import * as m from "./m.wasm";\nconsole.log(m.add(1, 2), m["add"](3, 4));\n'
    out = _rewrite(project, src)
    first_lines = out.splitlines()[:2]
    assert first_lines[1] == "console.log(m$add(1, 2), m$add   (3, 4));"
    assert all(len(a) == len(b) for a, b in zip(first_lines, src.splitlines()[:2], strict=True))
    assert out.rstrip().endswith('import { add as m$add } from "./m.wasm";')


def test_shadowed_namespace_is_left_alone(project):
    src = 'import * as m from "./m.wasm";\nfunction f(m) { return m.add(1, 2); }\nconsole.log(m.add(1, 2));\n'
    assert _rewrite(project, src) == src
    src2 = 'import * as m from "./m.wasm";\nconst { m: x } = { m: 1 };\nconst f = ({ m }) => m.add;\n'
    assert _rewrite(project, src2) == src2


def test_non_function_members_writes_and_unknown_names_are_left_alone(project):
    src = 'import * as m from "./m.wasm";\nconsole.log(m.g, m.nope, typeof m.add);\ndelete m.add;\n'
    out = _rewrite(project, src)
    assert "m.g, m.nope" in out
    assert "delete m.add" in out
    assert "typeof m$add" in out


def test_rewritten_program_runs_and_stacks_point_at_the_original_source(project):
    project.wat("m.wasm", WAT)
    line4 = "function boom() { m.add(1, 1); throw new Error('here'); }"
    project.write(
        "app.js",
        'import * as m from "./m.wasm";\nconst a = m.add(40, 2);\nconsole.log(a, m.add === m["add"]);\n'
        + line4
        + "\nboom();\n",
    )
    r = project.run("app.js")
    assert r.code == 1
    assert r.out == "42 true\n"
    # the frame points at `new Error(`, as V8's does; the rewrite before it on the line moved nothing
    assert f"app.js:4:{line4.index('new Error(') + 1}" in r.err
