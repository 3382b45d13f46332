"""What a program sees inside the sandbox: console, time, promises, errors, traps, WASI."""

from __future__ import annotations

import gc
import json
import sys

import pytest
import wasmtime
from conftest import needs_node, run_node

from bundler.limits import EXIT_HEAP_LIMIT


@needs_node
def test_console_formats_values_like_node(project):
    program = """
console.log("text", 1, -0, 2.5, 10n, true, null, undefined, NaN);
console.log({ a: 1, b: "x", c: [1, 2, { d: 3n }] }, [1, 2, 3], []);
console.log({}, { "key with space": 1, nested: { deeper: { deepest: { gone: 1 } } } });
console.log([undefined, null, "s"], new Map([[1, "a"]]), new Set([1, 2]));
console.log("%s is %d years and %i days", "Bob", 42.5, 3.9, "extra");
console.log(function named() {}, () => 1, class Foo {}, Symbol("s"));
console.log(new Uint8Array([1, 2, 3]), [1, , 3]);
console.log({ long1: "aaaaaaaaaaaaaaaaaaaa", long2: "bbbbbbbbbbbbbbbbbbbb", long3: "cccccccccccccccccccc" });
console.log({ result: "Héllo Wörld From The Sandbox 🌍", codepoints: 30, bytes: 35 }); // 81 by Node's count
console.log([1, 2, 3, 4, 5, 6, 7], Array.from({ length: 120 }, (_, i) => i * 37)); // columns
console.log(new Uint32Array([15339, 1917, 11, 305, 19010, 385, 289, 9603, 509, 11410, 234, 235]));
console.log(["apple", "banana", "cherry", "date", "elderberry", "fig", "grape"], [1.5, -2.25, 1e6, 0.001, 42, 7, 8]);
console.log({ a: { b: { c: {} } } }, { x: { y: { z: { w: 1 } } }, v: {} }, [[[[]]]], [[[[1]]]]);
console.log({ a: { b: { c: [], d: new Map(), e: new Set(), f: new Uint8Array(0), g: new (class Foo {})() } } });
console.log(Array.from({ length: 8 }, (_, i) => ({ id: i })), [["a", 1], ["b", 2], ["c", 3], ["d", 4], ["e", 5], ["f", 6], ["g", 7]]);
console.error("to stderr");
"""
    project.write("app.mjs", program)
    ours = project.exec(project.root / "app.mjs")
    theirs = run_node(project.root / "app.mjs")
    assert ours.code == 0, ours.err
    assert ours.out == theirs.out
    assert ours.err == "to stderr\n"


def test_date_now_and_performance_now_advance(project):
    project.write(
        "app.js",
        """
const d0 = Date.now(), p0 = performance.now();
let x = 0;
for (let i = 0; i < 200000; i++) x += i;
const d1 = Date.now(), p1 = performance.now();
console.log(d0 > 1.7e12, d1 >= d0, p1 > p0, typeof performance.timeOrigin);
""",
    )
    r = project.exec(project.root / "app.js")
    assert r.out == "true true true number\n"


def test_promises_async_functions_and_top_level_await_run_to_completion(project):
    project.write(
        "app.js",
        """
const order = [];
Promise.resolve().then(() => order.push("micro"));
queueMicrotask(() => order.push("queued"));
setTimeout(() => order.push("timer 2"), 2);
setTimeout(() => order.push("timer 0"), 0);
async function later(v) { await null; return v * 2; }
const v = await later(21);
await new Promise((resolve) => setTimeout(resolve, 5));
order.push("after await " + v);
setTimeout(() => console.log(order.join(", ")), 1);
""",
    )
    r = project.exec(project.root / "app.js")
    assert r.code == 0, r.err
    assert r.out == "micro, queued, timer 0, timer 2, after await 42\n"


