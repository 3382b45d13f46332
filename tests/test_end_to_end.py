"""The README's promise: samples/math bundles and runs inside the sandbox."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile

import pytest
from conftest import ROOT

from bundler.ebx import FORMAT_VERSION, read_bundle


def _build_math_sample():
    subprocess.run([sys.executable, str(ROOT / "samples/build.py"), "math"], check=True)
    return ROOT / "samples/math/app.js"


def test_math_sample_prints_real_results(project):
    app = _build_math_sample()
    out = project.root / "math.ebx"
    assert project.bundle(app, "-o", out).code == 0
    r = project.exec(out)
    assert r.code == 0, r.err
    lines = r.out.splitlines()
    assert lines[:5] == [
        "add(5, 3) = 8",
        "multiply(4, 7) = 28",
        "fibonacci(10) = 55",
        "mul_wide(2**31, 4n) = 8589934592n",
        "hypot(3, 4) = 5",
    ]
    assert lines[5].startswith("Benchmark: ") and lines[5].endswith("ms for 100k calls")


def test_same_inputs_give_a_byte_identical_bundle(project):
    app = _build_math_sample()
    a, b = project.root / "a.ebx", project.root / "b.ebx"
    assert project.bundle(app, "-o", a).code == 0
    assert project.bundle(app, "-o", b).code == 0
    assert a.read_bytes() == b.read_bytes()


def test_manifest_records_engine_modules_hashes_signatures_and_links(project, engine):
    app = _build_math_sample()
    out = project.root / "m.ebx"
    assert project.bundle(app, "-o", out).code == 0
    bundle = read_bundle(out)
    m = bundle.manifest
    assert m.format_version == FORMAT_VERSION
    assert m.engine == {"name": "quickjs-ng", "version": engine.quickjs_version, "sha256": engine.sha256}
    assert m.entry == "app.js"
    assert set(m.modules) == {"app.js", "math.wasm"}
    exports = {
        e["name"]: (e["params"], e["results"])
        for e in m.modules["math.wasm"]["exports"]
        if e["kind"] == "func"
    }
    assert exports["add"] == (["i32", "i32"], ["i32"])
    assert exports["mul_wide"] == (["i64", "i64"], ["i64"])
    assert exports["hypot"] == (["f64", "f64"], ["f64"])
    assert m.resolve == {"app.js": {"./math.wasm": "math.wasm"}}
    assert m.link["instances"] == ["math.wasm"]
    calls = [s["export"] for s in m.link["slots"] if s["kind"] == "call"]
    assert calls[:3] == ["add", "multiply", "fibonacci"]
    # every archive entry but the manifest is listed with its hash, and nothing else is
    with zipfile.ZipFile(out) as z:
        names = set(z.namelist()) - {"manifest.json"}
        assert names == set(m.files)
        raw = json.loads(z.read("manifest.json"))
    assert raw["format"] == "edgebox-bundle"
    assert m.to_json() == raw  # the manifest round-trips unchanged


def test_exec_runs_a_js_entry_directly(project):
    project.wat(
        "m.wasm", '(module (func (export "twice") (param i32) (result i32) local.get 0 i32.const 2 i32.mul))'
    )
    project.write("app.js", 'import { twice } from "./m.wasm";\nconsole.log(twice(21));\n')
    r = project.exec(project.root / "app.js")
    assert (r.code, r.out) == (0, "42\n")


def test_emit_types_writes_a_dts_per_wasm_module(project):
    project.wat(
        "m.wasm",
        """(module
             (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)
             (func (export "big") (param i64) (result i64) local.get 0)
             (func (export "two") (result f32 f64) f32.const 1 f64.const 2)
             (func (export "not-an-identifier")))""",
    )
    project.write("app.js", 'import * as m from "./m.wasm";\n')
    r = project.bundle(project.root / "app.js", "--emit-types", project.root / "types")
    assert r.code == 0, r.err
    dts = (project.root / "types/m.wasm.d.ts").read_text()
    assert "(a0: number, a1: number): number;" in dts
    assert "(a0: bigint): bigint;" in dts
    assert "(): [number, number];" in dts
    assert 'as "not-an-identifier"' in dts
    runtime = (project.root / "types/edgebox-runtime.d.ts").read_text()  # EdgeBox's own globals
    assert "declare const scriptArgs: readonly string[];" in runtime and "declare const process:" in runtime


def test_readme_demo_script_runs_the_sample():
    proc = subprocess.run(
        ["bash", str(ROOT / "scripts/demo.sh")], capture_output=True, text=True, timeout=600
    )
    assert proc.returncode == 0, proc.stderr
    assert "add(5, 3) = 8" in proc.stdout
    assert "fibonacci(10) = 55" in proc.stdout


def test_public_python_api_mirrors_the_cli(project):
    import bundler

    project.wat("m.wasm", '(module (func (export "f") (param i32) (result i32) local.get 0))')
    project.write("app.js", 'import { f } from "./m.wasm";\nconsole.log(f(7));\n')
    assert bundler.check(project.root / "app.js").diagnostics == ()
    data = bundler.bundle(project.root / "app.js")
    project.capfd.readouterr()
    assert bundler.run(data).exit_code == 0
    assert project.capfd.readouterr().out == "7\n"
    project.write("bad.js", 'import { f } from "./m.wasm";\nf();\n')
    assert bundler.check(project.root / "bad.js").errors == 1


def test_the_python_api_takes_the_cli_options_and_captures_output(project):
    """Item 31: every edgebox-exec/edgebox-bundle option, and the program's output returned."""
    import bundler
    from bundler.limits import EXIT_HEAP_LIMIT, EXIT_TIME_LIMIT

    project.wat(
        "m.wasm",
        '(module (import "env" "log" (func $log (param i32))) (func (export "f") (param i32) (call $log (local.get 0))))',
    )
    project.write("env.js", "export function log(n) { console.log('logged', n); }\n")
    project.write(
        "app.js", 'import { f } from "./m.wasm";\nf(scriptArgs.length);\nconsole.error("to stderr");\n'
    )
    (project.root / "data").mkdir()
    data = bundler.bundle(
        project.root / "app.js", import_map=["env=./env.js"], allow_read=["data"], heap_limit="64MiB"
    )
    project.capfd.readouterr()
    done = bundler.run(data, ["a", "b"], allow_read=["data"], capture_output=True)
    assert (done.exit_code, done.stdout, done.stderr, done.error) == (0, "logged 2\n", "to stderr\n", None)
    assert project.capfd.readouterr().out == ""  # captured, not printed
    # limits and the trap mode, as flags would give them; a limit is in the result, not raised
    project.write("loop.js", "const a = []; for (;;) a.push(new Array(1000).fill(1));\n")
    done = bundler.run(project.root / "loop.js", heap_limit="8MiB", capture_output=True)
    assert done.exit_code == EXIT_HEAP_LIMIT and "JS heap limit" in done.error.message
    project.write("spin.js", "for (;;) {}\n")
    done = bundler.run(project.root / "spin.js", time_limit=0.3, trap_mode="exception", capture_output=True)
    assert done.exit_code == EXIT_TIME_LIMIT
    with pytest.raises(bundler.UsageError, match="allow_read"):
        bundler.run(data, allow_read=[""])
    with pytest.raises(bundler.UsageError, match="heap-limit"):
        bundler.run(data, heap_limit="5GiB")
    # sizes as numbers of bytes, one import map entry as a string, any bytes-like bundle
    again = bundler.bundle(project.root / "app.js", import_map="env=./env.js", heap_limit=64 * 1024 * 1024)
    assert bundler.run(bytearray(again), ["x"], capture_output=True).stdout == "logged 1\n"
    for bad in (
        lambda: bundler.bundle(5),
        lambda: bundler.run(data, "abc"),
        lambda: bundler.run(data, heap_limit=[1]),
    ):
        with pytest.raises(bundler.UsageError):
            bad()
