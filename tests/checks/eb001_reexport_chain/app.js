// A chain: app.js -> outer.js -> inner.js -> m.wasm
import { plus, times, nothing } from "./outer.js";
import * as ns from "./outer.js";
plus(1, 2, 3);
times(1n, 2);
ns.inner.add(1);
