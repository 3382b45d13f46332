"""An installed wheel works on its own: no checkout, no compiler, no engine build, no network.

A wheel is built from this checkout (reusing the development engine cache, so it takes
about a second), installed into a fresh venv whose dependencies come from the package
index, and used from a directory outside the checkout with an empty engine cache.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import zipfile
from importlib import metadata
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from conftest import ROOT

from bundler.engine import build
from bundler.errors import EngineBuildError
from bundler.toolchain import build_wat

BUILDING = "building the JS engine"  # what the engine build prints before it starts

# What pip prints when it cannot reach an index at all (as opposed to a failed install).
UNREACHABLE = (
    "after connection broken by",
    "NewConnectionError",
    "ConnectTimeoutError",
    "Max retries exceeded",
    "Failed to establish a new connection",
    "Temporary failure in name resolution",
    "Network is unreachable",
)


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


@pytest.fixture(scope="module")
def venv(wheel, tmp_path_factory) -> Path:
    """A fresh venv (no system site-packages) with the wheel and its dependencies installed."""
    venv = tmp_path_factory.mktemp("venv")
    r = _run([sys.executable, "-m", "venv", venv], timeout=120)
    assert r.returncode == 0, r.stderr
    python = venv / "bin" / "python"
    r = _run(
        [python, "-m", "pip", "install", "--quiet", "--retries", "1", "--timeout", "15", wheel], timeout=300
    )
    unreachable = [line for line in r.stderr.splitlines() if any(m in line for m in UNREACHABLE)]
    if r.returncode != 0 and unreachable:
        pytest.skip(f"the package index cannot be reached for the dependencies: {unreachable[0][:300]}")
    assert r.returncode == 0, r.stdout + r.stderr
    return venv


def test_the_wheel_carries_the_templates(wheel):
    with zipfile.ZipFile(wheel) as z:
        names = set(z.namelist())
    templates = {f"bundler/_templates/{p.name}" for p in (ROOT / "templates").glob("*.j2")}
    assert templates and templates <= names
    assert "bundler/_docs/diagnostics.md" in names  # what SARIF output links to and quotes


def test_the_wheel_carries_an_engine_built_from_these_sources_and_needs_no_ziglang(wheel, engine):
    with zipfile.ZipFile(wheel) as z:
        shipped = z.read("bundler/engine/engine.wasm")
        info = json.loads(z.read("bundler/engine/engine.json"))
        meta = z.read(next(n for n in z.namelist() if n.endswith(".dist-info/METADATA"))).decode()
    assert info["source_key"] == build.source_key()
    assert info["sha256"] == hashlib.sha256(shipped).hexdigest() == engine.sha256  # the same identity
    ziglang = [line for line in meta.splitlines() if line.startswith("Requires-Dist: ziglang")]
    assert ziglang == ['Requires-Dist: ziglang==0.17.0; extra == "toolchain"']


def test_an_installed_wheel_bundles_and_runs_without_ziglang_or_an_engine_build(venv, tmp_path):
    app = tmp_path / "app"
    app.mkdir()
    (tmp_path / "add.wat").write_text(
        '(module (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add))\n'
    )
    build_wat(tmp_path / "add.wat", app / "add.wasm")
    (app / "app.js").write_text('import { add } from "./add.wasm";\nconsole.log("add(5, 3) =", add(5, 3));\n')
    cache = tmp_path / "cache"
    cache.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["EDGEBOX_CACHE_DIR"] = str(cache)
    bin_dir = venv / "bin"

    b = _run([bin_dir / "edgebox-bundle", "app.js", "-o", "app.ebx"], cwd=app, env=env, timeout=120)
    assert b.returncode == 0, b.stderr
    r = _run([bin_dir / "edgebox-exec", "app.ebx"], cwd=app, env=env, timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout == "add(5, 3) = 8\n"
    assert BUILDING not in b.stderr + r.stderr
    assert not (cache / "engine").exists()  # the development build's cache was never touched

    v = _run([bin_dir / "edgebox-exec", "--version"], cwd=app, env=env, timeout=60)
    assert v.stdout == f"edgebox-exec {metadata.version('edgebox')}\n"
    c = _run(
        [bin_dir / "edgebox-bundle", "--check", "--format", "sarif", "app.js"], cwd=app, env=env, timeout=60
    )
    uri = json.loads(c.stdout)["runs"][0]["tool"]["driver"]["informationUri"]
    docs = Path(unquote(urlparse(uri).path))
    assert docs.is_file() and docs.is_relative_to(venv)  # the installed copy of the reference

    probe = "import importlib.util as u, bundler; print(u.find_spec('ziglang')); print(bundler.__file__)"
    p = _run([bin_dir / "python", "-c", probe], cwd=app, env=env, timeout=60)
    ziglang, package = p.stdout.splitlines()
    assert ziglang == "None"
    assert Path(package).is_relative_to(venv)  # the installed copy, not the checkout


@pytest.fixture
def shipped(tmp_path, monkeypatch, engine):
    """A wheel's engine.wasm and engine.json, as setup.py writes them, in a stand-in package dir."""
    wasm, info = tmp_path / "engine.wasm", tmp_path / "engine.json"
    shutil.copyfile(engine.path, wasm)
    info.write_text(json.dumps(build.shipped_info(engine)))
    monkeypatch.setattr(build, "SHIPPED_WASM", wasm)
    monkeypatch.setattr(build, "SHIPPED_INFO", info)
    return wasm, info


def _no_ziglang() -> str:
    raise EngineBuildError("ziglang is not installed")


def test_a_shipped_engine_built_from_these_sources_is_used_without_ziglang(shipped, engine, monkeypatch):
    monkeypatch.setattr(build, "_zig_version", _no_ziglang)  # the key needs no toolchain
    got = build.ensure_engine()
    assert got.path == shipped[0]
    assert got.identity() == engine.identity()  # bundles made either way run either way


def test_a_shipped_engine_from_other_glue_or_flags_is_not_used(shipped, engine):
    info = json.loads(shipped[1].read_text())
    shipped[1].write_text(json.dumps({**info, "source_key": "built-from-another-glue.c"}))
    assert build.ensure_engine() == engine  # the development build, from these sources


def test_a_damaged_shipped_engine_is_not_used(shipped, engine, capfd):
    shipped[0].write_bytes(shipped[0].read_bytes()[:-1])
    assert build.ensure_engine() == engine
    assert "is damaged; not using it" in capfd.readouterr().err
