// What the fetch scripts reach outside JS, set up at start-up, before any user code runs.
// fetch.js, headers.js, blob.js and formdata.js are evaluated on first use, after a program may
// have replaced built-ins; so they get the host only through the two functions made here, which
// take a file id and nothing else (their JSON is built with the intrinsics of start-up, so a
// patched JSON.stringify cannot turn a read of a file into another request to the host), and
// they reach each other's classes through native.webGlobal, which runs a script through the
// accessor the engine installed for its global (glue.c), even when the program has put its own
// value on the global since.
// Evaluated at start-up (not in LAZY_WEB_JS), last of the web scripts: the accessors it takes
// are installed by then.
(function (native) {
  "use strict";
  const hostRequest = native.hostRequest;
  const jsonStringify = JSON.stringify;
  const jsonParse = JSON.parse;
  const fromBase64 = Uint8Array.fromBase64;
  const apply = Reflect.apply;
  const getOwnPropertyDescriptor = Reflect.getOwnPropertyDescriptor;
  const StringCtor = String;
  const ObjectCreate = Object.create;

  const ask = (request) => jsonParse(hostRequest(jsonStringify(request)));
  // true when the bundle carries the file `id` (a path inside the bundle)
  native.assetExists = (id) => ask({ op: "asset_exists", id: StringCtor(id) }).exists === true;
  // the file's bytes, a new Uint8Array
  native.assetBytes = (id) => apply(fromBase64, Uint8Array, [StringCtor(ask({ op: "asset", id: StringCtor(id) }).base64)]);

  const getters = ObjectCreate(null);
  for (const name of ["Blob", "File", "FormData", "Headers", "Request", "Response", "ReadableStream",
    "AbortController", "AbortSignal", "URL", "URLSearchParams"]) {
    const d = getOwnPropertyDescriptor(globalThis, name);
    if (d !== undefined && d.get !== undefined) getters[name] = d.get;
  }
  // Runs the script that defines `name` if it has not run (a no-op for one that has). The
  // scripts written for this (blob.js, formdata.js, headers.js, fetch.js) leave their classes
  // and internals on `native` as well, so what they get is theirs whatever the global holds.
  // Returns what the global holds then (the class the script defined, or the program's value).
  native.loadWebScript = (name) => {
    const get = getters[name];
    return get === undefined ? undefined : apply(get, globalThis, []);
  };
  // true while the script that defines `name` has not run and the program has not replaced the
  // global: no object of its classes can exist yet (so there is nothing to check a value against)
  native.webScriptPending = (name) => {
    const get = getters[name];
    return get !== undefined && getOwnPropertyDescriptor(globalThis, name)?.get === get;
  };
});
