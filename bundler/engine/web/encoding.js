// TextEncoder and TextDecoder (the Encoding standard), for UTF-8: the conversions are C
// (web/encoding.c); this file is the classes, their options and the streaming state.
(function (native, define) {
  "use strict";
  const utf8Encode = native.utf8Encode;
  const utf8EncodeInto = native.utf8EncodeInto;
  const utf8Decode = native.utf8Decode;
  const U8 = Uint8Array;
  // The built-in getters, taken before user code runs: an input's kind and bytes are found from
  // its internal slots, never from properties a program could have redefined
  const apply = Reflect.apply;
  const dataView = (name) => Object.getOwnPropertyDescriptor(DataView.prototype, name).get;
  const [viewBuffer, viewOffset, viewLength] = ["buffer", "byteOffset", "byteLength"].map(dataView);
  const isView = ArrayBuffer.isView;
  const arrayBufferLength = Object.getOwnPropertyDescriptor(ArrayBuffer.prototype, "byteLength").get;
  const typedArrayLength = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(U8.prototype), "byteLength").get;
  const lengthOr = (getter, v) => {
    try {
      return apply(getter, v, []);
    } catch {
      return -1; // not of that kind
    }
  };
  // decode's input as what the C side reads: a typed array or an ArrayBuffer, or undefined for
  // no bytes (a detached buffer holds none, as WebIDL's "get a copy of the bytes" has it)
  const bytesOf = (input) => {
    if (input === undefined) return input;
    const whole = lengthOr(arrayBufferLength, input);
    if (whole >= 0) return whole === 0 ? undefined : input;
    if (!isView(input)) throw new TypeError('The "input" argument must be an ArrayBuffer or an ArrayBufferView');
    const typed = lengthOr(typedArrayLength, input);
    if (typed >= 0) return typed === 0 ? undefined : input;
    const length = lengthOr(viewLength, input); // a DataView: throws when detached
    return length <= 0 ? undefined : new U8(apply(viewBuffer, input, []), apply(viewOffset, input, []), length);
  };
  // the labels the standard gives UTF-8
  const LABELS = ["unicode-1-1-utf-8", "unicode11utf8", "unicode20utf8", "utf-8", "utf8", "x-unicode20utf8"];

  class TextEncoder {
    #brand = true;
    get encoding() {
      TextEncoder.#check(this);
      return "utf-8";
    }
    encode(input = "") {
      TextEncoder.#check(this);
      return utf8Encode(`${input}`);
    }
    encodeInto(source, destination) {
      TextEncoder.#check(this);
      if (!(destination instanceof U8))
        throw new TypeError('The "destination" argument must be an instance of Uint8Array');
      return utf8EncodeInto(typeof source === "string" ? source : `${source}`, destination);
    }
    static #check(self) {
      if (!(#brand in Object(self))) throw new TypeError("Illegal invocation: not a TextEncoder");
    }
  }

  class TextDecoder {
    #fatal;
    #ignoreBOM;
    #pending = null; // the bytes of an incomplete sequence a streaming decode left
    #bomSeen = false;
    #streaming = false;
    constructor(label = "utf-8", options = undefined) {
      const name = `${label}`.trim().toLowerCase();
      if (!LABELS.includes(name)) throw new RangeError(`The "${label}" encoding is not supported`);
      const opts = TextDecoder.#dictionary(options);
      this.#fatal = Boolean(opts.fatal);
      this.#ignoreBOM = Boolean(opts.ignoreBOM);
    }
    get encoding() {
      TextDecoder.#check(this);
      return "utf-8";
    }
    get fatal() {
      TextDecoder.#check(this);
      return this.#fatal;
    }
    get ignoreBOM() {
      TextDecoder.#check(this);
      return this.#ignoreBOM;
    }
    decode(input = undefined, options = undefined) {
      TextDecoder.#check(this);
      const stream = Boolean(TextDecoder.#dictionary(options).stream);
      if (!this.#streaming) {
        this.#pending = null;
        this.#bomSeen = false;
      }
      this.#streaming = stream;
      let text, left;
      try {
        [text, left] = utf8Decode(bytesOf(input), this.#fatal, stream, this.#pending);
      } catch (e) {
        this.#pending = null;
        this.#streaming = false;
        throw e;
      }
      this.#pending = left;
      if (!this.#bomSeen && text.length > 0) {
        this.#bomSeen = true;
        if (!this.#ignoreBOM && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      }
      return text;
    }
    static #dictionary(options) {
      if (options === undefined || options === null) return {};
      if (typeof options !== "object" && typeof options !== "function")
        throw new TypeError('The "options" argument must be of type object');
      return options;
    }
    static #check(self) {
      if (!(#pending in Object(self))) throw new TypeError("Illegal invocation: not a TextDecoder");
    }
  }
  for (const C of [TextEncoder, TextDecoder])
    Object.defineProperty(C.prototype, Symbol.toStringTag, { value: C.name, configurable: true });
  define("TextEncoder", TextEncoder);
  define("TextDecoder", TextDecoder);
})
