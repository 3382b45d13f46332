// lz4-wasm: compress(Uint8Array) and decompress, bytes in and out of wasm memory.
import * as lz4 from "lz4-wasm";

const input = new TextEncoder().encode("hello hello hello lz4 wasm héllo ".repeat(40));
const compressed = lz4.compress(input);
console.log("in", input.length, "compressed", compressed.length, compressed.constructor.name);
console.log("head", Array.from(compressed.subarray(0, 12)).join(","));
const back = lz4.decompress(compressed);
console.log("round trip", back.length, new TextDecoder().decode(back.subarray(0, 33)));
