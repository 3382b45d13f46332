"""structuredClone (bundler/engine/web/structured_clone.js), checked against Node on the same
programs: their output must be identical. Each program prints the copies with a printer of its
own (PRINTER): every value with its type, prototype, own properties and their attributes, and
every object by a number given when the printer first meets it, so that shared references and
cycles show as the same number. The cases follow the HTML Standard's structured serialization:
primitives, wrappers, Date, RegExp, buffers and views, Map, Set, arrays, plain objects, errors,
cycles, transfer, and the DataCloneErrors; a seeded generator adds nested values with shared
references.

Where EdgeBox follows the standard (or Node 22) and Node 20 does not, or where Node 20 has no
such value (resizable and immutable buffers, Float16Array), the answer is pinned here instead
(docs/compatibility.md lists those places).
"""

from __future__ import annotations

import json

import pytest
from conftest import needs_node

# The printer: deterministic, and the same text for the same structure in both engines.
PRINTER = r"""
const PROTOS = [
  ["Object", Object.prototype], ["Array", Array.prototype], ["Map", Map.prototype], ["Set", Set.prototype],
  ["Date", Date.prototype], ["RegExp", RegExp.prototype], ["ArrayBuffer", ArrayBuffer.prototype],
  ["DataView", DataView.prototype], ["Boolean", Boolean.prototype], ["Number", Number.prototype],
  ["String", String.prototype], ["BigInt", BigInt.prototype], ["Error", Error.prototype],
  ["EvalError", EvalError.prototype], ["RangeError", RangeError.prototype], ["ReferenceError", ReferenceError.prototype],
  ["SyntaxError", SyntaxError.prototype], ["TypeError", TypeError.prototype], ["URIError", URIError.prototype],
  ...["Int8Array", "Uint8Array", "Uint8ClampedArray", "Int16Array", "Uint16Array", "Int32Array", "Uint32Array",
    "Float16Array", "Float32Array", "Float64Array", "BigInt64Array", "BigUint64Array"]
    .filter((n) => typeof globalThis[n] === "function").map((n) => [n, globalThis[n].prototype]),
];
const protoName = (o) => {
  const p = Object.getPrototypeOf(o);
  if (p === null) return "null";
  const found = PROTOS.find(([, q]) => q === p);
  return found ? found[0] : "other";
};
const TA = Object.getPrototypeOf(Uint8Array.prototype);
const taName = (v) => Object.getOwnPropertyDescriptor(TA, Symbol.toStringTag).get.call(v);
const printer = () => {
  const ids = new Map();
  const show = (v) => {
    switch (typeof v) {
      case "bigint": return `${v}n`;
      case "number": return Object.is(v, -0) ? "-0" : String(v);
      case "string": return JSON.stringify(v);
      case "undefined": case "boolean": return String(v);
      case "function": return "function?";
      case "symbol": return "symbol?";
    }
    if (v === null) return "null";
    if (ids.has(v)) return `@${ids.get(v)}`;
    const id = ids.size;
    ids.set(v, id);
    const tag = Object.prototype.toString.call(v);
    // an array's elements are shown in order, its other properties here
    const own = () => Object.getOwnPropertyNames(v).filter((k) => !Array.isArray(v) || (k !== "length" && !/^\d+$/.test(k)))
      .map((k) => {
        const d = Object.getOwnPropertyDescriptor(v, k);
        const flags = (d.writable ? "w" : "") + (d.enumerable ? "e" : "") + (d.configurable ? "c" : "");
        if (k === "stack") return `stack:${flags}:${typeof d.value}`;
        return "get" in d ? `${k}:accessor` : `${k}:${flags}=${show(d.value)}`;
      }).join(" ");
    let body;
    if (taName(v) !== undefined) {
      body = `${taName(v)} off=${v.byteOffset} len=${v.length} buf=${show(v.buffer)} [${Array.from(v, String).join(",")}]`;
    } else if (v instanceof DataView || tag === "[object DataView]") {
      body = `DataView off=${v.byteOffset} len=${v.byteLength} buf=${show(v.buffer)}`;
    } else if (tag === "[object ArrayBuffer]") {
      body = `ArrayBuffer len=${v.byteLength} [${Array.from(new Uint8Array(v).slice(0, 16)).join(",")}]`;
    } else if (tag === "[object Map]") {
      body = `Map {${Array.from(v, ([k, x]) => `${show(k)} => ${show(x)}`).join(", ")}}`;
    } else if (tag === "[object Set]") {
      body = `Set {${Array.from(v, show).join(", ")}}`;
    } else if (tag === "[object Date]") {
      body = `Date ${v.getTime()}`;
    } else if (tag === "[object RegExp]") {
      body = `RegExp ${String(v)} lastIndex=${v.lastIndex}`;
    } else if (tag === "[object Error]") {
      body = `Error name=${v.name} {${own()}}`;
    } else if (["[object Boolean]", "[object Number]", "[object String]", "[object BigInt]"].includes(tag)) {
      body = `${tag.slice(8, -1)}(${show(v.valueOf())}) {${own()}}`;
    } else if (Array.isArray(v)) {
      const items = [];
      let holes = 0;
      for (let i = 0; i <= v.length; i++) {
        if (i < v.length && !(i in v)) { holes++; continue; }
        if (holes > 0) items.push(`<${holes} holes>`);
        holes = 0;
        if (i < v.length) items.push(show(v[i]));
      }
      body = `Array(${v.length}) [${items.join(", ")}] {${own()}}`;
    } else {
      body = `{${own()}}`;
    }
    return `#${id}<${protoName(v)}> ${body}`;
  };
  return show;
};
const print = (label, value) => console.log(`${label}: ${printer()(value)}`);
const attempt = (label, f) => {
  try {
    print(label, f());
  } catch (e) {
    console.log(`${label}: threw ${e.constructor.name} ${e.name} ${e.code} ${e instanceof DOMException} ${JSON.stringify(e.message)}`);
  }
};
"""

