"""crypto.subtle.digest (issue 12): SHA-1, SHA-256, SHA-384 and SHA-512, hashed in C
(web/crypto.c), checked against Node on the same programs and against Python's hashlib.

The inputs cover every padding case (lengths 0 to 200 cross the 55/56- and 111/112-byte
boundaries where the length field spills into a second block), the NIST examples of FIPS
180-4's appendices, views with offsets into larger buffers, DataViews and detached buffers.
"""

from __future__ import annotations

import hashlib

import pytest
from conftest import needs_node

ALGORITHMS = {"SHA-1": "sha1", "SHA-256": "sha256", "SHA-384": "sha384", "SHA-512": "sha512"}
NIST = [
    b"",
    b"abc",
    b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",  # 448 bits
    b"abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrs"
    b"mnopqrstnopqrstu",  # 896 bits
]

# Shared by the JS programs and by expected(): the same bytes from the same generator.
PRELUDE = r"""
const hex = (b) => Array.from(new Uint8Array(b), (x) => x.toString(16).padStart(2, "0")).join("");
const ALGORITHMS = ["SHA-1", "SHA-256", "SHA-384", "SHA-512"];
const ascii = (s) => new Uint8Array(Array.from(s, (c) => c.charCodeAt(0)));
// a linear congruential generator (mod 2**32): deterministic bytes for any length
const bytes = (n, seed) => {
  const out = new Uint8Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
};
"""


def lcg_bytes(n: int, seed: int) -> bytes:
    out, x = bytearray(), seed
    for _ in range(n):
        x = (x * 1103515245 + 12345) % 2**32
        out.append(x >> 24)
    return bytes(out)


def digest(algorithm: str, data: bytes) -> str:
    return hashlib.new(ALGORITHMS[algorithm], data).hexdigest()


VECTORS = (
    PRELUDE
    + r"""
const inputs = [
  ...[ "", "abc",
    "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
    "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
  ].map(ascii),
  new Uint8Array(1000000).fill(97), // one million 'a'
  ...Array.from({ length: 201 }, (_, n) => bytes(n, n)),
];
for (const algorithm of ALGORITHMS)
  for (const input of inputs) console.log(algorithm, input.length, hex(await crypto.subtle.digest(algorithm, input)));
"""
)


def vectors_expected() -> str:
    inputs = [*NIST, b"a" * 1_000_000, *(lcg_bytes(n, n) for n in range(201))]
    return "".join(f"{a} {len(i)} {digest(a, i)}\n" for a in ALGORITHMS for i in inputs)


def test_digests_are_fips_180_4s(project):
    """The NIST examples (empty, "abc", the 448- and 896-bit messages, a million 'a') and every
    length 0..200, against hashlib."""
    project.write("app.mjs", VECTORS)
    r = project.exec(project.root / "app.mjs")
    assert r.code == 0, r.err
    assert r.out == vectors_expected()


@needs_node
def test_digests_are_nodes(project):
    project.same_as_node(VECTORS)


VIEWS = (
    PRELUDE
    + r"""
const s = crypto.subtle;
const big = bytes(300, 7);
const show = async (label, algorithm, data) => console.log(label, hex(await s.digest(algorithm, data)));
await show("u8 offset", "SHA-256", big.subarray(37, 137));
await show("u8 end", "sha-1", big.subarray(250));
await show("u8 empty at offset", "SHA-512", big.subarray(100, 100));
await show("u16 offset", "Sha-384", new Uint16Array(big.buffer, 10, 40));
await show("i32", "SHA-256", new Int32Array(big.buffer, 4, 50));
await show("f64", "SHA-256", new Float64Array(big.buffer, 16, 20));
await show("u8 clamped", "SHA-256", new Uint8ClampedArray(big.buffer, 1, 120));
await show("bigint64", "SHA-512", new BigUint64Array(big.buffer, 8, 9));
await show("dataview", "SHA-256", new DataView(big.buffer, 3, 111));
await show("dataview whole", "SHA-1", new DataView(big.buffer));
await show("arraybuffer", "SHA-256", big.buffer);
await show("arraybuffer empty", "SHA-256", new ArrayBuffer(0));
await show("object algorithm", { name: "sHa-512" }, big.subarray(5, 200));
// the result is a new ArrayBuffer each time, of the digest's size
const results = await Promise.all(ALGORITHMS.map((a) => s.digest(a, big)));
console.log(results.map((r) => `${Object.prototype.toString.call(r)} ${r.byteLength}`).join(", "));
const again = await s.digest("SHA-1", big);
console.log(again !== results[0], hex(again) === hex(results[0]));
// the bytes are those at the call: a change made afterwards does not reach the digest
const data = bytes(64, 3);
const pending = s.digest("SHA-256", data);
data.fill(0);
console.log("changed after the call", hex(await pending));
const detach = (b) => (b.transfer ? b.transfer() : structuredClone(b, { transfer: [b] }));
const gone = new ArrayBuffer(16);
const goneView = new Uint8Array(gone, 4, 8);
const goneDataView = new DataView(gone, 2, 6);
detach(gone);
for (const [label, data] of [["detached buffer", gone], ["its view", goneView]])
  await show(label, "SHA-256", data); // a detached buffer holds no bytes
"""
)
# Node 20 rejects this one with a TypeError (it reads the DataView's byteLength, which throws
# once detached); WebIDL gives no bytes, as for the detached buffer and its typed array
DETACHED_DATAVIEW = 'await show("its DataView", "SHA-256", goneDataView);\n'


