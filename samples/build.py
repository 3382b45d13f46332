"""Build every sample's wasm modules from their C, Zig and WAT sources.

    python samples/build.py            # all samples
    python samples/build.py math       # one sample

A source `samples/NAME/foo.c` (or .zig, .wat, or AssemblyScript .ts) becomes
`samples/NAME/foo.wasm` (in a sample whose entry is `app.ts`, .ts files are the program, not
AssemblyScript); a sample with a package.json gets its npm packages installed. C sources whose name starts with `wasi_` are linked
against wasi-libc. AssemblyScript needs Node.js and npm, which are optional:
without them its sources are skipped with a note.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bundler.toolchain import assemblyscript_needs, build_any, build_c  # noqa: E402

SAMPLES = Path(__file__).resolve().parent


def install_packages(name: str) -> bool:
    """npm install for a sample with a package.json (its versions are exact); False, with a
    note, where npm is missing."""
    sample = SAMPLES / name
    if not (sample / "package.json").is_file() or (sample / "node_modules").is_dir():
        return True
    npm = shutil.which("npm")
    if npm is None:
        print(f"skipped samples/{name}: its packages install with npm, which is not on PATH", file=sys.stderr)
        return False
    print(f"samples/{name}: npm install (once)", file=sys.stderr)
    subprocess.run([npm, "install", "--no-audit", "--no-fund", "--ignore-scripts", "--no-package-lock"],
                   cwd=sample, check=True, stdout=subprocess.DEVNULL)  # fmt: skip
    return True


def build_sample(name: str) -> list[Path]:
    install_packages(name)
    built = []
    typescript_program = (SAMPLES / name / "app.ts").is_file()
    for src in sorted((SAMPLES / name).iterdir()):
        if src.suffix not in (".c", ".zig", ".wat", ".ts") or (src.suffix == ".ts" and typescript_program):
            continue
        out = src.with_suffix(".wasm")
        if out.exists() and out.stat().st_mtime >= src.stat().st_mtime:
            continue
        missing = assemblyscript_needs() if src.suffix == ".ts" else None
        if missing:
            print(f"skipped samples/{name}/{src.name}: AssemblyScript needs {missing}", file=sys.stderr)
            continue
        if src.name.startswith("wasi_"):
            build_c(src, out, wasi=True)
        else:
            build_any(src, out)
        built.append(out)
    return built


def main(argv: list[str]) -> int:
    names = argv or sorted(p.name for p in SAMPLES.iterdir() if p.is_dir() and not p.name.startswith("_"))
    for name in names:
        for out in build_sample(name):
            print(f"built {out.relative_to(SAMPLES.parent)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
