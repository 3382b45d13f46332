"""Limits: each one hit ends the run with its name, value, how to raise it and its own exit code."""

from __future__ import annotations

import time

from bundler.limits import (
    EXIT_HEAP_LIMIT,
    EXIT_STACK_LIMIT,
    EXIT_TIME_LIMIT,
    EXIT_WASM_MEMORY_LIMIT,
    format_size,
    parse_size,
)

SPIN_WAT = '(module (func (export "spin") (loop $l (br $l))))'
GROW_WAT = """(module (memory (export "memory") 1)
  (func (export "grow_until_full") (result i32)
    (block $full (loop $l (br_if $full (i32.eq (memory.grow (i32.const 1)) (i32.const -1))) (br $l)))
    unreachable))"""


def test_sizes_parse_like_people_write_them():
    assert parse_size("32MiB", "--x") == 32 * 1024 * 1024
    assert parse_size("512k", "--x") == 512 * 1024
    assert parse_size("1.5GiB", "--x") == int(1.5 * 1024**3)
    assert parse_size("1000", "--x") == 1000


def test_time_limit_stops_an_infinite_js_loop(project):
    project.write("app.js", "console.log('start');\nwhile (true) {}\n")
    t0 = time.monotonic()
    r = project.exec("--time-limit=0.5", project.root / "app.js")
    elapsed = time.monotonic() - t0
    assert r.code == EXIT_TIME_LIMIT
    assert r.out == "start\n"
    assert "error: time limit reached (0.5s)" in r.err
    assert "raise it with --time-limit=1" in r.err
    assert elapsed < 10


def test_time_limit_stops_an_infinite_wasm_loop_and_a_long_timer(project):
    project.wat("spin.wasm", SPIN_WAT)
    project.write("app.js", 'import { spin } from "./spin.wasm";\nspin();\n')
    r = project.exec("--time-limit=0.3", project.root / "app.js")
    assert r.code == EXIT_TIME_LIMIT and "time limit reached" in r.err
    project.write("timer.js", "setTimeout(() => console.log('too late'), 3600 * 1000);\n")
    t0 = time.monotonic()
    r = project.exec("--time-limit=0.3", project.root / "timer.js")
    assert r.code == EXIT_TIME_LIMIT and r.out == ""
    assert time.monotonic() - t0 < 10


def test_time_limit_recorded_in_the_bundle_and_overridden_at_run_time(project):
    project.write(
        "app.js",
        "let n = 0;\nconst end = Date.now() + 400;\nwhile (Date.now() < end) n++;\nconsole.log('done');\n",
    )
    out = project.root / "app.ebx"
    assert project.bundle(project.root / "app.js", "-o", out, "--time-limit=0.2").code == 0
    info = project.exec("--info", out)
    assert "limits:  wasm memory 256MiB per module, JS heap 256MiB, time 0.2s" in info.out
    assert project.exec(out).code == EXIT_TIME_LIMIT
    r = project.exec("--time-limit=5", out)
    assert (r.code, r.out) == (0, "done\n")


def test_heap_limit(project):
    project.write("app.js", "const keep = [];\nwhile (true) keep.push(new Array(100000).fill(1.5));\n")
    r = project.exec("--heap-limit=16MiB", project.root / "app.js")
    assert r.code == EXIT_HEAP_LIMIT
    assert "error: JS heap limit reached (16MiB)" in r.err
    assert "--heap-limit=32MiB" in r.err


