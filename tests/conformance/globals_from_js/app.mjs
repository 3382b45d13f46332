// A wasm module that imports globals from a JS module (issue 11, point 3): numbers, a mutable
// WebAssembly.Global shared live in both directions, externref values, and a mutable global
// of another wasm module. Its stub instantiates it once globals.js has run. Node 20 gives
// exported globals as WebAssembly.Global objects, where the proposal unwraps them: expected.txt.
import * as g from "./g.wasm";
import * as dep from "./dep.wasm";
import { i32_mut_value } from "./globals.js";
console.log(g.importedI32, g.importedI64, g.importedF64, g.importedMutI32, g.importedExternref, g.importedMutExternref, g.importedNullExternref);
g.setImportedMutI32(555);
console.log(g.importedMutI32, i32_mut_value.value);
i32_mut_value.value = 7;
console.log(g.importedMutI32, g.localMutI32, g.depMutI32);
dep.setDep(3);
console.log(g.getDepMut(), g.depMutI32, WebAssembly.namespaceInstance?.(g).exports.importedMutI32.value);
