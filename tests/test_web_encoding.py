"""TextEncoder, TextDecoder, crypto.getRandomValues/randomUUID and DOMException (issue 10,
part 2), checked against Node on the same programs: their output must be identical.

Outputs are printed with JSON.stringify, so that the comparison is about the APIs, not about
how console.log lays out long arrays.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import needs_node, run_node
from hypothesis import given, settings
from hypothesis import strategies as st

ENCODING = r"""
const te = new TextEncoder();
const show = (x) => console.log(JSON.stringify(x, (k, v) => (v instanceof Uint8Array ? Array.from(v) : v)));
show([te.encoding, te.encode("héllo €𝄞"), te.encode(), te.encode(undefined), te.encode(42)]);
show(te.encode("a\ud800b\udc00c\udbff"));                      // lone surrogates: U+FFFD
const dst = new Uint8Array(5);
show([te.encodeInto("héllo", dst), dst]);                      // whole code points only
show([te.encodeInto("𝄞x", new Uint8Array(3)), te.encodeInto("𝄞x", new Uint8Array(4)), te.encodeInto("", new Uint8Array(0))]);
const td = new TextDecoder();
show([td.encoding, td.fatal, td.ignoreBOM, new TextDecoder("UTF8", { fatal: true }).fatal]);
show(td.decode(new Uint8Array([0xef, 0xbb, 0xbf, 0x68, 0x69])));                            // BOM stripped
show(new TextDecoder("utf-8", { ignoreBOM: true }).decode(new Uint8Array([0xef, 0xbb, 0xbf, 0x68])));
show(td.decode(new Uint8Array([0x61, 0xf0, 0x90, 0x80, 0x62, 0xc3, 0x28, 0xe2, 0x82])));     // maximal subparts
show(td.decode(new Uint8Array([0xed, 0xa0, 0x80, 0xc0, 0x80, 0xf4, 0x90, 0x80, 0x80, 0xff, 0x80])));
const bytes = te.encode("€𝄞é\uFEFF!");
let out = "";
const sd = new TextDecoder();
for (const b of bytes) out += sd.decode(new Uint8Array([b]), { stream: true });
out += sd.decode();
show([out, out === "€𝄞é\uFEFF!"]);
const bom = new TextDecoder();
show([bom.decode(new Uint8Array([0xef, 0xbb]), { stream: true }), bom.decode(new Uint8Array([0xbf, 0x41]))]);
show([td.decode(new Uint8Array([0xe2, 0x82]), { stream: true }), td.decode()]);   // flushed at the end
for (const bad of [[0xff], [0xc3], [0xed, 0xa0, 0x80]]) {
  try { new TextDecoder("utf-8", { fatal: true }).decode(new Uint8Array(bad)); } catch (e) { show([e.constructor.name, e.message]); }
}
try { new TextDecoder("latin1-but-not-really"); } catch (e) { show([e.constructor.name]); }
const view = new Uint8Array([0, 0x41, 0x42, 0x43, 0]);
show([td.decode(new DataView(view.buffer, 1, 3)), td.decode(view.subarray(1, 4)), td.decode(view.buffer.slice(1, 4)), td.decode()]);
show([Object.prototype.toString.call(te), Object.prototype.toString.call(td)]);
"""

CRYPTO = r"""
const show = (x) => console.log(JSON.stringify(x));
const uuids = Array.from({ length: 50 }, () => crypto.randomUUID());
show([uuids.every((u) => /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(u)), new Set(uuids).size]);
const a = crypto.getRandomValues(new Uint8Array(65536));
show([a.length, a.some((x) => x !== 0), crypto.getRandomValues(new BigUint64Array(2)).length]);
for (const bad of [new Float32Array(1), new Float64Array(1), new DataView(new ArrayBuffer(4)), new Uint8Array(65537), {}, 7]) {
  try { crypto.getRandomValues(bad); show("allowed"); } catch (e) { show([e instanceof DOMException, e.name, e.code]); }
}
const { getRandomValues } = crypto;
try { getRandomValues(new Uint8Array(1)); } catch (e) { show([e.constructor.name]); }
show([typeof Crypto, crypto instanceof Crypto, Object.prototype.toString.call(crypto)]);
const d = new DOMException("gone", "AbortError");
show([d.name, d.message, d.code, d instanceof Error, DOMException.ABORT_ERR, DOMException.QUOTA_EXCEEDED_ERR, new DOMException().name]);
"""


@needs_node
@pytest.mark.parametrize("program", [ENCODING, CRYPTO], ids=["encoding", "crypto"])
def test_same_output_as_node(project, program):
    project.same_as_node(program)


BIN = Path(sys.executable).parent


@needs_node
@settings(max_examples=30, deadline=None, database=None, derandomize=True)
@given(data=st.lists(st.binary(max_size=24), min_size=1, max_size=4))
def test_decoding_any_bytes_matches_node(tmp_path_factory, data):
    """Arbitrary byte strings, whole and split into chunks decoded with stream: true."""
    root = tmp_path_factory.mktemp("dec")
    (root / "app.mjs").write_text(
        f"const chunks = {json.dumps([list(d) for d in data])}.map((c) => new Uint8Array(c));\n"
        "const whole = new Uint8Array(chunks.flatMap((c) => Array.from(c)));\n"
        "const d = new TextDecoder();\n"
        "const streamed = chunks.map((c) => d.decode(c, { stream: true })).join('') + d.decode();\n"
        "let fatal; try { fatal = new TextDecoder('utf-8', { fatal: true }).decode(whole); } catch (e) { fatal = e.name; }\n"
        "console.log(JSON.stringify([new TextDecoder().decode(whole), streamed, fatal, Array.from(new TextEncoder().encode(streamed))]));\n"
    )
    node = run_node(root / "app.mjs")
    ours = subprocess.run([BIN / "edgebox-exec", "app.mjs"], cwd=root, capture_output=True, text=True)
    assert node.code == 0 and ours.returncode == 0, node.err + ours.stderr
    assert ours.stdout == node.out


def test_inputs_are_read_from_their_internal_slots_not_their_properties(project):
    """A plain object shaped like a view, or a view with a redefined byteLength, must not make
    C read bytes it was not given (the engine reads raw memory); a detached buffer holds no
    bytes. Node 20 reads getRandomValues' byteLength as a property, so this is not compared."""
    project.write(
        "app.js",
        r"""
        const d = new TextDecoder();
        const ab = new ArrayBuffer(4);
        new Uint8Array(ab).set([104, 105, 33, 0]);
        const show = (f) => { try { console.log(JSON.stringify(f())); } catch (e) { console.log(e.name, e.message); } };
        show(() => d.decode({ buffer: ab, byteOffset: 0, byteLength: 3 }));
        const dv = new DataView(ab, 0, 2);
        Object.defineProperty(dv, "byteLength", { value: 1e9 });
        Object.defineProperty(dv, "byteOffset", { value: -8 });
        show(() => d.decode(dv));
        const gone = new Uint8Array(8);
        gone.buffer.transfer();
        show(() => [d.decode(gone), d.decode(new ArrayBuffer(0))]);
        const big = new Uint8Array(70000);
        Object.defineProperty(big, "byteLength", { value: 4 });
        show(() => crypto.getRandomValues(big).length);
        show(() => crypto.getRandomValues(Object.create(Uint8Array.prototype)));
        """,
    )
    r = project.run("app.js")
    assert r.code == 0, r.err
    assert r.out.splitlines() == [
        'TypeError The "input" argument must be an ArrayBuffer or an ArrayBufferView',
        '"hi"',
        '["",""]',
        "QuotaExceededError The ArrayBufferView's byte length (70000) exceeds the number of bytes of entropy "
        "available via this API (65536)",
        "TypeMismatchError The data argument must be an integer-type TypedArray",
    ]


