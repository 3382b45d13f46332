// Source-phase imports (issue 11, point 4): `import source` and `import.source()` give the
// module's one WebAssembly.Module, neither instantiated nor linked; JS instantiates it with
// the imports it chooses. Node 20 rejects the syntax: expected.txt follows the proposal.
import source lib from "./lib.wasm";
import { again } from "./other.js";

const dynamic = await import.source("./lib.wasm");
console.log(lib instanceof WebAssembly.Module, lib === dynamic, lib === again);
console.log(Object.getPrototypeOf(WebAssembly.Module).name, lib instanceof Object.getPrototypeOf(WebAssembly.Module));
console.log(WebAssembly.Module.imports(lib), WebAssembly.Module.exports(lib));
const seen = [];
const one = new WebAssembly.Instance(lib, { env: { log: (x) => seen.push(x) } });
const two = new WebAssembly.Instance(lib, { env: { log: (x) => seen.push(-x) } });
one.exports.report(one.exports.add(2, 3));
two.exports.report(two.exports.add(4, 5));
console.log(seen);