def test_uncaught_exception_prints_message_and_stack_with_source_line(project):
    project.write("lib.js", "export function fail(n) {\n  throw new RangeError('bad n: ' + n);\n}\n")
    project.write("app.js", 'import { fail } from "./lib.js";\nconsole.log("before");\nfail(3);\n')
    r = project.run("app.js")
    assert r.code == 1
    assert r.out == "before\n"
    assert r.err.startswith("Uncaught RangeError: bad n: 3\n")
    assert "lib.js:2" in r.err  # the throwing line, in the original file
    assert "app.js:3" in r.err  # the call site


def test_unhandled_rejection_exits_1(project):
    project.write("app.js", "Promise.reject(new Error('nobody caught me'));\nconsole.log('still ran');\n")
    r = project.exec(project.root / "app.js")
    assert r.code == 1
    assert r.out == "still ran\n"
    assert "Uncaught Error: nobody caught me" in r.err


def test_handled_rejection_is_not_reported(project):
    project.write(
        "app.js",
        "const p = Promise.reject(new Error('x'));\nawait null;\np.catch(() => console.log('caught'));\n",
    )
    r = project.exec(project.root / "app.js")
    assert (r.code, r.out, r.err) == (0, "caught\n", "")


def test_script_args_reach_the_program(project):
    project.write("app.js", "console.log(JSON.stringify(scriptArgs));\n")
    r = project.run("app.js", "one", "--two")
    assert r.out == '["one","--two"]\n'


def test_imports_reexports_dynamic_import_and_json(project):
    project.wat(
        "m.wasm", '(module (func (export "inc") (param i32) (result i32) local.get 0 i32.const 1 i32.add))'
    )
    project.write("data.json", '{"name": "edgebox", "n": [1, 2]}')
    project.write("lib/reexport.js", 'export { inc } from "../m.wasm";\nexport * as all from "../m.wasm";\n')
    project.write("lib/dyn.js", "export const loaded = 'dynamic';\n")
    project.write(
        "app.js",
        """
import { inc, all } from "./lib/reexport.js";
import data from "./data.json" with { type: "json" };
const dyn = await import("./lib/dyn.js");
const wasmNs = await import("./m.wasm");
console.log(inc(1), all.inc(2), data.name, data.n.length, dyn.loaded, wasmNs.inc(3), all === wasmNs);
""",
    )
    r = project.run("app.js")
    assert r.code == 0, r.err
    assert r.out == "2 3 edgebox 2 dynamic 4 true\n"


def test_dynamic_import_of_a_module_not_in_the_bundle_is_catchable(project):
    project.write(
        "app.js",
        "const name = './nowhere' + '.js';\ntry { await import(name); } catch (e) { console.log(e.constructor.name, e.message); }\n",
    )
    r = project.exec(project.root / "app.js")
    assert r.code == 0
    assert r.out.startswith("ReferenceError Cannot find module './nowhere.js'")


def test_a_trap_names_the_trap_module_and_function(project):
    project.c(
        "m.wasm",
        """
        #include <stdint.h>
        __attribute__((export_name("divide"))) int32_t divide(int32_t a, int32_t b) { return a / b; }
        """,
    )
    project.write(
        "app.js",
        'import { divide } from "./m.wasm";\nconsole.log(divide(6, 3));\nconsole.log(divide(1, 0));\n',
    )
    r = project.run("app.js")
    assert r.code == 1
    assert r.out == "2\n"
    assert r.err.startswith(
        'error: wasm trap: integer divide by zero in wasm module m.wasm, export "divide"\n'
    )
    assert "    at divide (" in r.err  # the C function, from the module's name section
    assert "Traceback" not in r.err


