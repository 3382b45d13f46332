(module
  (global (export "vec") v128 (v128.const i32x4 1 2 3 4))
  (global (export "n") i32 (i32.const 7))
  (global $c (export "counter") (mut i32) (i32.const 0))
  (func (export "set") (param i32) (global.set $c (local.get 0)))
  (table (export "tab") 1 funcref))
