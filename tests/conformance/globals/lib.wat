(module
  (global $c (export "counter") (mut i32) (i32.const 1))
  (global (export "big") i64 (i64.const 12345678901234))
  (func (export "bump") (global.set $c (i32.add (global.get $c) (i32.const 1)))))
