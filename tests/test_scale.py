"""Big inputs end in a result or a clear limit, in time that grows with their size.

Found by attacking EdgeBox (issue 9, items 11 and 23): a 20,000-deep import chain crashed the
bundler and the runtime (SIGSEGV), a 3,000-deep `export *` chain and a 1,500-long chain of wasm
imports hit Python's recursion limit (exit 70), 100,000 exports took 160 s and then failed with
QuickJS's "too many closure variables" blamed on the user's file, and a 50 MB JS file took
over 5 minutes and 6.3 GB.
"""

from __future__ import annotations

import time

from bundler.graph import MAX_IMPORT_DEPTH
from bundler.stubs import MAX_SLOTS


def _chain(project, n: int, line: str) -> None:
    """m0.js … m{n-1}.js, each written by `line(i)`; app.js imports m0.js."""
    for i in range(n):
        project.write(f"m{i}.js", line(i))


def test_an_import_chain_deeper_than_the_engine_links_is_refused_clearly(project):
    n = MAX_IMPORT_DEPTH + 1
    _chain(project, n, lambda i: (f'import "./m{i + 1}.js";\n' if i + 1 < n else "") + "globalThis.d = 1;\n")
    project.write("app.js", 'import "./m0.js";\n')
    r = project.bundle(project.root / "app.js", "-o", project.root / "app.ebx")
    assert r.code == 1, r.err
    assert f"the chain of imports from app.js is more than {MAX_IMPORT_DEPTH:,} modules deep" in r.err
    assert "app.js -> m0.js -> m1.js -> ..." in r.err and not (project.root / "app.ebx").exists()


def test_a_3000_deep_export_star_chain_bundles_and_runs(project):
    n = 3000
    _chain(
        project,
        n,
        lambda i: f'export * from "./m{i + 1}.js";\n' if i + 1 < n else "export const deep = 'bottom';\n",
    )
    project.write("app.js", 'import { deep } from "./m0.js";\nconsole.log(deep);\n')
    r = project.run("app.js")
    assert (r.code, r.out) == (0, "bottom\n"), r.err


def test_a_long_chain_of_wasm_imports_bundles_and_runs(project):
    n = 1100  # past Python's default recursion limit of 1000, where it broke
    for i in range(n):
        body = '(func (export "f") (result i32) i32.const 1)'
        if i + 1 < n:
            body = (
                f'(import "./w{i + 1}.wasm" "f" (func $g (result i32)))'
                '(func (export "f") (result i32) (i32.add (call $g) (i32.const 1)))'
            )
        project.wat(f"w{i}.wasm", f"(module {body})")
    project.write("app.js", 'import { f } from "./w0.wasm";\nconsole.log(f());\n')
    r = project.run("app.js")
    assert (r.code, r.out) == (0, f"{n}\n"), r.err


def _exports(project, n: int) -> None:
    funcs = "".join(f'(func (export "f{i}") (result i32) i32.const {i})' for i in range(n))
    project.wat("m.wasm", f"(module {funcs})")
    project.write(
        "app.js",
        f'import * as m from "./m.wasm";\nconsole.log(m.f0(), m.f{n - 1}(), Object.keys(m).length);\n',
    )


def test_ten_thousand_exports_bundle_and_run(project):
    _exports(project, 10_000)
    t0 = time.monotonic()
    r = project.run("app.js")
    assert (r.code, r.out) == (0, "0 9999 10000\n"), r.err
    print(f"10,000 exports: bundled and ran in {time.monotonic() - t0:.1f} s")


def test_more_exports_than_js_can_reach_are_refused_before_any_work(project):
    _exports(project, 100_000)
    t0 = time.monotonic()
    r = project.bundle(project.root / "app.js", "-o", project.root / "app.ebx")
    assert r.code == 1
    assert (
        f"m.wasm has 100,000 exports (and 0 imports); JS can reach at most {MAX_SLOTS:,} wasm exports"
        in r.err
    )
    assert "closure variables" not in r.err
    assert time.monotonic() - t0 < 60  # it was 160 s, then a confusing failure


def test_a_js_file_too_big_to_parse_is_refused_before_parsing(project):
    project.write("huge.js", "// " + "x" * (9 * 1024 * 1024) + "\nexport const a = 1;\n")
    project.write("app.js", 'import { a } from "./huge.js";\nconsole.log(a);\n')
    t0 = time.monotonic()
    r = project.bundle(project.root / "app.js", "-o", project.root / "app.ebx")
    assert r.code == 1
    assert "huge.js is 9.0 MiB; EdgeBox bundles .js files up to 8 MiB" in r.err
    assert time.monotonic() - t0 < 10