def test_heap_limit_inside_glue_that_rethrows_is_still_the_heap_limit(project):
    """wasm-bindgen's glue catches an error and throws another. When the heap runs out there,
    reporting the new one could fail too: that was "Uncaught exception (while reporting
    another): [uninitialized]" and exit 1; it is the heap limit. When it can be reported, it
    is the program's error, and the limit is named after it."""
    project.write(
        "app.js",
        "const keep = [];\n"
        "function call() { try { keep.push(new Array(50000).fill(1.5)); } catch (e) { throw new Error('wrapped: ' + e); } }\n"
        "while (true) call();\n",
    )
    r = project.exec("--heap-limit=16MiB", project.root / "app.js")
    assert "while reporting another" not in r.err
    if r.code == 1:  # the program's own error was reported: the limit is a note after it
        assert "Uncaught Error: wrapped: InternalError: out of memory" in r.err
        assert "note: the JS heap limit (16MiB) was reached during the run" in r.err, r.err
        assert "--heap-limit=32MiB" in r.err
    else:  # no memory was left to report it: the heap limit itself
        assert r.code == EXIT_HEAP_LIMIT and "error: JS heap limit reached (16MiB)" in r.err, r.err


def test_wasm_memory_limit_when_memory_fills(project):
    project.wat("grow.wasm", GROW_WAT)
    project.write("app.js", 'import { grow_until_full, memory } from "./grow.wasm";\ngrow_until_full();\n')
    r = project.exec("--wasm-memory-limit=2MiB", project.root / "app.js")
    assert r.code == EXIT_WASM_MEMORY_LIMIT
    assert "error: wasm memory limit reached (2MiB): grow.wasm's memory asked to grow to 2112KiB" in r.err
    assert "--wasm-memory-limit=4MiB" in r.err


CHUNK_WAT = """(module (memory (export "memory") 1)
  (func (export "alloc") (result i32)
    (if (i32.eq (memory.grow (i32.const 40)) (i32.const -1)) (then unreachable))  ;; an allocator: 2.5 MiB at once
    (memory.size)))"""


def test_a_refused_grow_is_named_even_below_the_limit(project):
    """Issue 10, point 6: an allocator that asks for a big block and aborts (`unreachable`) when
    the grow fails left the memory well below the limit, so the run was a bare trap; the memory
    creator now sees the refused grow itself."""
    project.wat("a.wasm", CHUNK_WAT)
    project.write("app.js", 'import { alloc } from "./a.wasm";\nconsole.log(alloc());\n')
    r = project.exec("--wasm-memory-limit=2MiB", project.root / "app.js")
    assert r.code == EXIT_WASM_MEMORY_LIMIT, r.err
    assert "a.wasm's memory asked to grow to 2624KiB" in r.err and "--wasm-memory-limit=4MiB" in r.err
    r = project.exec("--wasm-memory-limit=3MiB", project.root / "app.js")
    assert (r.code, r.out) == (0, "41\n"), r.err


def test_a_memory_larger_than_the_limit_is_refused_before_anything_is_written(project):
    project.wat("big.wasm", '(module (memory (export "memory") 4200))')  # 262.5 MiB
    project.write("app.js", 'import * as b from "./big.wasm";\nconsole.log(b.memory.byteLength);\n')
    out = project.root / "app.ebx"
    r = project.bundle(project.root / "app.js", "-o", out)
    assert r.code == EXIT_WASM_MEMORY_LIMIT
    assert "wasm memory limit reached (256MiB): big.wasm declares a memory of at least 262.5MiB" in r.err
    assert "raise it with --wasm-memory-limit=263MiB" in r.err
    assert not out.exists()
    assert project.bundle(project.root / "app.js", "-o", out, "--wasm-memory-limit=300MiB").code == 0
    assert project.exec(out).out == "275251200\n"


def test_deep_js_recursion_is_a_catchable_range_error(project):
    project.write(
        "app.js",
        "function f(n) { return n === 0 ? 0 : 1 + f(n - 1); }\n"
        "try { f(1e7); } catch (e) { console.log(e.constructor.name, e.message); }\n"
        "console.log(f(5000));\n",
    )
    r = project.exec(project.root / "app.js")
    assert (r.code, r.out) == (0, "RangeError Maximum call stack size exceeded\n5000\n"), r.err


