"""ESM-integration semantics in both directions: wasm imports JS and wasm, globals, memory."""

from __future__ import annotations

CALLBACK_WAT = """
(module
  (import "./host.js" "log_i32" (func $log_i32 (param i32)))
  (import "./host.js" "twice_i64" (func $twice_i64 (param i64) (result i64)))
  (import "./host.js" "mix" (func $mix (param i32 i64 f32 f64) (result f64)))
  (import "./host.js" "pair" (func $pair (result i32 f64)))
  (import "./host.js" "reenter" (func $reenter (param i32) (result i32)))
  (import "./host.js" "fail" (func $fail))
  (func (export "run_log") (param i32) (call $log_i32 (local.get 0)))
  (func (export "run_twice") (param i64) (result i64) (call $twice_i64 (local.get 0)))
  (func (export "run_mix") (result f64)
    (call $mix (i32.const -7) (i64.const 9007199254740993) (f32.const 1.5) (f64.const -0.25)))
  (func (export "run_pair") (result f64)
    (local f64) (call $pair) (local.set 0) (f64.convert_i32_s) (local.get 0) (f64.add))
  ;; depth-first ping-pong: wasm -> JS -> wasm -> JS ... until n reaches 0
  (func (export "down") (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0))
      (then (i32.const 0))
      (else (i32.add (i32.const 1) (call $reenter (i32.sub (local.get 0) (i32.const 1)))))))
  (func (export "run_fail") (result i32) (call $fail) (i32.const 123))
)
"""

HOST_JS = """
import * as cb from "./cb.wasm";
export function log_i32(x) { console.log("log_i32", x, typeof x); }
export function twice_i64(x) { console.log("twice_i64 got", typeof x, x); return x * 2n; }
export function mix(a, b, c, d) { console.log("mix", a, b, c, d); return a + Number(b) + c + d; }
export function pair() { return [40, 2.5]; }
export function reenter(n) { return cb.down(n); }
export function fail() { throw new RangeError("thrown in JS, under wasm"); }
"""


def test_wasm_calls_js_with_every_numeric_type_and_reenters(project):
    project.wat("cb.wasm", CALLBACK_WAT)
    project.write("host.js", HOST_JS)
    project.write(
        "app.js",
        """
import * as cb from "./cb.wasm";
cb.run_log(-5);
console.log("result", cb.run_twice(2n ** 40n));
console.log("mixed", cb.run_mix());
console.log("pair", cb.run_pair());
console.log("depth", cb.down(50));
try {
  cb.run_fail();
} catch (e) {
  console.log("caught", e.constructor.name, e.message);
}
console.log("after", cb.run_twice(3n), cb.down(3));
""",
    )
    r = project.run("app.js")
    assert r.code == 0, r.err
    assert r.out.splitlines() == [
        "log_i32 -5 number",
        "twice_i64 got bigint 1099511627776n",
        "result 2199023255552n",
        "mix -7 9007199254740993n 1.5 -0.25",
        "mixed 9007199254740986",  # as Node computes it (rounding past 2**53)
        "pair 42.5",
        "depth 50",
        "caught RangeError thrown in JS, under wasm",
        "twice_i64 got bigint 3n",
        "after 6n 3",
    ]


def test_wasm_imports_another_wasm_module_directly(project):
    project.wat(
        "base.wasm",
        '(module (func (export "sq") (param i32) (result i32) local.get 0 local.get 0 i32.mul) (global (export "k") i32 (i32.const 10)))',
    )
    project.wat(
        "user.wasm",
        '(module (import "./base.wasm" "sq" (func $sq (param i32) (result i32))) (import "./base.wasm" "k" (global $k i32))'
        ' (func (export "sq_plus_k") (param i32) (result i32) (i32.add (call $sq (local.get 0)) (global.get $k))))',
    )
    project.write(
        "app.js",
        'import { sq_plus_k } from "./user.wasm";\nimport * as base from "./base.wasm";\nconsole.log(sq_plus_k(7), base.sq(3), base.k);\n',
    )
    r = project.run("app.js")
    assert (r.code, r.out) == (0, "59 9 10\n"), r.err


