import { sum_sq } from "./user.wasm";
import { sq } from "./base.wasm";
console.log(sum_sq(3, 4), sq(12));