UTF16 = r"""
const show = (x) => console.log(JSON.stringify(x));
const bytes = new Uint8Array([0xff, 0xfe, 0x68, 0, 0x3d, 0xd8, 0x00, 0xde, 0x69, 0]);
const le = new TextDecoder("utf-16le");
show([le.encoding, le.decode(bytes), new TextDecoder("UTF-16").decode(bytes.subarray(2)), new TextDecoder("utf-16be").decode(new Uint8Array([0, 0x41, 0xd8, 0x3d]))]);
let out = "";
const s = new TextDecoder("utf-16le");
for (const b of bytes) out += s.decode(new Uint8Array([b]), { stream: true });
show([out + s.decode(), new TextDecoder("utf-16le").decode(new Uint8Array([0x41])), new TextDecoder("utf-16le").decode(new Uint16Array([0x48, 0x49]).buffer)]);
try { new TextDecoder("utf-16le", { fatal: true }).decode(new Uint8Array([0x00, 0xd8])); } catch (e) { show(e.name); }
show([new TextDecoder("latin1").encoding, new TextDecoder("ascii").encoding, new TextDecoder("latin1").decode(new Uint8Array([0x41, 0xe9, 0xff]))]);
"""


@needs_node
def test_utf16_and_windows_1252_decode_as_in_node(project):
    """The decoders embind and napi-wasm make when they load (UTF-16, and latin1, which the
    Encoding standard makes windows-1252)."""
    project.same_as_node(UTF16)


def test_windows_1252_maps_the_c1_bytes_as_the_encoding_standard_says(project):
    """Node 20 decodes "latin1" as ISO-8859-1 (0x80 stays U+0080); the standard, browsers and
    Deno use windows-1252 (0x80 is €)."""
    project.write(
        "app.js", "console.log(new TextDecoder('latin1').decode(new Uint8Array([0x80, 0x9f, 0x81])));\n"
    )
    r = project.run("app.js")
    assert (r.code, r.out) == (0, "€Ÿ\x81\n"), r.err
