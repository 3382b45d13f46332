import { divmod, mixed } from "./lib.wasm";
const [q, r] = divmod(17, 5);
console.log(q, r, Array.isArray(divmod(1, 1)), mixed());
