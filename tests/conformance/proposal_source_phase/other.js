import source lib from "./lib.wasm";
export const again = lib;
