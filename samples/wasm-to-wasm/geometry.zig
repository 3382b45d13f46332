// Imports two functions from ./vec.wasm (another instance, linked directly) and one
// from ./log.js (a JS function, called through a generated trampoline).
extern "./vec.wasm" fn dot2(ax: f64, ay: f64, bx: f64, by: f64) f64;
extern "./vec.wasm" fn len2(x: f64, y: f64) f64;
extern "./log.js" fn note(code: i32) void;

export fn cosine(ax: f64, ay: f64, bx: f64, by: f64) f64 {
    note(1);
    return dot2(ax, ay, bx, by) / (len2(ax, ay) * len2(bx, by));
}
