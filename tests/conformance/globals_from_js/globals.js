const i32_value = 42;
export { i32_value as "🚀i32_value" };
export const i64_value = 9223372036854775807n;
export const f64_value = 3.141592653589793;
export const i32_mut_value = new WebAssembly.Global({ value: "i32", mutable: true }, 100);
export const externref_value = { hello: "world" };
export const externref_mut_value = new WebAssembly.Global({ value: "externref", mutable: true }, { mutable: "global" });
export const null_externref_value = null;
export function log(x) { console.log("log", x); }