def test_link_errors_name_both_modules(project):
    project.wat("base.wasm", '(module (func (export "sq") (param i32) (result i32) local.get 0))')
    project.wat("user.wasm", '(module (import "./base.wasm" "sq" (func (param i64) (result i64))))')
    project.write("app.js", 'import "./user.wasm";\n')
    r = project.bundle(project.root / "app.js", "-o", project.root / "a.ebx")
    assert r.code == 1
    assert (
        "user.wasm imports 'sq' from base.wasm as func (i64) -> i64, but base.wasm exports it as func (i32) -> i32"
        in r.err
    )

    project.wat("user.wasm", '(module (import "./base.wasm" "cube" (func (param i32) (result i32))))')
    r = project.bundle(project.root / "app.js", "-o", project.root / "a.ebx")
    assert "user.wasm imports 'cube' from base.wasm, which does not export it" in r.err

    project.write("host.js", "export const notAFunction = 5;\nexport function ok() {}\n")
    project.wat("user.wasm", '(module (import "./host.js" "notAFunction" (func)))')
    r = project.bundle(project.root / "app.js", "-o", project.root / "a.ebx")
    assert (
        "user.wasm imports the function 'notAFunction' from host.js, but 'notAFunction' exported by host.js is not a function"
        in r.err
    )

    project.wat("user.wasm", '(module (import "./host.js" "missing" (func)))')
    r = project.bundle(project.root / "app.js", "-o", project.root / "a.ebx")
    assert "host.js does not export 'missing'" in r.err
    assert not (project.root / "a.ebx").exists()


def test_wasm_cycle_is_an_error_and_js_cycle_with_hoisted_functions_works(project):
    project.wat("a.wasm", '(module (import "./b.wasm" "g" (func)) (func (export "f")))')
    project.wat("b.wasm", '(module (import "./a.wasm" "f" (func)) (func (export "g")))')
    project.write("app.js", 'import "./a.wasm";\n')
    r = project.bundle(project.root / "app.js", "-o", project.root / "x.ebx")
    assert r.code == 1 and "wasm modules import each other in a cycle: a.wasm -> b.wasm -> a.wasm" in r.err

    # JS <-> wasm cycle where JS is higher: a hoisted function declaration is ready in time
    project.wat(
        "w.wasm",
        '(module (import "./app.js" "hello" (func $h (param i32))) (func (export "go") (call $h (i32.const 7))))',
    )
    project.write(
        "app.js",
        'import { go } from "./w.wasm";\nexport function hello(n) { console.log("hello", n); }\ngo();\n',
    )
    r = project.run("app.js")
    assert (r.code, r.out) == (0, "hello 7\n"), r.err


def test_bare_module_names_resolve_through_an_import_map(project):
    project.wat(
        "as.wasm",
        '(module (import "env" "abort" (func $abort (param i32 i32 i32 i32))) (func (export "check") (param i32) (if (i32.eqz (local.get 0)) (then (call $abort (i32.const 0) (i32.const 0) (i32.const 3) (i32.const 4))))))',
    )
    project.write(
        "env.js",
        "export function abort(msg, file, line, col) { throw new Error(`abort at ${line}:${col}`); }\n",
    )
    project.write(
        "app.js",
        'import { check } from "./as.wasm";\ncheck(1);\ntry { check(0); } catch (e) { console.log(e.message); }\n',
    )
    r = project.bundle(project.root / "app.js", "-o", project.root / "a.ebx")
    assert r.code == 1
    assert "as.wasm imports from module names that are not files: 'env' (abort)" in r.err
    assert "--import-map env=./env.js" in r.err
    r = project.bundle(project.root / "app.js", "-o", project.root / "a.ebx", "--import-map", "env=./env.js")
    assert r.code == 0, r.err
    assert project.exec(project.root / "a.ebx").out == "abort at 3:4\n"
    project.write("edgebox.json", '{"imports": {"env": "./env.js"}}')
    assert project.run("app.js").out == "abort at 3:4\n"


def test_exported_globals_are_values_and_mutable_ones_are_live(project):
    project.wat(
        "g.wasm",
        """(module
          (global $count (export "count") (mut i32) (i32.const 0))
          (global (export "big") i64 (i64.const -9007199254740993))
          (global (export "ratio") f64 (f64.const 0.5))
          (func (export "bump") (global.set $count (i32.add (global.get $count) (i32.const 1)))))""",
    )
    project.write(
        "app.js",
        """
import { count, bump } from "./g.wasm";
import * as g from "./g.wasm";
console.log(count, g.big, g.ratio, typeof g.big);
bump(); bump();
console.log(count, g.count);
""",
    )
    r = project.run("app.js")
    assert r.code == 0, r.err
    assert r.out == "0 -9007199254740993n 0.5 bigint\n2 2\n"


