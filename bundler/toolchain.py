"""Build wasm from C, Zig or WAT with the toolchains that install from PyPI.

Used by samples/build.py and the tests, so every .wasm they use is built from
source on the machine that runs them. C and Zig go through `python -m ziglang`
(the `toolchain` extra), WAT through wasmtime's parser, AssemblyScript through
`asc` from npm when Node.js is there (it is optional).
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import wasmtime

from .errors import EdgeBoxError


class ToolchainError(EdgeBoxError):
    """A compiler rejected a source file."""


def _zig(src: Path) -> list[str]:
    """The command prefix that runs zig, or a clear error when ziglang is not installed."""
    if importlib.util.find_spec("ziglang") is None:
        raise ToolchainError(
            f"building {src} needs the ziglang package (C and Zig → wasm); "
            "install it with: pip install 'edgebox[toolchain]'"
        )
    return [sys.executable, "-m", "ziglang"]


def _run(cmd: list[str], src: Path, cwd: Path | None = None) -> None:
    out = subprocess.run(cmd, capture_output=True, text=True, check=False, cwd=cwd)
    if out.returncode != 0:
        raise ToolchainError(f"building {src} failed:\n{out.stderr.strip()}")


def build_c(src: Path, out: Path, *, wasi: bool = False, opt: str = "-O2") -> Path:
    """C → wasm. Freestanding (exports only) by default; `wasi=True` links wasi-libc."""
    if wasi:
        target = ["-target", "wasm32-wasi", "-mexec-model=reactor"]
    else:
        target = ["-target", "wasm32-freestanding", "-nostdlib", "-Wl,--no-entry"]
    _run([*_zig(src), "cc", *target, opt, str(src), "-o", str(out)], src)
    return out


def build_zig(src: Path, out: Path) -> Path:
    """Zig → wasm: every `export fn` becomes a wasm export."""
    _run(
        [
            *_zig(src),
            "build-exe",
            str(src),
            "-target",
            "wasm32-freestanding",
            "-fno-entry",
            "-rdynamic",
            "-O",
            "ReleaseSmall",
            f"-femit-bin={out}",
        ],  # fmt: skip
        src,
    )
    Path(str(out) + ".o").unlink(missing_ok=True)
    return out


def build_wat(src: Path, out: Path) -> Path:
    try:
        out.write_bytes(bytes(wasmtime.wat2wasm(src.read_text())))
    except wasmtime.WasmtimeError as e:
        raise ToolchainError(f"building {src} failed:\n{e}") from None
    return out


# AssemblyScript comes from the npm registry; scripts/setup.sh installs this version here.
ASSEMBLYSCRIPT_VERSION = "0.28.20"
TOOLS = Path(__file__).resolve().parent.parent / ".tools"


def asc_path() -> Path:
    return TOOLS / "node_modules" / ".bin" / "asc"


def assemblyscript_needs() -> str | None:
    """What this machine lacks to build AssemblyScript, or None.

    Node.js is optional: without node (which runs `asc`), or without npm while `asc`
    is not installed yet, the AssemblyScript sample and tests are skipped, saying so.
    """
    if shutil.which("node") is None:
        return "Node.js (node, which runs the AssemblyScript compiler, is not on PATH)"
    if shutil.which("npm") is None and not asc_path().exists():
        return "npm (to install the AssemblyScript compiler; npm is not on PATH)"
    return None


def build_assemblyscript(src: Path, out: Path) -> Path:
    """AssemblyScript → wasm with `asc` (its output imports env.abort, and env.trace if used)."""
    missing = assemblyscript_needs()
    if missing:
        raise ToolchainError(f"building {src} needs {missing}")
    asc = asc_path()
    if not asc.exists():
        raise ToolchainError(
            f"AssemblyScript is not installed; run: npm install --prefix {TOOLS} assemblyscript@{ASSEMBLYSCRIPT_VERSION}"
        )
    # from the source's directory: asc writes the source's path, relative to its working
    # directory, into the module (abort messages name it), so the output is the same wherever
    # the build is started from
    _run([str(asc), src.name, "-o", str(out.resolve()), "--optimize", "--exportRuntime"], src, cwd=src.parent)
    return out


def build_any(src: Path, out: Path | None = None) -> Path:
    out = out or src.with_suffix(".wasm")
    builders = {".c": build_c, ".zig": build_zig, ".wat": build_wat, ".ts": build_assemblyscript}
    return builders[src.suffix](src, out)
