// JS String Builtins (issue 11, point 5): a wasm module the program imports gets the
// functions of "wasm:js-string" (the ESM-integration proposal turns them on), and so does
// one compiled with { builtins: ["js-string"] }, with string constants from
// importedStringConstants. Node 20 has neither: expected.txt follows the proposal.
import * as s from "./strings.wasm";
import bytes from "./strings.bytes.js";

console.log(s.len("hello"), s.join("edge", "box"), s.is("x"), s.is(42), s.same("a", "a"), s.cut("abcdef", 1, 4));
try {
  s.len(5);
} catch (e) {
  console.log("not a string:", e.constructor.name);
}
const m = new WebAssembly.Module(bytes, { builtins: ["js-string"] });
console.log(WebAssembly.Module.imports(m).length, new WebAssembly.Instance(m, {}).exports.join("a", "b"));
