// @jsquash/png: wasm-pack --target web glue; init() fetches the .wasm beside it with
// fetch(new URL("squoosh_png_bg.wasm", import.meta.url)) and instantiateStreaming. A 5×3
// image encoded to PNG and decoded back.
import decode, { init } from "@jsquash/png/decode.js";
import encode from "@jsquash/png/encode.js";

globalThis.ImageData ??= class ImageData {
  constructor(data, width, height) {
    Object.assign(this, { data, width, height });
  }
};
const sum = (bytes) => bytes.reduce((h, b) => Math.imul(h ^ b, 16777619) >>> 0, 2166136261).toString(16);

await init();
const width = 5;
const height = 3;
const data = new Uint8ClampedArray(width * height * 4).map((_, i) => (i * 29) & 255);
const png = new Uint8Array(await encode({ data, width, height }));
console.log("png", png.length, sum(png), String.fromCharCode(...png.slice(1, 4)));
const image = await decode(png);
console.log(image.width, image.height, image.data.constructor.name, image.data.every((v, i) => v === data[i]));
