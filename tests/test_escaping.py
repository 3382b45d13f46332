"""Names from outside (wasm export and import names, file names) never become code.

Found by attacking the bundler: an export named `x */ import * as W from "edgebox:wasm";
globalThis.PWN = W; /*` was pasted into a `/** … */` comment of the generated stub, ran as
JS and handed user code the engine's internal module; a file name with a newline broke out
of a `//` comment and a WAT `;;` comment. Every template now takes only text that an escape
function made (bundler/escape.py), and templates.py refuses anything else.
"""

from __future__ import annotations

import json
import re

import esprima
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bundler.escape import Code, comment, js_export_name, js_string, wat_string
from bundler.templates import UnescapedValue, render

HOSTILE = [
    'x */ import * as W from "edgebox:wasm"; globalThis.PWN = W; /*',
    "a\nglobalThis.PWN = 1;//",
    "a\u2028globalThis.PWN = 1;",
    "</script><script>globalThis.PWN=1</script>",
    "q\"'`\\",
    "nul\0byte",
    "*/",
    "/*",
    ';; (; ;) \n(export "memory" (memory 0))',
    "",
    "default",
    "__proto__",
]


def _leb(n: int) -> bytes:
    out = bytearray()
    while True:
        b, n = n & 0x7F, n >> 7
        out.append(b | (0x80 if n else 0))
        if not n:
            return bytes(out)


def _section(sid: int, body: bytes) -> bytes:
    return bytes([sid]) + _leb(len(body)) + body


def _vec(items: list[bytes]) -> bytes:
    return _leb(len(items)) + b"".join(items)


def _name(s: str) -> bytes:
    raw = s.encode("utf-8")
    return _leb(len(raw)) + raw


def module_exporting(names: list[str]) -> bytes:
    """A wasm binary, written byte by byte here (not through the code under test): function i
    is exported under names[i] and returns i."""
    functype = b"\x60\x00\x01\x7f"  # () -> i32
    bodies = [_leb(len(code)) + code for code in (b"\x00\x41" + _leb(i) + b"\x0b" for i in range(len(names)))]
    # i32.const takes a signed LEB: keep i < 64 so the unsigned encoding above is the same
    assert len(names) < 64
    return (
        b"\0asm\1\0\0\0"
        + _section(1, _vec([functype]))
        + _section(3, _vec([b"\x00"] * len(names)))
        + _section(7, _vec([_name(n) + b"\x00" + _leb(i) for i, n in enumerate(names)]))
        + _section(10, _vec(bodies))
    )


def _run_with_exports(project, names: list[str]):
    (project.root / "m.wasm").write_bytes(module_exporting(names))
    project.write(
        "app.js",
        """
        import * as ns from "./m.wasm";
        const keys = Object.keys(ns).sort();
        console.log(JSON.stringify(keys.map((k) => [k, ns[k]()])));
        console.log(JSON.stringify({ pwn: typeof globalThis.PWN }));
        """,
    )
    return project.run("app.js")


def test_the_reported_export_name_no_longer_runs_as_js(project):
    r = _run_with_exports(project, HOSTILE[:1] + ["ok"])
    assert r.code == 0, r.err
    got = json.loads(r.out.split("\n")[0])
    assert sorted(got) == sorted([[HOSTILE[0], 0], ["ok", 1]])
    assert r.out.split("\n")[1] == '{"pwn":"undefined"}'


def test_hostile_export_names_all_arrive_as_names(project):
    names = [n for n in HOSTILE if n]  # a module cannot export "" twice; "" is tested below
    names.append("")
    r = _run_with_exports(project, names)
    assert r.code == 0, r.err
    got = dict(json.loads(r.out.split("\n")[0]))
    assert got == {n: i for i, n in enumerate(names)}
    assert r.out.split("\n")[1] == '{"pwn":"undefined"}'


# Any Unicode a wasm name can hold (valid UTF-8: no lone surrogates), biased towards the
# characters that end comments, strings and lines in JS, WAT and TypeScript.
NASTY = st.sampled_from(
    [
        "*/",
        "/*",
        "\n",
        "\r",
        "\u2028",
        "\u2029",
        '"',
        "'",
        "`",
        "\\",
        "\0",
        "</script>",
        ";;",
        "(;",
        ";)",
        "${",
        " ",
    ]
)
WASM_NAME = st.lists(
    st.one_of(NASTY, st.text(st.characters(exclude_categories=["Cs"]), max_size=4)), max_size=6
).map("".join)


