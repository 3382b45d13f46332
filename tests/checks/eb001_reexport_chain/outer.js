export * from "./inner.js";
export * as inner from "./m.wasm";
