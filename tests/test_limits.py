"""Limits: each one hit ends the run with its name, value, how to raise it and its own exit code."""

from __future__ import annotations

import time

from bundler.limits import (
    EXIT_HEAP_LIMIT,
    EXIT_STACK_LIMIT,
    EXIT_TIME_LIMIT,
    EXIT_WASM_MEMORY_LIMIT,
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
    assert "limits:  wasm memory 32MiB per module, JS heap 256MiB, time 0.2s" in info.out
    assert project.exec(out).code == EXIT_TIME_LIMIT
    r = project.exec("--time-limit=5", out)
    assert (r.code, r.out) == (0, "done\n")


def test_heap_limit(project):
    project.write("app.js", "const keep = [];\nwhile (true) keep.push(new Array(100000).fill(1.5));\n")
    r = project.exec("--heap-limit=16MiB", project.root / "app.js")
    assert r.code == EXIT_HEAP_LIMIT
    assert "error: JS heap limit reached (16MiB)" in r.err
    assert "--heap-limit=32MiB" in r.err


def test_wasm_memory_limit_when_memory_fills(project):
    project.wat("grow.wasm", GROW_WAT)
    project.write("app.js", 'import { grow_until_full, memory } from "./grow.wasm";\ngrow_until_full();\n')
    r = project.exec("--wasm-memory-limit=2MiB", project.root / "app.js")
    assert r.code == EXIT_WASM_MEMORY_LIMIT
    assert "error: wasm memory limit reached (2MiB): grow.wasm's memory is full" in r.err
    assert "--wasm-memory-limit=4MiB" in r.err


def test_a_memory_larger_than_the_limit_is_refused_before_anything_is_written(project):
    project.wat("big.wasm", '(module (memory (export "memory") 600))')  # 37.5 MiB
    project.write("app.js", 'import * as b from "./big.wasm";\nconsole.log(b.memory.byteLength);\n')
    out = project.root / "app.ebx"
    r = project.bundle(project.root / "app.js", "-o", out)
    assert r.code == EXIT_WASM_MEMORY_LIMIT
    assert "wasm memory limit reached (32MiB): big.wasm declares a memory of at least 37.5MiB" in r.err
    assert "raise it with --wasm-memory-limit=38MiB" in r.err
    assert not out.exists()
    assert project.bundle(project.root / "app.js", "-o", out, "--wasm-memory-limit=64MiB").code == 0
    assert project.exec(out).out == "39321600\n"


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
    assert "stack limit reached (16MiB of wasm stack)" in r.err


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
