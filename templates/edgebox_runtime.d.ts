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
  /** Standard input: `for await (const chunk of process.stdin)`; chunks are strings after
   * setEncoding("utf8"), Uint8Arrays otherwise. */
  readonly stdin: AsyncIterable<Uint8Array | string> & {
    readonly fd: 0;
    setEncoding(encoding?: EdgeBoxFileEncoding): typeof process.stdin;
  };
};

type EdgeBoxFileEncoding = "utf8" | "utf-8" | "latin1" | "binary" | "ascii" | "hex" | "base64" | "base64url";
type EdgeBoxPath = string | URL;
interface EdgeBoxStats {
  size: number;
  mode: number;
  atimeMs: number;
  mtimeMs: number;
  ctimeMs: number;
  birthtimeMs: number;
  atime: Date;
  mtime: Date;
  ctime: Date;
  birthtime: Date;
  isFile(): boolean;
  isDirectory(): boolean;
  isSymbolicLink(): boolean;
}
interface EdgeBoxDirent {
  name: string;
  parentPath: string;
  isFile(): boolean;
  isDirectory(): boolean;
  isSymbolicLink(): boolean;
}
type EdgeBoxData = string | ArrayBufferView;
type EdgeBoxWriteOptions = EdgeBoxFileEncoding | { encoding?: EdgeBoxFileEncoding; flag?: "w" | "a" };

/** Files in the directories `edgebox-exec --allow-read`/`--allow-write` grant (docs/guide.md). */
declare module "node:fs/promises" {
  export function readFile(path: EdgeBoxPath): Promise<Uint8Array>;
  export function readFile(path: EdgeBoxPath, options: EdgeBoxFileEncoding | { encoding: EdgeBoxFileEncoding }): Promise<string>;
  export function writeFile(path: EdgeBoxPath, data: EdgeBoxData, options?: EdgeBoxWriteOptions): Promise<void>;
  export function appendFile(path: EdgeBoxPath, data: EdgeBoxData, options?: EdgeBoxWriteOptions): Promise<void>;
  export function readdir(path: EdgeBoxPath): Promise<string[]>;
  export function readdir(path: EdgeBoxPath, options: { withFileTypes: true }): Promise<EdgeBoxDirent[]>;
  export function stat(path: EdgeBoxPath): Promise<EdgeBoxStats>;
  export function lstat(path: EdgeBoxPath): Promise<EdgeBoxStats>;
  export function access(path: EdgeBoxPath): Promise<void>;
}
declare module "node:fs" {
  export function readFileSync(path: EdgeBoxPath | 0): Uint8Array;
  export function readFileSync(path: EdgeBoxPath | 0, options: EdgeBoxFileEncoding | { encoding: EdgeBoxFileEncoding }): string;
  export function writeFileSync(path: EdgeBoxPath, data: EdgeBoxData, options?: EdgeBoxWriteOptions): void;
  export function appendFileSync(path: EdgeBoxPath, data: EdgeBoxData, options?: EdgeBoxWriteOptions): void;
  export function readdirSync(path: EdgeBoxPath): string[];
  export function readdirSync(path: EdgeBoxPath, options: { withFileTypes: true }): EdgeBoxDirent[];
  export function statSync(path: EdgeBoxPath): EdgeBoxStats;
  export function lstatSync(path: EdgeBoxPath): EdgeBoxStats;
  export function existsSync(path: EdgeBoxPath): boolean;
  export function accessSync(path: EdgeBoxPath): void;
  export const constants: { readonly F_OK: 0; readonly R_OK: 4; readonly W_OK: 2; readonly X_OK: 1 };
  export * as promises from "node:fs/promises";
}
declare module "node:process" {
  export default process;
  export const argv: typeof process.argv;
  export const env: typeof process.env;
  export const exit: typeof process.exit;
  export const stdin: typeof process.stdin;
  export const platform: typeof process.platform;
}

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