def test_user_module_with_wasi_prints_to_stdout_only(project):
    project.c(
        "hello.wasm",
        """
        #include <stdio.h>
        #include <stdlib.h>
        __attribute__((export_name("greet"))) int greet(int n) {
            printf("hello from C, n=%d\\n", n);
            fflush(stdout);
            return getenv("HOME") != NULL;  /* no environment inside the sandbox */
        }
        __attribute__((export_name("try_open"))) int try_open(void) {
            FILE *f = fopen("/etc/passwd", "r");  /* no files either */
            return f != NULL;
        }
        """,
        wasi=True,
    )
    project.write(
        "app.js",
        'import * as h from "./hello.wasm";\nconsole.log("env visible:", h.greet(7));\nconsole.log("file opened:", h.try_open());\n',
    )
    r = project.run("app.js")
    assert r.code == 0, r.err
    assert r.out == "hello from C, n=7\nenv visible: 0\nfile opened: 0\n"


ADD_WAT = '(module (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add))'
ADD_WASM = bytes(wasmtime.wat2wasm(ADD_WAT))


@pytest.mark.parametrize("linked", ["bundled", "at run time"])
def test_no_python_frame_is_on_the_js_to_wasm_call_path(project, linked):
    """Count Python-level calls during a run: they must not grow with the number of wasm calls,
    whether the module was linked into the bundle or compiled and instantiated by the program
    (the host compiles then, once; the calls take the same path)."""
    project.wat("m.wasm", ADD_WAT)
    header = 'import { add } from "./m.wasm";\n'
    if linked == "at run time":
        project.write("bytes.js", f"export default new Uint8Array({list(ADD_WASM)});\n")
        header = (
            'import bytes from "./bytes.js";\n'
            "const { instance } = await WebAssembly.instantiate(bytes);\n"
            "const { add } = instance.exports;\n"
        )

    def python_calls_during_run(n: int) -> tuple[int, str]:
        project.write(
            "app.js",
            header + f"let s = 0;\nfor (let i = 0; i < {n}; i++) s = add(s, 1);\nconsole.log(s);\n",
        )
        out = project.root / "app.ebx"
        assert project.bundle(project.root / "app.js", "-o", out).code == 0
        from bundler.ebx import read_bundle
        from bundler.runtime.run import prelink

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

        gc.collect()
        gc.disable()  # a collection's finalizers (wasmtime objects' __del__) are Python calls too
        sys.setprofile(profiler)
        try:
            code = sandbox.run(bundle.manifest.entry)
        finally:
            sys.setprofile(None)
            gc.enable()
        assert code == 0
        return calls, project.capfd.readouterr().out

    python_calls_during_run(10)  # once first: compiling the run-time glue (then cached) is Python
    few, out_few = python_calls_during_run(10)
    many, out_many = python_calls_during_run(100_000)
    assert out_few.endswith("10\n") and out_many.endswith("100000\n")
    assert many == few  # 99,990 more wasm calls, not one more Python call


def test_a_wasm_export_called_from_bytecode_keeps_its_frame_in_stack_traces(project):
    """The interpreter calls a wasm export straight into the glue (build.py, the call opcodes'
    patch), past JS_CallInternal: the export's frame must still sit between the JS import that
    threw and its caller, for a plain call, a method call, a call through a namespace and
    Function.prototype.call, and the stack limit must still hold for JS -> wasm -> JS recursion."""
    project.wat(
        "cb.wasm",
        '(module (import "./cb.js" "boom" (func $boom (param i32) (result i32)))\n'
        '  (func (export "run") (param i32) (result i32) (call $boom (local.get 0))))',
    )
    project.write(
        "cb.js",
        'import { run } from "./cb.wasm";\n'
        "export function boom(x) {\n"
        '  if (x > 0) return run(x - 1) + 1;\n  throw new Error("boom");\n}\n',
    )
    project.write(
        "app.js",
        'import * as m from "./cb.wasm";\nimport { run } from "./cb.wasm";\n'
        "const frames = (f) => { try { f(); } catch (e) { return e.stack.match(/at \\S+/g).join(' '); } };\n"
        "console.log(frames(() => run(0)));\n"
        "console.log(frames(() => m.run(1)));\n"
        "console.log(frames(() => ({ run }).run(0)));\n"
        "console.log(frames(() => run.call(null, 0)));\n"
        "console.log(run.name, run.length);\n"
        "try { run(1e8); } catch (e) { console.log(e.constructor.name, e.message); }\n",
    )
    r = project.run("app.js")
    assert r.code == 0, r.err
    assert r.out.splitlines() == [
        "at boom at run at <anonymous> at frames at <anonymous>",
        "at boom at run at boom at run at <anonymous> at frames at <anonymous>",
        "at boom at run at <anonymous> at frames at <anonymous>",
        "at boom at run at call at <anonymous> at frames at <anonymous>",
        "run 1",
        "RangeError Maximum call stack size exceeded",
    ]


