import { memory, poke } from "./lib.wasm";
poke();
let text;
try {
  text = String.fromCharCode(...new Uint8Array(memory.buffer, 16, 2));
} catch (e) {
  text = memory.readString(16, 2) + " (" + e.constructor.name + " on .buffer)";
}
console.log(text);
