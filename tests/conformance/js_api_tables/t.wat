(module
  (type $ii (func (param i32) (result i32)))
  (func $double (param i32) (result i32) (i32.mul (local.get 0) (i32.const 2)))
  (func $square (param i32) (result i32) (i32.mul (local.get 0) (local.get 0)))
  (table $t (export "table") 3 10 funcref)
  (elem (i32.const 0) func $double $square)
  (func (export "call_at") (param i32 i32) (result i32) (call_indirect (type $ii) (local.get 1) (local.get 0))))