@pytest.mark.parametrize("lang", ["zig"])
def test_zig_module(project, lang):
    project.zig(
        "z.wasm",
        "export fn square(x: i32) i32 { return x * x; }\nexport fn half(x: f64) f64 { return x / 2; }\n",
    )
    project.write("app.js", 'import { square, half } from "./z.wasm";\nconsole.log(square(12), half(5));\n')
    r = project.run("app.js")
    assert (r.code, r.out) == (0, "144 2.5\n")


def test_console_log_of_an_error_prints_its_message_and_stack(project):
    project.write(
        "app.js",
        "function make() {\n  return new TypeError('boom');\n}\nconsole.log(make());\nconsole.log({ e: 1n });\n",
    )
    r = project.exec(project.root / "app.js")
    lines = r.out.splitlines()
    assert lines[0] == "TypeError: boom"
    assert lines[1].strip().startswith("at make (app.js:2")
    assert lines[-1] == "{ e: 1n }"


def test_compiled_machine_code_is_cached_and_reused(engine, monkeypatch):
    """A second load deserializes the cached machine code instead of compiling again."""
    import wasmtime

    from bundler.engine import sandbox

    data = engine.path.read_bytes()
    sandbox.compiled_module(data)  # ensure it is in the cache

    class NoCompiling(wasmtime.Module):
        def __init__(self, *a, **k):
            raise AssertionError("compiled again instead of using the cache")

    monkeypatch.setattr(sandbox.wasmtime, "Module", NoCompiling)
    module = sandbox.compiled_module(data)
    assert any(e.name == "edgebox_run" for e in module.exports)


DIVIDE_C = """
#include <stdint.h>
__attribute__((export_name("divide"))) int32_t divide(int32_t a, int32_t b) { return a / b; }
__attribute__((export_name("boom"))) void boom(void) { __builtin_trap(); }
"""


def test_a_trap_report_names_the_js_call_site(project):
    project.c("m.wasm", DIVIDE_C)
    project.write(
        "app.js",
        'import { divide } from "./m.wasm";\nfunction compute(a, b) {\n  return divide(a, b);\n}\ncompute(1, 0);\n',
    )
    r = project.run("app.js")
    assert r.code == 1
    assert "called from JS:" in r.err
    assert "at compute (app.js:3:" in r.err


@needs_node
def test_trap_mode_exception_makes_traps_catchable_like_node(project):
    project.c("m.wasm", DIVIDE_C)
    project.write(
        "app.mjs",
        'import { divide, boom } from "./m.wasm";\n'
        "for (const f of [() => divide(1, 0), () => boom()]) {\n"
        "  try { f(); } catch (e) { console.log(e instanceof WebAssembly.RuntimeError, e.name, e.message); }\n"
        "}\n"
        "console.log(divide(9, 3));\n",
    )
    out = project.root / "app.ebx"
    assert project.bundle(project.root / "app.mjs", "-o", out).code == 0
    r = project.exec("--trap-mode=exception", out)
    assert r.code == 0, r.err
    assert r.out == run_node(project.root / "app.mjs").out
    assert r.out.splitlines()[0] == "true RuntimeError divide by zero"
    # the default mode ends the run at the first trap
    r = project.exec(out)
    assert r.code == 1 and r.out == ""


