// Tables through the JS API (issue 11): a bundled module's exported table, one of a module
// instantiated at run time (get, set, grow, identity of the functions read from it), and
// tables and memories made in JS. t.bytes.js is written by the test from t.wat.
import * as t from "./t.wasm";
import bytes from "./t.bytes.js";

const W = WebAssembly;
console.log(t.table instanceof W.Table, t.table.length, t.call_at(1, 7), t.table.get(1)(6));
const { instance } = await W.instantiate(bytes);
const tab = instance.exports.table;
const d = tab.get(0);
const sq = tab.get(1);
console.log(tab.length, d(21), sq(5), tab.get(0) === d, tab.get(2));
tab.set(2, sq);
console.log(instance.exports.call_at(2, 9), tab.grow(2, d), tab.length, instance.exports.call_at(4, 4));
for (const bad of [() => tab.get(100), () => tab.set(0, () => 1), () => tab.grow(100)]) {
  try {
    bad();
  } catch (e) {
    console.log(e.constructor.name);
  }
}
const mem = new W.Memory({ initial: 1, maximum: 4 });
const before = mem.buffer;
new Uint8Array(before)[10] = 3;
console.log(mem instanceof W.Memory, before.byteLength, mem.grow(1), before.byteLength, mem.buffer.byteLength, new Uint8Array(mem.buffer)[10]);
const own = new W.Table({ element: "anyfunc", initial: 2 });
own.set(0, d);
console.log(own.length, own.get(0) === d, own.get(1));
// a table and a memory made in JS, imported by a module instantiated at run time (from the
// bytes of: (module (import "j" "m" (memory 1)) (import "j" "t" (table 2 funcref)) (export "t" (table 0))))
const user = new W.Instance(
  new W.Module(
    Uint8Array.of(0, 97, 115, 109, 1, 0, 0, 0, 2, 16, 2, 1, 106, 1, 109, 2, 0, 1, 1, 106, 1, 116, 1, 112, 0, 2, 7, 5, 1, 1, 116, 1, 0),
  ),
  { j: { m: mem, t: own } },
);
console.log(user.exports.t === own, Object.keys(user.exports));
