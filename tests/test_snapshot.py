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


def test_wasm_modules_are_refused(project):
    project.wat("m.wasm", '(module (func (export "one") (result i32) i32.const 1))')
    project.write("app.js", 'import { one } from "./m.wasm"; console.log(one());')
    r = project.bundle(project.root / "app.js", "-o", project.root / "x.ebx", "--snapshot")
    assert r.code != 0
    assert "--snapshot: wasm module m.wasm has state of its own" in r.err


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
