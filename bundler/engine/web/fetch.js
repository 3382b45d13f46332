// Request, Response and fetch: the Fetch Standard (https://fetch.spec.whatwg.org/) as far as a
// sandbox goes. There is no network: fetch() reads only the files the bundle carries, the ones
// a module names with `new URL("./file", import.meta.url)` (wasm-pack's --target web and
// Emscripten's output fetch their .wasm that way), and rejects any other URL with a TypeError
// that says why. Bodies are what the standard lists (strings, BufferSources, Blobs, FormData,
// URLSearchParams, ReadableStreams), each with the Content-Type it implies; a body is bytes
// until a program asks for it as a stream (`body`), so reading it whole never makes one.
// Evaluated on first use (LAZY_WEB_JS): it reaches the host only through native.assetExists and
// native.assetBytes (assets.js, made at start-up), and Headers, Blob and FormData through what
// their scripts left on `native`.
(function (native, define) {
  "use strict";
  const apply = Reflect.apply;
  const bindCall = (f) => apply(Function.prototype.bind, Function.prototype.call, [f]);
  const defineProperty = Reflect.defineProperty;
  const getOwnPropertyDescriptor = Reflect.getOwnPropertyDescriptor;
  const getPrototypeOf = Reflect.getPrototypeOf;
  const ownKeys = Reflect.ownKeys;
  const NumberCtor = Number;
  const TypeErrorCtor = TypeError;
  const RangeErrorCtor = RangeError;
  const PromiseCtor = Promise;
  const promiseThen = bindCall(Promise.prototype.then);
  const promiseResolve = (v) => new PromiseCtor((resolve) => resolve(v));
  const promiseReject = (e) => new PromiseCtor((_, reject) => reject(e));
  const jsonParse = JSON.parse;
  const jsonStringify = JSON.stringify;
  const mathFloor = Math.floor;
  const U8 = Uint8Array;
  const isView = ArrayBuffer.isView;
  const decodeURI = decodeURIComponent;
  const charCodeAt = bindCall(String.prototype.charCodeAt);
  const fromCharCode = String.fromCharCode;
  const stringSlice = bindCall(String.prototype.slice);
  const stringIndexOf = bindCall(String.prototype.indexOf);
  const lastIndexOf = bindCall(String.prototype.lastIndexOf);
  const toWellFormed = bindCall(String.prototype.toWellFormed);
  const regexpTest = bindCall(RegExp.prototype.test);
  const u8Set = bindCall(U8.prototype.set);
  const u8Slice = bindCall(U8.prototype.slice);
  const u8Length = bindCall(getOwnPropertyDescriptor(getPrototypeOf(U8.prototype), "length").get);
  const u8Buffer = bindCall(getOwnPropertyDescriptor(getPrototypeOf(U8.prototype), "buffer").get);
  const TO_STRING_TAG = Symbol.toStringTag;
  const utf8Encode = native.utf8Encode;
  const assetExists = native.assetExists;
  const assetBytes = native.assetBytes;

  native.loadWebScript("Headers");
  const H = native.headers;
  const HeadersCtor = H.Headers;
  // Blob and FormData are read when a body needs them
  const blobs = () => native.blobs ?? (native.loadWebScript("Blob"), native.blobs);
  const forms = () => native.formData ?? (native.loadWebScript("FormData"), native.formData);

  const TYPES = { wasm: "application/wasm", js: "text/javascript", mjs: "text/javascript", json: "application/json",
    txt: "text/plain", html: "text/html", css: "text/css", svg: "image/svg+xml", png: "image/png" };
  const isObject = (v) => (typeof v === "object" && v !== null) || typeof v === "function";
  const toUSVString = (v) => toWellFormed(typeof v === "string" ? v : `${v}`);
  const lowerAscii = (s) => {
    let out = "";
    for (let i = 0; i < s.length; i++) {
      const c = charCodeAt(s, i);
      out += c >= 0x41 && c <= 0x5a ? fromCharCode(c + 32) : s[i];
    }
    return out;
  };

  // ---- streams, through ReadableStream's public API only ----
  let RS = null;
  let rsGetReader;
  let rsTee;
  let rsLocked;
  const streams = () => {
    if (RS === null) {
      const C = native.loadWebScript("ReadableStream");
      if (typeof C !== "function") throw new TypeErrorCtor("ReadableStream is not available");
      const proto = C.prototype;
      rsGetReader = bindCall(proto.getReader);
      rsTee = bindCall(proto.tee);
      rsLocked = bindCall(getOwnPropertyDescriptor(proto, "locked").get);
      RS = C;
    }
    return RS;
  };
  // A ReadableStream is told by its `locked` getter, which throws for anything else. Until
  // streams.js has run there can be none, and checking does not load it.
  const isReadableStream = (v) => {
    if (!isObject(v) || (RS === null && native.webScriptPending("ReadableStream"))) return false;
    try {
      streams();
      rsLocked(v);
      return true;
    } catch {
      return false;
    }
  };
  const isURLSearchParams = (v) => {
    if (!isObject(v) || native.webScriptPending("URLSearchParams")) return false;
    const C = native.loadWebScript("URLSearchParams");
    if (typeof C !== "function") return false;
    try {
      apply(C.prototype.toString, v, []);
      return true;
    } catch {
      return false;
    }
  };

  // ---- bodies ----
  // A body: { bytes, stream, asset, disturbed }. `bytes` (a Uint8Array nothing writes to) until
  // a program takes `body`, then `stream`; `asset` for a bundled file, read when first needed.
  const newBody = (bytes, stream) => ({ bytes, stream, asset: undefined, disturbed: false });
  const bodyBytesNow = (body) => {
    if (body.asset !== undefined) {
      body.bytes = assetBytes(body.asset);
      body.asset = undefined;
    }
    return body.bytes;
  };
  // the stream of a body: made from its bytes the first time it is asked for; reading from it
  // (or cancelling it) disturbs the body
  const bodyStream = (body) => {
    if (body.stream !== null) return body.stream;
    const C = streams();
    const bytes = bodyBytesNow(body);
    let done = false;
    body.stream = new C({
      pull(controller) {
        body.disturbed = true;
        if (!done && u8Length(bytes) > 0) controller.enqueue(u8Slice(bytes));
        done = true;
        controller.close();
      },
      cancel() {
        body.disturbed = true;
      },
    }, { highWaterMark: 0 });
    body.bytes = null;
    return body.stream;
  };
  const isUnusable = (body) => body !== null && (body.disturbed || (body.stream !== null && rsLocked(body.stream)));
  // every chunk of a stream, read to its end, as one Uint8Array
  function readAll(stream) {
    const reader = rsGetReader(stream);
    const read = getPrototypeOf(reader).read;
    const chunks = [];
    let size = 0;
    const step = () =>
      promiseThen(apply(read, reader, []), (result) => {
        if (result.done) {
          const out = new U8(size);
          let at = 0;
          for (let i = 0; i < chunks.length; i++) {
            u8Set(out, chunks[i], at);
            at += u8Length(chunks[i]);
          }
          return out;
        }
        const chunk = result.value;
        if (!(chunk instanceof U8)) {
          apply(getPrototypeOf(reader).cancel, reader, [new TypeErrorCtor("a body chunk is not a Uint8Array")]);
          throw new TypeErrorCtor("Received non-Uint8Array chunk");
        }
        chunks[chunks.length] = u8Slice(chunk);
        size += u8Length(chunk);
        return step();
      });
    return step();
  }
  // the body's bytes, once: a promise; a TypeError if it was read (or is being read) already
  function consume(body) {
    if (body === null) return promiseResolve(new U8(0));
    if (isUnusable(body)) return promiseReject(new TypeErrorCtor("Body is unusable: Body has already been read"));
    body.disturbed = true;
    if (body.stream === null) return promiseResolve(bodyBytesNow(body));
    return readAll(body.stream);
  }

  // "extract a body": the body and the Content-Type it implies (null for none)
  function extractBody(object) {
    if (typeof object === "string") return { body: newBody(utf8Encode(object), null), type: "text/plain;charset=UTF-8" };
    if (isObject(object)) {
      const B = native.blobs;
      if (B !== undefined && B.isBlob(object)) {
        const t = B.typeOf(object);
        return { body: newBody(B.bytesOf(object), null), type: t === "" ? null : t };
      }
      if (isView(object) || isArrayBufferObject(object)) return { body: newBody(blobs().copyOfBufferSource(object), null), type: null };
      const F = native.formData;
      if (F !== undefined && F.isFormData(object)) {
        const { bytes, boundary } = F.encodeMultipart(object);
        return { body: newBody(bytes, null), type: `multipart/form-data; boundary=${boundary}` };
      }
      if (isURLSearchParams(object))
        return { body: newBody(utf8Encode(toUSVString(object)), null), type: "application/x-www-form-urlencoded;charset=UTF-8" };
      if (isReadableStream(object)) {
        if (rsLocked(object)) throw new TypeErrorCtor("Response body object should not be disturbed or locked");
        return { body: newBody(null, object), type: null, stream: true };
      }
    }
    return { body: newBody(utf8Encode(toUSVString(object)), null), type: "text/plain;charset=UTF-8" };
  }
  const arrayBufferLength = bindCall(getOwnPropertyDescriptor(ArrayBuffer.prototype, "byteLength").get);
  const isArrayBufferObject = (v) => {
    try {
      arrayBufferLength(v);
      return true;
    } catch {
      return false;
    }
  };
  // a clone of a body: the same bytes, or the two branches of its stream (the first stays)
  function cloneBody(body) {
    if (body === null) return null;
    const copy = newBody(body.bytes, null);
    copy.asset = body.asset;
    if (body.stream !== null) {
      const branches = rsTee(body.stream);
      body.stream = branches[0];
      copy.stream = branches[1];
    }
    return copy;
  }

  // the essence and parameters of a MIME type (https://mimesniff.spec.whatwg.org/#parse-a-mime-type)
  function parseMimeType(s) {
    const trimmed = trimHttp(s);
    const slash = stringIndexOf(trimmed, "/");
    if (slash <= 0) return null;
    let semi = stringIndexOf(trimmed, ";");
    if (semi < 0) semi = trimmed.length;
    const essence = lowerAscii(trimHttp(stringSlice(trimmed, 0, semi)));
    const cut = stringIndexOf(essence, "/");
    if (!regexpTest(TOKEN, stringSlice(essence, 0, cut)) || !regexpTest(TOKEN, stringSlice(essence, cut + 1))) return null;
    const params = { __proto__: null };
    const names = [];
    let at = semi + 1;
    while (at < trimmed.length) {
      while (at < trimmed.length && isHttpSpace(charCodeAt(trimmed, at))) at++;
      let end = at;
      while (end < trimmed.length && trimmed[end] !== ";" && trimmed[end] !== "=") end++;
      const name = lowerAscii(stringSlice(trimmed, at, end));
      at = end;
      if (at >= trimmed.length) break;
      if (trimmed[at] === ";") {
        at++;
        continue;
      }
      at++; // "="
      let value = "";
      if (trimmed[at] === '"') {
        at++;
        while (at < trimmed.length && trimmed[at] !== '"') {
          if (trimmed[at] === "\\" && at + 1 < trimmed.length) at++;
          value += trimmed[at++];
        }
        while (at < trimmed.length && trimmed[at] !== ";") at++;
      } else {
        let e = at;
        while (e < trimmed.length && trimmed[e] !== ";") e++;
        value = trimHttp(stringSlice(trimmed, at, e));
        at = e;
      }
      at++;
      if (name !== "" && regexpTest(TOKEN, name) && !(name in params) && regexpTest(QUOTED_STRING_TOKENS, value)) {
        params[name] = value;
        names[names.length] = name;
      }
    }
    return { essence, params, names };
  }
  // "extract a MIME type" from the Content-Type values (split on commas outside quotes): the
  // last that parses, */* skipped
  function extractMimeType(headers) {
    const type = H.get(headers, "content-type");
    if (type === null) return null;
    let mime = null;
    let start = 0;
    let quoted = false;
    for (let i = 0; i <= type.length; i++) {
      if (i < type.length && type[i] === '"') quoted = !quoted;
      else if (i < type.length && type[i] === "\\" && quoted) i++;
      else if (i === type.length || (type[i] === "," && !quoted)) {
        const m = parseMimeType(stringSlice(type, start, i));
        if (m !== null && m.essence !== "*/*") mime = m;
        start = i + 1;
      }
    }
    return mime;
  }
  // https://mimesniff.spec.whatwg.org/#serialize-a-mime-type
  function serializeMimeType(mime) {
    let out = mime.essence;
    for (let i = 0; i < mime.names.length; i++) {
      const value = mime.params[mime.names[i]];
      let v = value;
      if (value === "" || !regexpTest(TOKEN, value)) {
        v = '"';
        for (let k = 0; k < value.length; k++) v += value[k] === '"' || value[k] === "\\" ? `\\${value[k]}` : value[k];
        v += '"';
      }
      out += `;${mime.names[i]}=${v}`;
    }
    return out;
  }
  const QUOTED_STRING_TOKENS = /^[\t\x20-\x7e\x80-\xff]*$/;
  const isHttpSpace = (c) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
  const trimHttp = (s) => {
    let a = 0;
    let b = s.length;
    while (a < b && isHttpSpace(charCodeAt(s, a))) a++;
    while (b > a && isHttpSpace(charCodeAt(s, b - 1))) b--;
    return stringSlice(s, a, b);
  };

  // The body mixin's readers, shared by Request and Response: each takes the body and headers.
  const readers = {
    arrayBuffer: (body) => promiseThen(consume(body), (bytes) => u8Buffer(u8Slice(bytes))),
    bytes: (body) => promiseThen(consume(body), (bytes) => u8Slice(bytes)),
    text: (body) => promiseThen(consume(body), (bytes) => blobs().decodeUtf8(bytes)),
    json: (body) => promiseThen(consume(body), (bytes) => jsonParse(blobs().decodeUtf8(bytes))),
    blob: (body, headers) =>
      promiseThen(consume(body), (bytes) => {
        const mime = extractMimeType(headers);
        return blobs().makeBlob(bytes, mime === null ? "" : blobs().normalizeType(serializeMimeType(mime)));
      }),
    formData: (body, headers) =>
      promiseThen(consume(body), (bytes) => {
        const mime = extractMimeType(headers);
        const F = forms();
        if (mime !== null && mime.essence === "multipart/form-data") {
          const boundary = mime.params.boundary;
          const entries = boundary === undefined ? null : F.parseMultipart(bytes, boundary);
          if (entries === null) throw new TypeErrorCtor("Failed to parse body as FormData.");
          return F.fromEntries(entries);
        }
        if (mime !== null && mime.essence === "application/x-www-form-urlencoded") return F.fromEntries(F.parseUrlencoded(bytes));
        const type = H.get(headers, "content-type");
        throw new TypeErrorCtor(`Could not parse content as FormData: the Content-Type is ${type === null ? "missing" : `"${type}"`}`);
      }),
  };

  // WebIDL conversions of the init dictionaries' members
  const toByteString = (v, what) => {
    const s = typeof v === "string" ? v : `${v}`;
    for (let i = 0; i < s.length; i++)
      if (charCodeAt(s, i) > 0xff) throw new TypeErrorCtor(`${what}: Cannot convert argument to a ByteString because the character at index ${i} has a value of ${charCodeAt(s, i)} which is greater than 255.`);
    return s;
  };
  const toUnsignedShort = (v) => {
    const x = NumberCtor(v);
    if (x !== x || x === Infinity || x === -Infinity) return 0;
    const t = x < 0 ? -mathFloor(-x) : mathFloor(x);
    const m = t % 65536;
    return m < 0 ? m + 65536 : m === 0 ? 0 : m;
  };
  const toEnum = (v, values, type, what) => {
    const s = typeof v === "string" ? v : `${v}`;
    for (let i = 0; i < values.length; i++) if (values[i] === s) return s;
    throw new TypeErrorCtor(`${what}: The provided value '${s}' is not a valid enum value of type ${type}.`);
  };
  const dictionary = (v, type, what) => {
    if (v === undefined || v === null) return null;
    if (!isObject(v)) throw new TypeErrorCtor(`${what}: The provided value is not of type '${type}'.`);
    return v;
  };

  let URLCtor = null;
  // a URL parsed with no base (a sandbox has no document): null where the parser fails
  const parseURL = (s) => {
    URLCtor ??= native.loadWebScript("URL");
    try {
      return new URLCtor(s);
    } catch {
      return null;
    }
  };
  const withoutFragment = (href) => {
    const hash = stringIndexOf(href, "#");
    return hash < 0 ? href : stringSlice(href, 0, hash);
  };

  // ---- Response ----
  const NULL_BODY_STATUS = (s) => s === 101 || s === 103 || s === 204 || s === 205 || s === 304;
  const REDIRECT_STATUS = (s) => s === 301 || s === 302 || s === 303 || s === 307 || s === 308;
  const REASON_PHRASE = /^[\t\x20-\x7e\x80-\xff]*$/;
  let responseState;
  let makeResponse;

  // "initialize a response": status, statusText, headers, and the body with its Content-Type
  function initResponse(r, init, body, what) {
    const o = dictionary(init, "ResponseInit", what);
    const rawHeaders = o === null ? undefined : o.headers;
    let status = 200;
    let statusText = "";
    if (o !== null) {
      if (o.status !== undefined) status = toUnsignedShort(o.status);
      if (o.statusText !== undefined) statusText = toByteString(o.statusText, what);
    }
    if (status < 200 || status > 599) throw new RangeErrorCtor(`${what}: The status provided (${status}) is outside the range [200, 599].`);
    if (!regexpTest(REASON_PHRASE, statusText)) throw new TypeErrorCtor(`${what}: Invalid statusText`);
    r.status = status;
    r.statusText = statusText;
    if (rawHeaders !== undefined) H.fill(r.headers, rawHeaders, what);
    if (body !== null) {
      if (NULL_BODY_STATUS(status)) throw new TypeErrorCtor(`${what}: Response with null body status cannot have body`);
      r.body = body.body;
      if (body.type !== null && H.get(r.headers, "content-type") === null) H.appendChecked(r.headers, "content-type", body.type);
    }
  }

  class Response {
    #r; // { type, url, status, statusText, headers, body }
    constructor(body = null, init = undefined) {
      const what = "Failed to construct 'Response'";
      this.#r = { type: "default", url: "", status: 200, statusText: "", headers: new HeadersCtor(), body: null, redirected: false };
      const extracted = body === null || body === undefined ? null : extractBody(body);
      initResponse(this.#r, init, extracted, what);
    }
    get type() {
      return this.#r.type;
    }
    get url() {
      return this.#r.url;
    }
    get redirected() {
      return this.#r.redirected;
    }
    get status() {
      return this.#r.status;
    }
    get ok() {
      return this.#r.status >= 200 && this.#r.status <= 299;
    }
    get statusText() {
      return this.#r.statusText;
    }
    get headers() {
      return this.#r.headers;
    }
    get body() {
      const body = this.#r.body;
      return body === null ? null : bodyStream(body);
    }
    get bodyUsed() {
      const body = this.#r.body;
      return body !== null && body.disturbed;
    }
    clone() {
      const r = this.#r;
      if (isUnusable(r.body)) throw new TypeErrorCtor("Response.clone: Body has already been consumed.");
      const headers = H.copy(r.headers);
      H.setGuard(headers, H.guardOf(r.headers));
      return makeResponse({ ...r, headers, body: cloneBody(r.body) });
    }
    arrayBuffer() {
      return readers.arrayBuffer(this.#r.body);
    }
    blob() {
      return readers.blob(this.#r.body, this.#r.headers);
    }
    bytes() {
      return readers.bytes(this.#r.body);
    }
    formData() {
      return readers.formData(this.#r.body, this.#r.headers);
    }
    json() {
      return readers.json(this.#r.body);
    }
    text() {
      return readers.text(this.#r.body);
    }
    static error() {
      const headers = new HeadersCtor();
      H.setGuard(headers, "immutable");
      return makeResponse({ type: "error", url: "", status: 0, statusText: "", headers, body: null, redirected: false });
    }
    static redirect(url, status = 302) {
      const what = "Failed to execute 'redirect' on 'Response'";
      if (arguments.length < 1) throw new TypeErrorCtor(`${what}: 1 argument required, but only 0 present.`);
      const s = toUSVString(url);
      const parsed = parseURL(s);
      if (parsed === null) throw new TypeErrorCtor(`${what}: Failed to parse URL from ${s}`);
      const code = toUnsignedShort(status);
      if (!REDIRECT_STATUS(code)) throw new RangeErrorCtor(`${what}: Invalid status code ${code}`);
      const headers = new HeadersCtor();
      H.appendChecked(headers, "location", parsed.href);
      H.setGuard(headers, "immutable");
      return makeResponse({ type: "default", url: "", status: code, statusText: "", headers, body: null, redirected: false });
    }
    static json(data, init = undefined) {
      const what = "Failed to execute 'json' on 'Response'";
      if (arguments.length < 1) throw new TypeErrorCtor(`${what}: 1 argument required, but only 0 present.`);
      const text = jsonStringify(data);
      if (text === undefined) throw new TypeErrorCtor(`${what}: Value is not JSON serializable`);
      const r = { type: "default", url: "", status: 200, statusText: "", headers: new HeadersCtor(), body: null, redirected: false };
      initResponse(r, init, { body: newBody(utf8Encode(text), null), type: "application/json" }, what);
      return makeResponse(r);
    }
    static {
      responseState = (v) => (isObject(v) && #r in v ? v.#r : undefined);
      makeResponse = (r) => {
        const response = new Response();
        response.#r = r;
        return response;
      };
    }
  }

  // for WebAssembly.compileStreaming (prelude.js): a bundled file the response has not read is
  // compiled by the host from the bundle (it was compiled when the bundle was built); that
  // reads the body
  native.assetOf = (response) => {
    const r = responseState(response);
    if (r === undefined || r.body === null || r.body.asset === undefined || isUnusable(r.body)) return undefined;
    r.body.disturbed = true;
    return r.body.asset;
  };

  // ---- Request ----
  const CACHE = ["default", "no-store", "reload", "no-cache", "force-cache", "only-if-cached"];
  const CREDENTIALS = ["omit", "same-origin", "include"];
  const MODE = ["navigate", "same-origin", "no-cors", "cors"];
  const REDIRECT = ["follow", "error", "manual"];
  const REFERRER_POLICY = ["", "no-referrer", "no-referrer-when-downgrade", "same-origin", "origin", "strict-origin",
    "origin-when-cross-origin", "strict-origin-when-cross-origin", "unsafe-url"];
  const DUPLEX = ["half"];
  const PRIORITY = ["high", "low", "auto"];
  const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
  const NORMALIZED_METHODS = ["DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"];
  let AbortSignalCtor = null;
  let signalAborted;
  const abortSignals = () => {
    if (AbortSignalCtor === null) {
      const C = native.loadWebScript("AbortSignal");
      signalAborted = bindCall(getOwnPropertyDescriptor(C.prototype, "aborted").get);
      AbortSignalCtor = C;
    }
    return AbortSignalCtor;
  };
  const isAbortSignal = (v) => {
    if (!isObject(v) || native.webScriptPending("AbortSignal")) return false;
    try {
      abortSignals();
      signalAborted(v);
      return true;
    } catch {
      return false;
    }
  };
  // a signal that follows `source` (the standard's dependent signal), or one never aborted
  const followingSignal = (source) => {
    const C = abortSignals();
    if (source === null) return new (native.loadWebScript("AbortController"))().signal;
    return C.any([source]);
  };

  let requestState;
  class Request {
    #q; // { method, url, headers, body, signal, signalSource, mode, credentials, cache, redirect, referrer, referrerPolicy, integrity, keepalive }
    constructor(input, init = undefined) {
      const what = "Failed to construct 'Request'";
      if (arguments.length < 1) throw new TypeErrorCtor(`${what}: 1 argument required, but only 0 present.`);
      const from = requestState(input);
      let q;
      if (from === undefined) {
        const s = toUSVString(input);
        const parsed = parseURL(s);
        if (parsed === null) throw new TypeErrorCtor(`${what}: Failed to parse URL from ${s}`);
        if (parsed.username !== "" || parsed.password !== "")
          throw new TypeErrorCtor(`${what}: Request cannot be constructed from a URL that includes credentials: ${s}`);
        q = { method: "GET", url: parsed.href, headers: null, body: null, signalSource: null, signal: null, mode: "cors",
          credentials: "same-origin", cache: "default", redirect: "follow", referrer: "about:client", referrerPolicy: "",
          integrity: "", keepalive: false };
      } else {
        q = { ...from, headers: null, body: null, signal: null, signalSource: from.signal ?? from.signalSource };
      }
      // RequestInit's members, read in the standard's (lexicographic) order
      const o = dictionary(init, "RequestInit", what);
      const m = {};
      if (o !== null) {
        const body = o.body;
        if (body !== undefined) m.body = body;
        if (o.cache !== undefined) m.cache = toEnum(o.cache, CACHE, "RequestCache", what);
        if (o.credentials !== undefined) m.credentials = toEnum(o.credentials, CREDENTIALS, "RequestCredentials", what);
        if (o.duplex !== undefined) m.duplex = toEnum(o.duplex, DUPLEX, "RequestDuplex", what);
        if (o.headers !== undefined) m.headers = o.headers;
        if (o.integrity !== undefined) m.integrity = `${o.integrity}`;
        if (o.keepalive !== undefined) m.keepalive = !!o.keepalive;
        if (o.method !== undefined) m.method = toByteString(o.method, what);
        if (o.mode !== undefined) m.mode = toEnum(o.mode, MODE, "RequestMode", what);
        if (o.priority !== undefined) m.priority = toEnum(o.priority, PRIORITY, "RequestPriority", what);
        if (o.redirect !== undefined) m.redirect = toEnum(o.redirect, REDIRECT, "RequestRedirect", what);
        if (o.referrer !== undefined) m.referrer = toUSVString(o.referrer);
        if (o.referrerPolicy !== undefined) m.referrerPolicy = toEnum(o.referrerPolicy, REFERRER_POLICY, "ReferrerPolicy", what);
        if (o.signal !== undefined) {
          if (o.signal !== null && !isAbortSignal(o.signal)) throw new TypeErrorCtor(`${what}: member signal is not of type AbortSignal.`);
          m.signal = o.signal;
        }
        if (o.window !== undefined) m.window = o.window;
      }
      if (m.window !== undefined && m.window !== null) throw new TypeErrorCtor(`${what}: RequestInit: Expected window to be null`);
      if (ownKeys(m).length > 0) {
        if (q.mode === "navigate") q.mode = "same-origin";
        q.referrer = "about:client";
        q.referrerPolicy = "";
      }
      if (m.referrer !== undefined) {
        if (m.referrer === "") q.referrer = "";
        else {
          const parsed = parseURL(m.referrer);
          if (parsed === null) throw new TypeErrorCtor(`${what}: Referrer "${m.referrer}" is not a valid URL.`);
          q.referrer = parsed.href;
        }
      }
      if (m.referrerPolicy !== undefined) q.referrerPolicy = m.referrerPolicy;
      if (m.mode === "navigate") throw new TypeErrorCtor(`${what}: Cannot construct a Request with a RequestInit whose mode member is set as 'navigate'.`);
      if (m.mode !== undefined) q.mode = m.mode;
      if (m.credentials !== undefined) q.credentials = m.credentials;
      if (m.cache !== undefined) q.cache = m.cache;
      if (q.cache === "only-if-cached" && q.mode !== "same-origin")
        throw new TypeErrorCtor(`${what}: 'only-if-cached' can be set only with 'same-origin' mode`);
      if (m.redirect !== undefined) q.redirect = m.redirect;
      if (m.integrity !== undefined) q.integrity = m.integrity;
      if (m.keepalive !== undefined) q.keepalive = m.keepalive;
      if (m.method !== undefined) {
        const method = m.method;
        if (!regexpTest(TOKEN, method)) throw new TypeErrorCtor(`${what}: '${method}' is not a valid HTTP method.`);
        const upper = upperAscii(method);
        if (upper === "CONNECT" || upper === "TRACE" || upper === "TRACK") throw new TypeErrorCtor(`${what}: '${method}' HTTP method is unsupported.`);
        let normalized = method;
        for (let i = 0; i < NORMALIZED_METHODS.length; i++) if (NORMALIZED_METHODS[i] === upper) normalized = upper;
        q.method = normalized;
      }
      if (m.signal !== undefined) q.signalSource = m.signal;
      q.headers = new HeadersCtor();
      if (m.headers !== undefined) H.fill(q.headers, m.headers, what);
      else if (from !== undefined) {
        const copy = H.listOf(from.headers);
        for (let i = 0; i < copy.length; i++) H.appendChecked(q.headers, copy[i][0], copy[i][1]);
      }
      if (q.mode === "no-cors" && q.method !== "GET" && q.method !== "HEAD" && q.method !== "POST")
        throw new TypeErrorCtor(`${what}: '${q.method}' is unsupported in no-cors mode.`);
      const inputBody = from === undefined ? null : from.body;
      const hasInitBody = m.body !== undefined && m.body !== null;
      if ((hasInitBody || inputBody !== null) && (q.method === "GET" || q.method === "HEAD"))
        throw new TypeErrorCtor(`${what}: Request with GET/HEAD method cannot have body.`);
      let initBody = null;
      if (hasInitBody) {
        const extracted = extractBody(m.body);
        initBody = extracted.body;
        if (extracted.type !== null && H.get(q.headers, "content-type") === null) H.appendChecked(q.headers, "content-type", extracted.type);
      }
      const body = initBody ?? inputBody;
      if (body !== null && body.bytes === null && body.asset === undefined && body.stream !== null && initBody !== null) {
        if (m.duplex === undefined) throw new TypeErrorCtor(`${what}: RequestInit: duplex option is required when sending a body.`);
        if (q.mode !== "same-origin" && q.mode !== "cors") throw new TypeErrorCtor(`${what}: a stream body needs mode 'same-origin' or 'cors'`);
      }
      if (initBody === null && inputBody !== null) {
        // the input's body moves to this request: the input is disturbed from now on
        if (isUnusable(inputBody)) throw new TypeErrorCtor(`${what}: Cannot construct a Request with a Request object that has already been used.`);
        q.body = { ...inputBody };
        inputBody.disturbed = true;
      } else q.body = initBody;
      this.#q = q;
    }
    get method() {
      return this.#q.method;
    }
    get url() {
      return this.#q.url;
    }
    get headers() {
      return this.#q.headers;
    }
    get destination() {
      void this.#q; // a brand check
      return "";
    }
    get referrer() {
      return this.#q.referrer;
    }
    get referrerPolicy() {
      return this.#q.referrerPolicy;
    }
    get mode() {
      return this.#q.mode;
    }
    get credentials() {
      return this.#q.credentials;
    }
    get cache() {
      return this.#q.cache;
    }
    get redirect() {
      return this.#q.redirect;
    }
    get integrity() {
      return this.#q.integrity;
    }
    get keepalive() {
      return this.#q.keepalive;
    }
    get isReloadNavigation() {
      void this.#q; // a brand check
      return false;
    }
    get isHistoryNavigation() {
      void this.#q; // a brand check
      return false;
    }
    get signal() {
      const q = this.#q;
      // made when first asked for: until then nothing can observe it
      if (q.signal === null) q.signal = followingSignal(q.signalSource);
      return q.signal;
    }
    get duplex() {
      void this.#q; // a brand check
      return "half";
    }
    get body() {
      const body = this.#q.body;
      return body === null ? null : bodyStream(body);
    }
    get bodyUsed() {
      const body = this.#q.body;
      return body !== null && body.disturbed;
    }
    clone() {
      const q = this.#q;
      if (isUnusable(q.body)) throw new TypeErrorCtor("Request.clone: Body has already been consumed.");
      const copy = { ...q, headers: H.copy(q.headers), body: cloneBody(q.body), signal: null, signalSource: q.signal ?? q.signalSource };
      const r = new Request(q.url);
      r.#q = copy;
      return r;
    }
    arrayBuffer() {
      return readers.arrayBuffer(this.#q.body);
    }
    blob() {
      return readers.blob(this.#q.body, this.#q.headers);
    }
    bytes() {
      return readers.bytes(this.#q.body);
    }
    formData() {
      return readers.formData(this.#q.body, this.#q.headers);
    }
    json() {
      return readers.json(this.#q.body);
    }
    text() {
      return readers.text(this.#q.body);
    }
    static {
      requestState = (v) => (isObject(v) && #q in v ? v.#q : undefined);
    }
  }
  const upperAscii = (s) => {
    let out = "";
    for (let i = 0; i < s.length; i++) {
      const c = charCodeAt(s, i);
      out += c >= 0x61 && c <= 0x7a ? fromCharCode(c - 32) : s[i];
    }
    return out;
  };

  // WebIDL: attributes and operations are enumerable, the classes tagged
  for (const C of [Request, Response]) {
    for (const target of [C.prototype, C]) {
      const keys = ownKeys(target);
      for (let i = 0; i < keys.length; i++) {
        const d = getOwnPropertyDescriptor(target, keys[i]);
        if (keys[i] !== "constructor" && keys[i] !== "prototype" && keys[i] !== "length" && keys[i] !== "name" && d.configurable)
          defineProperty(target, keys[i], { enumerable: true });
      }
    }
    defineProperty(C.prototype, TO_STRING_TAG, { value: C.name, configurable: true });
  }

  const SCHEME = /^[a-z][a-z0-9+.-]*:/i;
  function fetch(input, init = undefined) {
    try {
      // a URL string with no base keeps the message that says how to name a bundled file
      if (requestState(input) === undefined && typeof input !== "object") {
        const s = toUSVString(input);
        if (!regexpTest(SCHEME, s))
          throw new TypeErrorCtor(`fetch failed: a relative URL (${s}) has no base here: name the file with new URL("./file", import.meta.url)`);
      }
      const request = new Request(input, init);
      const q = requestState(request);
      if (q.signalSource !== null && signalAborted(q.signalSource)) return promiseReject(q.signalSource.reason);
      const url = q.url;
      if (stringSlice(url, 0, 8) !== "file:///")
        throw new TypeErrorCtor(`fetch failed: network access is not available in the EdgeBox sandbox (${url})`);
      const withoutQuery = stringSlice(url, 8, findQuery(url));
      const id = decodeURI(withoutQuery);
      if (!assetExists(id))
        throw new TypeErrorCtor(`fetch failed: ${url} is not in the bundle (it holds the files its modules name with new URL("./file", import.meta.url))`);
      const dot = lastIndexOf(id, ".");
      const ext = dot < 0 ? "" : stringSlice(id, dot + 1);
      const headers = new HeadersCtor();
      H.appendChecked(headers, "content-type", TYPES[ext] ?? "application/octet-stream");
      H.setGuard(headers, "immutable");
      const body = newBody(null, null);
      body.asset = id;
      return promiseResolve(makeResponse({ type: "basic", url: withoutFragment(url), status: 200, statusText: "OK", headers, body, redirected: false }));
    } catch (e) {
      return promiseReject(e);
    }
  }
  const findQuery = (url) => {
    for (let i = 8; i < url.length; i++) if (url[i] === "?" || url[i] === "#") return i;
    return url.length;
  };

  define("Request", Request);
  define("Response", Response);
  define("fetch", fetch);
});