def test_exported_memory_has_an_explicit_api_beside_its_live_buffer(project):
    project.c(
        "mem.wasm",
        """
        #include <stdint.h>
        static char buf[64];
        __attribute__((export_name("buf"))) char *get_buf(void) { return buf; }
        __attribute__((export_name("upper"))) void upper(char *s, int n) {
            for (int i = 0; i < n; i++) if (s[i] >= 'a' && s[i] <= 'z') s[i] -= 32;
        }
        __attribute__((export_name("sum")) ) int32_t sum(int32_t *xs, int n) {
            int32_t t = 0; for (int i = 0; i < n; i++) t += xs[i]; return t;
        }
        """,
    )
    project.write(
        "app.js",
        """
import * as m from "./mem.wasm";
const mem = m.memory;
const p = m.buf();
const n = mem.writeString(p, "héllo wasm");
m.upper(p, n);
console.log(mem.readString(p, n), n);
mem.setInt32(p, 40); mem.setInt32(p + 4, -2); mem.setInt32(p + 8, 4);
console.log(m.sum(p, 3), mem.getInt32(p + 4), mem.getUint32(p + 4));
mem.setFloat64(p, Math.PI); mem.setBigInt64(p + 8, -5n);
console.log(mem.getFloat64(p) === Math.PI, mem.getBigInt64(p + 8));
mem.write(p, [1, 2, 3]);
console.log(Array.from(mem.read(p, 3)), mem.byteLength % 65536, mem.grow(1) >= 1);
mem.writeString(p, "nul\\0ended"); console.log(mem.readString(p));
const live = new Uint8Array(mem.buffer, p, 3);
console.log(Array.from(live), mem.buffer instanceof ArrayBuffer);
try { mem.read(mem.byteLength - 1, 2); } catch (e) { console.log(e.constructor.name); }
""",
    )
    r = project.run("app.js")
    assert r.code == 0, r.err
    assert r.out.splitlines() == [
        "HéLLO WASM 11",
        "42 -2 4294967294",
        "true -5n",
        "[ 1, 2, 3 ] 0 true",
        "nul",
        "[ 110, 117, 108 ] true",
        "RangeError",
    ]


def test_non_identifier_names_one_instance_and_dynamic_import(project):
    project.wat(
        "n.wasm",
        '(module (global $c (mut i32) (i32.const 0)) (func (export "kebab-case") (result i32) (global.set $c (i32.add (global.get $c) (i32.const 1))) (global.get $c)))',
    )
    project.write("other.js", 'import * as n from "./n.wasm";\nexport const first = n["kebab-case"]();\n')
    project.write(
        "app.js",
        'import { first } from "./other.js";\nimport * as n from "./n.wasm";\nconst d = await import("./n.wasm");\n'
        'console.log(first, n["kebab-case"](), d["kebab-case"](), d === n);\n',
    )
    r = project.run("app.js")
    assert (r.code, r.out) == (0, "1 2 3 true\n"), r.err


def test_no_python_frame_on_the_wasm_to_js_path(project):
    """Python-level calls during a run do not grow with the number of wasm -> JS calls."""
    import sys

    from bundler.ebx import read_bundle
    from bundler.runtime.run import prelink

    project.wat(
        "loop.wasm",
        '(module (import "./cb.js" "tick" (func $tick (param i32) (result i32)))'
        ' (func (export "run") (param $n i32) (result i32) (local $s i32)'
        " (block $done (loop $l (br_if $done (i32.eqz (local.get $n)))"
        " (local.set $s (call $tick (local.get $s))) (local.set $n (i32.sub (local.get $n) (i32.const 1))) (br $l)))"
        " (local.get $s)))",
    )
    project.write("cb.js", "export function tick(s) { return s + 1; }\n")

    def python_calls(n: int) -> int:
        project.write("app.js", f'import {{ run }} from "./loop.wasm";\nconsole.log(run({n}));\n')
        out = project.root / "app.ebx"
        assert project.bundle(project.root / "app.js", "-o", out).code == 0
        bundle = read_bundle(out)
        sandbox = prelink(bundle)
        sandbox.init(bundle.manifest.resolve)
        for mod_id, mod in bundle.manifest.modules.items():
            sandbox.add_module(mod_id, bundle.file(mod["code"]), True)
        calls = 0

        def profiler(frame, event, arg):
            nonlocal calls
            if event in ("call", "c_call"):
                calls += 1

        sys.setprofile(profiler)
        try:
            assert sandbox.run(bundle.manifest.entry) == 0
        finally:
            sys.setprofile(None)
        assert project.capfd.readouterr().out.endswith(f"{n}\n")
        return calls

    assert python_calls(10) == python_calls(50_000)


