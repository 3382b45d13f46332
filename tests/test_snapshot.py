"""edgebox-bundle --snapshot: the entry's imports evaluated at bundle time, restored by edgebox-exec."""

from __future__ import annotations

import pytest

from bundler.ebx import read_bundle
from bundler.snapshot import IMAGE_PATH

LIB = """
    export const big = new Map();
    for (let i = 0; i < 50000; i++) big.set("k" + i, i * 2);
    export const parsed = JSON.parse('{"a": [1, 2, 3], "b": {"c": "d"}}');
    export class Point {
      #x; #y;
      constructor(x, y) { this.#x = x; this.#y = y; }
      sum() { return this.#x + this.#y; }
    }
    export let evaluations = (globalThis.__evaluations ?? 0) + 1;
    globalThis.__evaluations = evaluations;
"""

APP = """
    import { big, parsed, Point, evaluations } from "./lib.js";
    import "./second.js";
    console.log(big.size, big.get("k49999"), parsed.b.c, new Point(2, 3).sum(), evaluations);
    console.log(globalThis.order.join(","));
    console.log(JSON.stringify(scriptArgs), JSON.stringify(process.argv.slice(2)));
"""

SECOND = """
    globalThis.order = [...(globalThis.order ?? []), "second"];
"""


def _both(project, *args):
    project.write("lib.js", LIB)
    project.write("second.js", SECOND)
    project.write("app.js", APP)
    plain, snap = project.root / "plain.ebx", project.root / "snap.ebx"
    assert project.bundle(project.root / "app.js", "-o", plain).code == 0
    b = project.bundle(project.root / "app.js", "-o", snap, "--snapshot")
    assert b.code == 0, b.err
    return project.exec(plain, *args), project.exec(snap, *args), snap


def test_same_output_with_and_without_snapshot(project):
    plain, snap, _ = _both(project, "x", "y z")
    assert plain.code == 0 and snap.code == 0, plain.err + snap.err
    assert snap.out == plain.out
    assert snap.out.splitlines() == [
        "100000 99998 d 5 1".replace("100000 99998", "50000 99998"),
        "second",
        '["x","y z"] ["x","y z"]',
    ]


def test_the_entry_body_runs_at_run_time_with_the_runs_arguments(project):
    _, first, snap = _both(project, "one")
    second = project.exec(snap, "two", "three")
    assert first.out.splitlines()[-1] == '["one"] ["one"]'
    assert second.out.splitlines()[-1] == '["two","three"] ["two","three"]'
    # the imports were evaluated once, at bundle time, not again by either run
    assert first.out.split()[4] == second.out.split()[4] == "1"


def test_snapshot_is_a_hashed_entry_keyed_to_the_engine(project, engine):
    *_, snap = _both(project)
    bundle = read_bundle(snap)
    meta = bundle.manifest.extra["snapshot"]
    assert meta["engine"] == engine.sha256
    assert meta["evaluated"] == ["./lib.js", "./second.js"]
    assert IMAGE_PATH in bundle.manifest.files


def test_a_bundle_without_snapshot_is_unchanged(project):
    project.write("app.js", 'console.log("hi");')
    out = project.root / "a.ebx"
    assert project.bundle(project.root / "app.js", "-o", out).code == 0
    bundle = read_bundle(out)
    assert "snapshot" not in bundle.manifest.extra
    assert not any(f.startswith("snapshot/") for f in bundle.files)


def test_math_random_differs_between_two_restored_runs(project):
    project.write("lib.js", "export const r = Math.random();")
    project.write("app.js", 'import { r } from "./lib.js"; console.log(r, Math.random());')
    out = project.root / "r.ebx"
    assert project.bundle(project.root / "app.js", "-o", out, "--snapshot").code == 0
    a, b = project.exec(out), project.exec(out)
    assert a.code == 0 and b.code == 0, a.err + b.err
    captured_a, fresh_a = a.out.split()
    captured_b, fresh_b = b.out.split()
    assert captured_a == captured_b  # read at init: the bundling run's value (documented)
    assert fresh_a != fresh_b


def test_performance_clock_starts_at_the_run(project):
    project.write("lib.js", "export const t = performance.now();")
    project.write("app.js", 'import "./lib.js"; console.log(performance.now() < 5000);')
    out = project.root / "p.ebx"
    assert project.bundle(project.root / "app.js", "-o", out, "--snapshot").code == 0
    r = project.exec(out)
    assert r.out == "true\n", r.err


