import * as as from "./mod.wasm";

console.log("fib(90) =", as.fib(90));
console.log("checkedDiv(84, 2) =", as.checkedDiv(84, 2));
as.hello(3);

const p = as.scratch();
const n = as.memory.writeString(p, "EdgeBox runs AssemblyScript");
console.log("vowels:", as.countVowels(p, n));

try {
  as.checkedDiv(1, 0);
} catch (e) {
  console.log("caught:", e.message);
}
