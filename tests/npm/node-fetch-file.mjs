// Preloaded into Node (a case's node-flags: --import ../node-fetch-file.mjs) for packages that
// fetch their .wasm by a file: URL, which a browser or EdgeBox serves and Node's fetch does not
// ("not implemented... yet"): fetch() of a file: URL reads the file, as EdgeBox reads it from
// the bundle. Everything else goes to Node's own fetch.
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";

const nodeFetch = globalThis.fetch;
globalThis.fetch = async (input, init) => {
  const url = `${input instanceof Request ? input.url : input}`;
  if (!url.startsWith("file:")) return nodeFetch(input, init);
  const type = url.endsWith(".wasm") ? "application/wasm" : "application/octet-stream";
  return new Response(await readFile(fileURLToPath(url)), { headers: { "content-type": type } });
};