def test_uncaught_js_recursion_and_runaway_wasm_recursion_exit_with_the_stack_code(project):
    project.write("app.js", "function f() { return f() + 1; }\nf();\n")
    r = project.exec(project.root / "app.js")
    assert r.code == EXIT_STACK_LIMIT
    assert "Maximum call stack size exceeded" in r.err
    project.wat("rec.wasm", '(module (func $r (export "r") (result i32) (i32.add (call $r) (i32.const 1))))')
    project.write("wasm.js", 'import { r } from "./rec.wasm";\nr();\n')
    r = project.exec(project.root / "wasm.js")
    assert r.code == EXIT_STACK_LIMIT
    assert "wasm trap: call stack exhausted in wasm module rec.wasm" in r.err
    assert "stack limit reached (128MiB of wasm stack)" in r.err


def test_deep_recursion_in_the_engines_own_c_is_a_catchable_range_error(project):
    """QuickJS's recursive C functions check only the C stack in linear memory; the native
    stack under them (MAX_WASM_STACK) outlasts that check, so nesting too deep for the parser,
    JSON.parse, Array.prototype.flat or JSON.stringify throws RangeError, which the program
    catches and goes on, as in Node; JSON.stringify stops at 10,000 levels (its cycle check
    makes deeper walks quadratic) on its fast path and on QuickJS's (a replacer array)."""
    project.write(
        "app.js",
        "const nested = (n) => { let a = []; for (let i = 0; i < n; i++) a = [a]; return a; };\n"
        "const deep = 1_000_000;\n"
        "const tries = {\n"
        '  parser: () => new Function("return " + "(".repeat(deep) + "1" + ")".repeat(deep)),\n'
        '  parse: () => JSON.parse("[".repeat(deep) + "]".repeat(deep)),\n'
        "  flat: () => nested(deep).flat(Infinity),\n"
        "  stringify: () => JSON.stringify(nested(10_001)),\n"
        '  stringifyWithReplacer: () => JSON.stringify(nested(10_001), ["x"]),\n'
        "};\n"
        "for (const [name, f] of Object.entries(tries)) {\n"
        "  try { f(); console.log(name, 'returned'); } catch (e) { console.log(name, e.constructor.name, e.message); }\n"
        "}\n"
        "console.log(JSON.stringify(nested(9_999)).length, JSON.stringify(nested(9_999), ['x']).length);\n",
    )
    r = project.exec(project.root / "app.js")
    assert r.code == 0, r.err
    assert r.out.splitlines() == [
        *(
            f"{name} RangeError Maximum call stack size exceeded"
            for name in ("parser", "parse", "flat", "stringify", "stringifyWithReplacer")
        ),
        "20000 20000",
    ]


def test_a_start_function_that_traps_is_reported_at_bundle_time(project):
    project.wat("bad.wasm", "(module (func $s unreachable) (start $s))")
    project.write("app.js", 'import "./bad.wasm";\n')
    out = project.root / "app.ebx"
    r = project.bundle(project.root / "app.js", "-o", out)
    assert r.code == 1
    assert "bad.wasm: its start function trapped" in r.err
    assert not out.exists()


def test_a_start_function_that_never_returns_does_not_hang_the_build(project):
    project.wat("spin.wasm", "(module (func $s (loop $l (br $l))) (start $s))")
    project.write("app.js", 'import "./spin.wasm";\n')
    out = project.root / "app.ebx"
    t0 = time.monotonic()
    r = project.bundle(project.root / "app.js", "-o", out, "--time-limit=0.3")
    assert r.code == EXIT_TIME_LIMIT
    assert "time limit reached (0.3s): the start function of spin.wasm did not finish" in r.err
    assert not out.exists() and time.monotonic() - t0 < 10


def test_ctrl_c_stops_an_endless_loop_at_once(project):
    """No limit set, a loop in JS: SIGINT still ends the run, with exit 130 and no traceback."""
    import signal
    import subprocess
    import sys
    from pathlib import Path

    project.write("app.js", "console.log('start');\nwhile (true) {}\n")
    exe = Path(sys.executable).parent / "edgebox-exec"
    proc = subprocess.Popen(
        [exe, "app.js"], cwd=project.root, text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # a background job ignores it
    )  # fmt: skip
    assert proc.stdout is not None and proc.stdout.readline() == "start\n"  # the loop is running
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=10)
    assert proc.returncode == 130 and err.strip() == "interrupted", err


