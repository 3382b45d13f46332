import { go } from "./w.wasm";
export function hello(n) { console.log("hello from a hoisted function", n); }
go();
