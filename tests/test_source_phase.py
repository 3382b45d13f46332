"""Source-phase imports: `import source m from "./x.wasm"` and `import.source("./x.wasm")`
give the module's one `WebAssembly.Module`, without instantiating it or linking its imports.

Node 20 (the Node these tests compare with elsewhere) has no source-phase imports: it
rejects the syntax (`SyntaxError: Unexpected identifier`). The comparison below runs
wherever a Node that has them is installed, and is skipped otherwise.
"""

from __future__ import annotations

import json

import pytest
from conftest import needs_node, run_node

from bundler.analysis import ModuleFacts, analyze
from bundler.ebx import read_bundle

# Imports a function from "env", which nothing in these projects provides: a module only
# imported as a source must bundle anyway, and JS gives it its imports when it instantiates.
X_WAT = """
(module
  (import "env" "log" (func $log (param i32)))
  (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)
  (func (export "report") (param i32) (call $log (local.get 0)))
  (memory (export "mem") 1))
"""

# A counter: each instance has its own, which tells instances apart.
Y_WAT = """
(module
  (global $n (mut i32) (i32.const 0))
  (func (export "bump") (result i32)
    (global.set $n (i32.add (global.get $n) (i32.const 1))) (global.get $n)))
"""

APP = """
import source mod from "./x.wasm";
import { again } from "./lib.js";
const dynamic = await import.source("./x.wasm");
console.log("same object", mod === again, mod === dynamic, mod === (await import.source("./x.wasm")));
console.log("a Module", mod instanceof WebAssembly.Module, String(mod));
console.log("exports", JSON.stringify(WebAssembly.Module.exports(mod)));
console.log("imports", JSON.stringify(WebAssembly.Module.imports(mod)));
const instance = new WebAssembly.Instance(mod, { env: { log: (v) => console.log("log", v) } });
console.log("add", instance.exports.add(40, 2));
instance.exports.report(7);
"""

LIB = 'import source again from "./x.wasm";\nexport { again };\n'

EXPECTED = """same object true true true
a Module true [object WebAssembly.Module]
exports [{"name":"add","kind":"function"},{"name":"report","kind":"function"},{"name":"mem","kind":"memory"}]
imports [{"module":"env","name":"log","kind":"function"}]
add 42
log 7
"""


def _write_app(project):
    project.wat("x.wasm", X_WAT)
    project.write("lib.js", LIB)
    project.write("app.js", APP)


def _diagnostics(project, entry: str = "app.js") -> list[tuple[str, int, int]]:
    r = project.bundle("--check", "--format", "json", entry)
    return [(d["code"], d["line"], d["column"]) for d in json.loads(r.out)]


def test_static_and_dynamic_source_imports_give_one_module_that_instantiates(project):
    _write_app(project)
    r = project.run("app.js")
    assert (r.code, r.err) == (0, "")
    assert r.out == EXPECTED


def test_running_the_entry_directly_gives_the_same(project):
    _write_app(project)
    r = project.exec(project.root / "app.js")
    assert (r.code, r.out) == (0, EXPECTED), r.err


def test_a_module_only_imported_as_a_source_is_bundled_but_not_instantiated(project):
    """Its import of "env" resolves to nothing: a source import neither follows nor links it."""
    _write_app(project)
    assert project.bundle("app.js", "-o", "app.ebx").code == 0
    m = read_bundle(project.root / "app.ebx").manifest
    entry = m.modules["x.wasm"]
    assert entry["kind"] == "wasm" and entry["wasm"] and entry["code"]
    assert entry["imports"] == [{"module": "env", "name": "log", "kind": "func"}]
    assert m.link["instances"] == [] and m.link["bindings"] == {} and m.link["slots"] == []
    # the JS importers reach its generated source module, never the wasm module itself
    assert m.resolve["app.js"] == {"./lib.js": "lib.js", "edgebox:source/x.wasm": "x.wasm?source.wasm"}
    assert m.resolve["lib.js"] == {"edgebox:source/x.wasm": "x.wasm?source.wasm"}
    assert m.modules["x.wasm?source.wasm"]["kind"] == "js"


