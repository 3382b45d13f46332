"""Shared fixtures: the real engine, wasm built from source, programs run in the sandbox.

Nothing here is a mock: every test builds its wasm with ziglang or wasmtime's WAT
parser, bundles with the real bundler and runs in the real engine on wasmtime.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bundler.cli import bundle_main, exec_main  # noqa: E402
from bundler.engine.build import ensure_engine  # noqa: E402
from bundler.toolchain import build_c, build_wat, build_zig  # noqa: E402


@dataclass
class Result:
    code: int
    out: str
    err: str


@pytest.fixture(scope="session", autouse=True)
def engine():
    """Build (or find cached) the engine once for the whole run."""
    return ensure_engine()


class Project:
    """A temporary directory of sources plus helpers to build, bundle and run them."""

    def __init__(self, root: Path, capfd):
        self.root = root
        self.capfd = capfd

    def write(self, name: str, text: str) -> Path:
        p = self.root / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(textwrap.dedent(text).lstrip("\n"))
        return p

    def wat(self, name: str, text: str) -> Path:
        src = self.write(name.replace(".wasm", ".wat"), text)
        return build_wat(src, self.root / name)

    def c(self, name: str, text: str, wasi: bool = False) -> Path:
        src = self.write(name.replace(".wasm", ".c"), text)
        return build_c(src, self.root / name, wasi=wasi)

    def zig(self, name: str, text: str) -> Path:
        src = self.write(name.replace(".wasm", ".zig"), text)
        return build_zig(src, self.root / name)

    def _capture(self, fn, argv) -> Result:
        self.capfd.readouterr()
        code = fn(argv)
        out, err = self.capfd.readouterr()
        return Result(code, out, err)

    def bundle(self, *argv: str) -> Result:
        return self._capture(bundle_main, [str(a) for a in argv])

    def exec(self, *argv: str) -> Result:
        return self._capture(exec_main, [str(a) for a in argv])

    def same_as_node(self, program: str) -> Result:
        """Run `program` as app.mjs under EdgeBox and under Node: both must exit 0 and print the
        same (the first differing lines are shown side by side). Returns EdgeBox's result."""
        self.write("app.mjs", program)
        ours = self.exec(self.root / "app.mjs")
        node = run_node(self.root / "app.mjs")
        assert ours.code == 0 and node.code == 0, ours.err + node.err
        differing = [
            (a, b) for a, b in zip(ours.out.splitlines(), node.out.splitlines(), strict=False) if a != b
        ]
        assert not differing, "\n".join(f"edgebox: {a}\nnode:    {b}" for a, b in differing[:10])
        assert ours.out == node.out
        return ours

    def run(self, entry: str = "app.js", *args: str) -> Result:
        """Bundle to a file, then run that file (the two-step path users take)."""
        out = self.root / (Path(entry).stem + ".ebx")
        b = self.bundle(self.root / entry, "-o", out)
        if b.code != 0:
            return b
        return self.exec(out, *args)


@pytest.fixture
def project(tmp_path, capfd) -> Project:
    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        yield Project(tmp_path, capfd)
    finally:
        os.chdir(old)


NODE = shutil.which("node")


def run_node(entry: Path) -> Result:
    """The same program under Node, the spec peer (wasm ESM integration)."""
    proc = subprocess.run(
        [NODE, "--experimental-wasm-modules", "--no-warnings", str(entry)],
        capture_output=True, text=True, cwd=entry.parent, timeout=60,
    )  # fmt: skip
    return Result(proc.returncode, proc.stdout, proc.stderr)


needs_node = pytest.mark.skipif(NODE is None, reason="node is not installed")


def pytest_terminal_summary(terminalreporter):
    """The fuzzers' case counts and what the cases ended in (tests/test_fuzz.py)."""
    fuzz = sys.modules.get("test_fuzz") or sys.modules.get("tests.test_fuzz")
    if fuzz is None or not fuzz.OUTCOMES:
        return
    terminalreporter.section("fuzzing")
    total = 0
    for target, outcomes in fuzz.OUTCOMES.items():
        n = sum(outcomes.values())
        total += n
        detail = ", ".join(f"{count} {what}" for what, count in outcomes.most_common())
        terminalreporter.write_line(f"{target:36} {n:5} cases: {detail}")
    terminalreporter.write_line(f"{'all targets':36} {total:5} cases")
