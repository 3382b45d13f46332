import * as w from "./lib.wasm";
const call = (f, ...a) => { try { return f(...a); } catch (e) { return e.constructor.name; } };
console.log(call(w.i32, 2 ** 31), call(w.i32, -1.9), call(w.i32, "42"), call(w.i32, NaN), call(w.i32), call(w.i32, 1n));
console.log(call(w.i64, 5n), call(w.i64, 5), call(w.i64, 2n ** 64n + 1n), call(w.i64, "12"), call(w.i64, true));
console.log(call(w.f32, 0.1), call(w.f32, -0), call(w.f64, -0), call(w.f64, NaN), call(w.f64, "1e3"), call(w.f32, 1e40));
console.log(Object.is(call(w.f64, -0), -0), call(w.f64, { valueOf() { return 2.5; } }), call(w.f64, null), call(w.f64, []));
