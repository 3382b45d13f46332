(module
  (func (export "divmod") (param i32 i32) (result i32 i32)
    (i32.div_s (local.get 0) (local.get 1)) (i32.rem_s (local.get 0) (local.get 1)))
  (func (export "mixed") (result f64 i64 i32) (f64.const -0) (i64.const -1) (i32.const 7)))
