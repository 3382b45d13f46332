;; A small vector library; geometry.wasm imports its functions directly (wasm to wasm).
(module
  (func (export "dot2") (param f64 f64 f64 f64) (result f64)
    (f64.add (f64.mul (local.get 0) (local.get 2)) (f64.mul (local.get 1) (local.get 3))))
  (func (export "len2") (param f64 f64) (result f64)
    (f64.sqrt (f64.add (f64.mul (local.get 0) (local.get 0)) (f64.mul (local.get 1) (local.get 1)))))
  (global (export "calls") (mut i32) (i32.const 0)))
