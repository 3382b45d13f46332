import * as m from "./m.wasm";
import { add as plus } from "./m.wasm";
import def from "./m.wasm";
m.add(1);
m.add(1, 2, 3, 4);
plus();
def(1, 2);
m.pair(1);
const d = await import("./m.wasm");
d.mul(
  1,
  2,
  3,
);
m.big();
