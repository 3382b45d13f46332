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

  let maxDepth = 2; // nested levels shown, as Node's default; console.dir's depth changes it
  const withDepth = (depth, fn) => {
    const saved = maxDepth;
    maxDepth = depth;
    try {
      return fn();
    } finally {
      maxDepth = saved;
    }
  };
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
    if (depth > maxDepth) return isArray ? "[Array]" : "[" + className(v) + "]";
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
  // console.table: Node's layout (box drawing, left-aligned cells, one space of padding); a cell
  // is its value inspected with nested objects as [Object]
  function table(data, properties) {
    const cell = (v) => (v === undefined ? "" : withDepth(0, () => inspect(v, 0, [], 0)));
    const isMap = data instanceof Map;
    const isSet = data instanceof Set;
    const rows = isMap ? [...data].map(([k, v], i) => [String(i), v, k]) : isSet
      ? [...data].map((v, i) => [String(i), v]) : Object.keys(data).map((k) => [k, data[k]]);
    const columns = [];
    const cells = rows.map(([, v]) => {
      const row = new Map();
      if (v !== null && typeof v === "object" && !isMap) {
        for (const k of Object.keys(v)) {
          if (properties !== undefined && !properties.includes(k)) continue;
          if (!columns.includes(k)) columns.push(k);
          row.set(k, cell(v[k]));
        }
      } else {
        row.set("\0values", cell(v));
      }
      return row;
    });
    if (properties !== undefined) for (const k of properties) if (!columns.includes(k)) columns.push(k);
    const hasValues = cells.some((row) => row.has("\0values"));
    const header = [isMap || isSet ? "(iteration index)" : "(index)", ...(isMap ? ["Key"] : []), ...columns,
      ...(hasValues ? ["Values"] : [])];
    const body = rows.map(([index, , key], r) => [index, ...(isMap ? [cell(key)] : []),
      ...columns.map((c) => cells[r].get(c) ?? ""), ...(hasValues ? [cells[r].get("\0values") ?? ""] : [])]);
    const widths = header.map((h, c) => Math.max(h.length, ...body.map((row) => row[c].length)) + 2);
    const line = (l, m, r) => l + widths.map((w) => "─".repeat(w)).join(m) + r;
    const row = (values) => "│" + values.map((v, c) => " " + v.padEnd(widths[c] - 1)).join("│") + "│";
    return [line("┌", "┬", "┐"), row(header), line("├", "┼", "┤"), ...body.map(row), line("└", "┴", "┘")].join("\n");
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
    dir: (v, options = undefined) => {
      const depth = options?.depth === undefined ? 2 : options.depth === null ? Infinity : Number(options.depth);
      print(1, withDepth(depth, () => inspect(v, 0, [], 0)) + "\n");
    },
    table: (data, properties = undefined) => {
      if (data === null || typeof data !== "object") return console.log(data);
      print(1, table(data, properties) + "\n");
    },
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

  // ---- performance: now, timeOrigin, and User Timing (mark, measure and their entries) ----
  // `let`: a restored snapshot starts its clock again (rearm, below)
  let origin = native.hrtimeMs();
  let timeOrigin = Date.now();
  const now = () => native.hrtimeMs() - origin;
  const ENTRY = Symbol("performance entry");
  class PerformanceEntry {
    #name; #type; #start; #duration;
    constructor(token, name, type, start, duration) {
      if (token !== ENTRY) throw new TypeError("Illegal constructor");
      [this.#name, this.#type, this.#start, this.#duration] = [name, type, start, duration];
    }
    get name() { return this.#name; }
    get entryType() { return this.#type; }
    get startTime() { return this.#start; }
    get duration() { return this.#duration; }
    toJSON() { return { name: this.name, entryType: this.entryType, startTime: this.startTime, duration: this.duration, detail: this.detail }; }
  }
  class PerformanceMark extends PerformanceEntry {
    #detail;
    constructor(name, options = undefined) {
      const start = options?.startTime === undefined ? now() : Number(options.startTime);
      if (!(start >= 0)) throw new TypeError(`Failed to execute 'mark': startTime cannot be negative`);
      super(ENTRY, `${name}`, "mark", start, 0);
      this.#detail = options?.detail === undefined ? null : structuredCloneOrSame(options.detail);
    }
    get detail() { return this.#detail; }
  }
  class PerformanceMeasure extends PerformanceEntry {
    #detail;
    constructor(token, name, start, duration, detail) {
      super(token, name, "measure", start, duration);
      this.#detail = detail;
    }
    get detail() { return this.#detail; }
  }
  // detail is cloned (User Timing); structuredClone comes with its own web script
  const structuredCloneOrSame = (v) => (typeof globalThis.structuredClone === "function" ? globalThis.structuredClone(v) : v);
  const entries = [];
  const markTime = (mark, what) => {
    if (typeof mark === "number") return mark;
    for (let i = entries.length - 1; i >= 0; i--)
      if (entries[i].entryType === "mark" && entries[i].name === `${mark}`) return entries[i].startTime;
    throw new DOMException(`The "${mark}" performance mark has not been set`, "SyntaxError");
  };
  const byStart = (a, b) => a.startTime - b.startTime;
  const performance = {
    now,
    get timeOrigin() { return timeOrigin; },
    mark(name, options = undefined) {
      const mark = new PerformanceMark(name, options);
      entries.push(mark);
      return mark;
    },
    measure(name, startOrOptions = undefined, endMark = undefined) {
      let start = 0;
      let end = now();
      let detail = null;
      if (startOrOptions !== null && typeof startOrOptions === "object") {
        const o = startOrOptions;
        if (o.end !== undefined) end = markTime(o.end, "end");
        if (o.start !== undefined) start = markTime(o.start, "start");
        else if (o.duration !== undefined && o.end !== undefined) start = end - Number(o.duration);
        if (o.duration !== undefined && o.start !== undefined && o.end === undefined) end = start + Number(o.duration);
        detail = o.detail === undefined ? null : structuredCloneOrSame(o.detail);
      } else if (startOrOptions !== undefined) {
        start = markTime(startOrOptions, "start");
      }
      if (endMark !== undefined) end = markTime(endMark, "end");
      const measure = new PerformanceMeasure(ENTRY, `${name}`, start, end - start, detail);
      entries.push(measure);
      return measure;
    },
    getEntries: () => entries.slice().sort(byStart),
    getEntriesByName: (name, type = undefined) =>
      entries.filter((e) => e.name === `${name}` && (type === undefined || e.entryType === type)).sort(byStart),
    getEntriesByType: (type) => entries.filter((e) => e.entryType === `${type}`).sort(byStart),
    clearMarks(name = undefined) {
      for (let i = entries.length - 1; i >= 0; i--)
        if (entries[i].entryType === "mark" && (name === undefined || entries[i].name === `${name}`)) entries.splice(i, 1);
    },
    clearMeasures(name = undefined) {
      for (let i = entries.length - 1; i >= 0; i--)
        if (entries[i].entryType === "measure" && (name === undefined || entries[i].name === `${name}`)) entries.splice(i, 1);
    },
    toJSON: () => ({ timeOrigin }),
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
  // A timer that does not keep the program alive (Node's unref): AbortSignal.timeout's. The
  // event loop ends when only such timers are left.
  native.unrefTimer = (id) => {
    const t = pending.get(id);
    if (t !== undefined) t.unref = true;
  };
  function runNextTimer() {
    let best = null;
    let bestId = 0;
    let alive = false;
    for (const t of pending.values()) alive ||= !t.unref;
    if (!alive) return false;
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
  const dataViewGetter = (name) => Object.getOwnPropertyDescriptor(DataView.prototype, name).get;
  const [dvBuffer, dvByteOffset, dvByteLength] = ["buffer", "byteOffset", "byteLength"].map(dataViewGetter);
  // a DataView or not, from its internal slot (the getter throws for anything else)
  const dvIs = (v) => {
    try {
      ReflectApply(dvByteLength, v, []);
      return true;
    } catch {
      return false;
    }
  };
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
    #name; #size; #grow; #read; #write; #buffer; #handle;
    constructor(token, name, size, grow, read, write, buffer, handle = -1) {
      if (token !== MAKING) {
        // new WebAssembly.Memory({ initial, maximum }): made by the host, like a module's
        if (new.target === undefined) throw new TypeErrorCtor("Constructor WebAssembly.Memory requires 'new'");
        [name, size, grow, read, write, buffer, handle] = newMemory(token);
        objects.set(handle, this);
      }
      this.#name = name; this.#size = size; this.#grow = grow; this.#read = read; this.#write = write;
      this.#buffer = buffer;
      this.#handle = handle;
      freeze(this);
    }
    get byteLength() { return this.#size() * PAGE; }
    static handleOf(m) { return #handle in m ? m.#handle : -1; }
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
      let view;
      if (!isView(bytes)) view = ReflectApply(u8From, U8, [bytes]);
      else if (ReflectApply(dvIs, null, [bytes])) // a DataView: its own getters
        view = new U8(ReflectApply(dvBuffer, bytes, []), ReflectApply(dvByteOffset, bytes, []), ReflectApply(dvByteLength, bytes, []));
      else view = new U8(ReflectApply(taBuffer, bytes, []), ReflectApply(taByteOffset, bytes, []), ReflectApply(taByteLength, bytes, []));
      if (this.#write(view, offset) !== 0) throw this.#outOfBounds("write", ReflectApply(taLength, view, []), offset);
    }
    readString(offset, length) {
      offset = toIndex(offset, "offset", this.#name);
      if (length === undefined) {
        if (offset > this.byteLength) throw this.#outOfBounds("readString", 1, offset);
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
  const makeMemory = (name, size, grow, read, write, buffer, handle) =>
    new Memory(MAKING, name, size, grow, read, write, buffer, handle);
  const memoryHandle = Memory.handleOf;
  delete Memory.handleOf;

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
  const LinkErrorCtor = errorClass("LinkError");
  const CompileErrorCtor = errorClass("CompileError");
  const RuntimeErrorCtor = errorClass("RuntimeError");
  const PromiseCtor = Promise;
  const JSONparse = JSON.parse;
  const JSONstringify = JSON.stringify;

  // ---- the JS API at run time: modules compiled and instantiated while the program runs ----
  // The host compiles and links (engine/late_link.py, through native.hostRequest); each
  // export gets a slot, so calling it takes the path a bundled module's export takes.
  const ERRORS = { CompileError: CompileErrorCtor, LinkError: LinkErrorCtor, RuntimeError: RuntimeErrorCtor,
    TypeError: TypeErrorCtor, RangeError: RangeErrorCtor };
  function host(request, bytes) {
    const answer = JSONparse(native.hostRequest(JSONstringify(request), bytes));
    if (answer.error !== undefined) throw new (ERRORS[answer.error] || Error)(answer.message);
    return answer;
  }
  const arrayBufferLength = Object.getOwnPropertyDescriptor(ArrayBuffer.prototype, "byteLength").get;
  function bufferSource(bytes, what) {
    if (isView(bytes)) return bytes;
    try {
      ReflectApply(arrayBufferLength, bytes, []);
      return bytes;
    } catch {
      throw new TypeErrorCtor(`${what}: the argument must be a BufferSource (an ArrayBuffer or a typed array)`);
    }
  }
  const LETTER_TYPES = { i: "i32", I: "i64", f: "f32", F: "f64", v: "v128", r: "externref" };
  const handles = new WeakMap(); // exported wasm function, Global, Table → its host handle
  const making = Symbol("edgebox wasm object");

  // ---- JS String Builtins: the functions of `wasm:js-string`, for modules compiled with
  // { builtins: ["js-string"] } and for every wasm module the bundle imports (the
  // ESM-integration proposal turns them on there). Where the proposal traps, a RuntimeError.
  const StringFromCharCode = String.fromCharCode;
  const StringFromCodePoint = String.fromCodePoint;
  const stringProto = String.prototype;
  const [charCodeAtOf, codePointAtOf, substringOf] = [stringProto.charCodeAt, stringProto.codePointAt, stringProto.substring];
  const notString = () => new RuntimeErrorCtor("illegal cast: not a string");
  const str = (v) => {
    if (typeof v !== "string") throw notString();
    return v;
  };
  const jsString = freeze({
    __proto__: null,
    cast: (v) => str(v),
    test: (v) => (typeof v === "string" ? 1 : 0),
    fromCharCode: (c) => StringFromCharCode(c & 0xffff),
    fromCodePoint(cp) {
      cp >>>= 0;
      if (cp > 0x10ffff) throw new RuntimeErrorCtor("invalid code point");
      return StringFromCodePoint(cp);
    },
    charCodeAt(s, i) {
      i >>>= 0;
      if (i >= str(s).length) throw new RuntimeErrorCtor("string offset out of bounds");
      return ReflectApply(charCodeAtOf, s, [i]);
    },
    codePointAt(s, i) {
      i >>>= 0;
      if (i >= str(s).length) throw new RuntimeErrorCtor("string offset out of bounds");
      return ReflectApply(codePointAtOf, s, [i]);
    },
    length: (s) => str(s).length,
    concat: (a, b) => str(a) + str(b),
    substring(s, start, end) {
      start >>>= 0;
      end >>>= 0;
      if (start > str(s).length || start > end) return "";
      return ReflectApply(substringOf, s, [start, end]);
    },
    equals(a, b) {
      if ((a !== null && typeof a !== "string") || (b !== null && typeof b !== "string")) throw notString();
      return a === b ? 1 : 0;
    },
    compare: (a, b) => (str(a) < str(b) ? -1 : a > b ? 1 : 0),
  });
  const JS_STRING = "wasm:js-string";

  // compile options: { builtins: ["js-string"], importedStringConstants: "prefix" }
  function compileOptions(options, where) {
    if (options === undefined) return { builtins: false, constants: undefined };
    if (typeof options !== "object" || options === null) throw new TypeErrorCtor(`${where}: the options must be an object`);
    const builtins = options.builtins === undefined ? [] : Array.from(options.builtins, (b) => `${b}`);
    const constants = options.importedStringConstants;
    return { builtins: builtins.includes("js-string"), constants: constants === undefined || constants === null ? undefined : `${constants}` };
  }

  const BUNDLED = Symbol("a bundled module");
  const ASSET = Symbol("a bundled file");
  // %AbstractModuleSource% (the source-phase imports proposal): the prototype of every module
  // source class, Module's here; not constructible itself
  class AbstractModuleSource {
    constructor() {
      if (new.target === AbstractModuleSource) throw new TypeErrorCtor("AbstractModuleSource is not a constructor");
    }
  }
  class Module extends AbstractModuleSource {
    #id; #imports; #exports; #options;
    constructor(bytes, options = undefined) {
      if (new.target === undefined) throw new TypeErrorCtor("Constructor WebAssembly.Module requires 'new'");
      super();
      let r;
      if (bytes === BUNDLED) {
        r = host({ op: "source", id: options });
        this.#options = { builtins: true, constants: undefined }; // the ESM integration's
      } else if (bytes === ASSET) { // a file the bundle carries (fetched): compiled from the bundle
        this.#options = { builtins: false, constants: undefined };
        r = host({ op: "compile_asset", id: options });
      } else {
        this.#options = compileOptions(options, "WebAssembly.Module()");
        r = host({ op: "compile" }, bufferSource(bytes, "WebAssembly.Module()"));
      }
      this.#id = r.module;
      this.#imports = r.imports;
      this.#exports = r.exports;
      if (this.#options.builtins) checkBuiltins(this.#imports);
    }
    // an import the options turn into a builtin or a constant is not an import to JS
    static #builtin(m, imp) {
      return (m.#options.builtins && imp.module === JS_STRING) ||
        (m.#options.constants !== undefined && imp.module === m.#options.constants);
    }
    static #of(m, what) {
      if (typeof m !== "object" || m === null || !(#id in m)) throw new TypeErrorCtor(`WebAssembly.Module.${what}(): the argument must be a WebAssembly.Module`);
      return m;
    }
    static exports(m) {
      return Module.#of(m, "exports").#exports.map(({ name, kind }) => ({ name, kind }));
    }
    static imports(m) {
      return Module.#of(m, "imports").#imports
        .filter((imp) => !Module.#builtin(m, imp))
        .map(({ module, name, kind }) => ({ module, name, kind }));
    }
    static customSections(m, name) {
      if (name === undefined) throw new TypeErrorCtor("WebAssembly.Module.customSections(): the section name is required");
      const { sections } = host({ op: "sections", module: Module.#of(m, "customSections").#id, name: `${name}` });
      return sections.map((b64) => {
        const text = atob(b64);
        const out = new U8(text.length);
        for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
        return out.buffer;
      });
    }
    static describe(m) { return { id: m.#id, imports: m.#imports, options: m.#options }; }
  }
  const describeModule = Module.describe;
  delete Module.describe;
  // the signatures the proposal gives the builtins: a module that imports one with another
  // type does not compile (e = externref, E = (ref extern))
  const BUILTIN_TYPES = { cast: "e:E", test: "e:i", fromCharCode: "i:E", fromCodePoint: "i:E", charCodeAt: "ei:i",
    codePointAt: "ei:i", length: "e:i", concat: "ee:E", substring: "eii:E", equals: "ee:i", compare: "ee:i" };
  function checkBuiltins(imports) {
    for (const imp of imports) {
      if (imp.module !== JS_STRING) continue;
      const want = BUILTIN_TYPES[imp.name];
      if (imp.kind !== "function" || want === undefined || want !== `${imp.params}:${imp.results}`)
        throw new CompileErrorCtor(`WebAssembly.Module(): the import "${JS_STRING}" "${imp.name}" is not a JS string builtin of that type`);
    }
  }
  // The source of a wasm module in the bundle (`import source m from "./x.wasm"`,
  // `import.source(...)`): one Module object per module, compiled from the bundle's bytes.
  const sources = new Map();
  function moduleSource(bundledId) {
    if (!sources.has(bundledId)) sources.set(bundledId, new Module(BUNDLED, bundledId));
    return sources.get(bundledId);
  }

  class Global {
    #type; #mutable; #get; #set;
    constructor(descriptor, value) {
      if (new.target === undefined) throw new TypeErrorCtor("Constructor WebAssembly.Global requires 'new'");
      if (descriptor === making) {
        [this.#type, this.#mutable, this.#get, this.#set] = value;
        return;
      }
      if (typeof descriptor !== "object" || descriptor === null) throw new TypeErrorCtor("WebAssembly.Global(): the descriptor must be an object");
      const mutable = Boolean(descriptor.mutable);
      const type = `${descriptor.value}`;
      if (!["i32", "i64", "f32", "f64", "externref"].includes(type))
        throw new TypeErrorCtor(`WebAssembly.Global(): a global of type '${type}' is not supported in EdgeBox yet (i32, i64, f32, f64 and externref are)`);
      let v;
      if (type === "externref") v = native.refOf(arguments.length < 2 ? undefined : value);
      else if (type === "i64") v = `${value === undefined ? 0n : BigInt.asIntN(64, BigInt(value))}`;
      else v = value === undefined ? 0 : NumberCtor(value);
      const r = host({ op: "global", type, mutable, value: v });
      setGlobal(this, r);
    }
    static init(g, r) {
      objects.set(r.handle, g);
      g.#type = r.type;
      g.#mutable = r.mutable;
      g.#get = native.wasmFunc(r.get, "global.value", "", LETTER_OF[r.type]);
      g.#set = r.mutable ? native.wasmFunc(r.set, "global.value", LETTER_OF[r.type], "") : undefined;
      handles.set(g, r.handle);
    }
    static #check(g) {
      if (typeof g !== "object" || g === null || !(#type in g)) throw new TypeErrorCtor("not a WebAssembly.Global");
      return g;
    }
    get value() { return Global.#check(this).#get(); }
    set value(v) {
      Global.#check(this);
      if (!this.#mutable) throw new TypeErrorCtor("WebAssembly.Global: cannot set the value of an immutable global");
      this.#set(v);
    }
    valueOf() { return Global.#check(this).#get(); }
  }
  const LETTER_OF = { i32: "i", i64: "I", f32: "f", f64: "F", externref: "e" };
  const setGlobal = Global.init;
  delete Global.init;

  // a descriptor's page or element count: [EnforceRange] unsigned long
  function count(v, what, where) {
    const n = NumberCtor(v);
    if (!isFiniteNumber(n) || truncate(n) < 0 || truncate(n) > 0xffffffff)
      throw new TypeErrorCtor(`${where}: '${what}' must be an integer from 0 to 4294967295`);
    return truncate(n);
  }
  function descriptorOf(d, where) {
    if (typeof d !== "object" || d === null) throw new TypeErrorCtor(`${where}: Argument 0 must be a descriptor object`);
    const initial = d.initial !== undefined ? count(d.initial, "initial", where) : d.minimum !== undefined ? count(d.minimum, "minimum", where) : undefined;
    if (initial === undefined) throw new TypeErrorCtor(`${where}: Property 'initial' is required`);
    const maximum = d.maximum === undefined ? undefined : count(d.maximum, "maximum", where);
    if (maximum !== undefined && maximum < initial) throw new RangeErrorCtor(`${where}: Property 'maximum': value ${maximum} is below the lower bound ${initial}`);
    return { initial, maximum };
  }
  function memorySlots(r, name) {
    native.setWindow(r.size, r.window, r.window ? 0 : 2);
    const fn = (slot, what, params, results) => native.wasmFunc(slot, `${name}.${what}`, params, results);
    return [name, fn(r.size, "size", "", "i"), fn(r.grow, "grow", "i", "i"), native.memoryCopy(r.read, 0),
      native.memoryCopy(r.write, 1), native.memoryBuffer(r.size), r.handle];
  }
  function newMemory(d) {
    const where = "WebAssembly.Memory()";
    const { initial, maximum } = descriptorOf(d, where);
    if (d.shared) throw new TypeErrorCtor(`${where}: shared memories are not supported in EdgeBox`);
    if (initial > 65536 || (maximum !== undefined && maximum > 65536)) throw new RangeErrorCtor(`${where}: a 32-bit memory has at most 65536 pages`);
    return memorySlots(host({ op: "memory", initial, maximum }), "memory");
  }

  class Table {
    #handle; #size; #request; #get; #set; #grow;
    constructor(descriptor, value = undefined) {
      if (new.target === undefined) throw new TypeErrorCtor("Constructor WebAssembly.Table requires 'new'");
      if (descriptor === making) {
        this.#request = value; // a bundled module's table: asked for when first used
      } else {
        const where = "WebAssembly.Table()";
        if (typeof descriptor !== "object" || descriptor === null) throw new TypeErrorCtor(`${where}: Argument 0 must be a table descriptor`);
        const element = `${descriptor.element}`;
        if (!["anyfunc", "funcref", "externref"].includes(element))
          throw new TypeErrorCtor(`${where}: a table of '${element}' is not supported in EdgeBox yet (funcref and externref are)`);
        const { initial, maximum } = descriptorOf(descriptor, where);
        this.#request = { op: "table", element, initial, maximum };
        this.#open();
        if (arguments.length > 1 && (this.#set || value !== null)) for (let i = 0; i < initial; i++) this.set(i, value);
      }
    }
    #open() {
      if (this.#size === undefined) {
        const r = this.#request.op === undefined ? this.#request : host(this.#request); // an answer already, or a request
        this.#handle = r.handle;
        this.#size = native.wasmFunc(r.size, "table.length", "", "i");
        if (r.get !== undefined) { // externref: JS values, read and written in wasm
          this.#get = native.wasmFunc(r.get, "table.get", "i", "e");
          this.#set = native.wasmFunc(r.set, "table.set", "ie", "");
          this.#grow = native.wasmFunc(r.grow, "table.grow", "ie", "i");
        }
        handles.set(this, r.handle);
        objects.set(r.handle, this);
      }
      return this;
    }
    static #of(t) {
      if (typeof t !== "object" || t === null || !(#request in t)) throw new TypeErrorCtor("not a WebAssembly.Table");
      return t.#open();
    }
    static handle(t) { return Table.#of(t).#handle; }
    get length() { return Table.#of(this).#size(); }
    #inBounds(index, where) {
      const at = count(index, "index", where);
      if (at >= this.#size()) throw new RangeErrorCtor(`${where}: index ${at} is out of bounds (length ${this.#size()})`);
      return at;
    }
    get(index) {
      Table.#of(this);
      if (this.#get) return this.#get(this.#inBounds(index, "WebAssembly.Table.get()"));
      const r = host({ op: "table.get", handle: this.#handle, index: count(index, "index", "WebAssembly.Table.get()") });
      return r.null ? null : tableFunction(r);
    }
    set(index, value = undefined) {
      Table.#of(this);
      if (this.#set) return void this.#set(this.#inBounds(index, "WebAssembly.Table.set()"), arguments.length < 2 ? undefined : value);
      const at = count(index, "index", "WebAssembly.Table.set()");
      host({ op: "table.set", handle: this.#handle, index: at, value: elementHandle(value ?? null, "WebAssembly.Table.set()") });
    }
    grow(delta, value = undefined) {
      Table.#of(this);
      const n = count(delta, "delta", "WebAssembly.Table.grow()");
      if (this.#grow) {
        const old = this.#grow(n, arguments.length < 2 ? undefined : value);
        if (old === -1) throw new RangeErrorCtor(`WebAssembly.Table.grow(): cannot grow by ${n}`);
        return old;
      }
      return host({ op: "table.grow", handle: this.#handle, delta: n, value: elementHandle(value ?? null, "WebAssembly.Table.grow()") }).old;
    }
  }
  const tableHandle = Table.handle;
  delete Table.handle;
  const tableFunctions = new Map(); // host handle → the one JS function for that wasm function
  function tableFunction(r) {
    if (!tableFunctions.has(r.handle)) {
      const fn = r.bundled !== undefined
        ? native.namespaceOf(r.bundled[0])[r.bundled[1]] // a bundled module's export: its own
        : native.wasmFunc(r.slot, `#${r.slot}`, r.params, r.results);
      handles.set(fn, r.handle);
      tableFunctions.set(r.handle, fn);
    }
    return tableFunctions.get(r.handle);
  }
  function elementHandle(value, where) {
    if (value === null) return -1;
    if (typeof value === "function" && handles.has(value)) return handles.get(value);
    throw new TypeErrorCtor(`${where}: the value must be null or a function exported by wasm (instantiated at run time)`);
  }
  const bundledTable = (id, name) => new Table(making, { op: "bundled", id, name });
  class Tag {
    constructor() {
      throw new TypeErrorCtor("new WebAssembly.Tag() is not supported in EdgeBox yet (nor WebAssembly.Exception): exception tags stay inside wasm, between the modules that import them from each other");
    }
  }

  // The ids of the wasm modules in the bundle, asked for once: a namespace of one of them in
  // an import object links wasm to wasm directly, as the bundle's own links do.
  let wasmIds;
  function bundledWasmId(ns) {
    if (typeof ns !== "object" || ns === null) return undefined;
    const id = native.moduleNameOf(ns);
    if (id === undefined) return undefined;
    if (wasmIds === undefined) wasmIds = new Set(host({ op: "wasm_ids" }).ids);
    return wasmIds.has(id) ? id : undefined;
  }
  const WASI = ["wasi_snapshot_preview1", "wasi_unstable"];

  // the import object's value for each of the module's imports, as the host links it
  // (`withWasi`: a bundled module's WASI imports are the sandbox's, as at bundle time)
  function linkImports(module, imports, withWasi = false) {
    const { imports: wanted, options } = describeModule(module);
    const needed = wanted.filter((imp) => !(options.builtins && imp.module === JS_STRING) && imp.module !== options.constants);
    if (needed.length > 0 && (typeof imports !== "object" || imports === null))
      throw new TypeErrorCtor("WebAssembly.Instance(): the module has imports, so an import object is required");
    const given = [];
    const jsFunctions = [];
    for (const imp of wanted) {
      if (options.builtins && imp.module === JS_STRING) {
        given.push({ js: -1 });
        jsFunctions.push([given.length - 1, jsString[imp.name], imp]);
        continue;
      }
      if (imp.module === options.constants) {
        if (imp.kind !== "global" || imp.type !== "externref" || imp.mutable)
          throw new LinkErrorCtor(`WebAssembly.Instance(): an imported string constant must be an immutable externref global ("${imp.name}")`);
        given.push({ ref: native.refOf(imp.name) });
        continue;
      }
      if (withWasi && WASI.includes(imp.module) && imports[imp.module] === undefined) {
        given.push({ wasi: true });
        continue;
      }
      const ns = imports[imp.module];
      const wasmId = bundledWasmId(ns);
      if (wasmId !== undefined) {
        given.push({ bundled: [wasmId, imp.name] });
        continue;
      }
      if (typeof ns !== "object" && typeof ns !== "function")
        throw new TypeErrorCtor(`WebAssembly.Instance(): Import #${given.length} "${imp.module}": module is not an object or function`);
      const v = ns[imp.name];
      const where = `WebAssembly.Instance(): Import #${given.length} "${imp.module}" "${imp.name}"`;
      if (imp.kind === "function") {
        if (typeof v !== "function") throw new LinkErrorCtor(`${where}: function import requires a callable`);
        if (handles.has(v)) given.push({ handle: handles.get(v) });
        else {
          given.push({ js: -1 });
          jsFunctions.push([given.length - 1, v, imp]);
        }
      } else if (imp.kind === "global") {
        if (v instanceof Global) given.push({ handle: handles.get(v) });
        else if (imp.mutable) throw new LinkErrorCtor(`${where}: imported mutable global must be a WebAssembly.Global object`);
        else if (imp.type === "externref") given.push({ ref: native.refOf(v) });
        else if (imp.type === "i64" && typeof v === "bigint") given.push({ value: `${v}` });
        else if (imp.type !== "i64" && typeof v === "number") given.push({ value: v });
        else throw new LinkErrorCtor(`${where}: global import must be a number, valid Wasm reference, or WebAssembly.Global object`);
      } else if (imp.kind === "memory") {
        const h = v instanceof Memory ? memoryHandle(v) : -1;
        if (h < 0) throw new LinkErrorCtor(`${where}: memory import must be a WebAssembly.Memory object${v instanceof Memory ? " of a module instantiated at run time" : ""}`);
        given.push({ handle: h });
      } else if (imp.kind === "table") {
        if (!(v instanceof Table)) throw new LinkErrorCtor(`${where}: table import requires a WebAssembly.Table`);
        given.push({ handle: tableHandle(v) });
      } else {
        throw new LinkErrorCtor(`${where}: a ${imp.kind} import is not supported in EdgeBox yet`);
      }
    }
    if (jsFunctions.length > 0) {
      let id = host({ op: "reserve", count: jsFunctions.length }).first;
      for (const [at, fn, imp] of jsFunctions) {
        native.bindImport(id, `${imp.module}#${imp.name}`, imp.params, imp.results, fn);
        given[at] = { js: id++ };
      }
    }
    return given;
  }

  const objects = new Map(); // host handle → the Memory, Table or Global JS has for it
  function makeExports(list) {
    const exports = Object.create(null);
    for (const e of list) {
      let value;
      if (e.kind !== "func" && objects.has(e.handle)) {
        value = objects.get(e.handle); // given as an import, exported again: the same object
      } else if (e.kind === "func" && e.slot !== undefined) {
        value = tableFunctions.get(e.handle) ?? native.wasmFunc(e.slot, `#${e.name}`, e.params, e.results);
        handles.set(value, e.handle);
        tableFunctions.set(e.handle, value); // Table.get of it gives this same function
      } else if (e.kind === "memory") {
        value = makeMemory(...memorySlots(e, e.name));
      } else if (e.kind === "global") {
        value = new Global(making, []);
        if (e.get !== undefined) setGlobal(value, e);
        else handles.set(value, e.handle);
      } else if (e.kind === "table") {
        value = new Table(making, e); // the host's answer already: #open takes it as it is
      } else {
        value = freeze({ kind: e.kind, name: e.name, [Symbol.toStringTag]: "EdgeBox.Unreachable" });
      }
      if (e.kind !== "func" && e.handle !== undefined) objects.set(e.handle, value);
      exports[e.name] = value;
    }
    return freeze(exports);
  }

  class Instance {
    #exports;
    constructor(module, imports = undefined) {
      if (new.target === undefined) throw new TypeErrorCtor("Constructor WebAssembly.Instance requires 'new'");
      if (module === making) {
        this.#exports = imports; // the exports object, made already
        return;
      }
      if (!(module instanceof Module)) throw new TypeErrorCtor("WebAssembly.Instance(): Argument 0 must be a WebAssembly.Module");
      const given = linkImports(module, imports);
      const r = host({ op: "instantiate", module: describeModule(module).id, imports: given });
      this.#exports = makeExports(r.exports);
    }
    get exports() {
      if (typeof this !== "object" || this === null || !(#exports in this)) throw new TypeErrorCtor("not a WebAssembly.Instance");
      return this.#exports;
    }
  }

  // A bundled wasm module that imports what only exists once JS has run (a global from a JS
  // module) is instantiated by its stub, when the stub is evaluated, as the ESM-integration
  // proposal orders it: the import object holds the namespaces of the modules it imports.
  const namespaceInstances = new Map(); // module id → its WebAssembly.Instance
  function instantiateBundled(id, importObject) {
    const module = moduleSource(id);
    const given = linkImports(module, importObject, true);
    const r = host({ op: "instantiate", module: describeModule(module).id, imports: given, bundled: id });
    const instance = new Instance(making, makeExports(r.exports));
    namespaceInstances.set(id, instance);
    return instance.exports;
  }
  // WebAssembly.namespaceInstance(ns): the Instance behind a wasm module's namespace
  function namespaceInstance(ns) {
    const id = bundledWasmId(ns);
    if (id === undefined) throw new TypeErrorCtor("WebAssembly.namespaceInstance(): the argument must be the namespace of a WebAssembly module");
    if (!namespaceInstances.has(id)) {
      const exports = Object.create(null);
      for (const e of host({ op: "namespace", id }).exports) {
        if (e.kind === "global") {
          exports[e.name] = objects.get(e.handle) ?? new Global(making, []);
          if (!objects.has(e.handle) && e.get !== undefined) setGlobal(exports[e.name], e);
        } else {
          exports[e.name] = ns[e.name];
        }
      }
      namespaceInstances.set(id, new Instance(making, freeze(exports)));
    }
    return namespaceInstances.get(id);
  }

  const settle = (fn) => new PromiseCtor((resolve) => resolve(fn()));
  // A Response's module: a .wasm the bundle carries is compiled by the host from the bundle
  // (and was compiled when the bundle was built); any other body needs application/wasm.
  function streamed(response, where) {
    const asset = native.assetOf?.(response);
    if (asset !== undefined) return new Module(ASSET, asset);
    if (typeof Response !== "function" || !(response instanceof Response))
      throw new TypeErrorCtor(`${where}: Argument 0 must be a Response or a Promise of one`);
    const type = response.headers.get("content-type");
    if (type !== "application/wasm")
      throw new TypeErrorCtor(`${where}: Incorrect response MIME type. Expected 'application/wasm'.`);
    if (!response.ok) throw new TypeErrorCtor(`${where}: HTTP status code is not ok`);
    return response.arrayBuffer().then((bytes) => new Module(bytes));
  }
  for (const [cls, name] of [[Module, "Module"], [Instance, "Instance"], [Global, "Global"], [Table, "Table"], [Tag, "Tag"]])
    Object.defineProperty(cls.prototype, Symbol.toStringTag, { value: `WebAssembly.${name}`, configurable: true });
  const WebAssemblyNS = {
    Memory, Module, Instance, Global, Table, Tag,
    namespaceInstance,
    validate(bytes, options = undefined) {
      compileOptions(options, "WebAssembly.validate()");
      return host({ op: "validate" }, bufferSource(bytes, "WebAssembly.validate()")).valid;
    },
    compile(bytes, options = undefined) {
      return settle(() => new Module(bytes, options));
    },
    instantiate(source, imports = undefined, options = undefined) {
      if (source instanceof Module) return settle(() => new Instance(source, imports));
      return settle(() => {
        const module = new Module(source, options);
        return { module, instance: new Instance(module, imports) };
      });
    },
    compileStreaming(source) {
      return PromiseCtor.resolve(source).then((response) => streamed(response, "WebAssembly.compileStreaming()"));
    },
    instantiateStreaming(source, imports = undefined) {
      return PromiseCtor.resolve(source)
        .then((response) => streamed(response, "WebAssembly.instantiateStreaming()"))
        .then((module) => ({ module, instance: new Instance(module, imports) }));
    },
    RuntimeError: RuntimeErrorCtor,
    CompileError: CompileErrorCtor,
    LinkError: LinkErrorCtor,
  };
  const notYet = (what) =>
    new TypeErrorCtor(`${what} is not supported in EdgeBox yet: compile from bytes with WebAssembly.compile or new WebAssembly.Module, or import the .wasm file (import * as m from "./x.wasm")`);
  for (const key of Object.keys(WebAssemblyNS))
    Object.defineProperty(WebAssemblyNS, key, { enumerable: false });
  Object.defineProperty(WebAssemblyNS, Symbol.toStringTag, { value: "WebAssembly", configurable: true });
  // an error of the WebAssembly namespace's classes, by name, for the C glue
  function makeError(name, message) {
    return new ERRORS[name](message);
  }
  function makeRuntimeError(message) {
    return new RuntimeErrorCtor(message);
  }

  // ---- source maps: a stack's frames named by their original place (bundler/sourcemap.py) ----
  // glue.c calls mapStack from QuickJS's Error.prototype.stack getter, the first time a stack
  // is read in a bundle with maps. User code may have replaced any global by then, so this
  // uses only what it takes here. A module's table comes from the host on first use; each
  // generated line's segments are VLQ (ECMA-426) with the state reset at the line's start.
  const mapIds = new Set(native.sourceMaps || []);
  const setHas = Set.prototype.has;
  const mapGet = Map.prototype.get;
  const mapSet = Map.prototype.set;
  const strIndexOf = String.prototype.indexOf;
  const strLastIndexOf = String.prototype.lastIndexOf;
  const strSlice = String.prototype.slice;
  const strCharCodeAt = String.prototype.charCodeAt;
  const Int32ArrayCtor = Int32Array;
  const mapTables = new Map(); // module id → {sources, lines, decoded: Map line → Int32Array} or null
  const b64Value = (c) =>
    c >= 65 && c <= 90 ? c - 65 : c >= 97 && c <= 122 ? c - 71 : c >= 48 && c <= 57 ? c + 4 : c === 43 ? 62 : c === 47 ? 63 : -1;

  // [column, source, line, original column] per segment, 0-based; source -1 for an unmapped one
  function decodeLine(text) {
    const out = new Int32ArrayCtor(4 * text.length);
    let n = 0, column = 0, source = 0, line = 0, orig = 0, field = 0, value = 0, shift = 0;
    const end = () => {
      out[n] = column;
      out[n + 1] = field === 1 ? -1 : source;
      out[n + 2] = line;
      out[n + 3] = orig;
      n += 4;
      field = 0;
    };
    for (let i = 0; i < text.length; i++) {
      const c = ReflectApply(strCharCodeAt, text, [i]);
      if (c === 44) { // ','
        end();
        continue;
      }
      const digit = b64Value(c);
      if (digit < 0) return null;
      value += (digit & 31) * 2 ** shift;
      if (digit & 32) {
        shift += 5;
        continue;
      }
      const v = value % 2 ? -(value - 1) / 2 : value / 2;
      if (field === 0) column += v;
      else if (field === 1) source += v;
      else if (field === 2) line += v;
      else if (field === 3) orig += v;
      field++;
      value = 0;
      shift = 0;
    }
    if (text.length) end();
    return ReflectApply(taSubarray, out, [0, n]);
  }

  function tableOf(id) {
    let table = ReflectApply(mapGet, mapTables, [id]);
    if (table === undefined) {
      try {
        const t = JSONparse(native.hostRequest(JSONstringify({ op: "source_map", id })));
        table = t && t.version === 1 ? { sources: t.sources, lines: t.lines, decoded: new Map() } : null;
      } catch {
        table = null;
      }
      ReflectApply(mapSet, mapTables, [id, table]);
    }
    return table;
  }

  // the original place of generated 1-based line:column: the last segment of that line at or
  // before the column (as Node looks it up), or undefined
  function originalPlace(table, line, column) {
    let segs = ReflectApply(mapGet, table.decoded, [line]);
    if (segs === undefined) {
      const text = line >= 1 && line <= table.lines.length ? table.lines[line - 1] : "";
      segs = typeof text === "string" ? decodeLine(text) : null;
      ReflectApply(mapSet, table.decoded, [line, segs]);
    }
    if (!segs) return undefined;
    let lo = 0, hi = segs.length / 4 - 1, found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (segs[mid * 4] <= column - 1) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (found < 0 || segs[found * 4 + 1] < 0) return undefined;
    const source = table.sources[segs[found * 4 + 1]];
    return typeof source === "string" ? `${source}:${segs[found * 4 + 2] + 1}:${segs[found * 4 + 3] + 1}` : undefined;
  }

  // QuickJS's frames are "    at NAME (FILE:LINE:COLUMN)"
  function mapFrame(frame) {
    if (frame.length < 2 || ReflectApply(strCharCodeAt, frame, [frame.length - 1]) !== 41) return frame;
    const open = ReflectApply(strLastIndexOf, frame, [" ("]);
    const c2 = ReflectApply(strLastIndexOf, frame, [":"]);
    const c1 = c2 > 0 ? ReflectApply(strLastIndexOf, frame, [":", c2 - 1]) : -1;
    if (open < 0 || c1 <= open + 2) return frame;
    const file = ReflectApply(strSlice, frame, [open + 2, c1]);
    if (!ReflectApply(setHas, mapIds, [file])) return frame;
    const table = tableOf(file);
    const place = table && originalPlace(table, +ReflectApply(strSlice, frame, [c1 + 1, c2]),
      +ReflectApply(strSlice, frame, [c2 + 1, frame.length - 1]));
    return place === undefined ? frame : ReflectApply(strSlice, frame, [0, open + 2]) + place + ")";
  }

  function mapStack(text) {
    let out = "", start = 0;
    for (;;) {
      const nl = ReflectApply(strIndexOf, text, ["\n", start]);
      const frame = ReflectApply(strSlice, text, [start, nl < 0 ? text.length : nl]);
      out += mapFrame(frame);
      if (nl < 0) return out;
      out += "\n";
      start = nl + 1;
    }
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
  // a web API's define, when its script runs on first use (glue.c): it replaces the accessor
  // that ran it, not a value the program has put there since
  const lazyDefine = (name, value) => {
    const own = Object.getOwnPropertyDescriptor(globalThis, name);
    if (own === undefined || own.get !== undefined) define(name, value);
  };
  define("console", console);
  define("performance", performance);
  define("PerformanceEntry", PerformanceEntry);
  define("PerformanceMark", PerformanceMark);
  define("PerformanceMeasure", PerformanceMeasure);
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

  // ---- process: the part of Node's that scripts use to talk to their caller ----
  // argv, exit, exitCode, and env only where `edgebox-exec --allow-env` grants it. Nothing
  // here says "node" (no process.versions.node, no release): libraries that test for Node by
  // those take the other path, as they must (there is no require, fs or child_process).
  let exitCode;
  let entryPath = "main";
  const deniedEnv = new Proxy(Object.freeze({}), {
    get(_, name) {
      if (typeof name === "symbol") return undefined;
      throw new TypeErrorCtor(`process.env.${name}: reading the environment needs edgebox-exec --allow-env`);
    },
    has() {
      throw new TypeErrorCtor("process.env: reading the environment needs edgebox-exec --allow-env");
    },
    ownKeys() {
      throw new TypeErrorCtor("process.env: reading the environment needs edgebox-exec --allow-env");
    },
  });
  let env;
  const process = {
    get argv() { return ["edgebox", entryPath, ...scriptArgsList]; },
    get env() {
      if (env === undefined) env = native.envAllowed ? native.environment() : deniedEnv;
      return env;
    },
    get exitCode() { return exitCode; },
    set exitCode(code) {
      if (code !== undefined && code !== null && !isInteger(NumberCtor(code)))
        throw new TypeErrorCtor(`process.exitCode must be an integer (got ${code})`);
      exitCode = code === null ? undefined : code;
    },
    exit(code = undefined) {
      if (code !== undefined && code !== null) process.exitCode = code;
      native.exit(NumberCtor(exitCode ?? 0));
    },
    platform: "wasi",
    [Symbol.toStringTag]: "process",
  };
  let scriptArgsList = Array.from(native.args || []);
  define("process", process);
  const setEntry = (entry) => {
    entryPath = `/${entry}`;
  };
  const chosenExitCode = () => NumberCtor(exitCode ?? 0);
  // A snapshot (edgebox-bundle --snapshot) restored for a run: that run's arguments and
  // environment, and a clock that starts now, not at bundling. What the bundle's modules
  // read of them while they were evaluated at bundle time stays as it was (docs/guide.md).
  const rearm = () => {
    scriptArgsList = Array.from(native.args || []);
    define("scriptArgs", Object.freeze(Array.from(native.args || [])));
    env = undefined;
    origin = native.hrtimeMs();
    timeOrigin = Date.now();
  };
  // What a snapshot may not hold: timers the bundle-time evaluation left pending.
  const pendingTimers = () => pending.size;

  define("WebAssembly", WebAssemblyNS);

  return { reportUncaught, mapStack, runNextTimer, makeMemory, makeRuntimeError, define, moduleSource, bundledTable,
    instantiateBundled, jsString, makeError, lazyDefine, setEntry, exitCode: chosenExitCode, rearm, pendingTimers };
})();
