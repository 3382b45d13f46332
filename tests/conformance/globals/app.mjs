import { counter, big, bump } from "./lib.wasm";
console.log(counter, big);
bump();
console.log(counter);