# ---------------------------------------------------------------------------------------------
# Found by attacking EdgeBox (issue 9, items 13, 20 and 21), and fixed
# ---------------------------------------------------------------------------------------------


def test_a_module_with_an_exception_tag_section_exports_what_it_exports(project):
    """Item 13: the binary reader stopped at the tag section (id 13, which comes before the
    export section), so such a module appeared to export nothing."""
    project.wat(
        "m.wasm",
        '(module (tag $oops (export "oops") (param i32))'
        ' (func (export "seven") (result i32) i32.const 7)'
        ' (func (export "throws") (param i32) (throw $oops (local.get 0))))',
    )
    project.write(
        "app.js",
        'import { seven } from "./m.wasm";\nimport * as m from "./m.wasm";\nconsole.log(seven(), Object.keys(m).join(","));\n',
    )
    r = project.run("app.js")
    assert (r.code, r.out) == (0, "7 oops,seven,throws\n"), r.err


def test_an_unhandled_rejection_is_reported_however_many_were_handled_late(project):
    """Item 20: with 64 rejections handled later, a 65th never handled exited 0 silently
    (the tracker kept 64); Node exits 1."""
    project.write(
        "app.js",
        """
        const late = [];
        for (let i = 0; i < 100; i++) late.push(Promise.reject(new Error("late " + i)));
        Promise.reject(new Error("never handled"));
        setTimeout(() => { for (const p of late) p.catch(() => {}); }, 0);
        """,
    )
    r = project.exec(project.root / "app.js")
    assert r.code == 1
    assert "never handled" in r.err and "late " not in r.err


def test_a_start_function_that_calls_js_is_explained(project):
    """Item 21: a start function calling a JS import reported 'out of bounds memory access'."""
    project.wat(
        "m.wasm",
        '(module (import "./host.js" "hello" (func $hello (param i32)))'
        " (func $start (call $hello (i32.const 7))) (start $start)"
        ' (func (export "f") (result i32) i32.const 1))',
    )
    project.write("host.js", "export function hello(n) { console.log('hello', n); }\n")
    project.write("app.js", 'import { f } from "./m.wasm";\nconsole.log(f());\n')
    r = project.bundle(project.root / "app.js", "-o", project.root / "app.ebx")
    assert r.code == 1
    assert "m.wasm: its start function called host.js#hello, but JS is not running yet" in r.err
    assert "out of bounds" not in r.err and not (project.root / "app.ebx").exists()


# Found by a second adversarial round (issue 9), and fixed.


def test_namespace_member_aliases_never_collide(project):
    """`a.b$c` and `a$b.c` were both rewritten to the alias a$b$c: a duplicate import binding."""
    project.wat("x.wasm", '(module (func (export "b$c") (result i32) i32.const 1))')
    project.wat("y.wasm", '(module (func (export "c") (result i32) i32.const 2))')
    project.write(
        "app.js",
        'import * as a from "./x.wasm";\nimport * as a$b from "./y.wasm";\nconsole.log(a.b$c(), a$b.c());\n',
    )
    r = project.run("app.js")
    assert (r.code, r.out) == (0, "1 2\n"), r.err


def test_deeply_nested_source_parses(project):
    """An object literal nested 80 deep was 'nesting exceeds the parser resource limit'."""
    depth = 2000
    project.write(
        "app.js",
        "const x = " + "{a:" * depth + "1" + "}" * depth + ";\nconsole.log(JSON.stringify(x).length);\n",
    )
    r = project.run("app.js")
    assert (r.code, r.out) == (0, f"{depth * 6 + 1}\n"), r.err  # {"a": … } per level


