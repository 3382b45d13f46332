import * as lib from "./lib.wasm";
import { add as plus, next } from "./lib.wasm";
import triple from "./lib.wasm";
import { fromOther } from "./other.mjs";
console.log(lib.add(2, 3), plus(4, 5), triple(5), lib["kebab-name"]());
console.log(fromOther, next(), lib.next());
const again = await import("./lib.wasm");
console.log(again === lib, again.next(), typeof lib.add, Object.keys(lib).sort().join(","));
