(module
  (import "./host.mjs" "show" (func $show (param i32 i64 f32 f64) (result i64)))
  (import "./host.mjs" "reenter" (func $reenter (param i32) (result i32)))
  (import "./host.mjs" "fail" (func $fail (param i32)))
  (func (export "go") (result i64) (call $show (i32.const -3) (i64.const 21) (f32.const 0.5) (f64.const 1e300)))
  (func (export "down") (param i32) (result i32) (call $reenter (local.get 0)))
  (func (export "oops") (result i32) (call $fail (i32.const 9)) (i32.const 1)))
