// The resolve and load hooks behind node-hooks.mjs.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const readJSON = (file) => JSON.parse(readFileSync(file, "utf8"));
const url = (file) => ({ url: pathToFileURL(file).href, shortCircuit: true });

// the import map EdgeBox reads beside the entry (edgebox.json "imports"), applied the same way
const mapFile = path.join(process.cwd(), "edgebox.json");
const importMap = existsSync(mapFile) ? readJSON(mapFile).imports ?? {} : {};

function nearestPackageJSON(file) {
  for (let dir = path.dirname(file); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const candidate = path.join(dir, "package.json");
    if (existsSync(candidate)) return readJSON(candidate);
  }
  return null;
}

// A package name alone, of a package with no "exports" but a "module" field: that file, as
// bundlers take it (Node would take "main").
function moduleField(spec, parentURL) {
  if (!/^(@[^/]+\/)?[^./@][^/]*$/.test(spec) || !parentURL?.startsWith("file:")) return null;
  for (let dir = path.dirname(fileURLToPath(parentURL)); ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, "node_modules", spec, "package.json");
    if (existsSync(manifest)) {
      const pkg = readJSON(manifest);
      return !pkg.exports && typeof pkg.module === "string" ? path.join(path.dirname(manifest), pkg.module) : null;
    }
    if (dir === path.dirname(dir)) return null;
  }
}

export async function resolve(spec, context, next) {
  if (Object.hasOwn(importMap, spec)) return url(path.resolve(process.cwd(), importMap[spec]));
  const viaModule = moduleField(spec, context.parentURL);
  if (viaModule) return url(viaModule);
  if (spec.startsWith(".") && context.parentURL && path.extname(spec) === "") {
    const base = path.resolve(path.dirname(fileURLToPath(context.parentURL)), spec);
    if (existsSync(base + ".js")) return url(base + ".js");
    if (existsSync(path.join(base, "index.js"))) return url(path.join(base, "index.js"));
  }
  return next(spec, context);
}

export async function load(fileURL, context, next) {
  if (fileURL.startsWith("file:") && fileURL.endsWith(".js")) {
    const file = fileURLToPath(fileURL);
    const pkg = nearestPackageJSON(file);
    if (pkg && !pkg.type) {
      const source = readFileSync(file, "utf8");
      const esm = /^\s*(import|export)\b/m.test(source);
      const commonjs = /\brequire\(|module\.exports/.test(source);
      if (esm && !commonjs) return { format: "module", source, shortCircuit: true };
    }
  }
  return next(fileURL, context);
}