PRIMITIVES = r"""
for (const [label, v] of [
  ["undefined", undefined], ["null", null], ["true", true], ["zero", 0], ["negative zero", -0], ["NaN", NaN],
  ["Infinity", -Infinity], ["float", 1.5e-300], ["bigint", 2n ** 100n], ["negative bigint", -7n], ["string", "héllo €𝄞"],
  ["empty string", ""], ["lone surrogate", "a\ud800b"],
]) {
  const c = structuredClone(v);
  console.log(`${label}: ${printer()(c)} same=${Object.is(c, v)}`);
}
const wrappers = [Object(true), Object(false), new Number(-0), new Number(NaN), new String("ab"), Object(12n)];
wrappers[4].extra = 1; // not cloned
for (const w of wrappers) {
  const c = structuredClone(w);
  print(`wrapper ${typeof w.valueOf()}`, c);
  console.log(`  new object: ${c !== w}`);
}
print("dates", structuredClone([new Date(0), new Date(-8.64e15), new Date(NaN), new Date(1700000000123)]));
class MyDate extends Date {}
print("Date subclass", structuredClone(new MyDate(5)));
const r = /a+(?<x>b)?/dgimsuy;
r.lastIndex = 3;
r.extra = "dropped";
const rc = structuredClone(r);
print("regexp", rc);
console.log(`  flags=${rc.flags} source=${rc.source} new=${rc !== r}`);
print("regexps", structuredClone([/x/, /[/]\//g, new RegExp("\n", "m"), /\p{L}/v, new RegExp("")]));
class MyRegExp extends RegExp {}
print("RegExp subclass", structuredClone(new MyRegExp("q", "i")));
"""

