// Every import path, used correctly: no diagnostics.
import * as m from "./m.wasm";
import { add, big as bigger } from "./m.wasm";
import def from "./m.wasm";
import { mul, scale } from "./lib.js";
import * as again from "./lib.js";
const ONE = 1n;
const x = m.add(1, 2) + add(-3, 4) + m["mul"](5, 6) + def(7) + mul(0x10, 2) + again.mul(3, 3);
const y = bigger(ONE) + m.big(-(2n ** 63n)) + m.big(2n ** 63n - 1n);
const z = scale(1.5, 2.5) + m.scale(-0, Infinity);
m.log(x);
const [a, b] = m.pair();
console.log(x, y, z, a, b, m.counter, m.limit, m["kebab-name"](1), typeof m.memory);
const d = await import("./m.wasm");
d.add(1, 2);
const { add: dynAdd } = await import("./m.wasm");
dynAdd(3, 4);
