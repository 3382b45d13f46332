// externref crosses between JS and wasm as any JS value (issue 11): parameters, results,
// several results, a JS import, an externref table (get, set, grow), externref globals
// and tables made in JS. The same object comes back as the same object; null is null.
import * as r from "./r.wasm";
const obj = { name: "obj" };
console.log(r.keep(obj) === obj, r.get_last() === obj, r.refs.get(0) === obj, r.refs.get(1));
console.log(r.is_null(null), r.is_null(undefined), r.is_null(0), r.keep("text"), r.get_last(), r.keep(-0), Object.is(r.get_last(), -0));
console.log(r.pair(1, "b"));
r.refs.set(1, Symbol.for("s"));
console.log(r.refs.get(1), r.refs.grow(1, 5), r.refs.length, r.refs.get(2));
const g = new WebAssembly.Global({ value: "externref", mutable: true }, obj);
console.log(g.value === obj); g.value = 7; console.log(g.value);
const t = new WebAssembly.Table({ element: "externref", initial: 2 }, "init");
console.log(t.get(0), t.get(1), t.length);
