(module
  (memory (export "memory") 1 8)
  (data (i32.const 16) "hi")
  (func (export "poke") (i32.store8 (i32.const 16) (i32.const 72)))
  (func (export "load") (param i32) (result i32) (i32.load8_u (local.get 0)))
  (func (export "store32") (param i32 i32) (i32.store (local.get 0) (local.get 1)))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0))))
