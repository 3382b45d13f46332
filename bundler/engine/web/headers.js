// Headers: the Fetch Standard's header list (https://fetch.spec.whatwg.org/#headers-class).
// Names are checked against the token production and values normalized (leading and trailing
// HTTP whitespace removed) and checked (no NUL, CR or LF; ByteStrings, so nothing above U+00FF);
// get() combines a name's values with ", ", getSetCookie() keeps each Set-Cookie apart, and
// iteration is the standard's "sort and combine" (lowercased names in byte order, Set-Cookie
// values one by one). A server-side runtime forbids no header name (as Node and Deno): the only
// guard is "immutable", for the headers of Response.error() and Response.redirect() and of a
// fetched file. headers.js leaves its internals on `native` (native.headers) for fetch.js.
(function (native, define) {
  "use strict";
  const apply = Reflect.apply;
  const bindCall = (f) => apply(Function.prototype.bind, Function.prototype.call, [f]);
  const defineProperty = Reflect.defineProperty;
  const ownKeys = Reflect.ownKeys;
  const getOwnPropertyDescriptor = Reflect.getOwnPropertyDescriptor;
  const getPrototypeOf = Reflect.getPrototypeOf;
  const setPrototypeOf = Reflect.setPrototypeOf;
  const objectCreate = Object.create;
  const TypeErrorCtor = TypeError;
  const ITERATOR = Symbol.iterator;
  const TO_STRING_TAG = Symbol.toStringTag;
  const charCodeAt = bindCall(String.prototype.charCodeAt);
  const fromCharCode = String.fromCharCode;
  const stringSlice = bindCall(String.prototype.slice);
  const arraySort = bindCall(Array.prototype.sort);
  const arrayJoin = bindCall(Array.prototype.join);
  const IteratorPrototype = getPrototypeOf(getPrototypeOf([][ITERATOR]()));

  const isObject = (v) => (typeof v === "object" && v !== null) || typeof v === "function";
  const push = (list, v) => {
    list[list.length] = v;
  };

  // tchar: "!#$%&'*+-.^_`|~", digits and letters
  const TCHAR = new Uint8Array(128);
  const TCHARS = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
  for (let i = 0; i < TCHARS.length; i++) TCHAR[charCodeAt(TCHARS, i)] = 1;
  const isToken = (s) => {
    if (s.length === 0) return false;
    for (let i = 0; i < s.length; i++) {
      const c = charCodeAt(s, i);
      if (c >= 128 || !TCHAR[c]) return false;
    }
    return true;
  };
  // WebIDL ByteString: ToString, then every code unit must be at most U+00FF
  const toByteString = (v, what) => {
    const s = typeof v === "string" ? v : `${v}`;
    for (let i = 0; i < s.length; i++)
      if (charCodeAt(s, i) > 0xff)
        throw new TypeErrorCtor(`${what}: Cannot convert argument to a ByteString because the character at index ${i} has a value of ${charCodeAt(s, i)} which is greater than 255.`);
    return s;
  };
  const lower = (s) => {
    let out = "";
    for (let i = 0; i < s.length; i++) {
      const c = charCodeAt(s, i);
      out += c >= 0x41 && c <= 0x5a ? fromCharCode(c + 32) : s[i];
    }
    return out;
  };
  const isHttpWhitespace = (c) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
  const normalizeValue = (v) => {
    let a = 0;
    let b = v.length;
    while (a < b && isHttpWhitespace(charCodeAt(v, a))) a++;
    while (b > a && isHttpWhitespace(charCodeAt(v, b - 1))) b--;
    return a === 0 && b === v.length ? v : stringSlice(v, a, b);
  };
  const isValidValue = (v) => {
    for (let i = 0; i < v.length; i++) {
      const c = charCodeAt(v, i);
      if (c === 0 || c === 0x0a || c === 0x0d) return false;
    }
    return true;
  };
  const checkName = (name, what) => {
    const n = toByteString(name, what);
    if (!isToken(n)) throw new TypeErrorCtor(`${what}: Invalid header name: "${n}"`);
    return lower(n);
  };
  const checkValue = (value, name, what) => {
    const v = normalizeValue(toByteString(value, what));
    if (!isValidValue(v)) throw new TypeErrorCtor(`${what}: Invalid header value for "${name}": "${v}"`);
    return v;
  };
  const needArgs = (n, given, what) => {
    if (given < n) throw new TypeErrorCtor(`${what}: ${n} argument${n > 1 ? "s" : ""} required, but only ${given} present.`);
  };

  let listOf;
  let guardOf;
  let setGuard;
  let sortedPairs;
  let appendPair;
  let isHeaders;

  class Headers {
    // the header list: [name (lowercased), value] pairs in the order they were added. A
    // version counts changes, so that the sorted list iteration uses is made once per change.
    #list = [];
    #guard = "none";
    #version = 0;
    #sorted = null;
    #sortedVersion = -1;
    constructor(init = undefined) {
      if (init !== undefined) fill(this, init, "Failed to construct 'Headers'");
    }
    append(name, value) {
      needArgs(2, arguments.length, "Failed to execute 'append' on 'Headers'");
      appendPair(this, name, value, "Failed to execute 'append' on 'Headers'");
    }
    delete(name) {
      const what = "Failed to execute 'delete' on 'Headers'";
      needArgs(1, arguments.length, what);
      const n = checkName(name, what);
      if (this.#guard === "immutable") throw new TypeErrorCtor(`${what}: Headers are immutable`);
      const list = this.#list;
      const kept = [];
      for (let i = 0; i < list.length; i++) if (list[i][0] !== n) push(kept, list[i]);
      if (kept.length !== list.length) {
        this.#list = kept;
        this.#version++;
      }
    }
    get(name) {
      const what = "Failed to execute 'get' on 'Headers'";
      needArgs(1, arguments.length, what);
      return combined(this.#list, checkName(name, what));
    }
    getSetCookie() {
      const list = this.#list;
      const out = [];
      for (let i = 0; i < list.length; i++) if (list[i][0] === "set-cookie") push(out, list[i][1]);
      return out;
    }
    has(name) {
      const what = "Failed to execute 'has' on 'Headers'";
      needArgs(1, arguments.length, what);
      const n = checkName(name, what);
      const list = this.#list;
      for (let i = 0; i < list.length; i++) if (list[i][0] === n) return true;
      return false;
    }
    set(name, value) {
      const what = "Failed to execute 'set' on 'Headers'";
      needArgs(2, arguments.length, what);
      const n = checkName(name, what);
      const v = checkValue(value, n, what);
      if (this.#guard === "immutable") throw new TypeErrorCtor(`${what}: Headers are immutable`);
      const list = this.#list;
      const out = [];
      let found = false;
      for (let i = 0; i < list.length; i++) {
        if (list[i][0] !== n) push(out, list[i]);
        else if (!found) {
          found = true;
          push(out, [n, v]);
        }
      }
      if (!found) push(out, [n, v]);
      this.#list = out;
      this.#version++;
    }
    forEach(callback, thisArg = undefined) {
      const what = "Failed to execute 'forEach' on 'Headers'";
      needArgs(1, arguments.length, what);
      if (typeof callback !== "function") throw new TypeErrorCtor(`${what}: The callback provided as parameter 1 is not a function.`);
      // the pairs are taken again at each step: a callback that changes the headers is seen
      for (let i = 0; ; i++) {
        const pairs = sortedPairs(this);
        if (i >= pairs.length) return;
        apply(callback, thisArg, [pairs[i][1], pairs[i][0], this]);
      }
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
    static {
      listOf = (h) => h.#list;
      guardOf = (h) => h.#guard;
      setGuard = (h, guard) => {
        h.#guard = guard;
      };
      // the standard's "sort and combine", made again only when the list changed
      sortedPairs = (h) => {
        if (!isObject(h) || !(#list in h)) throw new TypeErrorCtor("Illegal invocation: not a Headers");
        if (h.#sortedVersion !== h.#version || h.#sorted === null) {
          h.#sorted = sortAndCombine(h.#list);
          h.#sortedVersion = h.#version;
        }
        return h.#sorted;
      };
      appendPair = (h, name, value, what) => {
        const n = checkName(name, what);
        const v = checkValue(value, n, what);
        if (h.#guard === "immutable") throw new TypeErrorCtor(`${what}: Headers are immutable`);
        push(h.#list, [n, v]);
        h.#version++;
      };
      isHeaders = (v) => isObject(v) && #list in v;
    }
  }

  function combined(list, n) {
    let out = null;
    for (let i = 0; i < list.length; i++) if (list[i][0] === n) out = out === null ? list[i][1] : `${out}, ${list[i][1]}`;
    return out;
  }
  function sortAndCombine(list) {
    const names = [];
    const values = objectCreate(null); // name → its values, in order
    for (let i = 0; i < list.length; i++) {
      const n = list[i][0];
      const vs = values[n];
      if (vs === undefined) {
        values[n] = [list[i][1]];
        push(names, n);
      } else push(vs, list[i][1]);
    }
    // lowercased ASCII tokens: code unit order is byte order
    arraySort(names, (a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const out = [];
    for (let i = 0; i < names.length; i++) {
      const n = names[i];
      const vs = values[n];
      if (n === "set-cookie") for (let k = 0; k < vs.length; k++) push(out, [n, vs[k]]);
      else push(out, [n, arrayJoin(vs, ", ")]);
    }
    return out;
  }

  // HeadersInit: a sequence of [name, value] sequences, or a record of names to values
  function fill(headers, init, what) {
    if (!isObject(init)) throw new TypeErrorCtor(`${what}: The provided value is not of type '(record<ByteString, ByteString> or sequence<sequence<ByteString>>)'.`);
    const method = init[ITERATOR];
    if (method !== undefined && method !== null) {
      if (typeof method !== "function") throw new TypeErrorCtor(`${what}: The object must have a callable @@iterator property.`);
      const pairs = [];
      const outer = iterate(init, method, what);
      for (let i = 0; i < outer.length; i++) {
        const item = outer[i];
        if (!isObject(item)) throw new TypeErrorCtor(`${what}: The provided value cannot be converted to a sequence.`);
        const inner = iterate(item, item[ITERATOR], what);
        for (let k = 0; k < inner.length; k++) inner[k] = toByteString(inner[k], what);
        push(pairs, inner);
      }
      for (let i = 0; i < pairs.length; i++) {
        if (pairs[i].length !== 2) throw new TypeErrorCtor(`${what}: Invalid value: each header must be a [name, value] pair`);
        appendPair(headers, pairs[i][0], pairs[i][1], what);
      }
      return;
    }
    // a record: own enumerable keys, converted to ByteStrings as they are read
    const keys = ownKeys(init);
    const pairs = [];
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      const desc = getOwnPropertyDescriptor(init, key);
      if (desc === undefined || !desc.enumerable) continue;
      if (typeof key === "symbol") throw new TypeErrorCtor(`${what}: Cannot convert a Symbol value to a string`);
      push(pairs, [toByteString(key, what), toByteString(init[key], what)]);
    }
    for (let i = 0; i < pairs.length; i++) appendPair(headers, pairs[i][0], pairs[i][1], what);
  }
  function iterate(object, method, what) {
    if (typeof method !== "function") throw new TypeErrorCtor(`${what}: The object must have a callable @@iterator property.`);
    const iterator = apply(method, object, []);
    if (!isObject(iterator)) throw new TypeErrorCtor(`${what}: the iterator is not an object`);
    const next = iterator.next;
    const out = [];
    for (;;) {
      const step = apply(next, iterator, []);
      if (!isObject(step)) throw new TypeErrorCtor(`${what}: the iterator result is not an object`);
      if (step.done) return out;
      push(out, step.value);
    }
  }

  // WebIDL's pair iterator: a position into the pairs, taken again at each step
  const HeadersIteratorPrototype = objectCreate(IteratorPrototype);
  let iteratorState;
  class HeadersIterator {
    #headers;
    #kind;
    #index = 0;
    constructor(headers, kind) {
      this.#headers = headers;
      this.#kind = kind;
    }
    static {
      iteratorState = (it) => {
        if (!isObject(it) || !(#kind in it)) throw new TypeErrorCtor("next method called on an object that is not a Headers Iterator");
        return it;
      };
      HeadersIterator.step = (it) => {
        const pairs = sortedPairs(it.#headers);
        if (it.#index >= pairs.length) return { value: undefined, done: true };
        const pair = pairs[it.#index++];
        const kind = it.#kind;
        return { value: kind === "key" ? pair[0] : kind === "value" ? pair[1] : [pair[0], pair[1]], done: false };
      };
    }
  }
  const step = HeadersIterator.step;
  defineProperty(HeadersIteratorPrototype, "next", {
    value: {
      next() {
        return step(iteratorState(this));
      },
    }.next,
    writable: true,
    enumerable: true,
    configurable: true,
  });
  defineProperty(HeadersIteratorPrototype, TO_STRING_TAG, { value: "Headers Iterator", configurable: true });
  function makeIterator(headers, kind) {
    sortedPairs(headers); // a brand check: TypeError for what is not a Headers
    const it = new HeadersIterator(headers, kind);
    setPrototypeOf(it, HeadersIteratorPrototype);
    return it;
  }

  const proto = Headers.prototype;
  const keys = ownKeys(proto);
  for (let i = 0; i < keys.length; i++) if (keys[i] !== "constructor") defineProperty(proto, keys[i], { enumerable: true });
  defineProperty(proto, ITERATOR, { value: proto.entries, writable: true, configurable: true });
  defineProperty(proto, TO_STRING_TAG, { value: "Headers", configurable: true });

  native.headers = {
    Headers, isHeaders, listOf, guardOf, setGuard, fill, combined,
    // a new Headers holding a copy of another's list (Request and Response clones)
    copy(h) {
      const c = new Headers();
      const list = listOf(h);
      for (let i = 0; i < list.length; i++) appendPair(c, list[i][0], list[i][1], "Headers");
      return c;
    },
    // append without checks (names and values the runtime made itself)
    appendChecked(h, name, value) {
      appendPair(h, name, value, "Headers");
    },
    get: (h, name) => combined(listOf(h), name),
  };
  define("Headers", Headers);
});