BUFFERS = r"""
const bytes = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]);
const ab = bytes.buffer;
const abc = structuredClone(ab);
print("ArrayBuffer", abc);
new Uint8Array(abc)[0] = 99;
console.log(`  a copy: ${abc !== ab} ${bytes[0]}`);
print("empty ArrayBuffer", structuredClone(new ArrayBuffer(0)));
for (const C of [Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array,
  Float32Array, Float64Array, BigInt64Array, BigUint64Array]) {
  const big = C.name.startsWith("Big");
  const a = new C(4).map((_, i) => (big ? BigInt(i * 3 - 4) : i * 37.5 - 40));
  print(C.name, structuredClone(a));
  print(`${C.name} on an offset`, structuredClone(new C(ab, 8, 1)));
}
// views of one buffer share one copy of it; the buffer itself when it is in the value too
const views = { u8: new Uint8Array(ab, 1, 4), i32: new Int32Array(ab, 4, 2), dv: new DataView(ab, 2, 6), buffer: ab, sub: bytes.subarray(10) };
const vc = structuredClone(views);
print("views of one buffer", vc);
console.log(`  shared: ${vc.u8.buffer === vc.i32.buffer} ${vc.dv.buffer === vc.buffer} ${vc.sub.buffer === vc.buffer} ${vc.buffer !== ab}`);
print("DataView", structuredClone(new DataView(new ArrayBuffer(3))));
const u = new Uint8Array(2);
u.extra = 1; // not cloned
class MyBytes extends Uint8Array {}
print("typed array with a property, subclass", structuredClone([u, new MyBytes(2)]));
print("a typed array's buffer, bigger than the view", structuredClone(new Uint16Array(new ArrayBuffer(64), 32, 2)));
// transfer: the source detached, the copy has its bytes, views follow it
{
  const b = new ArrayBuffer(8);
  new Uint8Array(b).set([7, 6, 5, 4, 3, 2, 1, 0]);
  const view = new Uint16Array(b, 2, 2);
  const c = structuredClone({ b, view, again: b }, { transfer: [b] });
  print("transferred", c);
  console.log(`  source: ${b.byteLength} ${view.length} ${c.view.buffer === c.b} ${c.again === c.b}`);
}
{
  // views of a transferred buffer as Map keys and values, Set members, a cause, the value itself
  const b = new ArrayBuffer(8);
  new Uint8Array(b).set([1, 2, 3, 4, 5, 6, 7, 8]);
  const u = new Uint8Array(b, 2, 3), d = new DataView(b, 1, 2);
  const value = { m: new Map([[u, d], ["k", b], [d, 1]]), s: new Set([1, u, b, 2]), e: new Error("x", { cause: u }), list: [u, d, b] };
  print("transferred, everywhere", structuredClone(value, { transfer: [b] }));
  print("a view of a transferred buffer", structuredClone(new Uint16Array(new ArrayBuffer(4), 2, 1), { transfer: [] }));
  const alone = new ArrayBuffer(4);
  print("only a view of the transferred buffer", structuredClone(new Uint16Array(alone, 2, 1), { transfer: [alone] }));
  console.log(`  ${alone.byteLength}`);
}
{
  const a = new ArrayBuffer(1), b = new ArrayBuffer(2), unused = new ArrayBuffer(3);
  const c = structuredClone([b, a], { transfer: new Set([a, unused, b]) });
  print("transfer list order, a buffer not in the value", c);
  console.log(`  sources: ${a.byteLength} ${b.byteLength} ${unused.byteLength}`);
  print("transferred alone", structuredClone(new ArrayBuffer(2), { transfer: [] }));
}
{
  const b = new ArrayBuffer(4);
  const c = structuredClone(b, { transfer: [b] });
  print("the transferred buffer itself", c);
  console.log(`  ${b.byteLength} ${c !== b}`);
}
{
  // a WebAssembly.Memory's buffer cannot be detached: copied
  const m = new WebAssembly.Memory({ initial: 1 });
  new Uint8Array(m.buffer)[5] = 3;
  const b = m.buffer;
  const c = structuredClone(b, { transfer: [b] });
  console.log(`memory buffer: ${b.byteLength} ${m.buffer === b} ${c.byteLength} ${new Uint8Array(c)[5]} ${c !== b}`);
  const copy = structuredClone(m.buffer);
  console.log(`memory buffer copy: ${copy.byteLength} ${new Uint8Array(copy)[5]}`);
}
"""

OBJECTS = r"""
let reads = 0;
const source = {
  b: 1, 2: "two", a: [1, , 3], 1: "one", [Symbol("s")]: "symbol keys are not cloned",
  get g() { reads++; return { fresh: reads }; },
  nested: { deep: { deeper: [new Map([[1, { x: 1 }]])] } },
};
Object.defineProperty(source, "hidden", { value: "not enumerable", enumerable: false });
const copy = structuredClone(source);
print("object", copy);
console.log(`  getter ran ${reads} time(s); new: ${copy !== source} ${copy.nested !== source.nested}`);
print("frozen and sealed", structuredClone([Object.freeze({ a: 1 }), Object.seal({ b: [2] }), Object.preventExtensions({ c: 3 })]));
class Point {
  #secret = 42;
  constructor() { this.x = 1; this.y = 2; }
  get norm() { return Math.hypot(this.x, this.y); }
  method() { return this.#secret; }
}
print("class instance (prototype dropped, private fields not cloned)", structuredClone(new Point()));
print("null prototype", structuredClone(Object.assign(Object.create(null), { a: 1, b: { c: 2 } })));
print("prototype objects", structuredClone([Object.prototype, Array.prototype, Map.prototype, RegExp.prototype, Date.prototype, Error.prototype]));
print("__proto__ as a key", structuredClone(JSON.parse('{"__proto__": {"polluted": true}, "toString": 1, "constructor": 2}')));
console.log(`  ${({}).polluted}`);
const arr = [1, , 3, undefined];
arr.length = 6;
arr.extra = "prop";
arr[-1] = "minus one";
print("array: holes, length, properties", structuredClone(arr));
const sparse = [];
sparse[1000000] = "far";
sparse.p = 1;
print("sparse array", structuredClone(sparse));
class List extends Array {}
print("Array subclass", structuredClone(List.from([1, 2])));
print("nested arrays", structuredClone([[], [[]], [1, [2, [3, [4]]]]]));
// a getter that deletes a later property, adds one, changes one's enumerability
const mutating = {
  get first() { delete this.second; this.added = 1; Object.defineProperty(this, "third", { enumerable: false }); return "f"; },
  second: 2, third: 3,
};
print("properties changed by a getter", structuredClone(mutating));
const shrinking = [1, 2, 3];
Object.defineProperty(shrinking, 0, { get() { shrinking.length = 1; return "g"; }, enumerable: true });
print("array shrunk by a getter", structuredClone(shrinking));
// Map and Set: order, keys of every kind, entries added during the clone are left out
const m = new Map([[NaN, "nan"], [-0, "zero"], ["k", 1], [{ o: 1 }, [2]], [1n, new Set([1, "1", 1n])]]);
m.extra = 1;
print("Map", structuredClone(m));
const growing = new Map();
growing.set("a", { get g() { growing.set("late", 1); growing.delete("b"); return 1; } });
growing.set("b", 2);
print("Map changed while cloned", structuredClone(growing));
const s = new Set([3, 1, 2, { s: 1 }]);
print("Set", structuredClone(s));
class MyMap extends Map {}
print("Map subclass", structuredClone(new MyMap([[1, 2]])));
// cycles and shared references
const o = { name: "o" };
o.self = o;
o.list = [o, o];
o.map = new Map([[o, o]]);
o.set = new Set([o]);
o.shared = { n: 1 };
o.again = o.shared;
const oc = structuredClone(o);
print("cycles", oc);
console.log(`  ${oc.self === oc} ${oc.list[1] === oc} ${oc.map.get(oc) === oc} ${oc.set.has(oc)} ${oc.again === oc.shared} ${oc.shared !== o.shared}`);
const x = {};
const xs = structuredClone([x, [x], new Map([["x", x]]), { x }]);
print("one object four times", xs);
print("primitives around", structuredClone({ u: undefined, n: null, z: -0, big: 5n, s: "" }));
"""

