export { mul } from "./m.wasm";
export * from "./m.wasm";
