"""CompressionStream and DecompressionStream (web/compression.js over web/compression.c).

Interoperability is checked against zlib as Node ships it, both ways: what EdgeBox compresses,
node:zlib's gunzipSync/inflateSync/inflateRawSync turn back into the same bytes, and what zlib
compresses at every level and strategy, EdgeBox turns back into the same bytes, fed in chunks cut
at awkward places. The inputs are empty, one byte, text with multi-byte characters, random bytes
and a few MB of both, made by the same generator in both runtimes.

An empty ArrayBuffer chunk is accepted (Node 20 never settles its write). Bad input follows
the Compression Standard: corrupt, truncated or trailing data errors the
stream with a TypeError (Node 20 gives zlib's Error instead and reads a second gzip member;
Deno agrees with EdgeBox). Random and damaged input must end in output or an error: in the
engine, and natively under AddressSanitizer and UBSan (tests/native/compression_fuzz.c).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import NODE, needs_node

# The same inputs in EdgeBox and in Node: xorshift32 bytes, text from a word list, a few MB of both.
INPUTS = r"""
const makeInputs = () => {
  let x = 0x9e3779b9;
  const rand = () => { x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0; return x; };
  const random = new Uint8Array(200000);
  for (let i = 0; i < random.length; i++) random[i] = rand() & 255;
  const words = ["stream ", "deflate ", "wörld ", "😀 ", "the ", "\n", "chunk ", "0123 ", "€"];
  let text = "";
  while (text.length < 300000) text += words[rand() % words.length];
  const t = new TextEncoder().encode(text);
  const big = new Uint8Array(3 << 20);
  for (let i = 0; i < big.length; i++) big[i] = (i >> 16) % 3 === 0 ? rand() & 255 : t[i % t.length];
  return { empty: new Uint8Array(0), byte: new Uint8Array([65]), text: t, random, big };
};
const FORMATS = ["gzip", "deflate", "deflate-raw"];
const concat = (parts) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
};
const collect = async (readable) => { const parts = []; for await (const p of readable) parts.push(p); return concat(parts); };
// cut `bytes` into chunks of the sizes given, in turn
const pieces = (bytes, sizes) => {
  const out = [];
  for (let at = 0, i = 0; at < bytes.length; i++) { const n = sizes[i % sizes.length]; out.push(bytes.subarray(at, at + n)); at += n; }
  return out;
};
"""


def _node(root: Path, name: str, source: str) -> str:
    path = root / name
    path.write_text(source)
    proc = subprocess.run([NODE, str(path)], capture_output=True, text=True, cwd=root, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


@needs_node
def test_what_edgebox_compresses_node_zlib_decompresses(project):
    project.write(
        "app.mjs",
        INPUTS
        + r"""
const base64 = (bytes) => {
  let s = "";
  for (let i = 0; i < bytes.length; i += 8192) s += String.fromCharCode.apply(null, bytes.subarray(i, i + 8192));
  return btoa(s);
};
const out = {};
for (const [name, data] of Object.entries(makeInputs())) {
  for (const format of FORMATS) {
    const compressed = await collect(ReadableStream.from(pieces(data, [65537, 3, 1000])).pipeThrough(new CompressionStream(format)));
    out[`${name}:${format}`] = base64(compressed);
  }
}
console.log(JSON.stringify(out));
""",
    )
    r = project.exec(project.root / "app.mjs")
    assert r.code == 0, r.err
    (project.root / "compressed.json").write_text(r.out)
    checked = _node(
        project.root,
        "check.cjs",
        INPUTS
        + r"""
const zlib = require("node:zlib");
const fs = require("node:fs");
const inputs = makeInputs();
const sizes = {};
for (const [key, b64] of Object.entries(JSON.parse(fs.readFileSync("compressed.json", "utf8")))) {
  const [name, format] = key.split(":");
  const bytes = Buffer.from(b64, "base64");
  const back = format === "gzip" ? zlib.gunzipSync(bytes) : format === "deflate" ? zlib.inflateSync(bytes) : zlib.inflateRawSync(bytes);
  console.log(key, Buffer.compare(back, Buffer.from(inputs[name])) === 0 ? "same" : "DIFFERENT", back.length);
  sizes[key] = [bytes.length, (format === "gzip" ? zlib.gzipSync : format === "deflate" ? zlib.deflateSync : zlib.deflateRawSync)(inputs[name]).length];
}
console.error(JSON.stringify(sizes));
""",
    )
    lines = checked.splitlines()
    assert len(lines) == 15
    assert all(line.split()[1] == "same" for line in lines), checked
    assert "big:gzip same 3145728" in lines


@needs_node
def test_what_node_zlib_compresses_edgebox_decompresses(project):
    # zlib at every level and strategy, small windows too, written by Node
    _node(
        project.root,
        "make.cjs",
        INPUTS
        + r"""
