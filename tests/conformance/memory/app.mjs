import * as lib from "./lib.wasm";
const { memory } = lib;
console.log("instance", memory instanceof WebAssembly.Memory, Object.prototype.toString.call(memory));
lib.poke();
const buf = memory.buffer;
console.log("text", String.fromCharCode(...new Uint8Array(buf, 16, 2)), "same buffer", memory.buffer === buf);
const u8 = new Uint8Array(buf);
u8[100] = 200;
lib.store32(200, 0x01020304);
const dv = new DataView(buf);
console.log("js->wasm", lib.load(100), "wasm->js", dv.getUint32(200, true).toString(16), u8[200]);
console.log("grow from wasm", lib.grow(1), "old", buf.byteLength, u8.length, "new", memory.buffer.byteLength);
const view = new Uint8Array(memory.buffer);
console.log("grow from JS", memory.grow(2), "old view", view.length, "new", memory.buffer.byteLength);
new Uint8Array(memory.buffer)[3 * 65536 + 1] = 7;
console.log("new pages", lib.load(3 * 65536 + 1));
try {
  memory.grow(100);
} catch (e) {
  console.log("past the maximum", e.constructor.name, memory.buffer.byteLength);
}
// Bulk operations copy with memory.copy/memory.fill inside the engine: they must reach the
// module's memory wherever its window sits.
const bulk = new Uint8Array(memory.buffer);
bulk.set([1, 2, 3, 4], 300);
bulk.copyWithin(310, 300, 304);
bulk.fill(9, 320, 324);
const copied = bulk.slice(300, 324);
const written = new TextEncoder().encodeInto("héllo", bulk.subarray(400, 420));
const decoded = new TextDecoder().decode(new Uint8Array(memory.buffer, 400, written.written));
console.log("bulk", Array.from(copied).join(","), lib.load(313), lib.load(323), JSON.stringify(written), decoded);
console.log("buffer.slice", new Uint8Array(memory.buffer.slice(300, 304)).join(","), "from", Array.from(Uint8Array.from(bulk.subarray(310, 314))).join(","));
