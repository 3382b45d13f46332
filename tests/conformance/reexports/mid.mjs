export * from "./lib.wasm";
export { inc as increment } from "./lib.wasm";
export * as ns from "./lib.wasm";
