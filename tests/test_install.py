"""An installed wheel works on its own, without the checkout.

A wheel is built from this checkout (it takes about a second) and its contents checked.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import zipfile
from importlib import metadata
from pathlib import Path

import pytest
from conftest import ROOT


def _run(cmd: list[str | Path], **kwargs) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(c) for c in cmd], capture_output=True, text=True, check=False, **kwargs)


def _builds_wheels() -> bool:
    """setuptools builds wheels itself from 70.1 on; before, it needs the `wheel` package."""
    try:
        major, minor = (int(part) for part in metadata.version("setuptools").split(".")[:2])
    except (metadata.PackageNotFoundError, ValueError):
        return False
    return (major, minor) >= (70, 1) or importlib.util.find_spec("wheel") is not None


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    if not _builds_wheels():
        pytest.fail(
            "this venv cannot build wheels: it lacks setuptools>=70.1 (the test extra; run scripts/setup.sh)"
        )
    out = tmp_path_factory.mktemp("dist")
    pip_wheel = [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation"]
    r = _run([*pip_wheel, "-w", out, ROOT], timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    (whl,) = out.glob("edgebox-*.whl")
    return whl


def test_the_wheel_carries_the_templates(wheel):
    with zipfile.ZipFile(wheel) as z:
        names = set(z.namelist())
    templates = {f"bundler/_templates/{p.name}" for p in (ROOT / "templates").glob("*.j2")}
    assert templates and templates <= names
