// Web Crypto (https://w3c.github.io/webcrypto/): crypto.getRandomValues and crypto.randomUUID
// from the host's secure random source, and crypto.subtle.digest (SHA-1, SHA-256, SHA-384,
// SHA-512); both in C, web/crypto.c. SubtleCrypto's other methods reject with
// NotSupportedError, so CryptoKey is there for `instanceof` but no key can be made.
(function (native, define) {
  "use strict";
  const { randomFill, digest: hash } = native;
  // the intrinsics this file calls, taken before user code runs
  const { DOMException, TypeError } = globalThis;
  const U8 = Uint8Array;
  const apply = Reflect.apply;
  const isView = ArrayBuffer.isView;
  // built-in getters: the kind, extent and buffer of a view come from its internal slots, never
  // from properties a program could have redefined
  const getter = (proto, key) => Object.getOwnPropertyDescriptor(proto, key).get;
  const TYPED_ARRAY = Object.getPrototypeOf(U8.prototype);
  const kindOf = getter(TYPED_ARRAY, Symbol.toStringTag); // the type's name, undefined for anything else
  const arrayBuffer = getter(TYPED_ARRAY, "buffer");
  const byteOffsetOf = getter(TYPED_ARRAY, "byteOffset"); // 0 and 0 once detached
  const byteLengthOf = getter(TYPED_ARRAY, "byteLength");
  const dataViewBuffer = getter(DataView.prototype, "buffer");
  const dataViewOffset = getter(DataView.prototype, "byteOffset"); // these two throw once detached
  const dataViewLength = getter(DataView.prototype, "byteLength");
  const bufferLength = getter(ArrayBuffer.prototype, "byteLength"); // a TypeError for a SharedArrayBuffer
  const isDetached = getter(ArrayBuffer.prototype, "detached");
  const setBytes = TYPED_ARRAY.set;
  const INTEGER_ARRAYS = { __proto__: null, Int8Array: true, Uint8Array: true, Uint8ClampedArray: true,
    Int16Array: true, Uint16Array: true, Int32Array: true, Uint32Array: true, BigInt64Array: true,
    BigUint64Array: true };
  const QUOTA = 65536; // bytes a call may ask for, as the spec sets it
  const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));
  const CREATING = Symbol("crypto");
  const isObject = (x) => (typeof x === "object" && x !== null) || typeof x === "function";

  class Crypto {
    #brand = true;
    constructor(...token) { // length 0, as WebIDL's
      if (token[0] !== CREATING) throw new TypeError("Illegal constructor");
    }
    get subtle() {
      Crypto.#check(this);
      return subtle;
    }
    getRandomValues(array) {
      Crypto.#check(this);
      if (INTEGER_ARRAYS[apply(kindOf, array, [])] !== true)
        throw new DOMException("The data argument must be an integer-type TypedArray", "TypeMismatchError");
      const byteLength = apply(byteLengthOf, array, []);
      if (byteLength > QUOTA)
        throw new DOMException(
          `The ArrayBufferView's byte length (${byteLength}) exceeds the number of bytes of entropy available via this API (${QUOTA})`,
          "QuotaExceededError");
      randomFill(array);
      return array;
    }
    randomUUID() {
      Crypto.#check(this);
      const b = new U8(16);
      randomFill(b);
      b[6] = (b[6] & 0x0f) | 0x40; // version 4
      b[8] = (b[8] & 0x3f) | 0x80; // the RFC 4122 variant
      const h = (i) => HEX[b[i]];
      return `${h(0)}${h(1)}${h(2)}${h(3)}-${h(4)}${h(5)}-${h(6)}${h(7)}-${h(8)}${h(9)}-${h(10)}${h(11)}${h(12)}${h(13)}${h(14)}${h(15)}`;
    }
    static #check(self) {
      if (!isObject(self) || !(#brand in self)) throw new TypeError('Value of "this" must be of type Crypto');
    }
  }

  // WebIDL's BufferSource (an ArrayBuffer or a view of one, not of a SharedArrayBuffer), as
  // [buffer, byteOffset, byteLength]; a detached buffer holds no bytes. The messages are Node's.
  const NOT_A_BUFFER_SOURCE = "2nd argument is not instance of ArrayBuffer, Buffer, TypedArray, or DataView.";
  const bufferSource = (data, prefix) => {
    const typed = apply(kindOf, data, []) !== undefined;
    let buffer;
    if (typed) buffer = apply(arrayBuffer, data, []);
    else if (isView(data)) buffer = apply(dataViewBuffer, data, []);
    else {
      try {
        return [data, 0, apply(bufferLength, data, [])];
      } catch {
        throw new TypeError(`${prefix}: ${NOT_A_BUFFER_SOURCE}`);
      }
    }
    try {
      apply(bufferLength, buffer, []);
    } catch {
      throw new TypeError(`${prefix}: 2nd argument is a view on a SharedArrayBuffer, which is not allowed.`);
    }
    if (typed) return [buffer, apply(byteOffsetOf, data, []), apply(byteLengthOf, data, [])];
    if (apply(isDetached, buffer, [])) return [buffer, 0, 0];
    return [buffer, apply(dataViewOffset, data, []), apply(dataViewLength, data, [])];
  };

  const check = (self) => {
    if (self !== subtle) throw new TypeError('Value of "this" must be of type SubtleCrypto');
  };
  const unsupported = (self, method) => {
    check(self);
    throw new DOMException(`SubtleCrypto.${method} is not supported by EdgeBox (of SubtleCrypto, only digest is)`,
      "NotSupportedError");
  };

  class SubtleCrypto {
    constructor(...token) { // length 0, as WebIDL's
      if (token[0] !== CREATING) throw new TypeError("Illegal constructor");
    }
    async encrypt(algorithm, key, data) { unsupported(this, "encrypt"); }
    async decrypt(algorithm, key, data) { unsupported(this, "decrypt"); }
    async sign(algorithm, key, data) { unsupported(this, "sign"); }
    async verify(algorithm, key, signature, data) { unsupported(this, "verify"); }
    // The spec's steps: the arguments' WebIDL conversions (algorithm: object or DOMString; data:
    // BufferSource), a copy of the data's bytes, then the algorithm's normalization, whose
    // getters and toString are the only user code that can run, and only for an object.
    async digest(algorithm, data) {
      check(this);
      const prefix = "Failed to execute 'digest' on 'SubtleCrypto'";
      if (arguments.length < 2)
        throw new TypeError(`${prefix}: 2 arguments required, but only ${arguments.length} present.`);
      if (typeof algorithm === "symbol")
        throw new TypeError(`${prefix}: 1st argument is a Symbol and cannot be converted to a string.`);
      let name = algorithm;
      let [buffer, offset, length] = bufferSource(data, prefix);
      if (isObject(algorithm)) {
        // normalizing runs user code, which may change the data: hash a copy
        if (length > 0) {
          const copy = new U8(length);
          apply(setBytes, copy, [new U8(buffer, offset, length)]);
          [buffer, offset] = [apply(arrayBuffer, copy, []), 0];
        }
        name = algorithm.name;
        const normalize = "Failed to normalize algorithm";
        if (name === undefined)
          throw new TypeError(`${normalize}: passed algorithm can not be converted to 'Algorithm' because 'name' is required in 'Algorithm'.`);
        if (typeof name === "symbol")
          throw new TypeError(`${normalize}: 'name' of 'Algorithm' (passed algorithm) is a Symbol and cannot be converted to a string.`);
      }
      const result = hash(`${name}`, buffer, offset, length);
      if (result === null) throw new DOMException("Unrecognized algorithm name", "NotSupportedError");
      return result;
    }
    async generateKey(algorithm, extractable, keyUsages) { unsupported(this, "generateKey"); }
    async deriveKey(algorithm, baseKey, derivedKeyType, extractable, keyUsages) { unsupported(this, "deriveKey"); }
    async deriveBits(algorithm, baseKey) { unsupported(this, "deriveBits"); }
    async importKey(format, keyData, algorithm, extractable, keyUsages) { unsupported(this, "importKey"); }
    async exportKey(format, key) { unsupported(this, "exportKey"); }
    async wrapKey(format, key, wrappingKey, wrapAlgorithm) { unsupported(this, "wrapKey"); }
    async unwrapKey(format, wrappedKey, unwrappingKey, unwrapAlgorithm, unwrappedKeyAlgorithm, extractable, keyUsages) {
      unsupported(this, "unwrapKey");
    }
  }

  // No key can be made (importKey and generateKey are not supported): the class answers
  // instanceof, and its getters, as in Node, refuse anything else.
  const notAKey = () => {
    throw new TypeError('Value of "this" must be of type CryptoKey');
  };
  class CryptoKey {
    constructor() {
      throw new TypeError("Illegal constructor");
    }
    get type() { return notAKey(); }
    get extractable() { return notAKey(); }
    get algorithm() { return notAKey(); }
    get usages() { return notAKey(); }
  }

  const subtle = new SubtleCrypto(CREATING);
  for (const [cls, name] of [[Crypto, "Crypto"], [SubtleCrypto, "SubtleCrypto"], [CryptoKey, "CryptoKey"]]) {
    // WebIDL: operations and attributes are enumerable
    for (const key of Reflect.ownKeys(cls.prototype))
      if (key !== "constructor") Object.defineProperty(cls.prototype, key, { enumerable: true });
    Object.defineProperty(cls.prototype, Symbol.toStringTag, { value: name, configurable: true });
  }
  define("Crypto", Crypto);
  define("SubtleCrypto", SubtleCrypto);
  define("CryptoKey", CryptoKey);
  define("crypto", new Crypto(CREATING));
})
