// A TypeScript program that imports a wasm module and another TypeScript module. EdgeBox
// erases the types in place (no source map needed: every line and column stays where it is),
// checks each call of a wasm export against its signature, and runs the JavaScript that is left.
import { clamp, fib } from "./stats.wasm";
import { Areas, distance, largest, type Point, type Shape } from "./geometry.js";

const shapes = [
  { kind: "circle", r: 1.5 },
  { kind: "rect", w: 2, h: 3 },
  { kind: "circle", r: 0.5 },
] as const satisfies readonly Shape[];

const areas = new Areas();
for (const shape of shapes) console.log(areas.describe(shape));
const big: Shape | undefined = largest(shapes, (s) => areas.area(s));
console.log("largest:", big?.kind);

const origin: Point = { x: 0, y: 0 };
console.log("distance:", distance(origin, { x: 3, y: 4 }));
console.log("clamped:", [-5, 50, 500].map((n: number): number => clamp(n, 0, 100)).join(" "));
const f90: bigint = fib(90);
console.log("fib(90):", f90, typeof f90);

function parse(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n)) throw new RangeError(`not an integer: ${text}`);
  return n;
}
try {
  parse("4.5");
} catch (e) {
  // the trace names the .ts file, at the line and column of the `new` above
  const frame = (e as Error).stack!.split("\n").find((line) => line.includes("at parse"));
  console.log((e as Error).message, "--", frame?.slice(frame.indexOf("app.ts")));
}
