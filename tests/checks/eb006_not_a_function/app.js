import * as m from "./m.wasm";
import { counter, memory } from "./m.wasm";
m.counter();
counter(1);
memory();
m.table();
m["limit"]();
