// What AssemblyScript modules import from "env": abort(message, file, line, column), pointers
// into the module's memory. This one reports where; the hashes here never call it.
export function abort(message, file, line, column) {
  throw new Error(`abort at ${line}:${column}`);
}
