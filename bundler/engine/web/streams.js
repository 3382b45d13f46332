// ReadableStream, WritableStream, TransformStream and the queuing strategies: the WHATWG Streams
// Standard (https://streams.spec.whatwg.org/), written as its own abstract operations, named as
// the standard names them, so each step can be checked against the text. Byte streams
// (`type: "bytes"`), BYOB readers, pipeTo with its options, tee, async iteration and
// ReadableStream.from are all here; TextEncoderStream and TextDecoderStream are in
// web/encoding_streams.js, CompressionStream in web/compression.js, both over the public API.
//
// Every class keeps its state in a private field holding a plain record (null prototype), and
// the operations below work on records, so no property a program can see or replace is ever
// read by the machinery (only the callbacks and strategies a program passes in, which the
// standard reads too). docs/compatibility.md lists where this differs from Node 20.
(function (native, define) {
  "use strict";
  // Intrinsics, taken when the script first runs and called as functions from then on.
  const apply = Reflect.apply;
  const defineProperty = Object.defineProperty;
  const getOwnPropertyDescriptor = Object.getOwnPropertyDescriptor;
  const getPrototypeOf = Object.getPrototypeOf;
  const create = Object.create;
  const isNaNNumber = Number.isNaN;
  const MathMin = Math.min;
  const PromiseCtor = Promise;
  const promiseThen = Promise.prototype.then;
  const promiseResolve = Promise.resolve;
  const promiseReject = Promise.reject;
  const TypeErrorCtor = TypeError;
  const RangeErrorCtor = RangeError;
  const ArrayBufferCtor = ArrayBuffer;
  const DataViewCtor = DataView;
  const U8 = Uint8Array;
  const SymbolAsyncIterator = Symbol.asyncIterator;
  const SymbolIterator = Symbol.iterator;
  const TO_STRING_TAG = Symbol.toStringTag;
  const isView = ArrayBuffer.isView;
  const queueMicrotaskFn = globalThis.queueMicrotask;
  const getter = (proto, name) => getOwnPropertyDescriptor(proto, name).get;
  const TypedArrayProto = getPrototypeOf(U8.prototype);
  const typedBuffer = getter(TypedArrayProto, "buffer");
  const typedOffset = getter(TypedArrayProto, "byteOffset");
  const typedByteLength = getter(TypedArrayProto, "byteLength");
  const typedLength = getter(TypedArrayProto, "length");
  const typedTag = getter(TypedArrayProto, TO_STRING_TAG);
  const viewBuffer = getter(DataView.prototype, "buffer");
  const viewOffset = getter(DataView.prototype, "byteOffset");
  const viewByteLength = getter(DataView.prototype, "byteLength");
  const bufferByteLength = getter(ArrayBuffer.prototype, "byteLength");
  const bufferDetached = getter(ArrayBuffer.prototype, "detached");
  const bufferTransfer = ArrayBuffer.prototype.transfer;
  const bufferSlice = ArrayBuffer.prototype.slice;
  const u8Set = TypedArrayProto.set;
  const AsyncIteratorPrototype = getPrototypeOf(getPrototypeOf(async function* () {}).prototype);
  const TYPED_ARRAYS = {
    Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array,
    Float32Array, Float64Array, BigInt64Array, BigUint64Array,
  };
  if (typeof globalThis.Float16Array === "function") TYPED_ARRAYS.Float16Array = globalThis.Float16Array;

  const isObject = (v) => (typeof v === "object" && v !== null) || typeof v === "function";
  const noop = () => {};
  const typeError = (message) => new TypeErrorCtor(message);
  const rangeError = (message) => new RangeErrorCtor(message);

  // ---- promises (the standard's "a new promise", "resolve", "react", "mark as handled") ----
  const newPromise = () => {
    const d = { __proto__: null, promise: undefined, resolve: undefined, reject: undefined, settled: false };
    d.promise = new PromiseCtor((resolve, reject) => {
      d.resolve = resolve;
      d.reject = reject;
    });
    return d;
  };
  const resolveDeferred = (d, v) => {
    if (d.settled) return;
    d.settled = true;
    d.resolve(v);
  };
  const rejectDeferred = (d, e) => {
    if (d.settled) return;
    d.settled = true;
    d.reject(e);
  };
  const resolvedWith = (v) => apply(promiseResolve, PromiseCtor, [v]);
  const rejectedWith = (e) => apply(promiseReject, PromiseCtor, [e]);
  // then, bound to call once (no arguments array per reaction: a chunk takes several)
  const thenCall = apply(Function.prototype.bind, Function.prototype.call, [promiseThen]);
  const react = (p, onFulfilled, onRejected) => thenCall(p, onFulfilled, onRejected);
  const markHandled = (p) => {
    thenCall(p, undefined, noop);
  };
  const resolvedDeferred = (v) => {
    const d = newPromise();
    resolveDeferred(d, v);
    return d;
  };
  const rejectedDeferred = (e) => {
    const d = newPromise();
    rejectDeferred(d, e);
    markHandled(d.promise);
    return d;
  };
  // all of `promises` fulfilled, or the first rejection ("wait for all")
  const waitForAll = (promises) => {
    const d = newPromise();
    let left = promises.length;
    if (left === 0) resolveDeferred(d, undefined);
    for (let i = 0; i < promises.length; i++)
      react(promises[i], () => {
        if (--left === 0) resolveDeferred(d, undefined);
      }, (e) => rejectDeferred(d, e));
    return d.promise;
  };
  const queueMicrotask = (fn) => {
    if (typeof queueMicrotaskFn === "function") queueMicrotaskFn(fn);
    else react(resolvedWith(undefined), fn);
  };

  // A queue with O(1) removal at the front (the standard's lists used as queues).
  const newList = () => ({ __proto__: null, items: [], head: 0 });
  const listLength = (l) => l.items.length - l.head;
  const listPush = (l, v) => {
    l.items[l.items.length] = v;
  };
  const listPeek = (l) => l.items[l.head];
  const listShift = (l) => {
    const v = l.items[l.head];
    l.items[l.head++] = undefined;
    if (l.head > 1024 && l.head * 2 > l.items.length) {
      l.items = apply(Array.prototype.slice, l.items, [l.head]);
      l.head = 0;
    }
    return v;
  };
  const listForEach = (l, fn) => {
    const items = l.items;
    for (let i = l.head; i < items.length; i++) fn(items[i]);
  };

  // ---- WebIDL conversions ----
  const dictionary = (v, what) => {
    if (v === undefined || v === null) return undefined;
    if (!isObject(v)) throw typeError(`${what} must be an object`);
    return v;
  };
  const callbackMember = (dict, name, what) => {
    const f = dict === undefined ? undefined : dict[name];
    if (f === undefined) return undefined;
    if (typeof f !== "function") throw typeError(`${what}.${name} must be a function`);
    return f;
  };
  const unrestrictedDouble = (v) => +v;
  const toBoolean = (v) => !!v;
  const enforceRangeULongLong = (v, what) => {
    let x = +v;
    if (isNaNNumber(x) || x === Infinity || x === -Infinity) throw typeError(`${what} must be a finite number`);
    x = x < 0 ? -Math.floor(-x) : Math.floor(x);
    if (x < 0 || x > Number.MAX_SAFE_INTEGER) throw typeError(`${what} is outside the accepted range`);
    return x;
  };
  // a callback invoked as a promise-returning WebIDL callback: a throw is a rejected promise
  const promiseCall = (f, thisArg, args) => {
    try {
      return resolvedWith(apply(f, thisArg, args));
    } catch (e) {
      return rejectedWith(e);
    }
  };

  // ---- ArrayBuffers (byte streams) ----
  const isDetached = (buffer) => apply(bufferDetached, buffer, []);
  const transferBuffer = (buffer) => {
    if (isDetached(buffer)) throw typeError("the ArrayBuffer is detached");
    return apply(bufferTransfer, buffer, []);
  };
  const copyBytes = (dest, destOffset, src, srcOffset, n) => {
    apply(u8Set, new U8(dest, destOffset, n), [new U8(src, srcOffset, n)]);
  };
  const cloneBuffer = (buffer, offset, length) => apply(bufferSlice, buffer, [offset, offset + length]);
  // an ArrayBufferView's internal slots: [buffer, byteOffset, byteLength, constructor, element size]
  const viewSlots = (view) => {
    const tag = isView(view) ? apply(typedTag, view, []) : undefined;
    if (tag !== undefined) {
      const Ctor = TYPED_ARRAYS[tag];
      return [apply(typedBuffer, view, []), apply(typedOffset, view, []), apply(typedByteLength, view, []), Ctor,
        Ctor.BYTES_PER_ELEMENT];
    }
    return [apply(viewBuffer, view, []), apply(viewOffset, view, []), apply(viewByteLength, view, []), DataViewCtor, 1];
  };

  // ---- queuing strategies ----
  const extractHighWaterMark = (strategy, defaultHWM) => {
    const hwm = strategy.highWaterMark;
    if (hwm === undefined) return defaultHWM;
    if (isNaNNumber(hwm) || hwm < 0) throw rangeError("The highWaterMark must be a non-negative number");
    return hwm;
  };
  const extractSizeAlgorithm = (strategy) => {
    const size = strategy.size;
    if (size === undefined) return () => 1;
    return (chunk) => apply(size, undefined, [chunk]);
  };
  // QueuingStrategy: the dictionary's members read and converted in WebIDL's order
  const strategyDictionary = (strategy) => {
    const dict = dictionary(strategy, "The strategy");
    const out = { __proto__: null, highWaterMark: undefined, size: undefined };
    if (dict === undefined) return out;
    const hwm = dict.highWaterMark;
    if (hwm !== undefined) out.highWaterMark = unrestrictedDouble(hwm);
    out.size = callbackMember(dict, "size", "The strategy");
    return out;
  };

  // The queue with sizes (the standard's "queue-with-sizes" operations).
  const dequeueValue = (container) => {
    const pair = listShift(container.queue);
    container.queueTotalSize -= pair.size;
    if (container.queueTotalSize < 0) container.queueTotalSize = 0;
    return pair.value;
  };
  const enqueueValueWithSize = (container, value, size) => {
    if (typeof size !== "number" || isNaNNumber(size) || size < 0 || size === Infinity)
      throw rangeError("The chunk's size must be a finite, non-negative number");
    listPush(container.queue, { __proto__: null, value, size });
    container.queueTotalSize += size;
  };
  const peekQueueValue = (container) => listPeek(container.queue).value;
  const resetQueue = (container) => {
    container.queue = newList();
    container.queueTotalSize = 0;
  };

  // The classes' private state, reached from outside them only through these (set in their
  // static blocks): `xOf(v)` is v's record or undefined when v is not of that class.
  let rsOf, newRS, newDefaultReader, newBYOBReader, newRSController, newByteController, byobRequestOf, newBYOBRequest;
  let wsOf, newWS, newWriter, newWSController, newTSController;

  const CREATE = { __proto__: null }; // the constructors' internal-creation token

  // ==== ReadableStream ====
  const initializeReadableStream = (stream) => {
    stream.state = "readable";
    stream.reader = undefined;
    stream.storedError = undefined;
    stream.disturbed = false;
  };
  const isReadableStreamLocked = (stream) => stream.reader !== undefined;

  const createReadableStream = (startAlgorithm, pullAlgorithm, cancelAlgorithm, highWaterMark = 1,
    sizeAlgorithm = () => 1) => {
    const stream = newRS();
    const controller = newRSController();
    setUpReadableStreamDefaultController(stream, controller, startAlgorithm, pullAlgorithm, cancelAlgorithm,
      highWaterMark, sizeAlgorithm);
    return stream;
  };
  const createReadableByteStream = (startAlgorithm, pullAlgorithm, cancelAlgorithm) => {
    const stream = newRS();
    const controller = newByteController();
    setUpReadableByteStreamController(stream, controller, startAlgorithm, pullAlgorithm, cancelAlgorithm, 0,
      undefined);
    return stream;
  };

  const readableStreamAddReadRequest = (stream, readRequest) => {
    listPush(stream.reader.readRequests, readRequest);
  };
  const readableStreamAddReadIntoRequest = (stream, readIntoRequest) => {
    listPush(stream.reader.readIntoRequests, readIntoRequest);
  };
  const readableStreamCancel = (stream, reason) => {
    stream.disturbed = true;
    if (stream.state === "closed") return resolvedWith(undefined);
    if (stream.state === "errored") return rejectedWith(stream.storedError);
    readableStreamClose(stream);
    const reader = stream.reader;
    if (reader !== undefined && reader.kind === "byob") {
      const requests = reader.readIntoRequests;
      reader.readIntoRequests = newList();
      listForEach(requests, (r) => r.closeSteps(undefined));
    }
    const sourceCancelPromise = stream.controller.cancelSteps(reason);
    return react(sourceCancelPromise, noop);
  };
  const readableStreamClose = (stream) => {
    stream.state = "closed";
    const reader = stream.reader;
    if (reader === undefined) return;
    resolveDeferred(reader.closedPromise, undefined);
    if (reader.kind === "default") {
      const requests = reader.readRequests;
      reader.readRequests = newList();
      listForEach(requests, (r) => r.closeSteps());
    }
  };
  const readableStreamError = (stream, e) => {
    stream.state = "errored";
    stream.storedError = e;
    const reader = stream.reader;
    if (reader === undefined) return;
    rejectDeferred(reader.closedPromise, e);
    markHandled(reader.closedPromise.promise);
    if (reader.kind === "default") readableStreamDefaultReaderErrorReadRequests(reader, e);
    else readableStreamBYOBReaderErrorReadIntoRequests(reader, e);
  };
  const readableStreamFulfillReadRequest = (stream, chunk, done) => {
    const readRequest = listShift(stream.reader.readRequests);
    if (done) readRequest.closeSteps();
    else readRequest.chunkSteps(chunk);
  };
  const readableStreamFulfillReadIntoRequest = (stream, chunk, done) => {
    const readIntoRequest = listShift(stream.reader.readIntoRequests);
    if (done) readIntoRequest.closeSteps(chunk);
    else readIntoRequest.chunkSteps(chunk);
  };
  const readableStreamGetNumReadRequests = (stream) => listLength(stream.reader.readRequests);
  const readableStreamGetNumReadIntoRequests = (stream) => listLength(stream.reader.readIntoRequests);
  const readableStreamHasDefaultReader = (stream) => stream.reader !== undefined && stream.reader.kind === "default";
  const readableStreamHasBYOBReader = (stream) => stream.reader !== undefined && stream.reader.kind === "byob";

  // ---- readers ----
  const readableStreamReaderGenericInitialize = (reader, stream) => {
    reader.stream = stream;
    stream.reader = reader;
    if (stream.state === "readable") reader.closedPromise = newPromise();
    else if (stream.state === "closed") reader.closedPromise = resolvedDeferred(undefined);
    else reader.closedPromise = rejectedDeferred(stream.storedError);
  };
  const readableStreamReaderGenericCancel = (reader, reason) => readableStreamCancel(reader.stream, reason);
  const readableStreamReaderGenericRelease = (reader) => {
    const stream = reader.stream;
    const e = typeError("The reader was released");
    if (stream.state === "readable") rejectDeferred(reader.closedPromise, e);
    else reader.closedPromise = rejectedDeferred(e);
    markHandled(reader.closedPromise.promise);
    stream.controller.releaseSteps();
    stream.reader = undefined;
    reader.stream = undefined;
  };
  const readableStreamDefaultReaderErrorReadRequests = (reader, e) => {
    const requests = reader.readRequests;
    reader.readRequests = newList();
    listForEach(requests, (r) => r.errorSteps(e));
  };
  const readableStreamBYOBReaderErrorReadIntoRequests = (reader, e) => {
    const requests = reader.readIntoRequests;
    reader.readIntoRequests = newList();
    listForEach(requests, (r) => r.errorSteps(e));
  };
  const acquireReadableStreamDefaultReader = (stream) => {
    const reader = newDefaultReader();
    setUpReadableStreamDefaultReader(reader, stream);
    return reader;
  };
  const acquireReadableStreamBYOBReader = (stream) => {
    const reader = newBYOBReader();
    setUpReadableStreamBYOBReader(reader, stream);
    return reader;
  };
  const setUpReadableStreamDefaultReader = (reader, stream) => {
    if (isReadableStreamLocked(stream)) throw typeError("The ReadableStream is locked to a reader");
    readableStreamReaderGenericInitialize(reader, stream);
    reader.readRequests = newList();
  };
  const setUpReadableStreamBYOBReader = (reader, stream) => {
    if (isReadableStreamLocked(stream)) throw typeError("The ReadableStream is locked to a reader");
    if (stream.controller.kind !== "byte")
      throw typeError("A BYOB reader needs a byte stream (a ReadableStream made with type: \"bytes\")");
    readableStreamReaderGenericInitialize(reader, stream);
    reader.readIntoRequests = newList();
  };
  const readableStreamDefaultReaderRead = (reader, readRequest) => {
    const stream = reader.stream;
    stream.disturbed = true;
    if (stream.state === "closed") readRequest.closeSteps();
    else if (stream.state === "errored") readRequest.errorSteps(stream.storedError);
    else stream.controller.pullSteps(readRequest);
  };
  const readableStreamDefaultReaderRelease = (reader) => {
    readableStreamReaderGenericRelease(reader);
    readableStreamDefaultReaderErrorReadRequests(reader, typeError("The reader was released"));
  };
  const readableStreamBYOBReaderRead = (reader, view, min, readIntoRequest) => {
    const stream = reader.stream;
    stream.disturbed = true;
    if (stream.state === "errored") readIntoRequest.errorSteps(stream.storedError);
    else readableByteStreamControllerPullInto(stream.controller, view, min, readIntoRequest);
  };
  const readableStreamBYOBReaderRelease = (reader) => {
    readableStreamReaderGenericRelease(reader);
    readableStreamBYOBReaderErrorReadIntoRequests(reader, typeError("The reader was released"));
  };
  const readResult = (value, done) => ({ value, done });
  // a read request whose steps settle a promise with a read result
  const promiseReadRequest = (d) => ({
    __proto__: null,
    chunkSteps: (chunk) => resolveDeferred(d, readResult(chunk, false)),
    closeSteps: (chunk) => resolveDeferred(d, readResult(chunk, true)),
    errorSteps: (e) => rejectDeferred(d, e),
  });

  // ---- ReadableStreamDefaultController ----
  const readableStreamDefaultControllerCallPullIfNeeded = (controller) => {
    if (!readableStreamDefaultControllerShouldCallPull(controller)) return;
    if (controller.pulling) {
      controller.pullAgain = true;
      return;
    }
    controller.pulling = true;
    react(controller.pullAlgorithm(), () => {
      controller.pulling = false;
      if (controller.pullAgain) {
        controller.pullAgain = false;
        readableStreamDefaultControllerCallPullIfNeeded(controller);
      }
    }, (e) => readableStreamDefaultControllerError(controller, e));
  };
  const readableStreamDefaultControllerShouldCallPull = (controller) => {
    const stream = controller.stream;
    if (!readableStreamDefaultControllerCanCloseOrEnqueue(controller)) return false;
    if (!controller.started) return false;
    if (isReadableStreamLocked(stream) && readableStreamGetNumReadRequests(stream) > 0) return true;
    return readableStreamDefaultControllerGetDesiredSize(controller) > 0;
  };
  const readableStreamDefaultControllerClearAlgorithms = (controller) => {
    controller.pullAlgorithm = undefined;
    controller.cancelAlgorithm = undefined;
    controller.strategySizeAlgorithm = undefined;
  };
  const readableStreamDefaultControllerClose = (controller) => {
    if (!readableStreamDefaultControllerCanCloseOrEnqueue(controller)) return;
    const stream = controller.stream;
    controller.closeRequested = true;
    if (listLength(controller.queue) === 0) {
      readableStreamDefaultControllerClearAlgorithms(controller);
      readableStreamClose(stream);
    }
  };
  const readableStreamDefaultControllerEnqueue = (controller, chunk) => {
    if (!readableStreamDefaultControllerCanCloseOrEnqueue(controller)) return;
    const stream = controller.stream;
    if (isReadableStreamLocked(stream) && readableStreamGetNumReadRequests(stream) > 0) {
      readableStreamFulfillReadRequest(stream, chunk, false);
    } else {
      let chunkSize;
      try {
        chunkSize = controller.strategySizeAlgorithm(chunk);
      } catch (e) {
        readableStreamDefaultControllerError(controller, e);
        throw e;
      }
      try {
        enqueueValueWithSize(controller, chunk, chunkSize);
      } catch (e) {
        readableStreamDefaultControllerError(controller, e);
        throw e;
      }
    }
    readableStreamDefaultControllerCallPullIfNeeded(controller);
  };
  const readableStreamDefaultControllerError = (controller, e) => {
    const stream = controller.stream;
    if (stream.state !== "readable") return;
    resetQueue(controller);
    readableStreamDefaultControllerClearAlgorithms(controller);
    readableStreamError(stream, e);
  };
  const readableStreamDefaultControllerGetDesiredSize = (controller) => {
    const state = controller.stream.state;
    if (state === "errored") return null;
    if (state === "closed") return 0;
    return controller.strategyHWM - controller.queueTotalSize;
  };
  const readableStreamDefaultControllerHasBackpressure = (controller) =>
    !readableStreamDefaultControllerShouldCallPull(controller);
  const readableStreamDefaultControllerCanCloseOrEnqueue = (controller) =>
    !controller.closeRequested && controller.stream.state === "readable";
  const setUpReadableStreamDefaultController = (stream, controller, startAlgorithm, pullAlgorithm,
    cancelAlgorithm, highWaterMark, sizeAlgorithm) => {
    controller.kind = "default";
    controller.stream = stream;
    resetQueue(controller);
    controller.started = false;
    controller.closeRequested = false;
    controller.pullAgain = false;
    controller.pulling = false;
    controller.strategySizeAlgorithm = sizeAlgorithm;
    controller.strategyHWM = highWaterMark;
    controller.pullAlgorithm = pullAlgorithm;
    controller.cancelAlgorithm = cancelAlgorithm;
    controller.cancelSteps = (reason) => {
      resetQueue(controller);
      const result = controller.cancelAlgorithm(reason);
      readableStreamDefaultControllerClearAlgorithms(controller);
      return result;
    };
    controller.pullSteps = (readRequest) => {
      if (listLength(controller.queue) > 0) {
        const chunk = dequeueValue(controller);
        if (controller.closeRequested && listLength(controller.queue) === 0) {
          readableStreamDefaultControllerClearAlgorithms(controller);
          readableStreamClose(stream);
        } else {
          readableStreamDefaultControllerCallPullIfNeeded(controller);
        }
        readRequest.chunkSteps(chunk);
      } else {
        readableStreamAddReadRequest(stream, readRequest);
        readableStreamDefaultControllerCallPullIfNeeded(controller);
      }
    };
    controller.releaseSteps = noop;
    stream.controller = controller;
    const startResult = startAlgorithm();
    react(resolvedWith(startResult), () => {
      controller.started = true;
      readableStreamDefaultControllerCallPullIfNeeded(controller);
    }, (r) => readableStreamDefaultControllerError(controller, r));
  };
  const setUpReadableStreamDefaultControllerFromUnderlyingSource = (stream, underlyingSource, source,
    highWaterMark, sizeAlgorithm) => {
    const controller = newRSController();
    let startAlgorithm = () => undefined;
    let pullAlgorithm = () => resolvedWith(undefined);
    let cancelAlgorithm = () => resolvedWith(undefined);
    if (source.start !== undefined) startAlgorithm = () => apply(source.start, underlyingSource, [controller.pub]);
    if (source.pull !== undefined) pullAlgorithm = () => promiseCall(source.pull, underlyingSource, [controller.pub]);
    if (source.cancel !== undefined)
      cancelAlgorithm = (reason) => promiseCall(source.cancel, underlyingSource, [reason]);
    setUpReadableStreamDefaultController(stream, controller, startAlgorithm, pullAlgorithm, cancelAlgorithm,
      highWaterMark, sizeAlgorithm);
  };

  // ---- ReadableByteStreamController ----
  const readableByteStreamControllerCallPullIfNeeded = (controller) => {
    if (!readableByteStreamControllerShouldCallPull(controller)) return;
    if (controller.pulling) {
      controller.pullAgain = true;
      return;
    }
    controller.pulling = true;
    react(controller.pullAlgorithm(), () => {
      controller.pulling = false;
      if (controller.pullAgain) {
        controller.pullAgain = false;
        readableByteStreamControllerCallPullIfNeeded(controller);
      }
    }, (e) => readableByteStreamControllerError(controller, e));
  };
  const readableByteStreamControllerClearAlgorithms = (controller) => {
    controller.pullAlgorithm = undefined;
    controller.cancelAlgorithm = undefined;
  };
  const readableByteStreamControllerClearPendingPullIntos = (controller) => {
    readableByteStreamControllerInvalidateBYOBRequest(controller);
    controller.pendingPullIntos = newList();
  };
  const readableByteStreamControllerClose = (controller) => {
    const stream = controller.stream;
    if (controller.closeRequested || stream.state !== "readable") return;
    if (controller.queueTotalSize > 0) {
      controller.closeRequested = true;
      return;
    }
    if (listLength(controller.pendingPullIntos) > 0) {
      const first = listPeek(controller.pendingPullIntos);
      if (first.bytesFilled % first.elementSize !== 0) {
        const e = typeError("The stream was closed with a partial element left in the BYOB request's view");
        readableByteStreamControllerError(controller, e);
        throw e;
      }
    }
    readableByteStreamControllerClearAlgorithms(controller);
    readableStreamClose(stream);
  };
  const readableByteStreamControllerCommitPullIntoDescriptor = (stream, pullIntoDescriptor) => {
    let done = false;
    if (stream.state === "closed") done = true;
    const filledView = readableByteStreamControllerConvertPullIntoDescriptor(pullIntoDescriptor);
    if (pullIntoDescriptor.readerType === "default") readableStreamFulfillReadRequest(stream, filledView, done);
    else readableStreamFulfillReadIntoRequest(stream, filledView, done);
  };
  const readableByteStreamControllerConvertPullIntoDescriptor = (d) => {
    const bytesFilled = d.bytesFilled;
    const elementSize = d.elementSize;
    const buffer = transferBuffer(d.buffer);
    return new d.viewConstructor(buffer, d.byteOffset, bytesFilled / elementSize);
  };
  const readableByteStreamControllerEnqueue = (controller, chunk) => {
    const stream = controller.stream;
    if (controller.closeRequested || stream.state !== "readable") return;
    const [buffer, byteOffset, byteLength] = viewSlots(chunk);
    if (isDetached(buffer)) throw typeError("The chunk's buffer is detached");
    const transferredBuffer = transferBuffer(buffer);
    if (listLength(controller.pendingPullIntos) > 0) {
      const first = listPeek(controller.pendingPullIntos);
      if (isDetached(first.buffer)) throw typeError("The BYOB request's buffer is detached");
      readableByteStreamControllerInvalidateBYOBRequest(controller);
      first.buffer = transferBuffer(first.buffer);
      if (first.readerType === "none")
        readableByteStreamControllerEnqueueDetachedPullIntoToQueue(controller, first);
    }
    if (readableStreamHasDefaultReader(stream)) {
      readableByteStreamControllerProcessReadRequestsUsingQueue(controller);
      if (readableStreamGetNumReadRequests(stream) === 0) {
        readableByteStreamControllerEnqueueChunkToQueue(controller, transferredBuffer, byteOffset, byteLength);
      } else {
        if (listLength(controller.pendingPullIntos) > 0) readableByteStreamControllerShiftPendingPullInto(controller);
        const transferredView = new U8(transferredBuffer, byteOffset, byteLength);
        readableStreamFulfillReadRequest(stream, transferredView, false);
      }
    } else if (readableStreamHasBYOBReader(stream)) {
      readableByteStreamControllerEnqueueChunkToQueue(controller, transferredBuffer, byteOffset, byteLength);
      readableByteStreamControllerProcessPullIntoDescriptorsUsingQueue(controller);
    } else {
      readableByteStreamControllerEnqueueChunkToQueue(controller, transferredBuffer, byteOffset, byteLength);
    }
    readableByteStreamControllerCallPullIfNeeded(controller);
  };
  const readableByteStreamControllerEnqueueChunkToQueue = (controller, buffer, byteOffset, byteLength) => {
    listPush(controller.queue, { __proto__: null, buffer, byteOffset, byteLength });
    controller.queueTotalSize += byteLength;
  };
  const readableByteStreamControllerEnqueueClonedChunkToQueue = (controller, buffer, byteOffset, byteLength) => {
    let cloneResult;
    try {
      cloneResult = cloneBuffer(buffer, byteOffset, byteLength);
    } catch (e) {
      readableByteStreamControllerError(controller, e);
      throw e;
    }
    readableByteStreamControllerEnqueueChunkToQueue(controller, cloneResult, 0, byteLength);
  };
  const readableByteStreamControllerEnqueueDetachedPullIntoToQueue = (controller, d) => {
    if (d.bytesFilled > 0)
      readableByteStreamControllerEnqueueClonedChunkToQueue(controller, d.buffer, d.byteOffset, d.bytesFilled);
    readableByteStreamControllerShiftPendingPullInto(controller);
  };
  const readableByteStreamControllerError = (controller, e) => {
    const stream = controller.stream;
    if (stream.state !== "readable") return;
    readableByteStreamControllerClearPendingPullIntos(controller);
    resetQueue(controller);
    readableByteStreamControllerClearAlgorithms(controller);
    readableStreamError(stream, e);
  };
  const readableByteStreamControllerFillHeadPullIntoDescriptor = (controller, size, d) => {
    d.bytesFilled += size;
  };
  const readableByteStreamControllerFillPullIntoDescriptorFromQueue = (controller, d) => {
    const maxBytesToCopy = MathMin(controller.queueTotalSize, d.byteLength - d.bytesFilled);
    const maxBytesFilled = d.bytesFilled + maxBytesToCopy;
    let totalBytesToCopyRemaining = maxBytesToCopy;
    let ready = false;
    const remainderBytes = maxBytesFilled % d.elementSize;
    const maxAlignedBytes = maxBytesFilled - remainderBytes;
    if (maxAlignedBytes >= d.minimumFill) {
      totalBytesToCopyRemaining = maxAlignedBytes - d.bytesFilled;
      ready = true;
    }
    const queue = controller.queue;
    while (totalBytesToCopyRemaining > 0) {
      const headOfQueue = listPeek(queue);
      const bytesToCopy = MathMin(totalBytesToCopyRemaining, headOfQueue.byteLength);
      const destStart = d.byteOffset + d.bytesFilled;
      copyBytes(d.buffer, destStart, headOfQueue.buffer, headOfQueue.byteOffset, bytesToCopy);
      if (headOfQueue.byteLength === bytesToCopy) {
        listShift(queue);
      } else {
        headOfQueue.byteOffset += bytesToCopy;
        headOfQueue.byteLength -= bytesToCopy;
      }
      controller.queueTotalSize -= bytesToCopy;
      readableByteStreamControllerFillHeadPullIntoDescriptor(controller, bytesToCopy, d);
      totalBytesToCopyRemaining -= bytesToCopy;
    }
    return ready;
  };
  const readableByteStreamControllerFillReadRequestFromQueue = (controller, readRequest) => {
    const entry = listShift(controller.queue);
    controller.queueTotalSize -= entry.byteLength;
    readableByteStreamControllerHandleQueueDrain(controller);
    const view = new U8(entry.buffer, entry.byteOffset, entry.byteLength);
    readRequest.chunkSteps(view);
  };
  const readableByteStreamControllerGetBYOBRequest = (controller) => {
    if (controller.byobRequest === null && listLength(controller.pendingPullIntos) > 0) {
      const first = listPeek(controller.pendingPullIntos);
      const view = new U8(first.buffer, first.byteOffset + first.bytesFilled, first.byteLength - first.bytesFilled);
      const request = newBYOBRequest();
      request.controller = controller;
      request.view = view;
      controller.byobRequest = request;
    }
    return controller.byobRequest === null ? null : controller.byobRequest.pub;
  };
  const readableByteStreamControllerGetDesiredSize = (controller) => {
    const state = controller.stream.state;
    if (state === "errored") return null;
    if (state === "closed") return 0;
    return controller.strategyHWM - controller.queueTotalSize;
  };
  const readableByteStreamControllerHandleQueueDrain = (controller) => {
    if (controller.queueTotalSize === 0 && controller.closeRequested) {
      readableByteStreamControllerClearAlgorithms(controller);
      readableStreamClose(controller.stream);
    } else {
      readableByteStreamControllerCallPullIfNeeded(controller);
    }
  };
  const readableByteStreamControllerInvalidateBYOBRequest = (controller) => {
    if (controller.byobRequest === null) return;
    controller.byobRequest.controller = undefined;
    controller.byobRequest.view = null;
    controller.byobRequest = null;
  };
  const readableByteStreamControllerProcessPullIntoDescriptorsUsingQueue = (controller) => {
    while (listLength(controller.pendingPullIntos) > 0) {
      if (controller.queueTotalSize === 0) return;
      const d = listPeek(controller.pendingPullIntos);
      if (readableByteStreamControllerFillPullIntoDescriptorFromQueue(controller, d)) {
        readableByteStreamControllerShiftPendingPullInto(controller);
        readableByteStreamControllerCommitPullIntoDescriptor(controller.stream, d);
      }
    }
  };
  const readableByteStreamControllerProcessReadRequestsUsingQueue = (controller) => {
    const reader = controller.stream.reader;
    while (listLength(reader.readRequests) > 0) {
      if (controller.queueTotalSize === 0) return;
      const readRequest = listShift(reader.readRequests);
      readableByteStreamControllerFillReadRequestFromQueue(controller, readRequest);
    }
  };
  const readableByteStreamControllerPullInto = (controller, view, min, readIntoRequest) => {
    const stream = controller.stream;
    const [viewBuf, byteOffset, byteLength, ctor, elementSize] = viewSlots(view);
    const minimumFill = min * elementSize;
    let buffer;
    try {
      buffer = transferBuffer(viewBuf);
    } catch (e) {
      readIntoRequest.errorSteps(e);
      return;
    }
    const d = {
      __proto__: null, buffer, bufferByteLength: apply(bufferByteLength, buffer, []), byteOffset, byteLength,
      bytesFilled: 0, minimumFill, elementSize, viewConstructor: ctor, readerType: "byob",
    };
    if (listLength(controller.pendingPullIntos) > 0) {
      listPush(controller.pendingPullIntos, d);
      readableStreamAddReadIntoRequest(stream, readIntoRequest);
      return;
    }
    if (stream.state === "closed") {
      const emptyView = new ctor(d.buffer, d.byteOffset, 0);
      readIntoRequest.closeSteps(emptyView);
      return;
    }
    if (controller.queueTotalSize > 0) {
      if (readableByteStreamControllerFillPullIntoDescriptorFromQueue(controller, d)) {
        const filledView = readableByteStreamControllerConvertPullIntoDescriptor(d);
        readableByteStreamControllerHandleQueueDrain(controller);
        readIntoRequest.chunkSteps(filledView);
        return;
      }
      if (controller.closeRequested) {
        const e = typeError("The stream was closed with a partial element left");
        readableByteStreamControllerError(controller, e);
        readIntoRequest.errorSteps(e);
        return;
      }
    }
    listPush(controller.pendingPullIntos, d);
    readableStreamAddReadIntoRequest(stream, readIntoRequest);
    readableByteStreamControllerCallPullIfNeeded(controller);
  };
  const readableByteStreamControllerRespond = (controller, bytesWritten) => {
    const first = listPeek(controller.pendingPullIntos);
    const state = controller.stream.state;
    if (state === "closed") {
      if (bytesWritten !== 0) throw typeError("bytesWritten must be 0 once the stream is closed");
    } else {
      if (bytesWritten === 0) throw typeError("bytesWritten must be greater than 0 while the stream is readable");
      if (first.bytesFilled + bytesWritten > first.byteLength) throw rangeError("bytesWritten is out of range");
    }
    first.buffer = transferBuffer(first.buffer);
    readableByteStreamControllerRespondInternal(controller, bytesWritten);
  };
  const readableByteStreamControllerRespondInClosedState = (controller, first) => {
    if (first.readerType === "none") readableByteStreamControllerShiftPendingPullInto(controller);
    const stream = controller.stream;
    if (readableStreamHasBYOBReader(stream)) {
      const filled = [];
      while (filled.length < readableStreamGetNumReadIntoRequests(stream))
        filled[filled.length] = readableByteStreamControllerShiftPendingPullInto(controller);
      for (let i = 0; i < filled.length; i++) readableByteStreamControllerCommitPullIntoDescriptor(stream, filled[i]);
    }
  };
  const readableByteStreamControllerRespondInReadableState = (controller, bytesWritten, d) => {
    readableByteStreamControllerFillHeadPullIntoDescriptor(controller, bytesWritten, d);
    if (d.readerType === "none") {
      readableByteStreamControllerEnqueueDetachedPullIntoToQueue(controller, d);
      readableByteStreamControllerProcessPullIntoDescriptorsUsingQueue(controller);
      return;
    }
    if (d.bytesFilled < d.minimumFill) return;
    readableByteStreamControllerShiftPendingPullInto(controller);
    const remainderSize = d.bytesFilled % d.elementSize;
    if (remainderSize > 0) {
      const end = d.byteOffset + d.bytesFilled;
      readableByteStreamControllerEnqueueClonedChunkToQueue(controller, d.buffer, end - remainderSize, remainderSize);
    }
    d.bytesFilled -= remainderSize;
    readableByteStreamControllerCommitPullIntoDescriptor(controller.stream, d);
    readableByteStreamControllerProcessPullIntoDescriptorsUsingQueue(controller);
  };
  const readableByteStreamControllerRespondInternal = (controller, bytesWritten) => {
    const first = listPeek(controller.pendingPullIntos);
    readableByteStreamControllerInvalidateBYOBRequest(controller);
    if (controller.stream.state === "closed") readableByteStreamControllerRespondInClosedState(controller, first);
    else readableByteStreamControllerRespondInReadableState(controller, bytesWritten, first);
    readableByteStreamControllerCallPullIfNeeded(controller);
  };
  const readableByteStreamControllerRespondWithNewView = (controller, view) => {
    const first = listPeek(controller.pendingPullIntos);
    const state = controller.stream.state;
    const [buffer, byteOffset, byteLength] = viewSlots(view);
    if (state === "closed") {
      if (byteLength !== 0) throw typeError("The view's length must be 0 once the stream is closed");
    } else if (byteLength === 0) {
      throw typeError("The view's length must be greater than 0 while the stream is readable");
    }
    if (first.byteOffset + first.bytesFilled !== byteOffset)
      throw rangeError("The view's offset does not match the BYOB request's");
    if (first.bufferByteLength !== apply(bufferByteLength, buffer, []))
      throw rangeError("The view's buffer is not the BYOB request's size");
    if (first.bytesFilled + byteLength > first.byteLength) throw rangeError("The view is longer than the request");
    const viewByteLen = byteLength;
    first.buffer = transferBuffer(buffer);
    readableByteStreamControllerRespondInternal(controller, viewByteLen);
  };
  const readableByteStreamControllerShiftPendingPullInto = (controller) => listShift(controller.pendingPullIntos);
  const readableByteStreamControllerShouldCallPull = (controller) => {
    const stream = controller.stream;
    if (stream.state !== "readable") return false;
    if (controller.closeRequested) return false;
    if (!controller.started) return false;
    if (readableStreamHasDefaultReader(stream) && readableStreamGetNumReadRequests(stream) > 0) return true;
    if (readableStreamHasBYOBReader(stream) && readableStreamGetNumReadIntoRequests(stream) > 0) return true;
    return readableByteStreamControllerGetDesiredSize(controller) > 0;
  };
  const setUpReadableByteStreamController = (stream, controller, startAlgorithm, pullAlgorithm, cancelAlgorithm,
    highWaterMark, autoAllocateChunkSize) => {
    controller.kind = "byte";
    controller.stream = stream;
    controller.pullAgain = false;
    controller.pulling = false;
    controller.byobRequest = null;
    resetQueue(controller);
    controller.closeRequested = false;
    controller.started = false;
    controller.strategyHWM = highWaterMark;
    controller.pullAlgorithm = pullAlgorithm;
    controller.cancelAlgorithm = cancelAlgorithm;
    controller.autoAllocateChunkSize = autoAllocateChunkSize;
    controller.pendingPullIntos = newList();
    controller.cancelSteps = (reason) => {
      readableByteStreamControllerClearPendingPullIntos(controller);
      resetQueue(controller);
      const result = controller.cancelAlgorithm(reason);
      readableByteStreamControllerClearAlgorithms(controller);
      return result;
    };
    controller.pullSteps = (readRequest) => {
      if (controller.queueTotalSize > 0) {
        readableByteStreamControllerFillReadRequestFromQueue(controller, readRequest);
        return;
      }
      const autoAllocate = controller.autoAllocateChunkSize;
      if (autoAllocate !== undefined) {
        let buffer;
        try {
          buffer = new ArrayBufferCtor(autoAllocate);
        } catch (e) {
          readRequest.errorSteps(e);
          return;
        }
        listPush(controller.pendingPullIntos, {
          __proto__: null, buffer, bufferByteLength: autoAllocate, byteOffset: 0, byteLength: autoAllocate,
          bytesFilled: 0, minimumFill: 1, elementSize: 1, viewConstructor: U8, readerType: "default",
        });
      }
      readableStreamAddReadRequest(stream, readRequest);
      readableByteStreamControllerCallPullIfNeeded(controller);
    };
    controller.releaseSteps = () => {
      if (listLength(controller.pendingPullIntos) > 0) {
        const first = listPeek(controller.pendingPullIntos);
        first.readerType = "none";
        controller.pendingPullIntos = newList();
        listPush(controller.pendingPullIntos, first);
      }
    };
    stream.controller = controller;
    const startResult = startAlgorithm();
    react(resolvedWith(startResult), () => {
      controller.started = true;
      readableByteStreamControllerCallPullIfNeeded(controller);
    }, (r) => readableByteStreamControllerError(controller, r));
  };
  const setUpReadableByteStreamControllerFromUnderlyingSource = (stream, underlyingSource, source, highWaterMark) => {
    const controller = newByteController();
    let startAlgorithm = () => undefined;
    let pullAlgorithm = () => resolvedWith(undefined);
    let cancelAlgorithm = () => resolvedWith(undefined);
    if (source.start !== undefined) startAlgorithm = () => apply(source.start, underlyingSource, [controller.pub]);
    if (source.pull !== undefined) pullAlgorithm = () => promiseCall(source.pull, underlyingSource, [controller.pub]);
    if (source.cancel !== undefined)
      cancelAlgorithm = (reason) => promiseCall(source.cancel, underlyingSource, [reason]);
    const autoAllocateChunkSize = source.autoAllocateChunkSize;
    if (autoAllocateChunkSize === 0) throw typeError("autoAllocateChunkSize must be greater than 0");
    setUpReadableByteStreamController(stream, controller, startAlgorithm, pullAlgorithm, cancelAlgorithm,
      highWaterMark, autoAllocateChunkSize);
  };

  // ---- tee ----
  const readableStreamTee = (stream, cloneForBranch2) =>
    stream.controller.kind === "byte" ? readableByteStreamTee(stream) : readableStreamDefaultTee(stream, cloneForBranch2);
  const readableStreamDefaultTee = (stream, cloneForBranch2) => {
    const reader = acquireReadableStreamDefaultReader(stream);
    let reading = false;
    let readAgain = false;
    let canceled1 = false;
    let canceled2 = false;
    let reason1, reason2, branch1, branch2;
    const cancelPromise = newPromise();
    const pullAlgorithm = () => {
      if (reading) {
        readAgain = true;
        return resolvedWith(undefined);
      }
      reading = true;
      const readRequest = {
        __proto__: null,
        chunkSteps: (chunk) => {
          queueMicrotask(() => {
            readAgain = false;
            const chunk1 = chunk;
            const chunk2 = chunk;
            if (!canceled1) readableStreamDefaultControllerEnqueue(branch1.controller, chunk1);
            if (!canceled2) readableStreamDefaultControllerEnqueue(branch2.controller, chunk2);
            reading = false;
            if (readAgain) pullAlgorithm();
          });
        },
        closeSteps: () => {
          reading = false;
          if (!canceled1) readableStreamDefaultControllerClose(branch1.controller);
          if (!canceled2) readableStreamDefaultControllerClose(branch2.controller);
          if (!canceled1 || !canceled2) resolveDeferred(cancelPromise, undefined);
        },
        errorSteps: () => {
          reading = false;
        },
      };
      readableStreamDefaultReaderRead(reader, readRequest);
      return resolvedWith(undefined);
    };
    const cancel1Algorithm = (reason) => {
      canceled1 = true;
      reason1 = reason;
      if (canceled2) resolveDeferred(cancelPromise, readableStreamCancel(stream, [reason1, reason2]));
      return cancelPromise.promise;
    };
    const cancel2Algorithm = (reason) => {
      canceled2 = true;
      reason2 = reason;
      if (canceled1) resolveDeferred(cancelPromise, readableStreamCancel(stream, [reason1, reason2]));
      return cancelPromise.promise;
    };
    const startAlgorithm = () => undefined;
    branch1 = createReadableStream(startAlgorithm, pullAlgorithm, cancel1Algorithm);
    branch2 = createReadableStream(startAlgorithm, pullAlgorithm, cancel2Algorithm);
    react(reader.closedPromise.promise, undefined, (r) => {
      readableStreamDefaultControllerError(branch1.controller, r);
      readableStreamDefaultControllerError(branch2.controller, r);
      if (!canceled1 || !canceled2) resolveDeferred(cancelPromise, undefined);
    });
    return [branch1, branch2];
  };
  const readableByteStreamTee = (stream) => {
    let reader = acquireReadableStreamDefaultReader(stream);
    let reading = false;
    let readAgainForBranch1 = false;
    let readAgainForBranch2 = false;
    let canceled1 = false;
    let canceled2 = false;
    let reason1, reason2, branch1, branch2;
    const cancelPromise = newPromise();
    const forwardReaderError = (thisReader) => {
      react(thisReader.closedPromise.promise, undefined, (r) => {
        if (thisReader !== reader) return;
        readableByteStreamControllerError(branch1.controller, r);
        readableByteStreamControllerError(branch2.controller, r);
        if (!canceled1 || !canceled2) resolveDeferred(cancelPromise, undefined);
      });
    };
    const cloneView = (view) => {
      const [buffer, offset, length] = viewSlots(view);
      return new U8(cloneBuffer(buffer, offset, length));
    };
    const pullWithDefaultReader = () => {
      if (reader.kind === "byob") {
        readableStreamBYOBReaderRelease(reader);
        reader = acquireReadableStreamDefaultReader(stream);
        forwardReaderError(reader);
      }
      const readRequest = {
        __proto__: null,
        chunkSteps: (chunk) => {
          queueMicrotask(() => {
            readAgainForBranch1 = false;
            readAgainForBranch2 = false;
            const chunk1 = chunk;
            let chunk2 = chunk;
            if (!canceled1 && !canceled2) {
              try {
                chunk2 = cloneView(chunk);
              } catch (e) {
                readableByteStreamControllerError(branch1.controller, e);
                readableByteStreamControllerError(branch2.controller, e);
                resolveDeferred(cancelPromise, readableStreamCancel(stream, e));
                return;
              }
            }
            if (!canceled1) readableByteStreamControllerEnqueue(branch1.controller, chunk1);
            if (!canceled2) readableByteStreamControllerEnqueue(branch2.controller, chunk2);
            reading = false;
            if (readAgainForBranch1) pull1Algorithm();
            else if (readAgainForBranch2) pull2Algorithm();
          });
        },
        closeSteps: () => {
          reading = false;
          if (!canceled1) readableByteStreamControllerClose(branch1.controller);
          if (!canceled2) readableByteStreamControllerClose(branch2.controller);
          if (listLength(branch1.controller.pendingPullIntos) > 0)
            readableByteStreamControllerRespond(branch1.controller, 0);
          if (listLength(branch2.controller.pendingPullIntos) > 0)
            readableByteStreamControllerRespond(branch2.controller, 0);
          if (!canceled1 || !canceled2) resolveDeferred(cancelPromise, undefined);
        },
        errorSteps: () => {
          reading = false;
        },
      };
      readableStreamDefaultReaderRead(reader, readRequest);
    };
    const pullWithBYOBReader = (view, forBranch2) => {
      if (reader.kind === "default") {
        readableStreamDefaultReaderRelease(reader);
        reader = acquireReadableStreamBYOBReader(stream);
        forwardReaderError(reader);
      }
      const byobBranch = forBranch2 ? branch2 : branch1;
      const otherBranch = forBranch2 ? branch1 : branch2;
      const readIntoRequest = {
        __proto__: null,
        chunkSteps: (chunk) => {
          queueMicrotask(() => {
            readAgainForBranch1 = false;
            readAgainForBranch2 = false;
            const byobCanceled = forBranch2 ? canceled2 : canceled1;
            const otherCanceled = forBranch2 ? canceled1 : canceled2;
            if (!otherCanceled) {
              let clonedChunk;
              try {
                clonedChunk = cloneView(chunk);
              } catch (e) {
                readableByteStreamControllerError(byobBranch.controller, e);
                readableByteStreamControllerError(otherBranch.controller, e);
                resolveDeferred(cancelPromise, readableStreamCancel(stream, e));
                return;
              }
              if (!byobCanceled) readableByteStreamControllerRespondWithNewView(byobBranch.controller, chunk);
              readableByteStreamControllerEnqueue(otherBranch.controller, clonedChunk);
            } else if (!byobCanceled) {
              readableByteStreamControllerRespondWithNewView(byobBranch.controller, chunk);
            }
            reading = false;
            if (readAgainForBranch1) pull1Algorithm();
            else if (readAgainForBranch2) pull2Algorithm();
          });
        },
        closeSteps: (chunk) => {
          reading = false;
          const byobCanceled = forBranch2 ? canceled2 : canceled1;
          const otherCanceled = forBranch2 ? canceled1 : canceled2;
          if (!byobCanceled) readableByteStreamControllerClose(byobBranch.controller);
          if (!otherCanceled) readableByteStreamControllerClose(otherBranch.controller);
          if (chunk !== undefined) {
            if (!byobCanceled) readableByteStreamControllerRespondWithNewView(byobBranch.controller, chunk);
            if (!otherCanceled && listLength(otherBranch.controller.pendingPullIntos) > 0)
              readableByteStreamControllerRespond(otherBranch.controller, 0);
          }
          if (!byobCanceled || !otherCanceled) resolveDeferred(cancelPromise, undefined);
        },
        errorSteps: () => {
          reading = false;
        },
      };
      readableStreamBYOBReaderRead(reader, view, 1, readIntoRequest);
    };
    const pull1Algorithm = () => {
      if (reading) {
        readAgainForBranch1 = true;
        return resolvedWith(undefined);
      }
      reading = true;
      const byobRequest = readableByteStreamControllerGetBYOBRequest(branch1.controller);
      if (byobRequest === null) pullWithDefaultReader();
      else pullWithBYOBReader(byobRequestOf(byobRequest).view, false);
      return resolvedWith(undefined);
    };
    const pull2Algorithm = () => {
      if (reading) {
        readAgainForBranch2 = true;
        return resolvedWith(undefined);
      }
      reading = true;
      const byobRequest = readableByteStreamControllerGetBYOBRequest(branch2.controller);
      if (byobRequest === null) pullWithDefaultReader();
      else pullWithBYOBReader(byobRequestOf(byobRequest).view, true);
      return resolvedWith(undefined);
    };
    const cancel1Algorithm = (reason) => {
      canceled1 = true;
      reason1 = reason;
      if (canceled2) resolveDeferred(cancelPromise, readableStreamCancel(stream, [reason1, reason2]));
      return cancelPromise.promise;
    };
    const cancel2Algorithm = (reason) => {
      canceled2 = true;
      reason2 = reason;
      if (canceled1) resolveDeferred(cancelPromise, readableStreamCancel(stream, [reason1, reason2]));
      return cancelPromise.promise;
    };
    const startAlgorithm = () => undefined;
    branch1 = createReadableByteStream(startAlgorithm, pull1Algorithm, cancel1Algorithm);
    branch2 = createReadableByteStream(startAlgorithm, pull2Algorithm, cancel2Algorithm);
    forwardReaderError(reader);
    return [branch1, branch2];
  };

  // ---- ReadableStream.from ----
  // WebIDL's async_sequence (the standard takes one since whatwg/streams#1372): an object, so a
  // string is a TypeError, not its characters
  const getIterator = (obj) => {
    if (!isObject(obj)) throw typeError("ReadableStream.from needs an async iterable or an iterable object");
    const asyncMethod = obj[SymbolAsyncIterator];
    if (asyncMethod === undefined || asyncMethod === null) {
      const syncMethod = obj[SymbolIterator];
      if (syncMethod === undefined || syncMethod === null)
        throw typeError("ReadableStream.from needs an async iterable or an iterable");
      if (typeof syncMethod !== "function") throw typeError("Symbol.iterator is not a function");
      const iterator = apply(syncMethod, obj, []);
      if (!isObject(iterator)) throw typeError("The iterator is not an object");
      return asyncFromSyncIterator({ __proto__: null, iterator, nextMethod: iterator.next, done: false });
    }
    if (typeof asyncMethod !== "function") throw typeError("Symbol.asyncIterator is not a function");
    const iterator = apply(asyncMethod, obj, []);
    if (!isObject(iterator)) throw typeError("The async iterator is not an object");
    return { __proto__: null, iterator, nextMethod: iterator.next, done: false };
  };
  // ECMAScript's CreateAsyncFromSyncIterator: each result's value awaited; a rejected value
  // closes the sync iterator
  const asyncFromSyncIterator = (syncRecord) => {
    const continuation = (result, closeOnRejection) => {
      const done = !!result.done;
      const value = result.value;
      let valueWrapper;
      try {
        valueWrapper = resolvedWith(value);
      } catch (e) {
        if (!done && closeOnRejection) closeSyncIterator(syncRecord.iterator);
        throw e;
      }
      return react(valueWrapper, (v) => ({ value: v, done }), (e) => {
        if (!done && closeOnRejection) closeSyncIterator(syncRecord.iterator);
        throw e;
      });
    };
    const iterator = {
      next(v) {
        try {
          const result = apply(syncRecord.nextMethod, syncRecord.iterator, arguments.length > 0 ? [v] : []);
          if (!isObject(result)) throw typeError("The iterator result is not an object");
          return continuation(result, true);
        } catch (e) {
          return rejectedWith(e);
        }
      },
      return(v) {
        try {
          const ret = syncRecord.iterator.return;
          if (ret === undefined || ret === null) return resolvedWith({ value: v, done: true });
          const result = apply(ret, syncRecord.iterator, arguments.length > 0 ? [v] : []);
          if (!isObject(result)) throw typeError("The iterator's return() result is not an object");
          return continuation(result, false);
        } catch (e) {
          return rejectedWith(e);
        }
      },
    };
    return { __proto__: null, iterator, nextMethod: iterator.next, done: false };
  };
  const closeSyncIterator = (iterator) => {
    try {
      const ret = iterator.return;
      if (ret !== undefined && ret !== null) apply(ret, iterator, []);
    } catch {
      // the rejection being passed on is the error that matters
    }
  };
  const readableStreamFromIterable = (asyncIterable) => {
    let stream;
    const iteratorRecord = getIterator(asyncIterable);
    const startAlgorithm = () => undefined;
    const pullAlgorithm = () => {
      let nextResult;
      try {
        nextResult = apply(iteratorRecord.nextMethod, iteratorRecord.iterator, []);
      } catch (e) {
        return rejectedWith(e);
      }
      const nextPromise = resolvedWith(nextResult);
      return react(nextPromise, (iterResult) => {
        if (!isObject(iterResult)) throw typeError("The iterator result is not an object");
        if (iterResult.done) {
          readableStreamDefaultControllerClose(stream.controller);
        } else {
          readableStreamDefaultControllerEnqueue(stream.controller, iterResult.value);
        }
      });
    };
    const cancelAlgorithm = (reason) => {
      const iterator = iteratorRecord.iterator;
      let returnMethod;
      try {
        returnMethod = iterator.return;
      } catch (e) {
        return rejectedWith(e);
      }
      if (returnMethod === undefined || returnMethod === null) return resolvedWith(undefined);
      let returnResult;
      try {
        if (typeof returnMethod !== "function") throw typeError("The iterator's return is not a function");
        returnResult = apply(returnMethod, iterator, [reason]);
      } catch (e) {
        return rejectedWith(e);
      }
      return react(resolvedWith(returnResult), (r) => {
        if (!isObject(r)) throw typeError("The iterator's return() result is not an object");
      });
    };
    stream = createReadableStream(startAlgorithm, pullAlgorithm, cancelAlgorithm, 0);
    return stream;
  };

  // ---- pipeTo ----
  let abortSignalAborted, abortSignalReason, addListener, removeListener;
  const isAbortSignal = (v) => {
    if (abortSignalAborted === undefined) {
      const AbortSignalCtor = globalThis.AbortSignal; // evaluated here first: web/events.js is lazy too
      const EventTargetCtor = globalThis.EventTarget;
      abortSignalAborted = getter(AbortSignalCtor.prototype, "aborted");
      abortSignalReason = getter(AbortSignalCtor.prototype, "reason");
      addListener = EventTargetCtor.prototype.addEventListener;
      removeListener = EventTargetCtor.prototype.removeEventListener;
    }
    try {
      apply(abortSignalAborted, v, []);
      return true;
    } catch {
      return false;
    }
  };
  const readableStreamPipeTo = (source, dest, preventClose, preventAbort, preventCancel, signal) => {
    const reader = acquireReadableStreamDefaultReader(source);
    const writer = acquireWritableStreamDefaultWriter(dest);
    source.disturbed = true;
    let shuttingDown = false;
    let currentWrite = resolvedWith(undefined);
    const promise = newPromise();
    let abortAlgorithm;
    const finalize = (isError, error) => {
      writableStreamDefaultWriterRelease(writer);
      readableStreamDefaultReaderRelease(reader);
      if (signal !== undefined) apply(removeListener, signal, ["abort", abortAlgorithm]);
      if (isError) rejectDeferred(promise, error);
      else resolveDeferred(promise, undefined);
    };
    // wait until every write already made has finished (writes made later are not waited for)
    const waitForWrites = () => {
      const oldCurrentWrite = currentWrite;
      return react(currentWrite, () => (oldCurrentWrite !== currentWrite ? waitForWrites() : undefined));
    };
    const shutdownWithAction = (action, originalIsError, originalError) => {
      if (shuttingDown) return;
      shuttingDown = true;
      const doAction = () => {
        let p;
        try {
          p = action();
        } catch (e) {
          p = rejectedWith(e);
        }
        react(p, () => finalize(originalIsError, originalError), (newError) => finalize(true, newError));
      };
      if (dest.state === "writable" && !writableStreamCloseQueuedOrInFlight(dest))
        react(waitForWrites(), doAction, doAction);
      else doAction();
    };
    const shutdown = (isError, error) => {
      if (shuttingDown) return;
      shuttingDown = true;
      if (dest.state === "writable" && !writableStreamCloseQueuedOrInFlight(dest))
        react(waitForWrites(), () => finalize(isError, error), () => finalize(isError, error));
      else finalize(isError, error);
    };
    if (signal !== undefined) {
      abortAlgorithm = () => {
        const error = apply(abortSignalReason, signal, []);
        const actions = [];
        if (!preventAbort)
          actions[actions.length] = () =>
            dest.state === "writable" ? writableStreamAbort(dest, error) : resolvedWith(undefined);
        if (!preventCancel)
          actions[actions.length] = () =>
            source.state === "readable" ? readableStreamCancel(source, error) : resolvedWith(undefined);
        shutdownWithAction(() => {
          const promises = [];
          for (let i = 0; i < actions.length; i++) promises[i] = actions[i]();
          return waitForAll(promises);
        }, true, error);
      };
      if (apply(abortSignalAborted, signal, [])) {
        abortAlgorithm();
        return promise.promise;
      }
      apply(addListener, signal, ["abort", abortAlgorithm]);
    }
    // the error and closing conditions, checked as the standard lists them
    const onSourceErrored = (storedError) => {
      if (!preventAbort) shutdownWithAction(() => writableStreamAbort(dest, storedError), true, storedError);
      else shutdown(true, storedError);
    };
    const onDestErrored = (storedError) => {
      if (!preventCancel) shutdownWithAction(() => readableStreamCancel(source, storedError), true, storedError);
      else shutdown(true, storedError);
    };
    const onSourceClosed = () => {
      if (!preventClose) shutdownWithAction(() => writableStreamDefaultWriterCloseWithErrorPropagation(writer));
      else shutdown();
    };
    const onDestClosed = () => {
      const destClosed = typeError("The destination WritableStream was closed");
      if (!preventCancel) shutdownWithAction(() => readableStreamCancel(source, destClosed), true, destClosed);
      else shutdown(true, destClosed);
    };
    const checkStates = () => {
      if (source.state === "errored") onSourceErrored(source.storedError);
      else if (dest.state === "errored" || dest.state === "erroring") onDestErrored(dest.storedError);
      else if (source.state === "closed") onSourceClosed();
      else if (writableStreamCloseQueuedOrInFlight(dest) || dest.state === "closed") onDestClosed();
    };
    react(reader.closedPromise.promise, () => {
      if (!shuttingDown) onSourceClosed();
    }, (e) => {
      if (!shuttingDown) onSourceErrored(e);
    });
    react(writer.closedPromise.promise, undefined, (e) => {
      if (!shuttingDown) onDestErrored(e);
    });
    checkStates();
    // the loop: wait for the writer to be ready, read one chunk, write it (not waiting for the
    // write), again, until shutting down
    const step = () => {
      if (shuttingDown) return;
      react(writer.readyPromise.promise, () => {
        if (shuttingDown) return;
        readableStreamDefaultReaderRead(reader, {
          __proto__: null,
          chunkSteps: (chunk) => {
            currentWrite = writableStreamDefaultWriterWrite(writer, chunk);
            markHandled(currentWrite);
            react(resolvedWith(undefined), step);
          },
          closeSteps: noop, // the closed promise's reaction shuts down
          errorSteps: noop,
        });
      }, noop);
    };
    if (!shuttingDown) step();
    return promise.promise;
  };

  // ---- async iteration ----
  const ReadableStreamAsyncIteratorPrototype = create(AsyncIteratorPrototype);
  const iteratorState = new WeakMap();
  const weakGet = WeakMap.prototype.get;
  const weakSet = WeakMap.prototype.set;
  const iterResult = (value, done) => ({ value, done });
  const nextIterationResult = (it) => {
    const reader = it.reader;
    const d = newPromise();
    readableStreamDefaultReaderRead(reader, {
      __proto__: null,
      chunkSteps: (chunk) => resolveDeferred(d, { __proto__: null, chunk }),
      closeSteps: () => {
        readableStreamDefaultReaderRelease(reader);
        resolveDeferred(d, undefined);
      },
      errorSteps: (e) => {
        readableStreamDefaultReaderRelease(reader);
        rejectDeferred(d, e);
      },
    });
    return d.promise;
  };
  // an iterator's state (kept in a WeakMap: the iterators are plain objects of one prototype)
  const iteratorOf = (self) => (isObject(self) ? apply(weakGet, iteratorState, [self]) : undefined);
  const asyncIteratorMethods = {
    next() {
      const it = iteratorOf(this);
      if (it === undefined) return rejectedWith(typeError("next() called on an object that is not a ReadableStream async iterator"));
      const nextSteps = () => {
        if (it.finished) return resolvedWith(iterResult(undefined, true));
        return react(nextIterationResult(it), (next) => {
          it.ongoing = undefined;
          if (next === undefined) {
            it.finished = true;
            return iterResult(undefined, true);
          }
          return iterResult(next.chunk, false);
        }, (reason) => {
          it.ongoing = undefined;
          it.finished = true;
          throw reason;
        });
      };
      it.ongoing = it.ongoing !== undefined ? react(it.ongoing, nextSteps, nextSteps) : nextSteps();
      return it.ongoing;
    },
    return(value) {
      const it = iteratorOf(this);
      if (it === undefined) return rejectedWith(typeError("return() called on an object that is not a ReadableStream async iterator"));
      const returnSteps = () => {
        if (it.finished) return resolvedWith(iterResult(value, true));
        it.finished = true;
        const reader = it.reader;
        if (!it.preventCancel) {
          const result = readableStreamReaderGenericCancel(reader, value);
          readableStreamDefaultReaderRelease(reader);
          return result;
        }
        readableStreamDefaultReaderRelease(reader);
        return resolvedWith(undefined);
      };
      it.ongoing = it.ongoing !== undefined ? react(it.ongoing, returnSteps, returnSteps) : returnSteps();
      return react(it.ongoing, () => iterResult(value, true));
    },
  };
  for (const name of ["next", "return"])
    defineProperty(ReadableStreamAsyncIteratorPrototype, name, {
      __proto__: null, value: asyncIteratorMethods[name], writable: true, enumerable: true, configurable: true,
    });
  const createAsyncIterator = (stream, options) => {
    const opts = dictionary(options, "The options");
    const preventCancel = toBoolean(opts === undefined ? undefined : opts.preventCancel);
    const reader = acquireReadableStreamDefaultReader(stream);
    const iterator = create(ReadableStreamAsyncIteratorPrototype);
    apply(weakSet, iteratorState, [iterator, {
      __proto__: null, reader, preventCancel, ongoing: undefined, finished: false,
    }]);
    return iterator;
  };

  // ---- the ReadableStream classes ----
  const illegal = (name) => typeError(`Illegal invocation: not a ${name}`);

  class ReadableStream {
    #s;
    constructor(underlyingSource = undefined, strategy = undefined) {
      if (underlyingSource === CREATE) {
        this.#s = { __proto__: null, pub: this };
        initializeReadableStream(this.#s);
        return;
      }
      // WebIDL: the arguments converted in order, an `object` (null is not one), then the strategy
      if (underlyingSource !== undefined && !isObject(underlyingSource))
        throw typeError("The underlying source must be an object");
      const strat = strategyDictionary(strategy);
      if (underlyingSource === undefined) underlyingSource = null;
      const dict = underlyingSource === null ? undefined : underlyingSource;
      const source = { __proto__: null };
      if (dict !== undefined) {
        const size = dict.autoAllocateChunkSize;
        if (size !== undefined) source.autoAllocateChunkSize = enforceRangeULongLong(size, "autoAllocateChunkSize");
      }
      source.cancel = callbackMember(dict, "cancel", "The underlying source");
      source.pull = callbackMember(dict, "pull", "The underlying source");
      source.start = callbackMember(dict, "start", "The underlying source");
      const type = dict === undefined ? undefined : dict.type;
      if (type !== undefined) {
        source.type = `${type}`;
        if (source.type !== "bytes") throw typeError(`'${source.type}' is not a valid ReadableStream type`);
      }
      const s = { __proto__: null, pub: this };
      this.#s = s;
      initializeReadableStream(s);
      if (source.type === "bytes") {
        if (strat.size !== undefined) throw rangeError("A byte stream's strategy cannot have a size function");
        const highWaterMark = extractHighWaterMark(strat, 0);
        setUpReadableByteStreamControllerFromUnderlyingSource(s, underlyingSource, source, highWaterMark);
      } else {
        const sizeAlgorithm = extractSizeAlgorithm(strat);
        const highWaterMark = extractHighWaterMark(strat, 1);
        setUpReadableStreamDefaultControllerFromUnderlyingSource(s, underlyingSource, source, highWaterMark,
          sizeAlgorithm);
      }
    }
    static from(asyncIterable) {
      return readableStreamFromIterable(asyncIterable).pub;
    }
    get locked() {
      return isReadableStreamLocked(ReadableStream.#of(this));
    }
    cancel(reason = undefined) {
      const s = ReadableStream.#maybe(this);
      if (s === undefined) return rejectedWith(illegal("ReadableStream"));
      if (isReadableStreamLocked(s)) return rejectedWith(typeError("Cannot cancel a ReadableStream that is locked"));
      return readableStreamCancel(s, reason);
    }
    getReader(options = undefined) {
      const s = ReadableStream.#of(this);
      const opts = dictionary(options, "The options");
      let mode = opts === undefined ? undefined : opts.mode;
      if (mode !== undefined) {
        mode = `${mode}`;
        if (mode !== "byob") throw typeError(`'${mode}' is not a valid reader mode`);
      }
      if (mode === undefined) return acquireReadableStreamDefaultReader(s).pub;
      return acquireReadableStreamBYOBReader(s).pub;
    }
    pipeThrough(transform, options = undefined) {
      const s = ReadableStream.#of(this);
      if (!isObject(transform)) throw typeError("pipeThrough needs a { writable, readable } pair");
      const readable = transform.readable;
      const rs = rsOf(readable);
      if (rs === undefined) throw typeError("The transform's readable must be a ReadableStream");
      const writable = transform.writable;
      const ws = wsOf(writable);
      if (ws === undefined) throw typeError("The transform's writable must be a WritableStream");
      const opts = pipeOptions(options);
      if (isReadableStreamLocked(s)) throw typeError("Cannot pipe a locked ReadableStream");
      if (isWritableStreamLocked(ws)) throw typeError("Cannot pipe to a locked WritableStream");
      const promise = readableStreamPipeTo(s, ws, opts.preventClose, opts.preventAbort, opts.preventCancel,
        opts.signal);
      markHandled(promise);
      return readable;
    }
    pipeTo(destination, options = undefined) {
      const s = ReadableStream.#maybe(this);
      if (s === undefined) return rejectedWith(illegal("ReadableStream"));
      const ws = wsOf(destination);
      if (ws === undefined) return rejectedWith(typeError("pipeTo's destination must be a WritableStream"));
      let opts;
      try {
        opts = pipeOptions(options);
      } catch (e) {
        return rejectedWith(e);
      }
      if (isReadableStreamLocked(s)) return rejectedWith(typeError("Cannot pipe a locked ReadableStream"));
      if (isWritableStreamLocked(ws)) return rejectedWith(typeError("Cannot pipe to a locked WritableStream"));
      return readableStreamPipeTo(s, ws, opts.preventClose, opts.preventAbort, opts.preventCancel, opts.signal);
    }
    tee() {
      const s = ReadableStream.#of(this);
      const [a, b] = readableStreamTee(s, false);
      return [a.pub, b.pub];
    }
    values(options = undefined) {
      return createAsyncIterator(ReadableStream.#of(this), options);
    }
    static #of(self) {
      if (!isObject(self) || !(#s in self)) throw illegal("ReadableStream");
      return self.#s;
    }
    static #maybe(self) {
      return isObject(self) && #s in self ? self.#s : undefined;
    }
    static {
      rsOf = (v) => (isObject(v) && #s in v ? v.#s : undefined);
      newRS = () => new ReadableStream(CREATE).#s;
    }
  }
  // StreamPipeOptions, its members in WebIDL's order
  const pipeOptions = (options) => {
    const dict = dictionary(options, "The options");
    const preventAbort = toBoolean(dict === undefined ? undefined : dict.preventAbort);
    const preventCancel = toBoolean(dict === undefined ? undefined : dict.preventCancel);
    const preventClose = toBoolean(dict === undefined ? undefined : dict.preventClose);
    const signal = dict === undefined ? undefined : dict.signal;
    if (signal !== undefined && !isAbortSignal(signal)) throw typeError("The signal option must be an AbortSignal");
    return { __proto__: null, preventAbort, preventCancel, preventClose, signal };
  };
  defineProperty(ReadableStream.prototype, SymbolAsyncIterator, {
    __proto__: null, value: ReadableStream.prototype.values, writable: true, enumerable: false, configurable: true,
  });

  class ReadableStreamDefaultReader {
    #r;
    constructor(stream) {
      if (stream === CREATE) {
        this.#r = { __proto__: null, kind: "default", pub: this };
        return;
      }
      const s = rsOf(stream);
      if (s === undefined) throw typeError("ReadableStreamDefaultReader needs a ReadableStream");
      const r = { __proto__: null, kind: "default", pub: this };
      setUpReadableStreamDefaultReader(r, s);
      this.#r = r;
    }
    get closed() {
      const r = ReadableStreamDefaultReader.#maybe(this);
      if (r === undefined) return rejectedWith(illegal("ReadableStreamDefaultReader"));
      return r.closedPromise.promise;
    }
    cancel(reason = undefined) {
      const r = ReadableStreamDefaultReader.#maybe(this);
      if (r === undefined) return rejectedWith(illegal("ReadableStreamDefaultReader"));
      if (r.stream === undefined) return rejectedWith(typeError("The reader has been released"));
      return readableStreamReaderGenericCancel(r, reason);
    }
    read() {
      const r = ReadableStreamDefaultReader.#maybe(this);
      if (r === undefined) return rejectedWith(illegal("ReadableStreamDefaultReader"));
      if (r.stream === undefined) return rejectedWith(typeError("The reader has been released"));
      const d = newPromise();
      readableStreamDefaultReaderRead(r, promiseReadRequest(d));
      return d.promise;
    }
    releaseLock() {
      const r = ReadableStreamDefaultReader.#maybe(this);
      if (r === undefined) throw illegal("ReadableStreamDefaultReader");
      if (r.stream === undefined) return;
      readableStreamDefaultReaderRelease(r);
    }
    static #maybe(self) {
      return isObject(self) && #r in self ? self.#r : undefined;
    }
    static {
      newDefaultReader = () => new ReadableStreamDefaultReader(CREATE).#r;
    }
  }

  class ReadableStreamBYOBReader {
    #r;
    constructor(stream) {
      if (stream === CREATE) {
        this.#r = { __proto__: null, kind: "byob", pub: this };
        return;
      }
      const s = rsOf(stream);
      if (s === undefined) throw typeError("ReadableStreamBYOBReader needs a ReadableStream");
      const r = { __proto__: null, kind: "byob", pub: this };
      setUpReadableStreamBYOBReader(r, s);
      this.#r = r;
    }
    get closed() {
      const r = ReadableStreamBYOBReader.#maybe(this);
      if (r === undefined) return rejectedWith(illegal("ReadableStreamBYOBReader"));
      return r.closedPromise.promise;
    }
    cancel(reason = undefined) {
      const r = ReadableStreamBYOBReader.#maybe(this);
      if (r === undefined) return rejectedWith(illegal("ReadableStreamBYOBReader"));
      if (r.stream === undefined) return rejectedWith(typeError("The reader has been released"));
      return readableStreamReaderGenericCancel(r, reason);
    }
    read(view, options = undefined) {
      const r = ReadableStreamBYOBReader.#maybe(this);
      if (r === undefined) return rejectedWith(illegal("ReadableStreamBYOBReader"));
      if (!isView(view)) return rejectedWith(typeError("read() needs an ArrayBufferView"));
      let opts, min;
      try {
        opts = dictionary(options, "The options");
        min = opts === undefined || opts.min === undefined ? 1 : enforceRangeULongLong(opts.min, "min");
      } catch (e) {
        return rejectedWith(e);
      }
      const [buffer, , byteLength, Ctor] = viewSlots(view);
      if (byteLength === 0) return rejectedWith(typeError("read() needs a view of at least one byte"));
      if (apply(bufferByteLength, buffer, []) === 0)
        return rejectedWith(typeError("read() needs a view over a buffer of at least one byte"));
      if (isDetached(buffer)) return rejectedWith(typeError("The view's buffer is detached"));
      if (min === 0) return rejectedWith(typeError("min must be greater than 0"));
      if (Ctor !== DataViewCtor) {
        if (min > apply(typedLength, view, [])) return rejectedWith(rangeError("min is greater than the view's length"));
      } else if (min > byteLength) {
        return rejectedWith(rangeError("min is greater than the view's byteLength"));
      }
      if (r.stream === undefined) return rejectedWith(typeError("The reader has been released"));
      const d = newPromise();
      readableStreamBYOBReaderRead(r, view, min, promiseReadRequest(d));
      return d.promise;
    }
    releaseLock() {
      const r = ReadableStreamBYOBReader.#maybe(this);
      if (r === undefined) throw illegal("ReadableStreamBYOBReader");
      if (r.stream === undefined) return;
      readableStreamBYOBReaderRelease(r);
    }
    static #maybe(self) {
      return isObject(self) && #r in self ? self.#r : undefined;
    }
    static {
      newBYOBReader = () => new ReadableStreamBYOBReader(CREATE).#r;
    }
  }

  class ReadableStreamDefaultController {
    #c;
    constructor(token = undefined) {
      if (token !== CREATE) throw typeError("Illegal constructor");
      this.#c = { __proto__: null, pub: this };
    }
    get desiredSize() {
      return readableStreamDefaultControllerGetDesiredSize(ReadableStreamDefaultController.#of(this));
    }
    close() {
      const c = ReadableStreamDefaultController.#of(this);
      if (!readableStreamDefaultControllerCanCloseOrEnqueue(c))
        throw typeError("The stream is not in a state that permits close");
      readableStreamDefaultControllerClose(c);
    }
    enqueue(chunk = undefined) {
      const c = ReadableStreamDefaultController.#of(this);
      if (!readableStreamDefaultControllerCanCloseOrEnqueue(c))
        throw typeError("The stream is not in a state that permits enqueue");
      readableStreamDefaultControllerEnqueue(c, chunk);
    }
    error(e = undefined) {
      readableStreamDefaultControllerError(ReadableStreamDefaultController.#of(this), e);
    }
    static #of(self) {
      if (!isObject(self) || !(#c in self)) throw illegal("ReadableStreamDefaultController");
      return self.#c;
    }
    static {
      newRSController = () => new ReadableStreamDefaultController(CREATE).#c;
    }
  }

  class ReadableByteStreamController {
    #c;
    constructor(token = undefined) {
      if (token !== CREATE) throw typeError("Illegal constructor");
      this.#c = { __proto__: null, pub: this };
    }
    get byobRequest() {
      return readableByteStreamControllerGetBYOBRequest(ReadableByteStreamController.#of(this));
    }
    get desiredSize() {
      return readableByteStreamControllerGetDesiredSize(ReadableByteStreamController.#of(this));
    }
    close() {
      const c = ReadableByteStreamController.#of(this);
      if (c.closeRequested) throw typeError("The stream is already closing");
      if (c.stream.state !== "readable") throw typeError("The stream is not readable");
      readableByteStreamControllerClose(c);
    }
    enqueue(chunk) {
      const c = ReadableByteStreamController.#of(this);
      if (!isView(chunk)) throw typeError("enqueue() needs an ArrayBufferView");
      const [buffer, , byteLength] = viewSlots(chunk);
      if (byteLength === 0) throw typeError("enqueue() needs a chunk of at least one byte");
      if (apply(bufferByteLength, buffer, []) === 0) throw typeError("The chunk's buffer is empty");
      if (c.closeRequested) throw typeError("The stream is closing");
      if (c.stream.state !== "readable") throw typeError("The stream is not readable");
      readableByteStreamControllerEnqueue(c, chunk);
    }
    error(e = undefined) {
      readableByteStreamControllerError(ReadableByteStreamController.#of(this), e);
    }
    static #of(self) {
      if (!isObject(self) || !(#c in self)) throw illegal("ReadableByteStreamController");
      return self.#c;
    }
    static {
      newByteController = () => new ReadableByteStreamController(CREATE).#c;
    }
  }

  class ReadableStreamBYOBRequest {
    #q;
    constructor(token = undefined) {
      if (token !== CREATE) throw typeError("Illegal constructor");
      this.#q = { __proto__: null, pub: this, controller: undefined, view: null };
    }
    get view() {
      return ReadableStreamBYOBRequest.#of(this).view;
    }
    respond(bytesWritten) {
      const q = ReadableStreamBYOBRequest.#of(this);
      const n = enforceRangeULongLong(bytesWritten, "bytesWritten");
      if (q.controller === undefined) throw typeError("This BYOB request has been invalidated");
      if (isDetached(viewSlots(q.view)[0])) throw typeError("The BYOB request's buffer is detached");
      readableByteStreamControllerRespond(q.controller, n);
    }
    respondWithNewView(view) {
      const q = ReadableStreamBYOBRequest.#of(this);
      if (!isView(view)) throw typeError("respondWithNewView() needs an ArrayBufferView");
      if (q.controller === undefined) throw typeError("This BYOB request has been invalidated");
      if (isDetached(viewSlots(view)[0])) throw typeError("The view's buffer is detached");
      readableByteStreamControllerRespondWithNewView(q.controller, view);
    }
    static #of(self) {
      if (!isObject(self) || !(#q in self)) throw illegal("ReadableStreamBYOBRequest");
      return self.#q;
    }
    static {
      byobRequestOf = (v) => (isObject(v) && #q in v ? v.#q : undefined);
      newBYOBRequest = () => new ReadableStreamBYOBRequest(CREATE).#q;
    }
  }

  // ==== WritableStream ====
  const acquireWritableStreamDefaultWriter = (stream) => {
    const writer = newWriter();
    setUpWritableStreamDefaultWriter(writer, stream);
    return writer;
  };
  const createWritableStream = (startAlgorithm, writeAlgorithm, closeAlgorithm, abortAlgorithm, highWaterMark,
    sizeAlgorithm) => {
    const stream = newWS();
    initializeWritableStream(stream);
    const controller = newWSController();
    setUpWritableStreamDefaultController(stream, controller, startAlgorithm, writeAlgorithm, closeAlgorithm,
      abortAlgorithm, highWaterMark, sizeAlgorithm);
    return stream;
  };
  const initializeWritableStream = (stream) => {
    stream.state = "writable";
    stream.storedError = undefined;
    stream.writer = undefined;
    stream.controller = undefined;
    stream.inFlightWriteRequest = undefined;
    stream.closeRequest = undefined;
    stream.inFlightCloseRequest = undefined;
    stream.pendingAbortRequest = undefined;
    stream.writeRequests = newList();
    stream.backpressure = false;
  };
  const isWritableStreamLocked = (stream) => stream.writer !== undefined;
  const writableStreamAbort = (stream, reason) => {
    if (stream.state === "closed" || stream.state === "errored") return resolvedWith(undefined);
    stream.controller.abortController.abort(reason);
    const state = stream.state;
    if (state === "closed" || state === "errored") return resolvedWith(undefined);
    if (stream.pendingAbortRequest !== undefined) return stream.pendingAbortRequest.promise.promise;
    let wasAlreadyErroring = false;
    if (state === "erroring") {
      wasAlreadyErroring = true;
      reason = undefined;
    }
    const promise = newPromise();
    stream.pendingAbortRequest = { __proto__: null, promise, reason, wasAlreadyErroring };
    if (!wasAlreadyErroring) writableStreamStartErroring(stream, reason);
    return promise.promise;
  };
  const writableStreamClose = (stream) => {
    const state = stream.state;
    if (state === "closed" || state === "errored")
      return rejectedWith(typeError("The WritableStream is closed or errored and cannot be closed"));
    const promise = newPromise();
    stream.closeRequest = promise;
    const writer = stream.writer;
    if (writer !== undefined && stream.backpressure && state === "writable") resolveDeferred(writer.readyPromise, undefined);
    writableStreamDefaultControllerClose(stream.controller);
    return promise.promise;
  };
  const writableStreamAddWriteRequest = (stream) => {
    const promise = newPromise();
    listPush(stream.writeRequests, promise);
    return promise.promise;
  };
  const writableStreamDealWithRejection = (stream, error) => {
    if (stream.state === "writable") {
      writableStreamStartErroring(stream, error);
      return;
    }
    writableStreamFinishErroring(stream);
  };
  const writableStreamStartErroring = (stream, reason) => {
    const controller = stream.controller;
    stream.state = "erroring";
    stream.storedError = reason;
    const writer = stream.writer;
    if (writer !== undefined) writableStreamDefaultWriterEnsureReadyPromiseRejected(writer, reason);
    if (!writableStreamHasOperationMarkedInFlight(stream) && controller.started) writableStreamFinishErroring(stream);
  };
  const writableStreamFinishErroring = (stream) => {
    stream.state = "errored";
    stream.controller.errorSteps();
    const storedError = stream.storedError;
    const requests = stream.writeRequests;
    stream.writeRequests = newList();
    listForEach(requests, (d) => rejectDeferred(d, storedError));
    if (stream.pendingAbortRequest === undefined) {
      writableStreamRejectCloseAndClosedPromiseIfNeeded(stream);
      return;
    }
    const abortRequest = stream.pendingAbortRequest;
    stream.pendingAbortRequest = undefined;
    if (abortRequest.wasAlreadyErroring) {
      rejectDeferred(abortRequest.promise, storedError);
      writableStreamRejectCloseAndClosedPromiseIfNeeded(stream);
      return;
    }
    const promise = stream.controller.abortSteps(abortRequest.reason);
    react(promise, () => {
      resolveDeferred(abortRequest.promise, undefined);
      writableStreamRejectCloseAndClosedPromiseIfNeeded(stream);
    }, (reason) => {
      rejectDeferred(abortRequest.promise, reason);
      writableStreamRejectCloseAndClosedPromiseIfNeeded(stream);
    });
  };
  const writableStreamFinishInFlightWrite = (stream) => {
    resolveDeferred(stream.inFlightWriteRequest, undefined);
    stream.inFlightWriteRequest = undefined;
  };
  const writableStreamFinishInFlightWriteWithError = (stream, error) => {
    rejectDeferred(stream.inFlightWriteRequest, error);
    stream.inFlightWriteRequest = undefined;
    writableStreamDealWithRejection(stream, error);
  };
  const writableStreamFinishInFlightClose = (stream) => {
    resolveDeferred(stream.inFlightCloseRequest, undefined);
    stream.inFlightCloseRequest = undefined;
    if (stream.state === "erroring") {
      stream.storedError = undefined;
      if (stream.pendingAbortRequest !== undefined) {
        resolveDeferred(stream.pendingAbortRequest.promise, undefined);
        stream.pendingAbortRequest = undefined;
      }
    }
    stream.state = "closed";
    const writer = stream.writer;
    if (writer !== undefined) resolveDeferred(writer.closedPromise, undefined);
  };
  const writableStreamFinishInFlightCloseWithError = (stream, error) => {
    rejectDeferred(stream.inFlightCloseRequest, error);
    stream.inFlightCloseRequest = undefined;
    if (stream.pendingAbortRequest !== undefined) {
      rejectDeferred(stream.pendingAbortRequest.promise, error);
      stream.pendingAbortRequest = undefined;
    }
    writableStreamDealWithRejection(stream, error);
  };
  const writableStreamCloseQueuedOrInFlight = (stream) =>
    stream.closeRequest !== undefined || stream.inFlightCloseRequest !== undefined;
  const writableStreamHasOperationMarkedInFlight = (stream) =>
    stream.inFlightWriteRequest !== undefined || stream.inFlightCloseRequest !== undefined;
  const writableStreamMarkCloseRequestInFlight = (stream) => {
    stream.inFlightCloseRequest = stream.closeRequest;
    stream.closeRequest = undefined;
  };
  const writableStreamMarkFirstWriteRequestInFlight = (stream) => {
    stream.inFlightWriteRequest = listShift(stream.writeRequests);
  };
  const writableStreamRejectCloseAndClosedPromiseIfNeeded = (stream) => {
    if (stream.closeRequest !== undefined) {
      rejectDeferred(stream.closeRequest, stream.storedError);
      stream.closeRequest = undefined;
    }
    const writer = stream.writer;
    if (writer !== undefined) {
      rejectDeferred(writer.closedPromise, stream.storedError);
      markHandled(writer.closedPromise.promise);
    }
  };
  const writableStreamUpdateBackpressure = (stream, backpressure) => {
    const writer = stream.writer;
    if (writer !== undefined && backpressure !== stream.backpressure) {
      if (backpressure) writer.readyPromise = newPromise();
      else resolveDeferred(writer.readyPromise, undefined);
    }
    stream.backpressure = backpressure;
  };

  // ---- WritableStreamDefaultWriter ----
  const setUpWritableStreamDefaultWriter = (writer, stream) => {
    if (isWritableStreamLocked(stream)) throw typeError("The WritableStream is locked to a writer");
    writer.stream = stream;
    stream.writer = writer;
    const state = stream.state;
    if (state === "writable") {
      if (!writableStreamCloseQueuedOrInFlight(stream) && stream.backpressure) writer.readyPromise = newPromise();
      else writer.readyPromise = resolvedDeferred(undefined);
      writer.closedPromise = newPromise();
    } else if (state === "erroring") {
      writer.readyPromise = rejectedDeferred(stream.storedError);
      writer.closedPromise = newPromise();
    } else if (state === "closed") {
      writer.readyPromise = resolvedDeferred(undefined);
      writer.closedPromise = resolvedDeferred(undefined);
    } else {
      const storedError = stream.storedError;
      writer.readyPromise = rejectedDeferred(storedError);
      writer.closedPromise = rejectedDeferred(storedError);
    }
  };
  const writableStreamDefaultWriterAbort = (writer, reason) => writableStreamAbort(writer.stream, reason);
  const writableStreamDefaultWriterClose = (writer) => writableStreamClose(writer.stream);
  const writableStreamDefaultWriterCloseWithErrorPropagation = (writer) => {
    const stream = writer.stream;
    const state = stream.state;
    if (writableStreamCloseQueuedOrInFlight(stream) || state === "closed") return resolvedWith(undefined);
    if (state === "errored") return rejectedWith(stream.storedError);
    return writableStreamDefaultWriterClose(writer);
  };
  const writableStreamDefaultWriterEnsureClosedPromiseRejected = (writer, error) => {
    if (!writer.closedPromise.settled) rejectDeferred(writer.closedPromise, error);
    else writer.closedPromise = rejectedDeferred(error);
    markHandled(writer.closedPromise.promise);
  };
  const writableStreamDefaultWriterEnsureReadyPromiseRejected = (writer, error) => {
    if (!writer.readyPromise.settled) rejectDeferred(writer.readyPromise, error);
    else writer.readyPromise = rejectedDeferred(error);
    markHandled(writer.readyPromise.promise);
  };
  const writableStreamDefaultWriterGetDesiredSize = (writer) => {
    const stream = writer.stream;
    const state = stream.state;
    if (state === "errored" || state === "erroring") return null;
    if (state === "closed") return 0;
    return writableStreamDefaultControllerGetDesiredSize(stream.controller);
  };
  const writableStreamDefaultWriterRelease = (writer) => {
    const stream = writer.stream;
    const releasedError = typeError("The writer was released");
    writableStreamDefaultWriterEnsureReadyPromiseRejected(writer, releasedError);
    writableStreamDefaultWriterEnsureClosedPromiseRejected(writer, releasedError);
    stream.writer = undefined;
    writer.stream = undefined;
  };
  const writableStreamDefaultWriterWrite = (writer, chunk) => {
    const stream = writer.stream;
    const controller = stream.controller;
    const chunkSize = writableStreamDefaultControllerGetChunkSize(controller, chunk);
    if (stream !== writer.stream) return rejectedWith(typeError("The writer was released"));
    const state = stream.state;
    if (state === "errored") return rejectedWith(stream.storedError);
    if (writableStreamCloseQueuedOrInFlight(stream) || state === "closed")
      return rejectedWith(typeError("The WritableStream is closing or closed"));
    if (state === "erroring") return rejectedWith(stream.storedError);
    const promise = writableStreamAddWriteRequest(stream);
    writableStreamDefaultControllerWrite(controller, chunk, chunkSize);
    return promise;
  };

  // ---- WritableStreamDefaultController ----
  const CLOSE_SENTINEL = { __proto__: null };
  const setUpWritableStreamDefaultController = (stream, controller, startAlgorithm, writeAlgorithm,
    closeAlgorithm, abortAlgorithm, highWaterMark, sizeAlgorithm) => {
    controller.stream = stream;
    stream.controller = controller;
    resetQueue(controller);
    controller.abortController = newAbortHandle();
    controller.started = false;
    controller.strategySizeAlgorithm = sizeAlgorithm;
    controller.strategyHWM = highWaterMark;
    controller.writeAlgorithm = writeAlgorithm;
    controller.closeAlgorithm = closeAlgorithm;
    controller.abortAlgorithm = abortAlgorithm;
    controller.abortSteps = (reason) => {
      const result = controller.abortAlgorithm(reason);
      writableStreamDefaultControllerClearAlgorithms(controller);
      return result;
    };
    controller.errorSteps = () => resetQueue(controller);
    const backpressure = writableStreamDefaultControllerGetBackpressure(controller);
    writableStreamUpdateBackpressure(stream, backpressure);
    const startResult = startAlgorithm();
    react(resolvedWith(startResult), () => {
      controller.started = true;
      writableStreamDefaultControllerAdvanceQueueIfNeeded(controller);
    }, (r) => {
      controller.started = true;
      writableStreamDealWithRejection(stream, r);
    });
  };
  const setUpWritableStreamDefaultControllerFromUnderlyingSink = (stream, underlyingSink, sink, highWaterMark,
    sizeAlgorithm) => {
    const controller = newWSController();
    let startAlgorithm = () => undefined;
    let writeAlgorithm = () => resolvedWith(undefined);
    let closeAlgorithm = () => resolvedWith(undefined);
    let abortAlgorithm = () => resolvedWith(undefined);
    if (sink.start !== undefined) startAlgorithm = () => apply(sink.start, underlyingSink, [controller.pub]);
    if (sink.write !== undefined)
      writeAlgorithm = (chunk) => promiseCall(sink.write, underlyingSink, [chunk, controller.pub]);
    if (sink.close !== undefined) closeAlgorithm = () => promiseCall(sink.close, underlyingSink, []);
    if (sink.abort !== undefined) abortAlgorithm = (reason) => promiseCall(sink.abort, underlyingSink, [reason]);
    setUpWritableStreamDefaultController(stream, controller, startAlgorithm, writeAlgorithm, closeAlgorithm,
      abortAlgorithm, highWaterMark, sizeAlgorithm);
  };
  const writableStreamDefaultControllerAdvanceQueueIfNeeded = (controller) => {
    const stream = controller.stream;
    if (!controller.started) return;
    if (stream.inFlightWriteRequest !== undefined) return;
    const state = stream.state;
    if (state === "erroring") {
      writableStreamFinishErroring(stream);
      return;
    }
    if (listLength(controller.queue) === 0) return;
    const value = peekQueueValue(controller);
    if (value === CLOSE_SENTINEL) writableStreamDefaultControllerProcessClose(controller);
    else writableStreamDefaultControllerProcessWrite(controller, value);
  };
  const writableStreamDefaultControllerClearAlgorithms = (controller) => {
    controller.writeAlgorithm = undefined;
    controller.closeAlgorithm = undefined;
    controller.abortAlgorithm = undefined;
    controller.strategySizeAlgorithm = undefined;
  };
  const writableStreamDefaultControllerClose = (controller) => {
    enqueueValueWithSize(controller, CLOSE_SENTINEL, 0);
    writableStreamDefaultControllerAdvanceQueueIfNeeded(controller);
  };
  const writableStreamDefaultControllerError = (controller, error) => {
    const stream = controller.stream;
    writableStreamDefaultControllerClearAlgorithms(controller);
    writableStreamStartErroring(stream, error);
  };
  const writableStreamDefaultControllerErrorIfNeeded = (controller, error) => {
    if (controller.stream.state === "writable") writableStreamDefaultControllerError(controller, error);
  };
  const writableStreamDefaultControllerGetBackpressure = (controller) =>
    writableStreamDefaultControllerGetDesiredSize(controller) <= 0;
  const writableStreamDefaultControllerGetChunkSize = (controller, chunk) => {
    if (controller.strategySizeAlgorithm === undefined) return 1; // the stream is erroring already
    try {
      return controller.strategySizeAlgorithm(chunk);
    } catch (e) {
      writableStreamDefaultControllerErrorIfNeeded(controller, e);
      return 1;
    }
  };
  const writableStreamDefaultControllerGetDesiredSize = (controller) =>
    controller.strategyHWM - controller.queueTotalSize;
  const writableStreamDefaultControllerProcessClose = (controller) => {
    const stream = controller.stream;
    writableStreamMarkCloseRequestInFlight(stream);
    dequeueValue(controller);
    const sinkClosePromise = controller.closeAlgorithm();
    writableStreamDefaultControllerClearAlgorithms(controller);
    react(sinkClosePromise, () => writableStreamFinishInFlightClose(stream),
      (reason) => writableStreamFinishInFlightCloseWithError(stream, reason));
  };
  const writableStreamDefaultControllerProcessWrite = (controller, chunk) => {
    const stream = controller.stream;
    writableStreamMarkFirstWriteRequestInFlight(stream);
    const sinkWritePromise = controller.writeAlgorithm(chunk);
    react(sinkWritePromise, () => {
      writableStreamFinishInFlightWrite(stream);
      const state = stream.state;
      dequeueValue(controller);
      if (!writableStreamCloseQueuedOrInFlight(stream) && state === "writable") {
        const backpressure = writableStreamDefaultControllerGetBackpressure(controller);
        writableStreamUpdateBackpressure(stream, backpressure);
      }
      writableStreamDefaultControllerAdvanceQueueIfNeeded(controller);
    }, (reason) => {
      if (stream.state === "writable") writableStreamDefaultControllerClearAlgorithms(controller);
      writableStreamFinishInFlightWriteWithError(stream, reason);
    });
  };
  const writableStreamDefaultControllerWrite = (controller, chunk, chunkSize) => {
    try {
      enqueueValueWithSize(controller, chunk, chunkSize);
    } catch (e) {
      writableStreamDefaultControllerErrorIfNeeded(controller, e);
      return;
    }
    const stream = controller.stream;
    if (!writableStreamCloseQueuedOrInFlight(stream) && stream.state === "writable") {
      const backpressure = writableStreamDefaultControllerGetBackpressure(controller);
      writableStreamUpdateBackpressure(stream, backpressure);
    }
    writableStreamDefaultControllerAdvanceQueueIfNeeded(controller);
  };
  // the controller's AbortController, made only when a program reads controller.signal (or
  // when the stream is aborted): web/events.js is loaded only then
  const newAbortHandle = () => {
    const handle = {
      __proto__: null,
      controller: undefined,
      reason: undefined,
      aborted: false,
      signal() {
        if (handle.controller === undefined) {
          handle.controller = new globalThis.AbortController();
          if (handle.aborted) handle.controller.abort(handle.reason);
        }
        return handle.controller.signal;
      },
      abort(reason) {
        if (handle.aborted) return;
        handle.aborted = true;
        handle.reason = reason;
        if (handle.controller !== undefined) handle.controller.abort(reason);
      },
    };
    return handle;
  };

  class WritableStream {
    #s;
    constructor(underlyingSink = undefined, strategy = undefined) {
      if (underlyingSink === CREATE) {
        this.#s = { __proto__: null, pub: this };
        return;
      }
      if (underlyingSink !== undefined && !isObject(underlyingSink)) throw typeError("The underlying sink must be an object");
      const strat = strategyDictionary(strategy);
      if (underlyingSink === undefined) underlyingSink = null;
      const dict = underlyingSink === null ? undefined : underlyingSink;
      const sink = { __proto__: null };
      sink.abort = callbackMember(dict, "abort", "The underlying sink");
      sink.close = callbackMember(dict, "close", "The underlying sink");
      sink.start = callbackMember(dict, "start", "The underlying sink");
      const type = dict === undefined ? undefined : dict.type;
      sink.write = callbackMember(dict, "write", "The underlying sink");
      if (type !== undefined) throw rangeError("A WritableStream's underlying sink cannot have a type");
      const s = { __proto__: null, pub: this };
      this.#s = s;
      initializeWritableStream(s);
      const sizeAlgorithm = extractSizeAlgorithm(strat);
      const highWaterMark = extractHighWaterMark(strat, 1);
      setUpWritableStreamDefaultControllerFromUnderlyingSink(s, underlyingSink, sink, highWaterMark, sizeAlgorithm);
    }
    get locked() {
      return isWritableStreamLocked(WritableStream.#of(this));
    }
    abort(reason = undefined) {
      const s = WritableStream.#maybe(this);
      if (s === undefined) return rejectedWith(illegal("WritableStream"));
      if (isWritableStreamLocked(s)) return rejectedWith(typeError("Cannot abort a WritableStream that is locked"));
      return writableStreamAbort(s, reason);
    }
    close() {
      const s = WritableStream.#maybe(this);
      if (s === undefined) return rejectedWith(illegal("WritableStream"));
      if (isWritableStreamLocked(s)) return rejectedWith(typeError("Cannot close a WritableStream that is locked"));
      if (writableStreamCloseQueuedOrInFlight(s)) return rejectedWith(typeError("The WritableStream is already closing"));
      return writableStreamClose(s);
    }
    getWriter() {
      return acquireWritableStreamDefaultWriter(WritableStream.#of(this)).pub;
    }
    static #of(self) {
      if (!isObject(self) || !(#s in self)) throw illegal("WritableStream");
      return self.#s;
    }
    static #maybe(self) {
      return isObject(self) && #s in self ? self.#s : undefined;
    }
    static {
      wsOf = (v) => (isObject(v) && #s in v ? v.#s : undefined);
      newWS = () => new WritableStream(CREATE).#s;
    }
  }

  class WritableStreamDefaultWriter {
    #w;
    constructor(stream) {
      if (stream === CREATE) {
        this.#w = { __proto__: null, pub: this };
        return;
      }
      const s = wsOf(stream);
      if (s === undefined) throw typeError("WritableStreamDefaultWriter needs a WritableStream");
      const w = { __proto__: null, pub: this };
      setUpWritableStreamDefaultWriter(w, s);
      this.#w = w;
    }
    get closed() {
      const w = WritableStreamDefaultWriter.#maybe(this);
      if (w === undefined) return rejectedWith(illegal("WritableStreamDefaultWriter"));
      return w.closedPromise.promise;
    }
    get desiredSize() {
      const w = WritableStreamDefaultWriter.#of(this);
      if (w.stream === undefined) throw typeError("The writer has been released");
      return writableStreamDefaultWriterGetDesiredSize(w);
    }
    get ready() {
      const w = WritableStreamDefaultWriter.#maybe(this);
      if (w === undefined) return rejectedWith(illegal("WritableStreamDefaultWriter"));
      return w.readyPromise.promise;
    }
    abort(reason = undefined) {
      const w = WritableStreamDefaultWriter.#maybe(this);
      if (w === undefined) return rejectedWith(illegal("WritableStreamDefaultWriter"));
      if (w.stream === undefined) return rejectedWith(typeError("The writer has been released"));
      return writableStreamDefaultWriterAbort(w, reason);
    }
    close() {
      const w = WritableStreamDefaultWriter.#maybe(this);
      if (w === undefined) return rejectedWith(illegal("WritableStreamDefaultWriter"));
      const stream = w.stream;
      if (stream === undefined) return rejectedWith(typeError("The writer has been released"));
      if (writableStreamCloseQueuedOrInFlight(stream))
        return rejectedWith(typeError("The WritableStream is already closing"));
      return writableStreamDefaultWriterClose(w);
    }
    releaseLock() {
      const w = WritableStreamDefaultWriter.#of(this);
      if (w.stream === undefined) return;
      writableStreamDefaultWriterRelease(w);
    }
    write(chunk = undefined) {
      const w = WritableStreamDefaultWriter.#maybe(this);
      if (w === undefined) return rejectedWith(illegal("WritableStreamDefaultWriter"));
      if (w.stream === undefined) return rejectedWith(typeError("The writer has been released"));
      return writableStreamDefaultWriterWrite(w, chunk);
    }
    static #of(self) {
      if (!isObject(self) || !(#w in self)) throw illegal("WritableStreamDefaultWriter");
      return self.#w;
    }
    static #maybe(self) {
      return isObject(self) && #w in self ? self.#w : undefined;
    }
    static {
      newWriter = () => new WritableStreamDefaultWriter(CREATE).#w;
    }
  }

  class WritableStreamDefaultController {
    #c;
    constructor(token = undefined) {
      if (token !== CREATE) throw typeError("Illegal constructor");
      this.#c = { __proto__: null, pub: this };
    }
    get signal() {
      return WritableStreamDefaultController.#of(this).abortController.signal();
    }
    error(e = undefined) {
      const c = WritableStreamDefaultController.#of(this);
      if (c.stream.state !== "writable") return;
      writableStreamDefaultControllerError(c, e);
    }
    static #of(self) {
      if (!isObject(self) || !(#c in self)) throw illegal("WritableStreamDefaultController");
      return self.#c;
    }
    static {
      newWSController = () => new WritableStreamDefaultController(CREATE).#c;
    }
  }

  // ==== TransformStream ====
  const initializeTransformStream = (stream, startPromise, writableHighWaterMark, writableSizeAlgorithm,
    readableHighWaterMark, readableSizeAlgorithm) => {
    const startAlgorithm = () => startPromise;
    const writeAlgorithm = (chunk) => transformStreamDefaultSinkWriteAlgorithm(stream, chunk);
    const abortAlgorithm = (reason) => transformStreamDefaultSinkAbortAlgorithm(stream, reason);
    const closeAlgorithm = () => transformStreamDefaultSinkCloseAlgorithm(stream);
    stream.writable = createWritableStream(startAlgorithm, writeAlgorithm, closeAlgorithm, abortAlgorithm,
      writableHighWaterMark, writableSizeAlgorithm);
    const pullAlgorithm = () => transformStreamDefaultSourcePullAlgorithm(stream);
    const cancelAlgorithm = (reason) => transformStreamDefaultSourceCancelAlgorithm(stream, reason);
    stream.readable = createReadableStream(startAlgorithm, pullAlgorithm, cancelAlgorithm, readableHighWaterMark,
      readableSizeAlgorithm);
    stream.backpressure = undefined;
    stream.backpressureChangePromise = undefined;
    transformStreamSetBackpressure(stream, true);
    stream.controller = undefined;
  };
  const transformStreamError = (stream, e) => {
    readableStreamDefaultControllerError(stream.readable.controller, e);
    transformStreamErrorWritableAndUnblockWrite(stream, e);
  };
  const transformStreamErrorWritableAndUnblockWrite = (stream, e) => {
    transformStreamDefaultControllerClearAlgorithms(stream.controller);
    writableStreamDefaultControllerErrorIfNeeded(stream.writable.controller, e);
    transformStreamUnblockWrite(stream);
  };
  const transformStreamUnblockWrite = (stream) => {
    if (stream.backpressure) transformStreamSetBackpressure(stream, false);
  };
  const transformStreamSetBackpressure = (stream, backpressure) => {
    if (stream.backpressureChangePromise !== undefined) resolveDeferred(stream.backpressureChangePromise, undefined);
    stream.backpressureChangePromise = newPromise();
    stream.backpressure = backpressure;
  };
  const setUpTransformStreamDefaultController = (stream, controller, transformAlgorithm, flushAlgorithm,
    cancelAlgorithm) => {
    controller.stream = stream;
    stream.controller = controller;
    controller.transformAlgorithm = transformAlgorithm;
    controller.flushAlgorithm = flushAlgorithm;
    controller.cancelAlgorithm = cancelAlgorithm;
    controller.finishPromise = undefined;
  };
  const setUpTransformStreamDefaultControllerFromTransformer = (stream, transformer, dict) => {
    const controller = newTSController();
    let transformAlgorithm = (chunk) => {
      try {
        transformStreamDefaultControllerEnqueue(controller, chunk);
        return resolvedWith(undefined);
      } catch (e) {
        return rejectedWith(e);
      }
    };
    let flushAlgorithm = () => resolvedWith(undefined);
    let cancelAlgorithm = () => resolvedWith(undefined);
    if (dict.transform !== undefined)
      transformAlgorithm = (chunk) => promiseCall(dict.transform, transformer, [chunk, controller.pub]);
    if (dict.flush !== undefined) flushAlgorithm = () => promiseCall(dict.flush, transformer, [controller.pub]);
    if (dict.cancel !== undefined) cancelAlgorithm = (reason) => promiseCall(dict.cancel, transformer, [reason]);
    setUpTransformStreamDefaultController(stream, controller, transformAlgorithm, flushAlgorithm, cancelAlgorithm);
  };
  const transformStreamDefaultControllerClearAlgorithms = (controller) => {
    controller.transformAlgorithm = undefined;
    controller.flushAlgorithm = undefined;
    controller.cancelAlgorithm = undefined;
  };
  const transformStreamDefaultControllerEnqueue = (controller, chunk) => {
    const stream = controller.stream;
    const readableController = stream.readable.controller;
    if (!readableStreamDefaultControllerCanCloseOrEnqueue(readableController))
      throw typeError("The TransformStream's readable side is not in a state that permits enqueue");
    try {
      readableStreamDefaultControllerEnqueue(readableController, chunk);
    } catch (e) {
      transformStreamErrorWritableAndUnblockWrite(stream, e);
      throw stream.readable.storedError;
    }
    const backpressure = readableStreamDefaultControllerHasBackpressure(readableController);
    if (backpressure !== stream.backpressure) transformStreamSetBackpressure(stream, true);
  };
  const transformStreamDefaultControllerError = (controller, e) => transformStreamError(controller.stream, e);
  const transformStreamDefaultControllerPerformTransform = (controller, chunk) => {
    const transformPromise = controller.transformAlgorithm(chunk);
    return react(transformPromise, undefined, (r) => {
      transformStreamError(controller.stream, r);
      throw r;
    });
  };
  const transformStreamDefaultControllerTerminate = (controller) => {
    const stream = controller.stream;
    const readableController = stream.readable.controller;
    readableStreamDefaultControllerClose(readableController);
    const error = typeError("The TransformStream was terminated");
    transformStreamErrorWritableAndUnblockWrite(stream, error);
  };
  const transformStreamDefaultSinkWriteAlgorithm = (stream, chunk) => {
    const controller = stream.controller;
    if (stream.backpressure) {
      const backpressureChangePromise = stream.backpressureChangePromise.promise;
      return react(backpressureChangePromise, () => {
        const writable = stream.writable;
        const state = writable.state;
        if (state === "erroring") throw writable.storedError;
        return transformStreamDefaultControllerPerformTransform(controller, chunk);
      });
    }
    return transformStreamDefaultControllerPerformTransform(controller, chunk);
  };
  const transformStreamDefaultSinkAbortAlgorithm = (stream, reason) => {
    const controller = stream.controller;
    if (controller.finishPromise !== undefined) return controller.finishPromise.promise;
    const readable = stream.readable;
    controller.finishPromise = newPromise();
    const cancelPromise = controller.cancelAlgorithm(reason);
    transformStreamDefaultControllerClearAlgorithms(controller);
    react(cancelPromise, () => {
      if (readable.state === "errored") {
        rejectDeferred(controller.finishPromise, readable.storedError);
      } else {
        readableStreamDefaultControllerError(readable.controller, reason);
        resolveDeferred(controller.finishPromise, undefined);
      }
    }, (r) => {
      readableStreamDefaultControllerError(readable.controller, r);
      rejectDeferred(controller.finishPromise, r);
    });
    return controller.finishPromise.promise;
  };
  const transformStreamDefaultSinkCloseAlgorithm = (stream) => {
    const controller = stream.controller;
    if (controller.finishPromise !== undefined) return controller.finishPromise.promise;
    const readable = stream.readable;
    controller.finishPromise = newPromise();
    const flushPromise = controller.flushAlgorithm();
    transformStreamDefaultControllerClearAlgorithms(controller);
    react(flushPromise, () => {
      if (readable.state === "errored") {
        rejectDeferred(controller.finishPromise, readable.storedError);
      } else {
        readableStreamDefaultControllerClose(readable.controller);
        resolveDeferred(controller.finishPromise, undefined);
      }
    }, (r) => {
      readableStreamDefaultControllerError(readable.controller, r);
      rejectDeferred(controller.finishPromise, r);
    });
    return controller.finishPromise.promise;
  };
  const transformStreamDefaultSourceCancelAlgorithm = (stream, reason) => {
    const controller = stream.controller;
    if (controller.finishPromise !== undefined) return controller.finishPromise.promise;
    const writable = stream.writable;
    controller.finishPromise = newPromise();
    const cancelPromise = controller.cancelAlgorithm(reason);
    transformStreamDefaultControllerClearAlgorithms(controller);
    react(cancelPromise, () => {
      if (writable.state === "errored") {
        rejectDeferred(controller.finishPromise, writable.storedError);
      } else {
        writableStreamDefaultControllerErrorIfNeeded(writable.controller, reason);
        transformStreamUnblockWrite(stream);
        resolveDeferred(controller.finishPromise, undefined);
      }
    }, (r) => {
      writableStreamDefaultControllerErrorIfNeeded(writable.controller, r);
      transformStreamUnblockWrite(stream);
      rejectDeferred(controller.finishPromise, r);
    });
    return controller.finishPromise.promise;
  };
  const transformStreamDefaultSourcePullAlgorithm = (stream) => {
    transformStreamSetBackpressure(stream, false);
    return stream.backpressureChangePromise.promise;
  };

  class TransformStream {
    #s;
    constructor(transformer = undefined, writableStrategy = undefined, readableStrategy = undefined) {
      if (transformer !== undefined && !isObject(transformer)) throw typeError("The transformer must be an object");
      if (transformer === undefined) transformer = null;
      const wStrat = strategyDictionary(writableStrategy);
      const rStrat = strategyDictionary(readableStrategy);
      const dict = transformer === null ? undefined : transformer;
      const t = { __proto__: null };
      t.cancel = callbackMember(dict, "cancel", "The transformer");
      t.flush = callbackMember(dict, "flush", "The transformer");
      const readableType = dict === undefined ? undefined : dict.readableType;
      t.start = callbackMember(dict, "start", "The transformer");
      t.transform = callbackMember(dict, "transform", "The transformer");
      const writableType = dict === undefined ? undefined : dict.writableType;
      if (readableType !== undefined) throw rangeError("A transformer's readableType must be undefined");
      if (writableType !== undefined) throw rangeError("A transformer's writableType must be undefined");
      const readableHighWaterMark = extractHighWaterMark(rStrat, 0);
      const readableSizeAlgorithm = extractSizeAlgorithm(rStrat);
      const writableHighWaterMark = extractHighWaterMark(wStrat, 1);
      const writableSizeAlgorithm = extractSizeAlgorithm(wStrat);
      const startPromise = newPromise();
      const s = { __proto__: null, pub: this };
      this.#s = s;
      initializeTransformStream(s, startPromise.promise, writableHighWaterMark, writableSizeAlgorithm,
        readableHighWaterMark, readableSizeAlgorithm);
      setUpTransformStreamDefaultControllerFromTransformer(s, transformer, t);
      if (t.start !== undefined) resolveDeferred(startPromise, apply(t.start, transformer, [s.controller.pub]));
      else resolveDeferred(startPromise, undefined);
    }
    get readable() {
      return TransformStream.#of(this).readable.pub;
    }
    get writable() {
      return TransformStream.#of(this).writable.pub;
    }
    static #of(self) {
      if (!isObject(self) || !(#s in self)) throw illegal("TransformStream");
      return self.#s;
    }
  }

  class TransformStreamDefaultController {
    #c;
    constructor(token = undefined) {
      if (token !== CREATE) throw typeError("Illegal constructor");
      this.#c = { __proto__: null, pub: this };
    }
    get desiredSize() {
      const c = TransformStreamDefaultController.#of(this);
      return readableStreamDefaultControllerGetDesiredSize(c.stream.readable.controller);
    }
    enqueue(chunk = undefined) {
      transformStreamDefaultControllerEnqueue(TransformStreamDefaultController.#of(this), chunk);
    }
    error(reason = undefined) {
      transformStreamDefaultControllerError(TransformStreamDefaultController.#of(this), reason);
    }
    terminate() {
      transformStreamDefaultControllerTerminate(TransformStreamDefaultController.#of(this));
    }
    static #of(self) {
      if (!isObject(self) || !(#c in self)) throw illegal("TransformStreamDefaultController");
      return self.#c;
    }
    static {
      newTSController = () => new TransformStreamDefaultController(CREATE).#c;
    }
  }

  // ==== queuing strategies ====
  // the size functions are shared by every instance (the standard: one per realm), named "size"
  const byteLengthSize = { size(chunk) { return chunk.byteLength; } }.size;
  const countSize = { size() { return 1; } }.size;
  const strategyInit = (init, name) => {
    if (!isObject(init)) throw typeError(`${name} needs an object with a highWaterMark`);
    const hwm = init.highWaterMark;
    if (hwm === undefined) throw typeError(`${name}'s highWaterMark is required`);
    return unrestrictedDouble(hwm);
  };
  class ByteLengthQueuingStrategy {
    #hwm;
    constructor(init) {
      this.#hwm = strategyInit(init, "ByteLengthQueuingStrategy");
    }
    get highWaterMark() {
      if (!isObject(this) || !(#hwm in this)) throw illegal("ByteLengthQueuingStrategy");
      return this.#hwm;
    }
    get size() {
      if (!isObject(this) || !(#hwm in this)) throw illegal("ByteLengthQueuingStrategy");
      return byteLengthSize;
    }
  }
  class CountQueuingStrategy {
    #hwm;
    constructor(init) {
      this.#hwm = strategyInit(init, "CountQueuingStrategy");
    }
    get highWaterMark() {
      if (!isObject(this) || !(#hwm in this)) throw illegal("CountQueuingStrategy");
      return this.#hwm;
    }
    get size() {
      if (!isObject(this) || !(#hwm in this)) throw illegal("CountQueuingStrategy");
      return countSize;
    }
  }

  // WebIDL: methods and accessors enumerable, a toStringTag on each prototype
  const classes = [
    ReadableStream, ReadableStreamDefaultReader, ReadableStreamBYOBReader, ReadableStreamDefaultController,
    ReadableByteStreamController, ReadableStreamBYOBRequest, WritableStream, WritableStreamDefaultWriter,
    WritableStreamDefaultController, TransformStream, TransformStreamDefaultController, ByteLengthQueuingStrategy,
    CountQueuingStrategy,
  ];
  const ownKeys = Reflect.ownKeys;
  for (const C of classes) {
    for (const target of [C.prototype, C]) {
      for (const key of ownKeys(target)) {
        if (key === "constructor" || key === "prototype" || key === "length" || key === "name") continue;
        if (key === SymbolAsyncIterator) continue;
        const desc = getOwnPropertyDescriptor(target, key);
        desc.enumerable = true;
        defineProperty(target, key, desc);
      }
    }
    defineProperty(C.prototype, TO_STRING_TAG, { __proto__: null, value: C.name, configurable: true });
  }
  defineProperty(ReadableStreamAsyncIteratorPrototype, TO_STRING_TAG, {
    __proto__: null, value: "ReadableStream AsyncIterator", configurable: true,
  });

  define("ReadableStream", ReadableStream);
  define("ReadableStreamDefaultReader", ReadableStreamDefaultReader);
  define("ReadableStreamBYOBReader", ReadableStreamBYOBReader);
  define("ReadableStreamDefaultController", ReadableStreamDefaultController);
  define("ReadableByteStreamController", ReadableByteStreamController);
  define("ReadableStreamBYOBRequest", ReadableStreamBYOBRequest);
  define("WritableStream", WritableStream);
  define("WritableStreamDefaultWriter", WritableStreamDefaultWriter);
  define("WritableStreamDefaultController", WritableStreamDefaultController);
  define("TransformStream", TransformStream);
  define("TransformStreamDefaultController", TransformStreamDefaultController);
  define("ByteLengthQueuingStrategy", ByteLengthQueuingStrategy);
  define("CountQueuingStrategy", CountQueuingStrategy);
});