def views_expected() -> list[str]:
    big = lcg_bytes(300, 7)
    lines = [
        ("u8 offset", "SHA-256", big[37:137]),
        ("u8 end", "SHA-1", big[250:]),
        ("u8 empty at offset", "SHA-512", b""),
        ("u16 offset", "SHA-384", big[10:90]),
        ("i32", "SHA-256", big[4:204]),
        ("f64", "SHA-256", big[16:176]),
        ("u8 clamped", "SHA-256", big[1:121]),
        ("bigint64", "SHA-512", big[8:80]),
        ("dataview", "SHA-256", big[3:114]),
        ("dataview whole", "SHA-1", big),
        ("arraybuffer", "SHA-256", big),
        ("arraybuffer empty", "SHA-256", b""),
        ("object algorithm", "SHA-512", big[5:200]),
    ]
    out = [f"{label} {digest(a, d)}" for label, a, d in lines]
    out.append(
        "[object ArrayBuffer] 20, [object ArrayBuffer] 32, [object ArrayBuffer] 48, [object ArrayBuffer] 64"
    )
    out.append("true true")
    out.append(f"changed after the call {digest('SHA-256', lcg_bytes(64, 3))}")
    out += [f"{label} {digest('SHA-256', b'')}" for label in ("detached buffer", "its view", "its DataView")]
    return out


def test_views_dataviews_and_detached_buffers(project):
    """A view's own bytes only (its offset and length into a larger buffer), whatever its
    element type; a detached buffer's digest is the empty message's, as WebIDL's "get a copy
    of the bytes held by the buffer source" gives no bytes for it."""
    project.write("app.mjs", VIEWS + DETACHED_DATAVIEW)
    r = project.exec(project.root / "app.mjs")
    assert r.code == 0, r.err
    assert r.out.splitlines() == views_expected()


@needs_node
def test_views_are_hashed_as_in_node(project):
    project.same_as_node(VIEWS)


ERRORS = r"""
const s = crypto.subtle;
const data = new Uint8Array(4);
const cases = [
  ["unknown name", () => s.digest("MD5", data)],
  ["unknown in an object", () => s.digest({ name: "SHA-224" }, data)],
  ["no hyphen", () => s.digest("SHA256", data)],
  ["a number", () => s.digest(256, data)],
  ["null", () => s.digest(null, data)],
  ["name null", () => s.digest({ name: null }, data)],
  ["no name", () => s.digest({}, data)],
  ["a String object", () => s.digest(new String("SHA-1"), data)],
  ["a symbol", () => s.digest(Symbol("SHA-1"), data)],
  ["a symbol name", () => s.digest({ name: Symbol() }, data)],
  ["a throwing name", () => s.digest({ get name() { throw new RangeError("from the getter"); } }, data)],
  ["a string", () => s.digest("SHA-256", "abc")],
  ["an array", () => s.digest("SHA-256", [1, 2, 3])],
  ["undefined", () => s.digest("SHA-256", undefined)],
  ["a plain object", () => s.digest("SHA-256", { buffer: data.buffer, byteOffset: 0, byteLength: 4 })],
  ["a SharedArrayBuffer", () => s.digest("SHA-256", new SharedArrayBuffer(4))],
  ["a view of one", () => s.digest("SHA-256", new Uint8Array(new SharedArrayBuffer(4)))],
  ["bad data before bad name", () => s.digest("MD5", "abc")],
  ["one argument", () => s.digest("SHA-256")],
  ["no arguments", () => s.digest()],
  ["another this", () => s.digest.call({}, "SHA-256", data)],
  ["no this", () => SubtleCrypto.prototype.digest.call(undefined, "SHA-256", data)],
];
for (const [label, call] of cases) {
  let promise;
  try {
    promise = call();
  } catch (e) {
    console.log(label, "threw", e.name);
    continue;
  }
  try {
    await promise;
    console.log(label, "resolved");
  } catch (e) {
    console.log(label, promise instanceof Promise, e.constructor.name, e.name, e instanceof DOMException ? e.code : "-", e.message);
  }
}
try { new SubtleCrypto(); } catch (e) { console.log("new SubtleCrypto", e.constructor.name, e.message); }
try { new CryptoKey(); } catch (e) { console.log("new CryptoKey", e.constructor.name, e.message); }
console.log(crypto.subtle instanceof SubtleCrypto, crypto.subtle === crypto.subtle, String(crypto.subtle),
  Object.getOwnPropertyNames(crypto.subtle).length, typeof SubtleCrypto, typeof CryptoKey,
  SubtleCrypto.length, Object.getOwnPropertyNames(SubtleCrypto.prototype).join(),
  SubtleCrypto.prototype.digest.length, SubtleCrypto.prototype.digest.name,
  Object.getOwnPropertyDescriptor(SubtleCrypto.prototype, "digest").enumerable,
  Object.getOwnPropertyDescriptor(Crypto.prototype, "subtle").enumerable,
  Object.getOwnPropertyNames(CryptoKey.prototype).join());
try { Object.getOwnPropertyDescriptor(Crypto.prototype, "subtle").get.call({}); } catch (e) { console.log(e.message); }
"""