ERRORS = r"""
const errors = [
  new Error("plain"), new EvalError("e"), new RangeError("r"), new ReferenceError("ref"), new SyntaxError("s"),
  new TypeError("t"), new URIError("u"), new Error(), new AggregateError([1, 2], "agg"),
  new WebAssembly.CompileError("wasm"),
];
for (const e of errors) {
  const c = structuredClone(e);
  print(`${e.name}`, c);
  console.log(`  stack kept: ${c.stack === e.stack} new: ${c !== e}`);
}
class HttpError extends TypeError {}
print("subclass: the name it inherits", structuredClone(new HttpError("404")));
class Named extends Error { constructor(m) { super(m); this.name = "Named"; this.status = 1; } }
print("subclass with its own name", structuredClone(new Named("n")));
const renamed = new Error("x");
renamed.name = "RangeError";
print("renamed to RangeError", structuredClone(renamed));
const objectName = new Error("x");
objectName.name = { toString: () => "URIError" };
print("name with toString", structuredClone(objectName));
const syntaxFoo = new SyntaxError("x");
syntaxFoo.name = "Foo";
print("SyntaxError named Foo", structuredClone(syntaxFoo));
const numeric = new Error("x");
numeric.message = 42;
print("message not a string", structuredClone(numeric));
const accessor = new Error("x");
Object.defineProperty(accessor, "message", { get: () => "from a getter" });
print("message from an accessor: left out", structuredClone(accessor));
const custom = new Error("x");
Object.defineProperty(custom, "stack", { value: "custom stack", writable: true, configurable: true });
console.log(`custom stack: ${structuredClone(custom).stack}`);
const numStack = new Error("x");
Object.defineProperty(numStack, "stack", { value: 5, writable: true, configurable: true });
print("stack not a string", structuredClone(numStack));
const noProto = new Error("x");
Object.setPrototypeOf(noProto, null);
print("error without a prototype", structuredClone(noProto));
const uri = new Error("x");
Object.setPrototypeOf(uri, URIError.prototype);
print("error with URIError's prototype", structuredClone(uri));
print("an object inheriting from Error.prototype", structuredClone(Object.create(Error.prototype)));
// cause: an own data property, cloned with the rest (shared references kept)
const shared = { k: 1 };
const withCause = new Error("outer", { cause: new TypeError("inner", { cause: shared }) });
const cc = structuredClone({ e: withCause, shared });
print("cause", cc);
console.log(`  ${cc.e.cause.cause === cc.shared}`);
print("cause undefined", structuredClone(new Error("x", { cause: undefined })));
const causeAccessor = new Error("x");
Object.defineProperty(causeAccessor, "cause", { get: () => 1 });
print("cause from an accessor: left out", structuredClone(causeAccessor));
try {
  structuredClone(new Error("x", { cause: () => 1 }));
} catch (e) {
  console.log(`function in cause: ${e.name} ${e.message}`);
}
"""