# ---------------------------------------------------------------------------------------------
# Found by attacking EdgeBox (issue 9, items 8, 9, 10 and 19), and fixed
# ---------------------------------------------------------------------------------------------

SLEEP_C = """
#include <unistd.h>
__attribute__((export_name("nap"))) void nap(int seconds) { sleep(seconds); }
"""


def test_time_limit_stops_a_module_sleeping_in_wasi(project):
    """Item 8: a 1 s limit ended after 20 s: WASI poll_oneoff (sleep) blocks in the host,
    where no epoch check reaches it."""
    project.c("s.wasm", SLEEP_C, wasi=True)
    project.write(
        "app.js", 'import { nap } from "./s.wasm";\nconsole.log("napping");\nnap(30);\nconsole.log("woke");\n'
    )
    t0 = time.monotonic()
    r = project.exec("--time-limit=1", project.root / "app.js")
    elapsed = time.monotonic() - t0
    assert r.code == EXIT_TIME_LIMIT and r.out == "napping\n"
    assert "time limit reached (1s): the program was blocked in a host call" in r.err
    assert elapsed < 10


EXIT_C = """
#include <stdio.h>
#include <stdlib.h>
__attribute__((export_name("quit"))) void quit(int code) { printf("bye %d\\n", code); exit(code); }
"""


def test_wasi_proc_exit_is_the_programs_exit_status(project):
    """Item 9: C's exit(7) (WASI proc_exit) was an internal error; it is the exit status."""
    project.c("e.wasm", EXIT_C, wasi=True)
    project.write(
        "app.js",
        'import { quit } from "./e.wasm";\nconsole.log("before");\nquit(7);\nconsole.log("after");\n',
    )
    for mode in ("abort", "exception"):
        r = project.exec(f"--trap-mode={mode}", project.root / "app.js")
        assert (r.code, r.out) == (7, "before\nbye 7\n"), r.err
        assert r.err == ""


BAD_POINTER_WAT = """(module
  (import "wasi_snapshot_preview1" "fd_write" (func $w (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "past_the_end") (result i32) (call $w (i32.const 1) (i32.const 65533) (i32.const 1) (i32.const 0)))
  (func (export "bad_result") (result i32) (call $w (i32.const 1) (i32.const 8) (i32.const 1) (i32.const 70000))))"""


def test_a_bad_pointer_passed_to_wasi_is_a_trap_in_both_modes(project):
    """Item 9: an out-of-bounds pointer handed to a WASI call was an internal error (exit 70),
    even with --trap-mode=exception."""
    project.wat("w.wasm", BAD_POINTER_WAT)
    project.write(
        "app.js",
        'import { past_the_end, bad_result } from "./w.wasm";\n'
        "for (const f of [past_the_end, bad_result]) {\n"
        "  try { f(); } catch (e) { console.log(e.constructor.name, e.message); }\n}\n",
    )
    r = project.exec(project.root / "app.js")
    assert r.code == 1 and r.out == ""
    assert "a WASI call failed: Pointer out of bounds" in r.err and 'export "past_the_end"' in r.err
    r = project.exec("--trap-mode=exception", project.root / "app.js")
    assert r.code == 0, r.err
    assert r.out.splitlines() == [
        "RuntimeError WASI call failed: Pointer out of bounds: Region { start: 65533, len: 4 }",
        "RuntimeError WASI call failed: fd_write: Pointer out of bounds: Region { start: 70000, len: 4 }",
    ]


RECURSE_WAT = """(module (import "./host.js" "down" (func $down (param i32) (result i32)))
  (func (export "rec") (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
      (else (i32.add (i32.const 1) (call $down (i32.sub (local.get 0) (i32.const 1))))))))"""


