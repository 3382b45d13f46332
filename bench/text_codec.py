"""TextEncoder.encode and TextDecoder.decode on 392 KB of text, EdgeBox against Node.

Half the text is non-ASCII (2-, 3- and 4-byte UTF-8), half ASCII; best of 10 runs each,
timed inside the program.

    python bench/text_codec.py
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

PROGRAM = """
const text = "héllo wörld, ünïcode €𝄞 ".repeat(8000) + "ascii only text ".repeat(8000);
const te = new TextEncoder(), td = new TextDecoder();
const best = (f) => { let b = Infinity, r; for (let i = 0; i < 10; i++) { const t = performance.now(); r = f(); b = Math.min(b, performance.now() - t); } return [b, r]; };
const [enc, bytes] = best(() => te.encode(text));
const [dec, back] = best(() => td.decode(bytes));
console.log("encode", enc.toFixed(2), "decode", dec.toFixed(2), "bytes", bytes.length, "ok", back === text);
"""
BIN = Path(sys.executable).parent


def _run(cmd: list[str], cwd: Path) -> dict[str, str]:
    out = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=True).stdout
    words = out.split()
    return dict(zip(words[::2], words[1::2], strict=False))


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "app.mjs").write_text(PROGRAM)
        ours = _run([str(BIN / "edgebox-exec"), "app.mjs"], root)
        node = _run(["node", "app.mjs"], root) if shutil.which("node") else {}
    assert ours["ok"] == "true", ours
    print(f"ms for {ours['bytes']} bytes of UTF-8, best of 10\n")
    print("| operation                |  EdgeBox |     Node |")
    print("|--------------------------|----------|----------|")
    for op in ("encode", "decode"):
        n = f"{float(node[op]):8.2f}" if op in node else "       -"
        label = "TextEncoder.encode" if op == "encode" else "TextDecoder.decode"
        print(f"| {label:24} | {float(ours[op]):8.2f} | {n} |")


if __name__ == "__main__":
    main()
