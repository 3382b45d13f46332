;; A plugin the host program loads while it runs: it imports what the host gives it (a
;; logger, a value as an externref), exports a table of handlers and keeps a JS object.
(module
  (import "host" "log" (func $log (param externref i32)))
  (import "host" "greeting" (global $greeting externref))
  (type $handler (func (param i32) (result i32)))
  (table (export "handlers") 2 funcref)
  (elem (i32.const 0) func $double $square)
  (global $kept (export "kept") (mut externref) (ref.null extern))
  (func $double (param i32) (result i32) (i32.mul (local.get 0) (i32.const 2)))
  (func $square (param i32) (result i32) (i32.mul (local.get 0) (local.get 0)))
  (func (export "run") (param $which i32) (param $n i32) (result i32)
    (local $r i32)
    (local.set $r (call_indirect (type $handler) (local.get $n) (local.get $which)))
    (call $log (global.get $greeting) (local.get $r))
    (local.get $r))
  (func (export "keep") (param externref) (global.set $kept (local.get 0))))
