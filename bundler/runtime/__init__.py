"""edgebox-exec: verify a bundle, prelink it in one wasmtime Store, run it."""
