// The WebAssembly JS API inside the sandbox: a plugin is compiled and instantiated while the
// program runs (here from its source, imported with `import source`; bytes the program has
// work the same with WebAssembly.instantiate), linked to JS functions and values, and called
// at the cost of a bundled module's call.
import source plugin from "./plugin.wasm";

console.log(plugin instanceof WebAssembly.Module, WebAssembly.Module.imports(plugin).map((i) => `${i.module}.${i.name}`));

function load(prefix) {
  const log = (greeting, n) => console.log(`${prefix} ${greeting.text}: ${n}`);
  return new WebAssembly.Instance(plugin, { host: { log, greeting: { text: "hello" } } }).exports;
}

const first = load("[one]");
const second = load("[two]"); // a second instance: its own state
console.log(first.run(0, 21), second.run(1, 12));

const handlers = first.handlers;
console.log(handlers instanceof WebAssembly.Table, handlers.length, handlers.get(1)(9));

const session = { user: "ada" };
first.keep(session);
console.log(first.kept instanceof WebAssembly.Global, "the same object back:", first.kept.value === session);

const { instance } = await WebAssembly.instantiate(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]));
console.log("an empty module:", Object.keys(instance.exports).length, "exports");
try {
  await WebAssembly.compile(new Uint8Array([1, 2, 3]));
} catch (e) {
  console.log(e.constructor.name);
}