DATA_CLONE_ERRORS = r"""
import * as namespace from "./other.mjs";
function named() { return 1; }
class Klass {}
const bound = named.bind(null);
for (const [label, f] of [
  ["function", () => named], ["arrow", () => () => 1], ["class", () => Klass], ["anonymous function", () => [function () {}]],
  ["anonymous class", () => [class {}]], ["method", () => ({ m() { return 1; } }.m)], ["async", () => async function af() {}],
  ["generator function", () => function* g() {}], ["getter", () => Object.getOwnPropertyDescriptor({ get x() { return 1; } }, "x").get],
  ["built-in function", () => Math.max], ["bound function", () => bound], ["function deep inside", () => ({ a: [new Map([[1, { f: named }]])] })],
  ["symbol", () => Symbol("x")], ["symbol without description", () => Symbol()], ["registered symbol", () => Symbol.for("r")],
  ["symbol in an array", () => [1, Symbol.iterator]], ["Symbol wrapper", () => Object(Symbol("q"))],
  ["WeakMap", () => new WeakMap()], ["WeakSet", () => new WeakSet()], ["WeakRef", () => new WeakRef({})],
  ["FinalizationRegistry", () => new FinalizationRegistry(() => {})], ["Promise", () => Promise.resolve(1)],
  ["Promise subclass", () => { class Later extends Promise {} return Later.resolve(1); }],
  ["generator", () => (function* () {})()], ["WebAssembly.Memory", () => ({ memory: new WebAssembly.Memory({ initial: 1 }) })],
  ["WebAssembly.Global", () => new WebAssembly.Global({ value: "i32" }, 1)], ["globalThis", () => globalThis],
  ["arguments", () => (function () { return arguments; })(1, 2)], ["module namespace", () => namespace],
]) attempt(label, () => structuredClone(f()));
// the iterators: refused (their messages differ: see test_the_standard_where_node_20_differs)
for (const [label, it] of [["Map iterator", new Map().entries()], ["Array iterator", [].values()], ["String iterator", ""[Symbol.iterator]()]]) {
  try { structuredClone(it); } catch (e) { console.log(`${label}: ${e.name} ${e.code} ${e instanceof DOMException}`); }
}
// errors thrown by the value's getters pass through unchanged, and nothing is transferred
const buffer = new ArrayBuffer(4);
attempt("getter throws", () => structuredClone({ b: buffer, get bad() { throw new RangeError("boom"); } }, { transfer: [buffer] }));
attempt("function after a transfer", () => structuredClone([buffer, () => 1], { transfer: [buffer] }));
console.log(`  buffer still attached: ${buffer.byteLength}`);
// arguments and options
attempt("no argument", () => structuredClone());
attempt("options null", () => structuredClone(1, null));
attempt("options a number", () => structuredClone(1, 5));
attempt("options a string", () => structuredClone(1, "x"));
attempt("transfer undefined", () => structuredClone(1, { transfer: undefined }));
attempt("transfer null", () => structuredClone(1, { transfer: null }));
attempt("transfer not iterable", () => structuredClone(1, { transfer: {} }));
attempt("transfer a number", () => structuredClone(1, { transfer: 5 }));
attempt("transfer a string", () => structuredClone(1, { transfer: "ab" }));
attempt("transfer of a number", () => structuredClone(1, { transfer: [1] }));
attempt("transfer of null", () => structuredClone(1, { transfer: [null] }));
attempt("transfer twice", () => structuredClone(1, { transfer: [buffer, buffer] }));
attempt("transfer twice and a function", () => structuredClone(() => 1, { transfer: [buffer, buffer] }));
const order = [];
structuredClone({ get v() { order.push("value"); return 1; } }, { get transfer() { order.push("transfer"); return { [Symbol.iterator]() { order.push("iterator"); return [][Symbol.iterator](); } }; } });
console.log(`read in order: ${order.join(", ")}`);
attempt("detached buffer", () => { const b = new ArrayBuffer(4); structuredClone(b, { transfer: [b] }); return structuredClone(b); });
attempt("view of a detached buffer", () => { const b = new ArrayBuffer(4); const v = new Uint8Array(b); structuredClone(b, { transfer: [b] }); return structuredClone({ v }); });
try { new structuredClone(1); } catch (e) { console.log(`not a constructor: ${e.name}`); }
console.log(`name: ${structuredClone.name} ${typeof structuredClone.prototype}`);
"""