def test_a_v128_global_export_is_in_its_temporal_dead_zone_and_tables_are_tables(project):
    """The proposal: a v128 global cannot become a JS value, so its binding stays uninitialized
    (a ReferenceError when read, through the namespace or a named import); an exported table is
    a WebAssembly.Table. Node 20 throws a TypeError for the first and agrees on the second."""
    project.wat(
        "v.wasm",
        '(module (global (export "vec") v128 (v128.const i32x4 1 2 3 4)) (global (export "n") i32 (i32.const 7))\n'
        '  (table (export "tab") 2 funcref))',
    )
    project.write(
        "app.js",
        'import * as v from "./v.wasm";\nimport { vec } from "./v.wasm";\n'
        "for (const read of [() => v.vec, () => vec]) {\n"
        "  try { read(); console.log('read'); } catch (e) { console.log(e.constructor.name); }\n"
        "}\n"
        "console.log(v.n, Reflect.ownKeys(v).map(String).join(), v.tab instanceof WebAssembly.Table, v.tab.length, v.tab.get(0));\n",
    )
    r = project.run("app.js")
    assert r.code == 0, r.err
    assert r.out.splitlines() == [
        "ReferenceError",
        "ReferenceError",
        "7 n,tab,vec,Symbol(Symbol.toStringTag) true 2 null",
    ]


def test_externref_globals_are_unwrapped_and_ref_extern_refuses_null(project):
    """Where Node 20 differs from the proposal: an exported externref global is its value (a
    live binding, like the numeric ones), and a (ref extern) parameter takes any value but
    null, a TypeError before the call."""
    project.wat(
        "r.wasm",
        '(module (global $g (export "last") (mut externref) (ref.null extern))\n'
        '  (func (export "keep") (param externref) (global.set $g (local.get 0)))\n'
        '  (func (export "nonnull") (param (ref extern)) (result (ref extern)) (local.get 0)))',
    )
    project.write(
        "app.js",
        'import { last, keep, nonnull } from "./r.wasm";\nconst o = {};\n'
        "console.log(last);\nkeep(o);\nconsole.log(last === o, nonnull(o) === o, nonnull(undefined));\n"
        "try { nonnull(null); } catch (e) { console.log(e.constructor.name); }\n",
    )
    r = project.run("app.js")
    assert r.code == 0, r.err
    assert r.out.splitlines() == ["null", "true true undefined", "TypeError"]


def test_namespace_instance_is_the_instance_behind_a_wasm_namespace(project):
    """WebAssembly.namespaceInstance (the proposal): the one Instance of a wasm module's
    namespace, sharing its state; a TypeError for anything else, a JS module's namespace too."""
    project.wat(
        "g.wasm",
        '(module (global $g (export "counter") (mut i32) (i32.const 1))\n'
        '  (func (export "set") (param i32) (global.set $g (local.get 0)))\n'
        '  (func (export "get") (result i32) (global.get $g)))',
    )
    project.write("j.js", "export const x = 1;\n")
    project.write(
        "app.js",
        'import * as ns from "./g.wasm";\nimport * as js from "./j.js";\n'
        "const inst = WebAssembly.namespaceInstance(ns);\n"
        "console.log(inst instanceof WebAssembly.Instance, inst === WebAssembly.namespaceInstance(ns));\n"
        "ns.set(999);\n"
        "console.log(inst.exports.get(), inst.exports.counter.value, inst.exports.counter instanceof WebAssembly.Global);\n"
        "inst.exports.counter.value = 7;\nconsole.log(ns.get(), ns.counter);\n"
        "for (const bad of [{}, null, 42, js]) {\n"
        "  try { WebAssembly.namespaceInstance(bad); } catch (e) { console.log(e.constructor.name); }\n}\n",
    )
    r = project.run("app.js")
    assert r.code == 0, r.err
    assert r.out.splitlines() == ["true true", "999 999 true", "7 7", *["TypeError"] * 4]


def test_names_the_proposal_reserves_are_link_errors(project):
    """Import and export names starting "wasm:" or "wasm-js:", and "wasm-js:" module names: a
    static import stops the build; an import() rejects with a WebAssembly.LinkError."""
    project.wat("imp.wasm", '(module (import "x" "wasm:oops" (func)))')
    project.wat("exp.wasm", '(module (func (export "wasm-js:oops")))')
    project.wat("mod.wasm", '(module (import "wasm-js:oops" "f" (func)))')
    project.write(
        "app.js",
        'for (const load of [() => import("./imp.wasm"), () => import("./exp.wasm"), () => import("./mod.wasm")]) {\n'
        "  try { await load(); } catch (e) { console.log(e instanceof WebAssembly.LinkError, e.message.split(',')[0]); }\n"
        "}\n",
    )
    r = project.run("app.js")
    assert r.code == 0, r.err
    assert r.out.splitlines() == [
        "true imp.wasm imports 'wasm:oops'",
        "true exp.wasm exports 'wasm-js:oops'",
        "true mod.wasm imports from 'wasm-js:oops'",
    ]
    project.write("app.js", 'import * as m from "./exp.wasm";\nconsole.log(m);\n')
    r = project.bundle(project.root / "app.js", "-o", project.root / "app.ebx")
    assert (
        r.code == 1
        and "exp.wasm exports 'wasm-js:oops', a name the ESM-integration proposal reserves" in r.err
    )
