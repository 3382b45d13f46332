from .lazy_bindings import install

# Before anything here imports wasmtime: its C bindings are then defined as they are used
# (lazy_bindings.py), which takes ~15 ms off every start.
install()
