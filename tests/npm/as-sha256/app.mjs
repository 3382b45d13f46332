// @chainsafe/as-sha256 ships an AssemblyScript-built sha256 (build/optimized.wasm). Its own
// loader compiles that at run time (WebAssembly.Module on embedded bytes), which EdgeBox does
// not do yet; here the shipped .wasm is imported directly, through ESM integration, and used as
// the loader uses it: input written into memory.buffer, output read from it.
import * as sha from "@chainsafe/as-sha256/build/optimized.wasm";

const value = (g) => (g instanceof WebAssembly.Global ? g.value : g); // Node 20 gives Global objects
const inputAt = value(sha.input);
const outputAt = value(sha.output);
const chunk = value(sha.INPUT_LENGTH);
const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");

function digest(data) {
  const input = new Uint8Array(sha.memory.buffer, inputAt, chunk);
  sha.init();
  for (let i = 0; i < data.length; i += chunk) {
    const part = data.subarray(i, i + chunk);
    input.set(part);
    sha.update(inputAt, part.length);
  }
  sha.final(outputAt);
  return new Uint8Array(sha.memory.buffer, outputAt, 32).slice();
}

const enc = new TextEncoder();
console.log("chunk", chunk);
console.log("empty", hex(digest(new Uint8Array(0))));
console.log("abc  ", hex(digest(enc.encode("abc"))));
console.log("long ", hex(digest(enc.encode("héllo wörld 🌍 ".repeat(500)))));
