import * as cb from "./cb.wasm";
console.log(cb.go());
console.log(cb.down(20));
try { cb.oops(); } catch (e) { console.log(e.constructor.name, e.message); }
console.log(cb.down(2));
