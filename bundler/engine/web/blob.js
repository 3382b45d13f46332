// Blob and File: the File API (https://w3c.github.io/FileAPI/). A Blob's bytes are copied once,
// when it is made, into one Uint8Array that nothing writes to afterwards; a slice is a view of
// the same bytes (no copy), and every read hands out a copy. The WebIDL conversions follow the
// standard's order (the parts, then the options' members in lexicographic order), with its
// TypeErrors. blob.js leaves its internals on `native` (native.blobs) for formdata.js and
// fetch.js, which make and read Blobs without going through globals a program can replace.
(function (native, define) {
  "use strict";
  // Intrinsics, taken when the script first runs (the first read of Blob or File, or a script
  // that needs them): a program that replaces a built-in later does not change what they do.
  const apply = Reflect.apply;
  const bindCall = (f) => apply(Function.prototype.bind, Function.prototype.call, [f]);
  const defineProperty = Reflect.defineProperty;
  const getOwnPropertyDescriptor = Reflect.getOwnPropertyDescriptor;
  const ownKeys = Reflect.ownKeys;
  const utf8Encode = native.utf8Encode;
  const utf8Decode = native.utf8Decode;
  const NumberCtor = Number;
  const TypeErrorCtor = TypeError;
  const PromiseCtor = Promise;
  const U8 = Uint8Array;
  const isView = ArrayBuffer.isView;
  const dateNow = Date.now;
  const mathFloor = Math.floor;
  const mathMin = Math.min;
  const mathMax = Math.max;
  const ITERATOR = Symbol.iterator;
  const TO_STRING_TAG = Symbol.toStringTag;
  const charCodeAt = bindCall(String.prototype.charCodeAt);
  const fromCharCode = String.fromCharCode;
  const replace = bindCall(String.prototype.replace);
  const toWellFormed = bindCall(String.prototype.toWellFormed);
  const u8Set = bindCall(U8.prototype.set);
  const u8Subarray = bindCall(U8.prototype.subarray);
  const u8Slice = bindCall(U8.prototype.slice);
  const u8Length = bindCall(getOwnPropertyDescriptor(Object.getPrototypeOf(U8.prototype), "length").get);
  const viewBuffer = bindCall(getOwnPropertyDescriptor(Object.getPrototypeOf(U8.prototype), "buffer").get);
  const dataViewBuffer = bindCall(getOwnPropertyDescriptor(DataView.prototype, "buffer").get);
  const dataViewOffset = bindCall(getOwnPropertyDescriptor(DataView.prototype, "byteOffset").get);
  const dataViewLength = bindCall(getOwnPropertyDescriptor(DataView.prototype, "byteLength").get);
  const typedOffset = bindCall(getOwnPropertyDescriptor(Object.getPrototypeOf(U8.prototype), "byteOffset").get);
  const typedLength = bindCall(getOwnPropertyDescriptor(Object.getPrototypeOf(U8.prototype), "byteLength").get);
  const bufferLength = bindCall(getOwnPropertyDescriptor(ArrayBuffer.prototype, "byteLength").get);
  const bufferSlice = bindCall(ArrayBuffer.prototype.slice);
  const NEWLINES = /\r\n?/g;

  const isObject = (v) => (typeof v === "object" && v !== null) || typeof v === "function";
  const isArrayBuffer = (v) => {
    if (!isObject(v)) return false;
    try {
      bufferLength(v);
      return true;
    } catch {
      return false; // not an ArrayBuffer (a SharedArrayBuffer fails the same check)
    }
  };
  const isDataView = (v) => {
    try {
      dataViewLength(v);
      return true;
    } catch {
      return false;
    }
  };
  // A copy of the bytes a BufferSource holds now (none for a detached buffer).
  const copyOfBufferSource = (v) => {
    if (isArrayBuffer(v)) return new U8(bufferSlice(v, 0));
    if (isDataView(v)) return new U8(bufferSlice(dataViewBuffer(v), dataViewOffset(v), dataViewOffset(v) + dataViewLength(v)));
    return new U8(bufferSlice(viewBuffer(v), typedOffset(v), typedOffset(v) + typedLength(v)));
  };
  const isBufferSource = (v) => isArrayBuffer(v) || isView(v);

  // The type a Blob records: "" when it has a character outside U+0020..U+007E, else lowercased.
  const normalizeType = (t) => {
    let out = "";
    for (let i = 0; i < t.length; i++) {
      const c = charCodeAt(t, i);
      if (c < 0x20 || c > 0x7e) return "";
      out += c >= 0x41 && c <= 0x5a ? fromCharCode(c + 32) : t[i];
    }
    return out;
  };
  // WebIDL's conversion to a DOMString / USVString (a Symbol is a TypeError, as ToString says)
  const toDOMString = (v) => (typeof v === "string" ? v : `${v}`);
  // [Clamp] long long
  const toClampedLongLong = (v) => {
    let x = NumberCtor(v);
    if (x !== x) return 0;
    x = mathMin(mathMax(x, -9007199254740991), 9007199254740991);
    const f = mathFloor(x);
    const diff = x - f;
    if (diff > 0.5 || (diff === 0.5 && f % 2 !== 0)) return f + 1;
    return f === 0 ? 0 : f; // -0 becomes 0
  };
  // long long (no [Clamp]/[EnforceRange]): ToNumber, truncated, wrapped to 64 bits
  const toLongLong = (v) => {
    const x = NumberCtor(v);
    if (x !== x || x === Infinity || x === -Infinity) return 0;
    const t = x < 0 ? -mathFloor(-x) : mathFloor(x);
    if (t >= -9007199254740991 && t <= 9007199254740991) return t === 0 ? 0 : t;
    const m = t % 18446744073709551616;
    const wrapped = m < 0 ? m + 18446744073709551616 : m;
    return wrapped >= 9223372036854775808 ? wrapped - 18446744073709551616 : wrapped;
  };

  // sequence<BlobPart>: each element converted as it is reached (a Blob, a BufferSource kept as
  // it is until the parts are processed, anything else a USVString).
  function convertParts(parts, what, required) {
    if (parts === undefined && !required) return [];
    if (!isObject(parts)) throw new TypeErrorCtor(`${what}: The provided value cannot be converted to a sequence.`);
    const method = parts[ITERATOR];
    if (typeof method !== "function") throw new TypeErrorCtor(`${what}: The object must have a callable @@iterator property.`);
    const iterator = apply(method, parts, []);
    if (!isObject(iterator)) throw new TypeErrorCtor(`${what}: the iterator is not an object`);
    const next = iterator.next;
    const out = [];
    for (;;) {
      const step = apply(next, iterator, []);
      if (!isObject(step)) throw new TypeErrorCtor(`${what}: the iterator result is not an object`);
      if (step.done) return out;
      const v = step.value;
      if (isObject(v) && (isBlob(v) || isBufferSource(v))) out[out.length] = v;
      else out[out.length] = toDOMString(v);
    }
  }
  // a BlobPropertyBag / FilePropertyBag: undefined and null are the defaults
  function convertOptions(options, what, file) {
    if (options !== undefined && options !== null && !isObject(options))
      throw new TypeErrorCtor(`${what}: The provided value is not of type '${file ? "FilePropertyBag" : "BlobPropertyBag"}'.`);
    if (options === undefined || options === null)
      return { endings: "transparent", lastModified: file ? dateNow() : undefined, type: "" };
    const bag = options;
    let endings = bag.endings;
    if (endings === undefined) endings = "transparent";
    else {
      endings = toDOMString(endings);
      if (endings !== "transparent" && endings !== "native")
        throw new TypeErrorCtor(`${what}: The provided value '${endings}' is not a valid enum value of type EndingType.`);
    }
    let lastModified;
    if (file) {
      lastModified = bag.lastModified;
      lastModified = lastModified === undefined ? dateNow() : toLongLong(lastModified);
    }
    const type = bag.type;
    return { endings, lastModified, type: type === undefined ? "" : toDOMString(type) };
  }
  // "process blob parts": the bytes, in one new Uint8Array
  function processParts(parts, endings) {
    const chunks = [];
    let size = 0;
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i];
      let bytes;
      if (typeof p === "string") bytes = utf8Encode(endings === "native" ? replace(p, NEWLINES, "\n") : p);
      else if (isBlob(p)) bytes = bytesOf(p);
      else bytes = copyOfBufferSource(p);
      chunks[chunks.length] = bytes;
      size += u8Length(bytes);
    }
    // one part: its bytes are new (a copy) or a Blob's, which nothing writes to
    if (chunks.length === 1) return chunks[0];
    const out = new U8(size);
    let at = 0;
    for (let i = 0; i < chunks.length; i++) {
      u8Set(out, chunks[i], at);
      at += u8Length(chunks[i]);
    }
    return out;
  }

  const CHUNK = 65536; // the size of the chunks stream() gives
  let bytesOf;
  let isBlob;
  let makeBlob;
  let makeFile;
  let isFile;
  let typeOf;
  let nameOf;
  let lastModifiedOf;
  let makingFile = false; // File's constructor called by makeFile: no conversions, no reads
  let setBlob; // a File's bytes and type, set after Blob's constructor ran with no parts

  class Blob {
    #bytes;
    #type;
    constructor(blobParts = undefined, options = undefined) {
      const parts = convertParts(blobParts, "Failed to construct 'Blob'", false);
      const o = convertOptions(options, "Failed to construct 'Blob'", false);
      this.#bytes = processParts(parts, o.endings);
      this.#type = normalizeType(o.type);
    }
    get size() {
      return u8Length(this.#bytes);
    }
    get type() {
      return this.#type;
    }
    slice(start = undefined, end = undefined, contentType = undefined) {
      const bytes = this.#bytes;
      const size = u8Length(bytes);
      let from = start === undefined ? 0 : toClampedLongLong(start);
      let to = end === undefined ? size : toClampedLongLong(end);
      const type = contentType === undefined ? "" : normalizeType(toDOMString(contentType));
      from = from < 0 ? mathMax(size + from, 0) : mathMin(from, size);
      to = to < 0 ? mathMax(size + to, 0) : mathMin(to, size);
      return makeBlob(u8Subarray(bytes, from, mathMax(to, from)), type);
    }
    stream() {
      const bytes = this.#bytes;
      return newStream(bytes);
    }
    text() {
      const bytes = this.#bytes;
      return PromiseCtor.resolve(decodeUtf8(bytes));
    }
    arrayBuffer() {
      const bytes = this.#bytes;
      return PromiseCtor.resolve(viewBuffer(u8Slice(bytes)));
    }
    bytes() {
      const bytes = this.#bytes;
      return PromiseCtor.resolve(u8Slice(bytes));
    }
    static {
      bytesOf = (b) => b.#bytes;
      typeOf = (b) => b.#type;
      isBlob = (v) => isObject(v) && #bytes in v;
      setBlob = (b, bytes, type) => {
        b.#bytes = bytes;
        b.#type = type;
        return b;
      };
      makeBlob = (bytes, type) => setBlob(new Blob(), bytes, type);
    }
  }

  class File extends Blob {
    #name;
    #lastModified;
    constructor(fileBits, fileName, options = undefined) {
      if (makingFile) {
        makingFile = false;
        super();
        return;
      }
      if (arguments.length < 2)
        throw new TypeErrorCtor(`Failed to construct 'File': 2 arguments required, but only ${arguments.length} present.`);
      const parts = convertParts(fileBits, "Failed to construct 'File'", true);
      const name = toWellFormed(toDOMString(fileName)); // a USVString
      const o = convertOptions(options, "Failed to construct 'File'", true);
      super();
      const bytes = processParts(parts, o.endings);
      setBlob(this, bytes, normalizeType(o.type));
      this.#name = name;
      this.#lastModified = o.lastModified;
    }
    get name() {
      return this.#name;
    }
    get lastModified() {
      return this.#lastModified;
    }
    static {
      makeFile = (bytes, type, name, lastModified) => {
        makingFile = true;
        const f = new File();
        setBlob(f, bytes, type);
        f.#name = name;
        f.#lastModified = lastModified;
        return f;
      };
      isFile = (v) => isObject(v) && #name in v;
      nameOf = (f) => f.#name;
      lastModifiedOf = (f) => f.#lastModified;
    }
  }
  // UTF-8 decode (a leading BOM removed), replacement characters for bad bytes
  const decodeUtf8 = (bytes) => {
    const start = u8Length(bytes) >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
    return utf8Decode(start ? u8Subarray(bytes, start) : bytes, false, false, null)[0];
  };

  let ReadableStreamCtor;
  // a ReadableStream of copies of the bytes, CHUNK at a time, made as they are read
  const newStream = (bytes) => {
    ReadableStreamCtor ??= native.loadWebScript("ReadableStream");
    if (typeof ReadableStreamCtor !== "function") throw new TypeErrorCtor("ReadableStream is not available");
    let at = 0;
    return new ReadableStreamCtor({
      pull(controller) {
        const n = u8Length(bytes);
        if (at >= n) {
          controller.close();
          return;
        }
        const end = mathMin(at + CHUNK, n);
        controller.enqueue(u8Slice(bytes, at, end));
        at = end;
        if (at >= n) controller.close();
      },
    }, { highWaterMark: 0 });
  };

  // WebIDL: attributes and operations are enumerable; the classes are tagged
  for (const C of [Blob, File]) {
    const proto = C.prototype;
    const keys = ownKeys(proto);
    for (let i = 0; i < keys.length; i++)
      if (keys[i] !== "constructor") defineProperty(proto, keys[i], { enumerable: true });
    defineProperty(proto, TO_STRING_TAG, { value: C.name, configurable: true });
  }

  native.blobs = { Blob, File, bytesOf, isBlob, makeBlob, makeFile, isFile, typeOf, nameOf, lastModifiedOf, decodeUtf8, newStream, normalizeType, copyOfBufferSource, isBufferSource };
  define("Blob", Blob);
  define("File", File);
});
