"""The project's own checks: ruff (lint and format) and mypy, as STYLE.md asks."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT

PATHS = ["bundler", "tests", "bench", "samples", "setup.py", "build_backend.py"]


def _run(*cmd: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *cmd], cwd=ROOT, capture_output=True, text=True, check=False)


def test_ruff_lint_is_clean():
    r = _run("ruff", "check", *PATHS)
    assert r.returncode == 0, r.stdout + r.stderr


def test_ruff_format_is_clean():
    r = _run("ruff", "format", "--check", *PATHS)
    assert r.returncode == 0, r.stdout + r.stderr


def test_mypy_is_clean():
    r = _run("mypy")
    assert r.returncode == 0, r.stdout + r.stderr
