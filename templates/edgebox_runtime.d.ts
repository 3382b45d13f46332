// EdgeBox's own globals, for editors and tsc: written by `edgebox-bundle --emit-types DIR` as
// DIR/edgebox-runtime.d.ts, beside the wasm modules' .d.ts. The web platform's globals
// (console, TextEncoder, URL, fetch, crypto, performance, WebAssembly, …) are TypeScript's own:
// use "lib": ["es2022", "webworker"] in tsconfig.json, as for other edge runtimes.

/** The arguments after the bundle: `edgebox-exec app.ebx a b` gives ["a", "b"]. */
declare const scriptArgs: readonly string[];

/** What scripts use to talk to their caller (a part of Node's `process`). */
declare const process: {
  /** ["edgebox", the entry module's path in the bundle, ...scriptArgs] */
  readonly argv: readonly string[];
  /** The environment: readable only under `edgebox-exec --allow-env` (a TypeError otherwise). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The exit status when the program ends on its own. */
  exitCode: number | undefined;
  /** End the run now, with this status (or exitCode, or 0). */
  exit(code?: number): never;
  readonly platform: "wasi";
};

interface ImportMeta {
  /** `file:///` and the module's path in the bundle */
  url: string;
  filename: string;
  dirname: string;
  resolve(specifier: string): string;
}

declare namespace WebAssembly {
  /** EdgeBox's explicit memory API, beside `buffer` (docs/guide.md, "Exports of every kind"). */
  interface Memory {
    readonly byteLength: number;
    read(offset: number, length: number): Uint8Array;
    write(offset: number, bytes: ArrayLike<number> | ArrayBufferView): void;
    readString(offset: number, length?: number): string;
    writeString(offset: number, text: string): number;
    getInt8(offset: number): number;
    getUint8(offset: number): number;
    getInt16(offset: number, littleEndian?: boolean): number;
    getUint16(offset: number, littleEndian?: boolean): number;
    getInt32(offset: number, littleEndian?: boolean): number;
    getUint32(offset: number, littleEndian?: boolean): number;
    getBigInt64(offset: number, littleEndian?: boolean): bigint;
    getBigUint64(offset: number, littleEndian?: boolean): bigint;
    getFloat32(offset: number, littleEndian?: boolean): number;
    getFloat64(offset: number, littleEndian?: boolean): number;
    setInt8(offset: number, value: number): void;
    setUint8(offset: number, value: number): void;
    setInt16(offset: number, value: number, littleEndian?: boolean): void;
    setUint16(offset: number, value: number, littleEndian?: boolean): void;
    setInt32(offset: number, value: number, littleEndian?: boolean): void;
    setUint32(offset: number, value: number, littleEndian?: boolean): void;
    setBigInt64(offset: number, value: bigint, littleEndian?: boolean): void;
    setBigUint64(offset: number, value: bigint, littleEndian?: boolean): void;
    setFloat32(offset: number, value: number, littleEndian?: boolean): void;
    setFloat64(offset: number, value: number, littleEndian?: boolean): void;
  }
  /** The Instance behind a wasm module's namespace (the ESM-integration proposal). */
  function namespaceInstance(namespace: object): Instance;
}