def test_a_module_imported_both_ways_is_instantiated_and_its_source_makes_new_instances(project):
    project.wat("y.wasm", Y_WAT)
    project.write(
        "app.js",
        """
import * as y from "./y.wasm";
import source ySource from "./y.wasm";
console.log(y.bump(), y.bump());
const other = new WebAssembly.Instance(ySource);
console.log(other.exports.bump(), y.bump(), ySource === await import.source("./y.wasm"));
""",
    )
    r = project.run("app.js")
    assert (r.code, r.out) == (0, "1 2\n1 3 true\n"), r.err
    m = read_bundle(project.root / "app.ebx").manifest
    assert m.link["instances"] == ["y.wasm"]


def test_an_import_of_a_source_only_module_computed_at_run_time_is_refused(project):
    _write_app(project)
    project.write(
        "app.js",
        """
import source mod from "./x.wasm";
const spec = ["./x", "wasm"].join(".");
try { await import(spec); } catch (e) { console.log(e.name, e.message); }
""",
    )
    r = project.run("app.js")
    assert r.code == 0, r.err
    assert r.out == (
        "SyntaxError x.wasm is in the bundle only as a module source (import source): it was not "
        "instantiated and its imports were not linked, so its exports cannot be imported\n"
    )


@pytest.mark.parametrize(
    "line, column",
    [
        ('  import source a from "./a.js";', 24),
        ('const a = await import.source("./a.js");', 31),
        ('import source data from "./data.json";', 25),
    ],
)
def test_only_wasm_has_a_source_phase(project, line, column):
    project.write("a.js", "export const a = 1;\n")
    project.write("data.json", "{}\n")
    project.write("app.js", f"// first line\n{line}\n")
    r = project.bundle("app.js", "-o", "app.ebx")
    assert r.code == 1
    assert f"app.js:2:{column}: error: Source phase import object is not defined for module" in r.err
    kind = "a JSON module" if "json" in line else "a JS module"
    assert f"{kind} has no source phase; only WebAssembly modules can be imported" in r.err
    assert not (project.root / "app.ebx").exists()


def test_import_source_of_a_computed_specifier_is_an_error_at_its_position(project):
    _write_app(project)
    project.write("app.js", 'const name = "./x.wasm";\nconst m = await   import.source(name);\n')
    r = project.bundle("--check", "app.js")
    assert r.code == 1
    assert "app.js:2:33: error: import.source() needs a string literal" in r.err


def test_diagnostics_after_the_rewritten_syntax_keep_their_positions(project):
    _write_app(project)
    project.wat("y.wasm", Y_WAT)
    project.write(
        "app.js",
        """
import source mod from "./x.wasm"; import * as y from "./y.wasm"; y.bump(1);
const p = import.source("./x.wasm"); y.bump(2);
y.bump(3);
const q = import.source(
  "./x.wasm"
); y.bump(4);
""",
    )
    assert _diagnostics(project) == [("EB002", 1, 74), ("EB002", 2, 45), ("EB002", 3, 8), ("EB002", 6, 11)]


def test_a_syntax_error_after_a_source_import_is_reported_where_it_is(project):
    _write_app(project)
    project.write(
        "app.js", 'import source mod from "./x.wasm";\nconst p = import.source("./x.wasm"); f(1, );)\n'
    )
    r = project.bundle("--check", "app.js")
    assert r.code == 1
    assert "app.js:2:45: error: syntax error: Unexpected token )" in r.err  # the last ")"


def test_run_time_positions_after_the_rewritten_syntax_hold(project):
    _write_app(project)
    line3 = 'const q = import.source("./x.wasm"); boom();'
    project.write(
        "app.js",
        'import source mod from "./x.wasm";\nfunction boom() { throw new Error("here"); }\n' + line3 + "\n",
    )
    r = project.run("app.js")
    assert r.code == 1
    assert "at boom (app.js:2:" in r.err
    assert f"app.js:3:{line3.index('boom();') + 1}" in r.err


