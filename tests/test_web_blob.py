"""Blob and File (bundler/engine/web/blob.js), checked against Node on the same programs: their
output must be identical. The programs cover the parts a Blob is made of (strings with lone
surrogates, ArrayBuffers, typed arrays and DataViews over part of a buffer, other Blobs and
Files), the type's validation and lowercasing, `endings`, slices with negative and out-of-range
indices and a content type, every read (text with a BOM and bad UTF-8, arrayBuffer, bytes,
stream in chunks), copies that later writes to the source do not change, File's name and
lastModified, and the TypeErrors of bad arguments.

Where Node 20 is not what the File API says, the standard's answer is pinned instead, with no
Node comparison; docs/compatibility.md lists those places.
"""

from __future__ import annotations

import json

from conftest import needs_node

BLOBS = r"""
const show = (...x) => console.log(JSON.stringify(x));
const tryIt = (f) => { try { return f(); } catch (e) { return e.constructor.name; } };
const buf = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]).buffer;
const inner = new Blob(["inner"]);
const b = new Blob(["héllo", "\ud800", buf, new Uint16Array(buf, 2, 2), new DataView(buf, 5, 2), inner,
  new File(["file"], "f")], { type: "Text/Plain;Charset=UTF-8" });
show(b.size, b.type, [...await b.bytes()]);
show(await b.text());
show(new Blob().size, new Blob([]).type, new Blob(undefined, undefined).size, new Blob([], null).size);
for (const t of ["a/b", "A/B", "x/y; q=\"Z\"", "é/x", "a\u0000b", "a\u007fb", " spaced ", ""])
  show(t, new Blob([], { type: t }).type);
show(await new Blob(["a\r\nb\nc"], { endings: "transparent" }).text(), await new Blob(["a\r\nb\nc"], { endings: "native" }).text());
const n = new Blob(["0123456789"]);
for (const [s, e, t] of [[], [2], [2, 5], [-3], [-3, -1], [5, 2], [-100, 100], [8, 100], [undefined, 4],
  [3, 7, "Text/X"], [0, 10, "é"]])
  { const s2 = n.slice(s, e, t); show(s, e, t, s2.size, s2.type, await s2.text()); }
show(await n.slice(2, 8).slice(1, -1).text(), n.slice() !== n, n.slice() instanceof Blob);
// reads are copies: changing one does not change the Blob
const bytes = await n.bytes(); bytes[0] = 65;
const ab = await n.arrayBuffer(); new Uint8Array(ab)[1] = 66;
show(await n.text(), ab instanceof ArrayBuffer, bytes instanceof Uint8Array, ab.byteLength);
// the parts are copied when the Blob is made
const src = new Uint8Array([104, 105]);
const fromView = new Blob([src]); src[0] = 120;
show(await fromView.text());
show(await new Blob([new Uint8Array([0xef, 0xbb, 0xbf, 0x61, 0xff, 0x62])]).text());
// stream(): Uint8Array chunks with every byte, in order
const big = new Blob(["ab".repeat(50000)]);
const reader = big.stream().getReader();
let total = 0, chunks = 0, allU8 = true, last = "";
for (;;) { const { done, value } = await reader.read(); if (done) break; chunks++; total += value.length; allU8 &&= value instanceof Uint8Array; last = String.fromCharCode(value[value.length - 1]); }
show(total, chunks > 0, allU8, last);
let streamed = "";
for await (const c of new Blob(["stream me"]).stream()) streamed += new TextDecoder().decode(c);
show(streamed);
show(tryIt(() => new Blob(5)), tryIt(() => new Blob("abc")), tryIt(() => new Blob([], 5)), tryIt(() => new Blob([], { endings: "x" })),
  tryIt(() => new Blob([Symbol()])), tryIt(() => new Blob({ [Symbol.iterator]: 5 })), tryIt(() => Blob()));
show(Object.prototype.toString.call(b), String(b), b instanceof Blob, Blob.name, Blob.length, typeof Blob.prototype.bytes);
show(Object.getOwnPropertyDescriptor(globalThis, "Blob").enumerable, Object.getOwnPropertyDescriptor(Blob.prototype, "size").get !== undefined);
"""