def test_deep_js_wasm_recursion_in_exception_mode_is_the_stack_limit(project):
    """Item 9: ~200 levels of JS <-> wasm recursion with --trap-mode=exception ended in a
    Python RecursionError (exit 70); now it goes as deep as the default mode, then it is a
    catchable error, and uncaught it is the stack limit (exit 6)."""
    project.wat("r.wasm", RECURSE_WAT)
    project.write("host.js", 'import { rec } from "./r.wasm";\nexport function down(n) { return rec(n); }\n')
    project.write(
        "app.js",
        'import { rec } from "./r.wasm";\n'
        "for (const n of [200, 1000, 100000]) {\n"
        "  try { console.log(n, rec(n)); } catch (e) { console.log(n, 'caught', e.message); }\n}\n"
        "rec(100000);\n",
    )
    r = project.exec("--trap-mode=exception", project.root / "app.js")
    assert r.out.splitlines() == ["200 200", "1000 1000", "100000 caught Maximum call stack size exceeded"]
    assert r.code == EXIT_STACK_LIMIT, r.err
    assert "Uncaught RangeError: Maximum call stack size exceeded" in r.err  # as V8 says it
    assert "internal error" not in r.err


def test_a_time_limit_that_runs_out_while_starting_is_the_time_limit(project):
    """Item 9: an interrupt during set-up (instantiating the engine, starting QuickJS) was
    an internal error; under load 29 of 32 parallel 0.1 s runs ended in exit 70."""
    import subprocess
    import sys
    from pathlib import Path

    project.wat("m.wasm", SPIN_WAT)
    project.write("app.js", 'import { spin } from "./m.wasm";\nspin();\n')
    assert project.bundle(project.root / "app.js", "-o", project.root / "app.ebx").code == 0
    exe = Path(sys.executable).parent / "edgebox-exec"
    runs = [
        subprocess.Popen(
            [exe, "--time-limit=0.01", "app.ebx"], cwd=project.root, stderr=subprocess.PIPE, text=True
        )
        for _ in range(12)
    ]
    for p in runs:
        _, err = p.communicate(timeout=120)
        assert p.returncode == EXIT_TIME_LIMIT, err
        assert "time limit reached (0.01s)" in err and "internal error" not in err


def test_the_start_function_budget_does_not_count_compiling(project, tmp_path, monkeypatch):
    """Item 10: the bundle-time budget for start functions counted compiling the engine,
    the adapter and the modules: cold-cache builds failed with 'wasm trap: interrupt'."""
    from bundler.cache import cache_dir

    cold = tmp_path / "cache"
    (cold / "engine").mkdir(parents=True)
    for entry in (cache_dir() / "engine").iterdir():  # the engine itself stays built
        (cold / "engine" / entry.name).symlink_to(entry)
    monkeypatch.setenv("EDGEBOX_CACHE_DIR", str(cold))
    project.wat("m.wasm", '(module (func $s) (start $s) (func (export "f") (result i32) i32.const 1))')
    project.write("app.js", 'import { f } from "./m.wasm";\nconsole.log(f());\n')
    # compiling the engine alone takes ~0.5 s on a cold cache; the start function, nothing
    r = project.bundle(project.root / "app.js", "-o", project.root / "app.ebx", "--time-limit=0.05")
    assert r.code == 0, r.err
    r = project.exec(project.root / "app.ebx")
    assert (r.code, r.out) == (0, "1\n"), r.err


def test_exit_codes_come_from_the_engine_not_from_message_text(project):
    """Item 19: `throw new Error("out of memory")` was reported as the heap limit (exit 3), and
    a RangeError saying "Maximum call stack size exceeded" as the stack limit (exit 6)."""
    for thrown in ('new Error("out of memory")', 'new RangeError("Maximum call stack size exceeded")'):
        project.write("app.js", f"throw {thrown};\n")
        r = project.exec(project.root / "app.js")
        assert r.code == 1, r.err
        assert "limit reached" not in r.err and "Uncaught" in r.err
    # the real thing still gets its own code, even when caught and rethrown
    project.write("app.js", "function f() { return f() + 1; }\ntry { f(); } catch (e) { throw e; }\n")
    assert project.exec(project.root / "app.js").code == EXIT_STACK_LIMIT
    project.write("app.js", "const a = [];\nfor (;;) a.push(new Array(100000).fill(1));\n")
    assert project.exec("--heap-limit=16MiB", project.root / "app.js").code == EXIT_HEAP_LIMIT