def test_a_js_exception_swallowed_by_wasm_is_gone(project):
    """A JS exception that wasm caught with catch_all stayed pending in the engine and turned
    up later in unrelated code."""
    project.wat(
        "c.wasm",
        '(module (import "./cb.js" "boom" (func $boom)) (func (export "swallow") (result i32)'
        " (block $h (try_table (catch_all $h) (call $boom)) (return (i32.const 1))) (i32.const 2)))",
    )
    project.write("cb.js", 'export function boom() { throw new Error("boom"); }\n')
    project.write(
        "app.js",
        'import { swallow } from "./c.wasm";\nconsole.log(swallow());\n'
        'console.log(JSON.parse("{\\"a\\": 1}").a, [1, 2].map((x) => x * 2).join());\n',
    )
    r = project.run("app.js")
    assert (r.code, r.out) == (0, "2\n1 2,4\n"), r.err


def test_an_uncaught_wasm_exception_is_named(project):
    project.wat(
        "e.wasm", '(module (tag $t (param i32)) (func (export "f") (param i32) (throw $t (local.get 0))))'
    )
    project.write(
        "app.js",
        'import { f } from "./e.wasm";\ntry { f(1); } catch (e) { console.log(e.message); }\nf(2);\n',
    )
    r = project.run("app.js")
    assert r.code == 1 and "an uncaught wasm exception" in r.err, r.err
    r = project.exec("--trap-mode=exception", project.root / "app.ebx")
    assert r.out.startswith("an uncaught wasm exception"), r.out


def test_memory_grow_takes_its_argument_as_the_js_api_does(project):
    """grow(2**32) wrapped to grow(0); grow(2**32 + 1) grew by one page."""
    project.wat("m.wasm", '(module (memory (export "memory") 1))')
    project.write(
        "app.js",
        'import { memory } from "./m.wasm";\n'
        "for (const d of [2 ** 32, 2 ** 32 + 1, -1, NaN, 70000]) {\n"
        "  try { memory.grow(d); console.log(d, 'grew'); } catch (e) { console.log(d, e.constructor.name); }\n}\n"
        "console.log(memory.grow(1.9), memory.byteLength / 65536);\n",
    )
    r = project.run("app.js")
    assert r.out.splitlines() == [
        "4294967296 TypeError", "4294967297 TypeError", "-1 TypeError", "NaN TypeError", "70000 RangeError", "1 2",
    ], r.err  # fmt: skip


def test_a_memory_import_that_does_not_fit_says_why(project):
    project.wat("a.wasm", '(module (memory (export "memory") 1))')
    project.wat("b.wasm", '(module (import "./a.wasm" "memory" (memory 1 10)))')
    project.write("app.js", 'import "./b.wasm";\n')
    r = project.bundle(project.root / "app.js", "-o", project.root / "a.ebx")
    assert r.code == 1
    assert (
        "as memory of at least 1 pages, at most 10, but a.wasm exports it as memory of at least 1 pages, no maximum"
        in r.err
    )
    assert r.err.startswith("b.wasm:")  # named as the user wrote it, not by absolute path


def test_modules_too_big_for_the_heap_are_the_heap_limit(project):
    """The host wrote a module's bytes to address 0 when the engine could not allocate them."""
    project.write("d.json", json.dumps({"k": "x" * (3 * 1024 * 1024)}))
    project.write("app.js", 'import d from "./d.json";\nconsole.log(d.k.length);\n')
    r = project.run("app.js")
    assert (r.code, r.out) == (0, f"{3 * 1024 * 1024}\n"), r.err
    r = project.exec("--heap-limit=1MiB", project.root / "app.ebx")
    assert r.code == EXIT_HEAP_LIMIT and "JS heap limit reached (1MiB)" in r.err


