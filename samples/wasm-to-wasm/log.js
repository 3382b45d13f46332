export function note(code) {
  console.log("JS called from geometry.wasm with", code);
}
