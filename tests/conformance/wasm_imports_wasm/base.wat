(module (func (export "sq") (param i32) (result i32) (i32.mul (local.get 0) (local.get 0))))
