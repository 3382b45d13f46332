// What AssemblyScript's runtime imports as "env". Strings in AssemblyScript memory are
// UTF-16 with their byte length in the 4 bytes before the pointer.
import { memory } from "./mod.wasm";

function asString(ptr) {
  if (!ptr) return "";
  const bytes = memory.getUint32(ptr - 4);
  const units = memory.read(ptr, bytes);
  let s = "";
  for (let i = 0; i + 1 < units.length; i += 2) s += String.fromCharCode(units[i] | (units[i + 1] << 8));
  return s;
}

export function abort(message, fileName, line, column) {
  throw new Error(`${asString(message)} (${asString(fileName)}:${line}:${column})`);
}

export function trace(message, n, a0, a1, a2, a3, a4) {
  console.log("trace:", asString(message), ...[a0, a1, a2, a3, a4].slice(0, n));
}