# A seeded generator: the same nested values (shared references and cycles included) in both.
GENERATED = r"""
let seed = 12345;
const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
const pick = (list) => list[Math.floor(random() * list.length)];
const made = [];
const make = (depth) => {
  const r = random();
  if (made.length > 0 && r < 0.12) return pick(made); // something made before: shared, or a cycle
  if (depth > 4 || (depth > 0 && r < 0.35)) {
    return pick([0, -0, 1.5, NaN, -1e21, 2n ** 70n, "", "s", "\u00e9\ud83d\ude00", true, false, null, undefined]);
  }
  let v;
  switch (Math.floor(random() * (depth === 0 ? 4 : 11))) {
    case 0: v = []; break;
    case 1: v = {}; break;
    case 2: v = new Map(); break;
    case 3: v = new Set(); break;
    case 4: return new Date(Math.floor(random() * 1e12));
    case 5: return new RegExp(pick(["a", "b+", "[c]"]), pick(["", "g", "gi", "y"]));
    case 6: return random() < 0.5 ? new (pick([Int8Array, Uint16Array, Float64Array]))([1, -2, 3.5]) : new BigInt64Array([1n, -2n]);
    case 7: return new (pick([Error, TypeError, RangeError]))(`m${made.length}`);
    case 8: return Object(pick([1, "w", false, 3n]));
    case 9: v = []; v.length = 3; break;
    default: v = Object.create(null);
  }
  made.push(v);
  const n = Math.floor(random() * 5);
  for (let i = 0; i < n; i++) {
    const child = make(depth + 1);
    if (v instanceof Map) v.set(random() < 0.5 ? `k${i}` : make(depth + 1), child);
    else if (v instanceof Set) v.add(child);
    else if (Array.isArray(v)) v[Math.floor(random() * 5)] = child;
    else v[pick(["a", "b", "c", "1", "0", "long key"])] = child;
  }
  return v;
};
for (let i = 0; i < 150; i++) {
  made.length = 0;
  const v = make(0);
  let out;
  try {
    out = printer()(structuredClone(v));
  } catch (e) {
    out = `threw ${e.name}`;
  }
  console.log(`${i}: ${out}`);
}
"""

PROGRAMS = {
    "primitives": PRIMITIVES,
    "buffers": BUFFERS,
    "objects": OBJECTS,
    "errors": ERRORS,
    "data-clone-errors": DATA_CLONE_ERRORS,
    "generated": GENERATED,
}


def _program(body: str) -> str:
    """The printer first; a static import (the namespace case) must come before it."""
    imports = [line for line in body.splitlines() if line.startswith("import ")]
    rest = [line for line in body.splitlines() if not line.startswith("import ")]
    return "\n".join([*imports, PRINTER, *rest]) + "\n"


@needs_node
@pytest.mark.parametrize("name", list(PROGRAMS))
def test_same_output_as_node(project, name):
    project.write("other.mjs", "export const a = 1;\nexport default function f() {}\n")
    project.same_as_node(_program(PROGRAMS[name]))


def _run(project, body: str) -> list:
    project.write("app.mjs", _program(body))
    r = project.exec(project.root / "app.mjs")
    assert r.code == 0, r.err
    return [json.loads(line) for line in r.out.splitlines()]


def test_the_standard_where_node_20_differs(project):
    """The HTML Standard's answers where Node 20 gives others: an object in the transfer list that
    is not an ArrayBuffer (a typed array, a SharedArrayBuffer, an immutable buffer), or one already
    detached, is a DataCloneError (Node 20: a TypeError, or no error); a SharedArrayBuffer is not
    cloned (one agent: nothing to share it with); a DOMException is cloned as one (Node 22 does);
    an error's cause may refer back to the error (Node 20 cannot deserialize that); the length of
    structuredClone is 1, as WebIDL gives it. A WebAssembly.Module is refused (Node clones it)."""
    rows = _run(
        project,
        r"""
const show = (x) => console.log(JSON.stringify(x));
const outcome = (f) => { try { f(); return "ok"; } catch (e) { return [e.name, e.code, e instanceof DOMException, e.message]; } };
const b = new ArrayBuffer(4);
show(outcome(() => structuredClone(1, { transfer: [new Uint8Array(b)] })));
show(outcome(() => structuredClone(1, { transfer: [{}] })));
show(outcome(() => structuredClone(1, { transfer: [new SharedArrayBuffer(4)] })));
show(outcome(() => structuredClone(1, { transfer: [new ArrayBuffer(4).transferToImmutable()] })));
const gone = new ArrayBuffer(4);
gone.transfer();
const kept = new ArrayBuffer(2);
show(outcome(() => structuredClone(1, { transfer: [kept, gone] })));
show([kept.byteLength, kept.detached]);
show(outcome(() => structuredClone({ s: new SharedArrayBuffer(4) })));
show(outcome(() => structuredClone(new WebAssembly.Module(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0])))));
const d = new DOMException("it broke", "DataCloneError");
const dc = structuredClone({ d }).d;
show([dc instanceof DOMException, dc !== d, dc.name, dc.message, dc.code, dc.stack === d.stack]);
const plain = structuredClone(new DOMException("m"));
show([plain.name, plain.code, plain.message]);
const e = new Error("loop");
e.cause = e;
const ec = structuredClone(e);
show([ec.cause === ec, ec !== e]);
show([structuredClone.length, outcome(() => structuredClone(new Map().entries()))]);
""",
    )
    assert rows == [
        ["DataCloneError", 25, True, "Found invalid object in transferList"],
        ["DataCloneError", 25, True, "Found invalid object in transferList"],
        ["DataCloneError", 25, True, "Found invalid object in transferList"],
        ["DataCloneError", 25, True, "Found invalid object in transferList"],
        ["DataCloneError", 25, True, "ArrayBuffer at index 1 is already detached."],
        [2, False],
        ["DataCloneError", 25, True, "#<SharedArrayBuffer> could not be cloned."],
        ["DataCloneError", 25, True, "#<Module> could not be cloned."],
        [True, True, "DataCloneError", "it broke", 25, True],
        ["Error", 0, "m"],
        [True, True],
        [1, ["DataCloneError", 25, True, "[object Map Iterator] could not be cloned."]],
    ]


