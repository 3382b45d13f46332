import * as cb from "./cb.wasm";
export function show(i, l, f, d) { console.log("show", i, l, f, d); return l * 2n; }
export function reenter(n) { return n > 0 ? cb.down(n - 1) + 1 : 0; }
export function fail(code) { throw new TypeError("from JS " + code); }