# Found by a second adversarial round (issue 9), and fixed.


def test_tables_are_bounded_too(project):
    """A 117-byte module declaring a table of a billion elements and filling every 512th
    reached 7.8 GB of host memory: tables were outside every limit."""
    from bundler.limits import MAX_TABLE_ELEMENTS

    project.wat("t.wasm", '(module (table 1000000000 funcref) (func (export "f")))')
    project.write("app.js", 'import { f } from "./t.wasm";\nf();\n')
    r = project.bundle(project.root / "app.js", "-o", project.root / "a.ebx")
    assert r.code == 1 and f"tables {MAX_TABLE_ELEMENTS:,} elements in all" in r.err
    project.wat(
        "g.wasm",
        '(module (table $t 1 funcref) (func (export "grow") (result i32)'
        " (table.grow $t (ref.null func) (i32.const 100000000))))",
    )
    project.write("app.js", 'import { grow } from "./g.wasm";\nconsole.log(grow());\n')
    r = project.run("app.js")
    assert (r.code, r.out) == (0, "-1\n"), r.err  # past the cap, table.grow fails as at a maximum


def test_the_memory_limit_is_per_module_however_many_memories_it_has(project):
    """With multi-memory, each of up to 100 memories got the whole limit (40 memories filled
    1.3 GB under a 32 MiB limit). They share it now."""
    memories = "".join(f"(memory $m{i} 1)" for i in range(4))
    grow = "".join(f"(drop (memory.grow $m{i} (i32.const 15)))" for i in range(4))
    sizes = " ".join(f"(memory.size $m{i})" for i in range(4))
    one_more = "(memory.grow $m0 (i32.const 1))"
    project.wat(
        "mm.wasm",
        f'(module {memories} (func (export "grow") (result i32 i32 i32 i32 i32) {grow} {sizes} {one_more}))',
    )
    project.write("app.js", 'import { grow } from "./mm.wasm";\nconsole.log(grow().join(" "));\n')
    r = project.exec("--wasm-memory-limit=4MiB", project.root / "app.js")
    assert (r.code, r.out) == (0, "16 16 16 16 -1\n"), r.err  # 1 MiB each: the 4 MiB shared


def test_only_a_memory_that_grew_to_its_limit_is_blamed(project):
    """Any failure was reported as the wasm memory limit (exit 4) when a module's memory merely
    started at the limit."""
    project.wat(
        "m.wasm",
        '(module (memory (export "memory") 16) (func (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1))))',
    )
    for body, code in (('throw new Error("mine")', 1), ("div(6, 0)", 1), ("await new Promise(() => {})", 13)):
        project.write("app.js", f'import {{ div }} from "./m.wasm";\n{body};\n')
        r = project.exec("--wasm-memory-limit=1MiB", project.root / "app.js")
        assert r.code == code and "wasm memory limit" not in r.err, (body, r.err)
    project.wat("m.wasm", GROW_WAT)  # control: grown to the limit, then failing, is the limit
    project.write("app.js", 'import { grow_until_full } from "./m.wasm";\ngrow_until_full();\n')
    assert project.exec("--wasm-memory-limit=1MiB", project.root / "app.js").code == EXIT_WASM_MEMORY_LIMIT


WIDE_WAT = """(module (import "./cb.js" "cb" (func $cb (param i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i32)))
  (func (export "down") (param i32)
    (call $cb (i64.const 1) (i64.const 2) (i64.const 3) (i64.const 4) (i64.const 5) (i64.const 6) (i64.const 7)
      (i64.const 8) (i64.const 9) (i64.const 10) (i64.const 11) (i64.const 12) (i64.const 13) (i64.const 14)
      (i64.const 15) (i64.const 16) (local.get 0))))"""


