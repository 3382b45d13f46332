(module (global (export "depI32") i32 (i32.const 1001)) (global (export "depMutI32") (mut i32) (i32.const 2001))
  (func (export "setDep") (param i32) (global.set 1 (local.get 0))))