def test_the_js_api_classes_exist_for_instanceof_and_refuse_bad_bytes(project):
    """wasm-bindgen's bundler entries test `wasm instanceof WebAssembly.Module` before using the
    exports (loro-crdt does): a bundled module's namespace is none of the classes. Bytes that
    are not wasm are a CompileError, as in Node."""
    project.wat("m.wasm", '(module (memory (export "memory") 1) (func (export "f")))')
    project.write(
        "app.js",
        'import * as m from "./m.wasm";\n'
        "const W = WebAssembly;\n"
        "console.log([W.Module, W.Instance, W.Global, W.Table].map((c) => m instanceof c).join());\n"
        "console.log(m.memory instanceof W.Memory, Object.prototype.toString.call(W.Module.prototype));\n"
        "try { new W.Module(new Uint8Array(8)); } catch (e) { console.log(e.constructor.name); }\n"
        "W.instantiate(new Uint8Array(8)).catch((e) => console.log('rejected', e.constructor.name));\n"
        "console.log('validate', W.validate(new Uint8Array(8)));\n",
    )
    r = project.run("app.js")
    assert r.code == 0, r.err
    assert r.out.splitlines() == [
        "false,false,false,false",
        "true [object WebAssembly.Module]",
        "CompileError",
        "validate false",
        "rejected CompileError",
    ]


def test_self_is_the_global_object_as_in_workers(project):
    """Packages built for browsers and workers attach classes to `self` (citeproc-rs's
    wasm-bindgen glue does); Node's `global` and the browser's `window` are not defined."""
    project.write(
        "app.js",
        "self.Marker = class Marker {};\n"
        "console.log(self === globalThis, new Marker() instanceof globalThis.Marker, typeof global, typeof window);\n"
        "self = 1;\nconsole.log(self);\n",
    )
    r = project.run("app.js")
    assert (r.code, r.out) == (0, "true true undefined undefined\n1\n"), r.err


def test_a_module_with_many_exports_is_instantiated_once_at_run_time(project):
    """The host's answer for 300 exports is longer than the engine's first buffer: asking again
    with room must not instantiate the module a second time (its start function ran twice)."""
    funcs = "".join(f'(func (export "f{i}") (result i32) (i32.const {i}))' for i in range(300))
    wat = f'(module (import "js" "started" (func $started)) {funcs} (start $s) (func $s (call $started)))'
    project.write("bytes.js", f"export default new Uint8Array({list(wasmtime.wat2wasm(wat))});\n")
    project.write(
        "app.js",
        'import bytes from "./bytes.js";\nlet starts = 0;\n'
        "const { instance } = await WebAssembly.instantiate(bytes, { js: { started: () => starts++ } });\n"
        "console.log(starts, Object.keys(instance.exports).length, instance.exports.f299());\n",
    )
    r = project.run("app.js")
    assert (r.code, r.out) == (0, "1 300 299\n"), r.err


JS_STRING_WAT = """(module
  (import "wasm:js-string" "length" (func $length (param externref) (result i32)))
  (import "wasm:js-string" "concat" (func $concat (param externref externref) (result (ref extern))))
  (import "wasm:js-string" "substring" (func $sub (param externref i32 i32) (result (ref extern))))
  (import "wasm:js-string" "charCodeAt" (func $at (param externref i32) (result i32)))
  (import "'" "hello" (global $hello externref))
  (func (export "len") (param externref) (result i32) (call $length (local.get 0)))
  (func (export "greet") (param externref) (result (ref extern)) (call $concat (global.get $hello) (local.get 0)))
  (func (export "sub") (param externref i32 i32) (result (ref extern)) (call $sub (local.get 0) (local.get 1) (local.get 2)))
  (func (export "at") (param externref i32) (result i32) (call $at (local.get 0) (local.get 1))))"""


