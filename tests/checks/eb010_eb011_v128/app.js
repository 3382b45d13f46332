import * as m from "./m.wasm";
import { vec } from "./m.wasm";
m.vec();
vec(1);
const f = vec; // reading it is fine; calling it throws TypeError
