// A command-line tool: arguments, standard input, a file it is granted, an exit status.
import { readFileSync, readdirSync } from "node:fs";
import { readFile } from "node:fs/promises";

type Count = { lines: number; words: number; chars: number };

function count(text: string): Count {
  const lines = text.split("\n").length - (text.endsWith("\n") ? 1 : 0);
  return { lines, words: text.split(/\s+/).filter(Boolean).length, chars: [...text].length };
}

const [mode = "stdin", ...rest] = process.argv.slice(2);
let text = "";
if (mode === "stdin") {
  process.stdin.setEncoding("utf8");
  for await (const chunk of process.stdin) text += chunk;
} else if (mode === "files") {
  for (const name of readdirSync(rest[0] ?? "data")) text += await readFile(`${rest[0] ?? "data"}/${name}`, "utf8");
} else {
  try {
    text = readFileSync(mode, "utf8");
  } catch (e) {
    const error = e as Error & { code?: string };
    console.error(`cannot read ${mode}: ${error.code}`);
    process.exit(2);
  }
}
const result = count(text);
console.log(Object.entries(result).map(([k, v]) => `${k}=${v}`).join(" "));
let ticks = 0;
const interval = setInterval(() => {
  if (++ticks === 3) {
    clearInterval(interval);
    console.log("ticked", ticks);
    process.exitCode = result.words > 3 ? 0 : 1;
  }
}, 5);