const zlib = require("node:zlib");
const crypto = require("node:crypto");
const out = {};
const { Z_FILTERED, Z_HUFFMAN_ONLY, Z_RLE, Z_FIXED } = zlib.constants;
const variants = [
  ["level0", { level: 0 }], ["level1", { level: 1 }], ["level6", {}], ["level9", { level: 9 }],
  ["filtered", { strategy: Z_FILTERED }], ["huffman", { strategy: Z_HUFFMAN_ONLY }], ["rle", { strategy: Z_RLE }],
  ["fixed", { strategy: Z_FIXED }], ["window9", { windowBits: 9, memLevel: 1 }],
];
for (const [name, data] of Object.entries(makeInputs())) {
  if (name === "big") continue;
  for (const [variant, options] of variants) {
    const digest = crypto.createHash("sha256").update(data).digest("hex");
    out[`${name}:gzip:${variant}`] = [zlib.gzipSync(data, options).toString("base64"), digest];
    out[`${name}:deflate:${variant}`] = [zlib.deflateSync(data, options).toString("base64"), digest];
    out[`${name}:deflate-raw:${variant}`] = [zlib.deflateRawSync(data, options).toString("base64"), digest];
  }
}
const big = makeInputs().big;
out["big:gzip:level6"] = [zlib.gzipSync(big).toString("base64"), crypto.createHash("sha256").update(big).digest("hex")];
require("node:fs").writeFileSync("zlib.json", JSON.stringify(out));
""",
    )
    project.write(
        "app.mjs",
        INPUTS
        + r"""
