import { next } from "./lib.wasm";
export const fromOther = next();
