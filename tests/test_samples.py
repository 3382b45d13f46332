"""Every sample builds from source with its real toolchain and prints what it promises.

samples/<name>/expected-output.txt is the sample's stdout; samples/math prints a
timing line, so tests/test_end_to_end.py checks it line by line instead.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bundler.toolchain import asc_path, assemblyscript_needs

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted(p.parent.name for p in ROOT.glob("samples/*/expected-output.txt"))

MISSING = assemblyscript_needs()
needs_assemblyscript = pytest.mark.skipif(
    MISSING is not None, reason=f"AssemblyScript needs {MISSING}; Node.js is optional"
)


needs_npm = pytest.mark.skipif(shutil.which("npm") is None, reason="the sample's packages install with npm")


def _marked(name: str):
    """A sample with AssemblyScript sources is skipped, saying why, where `asc` cannot run;
    one with npm packages, where npm is missing (and they are not installed yet)."""
    sample = ROOT / "samples" / name
    if any(sample.glob("*.ts")) and not (sample / "app.ts").is_file():  # app.ts: a TypeScript program
        return pytest.param(name, marks=needs_assemblyscript)
    if (sample / "package.json").is_file() and not (sample / "node_modules").is_dir():
        return pytest.param(name, marks=needs_npm)
    return name


@needs_assemblyscript
def test_assemblyscript_toolchain_is_installed():
    assert asc_path().exists(), "scripts/setup.sh installs AssemblyScript with npm"


@pytest.mark.parametrize("name", [_marked(name) for name in SAMPLES])
def test_sample_bundles_and_prints_its_expected_output(project, name):
    subprocess.run([sys.executable, str(ROOT / "samples/build.py"), name], check=True, cwd=ROOT)
    import os

    os.chdir(ROOT)  # samples name their files relative to the checkout
    out = project.root / f"{name}.ebx"
    entry = next(e for e in (ROOT / "samples" / name / f"app.{x}" for x in ("js", "ts")) if e.is_file())
    b = project.bundle(entry, "-o", out)
    assert b.code == 0, b.err
    r = project.exec(out)
    assert r.code == 0, r.err
    assert r.out == (ROOT / "samples" / name / "expected-output.txt").read_text()
