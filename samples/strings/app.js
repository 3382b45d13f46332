// Strings through a wasm module's memory: memory.buffer is the module's memory itself.
import { memory, alloc, reset, title_case } from "./text.wasm";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function titleCase(text) {
  const room = text.length * 3; // the most UTF-8 bytes a UTF-16 string can need
  const at = alloc(room);
  const { written } = encoder.encodeInto(text, new Uint8Array(memory.buffer, at, room));
  const codepoints = title_case(at, written);
  const result = decoder.decode(new Uint8Array(memory.buffer, at, written));
  return { result, codepoints, bytes: written };
}

console.log(memory instanceof WebAssembly.Memory, memory.buffer.byteLength / 65536, "pages");
console.log(titleCase("héllo wörld from the sandbox 🌍"));

const before = new Uint8Array(memory.buffer);
const big = titleCase("grow ".repeat(40000)); // 200 KB: the allocator grows the memory
console.log("grown to", memory.buffer.byteLength / 65536, "pages; the view taken before is detached:", before.byteLength);
console.log(big.result.slice(0, 24), big.codepoints);
reset();

const id = crypto.randomUUID();
console.log("a v4 UUID from the host's random source:", /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(id));
