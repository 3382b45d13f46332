// Node-side harness for the npm corpus (never loaded by EdgeBox). Packages built for bundlers
// (wasm-bindgen's --target bundler) are published in a shape Node does not load by itself:
// extensionless relative imports, ES modules in .js files of packages without "type", a
// "module" field Node ignores. node-hooks-impl.mjs does what bundlers (and EdgeBox) do, so that
// Node runs the very files EdgeBox bundles.  Use: node --import ../node-hooks.mjs app.mjs
import { register } from "node:module";
register("./node-hooks-impl.mjs", import.meta.url);
