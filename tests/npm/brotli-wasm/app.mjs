// brotli-wasm: compress at the highest quality and back; bad input is an exception.
import * as brotli from "brotli-wasm";

const input = new TextEncoder().encode("Some text to compress, some text to compress, héllo 🌍. ".repeat(50));
const compressed = brotli.compress(input, { quality: 11 });
console.log("in", input.length, "out", compressed.length, Array.from(compressed.subarray(0, 8)).join(","));
const back = brotli.decompress(compressed);
console.log("round trip", back.length, new TextDecoder().decode(back.subarray(0, 40)));
try {
  brotli.decompress(new Uint8Array([1, 2, 3]));
} catch (e) {
  console.log("bad input:", String(e));
}