def test_the_syntax_inside_strings_comments_and_templates_is_left_alone(project):
    _write_app(project)
    text = 'import source z from "./z.wasm"; import.source("./z.wasm")'
    project.write(
        "app.js",
        f"""
const s = '{text}';
// {text}
/* import source z from "./z.wasm" */
const t = `${{s}} import.source("./z.wasm")`;
console.log(s === {json.dumps(text)}, t.endsWith('import.source("./z.wasm")'));
""",
    )
    r = project.run("app.js")  # no z.wasm exists: nothing tried to bundle it
    assert (r.code, r.out) == (0, "true true\n"), r.err


def test_a_default_import_named_source_is_still_one(project):
    project.write("lib.js", "export default 5;\n")
    project.write("app.js", 'import source, { x } from "./x.js";\nconsole.log(source, x);\n')
    project.write("x.js", "export const x = 1; export default 2;\n")
    project.write("main.js", 'import source from "./lib.js";\nconsole.log(source);\n')
    r = project.run("main.js")
    assert (r.code, r.out) == (0, "5\n"), r.err
    r = project.run("app.js")
    assert (r.code, r.out) == (0, "2 1\n"), r.err


def test_facts_record_source_imports_and_survive_the_cache():
    src = 'import source m from "./x.wasm";\nconst p = import.source("./x.wasm");\nconst n = await import("./y.wasm");\n'
    facts = analyze(src, "app.js")
    assert [(i.specifier, i.kind, i.phase) for i in facts.imports] == [
        ("./x.wasm", "import", "source"),
        ("./x.wasm", "dynamic", "source"),
        ("./y.wasm", "dynamic", "evaluation"),
    ]
    assert [(i.local, src[i.range[0] : i.range[1]]) for i in facts.source_imports] == [
        ("m", 'import source m from "./x.wasm";'),
        (None, 'import.source("./x.wasm")'),
    ]
    # the source import binds a Module, not a namespace: no binding to check calls against
    assert [(b.local, b.specifier) for b in facts.bindings] == [("n", "./y.wasm")]
    assert ModuleFacts.from_json(json.loads(json.dumps(facts.to_json()))) == facts


@needs_node
def test_matches_node_where_node_has_source_phase_imports(project):
    _write_app(project)
    project.write("package.json", '{"type": "module"}\n')
    node = run_node(project.root / "app.js")
    if node.code != 0 and "SyntaxError" in node.err:
        pytest.skip("this Node has no source-phase imports (Node 20 rejects the syntax)")
    assert node.out == EXPECTED
    r = project.run("app.js")
    assert r.out == node.out


def test_source_phase_calls_after_an_emoji(project):
    """esprima counts offsets in UTF-16 units: past an emoji every node's range pointed one
    character further per emoji, so `import.source(...)` was not found where the parse put it
    (the proposal's own test has "🎯test-func!" above its second call)."""
    project.wat("x.wasm", '(module (func (export "f") (result i32) (i32.const 7)))')
    project.write(
        "app.js",
        'const names = ["🎯test-func!", "🎯"];\n'
        "const run = async () => {\n"
        '  const a = await import.source("./x.wasm");\n'
        "  const b = await import.source(\n"
        '    "./x.wasm"\n'
        "  );\n"
        "  return [a === b, new WebAssembly.Instance(b, {}).exports.f()];\n"
        "};\n"
        "console.log(...(await run()));\n",
    )
    r = project.run("app.js")
    assert (r.code, r.out) == (0, "true 7\n"), r.err


def test_rewrites_after_an_emoji_land_where_they_belong(project):
    """The namespace rewrite (optimize.py) and a diagnostic's position, past astral characters."""
    project.wat(
        "m.wasm",
        '(module (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add))',
    )
    project.write(
        "app.js", 'import * as ns from "./m.wasm";\nconst s = "🎯🎯";\nconsole.log(s, ns.add(1, 2));\n'
    )
    r = project.run("app.js")
    assert (r.code, r.out) == (0, "🎯🎯 3\n"), r.err
    project.write("app.js", 'import * as ns from "./m.wasm";\nconst s = "🎯🎯"; ns.add(1);\n')
    r = project.bundle("--check", project.root / "app.js")
    assert r.code == 1 and "app.js:2:19:" in r.out + r.err, r.out + r.err  # columns count characters
