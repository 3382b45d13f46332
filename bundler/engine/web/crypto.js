// crypto.getRandomValues and crypto.randomUUID (Web Crypto), from the host's secure random
// source (web/crypto.c: WASI random_get).
(function (native, define) {
  "use strict";
  const randomFill = native.randomFill;
  const U8 = Uint8Array;
  // %TypedArray%.prototype's own getters, taken before user code runs: the kind and size of an
  // array come from its internal slots, never from properties a program could have redefined
  const apply = Reflect.apply;
  const typedArray = (key) => Object.getOwnPropertyDescriptor(Object.getPrototypeOf(U8.prototype), key).get;
  const kindOf = typedArray(Symbol.toStringTag); // the type's name, undefined for anything else
  const byteLengthOf = typedArray("byteLength");
  const INTEGER_ARRAYS = ["Int8Array", "Uint8Array", "Uint8ClampedArray", "Int16Array", "Uint16Array",
    "Int32Array", "Uint32Array", "BigInt64Array", "BigUint64Array"];
  const QUOTA = 65536; // bytes a call may ask for, as the spec sets it
  const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

  class Crypto {
    #brand = true;
    constructor(token) {
      if (token !== CREATING) throw new TypeError("Illegal constructor");
    }
    getRandomValues(array) {
      Crypto.#check(this);
      if (!INTEGER_ARRAYS.includes(apply(kindOf, array, [])))
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
      if (!(#brand in Object(self))) throw new TypeError('Value of "this" must be of type Crypto');
    }
  }
  const CREATING = Symbol("crypto");
  Object.defineProperty(Crypto.prototype, Symbol.toStringTag, { value: "Crypto", configurable: true });
  define("Crypto", Crypto);
  define("crypto", new Crypto(CREATING));
})
