// Names that shadow imports are not taken for them: no diagnostics here.
import * as m from "./m.wasm";
import { add, big } from "./m.wasm";
function f(m) { return m.add(1); }
function g({ add }) { return add(); }
const h = (big) => big(5);
{ const add = (x) => x; add(1n); }
try { } catch (m) { m.add("x"); }
for (const big of [Math.abs]) big(5);
class C { add(a) { return a; } run() { return this.add(1n); } }
const o = { add: () => 0 };
o.add(1n, 2, 3);
console.log(f, g, h, new C().run(), add(1, 2), big(3n));
