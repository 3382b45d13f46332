// EdgeBox prelude: the globals a script expects from a JS runtime (console,
// performance, timers, queueMicrotask), written in JS on top of three natives
// from glue.c. It is embedded in engine.wasm at build time and evaluated once at
// start-up; its value is the object the C glue calls back into.
(function () {
  "use strict";
  const native = globalThis.__edgebox_native;
  delete globalThis.__edgebox_native;
  const print = native.print;

  // ---- formatting, close to Node's util.inspect for the common cases ----
  const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
  const BREAK_LENGTH = 80;

  function quote(s) {
    const q = s.includes("'") && !s.includes('"') ? '"' : "'";
    let out = "";
    for (const ch of s) {
      if (ch === q) out += "\\" + ch;
      else if (ch === "\\") out += "\\\\";
      else if (ch === "\n") out += "\\n";
      else if (ch === "\t") out += "\\t";
      else if (ch === "\r") out += "\\r";
      else if (ch < " ") out += "\\x" + ch.charCodeAt(0).toString(16).padStart(2, "0");
      else out += ch;
    }
    return q + out + q;
  }

  function formatNumber(n) {
    return Object.is(n, -0) ? "-0" : String(n);
  }

  function formatKey(k) {
    if (typeof k === "symbol") return "[" + k.toString() + "]";
    return IDENT.test(k) ? k : quote(k);
  }

  function errorText(e) {
    let stack = typeof e.stack === "string" ? e.stack : "";
    let head;
    try {
      head = String(e);
    } catch {
      head = "Error";
    }
    stack = stack.replace(/\n+$/, "");
    return stack ? head + "\n" + stack : head;
  }

  // Node's rules for laying out a list (util.inspect with its defaults: breakLength 80,
  // compact 3): the entries go on one line when they fit in the break length, counted Node's
  // way, and the value holds fewer than three levels of nested objects; arrays of more than
  // six short entries are set in columns. Node's output is what programs are compared with.
  const COMPACT = 3;
  let currentDepth = 0; // the depth of the object formatted last, as Node tracks it

  function belowBreakLength(items, start) {
    let total = items.length + start;
    if (total + items.length > BREAK_LENGTH) return false;
    for (const item of items) {
      total += item.length;
      if (total > BREAK_LENGTH) return false;
    }
    return true;
  }

  function groupInColumns(items, values, indent) {
    const more = items.length > 0 && items[items.length - 1].startsWith("... ") ? 1 : 0;
    const count = items.length - more;
    const separatorSpace = 2;
    let totalLength = 0;
    let maxLength = 0;
    for (let i = 0; i < count; i++) {
      totalLength += items[i].length + separatorSpace;
      if (items[i].length > maxLength) maxLength = items[i].length;
    }
    const actualMax = maxLength + separatorSpace;
    if (!(actualMax * 3 + indent < BREAK_LENGTH && (totalLength / actualMax > 5 || maxLength <= 6))) return items;
    const averageBias = Math.sqrt(actualMax - totalLength / items.length);
    const biasedMax = Math.max(actualMax - 3 - averageBias, 1);
    const columns = Math.min(
      Math.round(Math.sqrt(2.5 * biasedMax * count) / biasedMax),
      Math.floor((BREAK_LENGTH - indent) / actualMax),
      COMPACT * 4,
      15,
    );
    if (columns <= 1) return items;
    const widths = [];
    for (let i = 0; i < columns; i++) {
      let width = 0;
      for (let j = i; j < count; j += columns) if (items[j].length > width) width = items[j].length;
      widths.push(width + separatorSpace);
    }
    let numeric = true;
    for (let i = 0; i < count; i++) {
      if (typeof values[i] !== "number" && typeof values[i] !== "bigint") numeric = false;
    }
    const rows = [];
    for (let i = 0; i < count; i += columns) {
      const last = Math.min(i + columns, count) - 1;
      let row = "";
      for (let j = i; j < last; j++) {
        const cell = items[j] + ", ";
        row += numeric ? cell.padStart(widths[j - i]) : cell.padEnd(widths[j - i]);
      }
      row += numeric ? items[last].padStart(widths[last - i] - separatorSpace) : items[last];
      rows.push(row);
    }
    if (more) rows.push(items[items.length - 1]);
    return rows;
  }

  // `values`: the array's elements when the entries may be set in columns, else null
  function join(start, items, end, indent, depth, values) {
    if (items.length === 0) return start + end;
    let lines = items;
    if (values !== null && items.length > 6) lines = groupInColumns(items, values, indent);
    if (currentDepth - depth < COMPACT && lines === items) {
      const room = items.length + indent + start.length + 10;
      if (belowBreakLength(items, room)) {
        const oneLine = items.join(", ");
        if (!oneLine.includes("\n")) return start + " " + oneLine + " " + end;
      }
    }
    const pad = "\n" + " ".repeat(indent + 2);
    return start + pad + lines.join("," + pad) + "\n" + " ".repeat(indent) + end;
  }

  function className(o) {
    const proto = Object.getPrototypeOf(o);
    if (proto === null) return "[Object: null prototype]";
    const ctor = proto.constructor;
    return ctor && typeof ctor.name === "string" ? ctor.name : "Object";
  }

  function emptyForm(v, isArray) {
    const keys = Object.keys(v);
    if (isArray) return v.length === 0 && keys.length === 0 ? "[]" : null;
    if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return v.length === 0 ? className(v) + "(0) []" : null;
    if (v instanceof Map || v instanceof Set) return v.size === 0 && keys.length === 0 ? className(v) + "(0) {}" : null;
    if (keys.length || Object.getOwnPropertySymbols(v).some((k) => Object.getOwnPropertyDescriptor(v, k).enumerable)) return null;
    if (v[Symbol.toStringTag] === "Module") return null;
    const name = className(v);
    return name === "Object" ? "{}" : name + " {}";
  }

  function inspect(v, depth, seen, indent) {
    switch (typeof v) {
      case "string":
        return quote(v);
      case "number":
        return formatNumber(v);
      case "bigint":
        return v + "n";
      case "boolean":
      case "undefined":
        return String(v);
      case "symbol":
        return v.toString();
      case "function": {
        const kind = /^class\s/.test(Function.prototype.toString.call(v)) ? "class" : "Function";
        const sep = kind === "class" ? " " : ": ";
        return v.name ? "[" + kind + sep + v.name + "]" : "[" + kind + " (anonymous)]";
      }
    }
    if (v === null) return "null";
    if (seen.includes(v)) return "[Circular *1]";
    if (v instanceof Error) return errorText(v);
    if (v instanceof Date) return isNaN(v) ? "Invalid Date" : v.toISOString();
    if (v instanceof RegExp) return String(v);
    if (typeof Promise !== "undefined" && v instanceof Promise) return "Promise { <unknown> }";
    const isArray = Array.isArray(v);
    const empty = emptyForm(v, isArray);
    if (empty !== null) return empty; // as Node: at any depth, and not counted as a level
    if (depth > 2) return isArray ? "[Array]" : "[" + className(v) + "]";
    currentDepth = depth;
    seen.push(v);
    const items = [];
    const sub = (x) => inspect(x, depth + 1, seen, indent + 2);
    try {
      if (isArray) {
        let holes = 0;
        const flush = () => {
          if (holes) items.push("<" + holes + " empty item" + (holes > 1 ? "s" : "") + ">");
          holes = 0;
        };
        const shown = Math.min(v.length, 100);
        for (let i = 0; i < shown; i++) {
          if (!(i in v)) {
            holes++;
            continue;
          }
          flush();
          items.push(sub(v[i]));
        }
        flush();
        if (v.length > 100) items.push("... " + (v.length - 100) + " more items");
        for (const k of Object.keys(v)) if (!/^\d+$/.test(k)) items.push(formatKey(k) + ": " + sub(v[k]));
        return join("[", items, "]", indent, depth, v);
      }
      if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
        for (let i = 0; i < Math.min(v.length, 100); i++) items.push(typeof v[i] === "bigint" ? v[i] + "n" : formatNumber(v[i]));
        if (v.length > 100) items.push("... " + (v.length - 100) + " more items");
        return join(className(v) + "(" + v.length + ") [", items, "]", indent, depth, v);
      }
      if (v instanceof Map) {
        for (const [k, x] of v) items.push(sub(k) + " => " + sub(x));
        return join("Map(" + v.size + ") {", items, "}", indent, depth, null);
      }
      if (v instanceof Set) {
        for (const x of v) items.push(sub(x));
        return join("Set(" + v.size + ") {", items, "}", indent, depth, null);
      }
      const keys = Object.keys(v);
      for (const k of keys) {
        const d = Object.getOwnPropertyDescriptor(v, k);
        const shown = d && (d.get || d.set) ? (d.get && d.set ? "[Getter/Setter]" : d.get ? "[Getter]" : "[Setter]") : sub(v[k]);
        items.push(formatKey(k) + ": " + shown);
      }
      for (const s of Object.getOwnPropertySymbols(v)) {
        if (Object.getOwnPropertyDescriptor(v, s).enumerable) items.push(formatKey(s) + ": " + sub(v[s]));
      }
      const isModule = v[Symbol.toStringTag] === "Module";
      const name = isModule ? "[Module: null prototype]" : className(v);
      const prefix = name === "Object" ? "" : name + " ";
      return join(prefix + "{", items, "}", indent, depth, null);
    } finally {
      seen.pop();
    }
  }

  function formatValue(v) {
    return typeof v === "string" ? v : inspect(v, 0, [], 0);
  }

  // printf-style substitutions as in Node's util.format
  function format(args) {
    let out = [];
    let rest = args;
    if (typeof args[0] === "string" && args.length > 1 && args[0].includes("%")) {
      let i = 1;
      const first = args[0].replace(/%([sdifjoOc%])/g, (m, c) => {
        if (c === "%") return "%";
        if (i >= args.length) return m;
        const a = args[i++];
        switch (c) {
          case "s":
            return typeof a === "string" ? a : typeof a === "bigint" ? a + "n" : typeof a === "object" && a !== null ? inspect(a, 1, [], 0) : formatNumber(a);
          case "d":
          case "i":
            if (typeof a === "bigint") return a + "n";
            return formatNumber(c === "i" ? Math.trunc(Number(a)) : Number(a));
          case "f":
            return formatNumber(parseFloat(a));
          case "j":
            try {
              return JSON.stringify(a);
            } catch {
              return "[Circular]";
            }
          case "c":
            return "";
          default:
            return inspect(a, 0, [], 0);
        }
      });
      out.push(first);
      rest = args.slice(i);
    } else if (args.length) {
      out.push(formatValue(args[0]));
      rest = args.slice(1);
    }
    for (const a of rest) out.push(formatValue(a));
    return out.join(" ");
  }

  let groupIndent = "";
  function writer(fd) {
    return function (...args) {
      let text = format(args);
      if (groupIndent) text = groupIndent + text.split("\n").join("\n" + groupIndent);
      print(fd, text + "\n");
    };
  }
  const counts = new Map();
  const timers = new Map();
  const console = {
    log: writer(1),
    info: writer(1),
    debug: writer(1),
    warn: writer(2),
    error: writer(2),
    trace: writer(2),
    dir: (v) => print(1, inspect(v, 0, [], 0) + "\n"),
    assert: (cond, ...args) => {
      if (!cond) writer(2)("Assertion failed" + (args.length ? ": " + format(args) : ""));
    },
    count: (label = "default") => {
      counts.set(label, (counts.get(label) || 0) + 1);
      writer(1)(label + ": " + counts.get(label));
    },
    countReset: (label = "default") => counts.delete(label),
    group: (...args) => {
      if (args.length) writer(1)(...args);
      groupIndent += "  ";
    },
    groupEnd: () => {
      groupIndent = groupIndent.slice(2);
    },
    time: (label = "default") => timers.set(label, native.hrtimeMs()),
    timeEnd: (label = "default") => {
      const t = timers.get(label);
      if (t !== undefined) writer(1)(label + ": " + (native.hrtimeMs() - t).toFixed(3) + "ms");
      timers.delete(label);
    },
  };

  // ---- performance ----
  const origin = native.hrtimeMs();
  const timeOrigin = Date.now();
  const performance = {
    now: () => native.hrtimeMs() - origin,
    timeOrigin,
  };

  // ---- timers: run by the C event loop after the job queue drains ----
  let nextTimerId = 1;
  const pending = new Map(); // id -> {due, seq, fn, args, interval}
  let seq = 0;
  function addTimer(fn, ms, args, interval) {
    if (typeof fn !== "function") throw new TypeError('The "callback" argument must be of type function');
    ms = Number(ms);
    if (!(ms >= 1) || ms > 2147483647) ms = 1;
    const id = nextTimerId++;
    pending.set(id, { due: native.hrtimeMs() + ms, seq: seq++, fn, args, interval: interval ? ms : 0 });
    return id;
  }
  function clearTimer(id) {
    pending.delete(typeof id === "object" && id !== null ? id.id : id);
  }
  function runNextTimer() {
    let best = null;
    let bestId = 0;
    for (const [id, t] of pending) {
      if (!best || t.due < best.due || (t.due === best.due && t.seq < best.seq)) {
        best = t;
        bestId = id;
      }
    }
    if (!best) return false;
    native.sleepMs(best.due - native.hrtimeMs());
    if (best.interval) {
      best.due += best.interval;
      best.seq = seq++;
    } else {
      pending.delete(bestId);
    }
    best.fn(...best.args);
    return true;
  }

  // ---- UTF-8, for Memory strings: the C conversions TextEncoder/TextDecoder use (web/encoding.c)
  const utf8Encode = (str) => native.utf8Encode(String(str));
  const utf8Decode = (bytes) => native.utf8Decode(bytes, false, false, null)[0];

  // ---- an exported wasm memory, as JS sees it ----
  // The memory belongs to another wasm instance, outside the engine's linear memory,
  // so there is no live ArrayBuffer over it. Bulk copies are memory.copy in the
  // generated adapter, reached through `copy` functions made in C (glue.c
  // js_memory_copy) that take a typed array, never an address. Everything below uses
  // the intrinsics captured here, before any user code runs: a program that replaces
  // Uint8Array, DataView or their methods changes nothing in here.
  const PAGE = 65536;
  const U8 = Uint8Array;
  const ArrayBufferCtor = ArrayBuffer;
  const DataViewCtor = DataView;
  const ReflectApply = Reflect.apply;
  const isView = ArrayBuffer.isView;
  const u8From = Uint8Array.from;
  const typedArrayProto = Object.getPrototypeOf(Uint8Array.prototype);
  const taIndexOf = typedArrayProto.indexOf;
  const taSubarray = typedArrayProto.subarray;
  const taSet = typedArrayProto.set;
  const taLength = Object.getOwnPropertyDescriptor(typedArrayProto, "length").get;
  const taBuffer = Object.getOwnPropertyDescriptor(typedArrayProto, "buffer").get;
  const taByteOffset = Object.getOwnPropertyDescriptor(typedArrayProto, "byteOffset").get;
  const taByteLength = Object.getOwnPropertyDescriptor(typedArrayProto, "byteLength").get;
  const NumberCtor = Number;
  const isInteger = Number.isInteger;
  const isFiniteNumber = Number.isFinite;
  const truncate = Math.trunc;
  const freeze = Object.freeze;
  const RangeErrorCtor = RangeError;
  const TypeErrorCtor = TypeError;

  // ToIndex, read once: the value a valueOf returns the first time is the one used
  function toIndex(v, what, name) {
    const n = v === undefined ? 0 : NumberCtor(v);
    if (!isInteger(n) || n < 0 || n > 0xffffffff) throw new RangeErrorCtor(`${name}: ${what} ${n} is not an offset in a 32-bit memory`);
    return n;
  }

  // Only the wasm stubs make Memory objects (through makeMemory); `new WebAssembly.Memory()`
  // from JS, a memory of no module's, is not supported yet and says so.
  const MAKING = Symbol("edgebox memory");
  class Memory {
    #name; #size; #grow; #read; #write; #buffer;
    constructor(token, name, size, grow, read, write, buffer) {
      if (token !== MAKING)
        throw new TypeErrorCtor("new WebAssembly.Memory() is not supported in EdgeBox yet: import a wasm module's exported memory instead");
      this.#name = name; this.#size = size; this.#grow = grow; this.#read = read; this.#write = write;
      this.#buffer = buffer;
      freeze(this);
    }
    get byteLength() { return this.#size() * PAGE; }
    // The module's memory itself, as the JS API gives it: typed arrays over it read and
    // write wasm memory directly. Detached when the memory grows (glue.c js_memory_buffer).
    get buffer() { return this.#buffer(); }
    grow(deltaPages) {
      // [EnforceRange] unsigned long, as WebAssembly.Memory.prototype.grow takes it: no wrapping
      const n = NumberCtor(deltaPages);
      if (!isFiniteNumber(n) || truncate(n) < 0 || truncate(n) > 0xffffffff)
        throw new TypeErrorCtor(`${this.#name}: grow(${deltaPages}): the page count must be an integer from 0 to 4294967295`);
      const delta = truncate(n);
      const old = delta > 65536 ? -1 : this.#grow(delta);
      if (old === -1) throw new RangeErrorCtor(`${this.#name}: cannot grow by ${delta} pages`);
      this.#buffer(true); // the old buffer is detached, even by a grow of 0 pages
      return old;
    }
    #outOfBounds(op, length, offset) {
      return new RangeErrorCtor(`${this.#name}: ${op} of ${length} bytes at ${offset} is out of bounds (${this.byteLength} bytes)`);
    }
    // memory -> view, the whole view
    #readInto(view, offset) {
      if (this.#read(view, offset) !== 0) throw this.#outOfBounds("read", ReflectApply(taByteLength, view, []), offset);
    }
    read(offset, length) {
      offset = toIndex(offset, "offset", this.#name);
      length = toIndex(length, "length", this.#name);
      const out = new U8(length);
      this.#readInto(out, offset);
      return out;
    }
    write(offset, bytes) {
      offset = toIndex(offset, "offset", this.#name);
      let view = bytes;
      if (!isView(bytes)) view = ReflectApply(u8From, U8, [bytes]);
      else view = new U8(ReflectApply(taBuffer, bytes, []), ReflectApply(taByteOffset, bytes, []), ReflectApply(taByteLength, bytes, []));
      if (this.#write(view, offset) !== 0) throw this.#outOfBounds("write", ReflectApply(taLength, view, []), offset);
    }
    readString(offset, length) {
      offset = toIndex(offset, "offset", this.#name);
      if (length === undefined) {
        // up to the first NUL, read in chunks
        const parts = [];
        let total = 0;
        for (let at = offset, chunk = 256; ; at += chunk) {
          const left = this.byteLength - at;
          const n = left < chunk ? left : chunk;
          if (n <= 0) break;
          const b = this.read(at, n);
          const z = ReflectApply(taIndexOf, b, [0]);
          const part = z === -1 ? b : ReflectApply(taSubarray, b, [0, z]);
          parts[parts.length] = part;
          total += ReflectApply(taLength, part, []);
          if (z !== -1) break;
        }
        const all = new U8(total);
        let k = 0;
        for (let i = 0; i < parts.length; i++) {
          ReflectApply(taSet, all, [parts[i], k]);
          k += ReflectApply(taLength, parts[i], []);
        }
        return utf8Decode(all);
      }
      return utf8Decode(this.read(offset, length));
    }
    writeString(offset, text) {
      const bytes = utf8Encode(text);
      this.write(offset, bytes);
      return ReflectApply(taLength, bytes, []);
    }
  }
  const views = [
    ["Int8", 1], ["Uint8", 1], ["Int16", 2], ["Uint16", 2], ["Int32", 4], ["Uint32", 4],
    ["BigInt64", 8], ["BigUint64", 8], ["Float32", 4], ["Float64", 8],
  ];
  for (const [t, n] of views) {
    const get = DataView.prototype["get" + t];
    const set = DataView.prototype["set" + t];
    Object.defineProperty(Memory.prototype, "set" + t, {
      value(offset, v, littleEndian = true) {
        const buf = new ArrayBufferCtor(n);
        ReflectApply(set, new DataViewCtor(buf), [0, v, littleEndian]);
        this.write(offset, new U8(buf));
      },
      writable: true, configurable: true,
    });
    Object.defineProperty(Memory.prototype, "get" + t, {
      value(offset, littleEndian = true) {
        const b = this.read(offset, n);
        return ReflectApply(get, new DataViewCtor(ReflectApply(taBuffer, b, [])), [0, littleEndian]);
      },
      writable: true, configurable: true,
    });
  }
  Object.defineProperty(Memory.prototype, Symbol.toStringTag, { value: "WebAssembly.Memory" });
  const makeMemory = (name, size, grow, read, write, buffer) => new Memory(MAKING, name, size, grow, read, write, buffer);

  // ---- WebAssembly error classes, for --trap-mode=exception and instanceof checks ----
  function errorClass(name) {
    return {
      [name]: class extends Error {
        constructor(message) {
          super(message);
          Object.defineProperty(this, "name", { value: name, writable: true, configurable: true });
        }
      },
    }[name];
  }
  // The rest of the JS API is not here yet: wasm is linked when the bundle is built. The
  // classes exist so that glue which tests `x instanceof WebAssembly.Module` (wasm-bindgen's
  // bundler entries do, to tell a bundler's Module from its exports) takes the exports path;
  // constructing one, or compiling at run time, says what to do instead.
  const notYet = (what) =>
    new TypeErrorCtor(`${what} is not supported in EdgeBox yet: wasm is linked when the bundle is built; import the .wasm file instead (import * as m from "./x.wasm")`);
  function unconstructible(name) {
    const cls = {
      [name]: class {
        constructor() {
          throw notYet(`new WebAssembly.${name}()`);
        }
      },
    }[name];
    Object.defineProperty(cls.prototype, Symbol.toStringTag, { value: `WebAssembly.${name}` });
    return cls;
  }
  const PromiseCtor = Promise;
  const compiling = (name) => ({
    [name]() {
      return PromiseCtor.reject(notYet(`WebAssembly.${name}()`));
    },
  })[name];
  const WebAssemblyNS = Object.freeze({
    Memory,
    Module: unconstructible("Module"),
    Instance: unconstructible("Instance"),
    Global: unconstructible("Global"),
    Table: unconstructible("Table"),
    validate() {
      throw notYet("WebAssembly.validate()");
    },
    compile: compiling("compile"),
    instantiate: compiling("instantiate"),
    compileStreaming: compiling("compileStreaming"),
    instantiateStreaming: compiling("instantiateStreaming"),
    RuntimeError: errorClass("RuntimeError"),
    CompileError: errorClass("CompileError"),
    LinkError: errorClass("LinkError"),
  });
  function makeRuntimeError(message) {
    return new WebAssemblyNS.RuntimeError(message);
  }

  function reportUncaught(err, inPromise) {
    let text;
    if (err instanceof Error) text = errorText(err);
    else text = inspect(err, 0, [], 0);
    const prefix = inPromise && !(err instanceof Error) ? "Uncaught (in promise) " : "Uncaught ";
    print(2, prefix + text + "\n");
  }

  const define = (name, value) =>
    Object.defineProperty(globalThis, name, { value, writable: true, configurable: true, enumerable: false });
  define("console", console);
  define("performance", performance);
  define("setTimeout", (fn, ms, ...args) => addTimer(fn, ms, args, false));
  define("setInterval", (fn, ms, ...args) => addTimer(fn, ms, args, true));
  define("clearTimeout", clearTimer);
  define("clearInterval", clearTimer);
  define("queueMicrotask", (fn) => {
    if (typeof fn !== "function") throw new TypeError('The "callback" argument must be of type function');
    Promise.resolve().then(fn);
  });
  // The global object's own name in workers and edge runtimes (WinterTC's minimum common
  // API has it): packages built for browsers and workers reach globals through it.
  define("self", globalThis);
  define("scriptArgs", Object.freeze(Array.from(native.args || [])));

  define("WebAssembly", WebAssemblyNS);

  return { reportUncaught, runNextTimer, makeMemory, makeRuntimeError, define };
})();
