(module (import "x" "wasm:oops" (func)))