import cases from "./zlib.json" with { type: "json" };
const hex = (buf) => [...new Uint8Array(buf)].map((b) => b.toString(16).padStart(2, "0")).join("");
let i = 0;
for (const [key, [b64, digest]] of Object.entries(cases)) {
  const format = key.split(":")[1];
  const bin = atob(b64);
  const bytes = new Uint8Array(bin.length);
  for (let k = 0; k < bin.length; k++) bytes[k] = bin.charCodeAt(k);
  // chunk sizes that cut headers, Huffman codes and trailers apart
  const sizes = key.startsWith("big") ? [65536, 1, 3000] : [[1, 13, 200, 2], [7, 1, 300], [5000, 2], [bytes.length || 1]][i++ % 4];
  const out = await collect(ReadableStream.from(pieces(bytes, sizes)).pipeThrough(new DecompressionStream(format)));
  console.log(key, hex(await crypto.subtle.digest("SHA-256", out)) === digest ? "same" : "DIFFERENT", out.length);
}
""",
    )
    r = project.exec(project.root / "app.mjs")
    assert r.code == 0, r.err
    lines = r.out.splitlines()
    assert len(lines) == 4 * 9 * 3 + 1
    assert all(line.split()[1] == "same" for line in lines), r.out
    assert "big:gzip:level6 same 3145728" in lines


BAD_INPUT = r"""
const collect = async (readable) => { let n = 0; for await (const p of readable) n += p.length; return n; };
const gzipped = new Uint8Array(await new Response(new Blob(["hello hello hello"]).stream().pipeThrough(new CompressionStream("gzip"))).arrayBuffer());
const deflated = new Uint8Array(await new Response(new Blob(["hello hello hello"]).stream().pipeThrough(new CompressionStream("deflate"))).arrayBuffer());
const flip = (bytes, at) => { const b = bytes.slice(); b[at < 0 ? b.length + at : at] ^= 1; return b; };
const cases = [
  ["gzip", "whole", gzipped],
  ["gzip", "truncated", gzipped.slice(0, -3)],
  ["gzip", "header only", gzipped.slice(0, 10)],
  ["gzip", "junk after the end", new Uint8Array([...gzipped, 1, 2, 3])],
  ["gzip", "a second member", new Uint8Array([...gzipped, ...gzipped])],
  ["gzip", "bad magic", flip(gzipped, 1)],
  ["gzip", "bad method", flip(gzipped, 2)],
  ["gzip", "bad crc", flip(gzipped, -6)],
  ["gzip", "bad length", flip(gzipped, -2)],
  ["gzip", "empty", new Uint8Array(0)],
  ["deflate", "whole", deflated],
  ["deflate", "bad header check", flip(deflated, 1)],
  ["deflate", "bad adler", flip(deflated, -1)],
  ["deflate", "preset dictionary", new Uint8Array([0x78, 0xbb, 0, 0, 0, 1])],
  ["deflate-raw", "reserved block type", new Uint8Array([0x07, 0, 0])],
  ["deflate-raw", "stored length mismatch", new Uint8Array([0x01, 5, 0, 5, 0])],
  ["deflate-raw", "distance too far back", new Uint8Array([3, 2, 0])],
  ["deflate-raw", "empty final stored block", new Uint8Array([0x01, 0, 0, 0xff, 0xff])],
];
for (const [format, name, bytes] of cases) {
  const ds = new DecompressionStream(format);
  const writer = ds.writable.getWriter();
  const wrote = writer.write(bytes).then(() => "ok", (e) => e.constructor.name);
  const closed = writer.close().then(() => "ok", (e) => e.constructor.name);
  const read = await collect(ds.readable).then((n) => `${n} bytes`, (e) => `${e.constructor.name}: ${e.message}`);
  console.log(`${format} ${name}: write ${await wrote}, close ${await closed}, read ${read}`);
}
for (const make of [() => new CompressionStream("br"), () => new CompressionStream(), () => new DecompressionStream("GZIP"),
  () => new DecompressionStream({ toString: () => "gzip" })]) {
  try { console.log("made", String(make())); } catch (e) { console.log(e.constructor.name); }
}
for (const chunk of ["text", 42, null, [1, 2], new Uint8Array([1]).buffer, new ArrayBuffer(0), new DataView(new ArrayBuffer(2)), new Float64Array(1)]) {
  const cs = new CompressionStream("deflate-raw");
  const result = cs.writable.getWriter().write(chunk).then(() => "accepted", (e) => e.constructor.name);
  const reading = cs.readable.getReader().read().catch(() => {});
  console.log(Object.prototype.toString.call(chunk), await result);
}
"""


def test_bad_input_is_a_type_error_as_the_standard_says(project):
    project.write("app.mjs", BAD_INPUT)
    r = project.exec(project.root / "app.mjs")
    assert r.code == 0, r.err
    truncated = "TypeError: The compressed data ended before its end was reached (truncated input)"
    junk = "TypeError: Junk found after the end of the compressed data"
    assert r.out.splitlines() == [
        "gzip whole: write ok, close ok, read 17 bytes",
        f"gzip truncated: write ok, close TypeError, read {truncated}",
        f"gzip header only: write ok, close TypeError, read {truncated}",
        f"gzip junk after the end: write TypeError, close TypeError, read {junk}",
        f"gzip a second member: write TypeError, close TypeError, read {junk}",
        "gzip bad magic: write TypeError, close TypeError, read TypeError: The input is not gzip data (wrong magic bytes)",
        "gzip bad method: write TypeError, close TypeError, read TypeError: "
        "The gzip data uses a compression method other than deflate",
        "gzip bad crc: write TypeError, close TypeError, read TypeError: The gzip data's CRC-32 does not match its contents",
        "gzip bad length: write TypeError, close TypeError, read TypeError: "
        "The gzip data's length does not match its contents",
        f"gzip empty: write ok, close TypeError, read {truncated}",
        "deflate whole: write ok, close ok, read 17 bytes",
        "deflate bad header check: write TypeError, close TypeError, read TypeError: The zlib header's check bits are wrong",
        "deflate bad adler: write TypeError, close TypeError, read TypeError: "
        "The zlib data's Adler-32 does not match its contents",
        "deflate preset dictionary: write TypeError, close TypeError, read TypeError: "
        "The zlib data needs a preset dictionary, which is not supported",
        "deflate-raw reserved block type: write TypeError, close TypeError, read TypeError: Invalid block type",
        "deflate-raw stored length mismatch: write TypeError, close TypeError, read TypeError: "
        "A stored block's length does not match its complement",
        "deflate-raw distance too far back: write TypeError, close TypeError, read TypeError: "
        "A back-reference points before the start of the data",
        "deflate-raw empty final stored block: write ok, close ok, read 0 bytes",
        "TypeError",
        "TypeError",
        "TypeError",
        "made [object DecompressionStream]",
        "[object String] TypeError",
        "[object Number] TypeError",
        "[object Null] TypeError",
        "[object Array] TypeError",
        "[object ArrayBuffer] accepted",
        "[object ArrayBuffer] accepted",  # (an empty one: Node 20 never settles the write)
        "[object DataView] accepted",
        "[object Float64Array] accepted",
    ]


@needs_node
def test_streams_and_shapes_as_in_node(project):
    """Round trips within one runtime, chunk types, empty writes, the classes' shape."""
    project.same_as_node(
        r"""
const collect = async (readable) => { const parts = []; for await (const p of readable) parts.push(p); return parts; };
const text = "Grüße, 世界! ".repeat(1000);
for (const format of ["gzip", "deflate", "deflate-raw"]) {
  const parts = await collect(new Blob([text]).stream().pipeThrough(new CompressionStream(format)));
  const kinds = [...new Set(parts.map((p) => p.constructor.name))];
  const back = await new Response(new Blob(parts).stream().pipeThrough(new DecompressionStream(format))).text();
  console.log(format, kinds, back === text, parts.every((p) => p.length > 0));
  const decoded = await collect(ReadableStream.from([new Blob(parts)]).pipeThrough(new TransformStream({
    async transform(blob, c) { c.enqueue(new Uint8Array(await blob.arrayBuffer())); },
  })).pipeThrough(new DecompressionStream(format)).pipeThrough(new TextDecoderStream()));
  console.log(decoded.join("") === text);
}
// empty chunks and an empty stream
for (const format of ["gzip", "deflate", "deflate-raw"]) {
  const parts = await collect(ReadableStream.from([new Uint8Array(0), new Uint8Array(0)]).pipeThrough(new CompressionStream(format)));
  const back = await collect(ReadableStream.from(parts).pipeThrough(new DecompressionStream(format)));
  console.log(format, "empty", back.reduce((n, p) => n + p.length, 0));
}
const cs = new CompressionStream("gzip");
console.log(String(cs), cs.readable instanceof ReadableStream, cs.writable instanceof WritableStream,
  Object.keys(CompressionStream.prototype), CompressionStream.length, DecompressionStream.length);
try { Object.getOwnPropertyDescriptor(CompressionStream.prototype, "readable").get.call({}); } catch (e) { console.log(e.constructor.name); }
"""
    )


