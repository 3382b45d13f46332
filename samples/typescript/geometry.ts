// A TypeScript module: its types are erased when it is bundled, and nothing else changes.
import { hypot } from "./stats.wasm";

export interface Point {
  readonly x: number;
  readonly y: number;
}

export type Shape = { kind: "circle"; r: number } | { kind: "rect"; w: number; h: number };

export abstract class Measured<T extends Shape = Shape> {
  protected constructor_name: string = this.constructor.name;
  abstract area(shape: T): number;
  describe(shape: T): string {
    return `${shape.kind} of area ${this.area(shape).toFixed(2)}`;
  }
}

export class Areas extends Measured {
  override area(shape: Shape): number {
    switch (shape.kind) {
      case "circle":
        return Math.PI * shape.r ** 2;
      case "rect":
        return shape.w * shape.h;
    }
  }
}

export function distance(a: Point, b: Point): number {
  return hypot(b.x - a.x, b.y - a.y);
}

export function largest<T>(items: readonly T[], size: (item: T) => number): T | undefined {
  let best: T | undefined;
  for (const item of items) if (best === undefined || size(item) > size(best!)) best = item;
  return best;
}