def test_values_node_20_does_not_have(project):
    """Resizable buffers keep their maximum; a view of one keeps a fixed length or tracks the
    buffer's, as it did (told by resizing the source and putting it back); a view out of its
    buffer's bounds is a DataCloneError; a resizable buffer transferred stays resizable; an
    immutable buffer is copied as an immutable one; Float16Array."""
    rows = _run(
        project,
        r"""
const show = (x) => console.log(JSON.stringify(x));
const r = new ArrayBuffer(8, { maxByteLength: 16 });
new Uint8Array(r).set([1, 2, 3, 4, 5, 6, 7, 8]);
const v = { r, tracking: new Uint16Array(r), fixed: new Uint16Array(r, 0, 4), inner: new Uint16Array(r, 2, 2),
  dv: new DataView(r), dvFixed: new DataView(r, 0, 8), odd: new Uint8Array(r, 3) };
const c = structuredClone(v);
show([c.r.resizable, c.r.maxByteLength, c.r.byteLength, Array.from(new Uint8Array(c.r)), r.byteLength, Array.from(new Uint8Array(r))]);
c.r.resize(12);
show([c.tracking.length, c.fixed.length, c.inner.length, c.dv.byteLength, c.dvFixed.byteLength, c.odd.length, c.tracking.buffer === c.r]);
// a buffer at its maximum: told by shrinking it (and putting its bytes back)
const full = new ArrayBuffer(8, { maxByteLength: 8 });
new Uint8Array(full).set([9, 8, 7, 6, 5, 4, 3, 2]);
const fv = { t: new Uint32Array(full), f: new Uint32Array(full, 0, 2), one: new Uint32Array(full, 4, 1),
  oneTracking: new Uint32Array(full, 4), d: new DataView(full, 4), dFixed: new DataView(full, 4, 4) };
const fc = structuredClone(fv);
show([Array.from(new Uint8Array(full)), full.byteLength, Array.from(new Uint8Array(fc.t.buffer))]);
fc.t.buffer.resize(4);
const size = (view) => { try { return view.byteLength; } catch { return "out of bounds"; } };
show([fc.t.length, fc.f.length, fc.one.length, fc.oneTracking.length, size(fc.d), size(fc.dFixed)]);
const o = new ArrayBuffer(8, { maxByteLength: 16 });
const outside = new Uint8Array(o, 4, 4);
o.resize(2);
try { structuredClone(outside); } catch (e) { show([e.name, e.message]); }
const t = new ArrayBuffer(4, { maxByteLength: 8 });
const tv = new Uint8Array(t);
tv[0] = 42;
const tc = structuredClone({ t, tv }, { transfer: [t] });
tc.t.resize(8);
show([t.detached, tc.t.resizable, tc.t.maxByteLength, tc.tv.buffer === tc.t, tc.tv[0], tc.tv.length]);
const im = new ArrayBuffer(4).transferToImmutable();
const ic = structuredClone(im);
show([ic.immutable, ic.byteLength, ic !== im]);
const f = structuredClone(new Float16Array([1.5, -2, 65504]));
show([f.constructor.name, Array.from(f)]);
""",
    )
    assert rows == [
        [True, 16, 8, [1, 2, 3, 4, 5, 6, 7, 8], 8, [1, 2, 3, 4, 5, 6, 7, 8]],
        [6, 4, 2, 12, 8, 9, True],
        [[9, 8, 7, 6, 5, 4, 3, 2], 8, [9, 8, 7, 6, 5, 4, 3, 2]],
        [1, 0, 0, 0, 0, "out of bounds"],
        ["DataCloneError", "An ArrayBufferView is out of bounds and could not be cloned."],
        [True, True, 8, True, 42, 8],
        [True, 4, True],
        ["Float16Array", [1.5, -2, 65504]],
    ]


