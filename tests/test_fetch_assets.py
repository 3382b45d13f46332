"""Files a module names with `new URL("./file", import.meta.url)` travel in the bundle, and
fetch() reads them (issue 11, point 2): the way wasm-pack's `--target web` output and
Emscripten's load their wasm. There is no network: any other URL is a TypeError."""

from __future__ import annotations

from bundler.ebx import read_bundle

# The shape of wasm-pack's --target web glue (written here, not copied): init() fetches the
# .wasm beside it and instantiates it with instantiateStreaming, or from the bytes.
GLUE = """
let wasm;
const imports = { "./x_bg.js": { __wbg_log: (x) => console.log("from wasm:", x) } };
async function load(module) {
  if (module instanceof Response) {
    try {
      return await WebAssembly.instantiateStreaming(module, imports);
    } catch (e) {
      if (module.headers.get("Content-Type") === "application/wasm") throw e;
      return WebAssembly.instantiate(await module.arrayBuffer(), imports);
    }
  }
  return WebAssembly.instantiate(module, imports);
}
export default async function init(path) {
  if (wasm !== undefined) return wasm;
  path ??= new URL("x_bg.wasm", import.meta.url);
  const { instance } = await load(await fetch(path));
  wasm = instance.exports;
  return wasm;
}
export const greet = (n) => wasm.greet(n);
"""

X_BG = """(module (import "./x_bg.js" "__wbg_log" (func $log (param i32)))
  (func (export "greet") (param i32) (call $log (i32.mul (local.get 0) (i32.const 2)))))"""


def test_a_loader_that_fetches_its_wasm_by_url_runs(project):
    project.wat("pkg/x_bg.wasm", X_BG)
    project.write("pkg/x.js", GLUE)
    project.write(
        "app.js",
        'import init, { greet } from "./pkg/x.js";\nawait init();\ngreet(21);\n'
        "const r = await fetch(new URL('./pkg/x_bg.wasm', import.meta.url));\n"
        "const bytes = new Uint8Array(await r.arrayBuffer());\n"
        "console.log(r.ok, r.headers.get('content-type'), bytes.length > 8, bytes[1], r.bodyUsed);\n"
        "console.log(import.meta.url);\n",
    )
    out = project.root / "app.ebx"
    assert project.bundle(project.root / "app.js", "-o", out).code == 0
    assert sorted(read_bundle(out).manifest.extra["assets"]) == ["pkg/x_bg.wasm"]
    r = project.exec(out)
    assert r.code == 0, r.err
    assert r.out.splitlines() == ["from wasm: 42", "true application/wasm true 97 true", "file:///app.js"]


def test_fetch_of_anything_else_rejects_and_says_why(project):
    project.write(
        "app.js",
        "for (const url of ['https://example.com/', 'file:///nowhere.wasm', 'x.wasm']) {\n"
        "  await fetch(url).catch((e) => console.log(e.constructor.name, e.message.replace('fetch failed: ', '').split(' ')[0]));\n"
        "}\n"
        "const t = new Response('héllo', { status: 201 });\n"
        "console.log(t.status, t.ok, await t.text(), t.bodyUsed, t.headers.get('Content-Type'));\n",
    )
    r = project.run("app.js")
    assert r.code == 0, r.err
    assert r.out.splitlines() == [
        "TypeError network",
        "TypeError file:///nowhere.wasm",
        "TypeError a",
        "201 true héllo true text/plain;charset=UTF-8",
    ]


def test_a_package_cannot_carry_a_file_from_outside_itself_into_the_bundle(project):
    """new URL("../../secret", import.meta.url) in an installed package: the file is not
    bundled (a bundle gets deployed; a package must not ship the project's secrets in it)."""
    project.write("package.json", '{"name": "app", "type": "module"}')
    project.write("secret.txt", "SECRET")
    project.write(
        "node_modules/pkg/package.json", '{"name": "pkg", "type": "module", "exports": "./index.js"}'
    )
    project.write("node_modules/pkg/data.txt", "pkg data")
    project.write(
        "node_modules/pkg/index.js",
        'export const mine = new URL("./data.txt", import.meta.url);\n'
        'export const stolen = new URL("../../secret.txt", import.meta.url);\n',
    )
    project.write(
        "app.js",
        'import { mine, stolen } from "pkg";\n'
        "for (const url of [mine, stolen]) {\n"
        "  try { console.log(await (await fetch(url)).text()); } catch (e) { console.log(e.constructor.name); }\n"
        "}\n",
    )
    out = project.root / "app.ebx"
    assert project.bundle(project.root / "app.js", "-o", out).code == 0
    assert sorted(read_bundle(out).manifest.extra["assets"]) == ["node_modules/pkg/data.txt"]
    assert b"SECRET" not in out.read_bytes()
    r = project.exec(out)
    assert (r.code, r.out) == (0, "pkg data\nTypeError\n"), r.err
