import * as m from "./m.wasm";
import { ad, sum } from "./m.wasm";
import { mull as times } from "./m.wasm";
m.ad(1, 2);
console.log(m.countr, m["kebab_name"]);
const d = await import("./m.wasm");
d.bigg(1n);
