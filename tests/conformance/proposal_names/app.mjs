// The ESM-integration proposal's rules for names (issue 11, point 5): a v128 global export is a
// binding in its temporal dead zone (a ReferenceError when read), names starting "wasm:" or
// "wasm-js:" are link errors (an import() of such a module rejects with a LinkError), and
// WebAssembly.namespaceInstance gives the Instance behind a wasm namespace. Node 20 has none
// of these, so the output is pinned to the proposal's text (expected.txt).
import * as v from "./v.wasm";

try {
  console.log(v.vec);
} catch (e) {
  console.log("v128 global:", e.constructor.name);
}
console.log("other exports:", v.n, v.tab instanceof WebAssembly.Table);

for (const load of [() => import("./reserved_import.wasm"), () => import("./reserved_export.wasm")]) {
  try {
    await load();
    console.log("linked");
  } catch (e) {
    console.log("reserved name:", e.constructor.name, e instanceof WebAssembly.LinkError);
  }
}

const instance = WebAssembly.namespaceInstance(v);
console.log(instance instanceof WebAssembly.Instance, instance === WebAssembly.namespaceInstance(v));
v.set(41);
console.log(instance.exports.counter.value, instance.exports.n.value);
try {
  WebAssembly.namespaceInstance({});
} catch (e) {
  console.log("not a namespace:", e.constructor.name);
}
