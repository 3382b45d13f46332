// xxhash-wasm: a hand-written loader with its wasm embedded as base64, instantiated at run
// time (WebAssembly.instantiate), strings passed through the module's memory.
import xxhash from "xxhash-wasm";

const { h32, h64, h32ToString, h64ToString, h64Raw, create32, create64 } = await xxhash();
console.log(h32("hello world"), h32ToString("hello world"));
console.log(h64("hello world"), h64ToString("hello world"));
console.log(h64Raw(new TextEncoder().encode("abc"), 42n));
console.log(create64(7n).update("a").update("bc").digest(), create32(7).update("a").update("bc").digest());
