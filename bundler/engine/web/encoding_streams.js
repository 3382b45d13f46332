// TextEncoderStream and TextDecoderStream (the Encoding Standard, "Interface TextEncoderStream"
// and "Interface TextDecoderStream"): a TransformStream (web/streams.js) around the streaming
// state of TextEncoder and TextDecoder (web/encoding.js). A character split across chunks comes
// out whole: the decoder keeps an incomplete UTF-8 (or UTF-16) sequence for the next chunk, the
// encoder a high surrogate whose low half may start the next string.
(function (native, define) {
  "use strict";
  const apply = Reflect.apply;
  const getOwnPropertyDescriptor = Object.getOwnPropertyDescriptor;
  const defineProperty = Object.defineProperty;
  const TransformStreamCtor = globalThis.TransformStream;
  // (read through the global, which evaluates web/streams.js; a program that replaced it first
  // gets this error rather than one about an undefined property)
  if (typeof TransformStreamCtor !== "function" || typeof globalThis.TransformStreamDefaultController !== "function")
    throw new TypeError("TextEncoderStream and TextDecoderStream need the built-in TransformStream, which this program has replaced");
  const TextEncoderCtor = globalThis.TextEncoder;
  const TextDecoderCtor = globalThis.TextDecoder;
  const encode = TextEncoderCtor.prototype.encode;
  const decode = TextDecoderCtor.prototype.decode;
  const decoderGetter = (name) => getOwnPropertyDescriptor(TextDecoderCtor.prototype, name).get;
  const [decoderEncoding, decoderFatal, decoderIgnoreBOM] = ["encoding", "fatal", "ignoreBOM"].map(decoderGetter);
  const readableOf = getOwnPropertyDescriptor(TransformStreamCtor.prototype, "readable").get;
  const writableOf = getOwnPropertyDescriptor(TransformStreamCtor.prototype, "writable").get;
  const enqueue = globalThis.TransformStreamDefaultController.prototype.enqueue;
  const isView = ArrayBuffer.isView;
  const bufferByteLength = getOwnPropertyDescriptor(ArrayBuffer.prototype, "byteLength").get;
  const charCodeAt = String.prototype.charCodeAt;
  const slice = String.prototype.slice;
  const TypeErrorCtor = TypeError;
  const STREAM = { stream: true };

  const isObject = (v) => (typeof v === "object" && v !== null) || typeof v === "function";
  const isArrayBuffer = (v) => {
    try {
      apply(bufferByteLength, v, []);
      return true;
    } catch {
      return false;
    }
  };

  class TextEncoderStream {
    #encoder = new TextEncoderCtor();
    #pending = ""; // a high surrogate the last chunk ended with
    #transform;
    constructor() {
      this.#transform = new TransformStreamCtor({
        transform: (chunk, controller) => {
          let text = this.#pending + `${chunk}`;
          this.#pending = "";
          const last = text.length > 0 ? apply(charCodeAt, text, [text.length - 1]) : 0;
          if (last >= 0xd800 && last <= 0xdbff) {
            this.#pending = apply(slice, text, [-1]);
            text = apply(slice, text, [0, -1]);
          }
          // a lone surrogate left in `text` is U+FFFD, as the standard's encoder gives
          if (text.length > 0) apply(enqueue, controller, [apply(encode, this.#encoder, [text])]);
        },
        flush: (controller) => {
          if (this.#pending !== "") apply(enqueue, controller, [new Uint8Array([0xef, 0xbf, 0xbd])]);
        },
      });
    }
    get encoding() {
      TextEncoderStream.#check(this);
      return "utf-8";
    }
    get readable() {
      return apply(readableOf, TextEncoderStream.#check(this), []);
    }
    get writable() {
      return apply(writableOf, TextEncoderStream.#check(this), []);
    }
    static #check(self) {
      if (!isObject(self) || !(#transform in self)) throw new TypeErrorCtor("Illegal invocation: not a TextEncoderStream");
      return self.#transform;
    }
  }

  class TextDecoderStream {
    #decoder;
    #transform;
    constructor(label = "utf-8", options = undefined) {
      const decoder = new TextDecoderCtor(label, options);
      this.#decoder = decoder;
      this.#transform = new TransformStreamCtor({
        transform: (chunk, controller) => {
          if (!isView(chunk) && !isArrayBuffer(chunk))
            throw new TypeErrorCtor("A TextDecoderStream's chunks must be ArrayBuffers or ArrayBufferViews");
          const text = apply(decode, decoder, [chunk, STREAM]);
          if (text !== "") apply(enqueue, controller, [text]);
        },
        flush: (controller) => {
          const text = apply(decode, decoder, []);
          if (text !== "") apply(enqueue, controller, [text]);
        },
      });
    }
    get encoding() {
      return apply(decoderEncoding, TextDecoderStream.#decoderOf(this), []);
    }
    get fatal() {
      return apply(decoderFatal, TextDecoderStream.#decoderOf(this), []);
    }
    get ignoreBOM() {
      return apply(decoderIgnoreBOM, TextDecoderStream.#decoderOf(this), []);
    }
    get readable() {
      TextDecoderStream.#decoderOf(this);
      return apply(readableOf, this.#transform, []);
    }
    get writable() {
      TextDecoderStream.#decoderOf(this);
      return apply(writableOf, this.#transform, []);
    }
    static #decoderOf(self) {
      if (!isObject(self) || !(#decoder in self)) throw new TypeErrorCtor("Illegal invocation: not a TextDecoderStream");
      return self.#decoder;
    }
  }

  for (const C of [TextEncoderStream, TextDecoderStream]) {
    for (const key of Object.getOwnPropertyNames(C.prototype)) {
      if (key === "constructor") continue;
      const desc = getOwnPropertyDescriptor(C.prototype, key);
      desc.enumerable = true;
      defineProperty(C.prototype, key, desc);
    }
    defineProperty(C.prototype, Symbol.toStringTag, { __proto__: null, value: C.name, configurable: true });
  }
  define("TextEncoderStream", TextEncoderStream);
  define("TextDecoderStream", TextDecoderStream);
});
