(module (memory (export "memory") 1) (data (i32.const 16) "hi") (func (export "poke") (i32.store8 (i32.const 16) (i32.const 72))))