def test_wide_wasm_to_js_calls_nest_as_deep_as_narrow_ones(project):
    """The trampolines' 64 KiB argument stack ran out ~480 calls deep for 17 arguments, ending
    the run with 'unreachable'; past its (now 1 MiB) end it is the stack-limit RangeError."""
    project.wat("w.wasm", WIDE_WAT)
    project.write(
        "cb.js",
        'import { down } from "./w.wasm";\nexport function cb(...a) { const n = a[16]; if (n > 0) down(n - 1); }\n',
    )
    project.write(
        "app.js",
        'import { down } from "./w.wasm";\ndown(900);\nconsole.log("900 deep");\n'
        "try { down(1000000); } catch (e) { console.log(e.constructor.name, e.message); }\n",
    )
    for mode in ("abort", "exception"):
        r = project.exec(f"--trap-mode={mode}", project.root / "app.js")
        assert r.out.splitlines() == ["900 deep", "RangeError Maximum call stack size exceeded"], (
            mode,
            r.err,
        )
        assert r.code == 0


def test_caught_traps_do_not_leak_the_trampoline_stack(project):
    """In --trap-mode=exception a trap unwound the trampolines without their epilogues; after
    ~600 caught traps inside wasm -> JS calls, every wasm -> JS call failed."""
    project.wat(
        "d.wasm",
        '(module (import "./h.js" "h" (func $h (param i32)))'
        ' (func (export "via") (param i32) (call $h (local.get 0)))'
        ' (func (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1))))',
    )
    project.write("h.js", 'import { div } from "./d.wasm";\nexport function h(n) { div(1, n); }\n')
    project.write(
        "app.js",
        'import { via } from "./d.wasm";\nlet caught = 0;\n'
        "for (let i = 0; i < 20000; i++) { try { via(0); } catch { caught++; } }\n"
        'via(1);\nconsole.log("caught", caught, "and still calling");\n',
    )
    r = project.exec("--trap-mode=exception", project.root / "app.js")
    assert (r.code, r.out) == (0, "caught 20000 and still calling\n"), r.err


def test_a_refused_grow_the_program_handled_is_a_note_not_the_failure(project):
    """A grow that returned -1 and was handled, then an unrelated JS error: the program's own
    error and exit status, with the limit mentioned (not exit 4 blaming it)."""
    project.wat(
        "g.wasm", '(module (memory 1) (func (export "grow") (result i32) (memory.grow (i32.const 40))))'
    )
    project.write(
        "app.js", 'import { grow } from "./g.wasm";\nconsole.log(grow());\nthrow new Error("unrelated");\n'
    )
    r = project.exec("--wasm-memory-limit=2MiB", project.root / "app.js")
    assert (r.code, r.out) == (1, "-1\n"), r.err
    assert "Error: unrelated" in r.err
    assert (
        "note: g.wasm's memory asked to grow to 2624KiB during the run, and the wasm memory limit (2MiB) refused it"
        in r.err
    )
    assert "raise it with --wasm-memory-limit=4MiB" in r.err


def test_shared_and_64_bit_memories_are_refused_by_name(project):
    project.wat("s.wasm", '(module (memory (export "memory") 1 1 shared))')
    project.write("app.js", 'import { memory } from "./s.wasm";\nconsole.log(1);\n')
    r = project.bundle(project.root / "app.js", "-o", project.root / "app.ebx")
    assert r.code == 1 and "s.wasm: shared memories (the threads proposal" in r.err, r.err
    assert "Traceback" not in r.err and not (project.root / "app.ebx").exists()


def test_sizes_are_printed_without_an_exponent():
    assert format_size(2098370 * 1024) == "2098370KiB"
    assert format_size(int(37.5 * 1024 * 1024)) == "37.5MiB"
