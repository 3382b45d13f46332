import * as m from "./m.wasm";
m.add(1);
m.big(5);
const v = m.log(m.add(1, 2.5));
