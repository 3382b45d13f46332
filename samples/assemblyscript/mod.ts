// An AssemblyScript module: built with `asc` from npm. Its compiler emits imports of
// env.abort (for assert/throw) and env.trace; edgebox.json maps "env" to ./env.js.
export function fib(n: i32): i64 {
  let a: i64 = 0, b: i64 = 1;
  for (let i = 0; i < n; i++) {
    const t = a + b;
    a = b;
    b = t;
  }
  return a;
}

export function checkedDiv(a: i32, b: i32): i32 {
  assert(b != 0, "division by zero");
  return a / b;
}

export function countVowels(ptr: usize, len: i32): i32 {
  let n = 0;
  for (let i = 0; i < len; i++) {
    const c = load<u8>(ptr + i) | 0x20;
    if (c == 97 || c == 101 || c == 105 || c == 111 || c == 117) n++;
  }
  return n;
}

export function scratch(): usize {
  return heap.alloc(256);
}

export function hello(n: i32): void {
  trace("hello from AssemblyScript", 1, <f64>n);
}
