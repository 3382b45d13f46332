// CompressionStream and DecompressionStream (the Compression Standard): a TransformStream
// (web/streams.js) around a codec in C (web/compression.c: DEFLATE with the zlib and gzip
// wrappers). The natives take only a codec they made and bytes, so taking them when this script
// first runs, after user code, changes nothing they can reach.
(function (native, define) {
  "use strict";
  const codecNew = native.codecNew;
  const codecPush = native.codecPush;
  const apply = Reflect.apply;
  const getOwnPropertyDescriptor = Object.getOwnPropertyDescriptor;
  const defineProperty = Object.defineProperty;
  const getPrototypeOf = Object.getPrototypeOf;
  const TransformStreamCtor = globalThis.TransformStream;
  // (read through the global, which evaluates web/streams.js; a program that replaced it first
  // gets this error rather than one about an undefined property)
  if (typeof TransformStreamCtor !== "function" || typeof globalThis.TransformStreamDefaultController !== "function")
    throw new TypeError("CompressionStream and DecompressionStream need the built-in TransformStream, which this program has replaced");
  const readableOf = getOwnPropertyDescriptor(TransformStreamCtor.prototype, "readable").get;
  const writableOf = getOwnPropertyDescriptor(TransformStreamCtor.prototype, "writable").get;
  const enqueue = globalThis.TransformStreamDefaultController.prototype.enqueue;
  const U8 = Uint8Array;
  const isView = ArrayBuffer.isView;
  const TypedArrayProto = getPrototypeOf(U8.prototype);
  const getter = (proto, name) => getOwnPropertyDescriptor(proto, name).get;
  const typedTag = getter(TypedArrayProto, Symbol.toStringTag);
  const typedBuffer = getter(TypedArrayProto, "buffer");
  const typedOffset = getter(TypedArrayProto, "byteOffset");
  const typedByteLength = getter(TypedArrayProto, "byteLength");
  const viewBuffer = getter(DataView.prototype, "buffer");
  const viewOffset = getter(DataView.prototype, "byteOffset");
  const viewByteLength = getter(DataView.prototype, "byteLength");
  const bufferByteLength = getter(ArrayBuffer.prototype, "byteLength");
  const TypeErrorCtor = TypeError;
  const FORMATS = { __proto__: null, deflate: 0, "deflate-raw": 1, gzip: 2 };

  // a BufferSource's bytes as a Uint8Array over them, found from internal slots
  const bytesOf = (chunk) => {
    if (isView(chunk)) {
      if (apply(typedTag, chunk, []) !== undefined)
        return new U8(apply(typedBuffer, chunk, []), apply(typedOffset, chunk, []), apply(typedByteLength, chunk, []));
      return new U8(apply(viewBuffer, chunk, []), apply(viewOffset, chunk, []), apply(viewByteLength, chunk, []));
    }
    try {
      apply(bufferByteLength, chunk, []);
    } catch {
      throw new TypeErrorCtor("The chunk must be an ArrayBuffer or an ArrayBufferView (BufferSource)");
    }
    return new U8(chunk);
  };
  const formatOf = (format, name) => {
    const f = `${format}`;
    const kind = FORMATS[f];
    if (kind === undefined)
      throw new TypeErrorCtor(`Failed to construct '${name}': '${f}' is not a valid CompressionFormat ("deflate", "deflate-raw" or "gzip")`);
    return kind;
  };
  const transformer = (codec) => ({
    transform(chunk, controller) {
      const out = codecPush(codec, bytesOf(chunk), false);
      if (out.length > 0) apply(enqueue, controller, [out]);
    },
    flush(controller) {
      const out = codecPush(codec, undefined, true);
      if (out.length > 0) apply(enqueue, controller, [out]);
    },
  });

  class CompressionStream {
    #transform;
    constructor(format) {
      if (arguments.length < 1) throw new TypeErrorCtor("Failed to construct 'CompressionStream': 1 argument required");
      this.#transform = new TransformStreamCtor(transformer(codecNew(formatOf(format, "CompressionStream"), false)));
    }
    get readable() {
      return apply(readableOf, CompressionStream.#of(this), []);
    }
    get writable() {
      return apply(writableOf, CompressionStream.#of(this), []);
    }
    static #of(self) {
      if (typeof self !== "object" || self === null || !(#transform in self))
        throw new TypeErrorCtor("Illegal invocation: not a CompressionStream");
      return self.#transform;
    }
  }

  class DecompressionStream {
    #transform;
    constructor(format) {
      if (arguments.length < 1) throw new TypeErrorCtor("Failed to construct 'DecompressionStream': 1 argument required");
      this.#transform = new TransformStreamCtor(transformer(codecNew(formatOf(format, "DecompressionStream"), true)));
    }
    get readable() {
      return apply(readableOf, DecompressionStream.#of(this), []);
    }
    get writable() {
      return apply(writableOf, DecompressionStream.#of(this), []);
    }
    static #of(self) {
      if (typeof self !== "object" || self === null || !(#transform in self))
        throw new TypeErrorCtor("Illegal invocation: not a DecompressionStream");
      return self.#transform;
    }
  }

  for (const C of [CompressionStream, DecompressionStream]) {
    for (const key of ["readable", "writable"]) {
      const desc = getOwnPropertyDescriptor(C.prototype, key);
      desc.enumerable = true;
      defineProperty(C.prototype, key, desc);
    }
    defineProperty(C.prototype, Symbol.toStringTag, { __proto__: null, value: C.name, configurable: true });
  }
  define("CompressionStream", CompressionStream);
  define("DecompressionStream", DecompressionStream);
});