def test_allow_env_is_the_runs_own(project, monkeypatch):
    project.write("lib.js", "export const x = 1;")
    project.write("app.js", 'import "./lib.js"; console.log(process.env.SNAP_TEST_VALUE);')
    out = project.root / "e.ebx"
    assert project.bundle(project.root / "app.js", "-o", out, "--snapshot").code == 0
    monkeypatch.setenv("SNAP_TEST_VALUE", "from-the-run")
    r = project.exec("--allow-env", out)
    assert r.out == "from-the-run\n", r.err
    denied = project.exec(out)
    assert denied.code != 0 and "--allow-env" in denied.err


@pytest.mark.parametrize(
    "lib, reason",
    [
        ('console.log("at init");', "wrote output while they ran ('at init')"),
        ("setTimeout(() => {}, 10);", "timers were still pending"),
        ("Promise.resolve().then(() => {});", "promise jobs were still pending"),
        ('throw new Error("boom");', "threw while they ran: Error: boom"),
        ("await new Promise(() => {});", "awaits at top level and did not settle"),
    ],
)
def test_refusals_name_their_reason(project, lib, reason):
    project.write("lib.js", lib)
    project.write("app.js", 'import "./lib.js"; console.log("main");')
    r = project.bundle(project.root / "app.js", "-o", project.root / "x.ebx", "--snapshot")
    assert r.code != 0
    assert "--snapshot: " in r.err and reason in r.err and "bundle without --snapshot" in r.err
    assert not (project.root / "x.ebx").exists()


def test_entry_in_an_import_cycle_is_refused(project):
    project.write("lib.js", 'import "./app.js"; export const x = 1;')
    project.write("app.js", 'import { x } from "./lib.js"; console.log(x);')
    r = project.bundle(project.root / "app.js", "-o", project.root / "x.ebx", "--snapshot")
    assert r.code != 0 and "part of an import cycle" in r.err


# init mutates its memory (not exported), a mutable global that is not exported, an i64
# global, a table element and an externref global it leaves null; `count` counts its start
# function's runs and init's
STATEFUL_WAT = """
(module
  (memory 1)
  (global $g (mut i32) (i32.const 0))
  (global $h (mut i64) (i64.const 5))
  (global $runs (mut i32) (i32.const 0))
  (global $x (mut externref) (ref.null extern))
  (table $t 3 funcref)
  (type $r (func (result i32)))
  (func $one (result i32) i32.const 1)
  (func $two (result i32) i32.const 2)
  (elem (i32.const 0) $one)
  (elem declare func $two)
  (data (i32.const 16) "abc")
  (func $start (global.set $runs (i32.add (global.get $runs) (i32.const 1))))
  (start $start)
  (func (export "init")
    (global.set $runs (i32.add (global.get $runs) (i32.const 10)))
    (i32.store (i32.const 100) (i32.const 4242))
    (i32.store8 (i32.const 16) (i32.const 122))
    (drop (memory.grow (i32.const 2)))
    (i32.store (i32.const 70000) (i32.const 99))
    (i32.store (i32.const 190000) (i32.const 31337))
    (global.set $g (i32.const 77))
    (global.set $h (i64.const -9))
    (table.set $t (i32.const 2) (ref.func $two)))
  (func (export "word") (param i32) (result i32) (i32.load (local.get 0)))
  (func (export "byte") (param i32) (result i32) (i32.load8_u (local.get 0)))
  (func (export "g") (result i32) (global.get $g))
  (func (export "h") (result i64) (global.get $h))
  (func (export "runs") (result i32) (global.get $runs))
  (func (export "pages") (result i32) (memory.size))
  (func (export "slot") (param i32) (result i32) (call_indirect (type $r) (local.get 0)))
  (func (export "xnull") (result i32) (ref.is_null (global.get $x)))
  (func (export "bump") (global.set $g (i32.add (global.get $g) (i32.const 1))))
)
"""

STATEFUL_APP = """
    import { ready } from "./lib.js";
    import * as m from "./m.wasm";
    console.log(ready, m.word(100), m.byte(16), m.byte(17), m.word(70000), m.word(190000));
    console.log(m.g(), m.h(), m.runs(), m.pages(), m.slot(0), m.slot(2), m.xnull());
    m.bump();
    console.log(m.g());
"""


