// tiktoken: text to token ids and back (cl100k_base, the GPT-4 encoding), and a token count.
import { get_encoding } from "tiktoken";

const enc = get_encoding("cl100k_base");
const text = "hello world, héllo wörld 🌍 — tokenizers split text into subword units.";
const tokens = enc.encode(text);
console.log("tokens", tokens.length, Array.from(tokens.subarray(0, 12)).join(","));
const bytes = enc.decode(tokens);
console.log("decoded", bytes.constructor.name, bytes.length, new TextDecoder().decode(bytes) === text);
console.log("special", Array.from(enc.encode("<|endoftext|>", "all")).join(","));
try {
  enc.encode("<|endoftext|>");
} catch (e) {
  console.log("refused:", String(e).slice(0, 60));
}
const gpt2 = get_encoding("gpt2");
console.log("gpt2 count", gpt2.encode("The quick brown fox jumps over the lazy dog").length);
gpt2.free();
enc.free();
