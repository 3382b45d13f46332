(module
  (import "./base.wasm" "sq" (func $sq (param i32) (result i32)))
  (func (export "sum_sq") (param i32 i32) (result i32) (i32.add (call $sq (local.get 0)) (call $sq (local.get 1)))))
