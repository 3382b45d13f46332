// Event, CustomEvent, EventTarget, AbortController and AbortSignal: the DOM Standard's events
// (https://dom.spec.whatwg.org/#events) and aborting (#aborting-ongoing-activities), with
// Node's error messages and codes. An EventTarget here is never a node of a tree: an event has
// a path of one target, so dispatch is the standard's algorithm at AT_TARGET, its listeners in
// the order they were added (as in Node and Deno). An error a listener throws is reported as an
// uncaught exception and ends the program, as Node does; the other listeners still run first.
// docs/compatibility.md lists where this follows the standard and Node 20 does not.
(function (native, define) {
  "use strict";
  // Intrinsics and the runtime's globals, taken when the script first runs (the first time a
  // program reads one of the globals it defines) and called as functions from then on.
  const apply = Reflect.apply;
  const defineProperty = Object.defineProperty;
  const getOwnPropertyDescriptor = Object.getOwnPropertyDescriptor;
  const objectKeys = Object.keys;
  const objectIs = Object.is;
  const isArray = Array.isArray;
  const isInteger = Number.isInteger;
  const abs = Math.abs;
  const jsonStringify = JSON.stringify;
  const StringCtor = String;
  const ErrorCtor = Error;
  const TypeErrorCtor = TypeError;
  const RangeErrorCtor = RangeError;
  const PromiseCtor = Promise;
  const promiseThen = Promise.prototype.then;
  const MapCtor = Map;
  const SetCtor = Set;
  const WeakRefCtor = WeakRef;
  const FinalizationRegistryCtor = FinalizationRegistry;
  const SPECIES = Symbol.species;
  const TO_STRING_TAG = Symbol.toStringTag;
  const bindCall = (f) => apply(Function.prototype.bind, Function.prototype.call, [f]);
  const slice = bindCall(String.prototype.slice);
  const indexOf = bindCall(String.prototype.indexOf);
  const mapGet = bindCall(Map.prototype.get);
  const mapSet = bindCall(Map.prototype.set);
  const mapDelete = bindCall(Map.prototype.delete);
  const setAdd = bindCall(Set.prototype.add);
  const setHas = bindCall(Set.prototype.has);
  const setDelete = bindCall(Set.prototype.delete);
  const setForEach = bindCall(Set.prototype.forEach);
  const setSize = bindCall(getOwnPropertyDescriptor(Set.prototype, "size").get);
  const deref = bindCall(WeakRef.prototype.deref);
  const register = bindCall(FinalizationRegistry.prototype.register);
  const DOMExceptionCtor = globalThis.DOMException;
  const setTimer = globalThis.setTimeout;
  const clearTimer = globalThis.clearTimeout;
  const perf = globalThis.performance;
  const perfNow = perf?.now;
  const now = typeof perfNow === "function" ? () => apply(perfNow, perf, []) : () => 0;

  const push = (list, v) => {
    list[list.length] = v;
  };
  const isObject = (v) => (typeof v === "object" && v !== null) || typeof v === "function";

  // ---- errors, with Node's messages and codes ----
  const nodeError = (Ctor, code, message) => {
    const e = new Ctor(message);
    defineProperty(e, "toString", {
      __proto__: null,
      value() {
        return `${this.name} [${code}]: ${this.message}`;
      },
      writable: true, enumerable: false, configurable: true,
    });
    defineProperty(e, "code", { __proto__: null, value: code, writable: true, enumerable: true, configurable: true });
    return e;
  };
  // Node's description of a value it did not expect (its determineSpecificType)
  const described = (v) => {
    if (v === undefined || v === null) return `${v}`;
    switch (typeof v) {
      case "function":
        return `function ${v.name}`;
      case "object": {
        const ctor = v.constructor;
        if (isObject(ctor) && "name" in ctor) return `an instance of ${ctor.name}`;
        return objectKeys(v).length === 0 ? "[Object: null prototype] {}" : "[Object: null prototype]";
      }
      case "string": {
        const s = v.length > 28 ? `${slice(v, 0, 25)}...` : v;
        return indexOf(s, "'") === -1 ? `type string ('${s}')` : `type string (${jsonStringify(s)})`;
      }
      case "number":
        return `type number (${objectIs(v, -0) ? "-0" : v})`;
      case "bigint":
        return `type bigint (${v}n)`;
      case "symbol":
        return `type symbol (${StringCtor(v)})`;
      default:
        return `type ${typeof v} (${v})`;
    }
  };
  const invalidArgType = (name, expected, value) => {
    const what = indexOf(name, ".") === -1 ? "argument" : "property";
    const must = expected === "object" || expected === "number" ? `of type ${expected}` : `an instance of ${expected}`;
    return nodeError(TypeErrorCtor, "ERR_INVALID_ARG_TYPE",
      `The "${name}" ${what} must be ${must}. Received ${described(value)}`);
  };
  const missingArgs = (name, other = undefined) =>
    nodeError(TypeErrorCtor, "ERR_MISSING_ARGS", other === undefined
      ? `The "${name}" argument must be specified` : `The "${name}" and "${other}" arguments must be specified`);
  const invalidThis = (type) => nodeError(TypeErrorCtor, "ERR_INVALID_THIS", `Value of "this" must be of type ${type}`);
  const separated = (digits) => {
    let out = "";
    let i = digits.length;
    const start = digits[0] === "-" ? 1 : 0;
    for (; i >= start + 4; i -= 3) out = `_${slice(digits, i - 3, i)}${out}`;
    return `${slice(digits, 0, i)}${out}`;
  };
  const outOfRange = (name, range, value) => {
    const shown = isInteger(value) && abs(value) > 2 ** 32 ? separated(StringCtor(value)) : StringCtor(value);
    return nodeError(RangeErrorCtor, "ERR_OUT_OF_RANGE",
      `The value of "${name}" is out of range. It must be ${range}. Received ${shown}`);
  };
  // WebIDL's DOMString, as Node converts an event type
  const domString = (v) => {
    if (typeof v === "symbol")
      throw nodeError(TypeErrorCtor, "ERR_INVALID_ARG_VALUE", `The argument 'value' is invalid. Received ${StringCtor(v)}`);
    return `${v}`;
  };
  const abortError = () => new DOMExceptionCtor("This operation was aborted", "AbortError");

  // ---- reporting an exception (the HTML Standard's "report an exception") ----
  // Node throws a listener's error from process.nextTick, which makes it an uncaught exception.
  // Here it is thrown from a job: a reaction on a settled promise whose capability (made by the
  // species constructor below) rethrows what it is given, so the job itself fails and the
  // engine's job loop reports the error as it reports any uncaught one (message, stack, and the
  // exit code a resource limit has) and ends the run. The promise is never rejected, so no
  // "in promise" report follows.
  const rethrow = (error) => {
    throw error;
  };
  function Rethrowing(executor) {
    executor(rethrow, rethrow);
  }
  const settled = new PromiseCtor((resolve) => resolve());
  defineProperty(settled, "constructor", { __proto__: null, value: { __proto__: null, [SPECIES]: Rethrowing } });
  const reportException = (error) => {
    apply(promiseThen, settled, [() => error]);
  };

  // Call a listener with the event: a function with the target as `this`, an object through its
  // handleEvent, looked up now (an object without one is passed over, as in Node; a handleEvent
  // that is not a function is a TypeError, reported). A result with a `then` has its rejection
  // reported as an uncaught exception, as Node does for async listeners.
  const invoke = (callback, target, event) => {
    try {
      let result;
      if (typeof callback === "function") {
        result = apply(callback, target, [event]);
      } else {
        const handleEvent = callback.handleEvent;
        if (!handleEvent) return;
        result = apply(handleEvent, callback, [event]);
      }
      if (result !== undefined && result !== null) {
        const then = result.then;
        if (typeof then === "function") apply(then, result, [undefined, reportException]);
      }
    } catch (error) {
      reportException(error);
    }
  };

  const NONE = 0;
  const AT_TARGET = 2;

  // Operations on the classes' private state, set by their static blocks (the only code that can
  // reach it) for the other classes here.
  let isEvent, eventType, isDispatching, dispatch; // Event
  let listenersOf, hasListeners, addListener, removeListener; // EventTarget
  let isAbortSignal, isAborted, createSignal, signalAbort, addRemoval, removeRemoval, retain; // AbortSignal

  // ---- Event ----
  class Event {
    #type;
    #bubbles = false;
    #cancelable = false;
    #composed = false;
    #timeStamp = now();
    #trusted = false;
    #target = null;
    #currentTarget = null;
    #phase = NONE;
    #canceled = false;
    #stopPropagation = false;
    #stopImmediatePropagation = false;
    #inPassiveListener = false;
    #dispatching = false;

    constructor(type, options = undefined) {
      if (arguments.length === 0) throw missingArgs("type");
      if (options !== undefined && options !== null && (typeof options !== "object" || isArray(options)))
        throw invalidArgType("options", "object", options);
      this.#bubbles = !!options?.bubbles;
      this.#cancelable = !!options?.cancelable;
      this.#composed = !!options?.composed;
      this.#type = `${type}`;
    }

    initEvent(type, bubbles = false, cancelable = false) {
      Event.#check(this);
      if (arguments.length === 0) throw missingArgs("type");
      if (this.#dispatching) return;
      this.#stopPropagation = false;
      this.#stopImmediatePropagation = false;
      this.#canceled = false;
      this.#trusted = false;
      this.#target = null;
      this.#type = `${type}`;
      this.#bubbles = !!bubbles;
      this.#cancelable = !!cancelable;
    }
    stopImmediatePropagation() {
      Event.#check(this);
      this.#stopPropagation = true;
      this.#stopImmediatePropagation = true;
    }
    preventDefault() {
      Event.#check(this);
      this.#cancel();
    }
    get target() {
      Event.#check(this);
      return this.#target;
    }
    get currentTarget() {
      Event.#check(this);
      return this.#currentTarget;
    }
    get srcElement() {
      Event.#check(this);
      return this.#target;
    }
    get type() {
      Event.#check(this);
      return this.#type;
    }
    get cancelable() {
      Event.#check(this);
      return this.#cancelable;
    }
    get defaultPrevented() {
      Event.#check(this);
      return this.#canceled;
    }
    get timeStamp() {
      Event.#check(this);
      return this.#timeStamp;
    }
    composedPath() {
      Event.#check(this);
      return this.#dispatching ? [this.#target] : [];
    }
    get returnValue() {
      Event.#check(this);
      return !this.#canceled;
    }
    set returnValue(value) {
      Event.#check(this);
      if (!value) this.#cancel();
    }
    get bubbles() {
      Event.#check(this);
      return this.#bubbles;
    }
    get composed() {
      Event.#check(this);
      return this.#composed;
    }
    get eventPhase() {
      Event.#check(this);
      return this.#phase;
    }
    get cancelBubble() {
      Event.#check(this);
      return this.#stopPropagation;
    }
    set cancelBubble(value) {
      Event.#check(this);
      if (value) this.#stopPropagation = true;
    }
    stopPropagation() {
      Event.#check(this);
      this.#stopPropagation = true;
    }
    // false for another object, as in Node (whose getter is shared, not one per event)
    get isTrusted() {
      return isEvent(this) && this.#trusted;
    }

    // the standard's "set the canceled flag": not for an event that cannot be canceled, nor
    // from a passive listener
    #cancel() {
      if (this.#cancelable && !this.#inPassiveListener) this.#canceled = true;
    }
    static #check(self) {
      if (!isEvent(self)) throw invalidThis("Event");
    }

    static {
      isEvent = (v) => typeof v === "object" && v !== null && #type in v;
      eventType = (event) => event.#type;
      isDispatching = (event) => event.#dispatching;
      // The standard's dispatch for a target that is its own path: the listeners of the event's
      // type as they are now (those added while it runs are not called, those removed are
      // passed over), until one stops immediate propagation; then the flags are reset.
      dispatch = (target, event, trusted) => {
        event.#trusted = trusted;
        event.#dispatching = true;
        event.#target = target;
        if (!event.#stopPropagation) {
          event.#currentTarget = target;
          event.#phase = AT_TARGET;
          const type = event.#type;
          const list = listenersOf(target, type);
          const count = list.length;
          for (let i = 0; i < count && !event.#stopImmediatePropagation; i++) {
            const record = list[i];
            if (record.removed) continue;
            if (record.once) removeListener(record);
            event.#inPassiveListener = record.passive;
            invoke(record.callback, target, event);
            event.#inPassiveListener = false;
          }
        }
        event.#phase = NONE;
        event.#currentTarget = null;
        event.#dispatching = false;
        event.#stopPropagation = false;
        event.#stopImmediatePropagation = false;
        return !event.#canceled;
      };
    }
  }

  // ---- CustomEvent ----
  class CustomEvent extends Event {
    #detail = null;

    constructor(type, options = undefined) {
      if (arguments.length === 0) throw missingArgs("type");
      super(type, options);
      this.#detail = options?.detail ?? null;
    }

    get detail() {
      if (!(typeof this === "object" && this !== null && #detail in this)) throw invalidThis("CustomEvent");
      return this.#detail;
    }
  }

  // ---- EventTarget ----
  // A listener is a record { callback, capture, once, passive, removed, target, type, signal,
  // ref }. A target keeps, per event type, a Set of them in the order they were added and, per
  // capture flag, a Map from callback to record: adding, finding and removing one take the same
  // time however many there are.
  class EventTarget {
    #lists = new MapCtor(); // type -> { records, plain, captured }

    addEventListener(type, listener, options = undefined) {
      EventTarget.#check(this);
      if (arguments.length < 2) throw missingArgs("type", "listener");
      let once = false;
      let capture = false;
      let passive = false;
      let signal;
      if (typeof options === "boolean") {
        capture = options;
      } else if (options !== undefined && options !== null) {
        if (!isObject(options)) throw invalidArgType("options", "object", options);
        once = !!options.once;
        capture = !!options.capture;
        passive = !!options.passive;
        signal = options.signal;
        if (signal !== undefined) {
          if (!isAbortSignal(signal)) throw invalidArgType("options.signal", "AbortSignal", signal);
          if (isAborted(signal)) return;
        }
      }
      // the standard ignores a null listener (Node also warns)
      if (listener === undefined || listener === null) return;
      if (!isObject(listener)) throw invalidArgType("listener", "EventListener", listener);
      addListener(this, domString(type), listener, capture, once, passive, signal);
    }

    removeEventListener(type, listener, options = undefined) {
      EventTarget.#check(this);
      if (arguments.length < 2) throw missingArgs("type", "listener");
      if (listener === undefined || listener === null) return;
      if (!isObject(listener)) throw invalidArgType("listener", "EventListener", listener);
      type = domString(type);
      const capture = typeof options === "boolean" ? options : isObject(options) && !!options.capture;
      const lists = mapGet(this.#lists, type);
      const record = lists === undefined ? undefined : mapGet(capture ? lists.captured : lists.plain, listener);
      if (record !== undefined) removeListener(record);
    }

    dispatchEvent(event) {
      EventTarget.#check(this);
      if (arguments.length < 1) throw missingArgs("event");
      if (!isEvent(event)) throw invalidArgType("event", "Event", event);
      if (isDispatching(event))
        throw nodeError(ErrorCtor, "ERR_EVENT_RECURSION", `The event "${eventType(event)}" is already being dispatched`);
      return dispatch(this, event, false);
    }

    static #check(self) {
      if (!(typeof self === "object" && self !== null && #lists in self)) throw invalidThis("EventTarget");
    }

    static {
      // the listeners of a type as they are now, in order (an array, which changes no more)
      listenersOf = (target, type) => {
        const list = [];
        const lists = mapGet(target.#lists, type);
        if (lists !== undefined) setForEach(lists.records, (record) => push(list, record));
        return list;
      };
      hasListeners = (target, type) => mapGet(target.#lists, type) !== undefined;
      // The standard's "add an event listener" once the arguments are checked: nothing if the
      // same callback is there with the same capture; a signal removes the listener on abort.
      addListener = (target, type, callback, capture, once, passive, signal) => {
        let lists = mapGet(target.#lists, type);
        if (lists === undefined) {
          lists = { __proto__: null, records: new SetCtor(), plain: new MapCtor(), captured: new MapCtor() };
          mapSet(target.#lists, type, lists);
        }
        const byCallback = capture ? lists.captured : lists.plain;
        if (mapGet(byCallback, callback) !== undefined) return null;
        const record = { __proto__: null, callback, capture, once, passive, removed: false, target, type,
          signal: undefined, ref: undefined };
        setAdd(lists.records, record);
        mapSet(byCallback, callback, record);
        if (signal !== undefined) {
          record.signal = signal;
          record.ref = addRemoval(signal, record);
        }
        if (type === "abort" && isAbortSignal(target)) retain(target);
        return record;
      };
      removeListener = (record) => {
        if (record.removed) return;
        record.removed = true;
        const { target, type } = record;
        const lists = mapGet(target.#lists, type);
        setDelete(lists.records, record);
        mapDelete(record.capture ? lists.captured : lists.plain, record.callback);
        if (setSize(lists.records) === 0) mapDelete(target.#lists, type);
        if (record.signal !== undefined) {
          removeRemoval(record.signal, record.ref);
          record.signal = record.ref = undefined;
        }
        if (type === "abort" && isAbortSignal(target)) retain(target);
      };
    }
  }

  // ---- AbortSignal ----
  const CREATING = Symbol("AbortSignal");
  // A set of weak references grows with entries whose object is gone; they are swept out when
  // its size reaches a power of two from PRUNE_AT on.
  const PRUNE_AT = 64;
  const addWeak = (set, ref) => {
    setAdd(set, ref);
    const n = setSize(set);
    if (n >= PRUNE_AT && (n & (n - 1)) === 0)
      setForEach(set, (r) => {
        if (deref(r) === undefined) setDelete(set, r);
      });
  };
  // Signals that must stay alive while nothing but their timer or their sources reaches them:
  // a timeout or dependent signal, not aborted, with abort listeners (the standard's garbage
  // collection rule for them).
  const keepAlive = new SetCtor();
  // a timeout signal that is collected has its timer cleared
  const timers = new FinalizationRegistryCtor((id) => clearTimer(id));
  // the handler onabort stores runs as the signal's listener (as the HTML Standard's event
  // handlers do): in the place it was first set
  let handlerOf;
  const runHandler = function (event) {
    const handler = handlerOf(this);
    return typeof handler === "function" ? apply(handler, this, [event]) : undefined;
  };

  class AbortSignal extends EventTarget {
    #aborted = false;
    #reason = undefined;
    #removals = null; // weak references to the listeners added with this signal
    #dependent = false;
    #sources = null; // a dependent signal's sources (AbortSignal.any)
    #dependents = null; // weak references to the signals that depend on this one
    #self = null; // the weak reference to this signal that its sources hold
    #timeout = false;
    #handler = null;
    #handlerRecord = null;

    constructor(token = undefined) {
      if (token !== CREATING) throw nodeError(TypeErrorCtor, "ERR_ILLEGAL_CONSTRUCTOR", "Illegal constructor");
      super();
    }

    get aborted() {
      AbortSignal.#check(this);
      return this.#aborted;
    }
    get reason() {
      AbortSignal.#check(this);
      return this.#reason;
    }
    throwIfAborted() {
      AbortSignal.#check(this);
      if (this.#aborted) throw this.#reason;
    }
    get onabort() {
      AbortSignal.#check(this);
      return this.#handler;
    }
    set onabort(value) {
      AbortSignal.#check(this);
      this.#handler = isObject(value) ? value : null;
      if (this.#handler === null) {
        if (this.#handlerRecord !== null) removeListener(this.#handlerRecord);
        this.#handlerRecord = null;
      } else if (this.#handlerRecord === null) {
        this.#handlerRecord = addListener(this, "abort", runHandler, false, false, false, undefined);
      }
    }

    static abort(reason = undefined) {
      const signal = createSignal();
      signal.#aborted = true;
      signal.#reason = reason === undefined ? abortError() : reason;
      return signal;
    }

    // Node's checks (a whole number of milliseconds up to 2^32 - 1). The timer refers to the
    // signal weakly: a signal the program drops has its timer cleared.
    static timeout(delay) {
      if (typeof delay !== "number") throw invalidArgType("delay", "number", delay);
      if (!isInteger(delay)) throw outOfRange("delay", "an integer", delay);
      if (delay < 0 || delay > 4294967295) throw outOfRange("delay", ">= 0 && <= 4294967295", delay);
      const signal = createSignal();
      signal.#timeout = true;
      const ref = new WeakRefCtor(signal);
      const fire = () => {
        const s = deref(ref);
        if (s !== undefined)
          signalAbort(s, new DOMExceptionCtor("The operation was aborted due to timeout", "TimeoutError"));
      };
      const id = setTimer(fire, delay);
      native.unrefTimer(id); // as in Node and Deno: a pending timeout does not keep the program running
      register(timers, signal, id);
      return signal;
    }

    // The standard's "create a dependent abort signal": aborted at once if one of them is,
    // else it depends on their sources (a dependent signal among them is replaced by its own).
    static any(signals) {
      if (!isArray(signals)) throw invalidArgType("signals", "Array", signals);
      const list = [];
      for (let i = 0; i < signals.length; i++) {
        const s = signals[i];
        if (!isAbortSignal(s)) throw invalidArgType(`signals[${i}]`, "AbortSignal", s);
        push(list, s);
      }
      const result = createSignal();
      for (let i = 0; i < list.length; i++) {
        if (list[i].#aborted) {
          result.#aborted = true;
          result.#reason = list[i].#reason;
          return result;
        }
      }
      result.#dependent = true;
      result.#sources = new SetCtor();
      for (let i = 0; i < list.length; i++) {
        const s = list[i];
        if (!s.#dependent) AbortSignal.#link(result, s);
        else if (s.#sources !== null) setForEach(s.#sources, (source) => AbortSignal.#link(result, source));
      }
      return result;
    }

    static #link(dependent, source) {
      if (setHas(dependent.#sources, source)) return;
      setAdd(dependent.#sources, source);
      dependent.#self ??= new WeakRefCtor(dependent);
      source.#dependents ??= new SetCtor();
      addWeak(source.#dependents, dependent.#self);
    }
    static #check(self) {
      if (!isAbortSignal(self)) throw invalidThis("AbortSignal");
    }
    // The standard's "run the abort steps": its listeners added with a signal option are
    // removed, then the abort event (trusted) is fired.
    static #runAbortSteps(signal) {
      const removals = signal.#removals;
      signal.#removals = null;
      if (removals !== null)
        setForEach(removals, (ref) => {
          const record = deref(ref);
          if (record !== undefined) removeListener(record);
        });
      if (signal.#sources !== null) {
        const self = signal.#self;
        setForEach(signal.#sources, (source) => {
          if (source.#dependents !== null) setDelete(source.#dependents, self);
        });
        signal.#sources = null;
      }
      setDelete(keepAlive, signal);
      dispatch(signal, new Event("abort"), true);
    }

    static {
      isAbortSignal = (v) => typeof v === "object" && v !== null && #aborted in v;
      isAborted = (signal) => signal.#aborted;
      createSignal = () => new AbortSignal(CREATING);
      handlerOf = (signal) => signal.#handler;
      // The standard's "signal abort": the signals that depend on this one are marked aborted
      // (with its reason) before any abort event fires, then each runs its abort steps.
      signalAbort = (signal, reason) => {
        if (signal.#aborted) return;
        signal.#aborted = true;
        signal.#reason = reason === undefined ? abortError() : reason;
        const dependents = [];
        if (signal.#dependents !== null) {
          setForEach(signal.#dependents, (ref) => {
            const d = deref(ref);
            if (d !== undefined && !d.#aborted) {
              d.#aborted = true;
              d.#reason = signal.#reason;
              push(dependents, d);
            }
          });
          signal.#dependents = null;
        }
        AbortSignal.#runAbortSteps(signal);
        for (let i = 0; i < dependents.length; i++) AbortSignal.#runAbortSteps(dependents[i]);
      };
      addRemoval = (signal, record) => {
        const ref = new WeakRefCtor(record);
        signal.#removals ??= new SetCtor();
        addWeak(signal.#removals, ref);
        return ref;
      };
      removeRemoval = (signal, ref) => {
        if (signal.#removals !== null) setDelete(signal.#removals, ref);
      };
      retain = (signal) => {
        const needed = !signal.#aborted && hasListeners(signal, "abort") &&
          (signal.#timeout || (signal.#sources !== null && setSize(signal.#sources) > 0));
        if (needed) setAdd(keepAlive, signal);
        else setDelete(keepAlive, signal);
      };
    }
  }

  // ---- AbortController ----
  class AbortController {
    #signal = createSignal();

    get signal() {
      AbortController.#check(this);
      return this.#signal;
    }
    abort(reason = undefined) {
      AbortController.#check(this);
      signalAbort(this.#signal, reason);
    }

    static #check(self) {
      if (!(typeof self === "object" && self !== null && #signal in self)) throw invalidThis("AbortController");
    }
  }

  // ---- the object model: WebIDL's enumerable members, constants and @@toStringTag ----
  const enumerable = (target, keys) => {
    for (let i = 0; i < keys.length; i++) {
      defineProperty(target, keys[i], { __proto__: null, ...getOwnPropertyDescriptor(target, keys[i]), enumerable: true });
    }
  };
  const PHASES = ["NONE", "CAPTURING_PHASE", "AT_TARGET", "BUBBLING_PHASE"];
  for (let i = 0; i < PHASES.length; i++) {
    const constant = { __proto__: null, value: i, writable: false, enumerable: true, configurable: false };
    defineProperty(Event, PHASES[i], constant);
    defineProperty(Event.prototype, PHASES[i], constant);
  }
  enumerable(Event.prototype, ["initEvent", "stopImmediatePropagation", "preventDefault", "target",
    "currentTarget", "srcElement", "type", "cancelable", "defaultPrevented", "timeStamp", "composedPath",
    "returnValue", "bubbles", "composed", "eventPhase", "cancelBubble", "stopPropagation", "isTrusted"]);
  defineProperty(Event.prototype, "isTrusted", { __proto__: null, configurable: false });
  enumerable(CustomEvent.prototype, ["detail"]);
  enumerable(EventTarget.prototype, ["addEventListener", "removeEventListener", "dispatchEvent"]);
  enumerable(AbortSignal.prototype, ["aborted", "reason", "throwIfAborted", "onabort"]);
  enumerable(AbortSignal, ["abort", "timeout", "any"]);
  enumerable(AbortController.prototype, ["signal", "abort"]);
  const classes = [Event, CustomEvent, EventTarget, AbortSignal, AbortController];
  for (let i = 0; i < classes.length; i++)
    defineProperty(classes[i].prototype, TO_STRING_TAG, { __proto__: null, value: classes[i].name, configurable: true });

  define("Event", Event);
  define("CustomEvent", CustomEvent);
  define("EventTarget", EventTarget);
  define("AbortController", AbortController);
  define("AbortSignal", AbortSignal);
})
