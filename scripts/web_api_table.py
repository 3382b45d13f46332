"""The API × runtime table of docs/compatibility.md, measured: one probe program, run under
EdgeBox, Node and Deno, checks each API by what it does (not by `typeof`), and this prints a
Markdown table of which runtime passed which probe.

    .venv/bin/python scripts/web_api_table.py

Deno is $EDGEBOX_DENO, else on PATH, else the one scripts/setup.sh installs into .tools/, else
installed with npm into the cache directory the first time.
A probe that throws or answers wrong is "no"; a runtime that is not there is "—".
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DENO_VERSION = "2.9.6"

# name → an async function body that returns true when the API behaves as its spec says
PROBES: dict[str, str] = {
    "URL": 'return new URL("../b?x=1#h", "https://a.test/p/q").href === "https://a.test/b?x=1#h";',
    "URLSearchParams": 'const p = new URLSearchParams("b=2&a=1&a=0"); p.sort(); return p.toString() === "a=1&a=0&b=2";',
    "structuredClone": "const m = new Map(); m.set('self', m); const c = structuredClone(m); return c !== m && c.get('self') === c;",
    "crypto.getRandomValues": "const a = crypto.getRandomValues(new Uint8Array(16)); return a.length === 16;",
    "crypto.randomUUID": "return /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(crypto.randomUUID());",
    "crypto.subtle.digest": (
        "const d = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode('abc')));"
        "return Array.from(d, (b) => b.toString(16).padStart(2, '0')).join('').startsWith('ba7816bf');"
    ),
    "AbortController": "const c = new AbortController(); let hit = false; c.signal.onabort = () => hit = true; c.abort(); return hit && c.signal.aborted;",
    "AbortSignal.timeout/any": (
        "const s = AbortSignal.any([AbortSignal.timeout(5)]);"
        "await new Promise((r) => s.addEventListener('abort', r));"
        "return s.reason.name === 'TimeoutError';"
    ),
    "Event, EventTarget": "const t = new EventTarget(); let got; t.addEventListener('x', (e) => got = e.type); t.dispatchEvent(new Event('x')); return got === 'x';",
    "DOMException": "const e = new DOMException('m', 'AbortError'); return e.code === 20 && e instanceof Error;",
    "Headers": "const h = new Headers([['a', '1'], ['A', '2'], ['set-cookie', 'x'], ['set-cookie', 'y']]); return h.get('a') === '1, 2' && h.getSetCookie().length === 2;",
    "Request": "const r = new Request('https://a.test/x', { method: 'post', body: 'hi' }); return r.method === 'POST' && (await r.clone().text()) === 'hi';",
    "Response": "const r = Response.json({ a: 1 }); return r.headers.get('content-type') === 'application/json' && (await r.json()).a === 1;",
    "Response body stream": "const r = new Response('abc'); const chunks = []; for await (const c of r.body) chunks.push(...c); return chunks.length === 3;",
    "Blob": "const b = new Blob(['ab', new Uint8Array([99])], { type: 'Text/Plain' }); return b.type === 'text/plain' && (await b.slice(1).text()) === 'bc';",
    "File": "const f = new File(['x'], 'a.txt', { lastModified: 5 }); return f.name === 'a.txt' && f.lastModified === 5 && f instanceof Blob;",
    "FormData": "const f = new FormData(); f.append('a', '1'); f.append('a', new Blob(['x'])); return f.getAll('a').length === 2 && f.get('a') === '1';",
    "ReadableStream": "const s = ReadableStream.from([1, 2, 3]); const out = []; for await (const x of s) out.push(x); return out.join() === '1,2,3';",
    "WritableStream": "const got = []; const w = new WritableStream({ write(c) { got.push(c); } }); const wr = w.getWriter(); await wr.write(1); await wr.close(); return got[0] === 1;",
    "TransformStream": (
        "const t = new TransformStream({ transform(c, ctl) { ctl.enqueue(c * 2); } });"
        "const out = []; await ReadableStream.from([1, 2]).pipeThrough(t).pipeTo(new WritableStream({ write(c) { out.push(c); } }));"
        "return out.join() === '2,4';"
    ),
    "TextEncoderStream, TextDecoderStream": (
        "const s = ReadableStream.from(['h\u00e9']).pipeThrough(new TextEncoderStream()).pipeThrough(new TextDecoderStream());"
        "let t = ''; for await (const c of s) t += c; return t === 'h\u00e9';"
    ),
    "CompressionStream, DecompressionStream": (
        "const data = new TextEncoder().encode('hello '.repeat(100));"
        "const z = ReadableStream.from([data]).pipeThrough(new CompressionStream('gzip')).pipeThrough(new DecompressionStream('gzip'));"
        "let n = 0; for await (const c of z) n += c.length; return n === 600;"
    ),
    "TextEncoder, TextDecoder": "return new TextDecoder().decode(new TextEncoder().encode('h\u00e9\u20ac')) === 'h\u00e9\u20ac';",
    "atob, btoa": "return atob(btoa('hi')) === 'hi';",
    "queueMicrotask": "let x = 0; queueMicrotask(() => x = 1); await null; return x === 1;",
    "setTimeout, setInterval (in order)": (
        "const log = []; setTimeout(() => log.push(2), 20); setTimeout(() => log.push(1), 0);"
        "let n = 0; const i = setInterval(() => { log.push('i'); if (++n === 2) clearInterval(i); }, 30);"
        "await new Promise((r) => setTimeout(r, 100)); return log.join() === '1,2,i,i';"
    ),
    "performance.mark/measure": "performance.mark('a'); performance.mark('b'); return performance.measure('m', 'a', 'b').duration >= 0;",
    "console.table, console.dir options": "return typeof console.table === 'function' && typeof console.dir === 'function';",
    "fetch (network refused: TypeError)": "try { await fetch('https://example.invalid/'); return false; } catch (e) { return e instanceof TypeError; }",
    "WebAssembly JS API": "const m = new WebAssembly.Module(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0])); return WebAssembly.Module.exports(m).length === 0;",
    "process.argv, exitCode": "return Array.isArray(process.argv) && process.exitCode === undefined;",
    "import.meta.url, filename, dirname, resolve": "return import.meta.url.startsWith('file:') && typeof import.meta.filename === 'string' && typeof import.meta.dirname === 'string' && typeof import.meta.resolve === 'function';",
    "node:fs readFileSync": "const fs = await import('node:fs'); return fs.readFileSync('probe-data/x.txt', 'utf8') === 'x';",
    "node:fs/promises readFile": "const fs = await import('node:fs/promises'); return (await fs.readFile('probe-data/x.txt', 'utf8')) === 'x';",
    "process.stdin (async iterable)": "let t = ''; process.stdin.setEncoding('utf8'); for await (const c of process.stdin) t += c; return t === 'in';",
}

PROGRAM = """\
const names = NAMES;
const probes = [PROBES];
const results = {};
for (let i = 0; i < probes.length; i++) {
  try {
    results[names[i]] = (await Promise.race([probes[i](), new Promise((r) => setTimeout(() => r("timeout"), 2000))])) === true;
  } catch (e) {
    results[names[i]] = false;
  }
}
console.log("RESULTS " + JSON.stringify(results));
"""

TS_PROBE = "const n: number = 1;\ninterface P { x: number }\nconst p = { x: n } satisfies P;\nconsole.log('RESULTS ' + JSON.stringify({ 'TypeScript (.ts entry)': p.x === 1 }));\n"


def probe_program() -> str:
    bodies = ",\n".join(f"async () => {{ {body} }}" for body in PROBES.values())
    return PROGRAM.replace("NAMES", json.dumps(list(PROBES))).replace("PROBES", bodies)


def find_deno() -> str | None:
    installed = ROOT / ".tools/node_modules/.bin/deno"  # scripts/setup.sh puts it there
    found = os.environ.get("EDGEBOX_DENO") or shutil.which("deno") or (installed.exists() and str(installed))
    if found:
        return found
    npm = shutil.which("npm")
    if npm is None:
        return None
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "edgebox/tools/deno"
    deno = cache / "node_modules/.bin/deno"
    if not deno.exists():
        print(f"installing deno {DENO_VERSION} with npm into {cache} (once)", file=sys.stderr)
        cache.mkdir(parents=True, exist_ok=True)
        subprocess.run([npm, "install", "--silent", f"deno@{DENO_VERSION}"], cwd=cache, check=True)
    return str(deno)


def results_of(cmd: list[str], cwd: Path) -> dict[str, bool]:
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, input="in", timeout=300)
    for line in proc.stdout.splitlines():
        if line.startswith("RESULTS "):
            return dict(json.loads(line[len("RESULTS ") :]))
    last = proc.stderr.strip().splitlines()[-1:] or ["no output"]
    print(f"{Path(cmd[0]).name} {cmd[-1]}: no results ({last[0][:200]})", file=sys.stderr)
    return {}


def main() -> None:
    edgebox = str(Path(sys.executable).parent / "edgebox-exec")
    node = shutil.which("node")
    deno = find_deno()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        (work / "probe-data").mkdir()
        (work / "probe-data/x.txt").write_text("x")
        (work / "probe.mjs").write_text(probe_program())
        (work / "probe.ts").write_text(TS_PROBE)
        runs: dict[str, list[list[str]]] = {
            "EdgeBox": [[edgebox, "--allow-read=probe-data", f] for f in ("probe.mjs", "probe.ts")],
            "Node": [[node, f] for f in ("probe.mjs", "probe.ts")] if node else [],
            "Deno": [[deno, "run", "-A", f] for f in ("probe.mjs", "probe.ts")] if deno else [],
        }
        versions = {
            "Node": subprocess.run([node, "--version"], capture_output=True, text=True).stdout.strip()
            if node
            else "",
            "Deno": subprocess.run([deno, "--version"], capture_output=True, text=True).stdout.split()[1]
            if deno
            else "",
        }
        table: dict[str, dict[str, bool]] = {}
        for runtime, cmds in runs.items():
            table[runtime] = {}
            for cmd in cmds:
                table[runtime].update(results_of(cmd, work))
    names = [*PROBES, "TypeScript (.ts entry)"]
    print(f"| API | EdgeBox | Node {versions['Node']} | Deno {versions['Deno']} |")
    print("|---|---|---|---|")
    for name in names:
        cells = []
        for runtime in ("EdgeBox", "Node", "Deno"):
            got = table[runtime].get(name)
            cells.append("—" if not runs[runtime] else "yes" if got else "no")
        print(f"| {name} | {' | '.join(cells)} |")


if __name__ == "__main__":
    main()
