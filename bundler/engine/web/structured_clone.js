// structuredClone(value, { transfer }): the HTML Standard's structured serialization
// (https://html.spec.whatwg.org/multipage/structured-data.html): StructuredSerializeInternal
// and StructuredDeserialize fused into one walk that makes each copy when it reaches the
// original (getters run once, in the standard's order, on intact sources), then the transfer of
// the listed ArrayBuffers. What the standard leaves to implementations (an error's stack and
// cause, the messages) is done as V8 does, so that the output matches Node's. A Proxy cannot be
// told from its target in JS (it is cloned through its traps, where Node throws), and
// SharedArrayBuffer is refused (one agent, nothing to share with): docs/compatibility.md lists
// the differences.
(function (native, define) {
  "use strict";
  // Intrinsics, taken when the script first runs (the first read of structuredClone): a
  // program that replaces a built-in afterwards does not change what is cloned or how.
  const apply = Reflect.apply;
  const bindCall = (f) => apply(Function.prototype.bind, Function.prototype.call, [f]);
  const getOwnPropertyDescriptor = Reflect.getOwnPropertyDescriptor;
  const getPrototypeOf = Reflect.getPrototypeOf;
  const isExtensible = Reflect.isExtensible;
  const defineProperty = Reflect.defineProperty;
  const objectKeys = Object.keys;
  const hasOwn = Object.hasOwn;
  const isArray = Array.isArray;
  const isError = Error.isError;
  const ObjectCtor = Object;
  const ObjectPrototype = Object.prototype;
  const ArrayPrototype = Array.prototype;
  const TypeErrorCtor = TypeError;
  const MapCtor = Map;
  const SetCtor = Set;
  const DateCtor = Date;
  const RegExpCtor = RegExp;
  const BooleanCtor = Boolean;
  const NumberCtor = Number;
  const StringCtor = String;
  const ArrayBufferCtor = ArrayBuffer;
  const DataViewCtor = DataView;
  const U8 = Uint8Array;
  const DOMExceptionCtor = DOMException;
  const TO_STRING_TAG = Symbol.toStringTag;
  const ITERATOR = Symbol.iterator;
  const getter = (proto, key) => bindCall(getOwnPropertyDescriptor(proto, key).get);
  const method = (proto, key) => bindCall(proto[key]);

  const mapSet = method(MapCtor.prototype, "set");
  // A Map whose get, set and has are the built-ins, on a prototype no program can reach: called
  // as methods (faster than through Function.prototype.call)
  class PrivateMap extends MapCtor {
    constructor() {
      super(); // no arguments: not the default constructor's spread, which runs Array iterators
    }
  }
  const MAP_METHODS = ["get", "set", "has"];
  for (let i = 0; i < MAP_METHODS.length; i++)
    defineProperty(PrivateMap.prototype, MAP_METHODS[i], { __proto__: null, value: MapCtor.prototype[MAP_METHODS[i]] });
  const mapForEach = method(MapCtor.prototype, "forEach");
  const mapClear = method(MapCtor.prototype, "clear");
  const mapSize = getter(MapCtor.prototype, "size");
  const setAdd = method(SetCtor.prototype, "add");
  const setClear = method(SetCtor.prototype, "clear");
  const setForEach = method(SetCtor.prototype, "forEach");
  const setSize = getter(SetCtor.prototype, "size");
  const booleanValue = method(BooleanCtor.prototype, "valueOf");
  const numberValue = method(NumberCtor.prototype, "valueOf");
  const stringValue = method(StringCtor.prototype, "valueOf");
  const bigintValue = method(BigInt.prototype, "valueOf");
  const symbolValue = method(Symbol.prototype, "valueOf");
  const symbolToString = method(Symbol.prototype, "toString");
  const functionToString = method(Function.prototype, "toString");
  const endsWith = method(StringCtor.prototype, "endsWith");
  const startsWith = method(StringCtor.prototype, "startsWith");
  const slice = method(StringCtor.prototype, "slice");
  const objectToString = ObjectPrototype.toString;
  const errorToString = Error.prototype.toString;
  const errorStack = getter(Error.prototype, "stack");
  const GLOBAL = globalThis;
  const dateTime = method(DateCtor.prototype, "getTime");
  const regexpSource = getter(RegExpCtor.prototype, "source");
  // [[OriginalFlags]], one flag at a time (the `flags` getter reads properties a program can shadow)
  const FLAG_NAMES = { __proto__: null, d: "hasIndices", g: "global", i: "ignoreCase", m: "multiline", s: "dotAll",
    u: "unicode", v: "unicodeSets", y: "sticky" };
  const REGEXP_FLAGS = []; // [letter, its getter], in the order of RegExp.prototype.flags
  for (const letter in FLAG_NAMES)
    if (getOwnPropertyDescriptor(RegExpCtor.prototype, FLAG_NAMES[letter]) !== undefined)
      REGEXP_FLAGS[REGEXP_FLAGS.length] = [letter, getter(RegExpCtor.prototype, FLAG_NAMES[letter])];
  const AB = ArrayBufferCtor.prototype;
  const bufferByteLength = getter(AB, "byteLength");
  const bufferDetached = getter(AB, "detached");
  const bufferResizable = getter(AB, "resizable");
  const bufferMaxByteLength = getter(AB, "maxByteLength");
  const bufferResize = method(AB, "resize");
  const bufferTransfer = method(AB, "transfer");
  const bufferImmutable = getOwnPropertyDescriptor(AB, "immutable") ? getter(AB, "immutable") : () => false;
  const transferToImmutable = typeof AB.transferToImmutable === "function" ? method(AB, "transferToImmutable") : undefined;
  const sharedByteLength = getter(SharedArrayBuffer.prototype, "byteLength");
  const isView = ArrayBuffer.isView;
  const TA = getPrototypeOf(U8.prototype);
  const typedArrayName = getter(TA, TO_STRING_TAG); // undefined for anything but a typed array
  const typedArrayBuffer = getter(TA, "buffer");
  const typedArrayByteOffset = getter(TA, "byteOffset");
  const typedArrayLength = getter(TA, "length");
  const typedArrayAt = method(TA, "at"); // throws for a view out of its buffer's bounds
  const typedArraySet = method(TA, "set");
  const dataViewBuffer = getter(DataViewCtor.prototype, "buffer");
  const dataViewByteOffset = getter(DataViewCtor.prototype, "byteOffset");
  const dataViewByteLength = getter(DataViewCtor.prototype, "byteLength"); // throws when out of bounds
  const TYPED_ARRAYS = { __proto__: null };
  const TYPED_ARRAY_CTORS = [Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array,
    Uint32Array, globalThis.Float16Array, Float32Array, Float64Array, BigInt64Array, BigUint64Array];
  for (let i = 0; i < TYPED_ARRAY_CTORS.length; i++) {
    const C = TYPED_ARRAY_CTORS[i];
    if (typeof C === "function") TYPED_ARRAYS[typedArrayName(new C(0))] = C;
  }
  // the error constructors a serialized error can name (any other name comes back an Error)
  const ERRORS = { __proto__: null, Error, EvalError, RangeError, ReferenceError, SyntaxError, TypeError, URIError };
  // DOMException's name and message (accessors of the engine's class; an own data property
  // `message` if it has none)
  const domExceptionName = getter(DOMExceptionCtor.prototype, "name");
  const messageAccessor = getOwnPropertyDescriptor(DOMExceptionCtor.prototype, "message")?.get;
  const domExceptionMessage = messageAccessor ? bindCall(messageAccessor) : (e) => ownMessage(e) ?? "";

  // ---- what kind of object a value is ----
  // Found from the prototypes it inherits from, then confirmed from its internal slots where a
  // built-in can check them without side effects (an object that only inherits from Map.prototype
  // is an ordinary object, as in V8). Arrays, views and errors are told by their slots directly.
  const PLAIN = 0, BOOLEAN = 1, NUMBER = 2, BIGINT = 3, STRING = 4, DATE = 5, REGEXP = 6, BUFFER = 7,
    MAP = 8, SET = 9, DOM_EXCEPTION = 10, REFUSED = 11;
  const KINDS = new PrivateMap(); // prototype → [kind, internal-slot check or undefined]
  const register = (proto, k, check) => {
    if (proto !== null && typeof proto === "object") KINDS.set(proto, [k, check]);
  };
  const tryProto = (make) => {
    try {
      return getPrototypeOf(make());
    } catch {
      return null;
    }
  };
  register(ObjectPrototype, PLAIN);
  register(BooleanCtor.prototype, BOOLEAN, booleanValue);
  register(NumberCtor.prototype, NUMBER, numberValue);
  register(BigInt.prototype, BIGINT, bigintValue);
  register(StringCtor.prototype, STRING, stringValue);
  register(DateCtor.prototype, DATE, dateTime);
  register(RegExpCtor.prototype, REGEXP, regexpSource);
  register(AB, BUFFER, bufferByteLength);
  register(MapCtor.prototype, MAP, mapSize);
  register(SetCtor.prototype, SET, setSize);
  register(DOMExceptionCtor.prototype, DOM_EXCEPTION, domExceptionName); // a serializable platform object
  // refused: no structured form (the standard's "any other internal slot"), or a platform
  // object that is not serializable
  const RECEIVER = {};
  register(Symbol.prototype, REFUSED, symbolValue);
  register(SharedArrayBuffer.prototype, REFUSED, sharedByteLength);
  const weakMapHas = method(WeakMap.prototype, "has");
  const weakSetHas = method(WeakSet.prototype, "has");
  const unregister = method(FinalizationRegistry.prototype, "unregister");
  register(WeakMap.prototype, REFUSED, (o) => weakMapHas(o, RECEIVER));
  register(WeakSet.prototype, REFUSED, (o) => weakSetHas(o, RECEIVER));
  register(WeakRef.prototype, REFUSED, method(WeakRef.prototype, "deref"));
  register(FinalizationRegistry.prototype, REFUSED, (o) => unregister(o, RECEIVER));
  const STACKS = [globalThis.DisposableStack, globalThis.AsyncDisposableStack];
  for (let i = 0; i < STACKS.length; i++)
    if (typeof STACKS[i] === "function") register(STACKS[i].prototype, REFUSED, getter(STACKS[i].prototype, "disposed"));
  // no built-in checks these without side effects: inheriting from the prototype is enough
  register(Promise.prototype, REFUSED);
  register(tryProto(() => [][ITERATOR]()), REFUSED);
  register(tryProto(() => new MapCtor()[ITERATOR]()), REFUSED);
  register(tryProto(() => new SetCtor()[ITERATOR]()), REFUSED);
  register(tryProto(() => ""[ITERATOR]()), REFUSED);
  register(tryProto(() => RegExpCtor.prototype[Symbol.matchAll].call(/(?:)/g, "")), REFUSED);
  register(tryProto(() => Iterator.prototype.map.call([][ITERATOR](), (x) => x)), REFUSED);
  register(tryProto(() => Iterator.from({ next: () => ({ done: true }) })), REFUSED);
  register(getPrototypeOf(function* () {}).prototype, REFUSED);
  register(getPrototypeOf(async function* () {}).prototype, REFUSED);
  const wasm = globalThis.WebAssembly;
  const WASM_OBJECTS = ["Module", "Instance", "Memory", "Table", "Global", "Tag", "Exception"];
  for (let i = 0; i < WASM_OBJECTS.length; i++)
    if (wasm && typeof wasm[WASM_OBJECTS[i]] === "function") register(wasm[WASM_OBJECTS[i]].prototype, REFUSED);

  const kindOf = (value) => {
    for (let p = getPrototypeOf(value); p !== null; p = getPrototypeOf(p)) {
      const found = KINDS.get(p);
      if (found === undefined) continue;
      const check = found[1];
      if (check === undefined) return found[0];
      try {
        check(value);
        return found[0];
      } catch {
        return PLAIN; // an ordinary object that inherits from a built-in's prototype
      }
    }
    return PLAIN;
  };
  // exotic objects with no structured form that a prototype does not give away
  const isArguments = (value) => hasOwn(value, "callee") && apply(objectToString, value, []) === "[object Arguments]";
  const isModuleNamespace = (value) => {
    if (getPrototypeOf(value) !== null || isExtensible(value)) return false;
    const tag = getOwnPropertyDescriptor(value, TO_STRING_TAG);
    return tag !== undefined && tag.value === "Module" && !tag.writable && !tag.configurable;
  };

  // ---- errors, with V8's messages (Node's) ----
  const dataCloneError = (message) => new DOMExceptionCtor(message, "DataCloneError");
  const nodeTypeError = (message, code) => {
    const e = new TypeErrorCtor(message);
    defineProperty(e, "code", { __proto__: null, value: code, writable: true, enumerable: true, configurable: true });
    return e;
  };
  // V8's Object::NoSideEffectsToString: how a value that cannot be cloned is named, read from
  // data properties only (no getter runs)
  const NATIVE_BODY = "() {\n    [native code]\n}";
  const dataProperty = (o, key) => {
    for (let p = o; p !== null; p = getPrototypeOf(p)) {
      const d = getOwnPropertyDescriptor(p, key);
      if (d !== undefined) return hasOwn(d, "value") ? d.value : undefined;
    }
    return undefined;
  };
  const describe = (value) => {
    if (typeof value === "symbol") return symbolToString(value);
    if (typeof value === "function") {
      let source;
      try {
        source = functionToString(value);
      } catch {
        return "function";
      }
      // a built-in or bound function as V8 prints it
      if (!endsWith(source, NATIVE_BODY) || !startsWith(source, "function ")) return source;
      const name = slice(source, 9, source.length - NATIVE_BODY.length);
      return startsWith(name, "bound ") ? "function () { [native code] }" : `function ${name}() { [native code] }`;
    }
    const toString = dataProperty(value, "toString");
    if (isError(value) || toString === errorToString) {
      const name = dataProperty(value, "name");
      const message = dataProperty(value, "message");
      const n = typeof name === "string" ? name : "Error";
      const m = typeof message === "string" ? message : "";
      return n === "" ? m : m === "" ? n : `${n}: ${m}`;
    }
    if (toString === objectToString) {
      const ctor = dataProperty(value, "constructor");
      if (typeof ctor === "function") {
        const name = dataProperty(ctor, "name");
        if (typeof name === "string" && name !== "") return `#<${name}>`;
      }
    }
    const tag = dataProperty(value, TO_STRING_TAG);
    return `[object ${typeof tag === "string" ? tag : isArray(value) ? "Array" : "Object"}]`;
  };
  const notCloneable = (value) => dataCloneError(`${describe(value)} could not be cloned.`);
  const DETACHED = "An ArrayBuffer is detached and could not be cloned.";

  // ---- views of resizable buffers ----
  // A view of a resizable buffer has a fixed length or tracks the buffer's ([[ArrayLength]] or
  // [[ByteLength]] "auto"); no getter says which. Only a view that reaches the buffer's end can
  // be either; for one, the buffer is resized by an element and put back as it was.
  const viewSize = (view, typed) => {
    try {
      if (!typed) return dataViewByteLength(view);
      typedArrayAt(view, 0); // out of bounds: throws
      return typedArrayLength(view);
    } catch {
      return -1;
    }
  };
  const tracksLength = (view, typed, buffer, offset, size) => {
    const unit = typed ? TYPED_ARRAYS[typedArrayName(view)].BYTES_PER_ELEMENT : 1;
    const byteLength = bufferByteLength(buffer);
    const end = offset + size * unit;
    if (byteLength - end >= unit) return false; // a tracking view would be longer
    if (end + unit <= bufferMaxByteLength(buffer)) {
      bufferResize(buffer, end + unit);
      const grown = viewSize(view, typed);
      bufferResize(buffer, byteLength); // the bytes added were zeros: nothing is lost
      return grown !== size;
    }
    if (size === 0) return false; // it can never hold an element: both kinds behave the same
    const shrunk = end - unit;
    const saved = new U8(byteLength - shrunk);
    typedArraySet(saved, new U8(buffer, shrunk));
    bufferResize(buffer, shrunk);
    const after = viewSize(view, typed); // size - 1 when tracking, out of bounds when fixed
    bufferResize(buffer, byteLength);
    typedArraySet(new U8(buffer, shrunk), saved);
    return after !== -1;
  };

  // ---- StructuredSerializeInternal and StructuredDeserialize, in one walk ----
  // The standard serializes the whole value into records, then transfers, then makes the copy
  // from the records. Here each object's copy is made when the walk reaches it: no program can
  // see a copy before structuredClone returns, so the result is the same, and every getter still
  // runs once, in the standard's order, on sources that are still intact. The walk's `memory`
  // maps each object reached to its copy: a second reference, a cycle, views of one buffer give
  // back the one copy. A transferred buffer exists only once the walk is over: until then a
  // Pending stands for it (and for each view of it), and the places it was put are noted
  // (`places`), to be filled in at the end.
  class Pending {
    #pending;
    buffer; // the transferred ArrayBuffer, or for a view the Pending of its buffer
    view; // for a view: [constructor, byteOffset, length or undefined]
    value; // the object, once made
    constructor(buffer, view) {
      this.#pending = true;
      this.buffer = buffer;
      this.view = view;
    }
    static is(v) {
      return typeof v === "object" && v !== null && #pending in v;
    }
  }
  const settle = (v) => (Pending.is(v) ? v.value : v);
  const notePlace = (walk, v, container, key) => {
    if (walk.places !== undefined && Pending.is(v)) {
      const places = walk.places;
      places[places.length] = container;
      places[places.length] = key; // a property key, or IN_MAP or IN_SET: rebuilt in its order
    }
  };
  const IN_MAP = {};
  const IN_SET = {};
  const ERROR_DESCRIPTOR = { __proto__: null, value: undefined, writable: true, enumerable: false, configurable: true };
  const DATA_DESCRIPTOR = { __proto__: null, value: undefined, writable: true, enumerable: true, configurable: true };
  const defineErrorProperty = (e, key, v) => {
    ERROR_DESCRIPTOR.value = v;
    defineProperty(e, key, ERROR_DESCRIPTOR);
    ERROR_DESCRIPTOR.value = undefined;
  };

  const copyBuffer = (value) => {
    if (bufferDetached(value)) throw dataCloneError(DETACHED);
    const length = bufferByteLength(value);
    let copy = bufferResizable(value)
      ? new ArrayBufferCtor(length, { __proto__: null, maxByteLength: bufferMaxByteLength(value) })
      : new ArrayBufferCtor(length);
    if (length > 0) typedArraySet(new U8(copy), new U8(value, 0, length));
    if (transferToImmutable !== undefined && bufferImmutable(value)) copy = transferToImmutable(copy);
    return copy;
  };

  // [[ViewedArrayBuffer]] first (its copy, or the Pending of a transferred one), then the view
  const cloneView = (value, walk) => {
    const typed = typedArrayName(value) !== undefined;
    const buffer = typed ? typedArrayBuffer(value) : dataViewBuffer(value);
    const bufferCopy = clone(buffer, walk);
    const size = viewSize(value, typed);
    if (size === -1) throw dataCloneError("An ArrayBufferView is out of bounds and could not be cloned.");
    const offset = typed ? typedArrayByteOffset(value) : dataViewByteOffset(value);
    const length = bufferResizable(buffer) && tracksLength(value, typed, buffer, offset, size) ? undefined : size;
    const ctor = typed ? TYPED_ARRAYS[typedArrayName(value)] : DataViewCtor;
    let out;
    if (Pending.is(bufferCopy)) {
      out = new Pending(bufferCopy, [ctor, offset, length]);
      walk.pending[walk.pending.length] = out;
    } else {
      out = new ctor(bufferCopy, offset, length);
    }
    walk.memory.set(value, out);
    return out;
  };

  // Get(value, "stack"); the engine keeps an error's stack behind Error.prototype's accessor
  // (V8 as an own property): read through it when nothing on the way has one
  const stackOf = (value) => ("stack" in value ? value.stack : errorStack(value));
  // ToString of an own data property `message`, undefined for none (an accessor is not called)
  const ownMessage = (value) => {
    const m = getOwnPropertyDescriptor(value, "message");
    return m !== undefined && hasOwn(m, "value") ? `${m.value}` : undefined;
  };
  // The standard gives name and message; V8 adds the stack and an own data property `cause`.
  const cloneError = (value, walk) => {
    let name = `${value.name}`;
    if (ERRORS[name] === undefined) name = "Error";
    const message = ownMessage(value);
    const stack = stackOf(value);
    const out = new ERRORS[name]();
    defineErrorProperty(out, "stack", typeof stack === "string" ? stack : undefined);
    if (message !== undefined) defineErrorProperty(out, "message", message);
    walk.memory.set(value, out);
    const cause = getOwnPropertyDescriptor(value, "cause");
    if (cause !== undefined && hasOwn(cause, "value")) {
      const v = clone(cause.value, walk);
      defineErrorProperty(out, "cause", v);
      notePlace(walk, v, out, "cause");
    }
    return out;
  };
  // a serializable platform object: its name and message (and, as V8, its stack)
  const cloneDOMException = (value, walk) => {
    const stack = stackOf(value);
    const out = new DOMExceptionCtor(domExceptionMessage(value), domExceptionName(value));
    defineErrorProperty(out, "stack", typeof stack === "string" ? stack : undefined);
    walk.memory.set(value, out);
    return out;
  };

  // The entries as they are now (ones a getter adds meanwhile are not cloned), key then value.
  const cloneMap = (value, walk) => {
    const out = new MapCtor();
    walk.memory.set(value, out);
    const copied = [];
    mapForEach(value, (v, k) => {
      copied[copied.length] = k;
      copied[copied.length] = v;
    });
    for (let i = 0; i < copied.length; i += 2) {
      const k = clone(copied[i], walk);
      const v = clone(copied[i + 1], walk);
      mapSet(out, k, v);
      notePlace(walk, k, out, IN_MAP);
      notePlace(walk, v, out, IN_MAP);
    }
    return out;
  };
  const cloneSet = (value, walk) => {
    const out = new SetCtor();
    walk.memory.set(value, out);
    const copied = [];
    setForEach(value, (v) => {
      copied[copied.length] = v;
    });
    for (let i = 0; i < copied.length; i++) {
      const v = clone(copied[i], walk);
      setAdd(out, v);
      notePlace(walk, v, out, IN_SET);
    }
    return out;
  };

  // EnumerableOwnProperties(value, key), then each one still there read once and defined on
  // the copy. An array (`length` >= 0, read before) without holes has its elements keyed by
  // number: the same properties, faster.
  const cloneProperties = (value, out, length, walk) => {
    walk.memory.set(value, out);
    const proto = length >= 0 ? ArrayPrototype : ObjectPrototype;
    const keys = objectKeys(value);
    const dense = length > 0 && keys.length >= length && keys[length - 1] === `${length - 1}` ? length : 0;
    for (let i = 0; i < keys.length; i++) {
      const key = i < dense ? i : keys[i];
      if (!hasOwn(value, key)) continue; // deleted by a getter that ran before
      let v = value[key];
      if (typeof v === "object" || typeof v === "function" || typeof v === "symbol") v = clone(v, walk);
      // CreateDataProperty: defined where an assignment would meet what the prototype has under
      // that key (the __proto__ setter; a read-only property of a frozen prototype)
      if (key in proto) {
        DATA_DESCRIPTOR.value = v;
        defineProperty(out, key, DATA_DESCRIPTOR);
        DATA_DESCRIPTOR.value = undefined;
      } else {
        out[key] = v;
      }
      if (walk.places !== undefined) notePlace(walk, v, out, key);
    }
    if (length >= 0) out.length = length;
    return out;
  };

  const remember = (walk, value, out) => {
    walk.memory.set(value, out);
    return out;
  };

  function clone(value, walk) {
    const type = typeof value;
    if (type !== "object" || value === null) {
      if (type === "symbol") throw notCloneable(value);
      if (type !== "function") return value;
    }
    const known = walk.memory.get(value);
    if (known !== undefined) return known;
    if (type === "function") throw notCloneable(value);
    if (isArray(value)) return cloneProperties(value, [], value.length, walk);
    if (isView(value)) return cloneView(value, walk);
    const kind = kindOf(value);
    if (kind === DOM_EXCEPTION) return cloneDOMException(value, walk);
    if (isError(value)) return cloneError(value, walk);
    switch (kind) {
      case BOOLEAN: return remember(walk, value, new BooleanCtor(booleanValue(value)));
      case NUMBER: return remember(walk, value, new NumberCtor(numberValue(value)));
      case BIGINT: return remember(walk, value, ObjectCtor(bigintValue(value)));
      case STRING: return remember(walk, value, new StringCtor(stringValue(value)));
      case DATE: return remember(walk, value, new DateCtor(dateTime(value)));
      case REGEXP: {
        let flags = "";
        for (let i = 0; i < REGEXP_FLAGS.length; i++) if (REGEXP_FLAGS[i][1](value)) flags += REGEXP_FLAGS[i][0];
        return remember(walk, value, new RegExpCtor(regexpSource(value), flags)); // lastIndex 0
      }
      case BUFFER: return remember(walk, value, copyBuffer(value));
      case MAP: return cloneMap(value, walk);
      case SET: return cloneSet(value, walk);
      case REFUSED: throw notCloneable(value);
    }
    if (value === GLOBAL || isArguments(value) || isModuleNamespace(value)) throw notCloneable(value);
    return cloneProperties(value, {}, -1, walk); // an ordinary object: its copy's prototype is %Object.prototype%
  }
  const tryCall = (f, value) => {
    try {
      f(value);
      return true;
    } catch {
      return false;
    }
  };

  // The transfer, after the walk: every listed buffer still attached, then each detached into a
  // new ArrayBuffer (of the same kind: resizable, with its maximum), then the views of them, then
  // the places where they stand.
  const transfer = (transferList, walk) => {
    for (let i = 0; i < transferList.length; i++)
      if (bufferDetached(transferList[i])) throw dataCloneError(`ArrayBuffer at index ${i} is already detached.`);
    const pending = walk.pending;
    for (let i = 0; i < pending.length; i++) {
      const p = pending[i];
      if (p.view === undefined) {
        try {
          p.value = bufferTransfer(p.buffer);
        } catch {
          p.value = copyBuffer(p.buffer); // a WebAssembly.Memory's buffer cannot be detached: copied, as Node does
        }
      } else {
        const view = p.view; // [constructor, byteOffset, length]
        p.value = new view[0](p.buffer.value, view[1], view[2]);
      }
    }
    const places = walk.places;
    for (let i = 0; i < places.length; i += 2) {
      const container = places[i];
      const key = places[i + 1];
      if (key === IN_MAP) {
        const entries = [];
        mapForEach(container, (v, k) => {
          entries[entries.length] = settle(k);
          entries[entries.length] = settle(v);
        });
        mapClear(container);
        for (let j = 0; j < entries.length; j += 2) mapSet(container, entries[j], entries[j + 1]);
      } else if (key === IN_SET) {
        const members = [];
        setForEach(container, (v) => {
          members[members.length] = settle(v);
        });
        setClear(container);
        for (let j = 0; j < members.length; j++) setAdd(container, members[j]);
      } else {
        container[key] = settle(container[key]); // an own writable property the walk defined
      }
    }
  };

  // ---- StructuredSerializeWithTransfer and StructuredDeserializeWithTransfer ----
  // The options dictionary as WebIDL converts it (transfer: sequence<object>), with Node's errors.
  const transferListOf = (options) => {
    if (options === undefined || options === null) return [];
    if (typeof options !== "object" && typeof options !== "function")
      throw nodeTypeError("The options argument must be either an object or undefined", "ERR_INVALID_ARG_TYPE");
    // as Node reads it: null is no list, and so is an object that is not iterable
    const transfer = options.transfer;
    if (transfer === undefined || transfer === null) return [];
    if (typeof transfer !== "object" && typeof transfer !== "function")
      throw nodeTypeError("Optional transferList argument must be an iterable", "ERR_INVALID_ARG_TYPE");
    const iteratorMethod = transfer[ITERATOR];
    if (typeof iteratorMethod !== "function") return [];
    const iterator = apply(iteratorMethod, transfer, []);
    if (typeof iterator !== "object" || iterator === null) throw new TypeErrorCtor("Result of the Symbol.iterator method is not an object");
    const next = iterator.next;
    const list = [];
    for (;;) {
      const step = apply(next, iterator, []);
      if (typeof step !== "object" || step === null) throw new TypeErrorCtor("iterator result is not an object");
      if (step.done) return list;
      const item = step.value;
      if ((typeof item !== "object" || item === null) && typeof item !== "function")
        throw nodeTypeError("Found invalid object in transferList", "ERR_INVALID_TRANSFER_OBJECT");
      list[list.length] = item;
    }
  };

  const api = {
    structuredClone(value, options = undefined) {
      if (arguments.length === 0) throw nodeTypeError("The value argument must be specified", "ERR_MISSING_ARGS");
      const transferList = transferListOf(options);
      const walk = { memory: new PrivateMap(), pending: undefined, places: undefined };
      if (transferList.length > 0) {
        walk.pending = [];
        walk.places = [];
      }
      for (let i = 0; i < transferList.length; i++) {
        const transferable = transferList[i];
        // ArrayBuffer is the only transferable kind here (not SharedArrayBuffer, nor an immutable one)
        if (!tryCall(bufferByteLength, transferable) || bufferImmutable(transferable))
          throw dataCloneError("Found invalid object in transferList");
        if (walk.memory.has(transferable)) throw dataCloneError("Transfer list contains duplicate ArrayBuffer");
        const p = new Pending(transferable, undefined);
        walk.memory.set(transferable, p);
        walk.pending[i] = p;
      }
      const out = clone(value, walk);
      if (transferList.length === 0) return out;
      transfer(transferList, walk);
      return settle(out);
    },
  };
  define("structuredClone", api.structuredClone);
})
