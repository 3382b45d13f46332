import { cosine } from "./geometry.wasm";
import * as vec from "./vec.wasm";

console.log("cosine((1,0),(1,1)) =", cosine(1, 0, 1, 1).toFixed(6));
console.log("len2(3, 4) =", vec.len2(3, 4));
