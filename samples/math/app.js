import * as math from "./math.wasm";
console.log("add(5, 3) =", math.add(5, 3));              // 8
console.log("multiply(4, 7) =", math.multiply(4, 7));    // 28
console.log("fibonacci(10) =", math.fibonacci(10));      // 55
console.log("mul_wide(2**31, 4n) =", math.mul_wide(2n ** 31n, 4n)); // 8589934592n
console.log("hypot(3, 4) =", math.hypot(3, 4));          // 5
const start = Date.now();
for (let i = 0; i < 100000; i++) math.add(i, i + 1);
console.log(`Benchmark: ${Date.now() - start}ms for 100k calls`);
