import * as stats from "./wasi_stats.wasm";

const values = [3.5, -1, 8.25, 2, 7, 4.75];
const p = stats.alloc(values.length);
values.forEach((v, i) => stats.memory.setFloat64(p + 8 * i, v));
console.log("median =", stats.median(p, values.length));
console.log("sorted in wasm memory:", values.map((_, i) => stats.memory.getFloat64(p + 8 * i)));
stats.release(p);
