// An npm package that ships wasm, imported by name: tiktoken (a Rust tokenizer built with
// wasm-bindgen). `npm install` here, then `edgebox-exec app.js`; Node prints the same.
import { get_encoding } from "tiktoken";

const enc = get_encoding("cl100k_base");
const text = "EdgeBox runs wasm packages from npm inside its sandbox: héllo wörld 🌍";
const tokens = enc.encode(text);
console.log(tokens.length, "tokens:", tokens);
console.log("pieces:", Array.from(tokens, (t) => new TextDecoder().decode(enc.decode_single_token_bytes(t))));
console.log("round trip:", new TextDecoder().decode(enc.decode(tokens)) === text);
enc.free();
