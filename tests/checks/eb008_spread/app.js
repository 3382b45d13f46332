import * as m from "./m.wasm";
const args = [1, 2];
m.add(...args);
m.big(...[1n]);
m.add(1, ...args);