@settings(
    max_examples=25,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(names=st.lists(WASM_NAME, min_size=1, max_size=6, unique=True))
def test_generated_export_names_round_trip(project, names):
    r = _run_with_exports(project, names)
    assert r.code == 0, r.err
    assert dict(json.loads(r.out.split("\n")[0])) == {n: i for i, n in enumerate(names)}
    assert r.out.split("\n")[1] == '{"pwn":"undefined"}'


ANY_TEXT = st.lists(st.one_of(NASTY, st.text(max_size=4)), max_size=8).map("".join)  # lone surrogates too


@settings(max_examples=300, deadline=None, database=None, derandomize=True)
@given(s=ANY_TEXT)
def test_escapes_are_one_line_and_cannot_close_their_context(s):
    c = comment(s)
    assert "*/" not in c and all(0x20 <= ord(ch) < 0x7F for ch in c)
    lit = js_string(s)
    assert all(0x20 <= ord(ch) < 0x7F for ch in lit)
    # the literal is one JS string expression whose value is s
    ast = esprima.parseScript(f"({lit});")
    assert len(ast.body) == 1 and ast.body[0].expression.type == "Literal"
    if not any(0xD800 <= ord(ch) <= 0xDFFF for ch in s):  # esprima's Python strings cannot tell
        assert ast.body[0].expression.value == s
    w = wat_string(s)
    assert re.fullmatch(r'"(?:[ !#-\[\]-~]|\\[0-9a-f]{2})*"', w)
    name = js_export_name(s)
    assert name == s or name == lit


def test_a_template_refuses_a_plain_string():
    """The safety net: a value no escape function made cannot reach generated code."""
    adapter = {
        "inline": True,
        "funcs": [],
        "locals": [],
        "imports": [{"module": "m0", "name": "f", "desc": "(func $x0)"}],
        "ref_helpers": Code(""),
    }
    with pytest.raises(UnescapedValue):
        render("adapter.wat.j2", **adapter)  # desc: a plain str, not Code
    adapter["imports"][0]["desc"] = Code("(func $x0)")
    assert '(import "m0" "f" (func $x0))' in render("adapter.wat.j2", **adapter)


def test_a_file_name_with_a_newline_stays_a_name(project):
    """Item 5: the name reached `//` comments of the stub and `;;` comments of the WAT."""
    odd = 'm\nglobalThis.PWN = 1;\n(export "x" (memory 0)) \u2028 "q".wasm'  # a name cannot hold '/'
    (project.root / odd).write_bytes(module_exporting(["f"]))
    project.write(
        "app.js",
        f"import {{ f }} from {json.dumps('./' + odd)};\nconsole.log(f(), typeof globalThis.PWN);\n",
    )
    r = project.run("app.js")
    assert r.code == 0, r.err
    assert r.out == "0 undefined\n"


def test_a_json_module_with_a_proto_key_is_data(project):
    project.write("d.json", '{"__proto__": {"polluted": true}, "a": "*/ x"}')
    project.write(
        "app.js",
        'import d from "./d.json";\nconsole.log(Object.keys(d).join(","), d.polluted, ({}).polluted, d.a);\n',
    )
    r = project.run("app.js")
    assert r.code == 0, r.err
    assert r.out == "__proto__,a undefined undefined */ x\n"


def test_type_declarations_escape_names_and_use_parameter_names(project):
    """Item 32: parameter names come from the module's name section; the memory type is
    named as the guide names it."""
    project.wat(
        "m.wasm",
        """(module (memory (export "mem */ x") 1)
          (func (export "add\\n*/ evil") (param $left i32) (param $right i64) (result i32) (local.get 0))
          (func (export "anon") (param i32 f64)))""",
    )
    project.write("app.js", 'import * as m from "./m.wasm";\n')
    r = project.bundle(project.root / "app.js", "--emit-types", project.root / "types")
    assert r.code == 0, r.err
    dts = (project.root / "types" / "m.wasm.d.ts").read_text()
    assert "(left: number, right: bigint): number" in dts
    assert "(a0: number, a1: number): void" in dts
    assert "WebAssembly.Memory" in dts and "EdgeBoxMemory" not in dts
    for line in dts.splitlines():
        if line.startswith("/**"):
            assert line.endswith("*/") and line.count("*/") == 1, line
    assert 'as "add\\n*/ evil"' in dts
