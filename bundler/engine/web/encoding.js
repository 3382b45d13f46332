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
  // The labels the Encoding standard gives the encodings decoded here: UTF-8 (in C), and in JS
  // UTF-16 (both orders) and windows-1252 (what "latin1" and "ascii" mean there), which
  // Emscripten's embind and napi-wasm make decoders for when they load.
  const ENCODINGS = {
    "utf-8": ["unicode-1-1-utf-8", "unicode11utf8", "unicode20utf8", "utf-8", "utf8", "x-unicode20utf8"],
    "utf-16le": ["csunicode", "iso-10646-ucs-2", "ucs-2", "unicode", "unicodefeff", "utf-16", "utf-16le"],
    "utf-16be": ["unicodefffe", "utf-16be"],
    "windows-1252": ["ansi_x3.4-1968", "ascii", "cp1252", "cp819", "csisolatin1", "ibm819", "iso-8859-1",
      "iso-ir-100", "iso8859-1", "iso88591", "iso_8859-1", "iso_8859-1:1987", "l1", "latin1", "us-ascii",
      "windows-1252", "x-cp1252"],
  };
  const ENCODING_OF = new Map(Object.entries(ENCODINGS).flatMap(([name, labels]) => labels.map((l) => [l, name])));
  // windows-1252's bytes 0x80..0x9f; the others are their own code points
  const CP1252 = [0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152,
    0x8d, 0x17d, 0x8f, 0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a,
    0x153, 0x9d, 0x17e, 0x178];
  const fromCharCode = String.fromCharCode;
  const typedBuffer = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(U8.prototype), "buffer").get;
  const typedOffset = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(U8.prototype), "byteOffset").get;
  // the bytes of what bytesOf gave (a typed array or an ArrayBuffer), as a Uint8Array
  const u8Of = (input) => {
    if (input === undefined) return new U8(0);
    if (lengthOr(arrayBufferLength, input) >= 0) return new U8(input);
    return new U8(apply(typedBuffer, input, []), apply(typedOffset, input, []), apply(typedArrayLength, input, []));
  };
  const units = (codes) => {
    let out = "";
    for (let i = 0; i < codes.length; i += 8192) out += apply(fromCharCode, null, codes.slice(i, i + 8192));
    return out;
  };
  function decode1252(bytes) {
    const codes = new Array(bytes.length);
    for (let i = 0; i < bytes.length; i++) codes[i] = bytes[i] >= 0x80 && bytes[i] < 0xa0 ? CP1252[bytes[i] - 0x80] : bytes[i];
    return units(codes);
  }
  // UTF-16: [text, the bytes left for the next call (an odd byte, or a high surrogate when
  // streaming)]; a lone surrogate is U+FFFD, or a TypeError when fatal
  function decode16(bytes, bigEndian, fatal, stream) {
    const codes = [];
    let i = 0;
    for (; i + 1 < bytes.length; i += 2) codes.push(bigEndian ? (bytes[i] << 8) | bytes[i + 1] : (bytes[i + 1] << 8) | bytes[i]);
    let left = bytes.slice(i);
    const last = codes[codes.length - 1];
    if (stream && last >= 0xd800 && last <= 0xdbff) {
      codes.pop();
      left = bytes.slice(i - 2);
    }
    for (let k = 0; k < codes.length; k++) {
      const c = codes[k];
      if (c >= 0xd800 && c <= 0xdbff && k + 1 < codes.length && codes[k + 1] >= 0xdc00 && codes[k + 1] <= 0xdfff) {
        k++;
        continue;
      }
      if (c >= 0xd800 && c <= 0xdfff) {
        if (fatal) throw new TypeError("The encoded data was not valid for encoding utf-16le");
        codes[k] = 0xfffd;
      }
    }
    if (!stream && left.length > 0) {
      if (fatal) throw new TypeError("The encoded data was not valid for encoding utf-16le");
      codes.push(0xfffd);
      left = new U8(0);
    }
    return [units(codes), left.length > 0 ? left : null];
  }

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
    #encoding;
    #fatal;
    #ignoreBOM;
    #pending = null; // the bytes of an incomplete sequence a streaming decode left
    #bomSeen = false;
    #streaming = false;
    constructor(label = "utf-8", options = undefined) {
      const name = ENCODING_OF.get(`${label}`.trim().toLowerCase());
      if (name === undefined) throw new RangeError(`The "${label}" encoding is not supported`);
      this.#encoding = name;
      const opts = TextDecoder.#dictionary(options);
      this.#fatal = Boolean(opts.fatal);
      this.#ignoreBOM = Boolean(opts.ignoreBOM);
    }
    get encoding() {
      TextDecoder.#check(this);
      return this.#encoding;
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
        if (this.#encoding === "utf-8") {
          [text, left] = utf8Decode(bytesOf(input), this.#fatal, stream, this.#pending);
        } else if (this.#encoding === "windows-1252") {
          [text, left] = [decode1252(u8Of(bytesOf(input))), null];
        } else {
          let bytes = u8Of(bytesOf(input));
          if (this.#pending !== null) {
            const joined = new U8(this.#pending.length + bytes.length);
            joined.set(this.#pending);
            joined.set(bytes, this.#pending.length);
            bytes = joined;
          }
          [text, left] = decode16(bytes, this.#encoding === "utf-16be", this.#fatal, stream);
        }
      } catch (e) {
        this.#pending = null;
        this.#streaming = false;
        throw e;
      }
      this.#pending = left;
      if (!this.#bomSeen && text.length > 0) {
        this.#bomSeen = true;
        if (!this.#ignoreBOM && this.#encoding !== "windows-1252" && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
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
