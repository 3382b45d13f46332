(module
  (memory 1)
  (func (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
  (func (export "unreachable") unreachable)
  (func (export "oob") (result i32) (i32.load (i32.const 100000)))
  (func (export "trunc") (param f64) (result i32) (i32.trunc_f64_s (local.get 0))))