def test_replaced_builtins_do_not_change_cloning(project):
    """web/structured_clone.js takes the built-ins it uses when it first runs (the engine
    evaluates it when a program first reads structuredClone): a program that replaces them
    afterwards (Map, Set, their methods, Object.keys, the typed arrays' getters, Array's
    iterator, DOMException) clones the same; a frozen Object.prototype and a `__proto__` key
    do not get in the way of the copy's properties."""
    rows = _run(
        project,
        r"""
const show = (x) => console.log(JSON.stringify(x));
structuredClone(0);
const b = new ArrayBuffer(4);
const value = { m: new Map([[1, { s: new Set(["x"]) }]]), a: [1, , 2], r: /x/g, u: new Uint16Array(b), b };
// an iterable of its own: WebIDL reads the transfer list through the iterator protocol
const transfer = { [Symbol.iterator]() { let done = false; return { next: () => (done ? { done } : ((done = true), { value: b, done: false })) }; } };
const fn = () => 1;
const weak = new WeakMap();
const owners = [WeakMap.prototype, Map.prototype, Map.prototype, Map.prototype, Set.prototype, Object, Object, Array, Reflect, Array.prototype,
  Uint8Array.prototype, Object.getPrototypeOf(Uint8Array.prototype), RegExp.prototype, ArrayBuffer.prototype, globalThis,
  globalThis, Function.prototype, Object.getPrototypeOf([][Symbol.iterator]())];
const keys = ["has", "set", "get", "forEach", "add", "keys", "hasOwn", "isArray", "getPrototypeOf", Symbol.iterator, "set", "set",
  "exec", "transfer", "Map", "DOMException", "call", "next"];
const saved = owners.map((owner, i) => Object.getOwnPropertyDescriptor(owner, keys[i]));
const typedLength = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Uint8Array.prototype), "length");
for (let i = 0; i < owners.length; i++)
  Object.defineProperty(owners[i], keys[i], { value: () => { throw new Error("replaced"); }, configurable: true, writable: true });
Object.defineProperty(Object.getPrototypeOf(Uint8Array.prototype), "length", { get: () => 1e9, configurable: true });
let result;
try {
  const c = structuredClone(value, { transfer });
  let error;
  try { structuredClone(fn); } catch (e) { error = [e.name, e.code]; }
  try { structuredClone(weak); } catch (e) { error.push(e.message); }
  result = [c.m.size, c.a.length, 1 in c.a, c.u.byteLength, c.u.buffer === c.b, b.byteLength, error, c];
} catch (e) {
  result = e;
}
for (let i = owners.length - 1; i >= 0; i--) {
  if (saved[i]) Object.defineProperty(owners[i], keys[i], saved[i]);
  else delete owners[i][keys[i]];
}
Object.defineProperty(Object.getPrototypeOf(Uint8Array.prototype), "length", typedLength);
if (result instanceof Error) throw result;
const c = result.pop();
show([...result, c.m.get(1).s.has("x"), String(c.r)]);
Object.freeze(Object.prototype);
Object.freeze(Array.prototype);
const f = structuredClone(JSON.parse('{"__proto__": {"x": 1}, "toString": 1, "valueOf": [2], "constructor": 3}'));
show([Object.getPrototypeOf(f) === Object.prototype, Object.keys(f), f.toString, f.valueOf, f.x]);
""",
    )
    assert rows == [
        [1, 3, False, 4, True, 0, ["DataCloneError", 25, "#<WeakMap> could not be cloned."], True, "/x/g"],
        [True, ["__proto__", "toString", "valueOf", "constructor"], 1, [2], None],
    ]


def test_deep_values_and_many_objects(project):
    """The walk is recursive, as V8's serializer is: 3000 levels of nesting clone (Node 20 stops
    before 2000 objects), far deeper ones are a RangeError, not a crash; a wide value clones
    whole, with its shared references."""
    rows = _run(
        project,
        r"""
const show = (x) => console.log(JSON.stringify(x));
let deep = {};
for (let i = 0; i < 3000; i++) deep = { deep };
let depth = 0;
for (let c = structuredClone(deep); c.deep; c = c.deep) depth++;
let deeper = [];
for (let i = 0; i < 20000; i++) deeper = [deeper];
let error;
try { structuredClone(deeper); } catch (e) { error = e.name; }
const shared = { s: 1 };
const wide = Array.from({ length: 20000 }, (_, i) => ({ i, shared, tags: [i, String(i)] }));
const w = structuredClone(wide);
show([depth, error, w.length, w[19999].i, w[19999].tags[1], w[0].shared === w[19999].shared, w[0].shared !== shared]);
""",
    )
    assert rows == [[3000, "RangeError", 20000, 19999, "19999", True, True]]