def test_wasm_module_state_is_restored(project):
    project.wat("m.wasm", STATEFUL_WAT)
    project.write("lib.js", 'import { init } from "./m.wasm"; init(); export const ready = "ready";')
    project.write("app.js", STATEFUL_APP)
    out = project.root / "s.ebx"
    b = project.bundle(project.root / "app.js", "-o", out, "--snapshot")
    assert b.code == 0, b.err
    expected = ["ready 4242 122 98 99 31337", "77 -9n 11 3 1 2 1", "78"]
    for _ in range(2):  # each run starts from the snapshot, not from the previous run
        r = project.exec(out)
        assert r.code == 0, r.err
        assert r.out.splitlines() == expected
    plain = project.root / "p.ebx"
    assert project.bundle(project.root / "app.js", "-o", plain).code == 0
    assert project.exec(plain).out.splitlines() == expected
    bundle = read_bundle(out)
    # the module in the bundle holds the state itself, its start function gone
    assert bundle.manifest.extra["snapshot"]["wasm"] == {"m.wasm": "snapshot/wasm/0.wasm"}
    assert bundle.manifest.modules["m.wasm"]["wasm"] == "snapshot/wasm/0.wasm"
    assert "wasm/m.wasm" not in bundle.files
    rewritten = bundle.file("snapshot/wasm/0.wasm")
    assert b"\x92\x21" in rewritten and b"zbc" in rewritten  # 4242 as i32.const, and the edited data
    from bundler.wasm_types import read_interface

    assert not read_interface(rewritten, "m.wasm").has_start


C_MODULE = r"""
#include <stdlib.h>
#include <string.h>
static int constructed;
__attribute__((constructor)) static void made(void) { constructed++; }
static int add(int a, int b) { return a + b; }
static int mul(int a, int b) { return a * b; }
static int (*ops[2])(int, int);
static char *greeting;
__attribute__((export_name("init"))) void init(int which) {
    ops[0] = which ? mul : add;
    ops[1] = which ? add : mul;
    greeting = malloc(32);
    strcpy(greeting, "made at bundle time");
}
__attribute__((export_name("apply"))) int apply(int i, int a, int b) { return ops[i](a, b); }
__attribute__((export_name("greeting"))) char *get_greeting(void) { return greeting; }
__attribute__((export_name("constructed"))) int get_constructed(void) { return constructed; }
__attribute__((export_name("fresh"))) char *fresh(void) {
    char *p = malloc(32); strcpy(p, "and at run time"); return p;
}
"""


def test_c_module_with_a_constructor_keeps_its_heap_and_function_pointers(project):
    project.c("c.wasm", C_MODULE, wasi=True)
    project.write(
        "lib.js",
        'import { init, greeting, memory } from "./c.wasm"; init(1);'
        " export const view = new Uint8Array(memory.buffer, greeting(), 19);",
    )
    project.write(
        "app.js",
        """
        import { view } from "./lib.js";
        import * as c from "./c.wasm";
        const text = (p) => new TextDecoder().decode(new Uint8Array(c.memory.buffer, p, 15));
        console.log(c.constructed(), c.apply(0, 6, 7), c.apply(1, 6, 7));
        console.log(new TextDecoder().decode(view), text(c.fresh()));
        """,
    )
    out = project.root / "c.ebx"
    b = project.bundle(project.root / "app.js", "-o", out, "--snapshot")
    assert b.code == 0, b.err
    r = project.exec(out)
    assert r.code == 0, r.err
    # the constructor ran once (at bundle time), the table holds what init chose, the view
    # made at bundle time still sees the module's memory, and malloc goes on from its state
    assert r.out.splitlines() == ["1 42 13", "made at bundle time and at run time"]


