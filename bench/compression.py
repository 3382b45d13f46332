"""CompressionStream and DecompressionStream throughput, EdgeBox against Node (zlib), in MB/s
of uncompressed data.

Three inputs of 4 MiB: English-like text (words from a list, multi-byte characters among
them), JSON records, and random bytes; each compressed and decompressed as gzip through the
streams in 64 KiB chunks, best of 3 runs, timed inside the program. The compressed size is
given too: EdgeBox's codec (web/compression.c) against zlib's default level 6.

    python bench/compression.py
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

PROGRAM = r"""
let x = 0x2545f491;
const rand = () => { x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0; return x; };
const SIZE = 4 << 20;
const words = ["the ", "stream ", "of ", "data ", "compression ", "wörld ", "über ", "€ ", "and ", "a ", "window ", "\n"];
let text = "";
while (text.length < SIZE) text += words[rand() % words.length];
let records = "";
for (let i = 0; records.length < SIZE; i++) records += JSON.stringify({ id: i, name: `user${rand() % 1000}`, score: rand() % 100, tags: ["a", "b"] }) + ",";
const random = new Uint8Array(SIZE);
for (let i = 0; i < SIZE; i++) random[i] = rand() & 255;
const inputs = { text: new TextEncoder().encode(text).subarray(0, SIZE), json: new TextEncoder().encode(records).subarray(0, SIZE), random };
const chunks = (bytes) => { const out = []; for (let i = 0; i < bytes.length; i += 65536) out.push(bytes.subarray(i, i + 65536)); return out; };
const run = async (format, bytes, Stream) => {
  const parts = [];
  for await (const p of ReadableStream.from(chunks(bytes)).pipeThrough(new Stream(format))) parts.push(p);
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
};
const best = async (f) => { let b = Infinity, r; for (let i = 0; i < 3; i++) { const t = performance.now(); r = await f(); b = Math.min(b, performance.now() - t); } return [b, r]; };
const result = {};
for (const [name, bytes] of Object.entries(inputs)) {
  const [ct, compressed] = await best(() => run("gzip", bytes, CompressionStream));
  const [dt, back] = await best(() => run("gzip", compressed, DecompressionStream));
  let same = back.length === bytes.length;
  for (let i = 0; same && i < bytes.length; i += 4099) same = back[i] === bytes[i];
  result[name] = { compress: bytes.length / 1048576 / (ct / 1000), decompress: bytes.length / 1048576 / (dt / 1000), size: compressed.length, same };
}
console.log(JSON.stringify(result));
"""
BIN = Path(sys.executable).parent


def _run(cmd: list[str], cwd: Path) -> dict[str, dict[str, float]]:
    out = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=True).stdout
    result: dict[str, dict[str, float]] = json.loads(out)
    return result


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "app.mjs").write_text(PROGRAM)
        ours = _run([str(BIN / "edgebox-exec"), "app.mjs"], root)
        node = _run(["node", "app.mjs"], root) if shutil.which("node") else {}
    print("gzip through CompressionStream/DecompressionStream, 4 MiB inputs, 64 KiB chunks, best of 3\n")
    print(
        "| input  | compress MB/s EdgeBox | Node | decompress MB/s EdgeBox | Node | size EdgeBox | Node (zlib 6) |"
    )
    print("|--------|------:|------:|------:|------:|---------:|---------:|")
    for name, r in ours.items():
        assert r["same"], name
        n = node.get(name, {})
        cells = [
            f"{r['compress']:.1f}", f"{n['compress']:.1f}" if n else "-",
            f"{r['decompress']:.1f}", f"{n['decompress']:.1f}" if n else "-",
            f"{int(r['size'])}", f"{int(n['size'])}" if n else "-",
        ]  # fmt: skip
        print(f"| {name:6} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