FUZZ = r"""
let x = SEED;
const rand = () => { x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0; return x; };
const FORMATS = ["gzip", "deflate", "deflate-raw"];
const run = async (format, chunks) => {
  const ds = new DecompressionStream(format);
  const w = ds.writable.getWriter();
  for (const c of chunks) w.write(c).catch(() => {});
  w.close().catch(() => {});
  let n = 0;
  try { for await (const p of ds.readable) n += p.length; return "output"; } catch (e) { return e.constructor.name; }
};
const bytes = (n) => { const b = new Uint8Array(n); for (let i = 0; i < n; i++) b[i] = rand() & 255; return b; };
const outcomes = {};
const count = (k) => { outcomes[k] = (outcomes[k] || 0) + 1; };
const sample = new TextEncoder().encode("a sample text, a sample text, with some repeats: ".repeat(40));
for (let i = 0; i < ITERATIONS; i++) {
  const format = FORMATS[i % 3];
  // random bytes, in random chunks
  const junk = bytes(rand() % 600);
  if (i % 2 && junk.length) junk[0] = (junk[0] & ~7) | [1, 3, 5][rand() % 3];
  count(await run(format, [junk.subarray(0, rand() % 40), junk.subarray(0, 0), junk]));
  // a valid stream, damaged
  const parts = [];
  for await (const p of ReadableStream.from([sample]).pipeThrough(new CompressionStream(format))) parts.push(p);
  const good = new Uint8Array(await new Blob(parts).arrayBuffer());
  const bad = good.slice(0, rand() % 3 ? good.length : rand() % good.length);
  for (let k = rand() % 4; k >= 0 && bad.length; k--) bad[rand() % bad.length] ^= 1 << (rand() % 8);
  count(await run(format, [bad.subarray(0, 5), bad.subarray(5)]));
}
console.log(JSON.stringify(Object.keys(outcomes).sort()), Object.values(outcomes).reduce((a, b) => a + b, 0));
"""


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_and_damaged_input_gives_output_or_a_type_error(project, seed):
    project.write("app.mjs", FUZZ.replace("SEED", str(seed * 7919)).replace("ITERATIONS", "150"))
    r = project.exec(project.root / "app.mjs")
    assert r.code == 0, r.err
    kinds, total = r.out.split()
    assert set(json.loads(kinds)) <= {"output", "TypeError"} and total == "300", r.out


COMPILER = shutil.which("gcc") or shutil.which("clang")


@pytest.mark.skipif(COMPILER is None, reason="no native C compiler")
def test_the_codec_under_address_sanitizer(tmp_path):
    """The C codec itself, natively, with AddressSanitizer and UBSan: any read or write out of
    bounds, overflow or use after free ends the run with an error report."""
    harness = Path(__file__).parent / "native" / "compression_fuzz.c"
    exe = tmp_path / "compression_fuzz"
    flags = [
        "-O1",
        "-g",
        "-fsanitize=address,undefined",
        "-fno-sanitize-recover=all",
        "-Wall",
        "-Wextra",
        "-Werror",
    ]
    build = subprocess.run([COMPILER, *flags, str(harness), "-o", str(exe)], capture_output=True, text=True)
    if build.returncode != 0 and "sanitize" in build.stderr:
        pytest.skip(f"{COMPILER} cannot build with sanitizers here: {build.stderr.splitlines()[0]}")
    assert build.returncode == 0, build.stderr
    for seed in ("11", "12", "13"):
        run = subprocess.run([str(exe), seed, "250"], capture_output=True, text=True, timeout=300)
        assert run.returncode == 0, run.stdout + run.stderr
        assert run.stdout.startswith("ok: 250 round trips"), run.stdout