FILES = r"""
const show = (...x) => console.log(JSON.stringify(x));
const tryIt = (f) => { try { return f(); } catch (e) { return e.constructor.name; } };
const f = new File(["a", new Uint8Array([98])], "name/with:odd chars.txt", { type: "Text/HTML", lastModified: 1234567890123 });
show(f.name, f.type, f.size, f.lastModified, await f.text(), f instanceof Blob, f instanceof File);
show(Object.prototype.toString.call(f), String(f), File.length, Object.getPrototypeOf(File) === Blob);
const now = Date.now();
const g = new File([], "g");
show(typeof g.lastModified, g.lastModified >= now - 1000 && g.lastModified <= Date.now() + 1000, g.type, g.size, g.name);
for (const lm of [0, -1, 2 ** 40, -(2 ** 40)])
  show(lm, new File([], "x", { lastModified: lm }).lastModified);
show(new File([], 42).name, new File([], "\ud800").name.charCodeAt(0), new File([], undefined).name);
const sliced = f.slice(0, 1);
show(sliced instanceof File, sliced.name, sliced.type, await sliced.text());
show(tryIt(() => new File([])), tryIt(() => new File()), tryIt(() => new File(5, "x")), tryIt(() => new File([], "x", 5)),
  tryIt(() => new File([], "x", { endings: "y" })));
const inBlob = new Blob([f, "!"]);
show(await inBlob.text(), inBlob.type);
show(Object.keys(File.prototype));
"""


@needs_node
def test_blobs_are_the_same_as_in_node(project):
    project.same_as_node(BLOBS)


@needs_node
def test_files_are_the_same_as_in_node(project):
    project.same_as_node(FILES)


def test_the_standard_where_node_20_differs(project):
    """endings: "native" turns a lone CR into LF too (Node 20 leaves it); slice() takes
    [Clamp] long long, so 1.5 rounds to 2 and NaN is 0 (Node 20 aborts the process on a
    fraction, NaN, an infinity or a string); File's lastModified is a long long (truncated;
    Node 20 keeps 1.9) and its fileBits are required (Node 20 takes undefined); the attributes
    and operations are enumerable in the IDL's order."""
    project.write(
        "app.mjs",
        r"""
        const show = (...x) => console.log(JSON.stringify(x));
        show(await new Blob(["a\rb\r\nc\nd"], { endings: "native" }).text());
        const b = new Blob(["0123456789"]);
        show(await b.slice(1.5, 4.5).text(), await b.slice(2.5, 5.5).text(), await b.slice(-2.5).text());
        show(...await Promise.all([[NaN, NaN], [Infinity], [-Infinity], ["2", "4"], [null, 4], [2 ** 70, -(2 ** 70)]]
          .map(([s, e]) => b.slice(s, e).text())));
        show(...[1.9, -1.9, "42", null, true, NaN, 2 ** 64 + 2 ** 12].map((lm) => new File([], "x", { lastModified: lm }).lastModified));
        try { new File(undefined, "x"); } catch (e) { show(e.constructor.name); }
        show(Object.keys(Blob.prototype));
        """,
    )
    r = project.exec(project.root / "app.mjs")
    assert r.code == 0, r.err
    assert [json.loads(line) for line in r.out.splitlines()] == [
        ["a\nb\nc\nd"],
        ["23", "2345", "89"],
        ["", "", "0123456789", "23", "0123", ""],
        [1, -1, 42, 0, 1, 0, 4096],
        ["TypeError"],
        [["size", "type", "slice", "stream", "text", "arrayBuffer", "bytes"]],
    ]


def test_replaced_builtins_do_not_change_blobs(project):
    """A program that replaces built-ins after it first used Blob (the script takes them then):
    the Blob still copies and reads its bytes; and FormData, whose script runs after the
    program replaced the global Blob, still makes Files of the real Blob."""
    project.write(
        "app.mjs",
        r"""
        void Blob;
        Uint8Array.prototype.set = () => { throw new Error("patched set"); };
        Uint8Array.prototype.slice = () => { throw new Error("patched slice"); };
        String.prototype.toLowerCase = () => "patched";
        Object.defineProperty(Object.prototype, "endings", { get() { throw new Error("read endings"); }, configurable: true });
        const b = new Blob(["ab", new Uint8Array([99])], undefined);
        console.log(b.size, b.type, await b.text(), (await b.bytes()).length);
        delete Object.prototype.endings;
        globalThis.Blob = class NotBlob {};
        const fd = new FormData();
        fd.append("k", new File(["x"], "f.txt", { type: "A/B" }));
        console.log(fd.get("k").constructor.name, fd.get("k").type);
        """,
    )
    r = project.exec(project.root / "app.mjs")
    assert r.code == 0, r.err
    assert r.out.splitlines() == ["3  abc 3", "File a/b"]
