// The WebAssembly JS API on bytes the program has while it runs (issue 11): compile,
// validate, instantiate with imports from JS and from another instance, and the objects an
// instance exports. The bytes come from lib.bytes.js (written by the test from lib.wat).
import libBytes from "./lib.bytes.js";
import otherBytes from "./other.bytes.js";

const W = WebAssembly;
console.log(W.validate(libBytes), W.validate(new Uint8Array([0, 97, 115, 109])), W.validate(libBytes.buffer));
const lib = await W.compile(libBytes);
console.log(lib instanceof W.Module, W.Module.imports(lib), W.Module.exports(lib));
console.log(W.Module.customSections(lib, "meta").map((b) => [b instanceof ArrayBuffer, new TextDecoder().decode(b)]));
console.log(W.Module.customSections(lib, "nothing"));

const logged = [];
const { module, instance } = await W.instantiate(libBytes, { env: { log: (x) => logged.push(x), base: 100 } });
console.log(module instanceof W.Module, instance instanceof W.Instance, Object.keys(instance.exports));
const e = instance.exports;
console.log(e.add(2, 3), e.add(-1, 0), logged);
console.log(e.counter instanceof W.Global, e.counter.value, e.memory instanceof W.Memory, e.memory.buffer.byteLength);
e.bump();
e.counter.value = e.counter.value * 2;
console.log(e.counter.value, +e.counter);
console.log(new TextDecoder().decode(new Uint8Array(e.memory.buffer, 0, 5)));

// a second instance linked to the first: its function, memory and global, and a JS function
const other = new W.Instance(await W.compile(otherBytes), {
  lib: { add: e.add, memory: e.memory, counter: e.counter },
  js: { twice: (n) => n * 2n },
});
console.log(e.counter.value); // its start function set the shared global
console.log(other.exports.add_and_count(20, 1), e.counter.value, logged);
new Uint8Array(e.memory.buffer)[100] = 77;
console.log(other.exports.peek(100), other.exports.wide(21n));
try {
  other.exports.boom();
} catch (err) {
  console.log(err instanceof W.RuntimeError);
}

// globals made in JS
const g = new W.Global({ value: "i32", mutable: true }, 7);
const big = new W.Global({ value: "i64" }, 5n);
const f = new W.Global({ value: "f64", mutable: true });
f.value = 2.25;
console.log(g.value, big.value, f.value, g instanceof W.Global);
try {
  big.value = 1n;
} catch (err) {
  console.log(err.constructor.name);
}

// errors: bytes that are not wasm, an import object that does not fit
for (const bad of [new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 9]), new Uint8Array(3)]) {
  await W.compile(bad).catch((err) => console.log("compile:", err.constructor.name, err instanceof W.CompileError));
}
for (const imports of [undefined, {}, { env: { log: 1, base: 1 } }, { env: { log() {}, base: "x" } }, { env: { log() {}, base: g } }]) {
  try {
    new W.Instance(lib, imports);
    console.log("instantiated");
  } catch (err) {
    console.log("instance:", err.constructor.name);
  }
}
try {
  new W.Instance({}, {});
} catch (err) {
  console.log(err.constructor.name);
}
