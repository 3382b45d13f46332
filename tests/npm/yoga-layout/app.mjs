// yoga-layout: Emscripten with embind, its wasm embedded in the JS (SINGLE_FILE) and
// instantiated at run time with WebAssembly.instantiate. A flex row laid out.
import Yoga, { Align, Edge, FlexDirection, Justify } from "yoga-layout";

const root = Yoga.Node.create();
root.setWidth(300);
root.setHeight(100);
root.setFlexDirection(FlexDirection.Row);
root.setJustifyContent(Justify.SpaceBetween);
root.setAlignItems(Align.Center);
root.setPadding(Edge.All, 10);
const children = [50, 80, 30].map((width, i) => {
  const child = Yoga.Node.create();
  child.setWidth(width);
  child.setHeight(20 + i * 10);
  child.setMargin(Edge.Left, i);
  root.insertChild(child, i);
  return child;
});
root.calculateLayout(undefined, undefined);
console.log(JSON.stringify(root.getComputedLayout()));
for (const child of children) console.log(JSON.stringify(child.getComputedLayout()));
root.freeRecursive();