@needs_node
def test_errors_reject_as_in_node(project):
    """Each error is a rejected Promise, never a throw: an unknown algorithm a DOMException
    NotSupportedError, anything else a TypeError, with Node's messages (not its `code`
    properties, which are Node's own)."""
    ours = project.same_as_node(ERRORS)
    assert "threw" not in ours.out and "resolved" not in ours.out


def test_the_data_is_copied_before_the_algorithm_is_normalized(project):
    """The spec's order: the bytes are copied, then the algorithm object is read (its getters
    run). Node 20 reads the algorithm first and hashes the changed bytes, so not compared."""
    project.write(
        "app.mjs",
        PRELUDE
        + r"""
        const data = ascii("abc");
        const algorithm = { get name() { data[0] = 120; return "SHA-256"; } };
        console.log(hex(await crypto.subtle.digest(algorithm, data)));
        const named = { toString() { data[1] = 120; return "SHA-1"; } };
        console.log(hex(await crypto.subtle.digest({ name: named }, data)));
        """,
    )
    r = project.exec(project.root / "app.mjs")
    assert r.code == 0, r.err
    assert r.out.splitlines() == [digest("SHA-256", b"abc"), digest("SHA-1", b"xbc")]


def test_the_bytes_come_from_internal_slots_not_from_properties(project):
    """A program that redefines the views' getters, their prototypes' slice and set, or the
    DOMException and Promise globals changes nothing: C reads exactly the view's bytes."""
    project.write(
        "app.mjs",
        PRELUDE
        + r"""
        const s = crypto.subtle;
        const data = bytes(100, 9);
        const view = data.subarray(10, 20);
        const dv = new DataView(data.buffer, 10, 10);
        const TA = Object.getPrototypeOf(Uint8Array.prototype);
        for (const key of ["buffer", "byteOffset", "byteLength", Symbol.toStringTag])
          Object.defineProperty(TA, key, { get() { return key === "byteLength" ? 1e9 : 0; } });
        for (const key of ["buffer", "byteOffset", "byteLength"])
          Object.defineProperty(DataView.prototype, key, { get() { return key === "byteLength" ? 1e9 : -4; } });
        Object.defineProperty(ArrayBuffer.prototype, "byteLength", { get() { return 1e9; } });
        TA.set = TA.slice = ArrayBuffer.prototype.slice = () => { throw new Error("called"); };
        Object.defineProperty(view, "byteLength", { value: 1e9 });
        const realDOMException = DOMException;
        globalThis.DOMException = globalThis.TypeError = function () { return new Error("fake"); };
        globalThis.Promise = function () { throw new Error("fake"); };
        console.log(hex(await s.digest("SHA-256", view)));
        console.log(hex(await s.digest({ name: "SHA-256" }, dv)));
        console.log(hex(await s.digest("SHA-1", new Uint8Array(0))));
        try { await s.digest("MD5", view); } catch (e) { console.log(e instanceof realDOMException, e.name); }
        try { await s.digest("SHA-1", "x"); } catch (e) { console.log(e.name, e.message); }
        const values = crypto.getRandomValues(new Uint32Array(4));
        console.log(values.length);
        """,
    )
    r = project.exec(project.root / "app.mjs")
    assert r.code == 0, r.err
    expected = digest("SHA-256", lcg_bytes(100, 9)[10:20])
    assert r.out.splitlines() == [
        expected,
        expected,
        digest("SHA-1", b""),
        "true NotSupportedError",
        "TypeError Failed to execute 'digest' on 'SubtleCrypto': 2nd argument is not instance of ArrayBuffer, "
        "Buffer, TypedArray, or DataView.",
        "4",
    ]


@pytest.mark.parametrize(
    "call",
    [
        "s.encrypt({ name: 'AES-GCM' }, null, new Uint8Array())",
        "s.importKey('raw', new Uint8Array(16), 'HMAC', false, ['sign'])",
        "s.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign'])",
    ],
)
def test_other_methods_reject_with_not_supported(project, call):
    """Only digest is implemented; the rest are there (as in the interface) and reject."""
    project.write(
        "app.mjs",
        f"const s = crypto.subtle;\nconst p = {call};\n"
        "try { await p; } catch (e) { console.log(p instanceof Promise, e instanceof DOMException, e.name); }\n",
    )
    r = project.exec(project.root / "app.mjs")
    assert (r.code, r.out) == (0, "true true NotSupportedError\n"), r.err
