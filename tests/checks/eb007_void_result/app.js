import * as m from "./m.wasm";
import { log } from "./m.wasm";
m.log(1);
const r = m.log(2);
console.log(log(3));
void log(4);
if (log(5)) console.log("never");
