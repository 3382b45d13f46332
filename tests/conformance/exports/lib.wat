(module
  (global $n (mut i32) (i32.const 0))
  (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)
  (func (export "next") (result i32) (global.set $n (i32.add (global.get $n) (i32.const 1))) (global.get $n))
  (func (export "kebab-name") (result i32) i32.const 7)
  (func (export "default") (param i32) (result i32) (i32.mul (local.get 0) (i32.const 3))))
