"use strict";
// The JS suite of bench/js_suite.py: one function per classic workload kind, each returning a
// checksum so that every runtime can be seen to have done the same work. Sized so that native
// QuickJS-NG spends roughly 30-100 ms in each. Plain script syntax (no import/export): the same
// text runs as an EdgeBox bundle, in the native quickjs-ng binding's eval, and in Node and Deno.

// A deterministic generator, so every runtime sorts and hashes the same data.
function lcg(seed) {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0);
}

const WORKLOADS = {
  recursion() {
    function fib(n) {
      return n < 2 ? n : fib(n - 1) + fib(n - 2);
    }
    function tak(x, y, z) {
      return y < x ? tak(tak(x - 1, y, z), tak(y - 1, z, x), tak(z - 1, x, y)) : z;
    }
    function depth(t) {
      return t === null ? 0 : 1 + Math.max(depth(t[0]), depth(t[1]));
    }
    function tree(d) {
      return d === 0 ? null : [tree(d - 1), tree(d - 1)];
    }
    return fib(25) + tak(18, 12, 6) + depth(tree(14));
  },

  property_access() {
    class Vec {
      constructor(x, y, z) {
        this.x = x;
        this.y = y;
        this.z = z;
      }
      add(o) {
        return new Vec(this.x + o.x, this.y + o.y, this.z + o.z);
      }
      dot(o) {
        return this.x * o.x + this.y * o.y + this.z * o.z;
      }
    }
    const pts = [];
    for (let i = 0; i < 64; i++) pts.push({ x: i, y: i * 2, z: i * 3, w: { v: i } });
    let acc = new Vec(0, 0, 0);
    let s = 0;
    for (let r = 0; r < 2500; r++) {
      for (let i = 0; i < pts.length; i++) {
        const p = pts[i];
        s += p.x + p.y - p.z + p.w.v;
        p.x = (p.x + 1) & 1023;
      }
      acc = acc.add(new Vec(r & 7, r & 3, 1));
      s += acc.dot(acc) & 0xff;
    }
    return s;
  },

  closures() {
    function counter(step) {
      let n = 0;
      return { inc: () => (n += step), get: () => n };
    }
    const compose = (f, g) => (x) => f(g(x));
    const add1 = (x) => x + 1;
    const dbl = (x) => x * 2;
    let f = (x) => x;
    for (let i = 0; i < 8; i++) f = compose(i & 1 ? add1 : dbl, f);
    let s = 0;
    const cs = [];
    for (let i = 0; i < 100; i++) cs.push(counter(i));
    for (let r = 0; r < 4000; r++) {
      for (let i = 0; i < cs.length; i++) cs[i].inc();
      s = (s + f(r)) | 0;
    }
    for (const c of cs) s = (s + c.get()) | 0;
    return s;
  },

  arrays_sort() {
    const next = lcg(42);
    const a = [];
    for (let i = 0; i < 30000; i++) a.push(next() % 100000);
    const sorted = a.slice().sort((x, y) => x - y);
    const objs = a.slice(0, 10000).map((v, i) => ({ v, i }));
    objs.sort((p, q) => p.v - q.v || p.i - q.i);
    const evens = a.filter((v) => (v & 1) === 0).map((v) => v >> 1);
    const sum = evens.reduce((x, y) => x + y, 0);
    a.reverse();
    return sorted[123] + sorted[29000] + objs[5000].v + sum + a.indexOf(sorted[0]);
  },

  strings_regexps() {
    const words = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta"];
    const parts = [];
    for (let i = 0; i < 6000; i++) parts.push(words[i % 8] + i);
    const text = parts.join(" ");
    let s = 0;
    for (let r = 0; r < 4; r++) {
      s += text.split(" ").length;
      s += text.replace(/([a-z]+)(\d+)/g, "$2$1").length;
      s += (text.match(/\b[aeiou]\w*\d{2}\b/g) || []).length;
      s += text.toUpperCase().indexOf("THETA5999");
      let t = "";
      for (let i = 0; i < 2000; i++) t += String.fromCharCode(97 + (i % 26));
      s += t.lastIndexOf("xyz") + t.slice(10, 20).charCodeAt(3);
    }
    return s;
  },

  json() {
    const data = { items: [] };
    for (let i = 0; i < 600; i++)
      data.items.push({ id: i, name: "item" + i, tags: ["a", "b", String(i)], price: i * 1.25, ok: i % 3 === 0 });
    let s = 0;
    for (let r = 0; r < 12; r++) {
      const text = JSON.stringify(data);
      const back = JSON.parse(text);
      s += text.length + back.items[r].id + back.items.length;
    }
    return s;
  },

  map_set() {
    const m = new Map();
    const set = new Set();
    let s = 0;
    for (let i = 0; i < 12000; i++) {
      m.set(i, i * 2);
      set.add("k" + (i % 5000));
    }
    for (let i = 0; i < 12000; i++) s += m.get(i) + (set.has("k" + i) ? 1 : 0);
    for (let i = 0; i < 12000; i += 2) m.delete(i);
    for (const [k, v] of m) s += k ^ v;
    return s + m.size + set.size;
  },

  bigint() {
    let a = 0n;
    let b = 1n;
    for (let i = 0; i < 3000; i++) [a, b] = [b, a + b];
    let f = 1n;
    for (let i = 1n; i < 600n; i++) f *= i;
    const mod = (1n << 61n) - 1n;
    let x = 3n;
    let acc = 1n;
    for (let i = 0; i < 30000; i++) {
      acc = (acc * x) % mod;
      x = (x * x + 1n) % mod;
    }
    return String((a % 1000003n) + (f % 1000033n) + acc);
  },

  typed_arrays() {
    const n = 100000;
    const sieve = new Uint8Array(n);
    let primes = 0;
    for (let i = 2; i < n; i++) {
      if (sieve[i] === 0) {
        primes++;
        for (let j = i * 2; j < n; j += i) sieve[j] = 1;
      }
    }
    const f = new Float64Array(4096);
    for (let i = 0; i < f.length; i++) f[i] = (i % 97) * 0.5; // not Math.sin: libms differ in the last bit
    for (let r = 0; r < 6; r++) for (let i = 1; i < f.length - 1; i++) f[i] = (f[i - 1] + f[i] + f[i + 1]) / 3;
    const u = new Int32Array(f.buffer, 0, 1024);
    let h = 0;
    for (let i = 0; i < u.length; i++) h = (Math.imul(h, 31) + u[i]) | 0;
    return primes + h;
  },
};

// Runs each named workload once to warm up, then `reps` times; returns JSON text of
// {name: {ms: [...], check: "..."}}. A checksum that differs between repetitions throws.
function runSuite(names, reps) {
  const out = {};
  for (const name of names) {
    const fn = WORKLOADS[name];
    const check = String(fn());
    const ms = [];
    for (let r = 0; r < reps; r++) {
      const t0 = performance.now();
      const c = String(fn());
      ms.push(performance.now() - t0);
      if (c !== check) throw new Error(`${name}: checksum ${c} after ${check}`);
    }
    out[name] = { ms, check };
  }
  return JSON.stringify(out);
}
