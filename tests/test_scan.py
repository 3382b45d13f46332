"""The tree-sitter scan (bundler/scan.py) gives the facts esprima gives, or declines.

Positions are the point: a diagnostic on an import names line:column in UTF-16 units, as
esprima and V8 count them, with JS's line terminators. Each case is compared with
esprima's own facts for the same text.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bundler.analysis import analyze
from bundler.scan import scan

FIELDS = ("imports", "bindings", "exports", "star_exports", "assets")

AGREE = {
    "every import and export form": (
        'import a, {b as c, "d-e" as f, g, default as h} from "./x.js";\n'
        "import * as ns from './y.js';\nimport './side.js';\nimport d2, * as ns2 from './z.js';\n"
        'export * from "./s.js";\nexport * as zz from "./z2.js";\nexport {h2 as i, j, default} from "./w.js";\n'
        'const k = 1, l = 2;\nexport {k, l as "m-n", c as c2};\n'
    ),
    "export declarations and what they hold": (
        "export const p = 1, {q, r: [s, ...t], u = 2} = o, big = -2n, neg = -(1), arrow = ((x) => x);\n"
        "export let v = 1; export var w = 'x'; export function f() {} export async function* g() {}\n"
        "export class C {} export const K = class {}; export const n = null, un = undefined, nan = -NaN;\n"
        "export const re = /a/g, tpl = `x${1}`, obj = {}, arr = [], bad = +1n, bool = !0, t2 = true;\n"
        "export default function named() {}\n"
    ),
    "non-ASCII text before the spans (UTF-16 columns)": (
        'const s = "😀 é 中";\nimport x from "./😀.js"; /* ü */ import {y} from "./ü.js";\n'
        'export const u = new URL("./é.wasm", import.meta.url);\n'
    ),
    "CR, CRLF, LS and PS end lines": (
        'export const a = "x";\r\nimport b from "./b.js";\rimport c from "./c.js";'
        '// \u2028import d from "./d.js";\n/* \u2029 */ import e from "./e.js";\n'
    ),
    "asset URLs and look-alikes": (
        'new URL("./a.wasm", import.meta.url);\nnew URL("https://x/a.wasm", import.meta.url);\n'
        "new URL(`./t.wasm`, import.meta.url);\nnew URL('/abs.wasm', import.meta.url);\n"
        'new URL("./b.wasm", import.meta.url, 3);\nfunction f() { return new URL("./c.bin", import.meta.url); }\n'
        'new URL("./d.wasm", import.meta["url"]);\n'
    ),
    "default exports that bind no name": "export default 5;\n",
    "an anonymous default function": "export default function () {}\n",
}

DECLINE = {
    "a syntax error": "import x from './x.js'\nlet = ;\n",
    "import()": "const m = await import('./m.wasm');\n",
    "a source-phase import": "import source m from './m.wasm';\n",
    "an edgebox-ignore comment": "// edgebox-ignore EB001\nf();\n",
    "an escape in a specifier": 'import x from "./\\u0078.js";\n',
    "JSX": "export const a = <div/>;\n",
    "import attributes": 'import data from "./d.json" with { type: "json" };\n',
}


@pytest.mark.parametrize("source", AGREE.values(), ids=AGREE.keys())
def test_scan_gives_esprimas_facts_with_the_same_spans(source: str) -> None:
    scanned = scan(source)
    assert scanned is not None and scanned.partial
    full = analyze(source, "m.js")
    for field in FIELDS:
        assert getattr(scanned, field) == getattr(full, field), field
    assert scanned.source_sha256 == full.source_sha256


@pytest.mark.parametrize("source", DECLINE.values(), ids=DECLINE.keys())
def test_scan_declines_what_only_esprima_can_vouch_for(source: str) -> None:
    assert scan(source) is None


def test_an_early_error_tree_sitter_accepts_is_reported_as_esprima_reports_it(tmp_path: Path) -> None:
    """`let a; let a;` parses in tree-sitter; QuickJS refuses it, then esprima words it."""
    (tmp_path / "app.js").write_text('import { b } from "./b.js";\nconsole.log(b);\n')
    (tmp_path / "b.js").write_text("export const b = 1;\nlet a;\nlet a;\n")
    for args in (["--check", "app.js"], ["app.js", "-o", "app.ebx"]):
        r = subprocess.run(
            [sys.executable, "-c", "from bundler.cli import edgebox_bundle; edgebox_bundle()", *args],
            cwd=tmp_path, capture_output=True, text=True,
            env={**__import__("os").environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)},
        )  # fmt: skip
        assert r.returncode != 0
        assert "b.js:3:5: error: syntax error: Identifier 'a' has already been declared" in r.stderr
        assert not (tmp_path / "app.ebx").exists()


def test_a_module_that_calls_wasm_through_a_js_reexport_is_still_checked(tmp_path: Path) -> None:
    """The scan reads the importer; its binding reaches wasm, so esprima reads it again and
    its call is checked (EB001-class diagnostics need the call sites)."""
    from bundler.pipeline import check_entry
    from bundler.toolchain import build_wat

    (tmp_path / "m.wat").write_text('(module (func (export "add") (param i32 i32) (result i32) local.get 0))')
    build_wat(tmp_path / "m.wat", tmp_path / "m.wasm")
    (tmp_path / "re.js").write_text('export { add } from "./m.wasm";\n')
    (tmp_path / "app.js").write_text('import { add } from "./re.js";\nadd(1);\n')
    result = check_entry(tmp_path / "app.js")
    modules = result.graph.js_modules()
    assert not modules["app.js"].facts.partial  # re.js may be either: its facts are shared
    assert [d.span.line for d in result.diagnostics if d.severity == "error"] == [2]
