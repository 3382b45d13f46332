(module (func (export "wasm-js:oops")))
