// FormData (XMLHttpRequest Standard, https://xhr.spec.whatwg.org/#interface-formdata): an
// ordered list of entries, each a name and a string or a File (a Blob becomes a File named
// "blob", or the filename given). There is no HTML form here, so the constructor takes none.
// Also the two body formats fetch.js reads and writes with it: the HTML Standard's
// multipart/form-data encoding (names escaped, string values with CRLF line endings), the
// multipart/form-data parser RFC 7578 describes, and the URL Standard's
// application/x-www-form-urlencoded parser, left on `native` (native.formData).
(function (native, define) {
  "use strict";
  const apply = Reflect.apply;
  const bindCall = (f) => apply(Function.prototype.bind, Function.prototype.call, [f]);
  const defineProperty = Reflect.defineProperty;
  const ownKeys = Reflect.ownKeys;
  const getPrototypeOf = Reflect.getPrototypeOf;
  const setPrototypeOf = Reflect.setPrototypeOf;
  const objectCreate = Object.create;
  const TypeErrorCtor = TypeError;
  const U8 = Uint8Array;
  const random = Math.random;
  const mathFloor = Math.floor;
  const dateNow = Date.now;
  const ITERATOR = Symbol.iterator;
  const TO_STRING_TAG = Symbol.toStringTag;
  const utf8Encode = native.utf8Encode;
  const utf8Decode = native.utf8Decode;
  const charCodeAt = bindCall(String.prototype.charCodeAt);
  const fromCharCode = String.fromCharCode;
  const toWellFormed = bindCall(String.prototype.toWellFormed);
  const replace = bindCall(String.prototype.replace);
  const u8Set = bindCall(U8.prototype.set);
  const u8Subarray = bindCall(U8.prototype.subarray);
  const u8Length = bindCall(Reflect.getOwnPropertyDescriptor(getPrototypeOf(U8.prototype), "length").get);
  const IteratorPrototype = getPrototypeOf(getPrototypeOf([][ITERATOR]()));

  native.loadWebScript("Blob");
  const blobs = native.blobs;

  const isObject = (v) => (typeof v === "object" && v !== null) || typeof v === "function";
  const push = (list, v) => {
    list[list.length] = v;
  };
  const toUSVString = (v) => toWellFormed(typeof v === "string" ? v : `${v}`);
  const needArgs = (n, given, what) => {
    if (given < n) throw new TypeErrorCtor(`${what}: ${n} argument${n > 1 ? "s" : ""} required, but only ${given} present.`);
  };

  // "create an entry": a Blob value becomes a File (named "blob" or the filename given)
  function makeEntry(name, value, filename, hasFilename) {
    name = toUSVString(name);
    if (!blobs.isBlob(value)) return [name, toUSVString(value)];
    const isFile = blobs.isFile(value);
    if (!isFile || hasFilename) {
      const fileName = hasFilename ? toUSVString(filename) : "blob";
      value = blobs.makeFile(blobs.bytesOf(value), blobs.typeOf(value), fileName, isFile ? blobs.lastModifiedOf(value) : dateNow());
    }
    return [name, value];
  }
  // the (name, value) or (name, Blob, filename) overloads of append and set
  function entryFromArguments(args, what) {
    needArgs(2, args.length, what);
    if (args.length > 2) {
      if (!blobs.isBlob(args[1])) throw new TypeErrorCtor(`${what}: parameter 2 is not of type 'Blob'.`);
      return makeEntry(args[0], args[1], args[2], args[2] !== undefined);
    }
    return makeEntry(args[0], args[1], undefined, false);
  }

  let listOf;
  let isFormData;
  class FormData {
    #list = [];
    constructor(form = undefined, submitter = undefined) {
      if (form !== undefined) throw new TypeErrorCtor("Failed to construct 'FormData': parameter 1 is not of type 'HTMLFormElement' (there are no forms here).");
    }
    append(name, value, filename = undefined) {
      push(this.#list, entryFromArguments(arguments, "Failed to execute 'append' on 'FormData'"));
    }
    delete(name) {
      needArgs(1, arguments.length, "Failed to execute 'delete' on 'FormData'");
      const n = toUSVString(name);
      const list = this.#list;
      const kept = [];
      for (let i = 0; i < list.length; i++) if (list[i][0] !== n) push(kept, list[i]);
      this.#list = kept;
    }
    get(name) {
      needArgs(1, arguments.length, "Failed to execute 'get' on 'FormData'");
      const n = toUSVString(name);
      const list = this.#list;
      for (let i = 0; i < list.length; i++) if (list[i][0] === n) return list[i][1];
      return null;
    }
    getAll(name) {
      needArgs(1, arguments.length, "Failed to execute 'getAll' on 'FormData'");
      const n = toUSVString(name);
      const list = this.#list;
      const out = [];
      for (let i = 0; i < list.length; i++) if (list[i][0] === n) push(out, list[i][1]);
      return out;
    }
    has(name) {
      needArgs(1, arguments.length, "Failed to execute 'has' on 'FormData'");
      const n = toUSVString(name);
      const list = this.#list;
      for (let i = 0; i < list.length; i++) if (list[i][0] === n) return true;
      return false;
    }
    set(name, value, filename = undefined) {
      const entry = entryFromArguments(arguments, "Failed to execute 'set' on 'FormData'");
      const list = this.#list;
      const out = [];
      let found = false;
      for (let i = 0; i < list.length; i++) {
        if (list[i][0] !== entry[0]) push(out, list[i]);
        else if (!found) {
          found = true;
          push(out, entry);
        }
      }
      if (!found) push(out, entry);
      this.#list = out;
    }
    keys() {
      return makeIterator(this, "key");
    }
    values() {
      return makeIterator(this, "value");
    }
    entries() {
      return makeIterator(this, "key+value");
    }
    forEach(callback, thisArg = undefined) {
      const what = "Failed to execute 'forEach' on 'FormData'";
      needArgs(1, arguments.length, what);
      if (typeof callback !== "function") throw new TypeErrorCtor(`${what}: The callback provided as parameter 1 is not a function.`);
      for (let i = 0; i < this.#list.length; i++) apply(callback, thisArg, [this.#list[i][1], this.#list[i][0], this]);
    }
    static {
      listOf = (fd) => fd.#list;
      isFormData = (v) => isObject(v) && #list in v;
    }
  }

  // WebIDL's pair iterator: a position into the entries, read again at each step
  const FormDataIteratorPrototype = objectCreate(IteratorPrototype);
  let step;
  class FormDataIterator {
    #formData;
    #kind;
    #index = 0;
    constructor(formData, kind) {
      this.#formData = formData;
      this.#kind = kind;
    }
    static {
      step = (it) => {
        if (!isObject(it) || !(#kind in it)) throw new TypeErrorCtor("next method called on an object that is not a FormData Iterator");
        const list = listOf(it.#formData);
        if (it.#index >= list.length) return { value: undefined, done: true };
        const entry = list[it.#index++];
        const kind = it.#kind;
        return { value: kind === "key" ? entry[0] : kind === "value" ? entry[1] : [entry[0], entry[1]], done: false };
      };
    }
  }
  defineProperty(FormDataIteratorPrototype, "next", {
    value: {
      next() {
        return step(this);
      },
    }.next,
    writable: true,
    enumerable: true,
    configurable: true,
  });
  defineProperty(FormDataIteratorPrototype, TO_STRING_TAG, { value: "FormData Iterator", configurable: true });
  function makeIterator(formData, kind) {
    listOf(formData); // a brand check: TypeError for what is not a FormData
    const it = new FormDataIterator(formData, kind);
    setPrototypeOf(it, FormDataIteratorPrototype);
    return it;
  }

  const proto = FormData.prototype;
  const keys = ownKeys(proto);
  for (let i = 0; i < keys.length; i++) if (keys[i] !== "constructor") defineProperty(proto, keys[i], { enumerable: true });
  defineProperty(proto, ITERATOR, { value: proto.entries, writable: true, configurable: true });
  defineProperty(proto, TO_STRING_TAG, { value: "FormData", configurable: true });

  // ---- bytes ----

  const concat = (chunks) => {
    let size = 0;
    for (let i = 0; i < chunks.length; i++) size += u8Length(chunks[i]);
    const out = new U8(size);
    let at = 0;
    for (let i = 0; i < chunks.length; i++) {
      u8Set(out, chunks[i], at);
      at += u8Length(chunks[i]);
    }
    return out;
  };
  const latin1 = (s) => {
    const out = new U8(s.length);
    for (let i = 0; i < s.length; i++) out[i] = charCodeAt(s, i);
    return out;
  };
  // a name or filename in a Content-Disposition header: LF, CR and '"' percent-encoded
  const escapeName = (s) => replace(replace(replace(s, /\n/g, "%0A"), /\r/g, "%0D"), /"/g, "%22");
  const LINE_BREAKS = /\r\n|\r|\n/g;

  // The HTML Standard's multipart/form-data encoding: the body bytes and the boundary.
  function encodeMultipart(formData) {
    let boundary = "----formdata-edgebox-";
    for (let i = 0; i < 24; i++) boundary += fromCharCode(48 + mathFloor(random() * 10));
    const list = listOf(formData);
    const chunks = [];
    for (let i = 0; i < list.length; i++) {
      const name = escapeName(replace(list[i][0], LINE_BREAKS, "\r\n"));
      const value = list[i][1];
      if (typeof value === "string") {
        push(chunks, utf8Encode(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n`));
        push(chunks, utf8Encode(replace(value, LINE_BREAKS, "\r\n")));
        push(chunks, latin1("\r\n"));
      } else {
        const type = blobs.typeOf(value) === "" ? "application/octet-stream" : blobs.typeOf(value);
        push(chunks, utf8Encode(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${escapeName(blobs.nameOf(value))}"\r\nContent-Type: ${type}\r\n\r\n`));
        push(chunks, blobs.bytesOf(value));
        push(chunks, latin1("\r\n"));
      }
    }
    push(chunks, latin1(`--${boundary}--\r\n`));
    return { bytes: concat(chunks), boundary };
  }

  const decode = (bytes) => blobs.decodeUtf8(bytes);
  const startsWith = (bytes, at, pattern) => {
    if (at + u8Length(pattern) > u8Length(bytes)) return false;
    for (let i = 0; i < u8Length(pattern); i++) if (bytes[at + i] !== pattern[i]) return false;
    return true;
  };
  const indexOf = (bytes, pattern, from) => {
    const n = u8Length(bytes);
    const m = u8Length(pattern);
    const first = pattern[0];
    for (let i = from; i + m <= n; i++) {
      if (bytes[i] !== first) continue;
      let k = 1;
      while (k < m && bytes[i + k] === pattern[k]) k++;
      if (k === m) return i;
    }
    return -1;
  };
  const lowerAscii = (s) => {
    let out = "";
    for (let i = 0; i < s.length; i++) {
      const c = charCodeAt(s, i);
      out += c >= 0x41 && c <= 0x5a ? fromCharCode(c + 32) : s[i];
    }
    return out;
  };
  const isAscii = (s) => {
    for (let i = 0; i < s.length; i++) if (charCodeAt(s, i) > 0x7f) return false;
    return true;
  };
  const isoDecode = (bytes, a, b) => {
    let s = "";
    for (let i = a; i < b; i++) s += fromCharCode(bytes[i]);
    return s;
  };

  // multipart/form-data as RFC 7578 (over RFC 2046) has it, which the Fetch Standard names for
  // formData(): a preamble and an epilogue are skipped, each part needs a Content-Disposition
  // with a name; a filename makes a File (text/plain when the part has no Content-Type).
  // null for what does not parse.
  function parseMultipart(bytes, boundary) {
    const delimiter = latin1(`--${boundary}`);
    const dashes = u8Length(delimiter);
    const next = latin1(`\r\n--${boundary}`);
    const entries = [];
    const n = u8Length(bytes);
    // a preamble before the first delimiter line is skipped, as RFC 2046 says
    let at = startsWith(bytes, 0, delimiter) ? 0 : indexOf(bytes, next, 0) + 2;
    if (at < 2 && at !== 0) return null;
    for (;;) {
      if (!startsWith(bytes, at, delimiter)) return null;
      at += dashes;
      if (bytes[at] === 0x2d && bytes[at + 1] === 0x2d) return entries; // --boundary--: an epilogue is ignored
      while (bytes[at] === 0x20 || bytes[at] === 0x09) at++; // transport padding
      if (bytes[at] !== 0x0d || bytes[at + 1] !== 0x0a) return null;
      at += 2;
      // the part's headers, up to an empty line
      let name = null;
      let filename = null;
      let contentType = null;
      for (;;) {
        if (at + 1 >= n) return null;
        if (bytes[at] === 0x0d && bytes[at + 1] === 0x0a) {
          at += 2;
          break;
        }
        const colon = indexOf(bytes, latin1(":"), at);
        const eol = indexOf(bytes, latin1("\r\n"), at);
        if (colon < 0 || eol < 0 || colon > eol) return null;
        const headerName = lowerAscii(isoDecode(bytes, at, colon));
        let v = colon + 1;
        while (v < eol && (bytes[v] === 0x20 || bytes[v] === 0x09)) v++;
        let end = eol;
        while (end > v && (bytes[end - 1] === 0x20 || bytes[end - 1] === 0x09)) end--;
        if (headerName === "content-disposition") {
          const parsed = parseDisposition(bytes, v, end);
          if (parsed === null) return null;
          name = parsed.name;
          filename = parsed.filename;
        } else if (headerName === "content-type") {
          contentType = isoDecode(bytes, v, end);
        }
        at = eol + 2;
      }
      if (name === null) return null;
      const close = indexOf(bytes, next, at);
      if (close < 0) return null;
      const body = u8Subarray(bytes, at, close);
      at = close + 2;
      if (filename !== null) {
        let type = contentType ?? "text/plain";
        if (!isAscii(type)) type = "";
        push(entries, [name, blobs.makeFile(new U8(body), blobs.normalizeType(type), filename, dateNow())]);
      } else push(entries, [name, decode(body)]);
    }
  }
  // `form-data; name="..."` and an optional `; filename="..."`
  function parseDisposition(bytes, a, b) {
    const prefix = latin1('form-data; name="');
    if (!startsWith(bytes, a, prefix)) return null;
    let at = a + u8Length(prefix);
    const name = parseName(bytes, at, b);
    if (name === null) return null;
    at = name.end;
    let filename = null;
    const fileprefix = latin1('; filename="');
    if (startsWith(bytes, at, fileprefix)) {
      const f = parseName(bytes, at + u8Length(fileprefix), b);
      if (f === null) return null;
      filename = f.value;
    }
    return { name: name.value, filename };
  }
  function parseName(bytes, at, b) {
    let end = at;
    while (end < b && bytes[end] !== 0x22 && bytes[end] !== 0x0a && bytes[end] !== 0x0d) end++;
    if (bytes[end] !== 0x22 || end >= b) return null;
    const raw = replace(replace(replace(isoDecode(bytes, at, end), /%0A/g, "\n"), /%0D/g, "\r"), /%22/g, '"');
    return { value: decode(latin1(raw)), end: end + 1 };
  }

  // The URL Standard's application/x-www-form-urlencoded parser, over bytes.
  function parseUrlencoded(bytes) {
    const out = [];
    const n = u8Length(bytes);
    let start = 0;
    while (start <= n) {
      let end = start;
      while (end < n && bytes[end] !== 0x26) end++;
      if (end > start) {
        let eq = start;
        while (eq < end && bytes[eq] !== 0x3d) eq++;
        const name = percentDecode(bytes, start, eq);
        const value = eq < end ? percentDecode(bytes, eq + 1, end) : "";
        push(out, [name, value]);
      }
      start = end + 1;
    }
    return out;
  }
  const hexValue = (c) => (c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x41 && c <= 0x46 ? c - 0x37 : c >= 0x61 && c <= 0x66 ? c - 0x57 : -1);
  function percentDecode(bytes, a, b) {
    const out = new U8(b - a);
    let k = 0;
    for (let i = a; i < b; i++) {
      const c = bytes[i];
      if (c === 0x2b) out[k++] = 0x20;
      else if (c === 0x25 && i + 2 < b && hexValue(bytes[i + 1]) >= 0 && hexValue(bytes[i + 2]) >= 0) {
        out[k++] = hexValue(bytes[i + 1]) * 16 + hexValue(bytes[i + 2]);
        i += 2;
      } else out[k++] = c;
    }
    return utf8Decode(u8Subarray(out, 0, k), false, false, null)[0];
  }

  const fromEntries = (entries) => {
    const fd = new FormData();
    const list = listOf(fd);
    for (let i = 0; i < entries.length; i++) push(list, entries[i]);
    return fd;
  };

  native.formData = { FormData, isFormData, listOf, encodeMultipart, parseMultipart, parseUrlencoded, fromEntries };
  define("FormData", FormData);
});
