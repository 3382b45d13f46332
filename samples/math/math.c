// The math sample's wasm module, built with: python -m ziglang cc -target wasm32-freestanding ...
// (samples/build.py does it). Plain C, no libc: every function is a wasm export.
#include <stdint.h>

#define EXPORT(name) __attribute__((export_name(name)))

EXPORT("add") int32_t add(int32_t a, int32_t b) { return a + b; }

EXPORT("multiply") int32_t multiply(int32_t a, int32_t b) { return a * b; }

EXPORT("fibonacci") int32_t fibonacci(int32_t n) {
    int32_t a = 0, b = 1;
    for (int32_t i = 0; i < n; i++) {
        int32_t t = a + b;
        a = b;
        b = t;
    }
    return a;
}

// i64 crosses as BigInt
EXPORT("mul_wide") int64_t mul_wide(int64_t a, int64_t b) { return a * b; }

// f64 crosses as Number
EXPORT("hypot") double hypot2(double x, double y) {
    return __builtin_sqrt(x * x + y * y);
}
