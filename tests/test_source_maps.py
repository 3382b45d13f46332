"""Source maps (bundler/sourcemap.py): stack traces, uncaught-error reports and trap reports name
the original file, line and column, as `node --enable-source-maps` does on the same files.

The maps are real toolchains' output, made in the test from TypeScript sources: esbuild
(`--bundle --format=esm --sourcemap`, and `--sourcemap=inline`) and `tsc --sourceMap`, pinned
and installed with npm once per machine. Plain JS (no map) is compared with Node too: the
columns of every frame must be Node's (errors at various columns, nested calls, arrow functions,
methods, top-level code, after non-ASCII text). Maps that cannot be used are warnings (EB015)
and the program runs with its frames unmapped.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import NODE, needs_node

from bundler.cache import cache_dir, locked
from bundler.sourcemap import decode_vlq, encode_vlq

TOOLS = {"esbuild": "0.28.2", "typescript": "5.9.3"}
NPM = shutil.which("npm")


@pytest.fixture(scope="module")
def tools() -> Path:
    """node_modules/.bin holding esbuild and tsc, installed into the EdgeBox cache once."""
    if NODE is None or NPM is None:
        pytest.skip("node and npm are needed to build the maps with esbuild and tsc")
    specs = sorted(f"{n}@{v}" for n, v in TOOLS.items())
    prefix = cache_dir() / "source-map-tools" / hashlib.sha256("\n".join(specs).encode()).hexdigest()[:16]
    done = prefix / ".installed"
    prefix.mkdir(parents=True, exist_ok=True)
    with locked(prefix / ".lock"):
        if not done.is_file():
            (prefix / "package.json").write_text(
                json.dumps({"name": "edgebox-source-map-tools", "private": True})
            )
            proc = subprocess.run(
                [NPM, "install", "--no-audit", "--no-fund", "--save-exact", *specs],
                cwd=prefix, capture_output=True, text=True, timeout=900,
                env={**os.environ, "npm_config_update_notifier": "false"},
            )  # fmt: skip
            assert proc.returncode == 0, proc.stderr[-2000:]
            done.write_text("\n".join(specs) + "\n")
    return prefix / "node_modules" / ".bin"


# A frame's place: file:line:col inside "(...)" or after "at " (Node's frames without a name).
PLACE = re.compile(r"(?:\(|at )((?:file://)?[^()\s]+?):(\d+):(\d+)\)?$")


def places(text: str, base: Path) -> list[tuple[str, int, int]]:
    """Every frame's (absolute path, line, column) of the files under the test's directory;
    Node's own frames (node:internal) and native ones are left out. EdgeBox names files
    relative to the bundle's root (`base`), Node by absolute path or file: URL."""
    out = []
    for line in text.splitlines():
        m = PLACE.search(line.strip())
        if not m or not line.strip().startswith("at "):
            continue
        name = m.group(1).removeprefix("file://")
        if name.startswith("node:"):
            continue
        path = Path(os.path.normpath(base / name))
        out.append((str(path), int(m.group(2)), int(m.group(3))))
    return out


