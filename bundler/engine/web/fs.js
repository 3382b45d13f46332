// Files and standard input, the way scripts written for Node (and Deno's node: modules) reach
// them: `node:fs` (readFileSync, writeFileSync, existsSync, readdirSync, statSync, ...),
// `node:fs/promises` (readFile, writeFile, readdir, stat, access, ...), `node:process`, and
// `process.stdin` as an async iterable of byte chunks. Over web/fs.c, through WASI: a path is
// reachable only inside a directory edgebox-exec grants with --allow-read (or --allow-write to
// write), and any other is refused with an error that names the flag. The engine builds the
// three modules from `native.nodeModules` (glue.c), by their names with or without "node:".
//
// What Node returns as a Buffer is a Uint8Array here (EdgeBox has no Buffer), as Deno's
// Deno.readFile returns: pass an encoding ("utf8") to get a string. Calls block until the host
// answers; the promise API still returns promises, settled in order.
(function (native) {
  "use strict";
  const readNative = native.fsReadFile;
  const writeNative = native.fsWriteFile;
  const readdirNative = native.fsReaddir;
  const statNative = native.fsStat;
  const stdinRead = native.stdinRead;
  const utf8Encode = native.utf8Encode;
  const utf8Decode = native.utf8Decode;
  const ErrorCtor = Error;
  const TypeErrorCtor = TypeError;
  const DateCtor = Date;
  const U8 = Uint8Array;
  const PromiseCtor = Promise;
  const promiseResolve = Promise.resolve.bind(Promise);
  const promiseReject = Promise.reject.bind(Promise);
  const isView = ArrayBuffer.isView;
  const apply = Reflect.apply;
  const freeze = Object.freeze;
  const fromCharCode = String.fromCharCode;
  const btoa = globalThis.btoa;
  const atob = globalThis.atob;
  const sortArray = Array.prototype.sort;
  const decodeURIComponentFn = decodeURIComponent;
  const URLCtor = () => globalThis.URL; // web/url.js is lazy: only a URL argument needs it
  const process = globalThis.process;
  const defineProperty = Object.defineProperty;

  // Node's errno numbers and libuv's messages (Linux), for the names fs.c reports.
  const ERRNO = {
    ENOENT: [-2, "no such file or directory"], EACCES: [-13, "permission denied"],
    EPERM: [-1, "operation not permitted"], EISDIR: [-21, "illegal operation on a directory"],
    ENOTDIR: [-20, "not a directory"], EEXIST: [-17, "file already exists"],
    ENOTEMPTY: [-39, "directory not empty"], ENAMETOOLONG: [-36, "name too long"],
    ELOOP: [-40, "too many symbolic links encountered"], EROFS: [-30, "read-only file system"],
    ENOSPC: [-28, "no space left on device"], EBADF: [-9, "bad file descriptor"],
    EINVAL: [-22, "invalid argument"], ENOMEM: [-12, "not enough memory"], EFBIG: [-27, "file too large"],
    EIO: [-5, "i/o error"],
  };

  // The error Node throws for `code` from `syscall` on `path`; a path outside every granted
  // directory is refused as Node's permission model refuses it (ERR_ACCESS_DENIED), saying
  // which flag grants it.
  function fsError(code, syscall, path, writing) {
    if (code === "ENOTCAPABLE") {
      const flag = writing ? "--allow-write" : "--allow-read";
      const e = new ErrorCtor(
        `${writing ? "writing" : "reading"} '${path}' needs edgebox-exec ${flag}=DIR, DIR a directory holding it ` +
          "(the sandbox reaches no other file)"
      );
      e.code = "ERR_ACCESS_DENIED";
      e.permission = writing ? "FileSystemWrite" : "FileSystemRead";
      e.resource = path;
      return e;
    }
    const [errno, text] = ERRNO[code] || ERRNO.EIO;
    const e = new ErrorCtor(`${code}: ${text}, ${syscall}${path === undefined ? "" : ` '${path}'`}`);
    e.errno = errno;
    e.code = code;
    e.syscall = syscall;
    if (path !== undefined) e.path = path;
    return e;
  }

  function invalidArg(name, what, value) {
    const e = new TypeErrorCtor(`The "${name}" argument must be ${what}. Received ${typeof value}`);
    e.code = "ERR_INVALID_ARG_TYPE";
    return e;
  }

  // "a/./b//../c" → "a/c", as the host would resolve it: wasi-libc matches a path against
  // the granted directories by its text, so "./data/x" must read as "data/x".
  function normalize(path) {
    const absolute = path.startsWith("/");
    const parts = [];
    for (const part of path.split("/")) {
      if (part === "" || part === ".") continue;
      if (part === ".." && parts.length && parts[parts.length - 1] !== "..") parts.pop();
      else if (part !== ".." || !absolute) parts.push(part);
    }
    const joined = parts.join("/");
    return absolute ? `/${joined}` : joined || ".";
  }

  // A path as Node takes one: a string, or a file: URL (its decoded pathname).
  // A NUL is refused in a string and in a URL's decoded pathname alike, as Node refuses both:
  // the native calls take C strings, which would end at it and name another file.
  function withoutNul(path, name, shown) {
    if (path.includes("\0")) {
      const e = new TypeErrorCtor(`The argument '${name}' must be a string without null bytes. Received ${JSON.stringify(shown)}`);
      e.code = "ERR_INVALID_ARG_VALUE";
      throw e;
    }
    return path;
  }

  function toPath(path, name = "path") {
    if (typeof path === "string") return withoutNul(path, name, path);
    const URL = URLCtor();
    if (URL && path instanceof URL) {
      if (path.protocol !== "file:") {
        const e = new TypeErrorCtor("The URL must be of scheme file");
        e.code = "ERR_INVALID_URL_SCHEME";
        throw e;
      }
      const pathname = path.pathname;
      // an encoded "/" is not a separator in a file: URL (Node's ERR_INVALID_FILE_URL_PATH)
      if (/%2f/i.test(pathname)) {
        const e = new TypeErrorCtor("File URL path must not include encoded / characters");
        e.code = "ERR_INVALID_FILE_URL_PATH";
        throw e;
      }
      return withoutNul(decodeURIComponentFn(pathname), name, path.href);
    }
    throw invalidArg(name, "of type string or an instance of URL", path);
  }

  function encodingOf(options) {
    const encoding = typeof options === "string" ? options : options && options.encoding;
    if (encoding === undefined || encoding === null || encoding === "buffer") return null;
    const name = String(encoding).toLowerCase();
    if (name === "utf8" || name === "utf-8" || name === "latin1" || name === "binary" || name === "base64" ||
        name === "base64url" || name === "hex" || name === "ascii") return name;
    const e = new TypeErrorCtor(`The argument 'encoding' is invalid encoding. Received '${encoding}'`);
    e.code = "ERR_INVALID_ARG_VALUE";
    throw e;
  }

  function latin1(bytes, mask) {
    let s = "";
    for (let i = 0; i < bytes.length; i += 8192) s += apply(fromCharCode, null, bytes.subarray(i, i + 8192));
    if (mask) {
      let t = "";
      for (let i = 0; i < s.length; i++) t += fromCharCode(s.charCodeAt(i) & 0x7f);
      return t;
    }
    return s;
  }

  function decode(bytes, encoding) {
    switch (encoding) {
      case null: return bytes;
      case "utf8": case "utf-8": return utf8Decode(bytes, false, false, null)[0];
      case "latin1": case "binary": return latin1(bytes, false);
      case "ascii": return latin1(bytes, true);
      case "hex": {
        let s = "";
        for (let i = 0; i < bytes.length; i++) s += (bytes[i] < 16 ? "0" : "") + bytes[i].toString(16);
        return s;
      }
      case "base64": return btoa(latin1(bytes, false));
      case "base64url": return btoa(latin1(bytes, false)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
    }
    return bytes;
  }

  function encode(data, encoding) {
    if (typeof data === "string") {
      switch (encoding) {
        case "latin1": case "binary": case "ascii": {
          const out = new U8(data.length);
          for (let i = 0; i < data.length; i++) out[i] = data.charCodeAt(i);
          return out;
        }
        case "hex": {
          const out = new U8(data.length >> 1);
          for (let i = 0; i < out.length; i++) out[i] = parseInt(data.substr(i * 2, 2), 16);
          return out;
        }
        case "base64": case "base64url": {
          const s = atob(data.replace(/-/g, "+").replace(/_/g, "/").replace(/[^A-Za-z0-9+/]/g, ""));
          return encode(s, "latin1");
        }
      }
      return utf8Encode(data);
    }
    if (isView(data)) return data;
    throw invalidArg("data", "of type string or an instance of Buffer, TypedArray, or DataView", data);
  }

  // ---- the synchronous calls (node:fs), over which the promise API is built ----

  // Standard input, whole, for readFileSync(0) and readFileSync("/dev/stdin").
  function readStdinAll() {
    const chunks = [];
    let total = 0;
    for (;;) {
      const chunk = stdinRead();
      if (chunk === null) break;
      if (typeof chunk === "string") throw fsError(chunk, "read");
      chunks.push(chunk);
      total += chunk.length;
    }
    const out = new U8(total);
    let at = 0;
    for (const c of chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }

  function readFileSync(path, options = undefined) {
    const encoding = encodingOf(options);
    let bytes;
    if (path === 0 || path === "/dev/stdin") {
      bytes = readStdinAll();
    } else {
      const p = toPath(path);
      bytes = readNative(normalize(p));
      if (typeof bytes === "string") throw fsError(bytes, bytes === "EISDIR" ? "read" : "open", bytes === "EISDIR" ? undefined : p);
    }
    return decode(bytes, encoding);
  }

  function writeSync(path, data, options, append) {
    const p = toPath(path, "file");
    const flag = options && typeof options === "object" ? options.flag : undefined;
    const r = writeNative(normalize(p), encode(data, encodingOf(options)), append || flag === "a");
    // a directory granted with --allow-read only: WASI refuses the write with EPERM
    if (r === "EPERM") throw fsError("ENOTCAPABLE", "open", p, true);
    if (typeof r === "string") throw fsError(r, "open", p, true);
  }
  const writeFileSync = (path, data, options = undefined) => writeSync(path, data, options, false);
  const appendFileSync = (path, data, options = undefined) => writeSync(path, data, options, true);

  function statOf(path, syscall) {
    const p = toPath(path);
    const s = statNative(normalize(p));
    if (typeof s === "string") throw fsError(s, syscall, p);
    return s;
  }

  class Stats {
    #kind;
    constructor(raw) {
      this.#kind = raw[0];
      this.mode = raw[5];
      this.size = raw[1];
      this.atimeMs = raw[3];
      this.mtimeMs = raw[2];
      this.ctimeMs = raw[4];
      this.birthtimeMs = raw[4];
      this.atime = new DateCtor(raw[3]);
      this.mtime = new DateCtor(raw[2]);
      this.ctime = new DateCtor(raw[4]);
      this.birthtime = new DateCtor(raw[4]);
    }
    isFile() { return this.#kind === 0; }
    isDirectory() { return this.#kind === 1; }
    isSymbolicLink() { return false; } // WASI's stat follows links
    isFIFO() { return false; }
    isSocket() { return false; }
    isBlockDevice() { return false; }
    isCharacterDevice() { return false; }
  }

  class Dirent {
    #directory;
    constructor(name, parentPath, directory) {
      this.name = name;
      this.parentPath = parentPath;
      this.path = parentPath;
      this.#directory = directory;
    }
    isFile() { return !this.#directory; }
    isDirectory() { return this.#directory; }
    isSymbolicLink() { return false; }
    isFIFO() { return false; }
    isSocket() { return false; }
    isBlockDevice() { return false; }
    isCharacterDevice() { return false; }
  }

  const statSync = (path) => new Stats(statOf(path, "stat"));

  function existsSync(path) {
    try {
      return typeof statNative(normalize(toPath(path))) !== "string";
    } catch {
      return false;
    }
  }

  function accessSync(path) {
    statOf(path, "access");
  }

  // Names sorted by code unit, as Node's (libuv sorts them); withFileTypes gives Dirents.
  function readdirSync(path, options = undefined) {
    const p = toPath(path);
    const raw = readdirNative(normalize(p));
    if (typeof raw === "string") throw fsError(raw, "scandir", p);
    const entries = [];
    for (let i = 0; i < raw.length; i += 2) entries.push([raw[i], raw[i + 1]]);
    apply(sortArray, entries, [(a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)]);
    if (options && typeof options === "object" && options.withFileTypes)
      return entries.map(([name, dir]) => new Dirent(name, p, dir));
    return entries.map(([name]) => name);
  }

  // ---- node:fs/promises: the same calls, settled as promises (rejections, not throws) ----
  const promised = (fn) =>
    function (...args) {
      try {
        return promiseResolve(apply(fn, undefined, args));
      } catch (e) {
        return promiseReject(e);
      }
    };
  const promises = freeze({
    readFile: promised(readFileSync),
    writeFile: promised(writeFileSync),
    appendFile: promised(appendFileSync),
    readdir: promised(readdirSync),
    stat: promised(statSync),
    lstat: promised(statSync),
    access: promised(accessSync),
  });

  const constants = freeze({ F_OK: 0, R_OK: 4, W_OK: 2, X_OK: 1 });
  const fs = freeze({
    readFileSync, writeFileSync, appendFileSync, existsSync, statSync, lstatSync: statSync,
    accessSync, readdirSync, promises, constants, Stats, Dirent,
  });

  // ---- process.stdin: standard input as an async iterable of chunks ----
  // Node's is a Readable stream; what scripts do with it is `for await (const chunk of
  // process.stdin)`, after `setEncoding("utf8")` for strings. A read blocks the engine until
  // the host has bytes; multi-byte characters split between chunks decode whole.
  let stdinEncoding = null;
  const stdin = {
    fd: 0,
    setEncoding(encoding = "utf8") {
      stdinEncoding = encodingOf(encoding);
      return stdin;
    },
    [Symbol.asyncIterator]() {
      let pending = null;
      let done = false;
      return {
        next() {
          if (done) return promiseResolve({ value: undefined, done: true });
          const chunk = stdinRead();
          if (typeof chunk === "string") return promiseReject(fsError(chunk, "read"));
          if (chunk === null) {
            done = true;
            if (pending && pending.length) return promiseResolve({ value: utf8Decode(undefined, false, false, pending)[0], done: false });
            return promiseResolve({ value: undefined, done: true });
          }
          if (stdinEncoding === "utf8" || stdinEncoding === "utf-8") {
            const [text, rest] = utf8Decode(chunk, false, true, pending);
            pending = rest;
            return promiseResolve({ value: text, done: false });
          }
          return promiseResolve({ value: decode(chunk, stdinEncoding), done: false });
        },
        return() {
          done = true;
          return promiseResolve({ value: undefined, done: true });
        },
        [Symbol.asyncIterator]() { return this; },
      };
    },
    [Symbol.toStringTag]: "ReadStream",
  };
  defineProperty(process, "stdin", { value: stdin, enumerable: true, configurable: true });

  // node:process is the global process: its default export, and its properties as names
  native.nodeModules = freeze({ fs, "fs/promises": promises, process });
});
