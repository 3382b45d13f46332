import * as m from "./m.wasm";
import { vec } from "./m.wasm";
m.vec();
vec(1);
const f = vec; // passing it around works; calling it from JS throws a TypeError
const g = m.vec;
