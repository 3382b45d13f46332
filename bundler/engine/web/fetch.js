// fetch, Response and Headers, as far as the sandbox goes: there is no network, so fetch()
// reads only the files the bundle carries, the ones a module names with
// `new URL("./file", import.meta.url)` (wasm-pack's --target web and Emscripten's output fetch
// their .wasm that way), and rejects any other URL with a TypeError that says why.
// Minimal on purpose: bodies are bytes, strings or nothing (no streams, Blob or FormData yet).
(function (native, define) {
  "use strict";
  const hostRequest = native.hostRequest;
  const utf8Encode = native.utf8Encode;
  const utf8Decode = native.utf8Decode;
  const U8 = Uint8Array;
  const MapCtor = Map;
  const JSONparse = JSON.parse;
  const isView = ArrayBuffer.isView;
  const apply = Reflect.apply;
  const arrayBufferLength = Object.getOwnPropertyDescriptor(ArrayBuffer.prototype, "byteLength").get;
  const PromiseCtor = Promise;
  const decodeURI = decodeURIComponent;

  const TYPES = { wasm: "application/wasm", js: "text/javascript", mjs: "text/javascript", json: "application/json",
    txt: "text/plain", html: "text/html", css: "text/css", svg: "image/svg+xml", png: "image/png" };

  class Headers {
    #map = new MapCtor(); // lower-case name → value
    constructor(init = undefined) {
      if (init === undefined || init === null) return;
      const pairs = typeof init[Symbol.iterator] === "function" ? Array.from(init, (p) => Array.from(p)) : Object.entries(init);
      for (const [name, value] of pairs) this.append(name, value);
    }
    append(name, value) {
      const key = `${name}`.toLowerCase();
      const v = `${value}`.trim();
      this.#map.set(key, this.#map.has(key) ? `${this.#map.get(key)}, ${v}` : v);
    }
    set(name, value) { this.#map.set(`${name}`.toLowerCase(), `${value}`.trim()); }
    get(name) { const v = this.#map.get(`${name}`.toLowerCase()); return v === undefined ? null : v; }
    has(name) { return this.#map.has(`${name}`.toLowerCase()); }
    delete(name) { this.#map.delete(`${name}`.toLowerCase()); }
    forEach(fn, thisArg = undefined) { for (const [k, v] of this) apply(fn, thisArg, [v, k, this]); }
    *entries() { yield* [...this.#map.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)); }
    *keys() { for (const [k] of this.entries()) yield k; }
    *values() { for (const [, v] of this.entries()) yield v; }
    [Symbol.iterator]() { return this.entries(); }
  }

  function bodyBytes(body) {
    if (body === undefined || body === null) return null;
    if (typeof body === "string") return utf8Encode(body);
    if (isView(body)) return new U8(body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength));
    try {
      apply(arrayBufferLength, body, []);
      return new U8(body.slice(0));
    } catch {
      return utf8Encode(`${body}`);
    }
  }

  const ASSET = Symbol("a bundled file");
  class Response {
    #bytes; #asset; #used = false; #status; #statusText; #headers; #url = "";
    constructor(body = null, init = undefined) {
      if (body === ASSET) { // fetch() of a file the bundle carries: read when the body is
        this.#asset = init.id;
        this.#url = init.url;
        this.#status = 200;
        this.#statusText = "OK";
        const ext = init.id.slice(init.id.lastIndexOf(".") + 1);
        this.#headers = new Headers({ "content-type": TYPES[ext] ?? "application/octet-stream" });
        return;
      }
      const options = init ?? {};
      this.#bytes = bodyBytes(body);
      this.#status = options.status === undefined ? 200 : Number(options.status);
      if (!(this.#status >= 200 && this.#status <= 599)) throw new RangeError(`Response(): status ${options.status} is outside 200..599`);
      this.#statusText = options.statusText === undefined ? "" : `${options.statusText}`;
      this.#headers = options.headers instanceof Headers ? options.headers : new Headers(options.headers);
      if (typeof body === "string" && !this.#headers.has("content-type")) this.#headers.set("content-type", "text/plain;charset=UTF-8");
    }
    get ok() { return this.#status >= 200 && this.#status <= 299; }
    get status() { return this.#status; }
    get statusText() { return this.#statusText; }
    get headers() { return this.#headers; }
    get url() { return this.#url; }
    get type() { return this.#asset === undefined ? "default" : "basic"; }
    get redirected() { return false; }
    get bodyUsed() { return this.#used; }
    #consume() {
      if (this.#used) return PromiseCtor.reject(new TypeError("Body is unusable: Body has already been read"));
      this.#used = true;
      if (this.#asset !== undefined) {
        const answer = JSONparse(hostRequest(JSON.stringify({ op: "asset", id: this.#asset })));
        const text = atob(answer.base64);
        const bytes = new U8(text.length);
        for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
        return PromiseCtor.resolve(bytes);
      }
      return PromiseCtor.resolve(this.#bytes ?? new U8(0));
    }
    arrayBuffer() { return this.#consume().then((b) => b.buffer); }
    bytes() { return this.#consume(); }
    text() { return this.#consume().then((b) => utf8Decode(b, false, false, null)[0]); }
    json() { return this.text().then((t) => JSONparse(t)); }
    clone() {
      if (this.#used) throw new TypeError("Response.clone: Body has already been consumed.");
      if (this.#asset !== undefined) return new Response(ASSET, { id: this.#asset, url: this.#url });
      return new Response(this.#bytes, { status: this.#status, statusText: this.#statusText, headers: new Headers(this.#headers) });
    }
    static assetOf(r) { return r !== null && typeof r === "object" && #asset in r && !r.#used ? r.#asset : undefined; }
    static json(data, init = undefined) {
      return new Response(JSON.stringify(data), { ...init, headers: { "content-type": "application/json", ...(init?.headers ?? {}) } });
    }
  }
  // for WebAssembly.compileStreaming: a bundled .wasm is compiled by the host from the bundle
  native.assetOf = Response.assetOf;
  delete Response.assetOf;
  for (const C of [Headers, Response])
    Object.defineProperty(C.prototype, Symbol.toStringTag, { value: C.name, configurable: true });

  function fetch(input, init = undefined) {
    const url = typeof input === "object" && input !== null && "url" in input && !("href" in input) ? `${input.url}` : `${input}`;
    if (!url.startsWith("file:///")) {
      const why = /^[a-z][a-z0-9+.-]*:/i.test(url)
        ? `network access is not available in the EdgeBox sandbox (${url})`
        : `a relative URL (${url}) has no base here: name the file with new URL("./file", import.meta.url)`;
      return PromiseCtor.reject(new TypeError(`fetch failed: ${why}`));
    }
    const id = decodeURI(url.slice(8).split(/[?#]/)[0]);
    const known = JSONparse(hostRequest(JSON.stringify({ op: "asset_exists", id })));
    if (!known.exists)
      return PromiseCtor.reject(new TypeError(
        `fetch failed: ${url} is not in the bundle (it holds the files its modules name with new URL("./file", import.meta.url))`));
    return PromiseCtor.resolve(new Response(ASSET, { id, url }));
  }

  define("Headers", Headers);
  define("Response", Response);
  define("fetch", fetch);
})
