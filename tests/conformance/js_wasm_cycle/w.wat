(module (import "./app.mjs" "hello" (func $h (param i32))) (func (export "go") (call $h (i32.const 42))))
