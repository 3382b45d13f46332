"""Node.js is optional (README): without node and npm the demo still runs samples/math.

The real scripts run in a copy of the checkout's scripts and two samples (math and
assemblyscript), beside links to the checkout's bundler/ and its set-up .venv, so nothing
AssemblyScript-related is installed there and the checkout's out/ and samples are left
alone. PATH holds only the venv's bin and links to the few tools bash needs: node and npm
live in /usr/bin next to those tools, so /usr/bin itself cannot be on it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT

VENV = ROOT / ".venv"
STAMP = VENV / ".edgebox-installed"  # written by scripts/setup.sh once the install is done
TOOLS = ("bash", "cat", "dirname", "env", "grep", "ls", "mkdir", "rm", "touch")

pytestmark = pytest.mark.skipif(
    not STAMP.exists() or STAMP.stat().st_mtime < (ROOT / "pyproject.toml").stat().st_mtime,
    reason="scripts/setup.sh has not set up this checkout's .venv (bash scripts/test.sh does)",
)


def _checkout_copy(tmp_path: Path) -> Path:
    root = tmp_path / "checkout"
    shutil.copytree(ROOT / "scripts", root / "scripts")
    shutil.copy2(ROOT / "pyproject.toml", root)  # keeps its time: setup.sh sees the install is current
    no_wasm = shutil.ignore_patterns("*.wasm")
    for name in ("math", "assemblyscript"):
        shutil.copytree(ROOT / "samples" / name, root / "samples" / name, ignore=no_wasm)
    shutil.copy2(ROOT / "samples" / "build.py", root / "samples")
    (root / "bundler").symlink_to(ROOT / "bundler")
    (root / ".venv").symlink_to(VENV)
    return root


def _env_without_node(tmp_path: Path, root: Path) -> dict[str, str]:
    tools = tmp_path / "tools"
    tools.mkdir()
    for tool in TOOLS:
        found = shutil.which(tool)
        assert found, f"{tool} is not installed"
        (tools / tool).symlink_to(found)
    path = os.pathsep.join([str(root / ".venv" / "bin"), str(tools)])
    assert shutil.which("node", path=path) is None and shutil.which("npm", path=path) is None
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return {**env, "PATH": path}


def _bash(root: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", *args], cwd=root, env=env, capture_output=True, text=True, timeout=120, check=False
    )


def test_demo_bundles_and_runs_samples_math_without_node_or_npm(tmp_path):
    root = _checkout_copy(tmp_path)
    r = _bash(root, _env_without_node(tmp_path, root), "scripts/demo.sh")
    assert r.returncode == 0, r.stderr
    assert "add(5, 3) = 8" in r.stdout.splitlines()
    notes = [line for line in r.stderr.splitlines() if "npm not found" in line]
    assert notes == [
        "edgebox: npm not found, so AssemblyScript is not installed "
        "(only samples/assemblyscript and its tests need it)"
    ]
    assert (root / "out" / "math.ebx").is_file()


def test_building_the_samples_skips_assemblyscript_with_a_note_without_node(tmp_path):
    root = _checkout_copy(tmp_path)
    env = _env_without_node(tmp_path, root)
    r = subprocess.run(
        ["python", "samples/build.py"], cwd=root, env=env, capture_output=True, text=True, timeout=120
    )
    assert r.returncode == 0, r.stderr
    assert "skipped samples/assemblyscript/mod.ts: AssemblyScript needs Node.js" in r.stderr
    assert not (root / "samples" / "assemblyscript" / "mod.wasm").exists()
    assert (root / "samples" / "math" / "math.wasm").is_file()  # the others still build


def test_the_assemblyscript_demo_says_it_needs_npm(tmp_path):
    root = _checkout_copy(tmp_path)
    r = _bash(root, _env_without_node(tmp_path, root), "scripts/demo.sh", "assemblyscript")
    assert r.returncode == 1
    assert r.stderr.startswith("edgebox: samples/assemblyscript needs Node.js with npm")
    assert r.stdout == "" and not (root / "out").exists()