def node(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    assert NODE is not None
    return subprocess.run([NODE, *map(str, args)], cwd=cwd, capture_output=True, text=True, timeout=60)


def tool(tools: Path, name: str, *args: str | Path, cwd: Path) -> None:
    proc = subprocess.run(
        [str(tools / name), *map(str, args)], cwd=cwd, capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


# ---- plain JS: columns as Node's ------------------------------------------------------------

PLAIN = """
function inner() { throw new Error("boom"); }
const arrow = (a, b) => { inner(a, b); };
class K { method(x) { arrow(x, 2); } static s() { return new Error("static"); } }
const show = (f) => { try { f(); } catch (e) { console.log(e.stack); } };
show(() => new K().method(1));
show(() => null.x);
const s = "héllo wörld 😀"; show(() => s.foo.bar);
console.log(K.s().stack);
const e2 = new Error("top"); console.log(e2.stack);
[1].map((x) => show(() => undefined(x)));
function deep(n) { if (n === 0) return new Error("deep"); return deep(n - 1); }
console.log(deep(2).stack);
const obj = { run(cb, v) { return cb(v, v + 1); } };
show(() => obj.run((a, b) => a.missing.field, 1));
/* ünïcode in a comment */ show(() => { const 变量 = 1; return 变量.x.y; });
show(() => `${"🎉".repeat(2)}${[].nope()}`);
"""


@needs_node
def test_plain_js_frames_have_nodes_columns(project):
    project.write("app.mjs", PLAIN)
    ours = project.exec(project.root / "app.mjs")
    theirs = node("app.mjs", cwd=project.root)
    assert ours.code == 0 and theirs.returncode == 0, ours.err + theirs.stderr
    mine, nodes = places(ours.out, project.root), places(theirs.stdout, project.root)
    assert len(mine) >= 20
    assert mine == nodes


@needs_node
def test_an_error_on_the_first_line_has_nodes_column(project):
    # QuickJS counted the first line's columns from 0 for every token but names
    project.write(
        "app.mjs",
        'try { (1, null).x } catch (e) { console.log(e.stack) } console.log(new Error("a").stack)\n',
    )
    ours = project.exec(project.root / "app.mjs")
    theirs = node("app.mjs", cwd=project.root)
    assert places(ours.out, project.root) == places(theirs.stdout, project.root)
    assert [p[1:] for p in places(ours.out, project.root)] == [(1, 17), (1, 68)]


def test_a_long_minified_line_bundles_in_linear_time(project):
    # columns are counted incrementally (glue.c edgebox_column): a 240 KB line of arrow
    # functions, which the parser reads ahead of and back over, is not quadratic
    body = "".join(f"const f{i}=(a,b)=>(a+b+'é');" for i in range(8_000))
    project.write("app.mjs", body + "try { f7.x.y } catch (e) { console.log(e.stack) }\n")
    r = project.exec(project.root / "app.mjs")
    assert r.code == 0, r.err
    col = len(body.encode("utf-16-le")) // 2 + len("try { f7.x.") + 1
    assert f"(app.mjs:1:{col})" in r.out


# ---- real toolchains' maps, compared with node --enable-source-maps -------------------------

UTIL_TS = """
export interface Shape { kind: string; size: number }

export function check(shape: Shape): number {
  if (shape.size < 0) {
    throw new RangeError(`bad size for ${shape.kind}`);
  }
  return shape.size * 2;
}

export class Box {
  constructor(private readonly label: string) {}
  open(times: number): never {
    const reason: string = "locked: " + this.label + " ×" + times;
    throw new Error(reason);
  }
}
"""

APP_TS = """
import { check, Box } from "./util.js";

type Point = { x: number; y: number };
const p: Point = { x: 1, y: 2 };

function run(): void {
  try {
    check({ kind: "square", size: -1 });
  } catch (e) {
    console.log((e as Error).stack);
  }
  try {
    new Box("lid").open(p.y);
  } catch (e) {
    console.log((e as Error).stack);
  }
  const fail = (n: number): never => { throw new TypeError("arrow " + n + p.x); };
  try { fail(3); } catch (e) { console.log((e as Error).stack); }
  try { (p as any).nothing.here; } catch (e) { console.log((e as Error).stack); }
}

class Custom extends Error {
  constructor(message: string) {
    super(message);
    (Error as any).captureStackTrace(this, Custom);
  }
}

function make(): Custom { return new Custom("captured"); }

run();
console.log(make().stack);
new Box("top").open(2);
"""


def ts_project(project) -> Path:
    project.write("package.json", '{"name": "maps", "private": true, "type": "module"}\n')
    project.write("src/util.ts", UTIL_TS)
    project.write("src/app.ts", APP_TS)
    return project.root


def compare_with_node(project, entry: Path) -> tuple[str, str]:
    """Run `entry` under EdgeBox (bundled to a file) and under node --enable-source-maps: the
    same output, the same frames (file, line, column), the same exit code. Returns EdgeBox's
    stdout and stderr."""
    out = project.root / "app.ebx"
    b = project.bundle(entry, "-o", out)
    assert b.code == 0, b.err
    assert "EB015" not in b.err, b.err
    ours = project.exec(out)
    theirs = node("--enable-source-maps", entry, cwd=project.root)
    assert ours.code == theirs.returncode == 1, ours.err + theirs.stderr
    base = entry.parent  # the bundle's root: the one module's folder
    assert places(ours.out, base) == places(theirs.stdout, base)
    assert places(ours.err, base) == places(theirs.stderr, base)
    assert all("/src/" in p[0] for p in places(ours.out + ours.err, base))
    return ours.out, ours.err


@needs_node
def test_esbuild_bundle_with_a_map_file_names_the_typescript_places(project, tools):
    root = ts_project(project)
    tool(
        tools,
        "esbuild",
        "src/app.ts",
        "--bundle",
        "--format=esm",
        "--sourcemap",
        "--outfile=dist/app.js",
        cwd=root,
    )
    assert (root / "dist/app.js.map").is_file()
    out, err = compare_with_node(project, root / "dist/app.js")
    assert "at check (../src/util.ts:5:11)" in out
    assert "at run (../src/app.ts:8:5)" in out
    assert "at fail (../src/app.ts:17:46)" in out
    assert "at make (../src/app.ts:29:34)" in out  # Error.captureStackTrace
    assert err.startswith("Uncaught Error: locked: top ×2\n    at open (../src/util.ts:14:11)\n")
    with zipfile.ZipFile(root / "app.ebx") as z:
        manifest = json.loads(z.read("manifest.json"))
        assert manifest["modules"]["app.js"]["map"] == "maps/app.js.json"
        table = json.loads(z.read("maps/app.js.json"))
    assert table["sources"] == ["../src/util.ts", "../src/app.ts"]
    assert "sourcesContent" not in table  # the run needs places, not the sources' text


@needs_node
def test_esbuild_inline_map(project, tools):
    root = ts_project(project)
    tool(
        tools,
        "esbuild",
        "src/app.ts",
        "--bundle",
        "--format=esm",
        "--sourcemap=inline",
        "--outfile=dist/app.js",
        cwd=root,
    )
    assert "sourceMappingURL=data:application/json;base64," in (root / "dist/app.js").read_text()
    out, _ = compare_with_node(project, root / "dist/app.js")
    assert "at open (../src/util.ts:14:11)" in out


@needs_node
def test_tsc_maps_one_per_module(project, tools):
    root = ts_project(project)
    project.write(
        "tsconfig.json",
        json.dumps({"compilerOptions": {"target": "es2022", "module": "es2022", "moduleResolution": "bundler",
                                        "outDir": "dist", "rootDir": "src", "sourceMap": True, "strict": True}}),
    )  # fmt: skip
    tool(tools, "tsc", "-p", ".", cwd=root)
    assert (root / "dist/util.js.map").is_file() and (root / "dist/app.js.map").is_file()
    out, err = compare_with_node(project, root / "dist/app.js")
    assert "at check (../src/util.ts:5:11)" in out
    assert "at open (../src/util.ts:14:11)" in err


@needs_node
def test_a_trap_report_names_the_original_places(project, tools):
    root = ts_project(project)
    project.wat("dist/trap.wasm", '(module (func (export "boom") unreachable))')
    project.write(
        "src/trap.ts",
        """
        import { boom } from "./trap.wasm";

        function callIt(): void {
          boom();
        }
        callIt();
        """,
    )
    tool(tools, "esbuild", "src/trap.ts", "--bundle", "--format=esm", "--sourcemap", "--external:./trap.wasm",
         "--outfile=dist/trap.js", cwd=root)  # fmt: skip
    r = project.run("dist/trap.js")
    assert r.code != 0
    assert "wasm trap: wasm `unreachable` instruction executed" in r.err
    assert "at callIt (../src/trap.ts:4:3)" in r.err
    assert "at <anonymous> (../src/trap.ts:6:1)" in r.err


# ---- maps written by hand, from the spec --------------------------------------------------


def test_vlq_values_from_the_spec():
    # ECMA-426: five bits a digit, least significant first, continuation bit 32, sign in bit 0
    assert [decode_vlq(t, 0)[0] for t in ("A", "C", "D", "gB", "hB", "2H")] == [0, 1, -1, 16, -16, 123]
    for v in (0, 1, -1, 15, 16, -16, 123, 2**31 - 1, -(2**31)):
        assert decode_vlq(encode_vlq(v), 0) == (v, len(encode_vlq(v)))


def index_map(project) -> None:
    """app.js whose generated line 1 comes from a.ts and line 2 from b.ts: an index map of two
    sections (ECMA-426), each mapping column 0 to 1:1 and the `new` at column 22 (0-based) to
    3:5 (a.ts) and 3:7 (b.ts): "sBAEI" is +22 columns, source +0, line +2, column +4."""
    project.write("package.json", '{"name": "x", "private": true}\n')
    project.write(
        "app.js",
        """
        function a() { return new Error("a"); }
        function b() { return new Error("b"); }
        console.log(a().stack); console.log(b().stack);
        //# sourceMappingURL=app.js.map
        """,
    )
    a = {"version": 3, "sources": ["a.ts"], "names": [], "mappings": "AAAA,sBAEI"}
    b = {"version": 3, "sources": ["b.ts"], "names": [], "mappings": "AAAA,sBAEM"}
    project.write(
        "app.js.map",
        json.dumps({"version": 3, "sections": [
            {"offset": {"line": 0, "column": 0}, "map": a},
            {"offset": {"line": 1, "column": 0}, "map": b},
        ]}),
    )  # fmt: skip


def test_an_index_map_with_sections(project):
    index_map(project)
    r = project.run("app.js")
    assert r.code == 0, r.err
    assert "    at a (a.ts:3:5)\n    at <anonymous> (app.js:3:13)" in r.out
    assert "    at b (b.ts:3:7)\n    at <anonymous> (app.js:3:37)" in r.out


def test_sources_outside_the_project_are_shown_as_given(project):
    project.write("proj/package.json", '{"name": "x", "private": true}\n')
    project.write("proj/app.js", 'console.log(new Error("x").stack);\n//# sourceMappingURL=app.js.map\n')
    project.write(
        "proj/app.js.map",
        json.dumps({"version": 3, "sourceRoot": "../../vendor/", "sources": ["lib/x.ts"], "names": [],
                    "mappings": "YAEE"}),
    )  # fmt: skip
    r = project.run("proj/app.js")
    assert r.code == 0, r.err
    assert r.out == "    at <anonymous> (../../vendor/lib/x.ts:3:3)\n\n"


def test_a_program_can_read_a_mapped_stack_after_patching_globals(project):
    index_map(project)
    app = project.root / "app.js"
    app.write_text(
        "String.prototype.slice = () => 'patched'; Map.prototype.get = () => undefined;\n"
        "Set.prototype.has = () => false; JSON.parse = () => ({});\n" + app.read_text()
    )
    (project.root / "app.js.map").write_text(
        (project.root / "app.js.map")
        .read_text()
        .replace('"line": 0', '"line": 2')
        .replace('"line": 1', '"line": 3')
    )
    r = project.run("app.js")
    assert r.code == 0, r.err
    assert "    at a (a.ts:3:5)" in r.out and "    at b (b.ts:3:7)" in r.out


def test_prepare_stack_trace_of_the_program_is_left_alone(project):
    index_map(project)
    app = project.root / "app.js"
    app.write_text(
        "Error.prepareStackTrace = (e, sites) => sites.map((s) => `${s.getFileName()}:${s.getLineNumber()}`).join();\n"
        + app.read_text()
    )
    (project.root / "app.js.map").write_text(
        (project.root / "app.js.map")
        .read_text()
        .replace('"line": 1', '"line": 2')
        .replace('"line": 0', '"line": 1')
    )
    r = project.run("app.js")
    assert r.code == 0, r.err
    assert r.out.splitlines() == ["app.js:2,app.js:4", "app.js:3,app.js:4"]


# ---- maps that cannot be used: warnings, and the program runs unmapped -------------------------

BROKEN = {
    "bad-json": ('{"version": 3, "sources": ["a.ts"],\n "mappings": "AAAA" oops}', "app.js.map is not valid JSON: Expecting ',' delimiter", "app.js.map:2:21"),
    "missing": (None, "cannot read the source map app.js.map: No such file or directory", "app.js:2:1"),
    "source-index": ('{"version": 3, "sources": ["a.ts"], "names": [], "mappings": "AAAA,KCAA"}',
                     "generated line 1, segment 2: source index 1 is out of range (1 sources)", "app.js:2:1"),
    "bad-digit": ('{"version": 3, "sources": ["a.ts"], "names": [], "mappings": "AA!A"}',
                  "'!' is not a Base64 digit", "app.js:2:1"),
    "version": ('{"version": 2, "sources": [], "mappings": ""}', "has version 2; source maps are version 3", "app.js:2:1"),
    "not-object": ("[1, 2]", "is not a source map (not a JSON object)", "app.js:2:1"),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_a_map_that_cannot_be_used_is_a_warning_and_the_program_runs(project, case):
    text, message, where = BROKEN[case]
    project.write("package.json", '{"name": "x", "private": true}\n')
    project.write("app.js", 'console.log(new Error("x").stack);\n//# sourceMappingURL=app.js.map\n')
    if text is not None:
        project.write("app.js.map", text)
    b = project.bundle(project.root / "app.js", "-o", project.root / "app.ebx")
    assert b.code == 0, b.err
    assert "warning[EB015]" in b.err and message in b.err, b.err
    assert where in b.err, b.err
    r = project.exec(project.root / "app.ebx")
    assert r.code == 0, r.err
    # the segments that are fine are kept: the first one of "source-index" maps column 0
    place = "a.ts:1:1" if case == "source-index" else "app.js:1:13"
    assert r.out == f"    at <anonymous> ({place})\n\n"
    c = project.bundle("--check", project.root / "app.js")
    assert "EB015" in c.out + c.err


def _inline(obj: object) -> str:
    return "data:application/json;base64," + base64.b64encode(json.dumps(obj).encode()).decode()


ONE = {"version": 3, "sources": ["a.ts"], "names": [], "mappings": "AAAA"}
HOSTILE = {
    # the bundler once read these without end: all of /dev/zero, or waited on the FIFO for a writer
    "dev-zero": ("/dev/zero", "the source map ", "is not a regular file"),
    "stdin": ("file:///dev/stdin", "the source map ", "is not a regular file"),
    "fifo": ("pipe.map", "the source map pipe.map is not a regular file", ""),
    # was an internal error (a Python ValueError)
    "nul": ("app%00.map", "the map's URL holds a NUL character", ""),
    "huge-integer": ("data:application/json," + '{"version":3,"x":' + "9" * 5000 + "}", "is not a usable source map", ""),
    "negative-offset": (_inline({"version": 3, "sections": [{"offset": {"line": -1, "column": 0}, "map": ONE}]}),
                        "section 0's offset is negative or over 2,147,483,647", ""),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_a_hostile_map_url_or_map_is_a_warning_read_in_bounded_time_and_memory(project, case):
    url, message, more = HOSTILE[case]
    if case == "fifo":
        os.mkfifo(project.root / "pipe.map")
    project.write("app.js", f'console.log(new Error("x").stack);\n//# sourceMappingURL={url}\n')
    b = project.bundle(project.root / "app.js", "-o", project.root / "app.ebx")
    assert b.code == 0, b.err
    assert "warning[EB015]" in b.err and message in b.err and more in b.err, b.err
    r = project.exec(project.root / "app.ebx")
    assert r.code == 0 and r.out == "    at <anonymous> (app.js:1:13)\n\n", r.err


def test_map_lines_past_the_module_are_not_kept(project):
    # an index map's section a billion lines down once made a billion empty lines (a hang); a
    # map of only ";" made one a character: lines past the module's end are never looked up
    far = {"version": 3, "sections": [
        {"offset": {"line": 0, "column": 0}, "map": {**ONE, "mappings": "YAEE"}},
        {"offset": {"line": 10**9, "column": 0}, "map": ONE},
    ]}  # fmt: skip
    semis = {**ONE, "mappings": "YAEE" + ";" * 3_000_000 + "AAAA"}
    for obj in (far, semis):
        project.write("app.js", f'console.log(new Error("x").stack);\n//# sourceMappingURL={_inline(obj)}\n')
        b = project.bundle(project.root / "app.js", "-o", project.root / "app.ebx")
        assert b.code == 0 and "EB015" not in b.err, b.err
        with zipfile.ZipFile(project.root / "app.ebx") as z:
            tables = [n for n in z.namelist() if n.startswith("maps/")]
            assert len(tables) == 1 and len(z.read(tables[0])) < 200
        r = project.exec(project.root / "app.ebx")
        assert r.code == 0 and r.out == "    at <anonymous> (a.ts:3:3)\n\n", r.err


def test_a_bundle_without_maps_carries_nothing_for_them(project):
    project.write("app.js", 'console.log(new Error("x").stack);\n')
    project.bundle(project.root / "app.js", "-o", project.root / "app.ebx")
    with zipfile.ZipFile(project.root / "app.ebx") as z:
        assert not [n for n in z.namelist() if n.startswith("maps/")]
        assert "map" not in json.loads(z.read("manifest.json"))["modules"]["app.js"]


def test_a_map_file_is_an_input_the_output_cannot_overwrite(project):
    project.write("app.js", "console.log(1);\n//# sourceMappingURL=app.js.map\n")
    project.write("app.js.map", '{"version": 3, "sources": ["a.ts"], "names": [], "mappings": "AAAA"}')
    b = project.bundle(project.root / "app.js", "-o", project.root / "app.js.map")
    assert b.code != 0
    assert json.loads((project.root / "app.js.map").read_text())["version"] == 3


if __name__ == "__main__":
    sys.exit(pytest.main([__file__, "-q"]))
