import * as t from "./lib.wasm";
const tries = [() => t.div(1, 0), () => t.div(-2147483648, -1), () => t.unreachable(), () => t.oob(), () => t.trunc(1e100)];
for (const f of tries) {
  try { f(); } catch (e) { console.log(e instanceof WebAssembly.RuntimeError, e.message); }
}
console.log("still working:", t.div(10, 2));