def test_js_string_builtins_and_string_constants_through_the_js_api(project):
    """{ builtins: ["js-string"], importedStringConstants: "'" } (JS String Builtins): the
    imports are provided, not asked of the import object, and not listed by Module.imports."""
    project.write("bytes.js", f"export default new Uint8Array({list(wasmtime.wat2wasm(JS_STRING_WAT))});\n")
    project.write(
        "app.js",
        'import bytes from "./bytes.js";\n'
        "const options = { builtins: ['js-string'], importedStringConstants: \"'\" };\n"
        "const m = await WebAssembly.compile(bytes, options);\n"
        "console.log(WebAssembly.Module.imports(m).length, WebAssembly.Module.imports(new WebAssembly.Module(bytes)).length);\n"
        "const e = new WebAssembly.Instance(m, {}).exports;\n"
        "console.log(e.len('héllo'), e.greet(' world'), e.sub('abcdef', 1, 3), e.sub('abc', 5, 6), e.at('A', 0));\n"
        "for (const bad of [() => e.len(5), () => e.at('A', 3)]) {\n"
        "  try { bad(); } catch (err) { console.log(err.constructor.name); }\n}\n",
    )
    r = project.run("app.js")
    assert r.code == 0, r.err
    assert r.out.splitlines() == ["0 5", "5 hello world bc  65", "RuntimeError", "RuntimeError"]


def test_a_function_read_from_a_table_is_the_export_itself(project):
    """One JS function per wasm function, as the JS API's exported-function cache gives it
    (Emscripten's addFunction keys a Map by them), for run-time and bundled instances alike."""
    wat = (
        '(module (func $add (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)\n'
        '  (table (export "tbl") 2 funcref) (elem (i32.const 0) func $add))'
    )
    project.wat("t.wasm", wat)
    project.write("bytes.js", f"export default new Uint8Array({list(wasmtime.wat2wasm(wat))});\n")
    project.write(
        "app.js",
        'import * as m from "./t.wasm";\nimport bytes from "./bytes.js";\n'
        "const { instance } = await WebAssembly.instantiate(bytes);\nconst x = instance.exports;\n"
        "x.tbl.set(1, x.add);\n"
        "console.log(x.tbl.get(0) === x.add, x.tbl.get(1) === x.add, m.tbl.get(0) === m.add, m.tbl.get(0)(2, 3));\n",
    )
    r = project.run("app.js")
    assert (r.code, r.out) == (0, "true true true 5\n"), r.err


def test_validate_says_no_to_what_compile_refuses(project):
    """Feature detection (wasm-feature-detect) asks validate: a shared or 64-bit memory, which
    EdgeBox does not run, must not be reported as supported."""
    shared = list(wasmtime.wat2wasm("(module (memory 1 1 shared))"))
    project.write(
        "app.js",
        f"const shared = new Uint8Array({shared});\n"
        "console.log(WebAssembly.validate(shared), WebAssembly.validate(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0])));\n"
        "WebAssembly.compile(shared).catch((e) => console.log(e.constructor.name));\n",
    )
    r = project.run("app.js")
    assert (r.code, r.out) == (0, "false true\nCompileError\n"), r.err


def test_a_table_made_in_js_gets_the_cap_module_tables_get(project):
    """Tables live in host memory, outside the wasm memory limit: one made with
    new WebAssembly.Table is capped as a module's are (limits.MAX_TABLE_ELEMENTS)."""
    project.write(
        "app.js",
        "for (const make of [\n"
        "  () => new WebAssembly.Table({ element: 'anyfunc', initial: 4294967295 }),\n"
        "  () => new WebAssembly.Table({ element: 'anyfunc', initial: 1 }).grow(4000000000),\n"
        "  () => new WebAssembly.Table({ element: 'externref', initial: 1 }).grow(50000000, {}),\n"
        "]) {\n  try { make(); console.log('made'); } catch (e) { console.log(e.constructor.name); }\n}\n"
        "console.log(new WebAssembly.Table({ element: 'anyfunc', initial: 2 }).grow(3));\n",
    )
    r = project.run("app.js")
    assert (r.code, r.out) == (0, "RangeError\nRangeError\nRangeError\n2\n"), r.err