@pytest.mark.parametrize(
    "modules, lib, reason",
    [
        (
            {"e.wasm": '(module (global $e (mut externref) (ref.null extern))'
             ' (func (export "keep") (param externref) (global.set $e (local.get 0))))'},
            'import { keep } from "./e.wasm"; keep({});',
            "wasm module e.wasm: global 0 holds a JS value (a reference)",
        ),
        (
            {"e.wasm": '(module (table $t 1 externref)'
             ' (func (export "keep") (param externref) (table.set $t (i32.const 0) (local.get 0))))'},
            'import { keep } from "./e.wasm"; keep("x");',
            "wasm module e.wasm: table 0 element 0 holds a JS value (a reference)",
        ),
        (
            {
                "a.wasm": '(module (table (export "t") 2 funcref))',
                "b.wasm": '(module (import "./a.wasm" "t" (table 2 funcref))'
                ' (func $seven (result i32) i32.const 7) (elem declare func $seven)'
                ' (func (export "put") (table.set 0 (i32.const 0) (ref.func $seven))))',
            },
            'import { put } from "./b.wasm"; put();',
            "wasm module a.wasm: table 0 element 0 holds a function of wasm module b.wasm",
        ),
        (
            {"f.wasm": '(module (global $f (mut f64) (f64.const 0))'
             ' (func (export "nan") (global.set $f (f64.div (f64.const 0) (f64.const 0)))))'},
            'import { nan } from "./f.wasm"; nan();',
            "wasm module f.wasm: global 0 holds a NaN",
        ),
        (
            {},
            "export const mem = new WebAssembly.Memory({ initial: 1 });",
            "made WebAssembly JS API objects",
        ),
    ],
)  # fmt: skip
def test_wasm_state_that_cannot_be_captured_is_refused(project, modules, lib, reason):
    for name, wat in modules.items():
        project.wat(name, wat)
    project.write("lib.js", lib + "\nexport const x = 1;")
    project.write("app.js", 'import { x } from "./lib.js"; console.log(x);')
    r = project.bundle(project.root / "app.js", "-o", project.root / "x.ebx", "--snapshot")
    assert r.code != 0
    assert "--snapshot: " in r.err and reason in r.err and "bundle without --snapshot" in r.err, r.err
    assert "Traceback" not in r.err
    assert not (project.root / "x.ebx").exists()


def test_wasm_module_that_js_also_imports_as_a_source_keeps_its_original(project):
    project.wat(
        "n.wasm",
        "(module (global $n (mut i32) (i32.const 0))"
        ' (func (export "set") (global.set $n (i32.const 5))) (func (export "get") (result i32) (global.get $n)))',
    )
    project.write("lib.js", 'import { set } from "./n.wasm"; set(); export const x = 1;')
    project.write(
        "app.js",
        'import { x } from "./lib.js"; import { get } from "./n.wasm"; import source mod from "./n.wasm";'
        " const fresh = new WebAssembly.Instance(mod).exports.get();"
        " console.log(x, get(), fresh);",
    )
    out = project.root / "n.ebx"
    b = project.bundle(project.root / "app.js", "-o", out, "--snapshot")
    assert b.code == 0, b.err
    r = project.exec(out)
    assert r.out == "1 5 0\n", r.err


def test_allow_read_is_the_runs_own(project):
    (project.root / "data").mkdir()
    (project.root / "data" / "f.txt").write_text("granted")
    project.write("lib.js", "export const x = 1;")
    project.write(
        "app.js",
        'import "./lib.js"; import { readFileSync } from "node:fs";'
        ' console.log(readFileSync("data/f.txt", "utf8"));',
    )
    out = project.root / "f.ebx"
    b = project.bundle(project.root / "app.js", "-o", out, "--snapshot")
    assert b.code == 0, b.err
    r = project.exec("--allow-read=data", out)
    assert r.out == "granted\n", r.err


def test_first_run_after_a_snapshot_compiles_nothing(project):
    """The rewritten module is compiled (and instantiated once) by edgebox-bundle, keyed as the
    run keys it; a unique constant makes its machine code new to the cache."""
    import secrets

    from bundler.cache import cache_dir

    unique = secrets.randbelow(2**31)
    project.wat("m.wasm", STATEFUL_WAT.replace("(i32.const 4242)", f"(i32.const {unique})"))
    project.write("lib.js", 'import { init } from "./m.wasm"; init(); export const ready = "ready";')
    project.write(
        "app.js", 'import { ready } from "./lib.js"; import { word } from "./m.wasm"; console.log(word(100));'
    )
    out = project.root / "s.ebx"
    assert project.bundle(project.root / "app.js", "-o", out, "--snapshot").code == 0
    compiled = cache_dir() / "compiled"
    before = {p.name for p in compiled.glob("*.cwasm")}
    r = project.exec(out)
    assert (r.code, r.out) == (0, f"{unique}\n"), r.err
    assert {p.name for p in compiled.glob("*.cwasm")} - before == set()
