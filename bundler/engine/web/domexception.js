// DOMException (WebIDL): the error class web APIs throw, with the legacy numeric codes.
(function (native, define) {
  "use strict";
  const CODES = {
    IndexSizeError: 1, HierarchyRequestError: 3, WrongDocumentError: 4, InvalidCharacterError: 5,
    NoModificationAllowedError: 7, NotFoundError: 8, NotSupportedError: 9, InvalidStateError: 11,
    SyntaxError: 12, InvalidModificationError: 13, NamespaceError: 14, InvalidAccessError: 15,
    TypeMismatchError: 17, SecurityError: 18, NetworkError: 19, AbortError: 20, URLMismatchError: 21,
    QuotaExceededError: 22, TimeoutError: 23, InvalidNodeTypeError: 24, DataCloneError: 25,
  };
  class DOMException extends Error {
    #name;
    #code;
    constructor(message = "", name = "Error") {
      super(String(message));
      this.#name = String(name);
      this.#code = CODES[this.#name] ?? 0;
    }
    get name() { return this.#name; }
    get code() { return this.#code; }
  }
  Object.defineProperty(DOMException.prototype, Symbol.toStringTag, { value: "DOMException", configurable: true });
  // the constants: DOMException.INDEX_SIZE_ERR === 1, …, on the class and its prototype
  for (const [name, code] of Object.entries(CODES)) {
    const words = name.replace(/Error$/, "").replace(/([a-z])([A-Z])/g, "$1_$2").replace(/([A-Z])([A-Z][a-z])/g, "$1_$2");
    for (const target of [DOMException, DOMException.prototype])
      Object.defineProperty(target, words.toUpperCase() + "_ERR", { value: code, enumerable: true });
  }
  define("DOMException", DOMException);
})
