// TextEncoder and TextDecoder (the Encoding standard), for UTF-8: the conversions are C
// (web/encoding.c); this file is the classes, their options and the streaming state.
(function (native, define) {
  "use strict";
  const utf8Encode = native.utf8Encode;
  const utf8EncodeInto = native.utf8EncodeInto;
  const utf8Decode = native.utf8Decode;
  const U8 = Uint8Array;
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
        [text, left] = utf8Decode(input, this.#fatal, stream, this.#pending);
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
